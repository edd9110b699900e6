"""`pacer doctor`'s clock check: the platforms' `Date` header against this machine's clock."""

from __future__ import annotations

from bot.doctor import Report, _clock, clock_skew

SENT = 1_796_000_000.0  # Mon, 30 Nov 2026 00:53:20 GMT


def test_skew_is_their_clock_minus_ours_at_the_middle_of_the_call() -> None:
    assert clock_skew("Mon, 30 Nov 2026 00:53:21 GMT", SENT, SENT + 2.0) == 0.0
    assert clock_skew("Mon, 30 Nov 2026 00:54:20 GMT", SENT, SENT) == 60.0
    assert clock_skew("Mon, 30 Nov 2026 00:52:20 GMT", SENT, SENT) == -60.0
    assert clock_skew(None, SENT, SENT) is None
    assert clock_skew("yesterday-ish", SENT, SENT) is None


def test_the_worst_sample_decides() -> None:
    report = Report([], [("api.telegram.org", 1.2), ("discord.com", -45.0)])
    _clock(report)
    [check] = report.checks
    assert check.line() == (
        "FAIL  clock: this machine is 45 s ahead of discord.com — fix: turn on time sync "
        "(timedatectl set-ntp true, or chrony)"
    )
    report = Report([], [("api.telegram.org", 4.4)])
    _clock(report)
    assert report.checks[0].line() == "ok    clock: within 4 s of api.telegram.org"
    assert report.healthy
