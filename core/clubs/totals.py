"""Each member's figures per challenge, stored in `challenge_totals` and kept current, and
every challenge board reads from them.

Why: such a board of 5,000 members over a month would otherwise aggregate ~76,000 runs, with
the duplicate and join-day rules for each, every time someone looks (~250 ms). With the
totals, a board reads only what it shows (`stored_board`): the top rows through an index on
(challenge, figure), the viewer's place (how many have more), and sums over every member.

Exact, because a member's row is recomputed with the counting rules of
`core.clubs.figures.run_totals` (restricted to them) whenever one of its inputs changes:
- a run logged (`core.logbook.add_log`) or undone (`/undo`): `refresh_runner`, for every active
  challenge the runner is in (streak challenges right after, when the streak is cached);
- an admin removing a run (`core.clubs.moderation.remove_run`);
- joining (`core.clubs.challenges.join_challenge`: from the runs since the join day); leaving
  deletes the row (`forget_member`); a new challenge has no members, so no rows;
- a challenge ended before its last day (`core.clubs.challenges.end_challenge`): the members
  with runs after the new last day.
Deleting a runner or a challenge deletes their rows (the foreign keys cascade). Members
without a row — a challenge that was running before the table existed — are computed the first
time the board is read, so no counting rules live in the migration.

The runner's time zone decides their join day, so a change of zone (`/settings tz=`) calls
`refresh_runner` as well.

Streak and adherence (`core.clubs.figures.plan_figures`, stored only in the challenges
ranked by them) also depend on the plan and on the date, so they are computed as of
`figures_at` and may lag by up to an hour for members who did not log: a day that ended,
a planned run missed, a plan changed show within the hour. The member's own changes show at
once: the refreshes above recompute their row, and so does caching their streak after a log
or an undo (`core.logbook.save_streak` calls `refresh_runner` for the streak boards). Every
tick calls `refresh_due`, which rebuilds a few challenges whose figures are over an hour old;
a board read finding them older than that (no scheduler running) rebuilds them first.

Concurrency: a refresh first locks the members' runner rows (PostgreSQL; SQLite's write
transactions run one at a time). Every request already holds its sender's lock, so a change by
someone else — an admin's removal while the member logs a run — waits for the other
transaction, and the recomputation then sees its writes: no update is lost.

The queries live in `core.storage.challenge_totals`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime, timedelta

from core.clubs.chats import ACTIVE
from core.clubs.figures import (
    PLANNED,
    PlanFigures,
    RunTotals,
    plan_figures,
    run_totals,
    scope_of,
)
from core.clubs.ranking import TOP, BoardSlice, Entry, Metric, Standing, rank
from core.storage import challenge_totals as stored
from core.storage.challenge_totals import TotalRow
from core.storage.club_values import StoredChallenge
from core.storage.unit_of_work import UnitOfWork

_CHUNK = 500  # members per counting query when many rows are missing
FIGURES_MAX_AGE = timedelta(hours=1)  # streak and adherence are rebuilt once older than this
REFRESH_BUDGET = 5  # challenges rebuilt per `refresh_due` call (one tick)


# What a logged or removed run changes directly; streak figures follow the streak cache, which
# `core.logbook.save_streak` refreshes right after (so they are not computed twice).
RUN_METRICS: tuple[Metric, ...] = tuple(m for m in Metric if m is not Metric.STREAK)


async def runner_challenges(uow: UnitOfWork, runner_id: int) -> list[StoredChallenge]:
    """The active challenges the runner is a member of (pass the list to the refreshes of one
    request so they don't each look again)."""
    return await stored.runner_challenges(uow, runner_id, ACTIVE)


async def challenges_with_ids(uow: UnitOfWork, ids: Sequence[int]) -> list[StoredChallenge]:
    """The challenges with these ids, e.g. the active ones the logbook found the runner in
    (`Logbook.challenge_ids`); no statement when there are none."""
    return await stored.challenges_by_ids(uow, ids)


async def refresh_runner(uow: UnitOfWork, runner_id: int, now: datetime,
                         metrics: Collection[Metric] | None = None,
                         within: Sequence[StoredChallenge] | None = None) -> None:
    """Recompute the runner's figures in every active challenge they are in (after a run was
    logged or removed), or only in those ranked by one of `metrics`. `within`: the runner's
    active challenges when already loaded (`runner_challenges`)."""
    for challenge in challenges_to_refresh(
        await runner_challenges(uow, runner_id) if within is None else within, metrics
    ):
        await refresh_members(uow, challenge, now, [runner_id])


def challenges_to_refresh(
    challenges: Sequence[StoredChallenge], metrics: Collection[Metric] | None
) -> list[StoredChallenge]:
    """Those of `challenges` ranked by one of `metrics` (all of them for None)."""
    if metrics is None:
        return list(challenges)
    wanted = {m.value for m in metrics}
    return [c for c in challenges if c.metric in wanted]


async def refresh_members(
    uow: UnitOfWork, challenge: StoredChallenge, now: datetime, runner_ids: Collection[int]
) -> None:
    """Recompute and store these members' totals in `challenge` (after a change to their
    runs, their membership, or the challenge's dates)."""
    await lock_runners(uow, runner_ids)
    rows = await member_rows(uow, challenge, now, runner_ids)
    await stored.store(uow, rows, replace=True)


async def rebuild(uow: UnitOfWork, challenge: StoredChallenge, now: datetime) -> int:
    """Recompute every member's figures in `challenge` (seeding, repairs, the hourly refresh
    of streak and adherence). Returns how many rows were written. Long on SQLite (~0.5 s for
    5,000 members): its statements run on the driver's thread, off the event loop.
    Every member's runner row is locked first (a rebuild then loses no member's concurrent
    refresh: it waits for it, or the member's waits for the rebuild)."""
    await stored.lock_members(uow, challenge.id)
    rows = await member_rows(uow, challenge, now)
    await stored.store(uow, rows, replace=True)
    return len(rows)


async def refresh_due(uow: UnitOfWork, now: datetime, budget: int = REFRESH_BUDGET) -> int:
    """Rebuild the active streak and adherence challenges whose stored figures are more than
    an hour old (the stalest first, at most `budget` of them: the rest at the next call), so
    days passing show on their boards. Returns how many challenges were rebuilt."""
    due = await stored.stale_challenges(uow, ACTIVE, PLANNED, now - FIGURES_MAX_AGE, budget)
    for challenge in due:
        await rebuild(uow, challenge, now)
    return len(due)


async def member_rows(uow: UnitOfWork, challenge: StoredChallenge, now: datetime,
                      runner_ids: Collection[int] | None = None) -> list[TotalRow]:
    """The `challenge_totals` rows of every member (or of `runner_ids`) as of `now`: the one
    computation behind every refresh, rebuild and repair."""
    scope = scope_of(challenge, now)
    totals = await run_totals(uow, scope, runner_ids)
    if scope.metric not in PLANNED:
        return [_row(challenge.id, t, None, now) for t in totals]
    planned = {f.runner_id: f for f in await plan_figures(uow, scope, now, runner_ids)}
    return [_row(challenge.id, t, planned.get(t.runner_id, PlanFigures(t.runner_id)), now)
            for t in totals]


async def forget_member(uow: UnitOfWork, challenge_id: int, runner_id: int) -> None:
    """Delete the member's totals (they left the challenge)."""
    await stored.forget_member(uow, challenge_id, runner_id)


async def members_with_runs_between(
    uow: UnitOfWork, challenge_id: int, first: date, last: date
) -> list[int]:
    """Members of the challenge with a run on a local day `first`..`last`."""
    return await stored.members_with_runs_between(uow, challenge_id, first, last)


async def lock_runners(uow: UnitOfWork, runner_ids: Iterable[int]) -> None:
    """Hold these runners' rows until the transaction ends (PostgreSQL), in id order so two
    transactions never wait on each other; a no-op on SQLite, whose writers are serial."""
    await stored.lock_runners(uow, runner_ids)


async def stored_board(
    uow: UnitOfWork, challenge: StoredChallenge, now: datetime, viewer_id: int | None,
    top: int = TOP,
) -> BoardSlice:
    """The board from the stored totals, reading only what it shows: the top `top` rows by
    the figure, the viewer's place when below them, and sums over every member — a handful of
    index reads, however many members. Ranks, ties and their order are `core.clubs.ranking`'s
    (`rank` is applied to the rows read)."""
    metric = Metric(challenge.metric)
    sums = await stored.sums(uow, challenge.id, metric, challenge.goal)
    if sums.members != sums.rows or await _is_stale(uow, challenge, now):  # put right first
        await _repair(uow, challenge, now)
        sums = await stored.sums(uow, challenge.id, metric, challenge.goal)
    standings = rank(await _head(uow, challenge.id, metric, top))[:top]
    you = None
    if viewer_id is not None and all(s.entry.runner_id != viewer_id for s in standings):
        you = await _standing_of(uow, challenge.id, metric, viewer_id)
    return BoardSlice(tuple(standings), you, sums.members, team_total=sums.team_total,
                      goal_reached=sums.goal_reached,
                      leaders=sums.leaders if standings else 0)


async def stored_entries(uow: UnitOfWork, challenge: StoredChallenge, now: datetime
                         ) -> list[Entry]:
    """Every member's figure (unranked) from the stored totals."""
    metric = Metric(challenge.metric)
    sums = await stored.sums(uow, challenge.id, metric, challenge.goal)
    if sums.members != sums.rows or await _is_stale(uow, challenge, now):
        await _repair(uow, challenge, now)
    return await stored.entries(uow, challenge.id, metric)


# --- reading a board ------------------------------------------------------------------------


async def _head(uow: UnitOfWork, challenge_id: int, metric: Metric, top: int) -> list[Entry]:
    """The rows of the top `top` members, and of everyone tied with the last of them on
    figure and time (only their names can order those, and SQL does not compare names as
    Python does)."""
    head = await stored.top_entries(uow, challenge_id, metric, top + 1)
    if len(head) <= top or _key(head[top - 1]) != _key(head[top]):
        return head
    last = head[top - 1]
    tied = await stored.entries_tied_with(uow, challenge_id, metric, last)
    return [e for e in head if _key(e) != _key(last)] + tied


async def _standing_of(uow: UnitOfWork, challenge_id: int, metric: Metric,
                       runner_id: int) -> Standing | None:
    """One member's standing: 1 + how many have a higher figure; tied if another has theirs.
    Without a figure (adherence before a planned run is due), after all who have one."""
    entry = await stored.entry_of(uow, challenge_id, metric, runner_id)
    if entry is None:
        return None  # not a member
    above, same = await stored.counts_around(uow, challenge_id, metric, entry.value)
    return Standing(entry, 1 + above, same > 1)


def _key(entry: Entry) -> tuple[float | None, datetime | None]:
    return entry.value, entry.reached_at


# --- writing --------------------------------------------------------------------------------


async def _is_stale(uow: UnitOfWork, challenge: StoredChallenge, now: datetime) -> bool:
    """Whether some member's streak and adherence in the challenge are over an hour old (or
    were never computed)."""
    if Metric(challenge.metric) not in PLANNED:
        return False
    return await stored.is_stale(uow, challenge.id, now - FIGURES_MAX_AGE)


async def _repair(uow: UnitOfWork, challenge: StoredChallenge, now: datetime) -> None:
    """Compute the rows of members who have none (a challenge that was running before the
    table existed), drop rows of non-members, and rebuild streak and adherence figures over an
    hour old."""
    if await _is_stale(uow, challenge, now):
        await rebuild(uow, challenge, now)
    missing = await stored.members_without_row(uow, challenge.id)
    await _fill(uow, challenge, now, missing)
    await stored.drop_non_members(uow, challenge.id)


async def _fill(uow: UnitOfWork, challenge: StoredChallenge, now: datetime, missing: list[int]
                ) -> None:
    """Compute the rows nobody stored yet. A row a concurrent refresh stored meanwhile is
    kept: it was computed under the member's lock, this one perhaps from an older view."""
    for start in range(0, len(missing), _CHUNK):
        chunk = missing[start:start + _CHUNK]
        await stored.store(uow, await member_rows(uow, challenge, now, chunk), replace=False)


def _row(challenge_id: int, totals: RunTotals, planned: PlanFigures | None, now: datetime
         ) -> TotalRow:
    """A member's `challenge_totals` row. On streak and adherence boards ties order by name,
    not by when the figure was reached, so no time is stored there."""
    plan = planned or PlanFigures(totals.runner_id)
    return TotalRow(
        challenge_id=challenge_id, runner_id=totals.runner_id,
        distance_m=totals.distance_m, minutes=totals.minutes,
        sessions=totals.sessions, runs=totals.runs,
        last_counted_at=None if planned is not None else totals.last_counted_at,
        adherence_done=plan.done, adherence_due=plan.due,
        adherence=plan.adherence, streak=plan.streak,
        figures_at=now, updated_at=now,
    )
