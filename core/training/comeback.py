"""A trained runner's graded return after time off: the weeks, their load and their note.

The rule (Daniels' Running Formula, "Training breaks": after a break, return at reduced load
and rebuild over a period proportional to the break — after up to four weeks off, the first
half of the return at about 50 % of the former load and the second half at about 75 %; after
longer breaks start at about a third; easy running before quality), in whole weeks:

    weeks off (`adaptation.weeks_off_before`)   return weeks at these shares of the full load
    2 (14–20 days)                              50 %, 75 %
    3 (21–27 days)                              50 %, 50 %, 75 %  (the first easy running only)
    4 or more                                   33 %, 50 %, 50 %, 75 %  (the first easy only)

then the full load again: the step the runner had reached before the break (the load the plan
held while they were away; a lighter week there is run as the full week, the return weeks were
lighter already), and the ladder carries on from it. A return week counts only when it was run
(`adaptation.week_completed`); one that was not is repeated at the same load, so the load never
grows on weeks that were not run. Every run of a return week is at least 20 minutes (the
shortest easy run worth the shoes, `weeks.MIN_EASY_RUN`), never more than the full load.
A return week holds at most one quality session — the one the runner did at that weekly load
on the way up (the ladder's quality at the highest step within it), so reps and paces step
back with the volume — and none in the first week after three or more weeks off, nor in a week
too small to carry it beside 20-minute easy runs (Daniels: re-establish easy running before
quality; the guide: "the foundation of your running should still be easy", one or two faster
sessions a week "depending on how often you run"). The long run comes back with the week: the
10 % cap on its growth is for new load. The closing mile time trial waits until the runner is
back to full load (`adaptation.finale_waits`, from `Draft.returning`).

Paces come down too (Daniels' Running Formula, table "VDOT adjustments – time off", as
published by VDOT O2; `core.training.detraining`): from the first return week on, every
training pace — easy, threshold, interval, repetition, goal mile work — is that of the VDOT
before the break × FVDOT-1 for the days off (1.000 up to 5 days, then 0.003 less a day, 0.800
from 72 days; the no-cross-training column, as Pacer does not know about cross-training). It
stays so for the rest of the plan (the weekly VDOT steps of `weeks.vdot_gain` apply on top of
it), until a new result sets the mile time: a result logged from the break's first day on
(`Athlete.fitness_on`: `core.planning.replan` sets it to the day of the latest result,
`core.results`, while the mile time is still that result's) wins and its paces are used as they
are — Daniels: "once you resume racing, use race times". The first return week's note says
so; runners without a time (beginners, effort-based plans) are unaffected.

Where the guide applies: "start conservatively and gradually increase", and injuries come from
"doing too much too soon" — so the return starts low and rises one week at a time. The guide's
10 % rule governs new load; a return rebuilds load already carried, which comes back faster
(Daniels), so return weeks may rise by more than 10 % but never above the load carried before
the break. Beginners keep their own rule (`adaptation.step_after_layoff`: repeat the last finished
run/walk stage, never more running than before the break).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from core.text import plural
from core.training.adaptation import BACK_TO_FULL, WELCOME_BACK, layoff_before
from core.training.athlete import History
from core.training.detraining import days_off, fvdot1
from core.training.draft import Draft
from core.training.progression import Step
from core.training.weeks import MIN_EASY_RUN

LONG_BREAK_WEEKS = 3  # this many weeks off or more: the first return week is easy running only
RETURN_SHARES = {  # weeks off (4 = four or more) -> each return week's share of the full load
    2: (0.50, 0.75),
    3: (0.50, 0.50, 0.75),
    4: (1 / 3, 0.50, 0.50, 0.75),
}


@dataclass(frozen=True, slots=True)
class Comeback:
    """Week `week` of a return of `weeks` weeks after `off` weeks off; `again` when the week
    repeats the one before (it was not run)."""

    off: int
    week: int
    again: bool = False

    @property
    def shares(self) -> tuple[float, ...]:
        return RETURN_SHARES[min(self.off, max(RETURN_SHARES))]

    @property
    def weeks(self) -> int:
        return len(self.shares)

    @property
    def easy_only(self) -> bool:
        return self.week == 1 and self.off >= LONG_BREAK_WEEKS


def full_rung(ladder: Sequence[Step], step: int) -> Step:
    """The full load at `step`: its rung, or for a lighter week the full week before it."""
    step = min(step, len(ladder) - 1)
    full = next((s for s in range(step, -1, -1) if not ladder[s].light), step)
    return ladder[full]


def return_rung(comeback: Comeback, ladder: Sequence[Step], step: int, runs: int) -> Step:
    """The rung of a return week: its share of the full load at `step` (at least 20 minutes a
    run, never above the full load), with the quality the runner had at that load."""
    full = full_rung(ladder, step)
    share = comeback.shares[comeback.week - 1]
    total = min(full.total, max(round(share * full.total), MIN_EASY_RUN * runs))
    quality = max(
        (s.quality for s in ladder[: min(step, len(ladder) - 1) + 1]
         if not s.light and s.total <= total),
        default=0,
    )
    return Step(total, 0, quality=quality, hard_cap=0 if comeback.easy_only else 1)


class Comebacks:
    """A trained runner's returns from time off, followed week by week as the plan is laid out
    (`planner._lay_out_weeks` asks for each week's rung, then says whether the week was run)."""

    def __init__(self, draft: Draft, ladder: Sequence[Step], history: History | None,
                 today: date | None) -> None:
        self.draft, self.ladder, self.history, self.today = draft, ladder, history, today
        self.current: Comeback | None = None
        self.ended = False  # the week being laid out is the first one back at full load
        self.full = 0  # the full load of the return under way, in running minutes
        self.days_off = 0  # days without running before the return under way
        self.factor = 1.0  # its FVDOT-1 (1.0: paces unchanged)

    @property
    def returning(self) -> bool:
        """Whether the week being laid out is a return week or the first one back at full."""
        return self.current is not None or self.ended

    def rung(self, step: int, week: int, monday: date) -> Step:
        """The rung week `week` (starting `monday`) uses at ladder step `step`."""
        off = layoff_before(self.draft, step, week, monday, self.history, self.today)
        if off:
            self.current = Comeback(off, 1)
            self._slow_paces(monday - timedelta(weeks=off), monday)
        ladder, comeback = self.ladder, self.current
        if comeback is None:
            return full_rung(ladder, step) if self.ended else ladder[min(step, len(ladder) - 1)]
        self.draft.returning[week] = (comeback.week, comeback.weeks)
        self.full = full_rung(ladder, step).total
        return return_rung(comeback, ladder, step, len(self.draft.layout.run_days))

    def _slow_paces(self, first_off: date, back: date) -> None:
        """Daniels' FVDOT-1 for a return starting `back` after a break from `first_off` on,
        kept for the rest of the plan; none when a result from the break on set the mile time
        (module docstring)."""
        self.days_off, self.factor = 0, 1.0
        fitness_on = self.draft.athlete.fitness_on
        if self.history is None or not self.draft.paces.known or (
            fitness_on is not None and fitness_on >= first_off
        ):
            return
        self.days_off = days_off(self.history, first_off, back)
        self.factor = fvdot1(self.days_off)
        self.draft.pace_factor *= self.factor

    def note(self, planned: int, quality: bool) -> str | None:
        """What the runner is told about the week just laid out: `planned` minutes of running,
        with a `quality` session or not (None: nothing to say)."""
        if self.current is not None:
            share = 5 * round(20 * planned / max(1, self.full))
            note = self._note(self.current, share, quality)
            if self.current.week == 1 and not self.current.again and self.factor < 1:
                note += f" {paces_note(self.factor, self.days_off)}"
            return note
        if self.ended:
            return (
                f"{BACK_TO_FULL}: the return from time off is done. Well done — the plan builds "
                "from here."
            )
        return None

    def moves_on(self, earned: bool) -> bool:
        """After a week is laid out: whether the runner's step moves on (`earned`: the week
        was run, or is still ahead). Never during a return: the step the runner had reached
        waits for them; a return week not run is repeated."""
        comeback, self.ended = self.current, False
        if comeback is None:
            return earned
        if not earned:
            self.current = replace(comeback, again=True)
        elif comeback.week < comeback.weeks:
            self.current = Comeback(comeback.off, comeback.week + 1)
        else:
            self.current, self.ended = None, True
        return False

    @staticmethod
    def _note(comeback: Comeback, share: int, quality: bool) -> str:
        week, weeks = comeback.week, comeback.weeks
        head = f"{WELCOME_BACK} — week {week} of {weeks} building back"
        if comeback.again:
            return (
                f"{head}, again: last week's runs weren't all done, so the load stays at about "
                f"{share}% of your full load. Load grows on what was run."
            )
        easy = "" if quality else ", easy running only"
        if week == 1:
            why = "" if quality else "easy running before quality, "
            return (
                f"{head}. After {comeback.off} weeks with little running, this week is about "
                f"{share}% of your full load{easy}. It rises each week you run, and after "
                f"{plural(weeks, 'week')} you're back to full load (Daniels: {why}rebuild over "
                "about as long as the break)."
            )
        last = " Next week: full load again." if week == weeks else ""
        return f"{head}: about {share}% of your full load{easy}.{last}"


def paces_note(factor: float, days_off: int) -> str:
    """The first return week's word on paces: how much slower, and how they come back."""
    cut = round(100 * (1 - factor))
    little = " a little" if cut < 10 else ""
    weeks = days_off // 7
    after = plural(weeks, "week") if weeks else plural(days_off, "day")
    return (
        f"Paces are{little} easier for now (about {cut}% after {after} off); a time trial will "
        "set them again."
    )
