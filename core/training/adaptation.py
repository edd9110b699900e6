"""Adapting the current week to what happened: missed sessions and poor sleep.

A missed key session moves to the next free suitable day of the same week; missed optional
sessions just drop (nothing is crammed). Poor sleep turns the next hard session into an easy
run of the same length.
"""

from __future__ import annotations

from datetime import date, timedelta
from statistics import fmean

from core.training import sessions_easy as easy
from core.training.athlete import History
from core.training.draft import Draft
from core.training.layout import EASY, RECOVERY
from core.training.levels import Level
from core.training.passes import TIME_TRIAL
from core.training.taper import RACE

SHORT_NIGHT_H = 6.0  # last night under this: back off
LOW_AVERAGE_H = 7.0  # 7-night average under this: back off (the guide: aim for 7–9 h)
MIN_NIGHTS = 3  # nights logged before an average means anything
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NO_HARD_BEFORE_RACE_DAYS = 2


def adapt(draft: Draft, history: History, today: date) -> None:
    """Apply both adaptations in place (keys must already be assigned)."""
    reschedule_missed(draft, history, today)
    protect_sleep(draft, history, today)


def reschedule_missed(draft: Draft, history: History, today: date) -> None:
    """Handle the current week's missed or skipped sessions."""
    i_today = draft.index_of(today)
    if i_today is None:
        return
    indices = draft.week_indices(draft.weeks[i_today])
    for i in indices:
        day = draft.date_of(i)
        if not draft.sessions[i].is_run or draft.roles[i] == RACE:
            continue
        skipped = day in history.skipped
        if not skipped and (day >= today or history.done.get(day, 0.0) > 0):
            continue
        if not draft.keys[i]:
            draft.notes[i] = (
                "Skipped: no need to make it up — the plan carries on."
                if skipped else "Missed: no need to make it up — an easy session just drops."
            )
            continue
        target = _slot_for(draft, i, indices, history, today)
        title = draft.sessions[i].title
        if target is None:
            draft.notes[i] = (
                f"Missed {title}: no free day this week fits it without crowding hard days, so "
                "let it go."
            )
            continue
        _move(draft, i, target, title)


def _move(draft: Draft, src: int, dst: int, title: str) -> None:
    level = draft.athlete.level
    src_day = WEEKDAYS[draft.date_of(src).weekday()]
    dst_day = WEEKDAYS[draft.date_of(dst).weekday()]
    draft.sessions[dst], draft.roles[dst] = draft.sessions[src], draft.roles[src]
    draft.keys[dst], draft.keys[src] = True, False
    draft.notes[dst] = f"Moved from {src_day}: the week's key session is kept."
    draft.sessions[src] = easy.active_recovery(level, draft.weeks[src])
    draft.roles[src] = RECOVERY
    draft.notes[src] = f"Missed {title}: moved to {dst_day}."


def _slot_for(draft: Draft, src: int, indices: range, history: History, today: date
              ) -> int | None:
    """The next free suitable day: a day without a run (a recovery or strength day, never the
    rest day), no back-to-back hard days (beginners: no back-to-back runs at all), and nothing
    hard in the two days before a race."""
    busy_today = history.done.get(today, 0.0) > 0 or today in history.skipped
    earliest = today + timedelta(days=1) if busy_today else today
    session = draft.sessions[src]
    race_day = draft.athlete.race_date
    beginner = draft.athlete.level is Level.BEGINNER

    def fits(j: int) -> bool:
        day = draft.date_of(j)
        if j == src or day < earliest or day in history.skipped:
            return False
        if draft.sessions[j].type == "rest" or draft.roles[j] in (RACE, TIME_TRIAL):
            return False
        if race_day is not None and session.is_hard and (
            0 <= (race_day - day).days <= NO_HARD_BEFORE_RACE_DAYS
        ):
            return False
        for n in (j - 1, j + 1):
            if n == src:
                continue
            if draft.is_run(n) if beginner else (session.is_hard and draft.is_hard(n)):
                return False
        return True

    # Only days without a run: "never two sessions in a day", and the week's running stays
    # the same (the missed day turns into a recovery day).
    return next((j for j in indices if not draft.sessions[j].is_run and fits(j)), None)


def protect_sleep(draft: Draft, history: History, today: date) -> None:
    """After a short night or a poor week of sleep, the next hard session becomes easy."""
    reason = _sleep_reason(history, today)
    if reason is None:
        return
    first = max(0, (today - draft.start).days)
    for j in range(first, len(draft)):
        session = draft.sessions[j]
        if not session.is_hard or draft.roles[j] in (RACE, TIME_TRIAL):
            continue
        if session.type in ("race", "time_trial"):
            continue
        day = draft.date_of(j)
        if day == today and history.done.get(today, 0.0) > 0:
            continue
        when = "today's" if day == today else f"{WEEKDAYS[day.weekday()]}'s"
        draft.sessions[j] = easy.easy(
            draft.athlete.level, session.run_minutes, session.strength_minutes, 0, draft.weeks[j]
        )
        draft.roles[j] = EASY
        draft.keys[j] = False
        draft.notes[j] = (
            f"{reason}: {when} {session.title.lower()} becomes an easy run of the same length. "
            "Recovery first — aim for 7–9 hours."
        )
        return


def _sleep_reason(history: History, today: date) -> str | None:
    last = history.sleep.get(today)
    if last is not None and last < SHORT_NIGHT_H:
        return f"You slept {last:g} h last night (under {SHORT_NIGHT_H:g})"
    week = (history.sleep.get(today - timedelta(days=k)) for k in range(7))
    nights = [h for h in week if h is not None]
    if len(nights) >= MIN_NIGHTS and fmean(nights) < LOW_AVERAGE_H:
        return f"Your sleep averaged {fmean(nights):.1f} h over the last {len(nights)} nights"
    return None
