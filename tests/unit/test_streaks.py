"""Streak rules, table-driven: rest days, pending today, backfills, skips, plan start, DST days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.streaks import (
    LogRecord,
    PlannedDay,
    Status,
    StreakReport,
    backfill_deadline,
    compute_streak,
    day_end,
)

MON = date(2026, 11, 2)  # a Monday


def days_from(start: date, pattern: str) -> list[PlannedDay]:
    """`R` a day that asks for a run, `.` a rest day, `-` no plan row."""
    return [
        PlannedDay(start + timedelta(days=i), mark == "R", "easy" if mark == "R" else "rest")
        for i, mark in enumerate(pattern)
        if mark != "-"
    ]


def at(day: date, clock: str, tz: str = "UTC") -> datetime:
    """An aware instant from a local day and wall time."""
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=ZoneInfo(tz))


def ran(day: date, logged: datetime | None = None, minutes: float = 30) -> LogRecord:
    """A run for `day`, logged that evening unless said otherwise."""
    return LogRecord(day, logged or at(day, "19:00"), minutes)


@dataclass
class Case:
    name: str
    pattern: str  # the plan from MON, see days_from
    runs: list[int]  # offsets from MON with a run logged on the day
    now: datetime
    current: int
    best: int
    statuses: str  # one letter a day from the plan start: d r m p s u
    skipped: list[int] = field(default_factory=list)
    plan_start: date = MON


LETTER = {
    Status.DONE: "d", Status.REST: "r", Status.MISSED: "m", Status.PENDING: "p",
    Status.SKIPPED: "s", Status.UNPLANNED: "u",
}

CASES = [
    Case("first day pending", "R.R.R..", [], at(MON, "08:00"), 0, 0, "p"),
    Case("first day done", "R.R.R..", [0], at(MON, "20:00"), 1, 1, "d"),
    Case("rest day counts", "R.R.R..", [0], at(MON + timedelta(1), "08:00"), 2, 2, "dr"),
    Case("pending today neither breaks nor extends", "R.R.R..", [0],
         at(MON + timedelta(2), "08:00"), 2, 2, "drp"),
    Case("done today extends", "R.R.R..", [0, 2], at(MON + timedelta(2), "20:00"), 3, 3, "drd"),
    Case("missed run breaks", "R.R.R..", [0], at(MON + timedelta(4), "08:00"), 0, 2, "drmrp"),
    Case("a run after a miss starts again", "R.R.R..", [0, 4], at(MON + timedelta(5), "08:00"),
         2, 2, "drmrdr"),
    Case("week kept", "R.R.R..", [0, 2, 4], at(MON + timedelta(6), "08:00"), 7, 7, "drdrdrr"),
    Case("skip breaks", "R.R.R..", [0], at(MON + timedelta(3), "08:00"), 0, 2, "drsr",
         skipped=[2]),
    Case("skipped today breaks at once", "R.R.R..", [0], at(MON + timedelta(2), "08:00"),
         0, 2, "drs", skipped=[2]),
    Case("extra run on a rest day is done", "R.R.R..", [0, 1], at(MON + timedelta(1), "20:00"),
         2, 2, "dd"),
    Case("unplanned day is neutral", "R-R", [0, 2], at(MON + timedelta(2), "20:00"), 2, 2, "dud"),
    Case("rest days do not start a streak", "..R", [], at(MON + timedelta(2), "08:00"),
         0, 0, "rrp"),
    Case("a streak starts with a run", "..R.", [2], at(MON + timedelta(3), "08:00"),
         2, 2, "rrdr"),
    Case("rest after a miss does not restart it", "R.R", [], at(MON + timedelta(1), "20:00"),
         0, 0, "mr"),
    Case("days before the plan start do not count", "R.R.R..", [0, 2],
         at(MON + timedelta(2), "20:00"), 1, 1, "d", plan_start=MON + timedelta(2)),
]


def run_case(case: Case) -> StreakReport:
    return compute_streak(
        days_from(MON, case.pattern),
        [ran(MON + timedelta(days=o)) for o in case.runs],
        [MON + timedelta(days=o) for o in case.skipped],
        plan_start=case.plan_start,
        now=case.now,
        tz="UTC",
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_streak_rules(case: Case) -> None:
    report = run_case(case)
    assert "".join(LETTER[d.status] for d in report.days) == case.statuses
    assert (report.current, report.best) == (case.current, case.best)


def test_no_plan_means_no_streak() -> None:
    report = compute_streak([], [ran(MON)], [], plan_start=None, now=at(MON, "20:00"), tz="UTC")
    assert (report.current, report.best, report.days) == (0, 0, ())


def test_logs_before_the_plan_are_ignored() -> None:
    report = compute_streak(
        days_from(MON, "R.R"), [ran(MON - timedelta(days=1)), ran(MON)], [],
        plan_start=MON, now=at(MON, "20:00"), tz="UTC",
    )
    assert [d.day for d in report.days] == [MON]
    assert report.current == 1


# --- backfills: within 48 elapsed hours of the day's local end, or not at all -------------


@pytest.mark.parametrize(
    ("tz", "logged", "repaired"),
    [
        ("UTC", at(MON + timedelta(2), "23:59"), True),  # Mon ends Tue 00:00; +48 h = Thu 00:00
        ("UTC", at(MON + timedelta(3), "00:00"), True),  # the last instant still counts
        ("UTC", at(MON + timedelta(3), "00:01"), False),
        ("Asia/Kathmandu", at(MON + timedelta(2), "23:59", "Asia/Kathmandu"), True),
        ("Asia/Kathmandu", at(MON + timedelta(3), "00:01", "Asia/Kathmandu"), False),
        ("Pacific/Chatham", at(MON + timedelta(2), "23:30", "Pacific/Chatham"), True),
        ("Pacific/Chatham", at(MON + timedelta(3), "00:30", "Pacific/Chatham"), False),
    ],
)
def test_backfill_window(tz: str, logged: datetime, repaired: bool) -> None:
    # Mon run day missed, logged later; Tue rest; Wed run done on the day.
    wed = MON + timedelta(days=2)
    pattern = "R.R"
    logs = [LogRecord(MON, logged, 30), LogRecord(wed, at(wed, "07:00", tz), 30)]
    now = max(logged, at(wed, "08:00", tz)) + timedelta(minutes=1)
    report = compute_streak(days_from(MON, pattern), logs, [], plan_start=MON, now=now, tz=tz)
    monday = report.on(MON)
    assert monday is not None
    if repaired:
        assert monday.status is Status.DONE
        assert report.current == 3
    else:
        assert monday.status is Status.MISSED
        assert monday.late_log
        assert report.current == 1  # Wednesday's run; Tuesday's rest came after the miss


def test_missed_day_reports_its_repair_deadline_while_it_lasts() -> None:
    pattern = "R.R"
    tue_morning = at(MON + timedelta(1), "08:00")
    report = compute_streak(
        days_from(MON, pattern), [], [], plan_start=MON, now=tue_morning, tz="UTC"
    )
    monday = report.on(MON)
    assert monday is not None and monday.status is Status.MISSED
    assert monday.repair_deadline == datetime(2026, 11, 5, 0, 0, tzinfo=UTC)
    later = compute_streak(
        days_from(MON, pattern), [], [], plan_start=MON,
        now=datetime(2026, 11, 5, 0, 1, tzinfo=UTC), tz="UTC",
    )
    gone = later.on(MON)
    assert gone is not None and gone.repair_deadline is None


# --- time zones: DST days are ordinary local days -----------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "end_utc", "deadline_utc"),
    [
        # New York spring forward (Sun 8 Mar 2026 has 23 hours): the day ends at 04:00 UTC.
        ("America/New_York", date(2026, 3, 8), datetime(2026, 3, 9, 4, 0, tzinfo=UTC),
         datetime(2026, 3, 11, 4, 0, tzinfo=UTC)),
        # The Saturday before: its 48 h run across the change and end at 01:00 EDT on Tuesday.
        ("America/New_York", date(2026, 3, 7), datetime(2026, 3, 8, 5, 0, tzinfo=UTC),
         datetime(2026, 3, 10, 5, 0, tzinfo=UTC)),
        # Fall back (Sun 1 Nov 2026 has 25 hours).
        ("America/New_York", date(2026, 11, 1), datetime(2026, 11, 2, 5, 0, tzinfo=UTC),
         datetime(2026, 11, 4, 5, 0, tzinfo=UTC)),
        ("Asia/Kathmandu", date(2026, 11, 2), datetime(2026, 11, 2, 18, 15, tzinfo=UTC),
         datetime(2026, 11, 4, 18, 15, tzinfo=UTC)),
        # Chatham leaves DST on Sun 5 Apr 2026 (+13:45 -> +12:45).
        ("Pacific/Chatham", date(2026, 4, 4), datetime(2026, 4, 4, 10, 15, tzinfo=UTC),
         datetime(2026, 4, 6, 10, 15, tzinfo=UTC)),
        ("Pacific/Chatham", date(2026, 4, 5), datetime(2026, 4, 5, 11, 15, tzinfo=UTC),
         datetime(2026, 4, 7, 11, 15, tzinfo=UTC)),
    ],
)
def test_day_end_and_deadline(tz: str, day: date, end_utc: datetime, deadline_utc: datetime
                              ) -> None:
    assert day_end(day, tz) == end_utc
    assert backfill_deadline(day, tz) == deadline_utc


@pytest.mark.parametrize(
    ("tz", "first"),
    [
        ("America/New_York", date(2026, 3, 5)),  # Thu..Tue across the spring-forward Sunday
        ("America/New_York", date(2026, 10, 29)),  # across the fall-back Sunday
        ("Asia/Kathmandu", date(2026, 11, 2)),
        ("Pacific/Chatham", date(2026, 4, 2)),  # across the end of Chatham's DST
        ("Pacific/Chatham", date(2026, 9, 24)),  # across its start
    ],
)
def test_a_week_of_daily_runs_across_zone_changes(tz: str, first: date) -> None:
    """Every day run late in the local evening: each counts for its own local day."""
    plan = days_from(first, "RRRRRRR")
    logs = [LogRecord(first + timedelta(d), at(first + timedelta(d), "23:30", tz), 20)
            for d in range(7)]
    last = first + timedelta(days=6)
    report = compute_streak(
        plan, logs, [], plan_start=first, now=at(last, "23:45", tz), tz=tz
    )
    assert report.today == last
    assert [d.status for d in report.days] == [Status.DONE] * 7
    assert report.current == 7


def test_kathmandu_day_turns_at_local_midnight() -> None:
    tz = "Asia/Kathmandu"
    plan = days_from(MON, "RR")
    logs = [ran(MON, at(MON, "07:00", tz))]
    before = compute_streak(
        plan, logs, [], plan_start=MON, now=datetime(2026, 11, 3, 18, 10, tzinfo=UTC), tz=tz
    )
    after = compute_streak(
        plan, logs, [], plan_start=MON, now=datetime(2026, 11, 3, 18, 20, tzinfo=UTC), tz=tz
    )
    # 18:10 UTC is 23:55 on Tue in Kathmandu: Tue is still today and pending.
    assert before.today == MON + timedelta(1)
    assert [d.status for d in before.days] == [Status.DONE, Status.PENDING]
    assert before.current == 1
    # 18:20 UTC is 00:05 on Wed: Tue has become a missed day.
    assert after.today == MON + timedelta(2)
    assert [d.status for d in after.days][:2] == [Status.DONE, Status.MISSED]
    assert after.current == 0


def test_new_york_spring_forward_day_is_one_local_day() -> None:
    tz = "America/New_York"
    sun = date(2026, 3, 8)
    plan = days_from(sun - timedelta(days=1), "RRR")
    # Logged at 23:30 EDT on the short Sunday = 03:30 UTC Monday: still Sunday's run.
    logs = [ran(sun - timedelta(1), at(sun - timedelta(1), "10:00", tz)),
            LogRecord(sun, at(sun, "23:30", tz), 25)]
    report = compute_streak(
        plan, logs, [], plan_start=sun - timedelta(days=1),
        now=datetime(2026, 3, 9, 3, 45, tzinfo=UTC), tz=tz,
    )
    assert report.today == sun
    assert report.current == 2


# --- weekly consistency ------------------------------------------------------------------


def test_weekly_consistency_counts_complete_weeks() -> None:
    plan = days_from(MON, "R.R.R.." * 4)
    week = [0, 2, 4]
    # weeks 1, 3 and 4 complete; week 2 misses Wednesday.
    runs = [w * 7 + d for w in range(4) for d in week if (w, d) != (1, 2)]
    report = compute_streak(
        plan, [ran(MON + timedelta(days=o)) for o in runs], [], plan_start=MON,
        now=at(MON + timedelta(days=27), "20:00"), tz="UTC",
    )
    assert (report.weeks_in_a_row, report.weeks_total) == (2, 3)


def test_unfinished_current_week_neither_counts_nor_breaks() -> None:
    plan = days_from(MON, "R.R.R.." + "R.R.R..")
    runs = [0, 2, 4, 7]  # week 1 complete, this week Monday done, Wednesday still to come
    report = compute_streak(
        plan, [ran(MON + timedelta(days=o)) for o in runs], [], plan_start=MON,
        now=at(MON + timedelta(days=8), "12:00"), tz="UTC",
    )
    assert (report.weeks_in_a_row, report.weeks_total) == (1, 1)


def test_current_week_counts_once_its_last_run_is_done() -> None:
    plan = days_from(MON, "R.R.R..")
    report = compute_streak(
        plan, [ran(MON + timedelta(days=o)) for o in (0, 2, 4)], [], plan_start=MON,
        now=at(MON + timedelta(days=4), "20:00"), tz="UTC",
    )
    assert (report.weeks_in_a_row, report.weeks_total) == (1, 1)


def test_a_skip_breaks_the_week() -> None:
    plan = days_from(MON, "R.R.R..")
    report = compute_streak(
        plan, [ran(MON), ran(MON + timedelta(4))], [MON + timedelta(2)], plan_start=MON,
        now=at(MON + timedelta(days=6), "20:00"), tz="UTC",
    )
    assert (report.weeks_in_a_row, report.weeks_total) == (0, 0)


def test_recent_and_on() -> None:
    report = run_case(next(c for c in CASES if c.name == "week kept"))
    assert [d.day for d in report.recent(3)] == [MON + timedelta(days=i) for i in (4, 5, 6)]
    assert report.recent(0) == ()
    assert report.on(MON - timedelta(days=1)) is None
    found = report.on(MON + timedelta(days=1))
    assert found is not None and found.status is Status.REST


def test_window_start_cuts_an_old_streak() -> None:
    plan = days_from(MON, "RRRRRRR")
    logs = [ran(MON + timedelta(days=i)) for i in range(7)]
    report = compute_streak(
        plan, logs, [], plan_start=MON, now=at(MON + timedelta(6), "20:00"), tz="UTC",
        first_day=MON + timedelta(days=4),
    )
    assert report.current == 3


# --- A streak judged from a settled day on equals the streak judged from the plan start ------

SETTLED_AFTER_DAYS = 8  # /done logs runs up to 7 days back: a day 8 days ago can't change


@st.composite
def histories(draw: st.DrawFn) -> tuple[str, date, list[PlannedDay], list[LogRecord],
                                        list[date], datetime, datetime]:
    tz = draw(st.sampled_from(["UTC", "Asia/Kathmandu", "Pacific/Chatham", "America/New_York"]))
    length = draw(st.integers(min_value=10, max_value=45))
    start = date(2026, 2, 20) + timedelta(days=draw(st.integers(0, 30)))  # across DST changes
    marks = draw(st.lists(st.sampled_from("RR.-"), min_size=length + 7, max_size=length + 7))
    planned = days_from(start, "".join(marks))
    logs, skipped = [], []
    for offset in range(length):
        day = start + timedelta(days=offset)
        if draw(st.integers(0, 9)) == 0:
            skipped.append(day)
        for _ in range(draw(st.integers(0, 2))):
            # Logged on the day, or up to 7 days later (late ones count for stats only).
            delay = timedelta(hours=draw(st.integers(0, 7 * 24 + 23)), minutes=7)
            logged = datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)) + delay
            logs.append(LogRecord(day, logged.astimezone(UTC), 20))
    then_offset = draw(st.integers(SETTLED_AFTER_DAYS + 1, length - 1))
    later = draw(st.integers(0, 10))
    then = datetime.combine(start + timedelta(days=then_offset), time(12), tzinfo=ZoneInfo(tz))
    now = then + timedelta(days=later, hours=draw(st.integers(0, 11)))
    return tz, start, planned, logs, skipped, then.astimezone(UTC), now.astimezone(UTC)


@given(histories())
def test_a_streak_continued_from_a_settled_day_equals_the_whole_count(
    history: tuple[str, date, list[PlannedDay], list[LogRecord], list[date], datetime, datetime],
) -> None:
    tz, start, planned, logs, skipped, then, now = history
    # What the checkpoint saw: the logs made by then, judged then.
    earlier = compute_streak(planned, [g for g in logs if g.logged_at <= then], skipped,
                             plan_start=start, now=then, tz=tz)
    settled = earlier.today - timedelta(days=SETTLED_AFTER_DAYS)
    carry = earlier.settled_at(settled)
    # Later, with the runs logged since (each within 7 days of its day, as /done allows).
    made = [g for g in logs if g.logged_at <= now]
    whole = compute_streak(planned, made, skipped, plan_start=start, now=now, tz=tz)
    continued = compute_streak(planned, made, skipped, plan_start=start, now=now, tz=tz,
                               first_day=settled + timedelta(days=1), carry=carry)
    assert (continued.current, continued.best) == (whole.current, whole.best)
    assert continued.days == whole.days[-len(continued.days):]
