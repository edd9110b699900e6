"""When pushes fall due: local reminder times across DST changes and odd offsets.

`fire_times` plays the tick: it steps a clock minute by minute, asks `due_pushes`, and keeps
each key only the first time it shows up (as the outbox's unique key does).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.schedule.due import (
    DayFacts,
    DuePush,
    PushProfile,
    due_pushes,
    nudge_time,
    push_key,
    resolve_local,
)

RUN_DAY = DayFacts(planned_type="easy", run_minutes=30)


def local(when: str, tz: str) -> datetime:
    return datetime.fromisoformat(when).replace(tzinfo=ZoneInfo(tz))


def fire_times(
    profile: PushProfile, start: datetime, hours: float, facts: DayFacts = RUN_DAY
) -> dict[str, DuePush]:
    """Each key's push, with the instant it was first seen due (as `due_at` says)."""
    fired: dict[str, tuple[DuePush, datetime]] = {}
    now = start.astimezone(UTC)
    end = now + timedelta(hours=hours)
    while now < end:
        for push in due_pushes(profile, facts, now):
            fired.setdefault(push.key, (push, now))
        now += timedelta(minutes=1)
    for push, first_seen in fired.values():
        assert first_seen == push.due_at, push  # seen due at the first tick at/after due_at
    return {key: push for key, (push, _) in fired.items()}


def sessions(fired: dict[str, DuePush]) -> list[DuePush]:
    return [p for p in fired.values() if p.kind == "session"]


def in_zone(instant: datetime, tz: str) -> str:
    return instant.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %Z")


def test_new_york_spring_forward_reminder_in_the_gap_fires_once_at_three() -> None:
    # 8 March 2026: clocks jump from 02:00 EST to 03:00 EDT; 02:30 does not exist.
    profile = PushProfile(1, "America/New_York", "02:30")
    fired = fire_times(profile, local("2026-03-08 00:00", "America/New_York"), 24)
    [session] = sessions(fired)
    assert in_zone(session.due_at, "America/New_York") == "2026-03-08 03:00 EDT"
    assert session.due_at == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)


def test_new_york_fall_back_reminder_in_the_repeated_hour_fires_once() -> None:
    # 1 November 2026: 01:00–02:00 happens twice (EDT, then EST).
    profile = PushProfile(1, "America/New_York", "01:30")
    fired = fire_times(profile, local("2026-11-01 00:00", "America/New_York"), 25)
    [session] = sessions(fired)
    assert in_zone(session.due_at, "America/New_York") == "2026-11-01 01:30 EDT"


def test_new_york_ordinary_reminder_on_dst_days_keeps_its_wall_time() -> None:
    profile = PushProfile(1, "America/New_York", "07:00")
    for day in ("2026-03-08", "2026-11-01"):
        [session] = sessions(fire_times(profile, local(f"{day} 00:00", "America/New_York"), 24))
        assert in_zone(session.due_at, "America/New_York")[11:16] == "07:00"


@pytest.mark.parametrize(
    ("day", "reminder", "expected"),
    [
        ("2026-03-29", "01:30", "2026-03-29 02:00 BST"),  # spring forward: 01:00 → 02:00
        ("2026-10-25", "01:30", "2026-10-25 01:30 BST"),  # fall back: first 01:30
        ("2026-10-25", "07:00", "2026-10-25 07:00 GMT"),
    ],
)
def test_europe_london(day: str, reminder: str, expected: str) -> None:
    profile = PushProfile(1, "Europe/London", reminder)
    fired = fire_times(profile, local(f"{day} 00:00", "Europe/London"), 24)
    [session] = sessions(fired)
    assert in_zone(session.due_at, "Europe/London") == expected


def test_lord_howe_half_hour_spring_forward() -> None:
    # 4 October 2026: 02:00 +10:30 becomes 02:30 +11:00; 02:15 does not exist.
    profile = PushProfile(1, "Australia/Lord_Howe", "02:15")
    fired = fire_times(profile, local("2026-10-04 00:00", "Australia/Lord_Howe"), 24)
    [session] = sessions(fired)
    assert in_zone(session.due_at, "Australia/Lord_Howe") == "2026-10-04 02:30 +11"
    assert session.due_at == datetime(2026, 10, 3, 15, 30, tzinfo=UTC)


def test_lord_howe_half_hour_fall_back_fires_once() -> None:
    # 5 April 2026: 02:00 +11:00 becomes 01:30 +10:30; 01:30–02:00 happens twice.
    profile = PushProfile(1, "Australia/Lord_Howe", "01:45")
    fired = fire_times(profile, local("2026-04-05 00:00", "Australia/Lord_Howe"), 25)
    [session] = sessions(fired)
    assert in_zone(session.due_at, "Australia/Lord_Howe") == "2026-04-05 01:45 +11"


def test_kathmandu_quarter_hour_offset() -> None:
    profile = PushProfile(1, "Asia/Kathmandu", "07:00")
    fired = fire_times(profile, local("2026-11-02 00:00", "Asia/Kathmandu"), 24)
    [session] = sessions(fired)
    assert session.due_at == datetime(2026, 11, 2, 1, 15, tzinfo=UTC)  # +05:45
    nudge = fired[push_key("nudge", 1, date(2026, 11, 2))]
    assert nudge.due_at == datetime(2026, 11, 2, 13, 15, tzinfo=UTC)  # 19:00 local
    assert nudge.expires_at == datetime(2026, 11, 2, 15, 15, tzinfo=UTC)  # 21:00 local


def test_every_day_of_a_week_gets_its_own_key() -> None:
    profile = PushProfile(7, "Europe/London", "06:45")
    fired = fire_times(profile, local("2026-03-23 00:00", "Europe/London"), 24 * 7)
    keys = sorted(p.key for p in sessions(fired))
    assert keys == [f"session:7:2026-03-{d}" for d in range(23, 30)]


def test_resolve_local_moves_gap_times_to_the_end_of_the_gap() -> None:
    ny = ZoneInfo("America/New_York")
    assert resolve_local(date(2026, 3, 8), time(2, 0), ny) == datetime(2026, 3, 8, 7, tzinfo=UTC)
    assert resolve_local(date(2026, 3, 8), time(2, 59), ny) == datetime(2026, 3, 8, 7, tzinfo=UTC)
    assert resolve_local(date(2026, 3, 8), time(3, 0), ny) == datetime(2026, 3, 8, 7, tzinfo=UTC)
    assert resolve_local(date(2026, 3, 8), time(1, 59), ny) == datetime(
        2026, 3, 8, 6, 59, tzinfo=UTC
    )


def test_session_after_downtime_goes_out_late_but_not_at_night() -> None:
    profile = PushProfile(1, "UTC", "07:00")
    [at_nine] = due_pushes(profile, DayFacts("rest"), local("2026-11-02 09:00", "UTC"))
    assert at_nine.skip_reason == "rest day"
    [push] = [p for p in due_pushes(profile, RUN_DAY, local("2026-11-02 09:00", "UTC"))]
    assert not push.is_stale(local("2026-11-02 09:00", "UTC"))
    late = local("2026-11-02 23:00", "UTC")
    [session] = [p for p in due_pushes(profile, RUN_DAY, late) if p.kind == "session"]
    assert session.is_stale(late)


def test_no_plan_row_is_a_decision_with_nothing_to_send() -> None:
    profile = PushProfile(1, "UTC", "07:00")
    [push] = due_pushes(profile, DayFacts(), local("2026-11-02 08:00", "UTC"))
    assert (push.kind, push.skip_reason) == ("session", "no plan for today")


@pytest.mark.parametrize(
    ("facts", "quiet", "reason"),
    [
        (DayFacts("easy", 30, skipped=True), False, "skipped today"),
        (DayFacts("easy", 30, logged=True, skipped=True), False, "skipped today"),
        (DayFacts("easy", 30, logged=True), True, "already logged (quiet mode)"),
        (DayFacts("easy", 30, logged=True), False, None),  # a well-done goes out
        (RUN_DAY, True, None),
    ],
)
def test_the_session_push_knows_what_the_day_holds(
    facts: DayFacts, quiet: bool, reason: str | None
) -> None:
    profile = PushProfile(1, "UTC", "07:00", quiet=quiet)
    [push] = due_pushes(profile, facts, local("2026-11-02 08:00", "UTC"), ("session",))
    assert push.skip_reason == reason


@pytest.mark.parametrize(
    ("facts", "profile"),
    [
        (DayFacts("easy", 30, logged=True), PushProfile(1, "UTC", "07:00")),
        (DayFacts("easy", 30, skipped=True), PushProfile(1, "UTC", "07:00")),
        (DayFacts("active_recovery", 0), PushProfile(1, "UTC", "07:00")),
        (RUN_DAY, PushProfile(1, "UTC", "07:00", quiet=True)),
        (RUN_DAY, PushProfile(1, "UTC", "07:00", nudges=False)),
        (RUN_DAY, PushProfile(1, "UTC", "19:30")),  # 2 h later would be past 21:00
    ],
)
def test_no_evening_nudge(facts: DayFacts, profile: PushProfile) -> None:
    evening = local("2026-11-02 20:30", "UTC")
    assert "nudge" not in {p.kind for p in due_pushes(profile, facts, evening)}


def test_nudge_waits_two_hours_after_a_late_reminder_and_never_after_nine() -> None:
    assert nudge_time(time(7, 0)) == time(19, 0)
    assert nudge_time(time(18, 15)) == time(20, 15)
    assert nudge_time(time(19, 0)) is None
    assert nudge_time(time(23, 30)) is None
    profile = PushProfile(1, "UTC", "07:00")
    [nudge] = [
        p for p in due_pushes(profile, RUN_DAY, local("2026-11-02 21:00", "UTC"))
        if p.kind == "nudge"
    ]
    assert nudge.is_stale(local("2026-11-02 21:00", "UTC"))


def test_race_week_race_morning_and_post_race() -> None:
    profile = PushProfile(3, "Europe/London", "07:00", race_date=date(2026, 5, 10),
                      race_start="08:30")
    fired = fire_times(profile, local("2026-05-02 00:00", "Europe/London"), 24 * 10)
    kinds = sorted((p.local_date.day, p.kind) for p in fired.values() if p.kind != "nudge")
    race_week = [day for day, kind in kinds if kind == "race_week"]
    assert race_week == [3, 4, 5, 6, 7, 8, 9]  # from 7 days out until the day before
    assert (10, "session") not in kinds  # race morning replaces the daily session
    morning = fired[push_key("race_morning", 3, date(2026, 5, 10))]
    assert in_zone(morning.due_at, "Europe/London") == "2026-05-10 06:30 BST"  # start − 2 h
    assert morning.expires_at == local("2026-05-10 08:30", "Europe/London")
    post = fired[push_key("post_race", 3, date(2026, 5, 10))]
    assert in_zone(post.due_at, "Europe/London") == "2026-05-10 10:30 BST"


def test_race_morning_without_a_start_time_comes_at_the_reminder() -> None:
    profile = PushProfile(3, "UTC", "07:00", race_date=date(2026, 5, 10))
    fired = fire_times(profile, local("2026-05-10 00:00", "UTC"), 24)
    assert fired[push_key("race_morning", 3, date(2026, 5, 10))].due_at == local(
        "2026-05-10 07:00", "UTC"
    )
    assert fired[push_key("post_race", 3, date(2026, 5, 10))].due_at == local(
        "2026-05-10 16:00", "UTC"
    )


def test_weekly_recap_on_sunday_evening_unless_quiet() -> None:
    start = local("2026-11-02 00:00", "Asia/Kathmandu")
    fired = fire_times(PushProfile(1, "Asia/Kathmandu", "07:00"), start, 24 * 7)
    [recap] = [p for p in fired.values() if p.kind == "recap"]
    assert in_zone(recap.due_at, "Asia/Kathmandu") == "2026-11-08 18:00 +0545"
    quiet = fire_times(PushProfile(1, "Asia/Kathmandu", "07:00", quiet=True), start, 24 * 7)
    assert {p.kind for p in quiet.values()} == {"session"}

