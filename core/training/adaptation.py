"""Adapting the plan to what happened: completed weeks, time off, missed sessions, poor sleep.

Each rule names its source:
- A planned run counts when at least half its planned length was done (`counted_runs`); a week
  earns the next step when enough planned runs counted (`week_completed`). Logs on rest or
  active-recovery days do not stand in for runs. Source: the guide's 10 % rule ("don't increase
  your weekly training mileage ... by more than 10% each week") — load grows on what was run,
  not on what was planned.
- After two or more full weeks with little or no running (under a quarter of the planned
  running minutes: `layoff_before`) the plan steps back. Trained runners build back over a
  graded return as long as the break, 50 % → 75 % of the full load and more weeks from lower
  after longer breaks (Daniels' Running Formula: `core.training.comeback` states the rule).
  Beginners go back to the last run/walk stage they had finished (`step_after_layoff`; NHS
  Couch to 5K's advice after a break: go back and repeat a week you have already completed
  before moving on) — at no more than the main set they were on (`return_rung`), so a return
  never means more running or time on feet than the week before it. The "Welcome back" and
  "Back to full load" notes are kept first on their day whatever is noted later (`set_note`),
  so the runner always knows why.
- The closing mile time trial waits when its week follows two weeks off, a week with none of
  its runs done, or is a week of a trained runner's return (`finale_waits`): a test then
  measures the break, not the training (Daniels: rebuild before testing; NHS Couch to 5K:
  repeat a week you have done).
- A missed key session moves only onto one of the runner's own training days later in the same
  week, in place of an easy run, never next to another hard day nor in the two days before a race
  (`reschedule_missed`); otherwise it is let go. Source: the guide ("the focus should be on
  consistency ... better to run regularly at a sustainable pace than exhaust yourself with hard
  sessions"); Daniels' Running Formula — an easy day between hard days.
- Poor sleep (under 6 h last night, or a 7-night average under 7 h) turns at most one quality
  session a week into an easy run; a second quality session in the same week keeps its
  intensity but loses a third of its reps (`protect_sleep`); the runner is told the pattern.
  A week of short sleep does not earn a load step. Source: the guide ("aim for 7–9 hours"); Mah
  et al. 2011 and Fullagar et al. 2015 on sleep and performance — cut load, keep some quality.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from statistics import fmean

from core.text import WEEKDAY_NAMES
from core.training import sessions_easy as easy
from core.training.athlete import History
from core.training.draft import Draft
from core.training.layout import EASY, RECOVERY, RUN
from core.training.levels import Level
from core.training.model import Rep
from core.training.passes import TIME_TRIAL
from core.training.progression import Step, needed_sessions
from core.training.session import Session
from core.training.taper import RACE
from core.units import minutes_at_pace

SHORT_NIGHT_H = 6.0  # last night under this: back off
LOW_AVERAGE_H = 7.0  # 7-night average under this: back off (the guide: aim for 7–9 h)
MIN_NIGHTS = 3  # nights logged before an average means anything
NO_HARD_BEFORE_RACE_DAYS = 2
COUNTS_SHARE = 0.5  # a planned run counts when at least half its length was done
LAYOFF_SHARE = 0.25  # a week with less running than this share of the plan is time off
LAYOFF_WEEKS = 2  # this many weeks off in a row and the plan steps back
SHORTEN_TO = 2 / 3  # a second poor-sleep quality session keeps two thirds of its reps
SWAP_ROLES = frozenset({EASY, RUN})  # runs a moved key session may take the place of


def adapt(draft: Draft, history: History, today: date) -> None:
    """Apply the within-week adaptations in place (keys must already be assigned)."""
    reschedule_missed(draft, history, today)
    protect_sleep(draft, history, today)


# --- completed weeks and time off -----------------------------------------------------------


def planned_length(session: Session) -> int:
    """A session's length as a runner would log it: its minutes without the strength work."""
    return max(0, session.minutes - session.strength_minutes)


def counted_runs(draft: Draft, week: int, history: History) -> tuple[int, int]:
    """(planned runs done for at least half their length, planned runs) in a plan week."""
    done = planned = 0
    for i in draft.week_indices(week):
        session = draft.sessions[i]
        if not session.is_run:
            continue
        planned += 1
        logged = history.done.get(draft.date_of(i), 0.0)
        if logged > 0 and logged >= COUNTS_SHARE * planned_length(session):
            done += 1
    return done, planned


def week_completed(draft: Draft, week: int, history: History) -> bool:
    """Whether a past week earns the next step: enough planned runs counted (all of them for
    beginners, ~75 % for others), and it was not a week of short sleep."""
    done, planned = counted_runs(draft, week, history)
    if planned == 0 or done < needed_sessions(draft.athlete.level, planned):
        return False
    sunday = draft.date_of(draft.week_indices(week)[-1])
    return sleep_average(history, sunday) is None or not _poor_average(history, sunday)


def is_layoff(draft: Draft, week: int, history: History) -> bool:
    """A full week with little or no running: under a quarter of its planned running minutes."""
    indices = draft.week_indices(week)
    if len(indices) < 7:
        return False
    planned = _planned_minutes(draft, week)
    if planned == 0:
        return False
    logged = sum(history.done.get(draft.date_of(i), 0.0) for i in indices)
    return logged < LAYOFF_SHARE * planned


def layoff_before(draft: Draft, step: int, week: int, monday: date, history: History | None,
                  today: date | None) -> int:
    """How many weeks off a return starting in week `week` (at `monday`, not yet laid out)
    comes after; 0 when the week starts no return.

    A return starts in the first week (past or current) after `LAYOFF_WEEKS` or more full past
    weeks that were time off, once the runner had progressed (`step` above 0); a past week that
    was itself time off (judged against the week before's planned running) starts none — the
    return waits for the runner.
    """
    if history is None or today is None or week <= LAYOFF_WEEKS or step == 0:
        return 0
    if monday > today:
        return 0
    off = weeks_off_before(draft, week, history)
    if off < LAYOFF_WEEKS:
        return 0
    if monday + timedelta(days=6) < today:
        logged = sum(history.done.get(monday + timedelta(days=k), 0.0) for k in range(7))
        if logged < LAYOFF_SHARE * _planned_minutes(draft, week - 1):
            return 0  # still off: the step waits for the return
    return off


def step_after_layoff(
    draft: Draft,
    ladder: Sequence[Step],
    step: int,
    week: int,
    monday: date,
    history: History | None,
    today: date | None,
) -> tuple[int, str | None]:
    """A beginner's step for week `week` (starting `monday`, not yet laid out) after time off,
    and why (None: no change): the last run/walk stage they had finished (`layoff_before`
    decides when). Trained runners return through `core.training.comeback` instead."""
    if draft.athlete.level is not Level.BEGINNER:
        return step, None
    off = layoff_before(draft, step, week, monday, history, today)
    if not off:
        return step, None
    back = _return_step(ladder, step, off)
    if back >= step:
        return step, None
    return back, (
        f"{WELCOME_BACK}! After {off} weeks with little running, this week repeats the last "
        "run/walk stage you finished — the Couch to 5K way: repeat a week you've done, then "
        "build again."
    )


def weeks_off_before(draft: Draft, week: int, history: History) -> int:
    """How many full weeks right before `week` were time off (`is_layoff`)."""
    off = 0
    for previous in range(week - 1, 0, -1):
        if not is_layoff(draft, previous, history):
            break
        off += 1
    return off


def finale_waits(draft: Draft, history: History | None, today: date | None) -> str | None:
    """Why the closing mile time trial waits (None: it goes ahead), as the note to give.

    A time trial measures the training behind it: right after two or more weeks with little
    running it would measure the break (and, for a beginner, be more running than any week
    before it), and after a week whose runs were not done it would be a step up on no base.
    Only a finale week that has begun is judged; later weeks assume the plan is run — except a
    week of a trained runner's return (`Draft.returning`), which is never full load yet.
    Sources: Daniels' Running Formula (after a break, rebuild before racing or testing); NHS
    Couch to 5K (repeat a week you have done before moving on); the seed guide (consistency
    before intensity).
    """
    if history is None or today is None:
        return None
    last = next((i for i in range(len(draft) - 1, -1, -1) if draft.sessions[i].is_run), None)
    if last is None:
        return None
    week = draft.weeks[last]
    first = draft.week_indices(week)[0]
    if week in draft.returning:
        done, weeks = draft.returning[week]
        return (
            f"You're building back after time off (week {done} of {weeks}), so {TRIAL_WAITS}: "
            "now it would measure the break, not your training. Test your mile once you're "
            "back to full load."
        )
    if any(draft.weeks[i] in draft.returning for i in range(max(0, len(draft) - 7), last)):
        return (  # the trial's days (the last seven) reach back into a return week
            f"You've only just finished building back after time off, so {TRIAL_WAITS}: now "
            "it would measure the break, not your training. Test your mile after a week or two "
            "at full load."
        )
    if week < 2 or draft.date_of(first) > today or len(draft.week_indices(week - 1)) < 7:
        return None
    off = weeks_off_before(draft, week, history)
    if off >= LAYOFF_WEEKS:
        why = f"After {off} weeks with little running"
    elif counted_runs(draft, week - 1, history)[0] == 0:
        why = "Last week's runs didn't happen, so"
    else:
        return None
    return (
        f"{why} {TRIAL_WAITS}: now it would measure the break, not your "
        "training. Run this week as planned and test your mile once you have a few good weeks "
        "behind you again."
    )


def _planned_minutes(draft: Draft, week: int) -> int:
    return sum(
        planned_length(draft.sessions[i]) for i in draft.week_indices(week)
        if draft.sessions[i].is_run
    )


def _return_step(ladder: Sequence[Step], step: int, weeks_off: int) -> int:
    step = min(step, len(ladder) - 1)
    # The last step of the stage before the current one: a stage the runner finished; after
    # four or more weeks off, one stage further back.
    stage = ladder[step].stage
    back_stages = 2 if weeks_off >= 4 else 1
    earlier = [s for s in range(step + 1) if ladder[s].stage <= stage - back_stages]
    return max(earlier) if earlier else 0


def return_rung(level: Level, back: Step, before: Step) -> Step:
    """The rung a return week uses: the step `step_after_layoff` went back to, but for a
    beginner never a longer main set than the step they were on (`before`) — an earlier
    stage's full week can be longer than a lighter week of the current stage, and a return
    never means more running or more time on feet than before the break (NHS Couch to 5K:
    repeat a week you have done)."""
    if level is not Level.BEGINNER:
        return back
    limit = easy.run_walk(before.total, before.stage, 0, 0, before.light)
    main = back.total
    while main > 1:  # whole run/walk reps may round a main set up: fit the session, not the set
        session = easy.run_walk(main, back.stage, 0, 0, back.light)
        if session.minutes <= limit.minutes and session.run_minutes <= limit.run_minutes:
            break
        main -= 1
    return back if main == back.total else replace(back, total=main)


WELCOME_BACK = "Welcome back"
BACK_TO_FULL = "Back to full load"
TRIAL_WAITS = "the mile time trial waits"


def note_week(draft: Draft, week: int, note: str) -> None:
    """Put a note on the week's first run day (inside the plan), after a welcome back there."""
    for i in draft.week_indices(week):
        if draft.sessions[i].is_run:
            set_note(draft, i, note)
            return


def set_note(draft: Draft, i: int, note: str) -> None:
    """Set day `i`'s note; a welcome back, back to full load or time-trial-waits note already
    there stays first, so the runner is always told why the week or the plan's end changed."""
    current = draft.notes[i]
    if current is not None and current != note and (
        current.startswith((WELCOME_BACK, BACK_TO_FULL)) or TRIAL_WAITS in current
    ):
        note = f"{current} {note}"
    draft.notes[i] = note


# --- missed sessions --------------------------------------------------------------------------


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
            set_note(draft, i, (
                "Skipped: no need to make it up — the plan carries on."
                if skipped else "Missed: no need to make it up — an easy session just drops."
            ))
            continue
        target = _slot_for(draft, i, indices, history, today)
        title = draft.sessions[i].title
        if target is not None and _same_work(draft.sessions[target], draft.sessions[i]):
            target = None  # the same session later on: nothing to move (beginners' run/walks)
            set_note(draft, i, (
                "Skipped: no need to make it up — the plan carries on."
                if skipped else "Missed: no need to make it up — the plan carries on."
            ))
            continue
        if target is None:
            set_note(draft, i, (
                f"Missed {title}: none of your training days left this week can take it "
                "without crowding hard days, so let it go — never double up."
            ))
            continue
        _move(draft, i, target, title)


def _same_work(a: Session, b: Session) -> bool:
    return (a.type, a.title, a.minutes) == (b.type, b.title, b.minutes)


def _move(draft: Draft, src: int, dst: int, title: str) -> None:
    level = draft.athlete.level
    src_day = WEEKDAY_NAMES[draft.date_of(src).weekday()]
    dst_day = WEEKDAY_NAMES[draft.date_of(dst).weekday()]
    replaced = draft.sessions[dst].title.lower()
    draft.sessions[dst], draft.roles[dst] = draft.sessions[src], draft.roles[src]
    draft.keys[dst], draft.keys[src] = True, False
    set_note(draft, dst, (
        f"Moved from {src_day} in place of your {replaced}: the week's key session is kept."
    ))
    draft.sessions[src] = easy.active_recovery(level, draft.weeks[src])
    draft.roles[src] = RECOVERY
    set_note(draft, src, f"Missed {title}: moved to {dst_day}, one of your training days.")


def _slot_for(draft: Draft, src: int, indices: range, history: History, today: date
              ) -> int | None:
    """The next of the runner's own training days that can take the key session: an easy run
    (not the long run, not a key, race or time trial) on a day not yet run or skipped, with no
    hard day either side, and nothing hard in the two days before a race."""
    busy_today = history.done.get(today, 0.0) > 0 or today in history.skipped
    earliest = today + timedelta(days=1) if busy_today else today
    session = draft.sessions[src]
    race_day = draft.athlete.race_date
    training_days = set(draft.athlete.training_days)

    def fits(j: int) -> bool:
        day = draft.date_of(j)
        if j == src or day < earliest or day in history.skipped:
            return False
        if day.weekday() not in training_days or draft.keys[j]:
            return False
        if draft.roles[j] not in SWAP_ROLES:  # easy runs only: not the long run, not a key
            return False
        if not draft.sessions[j].is_run or draft.sessions[j].is_hard:
            return False
        if race_day is not None and session.is_hard and (
            0 <= (race_day - day).days <= NO_HARD_BEFORE_RACE_DAYS
        ):
            return False
        return not any(
            n != src and session.is_hard and draft.is_hard(n) for n in (j - 1, j + 1)
        )

    return next((j for j in indices if fits(j)), None)


# --- sleep ----------------------------------------------------------------------------------


def protect_sleep(draft: Draft, history: History, today: date) -> None:
    """Poor sleep: the week's first affected quality session becomes easy, a later one in the
    same week is shortened (module docstring). Quality sessions before today are judged by the
    sleep as of their own morning (they count towards the week's one conversion); the next one
    from today on by the sleep as of today; later ones are left for later nights to decide."""
    i_today = draft.index_of(today)
    first = draft.week_indices(draft.weeks[i_today])[0] if i_today is not None else max(
        0, min(len(draft), (today - draft.start).days)
    )
    converted: dict[int, bool] = {}
    for j in range(first, len(draft)):
        session = draft.sessions[j]
        if not _quality(draft, j):
            continue
        day = draft.date_of(j)
        as_of = min(day, today)
        reason = sleep_reason(history, as_of)
        if day == today and history.done.get(today, 0.0) > 0:
            continue  # already run today: the next one is the one to judge
        week = draft.weeks[j]
        if reason is not None:
            if not converted.get(week):
                converted[week] = True
                _to_easy(draft, j, session, reason, day, today, history)
            else:
                _shorten(draft, j, session, reason, day, today)
        if day >= today:
            return


def _quality(draft: Draft, j: int) -> bool:
    session = draft.sessions[j]
    if not session.is_hard or draft.roles[j] in (RACE, TIME_TRIAL):
        return False
    return session.type not in ("race", "time_trial")


def _to_easy(draft: Draft, j: int, session: Session, reason: str, day: date, today: date,
             history: History) -> None:
    draft.sessions[j] = easy.easy(
        draft.athlete.level, session.run_minutes, session.strength_minutes, 0, draft.weeks[j]
    )
    draft.roles[j] = EASY
    draft.keys[j] = False
    pattern = sleep_pattern(history, min(day, today))
    set_note(draft, j, (
        f"{reason}: {_when(day, today)} {session.title.lower()} becomes an easy run of the same "
        f"length. {pattern}Recovery first — aim for 7–9 hours."
    ))


def _shorten(draft: Draft, j: int, session: Session, reason: str, day: date, today: date
             ) -> None:
    shorter = shortened(session)
    if shorter is None:
        set_note(draft, j, (
            f"{reason}, and this week's one easy swap is used: keep {_when(day, today)} "
            f"{session.title.lower()} but cut the main set by a third."
        ))
        return
    draft.sessions[j] = shorter
    set_note(draft, j, (
        f"{reason}, and this week's one easy swap is used: {_when(day, today)} session keeps its "
        "quality with a third fewer reps. Sleep is the fix — aim for 7–9 hours."
    ))


def shortened(session: Session) -> Session | None:
    """The session with about a third fewer reps (the first rep block), or None when it has no
    reps to drop (a single block of one)."""
    if not session.reps:
        return None
    rep = session.reps[0]
    count = max(1, math.ceil(rep.count * SHORTEN_TO))
    if count >= rep.count:
        count = rep.count - 1
    if count < 1:
        return None
    dropped = rep.count - count
    rep_min = _rep_minutes(rep) * dropped
    cut = min(session.run_minutes - 1, max(1, round(rep_min)))
    old, new = f"{rep.count} ×", f"{count} ×"

    def fix(text: str) -> str:
        return text.replace(old, new, 1)

    return replace(
        session,
        title=fix(session.title),
        description=fix(session.description),
        steps=tuple(fix(s) for s in session.steps),
        reps=(Rep(count, rep.seconds, rep.distance_m, rep.pace_s_per_km, rep.recovery_s),
              *session.reps[1:]),
        minutes=session.minutes - cut,
        run_minutes=session.run_minutes - cut,
        hard_minutes=max(0, session.hard_minutes - round(_work_minutes(rep) * dropped)),
    )


def _work_minutes(rep: Rep) -> float:
    if rep.seconds is not None:
        return rep.seconds / 60.0
    pace = rep.pace_s_per_km if rep.pace_s_per_km is not None else 300.0
    return minutes_at_pace(rep.distance_m or 0, pace)


def _rep_minutes(rep: Rep) -> float:
    return _work_minutes(rep) + rep.recovery_s / 60.0


def _when(day: date, today: date) -> str:
    return "today's" if day == today else f"{WEEKDAY_NAMES[day.weekday()]}'s"


def sleep_average(history: History, day: date) -> float | None:
    """The average of the nights logged in the 7 mornings up to `day`, when at least three are."""
    nights = [h for k in range(7) if (h := history.sleep.get(day - timedelta(days=k))) is not None]
    return fmean(nights) if len(nights) >= MIN_NIGHTS else None


def _poor_average(history: History, day: date) -> bool:
    average = sleep_average(history, day)
    return average is not None and average < LOW_AVERAGE_H


def sleep_reason(history: History, day: date) -> str | None:
    """Why sleep calls for backing off on `day` (as of its morning), or None."""
    last = history.sleep.get(day)
    if last is not None and last < SHORT_NIGHT_H:
        return f"You slept {last:g} h last night (under {SHORT_NIGHT_H:g})"
    average = sleep_average(history, day)
    if average is not None and average < LOW_AVERAGE_H:
        count = sum(1 for k in range(7) if day - timedelta(days=k) in history.sleep)
        return f"Your sleep averaged {average:.1f} h over the last {count} nights"
    return None


def sleep_pattern(history: History, day: date) -> str:
    """The pattern over the last two weeks, for the runner to see (empty when there is none)."""
    nights = [history.sleep[d] for k in range(14) if (d := day - timedelta(days=k))
              in history.sleep]
    short = sum(1 for h in nights if h < LOW_AVERAGE_H)
    if len(nights) < 5 or short * 2 < len(nights):
        return ""
    return (
        f"The pattern: {short} of your last {len(nights)} logged nights were under "
        f"{LOW_AVERAGE_H:g} h — one quality session a week turns easy, the rest are shortened, "
        "and your weekly load holds until your sleep does. "
    )
