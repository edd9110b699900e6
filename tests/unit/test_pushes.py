"""What scheduled pushes say (pure rendering)."""

from __future__ import annotations

from datetime import date, time

from core.markup import to_plain
from core.schedule.pushes import (
    WeekSummary,
    nudge_push,
    post_race_push,
    race_morning_push,
    race_week_push,
    recap_push,
    session_push,
)
from core.training import Athlete, Level

ATHLETE = Athlete(Level.IMPROVING, (0, 2, 4, 6), mile_time_s=450, goal_s=405,
                  race_date=date(2026, 5, 10), race_start=time(9, 0))


def buttons(reply: object) -> list[str]:
    return [c.command for row in reply.choices for c in row]  # type: ignore[attr-defined]


def test_session_push_escapes_the_name_and_offers_done_and_skip() -> None:
    reply = session_push("<Ann & co>", date(2026, 11, 2), time(7, 0), "<b>Easy run</b>\n30 min",
                         requires_run=True)
    assert reply.text.startswith("<b>Good morning, &lt;Ann &amp; co&gt;!</b> Today, Mon 2 Nov:")
    assert buttons(reply) == ["/done", "/skip"]
    evening = session_push("Ann", date(2026, 11, 3), time(18, 30), "Tue 3 Nov · Strength",
                           requires_run=False, note="Moved from Tuesday")
    assert "Here's today's session:" in evening.text  # the text has the date already
    assert "<b>Good evening, Ann!</b> Here's today's session:" in evening.text.splitlines()
    assert "<i>Moved from Tuesday</i>" in evening.text
    assert evening.choices == ()


def test_nudge_and_post_race_prompts() -> None:
    nudge = nudge_push("Ann", "Fartlek")
    assert "today's <b>Fartlek</b> isn't logged yet" in nudge.text
    assert buttons(nudge) == ["/done", "/skip"]
    assert (
        "Log your result so it counts: <code>/done 1mi 6:45 race</code> (your distance and time). "
        "Whatever the clock said, you showed up: that's the win."
    ) in post_race_push("Ann").text.splitlines()


def test_race_week_checklist_with_splits_when_the_pacing_plan_is_due() -> None:
    six_out = to_plain(race_week_push(ATHLETE, date(2026, 5, 10), date(2026, 5, 4)).text)
    five_out = to_plain(race_week_push(ATHLETE, date(2026, 5, 10), date(2026, 5, 5)).text)
    assert "🏁 Race in 6 days" in six_out.splitlines()
    assert "Lap 4 (1600 m): 6:42.6" in six_out.splitlines()
    assert "🏁 Race in 5 days" in five_out.splitlines()
    assert "Lap 4" not in five_out


def test_race_morning_counts_the_warm_up_back_from_the_start() -> None:
    text = to_plain(race_morning_push("Ann", ATHLETE, date(2026, 5, 10)).text)
    assert "The gun goes at 09:00." in text
    # 35 min before the start
    assert "• 08:25 Easy jog, 12 min (10–15) at a conversational pace" in text.splitlines()
    assert "Mile in 6:45: 1:40.7 per 400 m lap · 4:12/km" in text.splitlines()


def test_recap_counts_the_week_and_points_to_next_weeks_key_session() -> None:
    week = WeekSummary(first=date(2026, 11, 2), last=date(2026, 11, 8), planned_runs=4,
                       done_runs=4, logged_minutes=135, logged_distance_m=21_500, streak=6,
                       best_streak=9, sleep_hours=6.5, next_key="Intervals: 6 × 2 min",
                       units="mi")
    text = to_plain(recap_push("Ann", week).text)
    assert "Your week, Ann (Mon 2 Nov – Sun 8 Nov)" in text
    assert "Sessions: 4 of 4 done" in text
    assert "Time: 2 h 15 min · distance: 13.4 mi" in text
    assert "🔥 Streak: 6 days (best: 9 days)" in text.splitlines()
    assert "aim for 7–9 h" in text
    assert "Every planned session done" in text
    assert "Next week's key session: Intervals: 6 × 2 min." in text
