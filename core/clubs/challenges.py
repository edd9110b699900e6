"""Club challenges: create, join, leave, end, remove a run; standings; the scheduler's feeds.

Everything runs inside the caller's unit of work (add, flush and read; never commit). Every
board reads each member's stored figures (`core.clubs.totals`): distance, time and
sessions are kept exact as runs and memberships change; streak and adherence too for the
member's own changes, but may lag by up to an hour for members who did not log (days passing,
missed runs, plan changes), rebuilt hourly by the scheduler. Ranking and formatting come
from `core.clubs.ranking`, and replies from `core.clubs.replies`.

Who may do what is decided by the caller (`/challenge` checks `Request.is_admin`); these
functions only keep the data consistent: names unique among a club's active challenges, one
membership per runner and challenge, removals recorded with who, when and why.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from core.clubs.chats import ACTIVE, ENDED, channels_of
from core.clubs.figures import zone
from core.clubs.ranking import BoardSlice, Metric, Standing, rank
from core.clubs.replies import final_reply, weekly_reply
from core.clubs.totals import (
    forget_member,
    members_with_runs_between,
    refresh_members,
    stored_board,
    stored_entries,
)
from core.messages import Reply, esc
from core.schedule import outbox
from core.storage import challenges as stored
from core.storage.club_values import StoredChallenge, StoredClub, StoredMember
from core.storage.unit_of_work import UnitOfWork

MAX_ACTIVE_PER_CLUB = 10
MAX_NAME_LENGTH = 60
MAX_DAYS_AHEAD = 366
ANNOUNCEMENT_TTL = timedelta(days=1)

ChannelMessage = tuple[str, str, Reply]  # (platform, chat_id, reply)


class ChallengeError(ValueError):
    """A friendly refusal for the person who asked."""


@dataclass(frozen=True)
class NewChallenge:
    """A challenge as an admin described it; figures in the metric's stored unit."""

    name: str
    metric: Metric
    ends_on: date
    tz: str
    goal: float | None = None
    team_goal: float | None = None


def club_today(challenge: StoredChallenge, now: datetime) -> date:
    """The date on the club's calendar (the challenge's time zone)."""
    return now.astimezone(zone(challenge.tz)).date()


async def active_challenges(uow: UnitOfWork, club_id: int) -> list[StoredChallenge]:
    """The club's running challenges, oldest first (their numbers in `/challenge list`)."""
    return await stored.club_challenges(uow, club_id, ACTIVE)


async def member_counts(uow: UnitOfWork, challenge_ids: list[int]) -> dict[int, int]:
    """How many members each challenge has, in one query."""
    return await stored.member_counts(uow, challenge_ids)


def pick_challenge(challenges: list[StoredChallenge], text: str, verb: str) -> StoredChallenge:
    """The challenge `text` names — its number in the list, its name, or the start of its
    name — or the only one when `text` is empty. Raises ChallengeError with the choices."""
    wanted = text.strip().strip("\"'“”").strip()
    if not challenges:
        raise ChallengeError(
            "There is no challenge running here. An admin can start one: "
            "/challenge new October-Miles metric=distance until=2026-10-31"
        )
    if not wanted:
        if len(challenges) == 1:
            return challenges[0]
        raise ChallengeError(f"Which challenge? {_choices(challenges, verb)}")
    number = wanted.lstrip("#")
    if number.isdigit():
        index = int(number) - 1
        if 0 <= index < len(challenges):
            return challenges[index]
    folded = wanted.casefold()
    exact = [c for c in challenges if c.name.casefold() == folded]
    starts = [c for c in challenges if c.name.casefold().startswith(folded)]
    found = exact or starts
    if len(found) == 1:
        return found[0]
    raise ChallengeError(f"I can't tell which challenge you mean. {_choices(challenges, verb)}")


def _choices(challenges: list[StoredChallenge], verb: str) -> str:
    listed = " · ".join(f"{i}. {esc(c.name)}" for i, c in enumerate(challenges, 1))
    return f"{listed} — send /challenge {verb} 1 (the number or the name)."


async def create_challenge(
    uow: UnitOfWork, club: StoredClub, spec: NewChallenge, creator_id: int, today: date,
    now: datetime,
) -> StoredChallenge:
    """Start a challenge in `club`. Raises ChallengeError."""
    name = " ".join(spec.name.split())
    if not name:
        raise ChallengeError("The challenge needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise ChallengeError(f"Please keep the name under {MAX_NAME_LENGTH} characters.")
    if spec.ends_on <= today:
        raise ChallengeError("The end date (until=) must be after today.")
    if spec.ends_on > today + timedelta(days=MAX_DAYS_AHEAD):
        raise ChallengeError("A challenge can last at most a year: pick an earlier until= date.")
    if spec.team_goal is not None and not spec.metric.additive:
        raise ChallengeError("A team goal adds everyone's figures up, so it works with "
                             "distance, time or sessions.")
    running = await active_challenges(uow, club.id)
    if any(c.name.casefold() == name.casefold() for c in running):
        raise ChallengeError("A challenge with that name is already running here.")
    if len(running) >= MAX_ACTIVE_PER_CLUB:
        raise ChallengeError(f"{MAX_ACTIVE_PER_CLUB} challenges are already running here; "
                             "end one first with /challenge end NAME.")
    return await stored.add_challenge(
        uow, club_id=club.id, name=name, metric=spec.metric.value, goal=spec.goal,
        team_goal=spec.team_goal, starts_at=now, ends_on=spec.ends_on, tz=spec.tz,
        status=ACTIVE, created_by=creator_id,
    )


async def membership(uow: UnitOfWork, challenge_id: int, runner_id: int) -> StoredMember | None:
    """The runner's membership of the challenge, if any."""
    return await stored.membership(uow, challenge_id, runner_id)


async def join_challenge(
    uow: UnitOfWork, challenge: StoredChallenge, runner_id: int, platform: str, now: datetime
) -> bool:
    """Add the runner (their runs count from today, their local day, including those already
    logged for it). False if already in."""
    if await membership(uow, challenge.id, runner_id) is not None:
        return False
    await stored.add_member(uow, challenge.id, runner_id, now, platform)
    await refresh_members(uow, challenge, now, [runner_id])
    return True


async def leave_challenge(uow: UnitOfWork, challenge: StoredChallenge, runner_id: int) -> bool:
    """Remove the runner from the challenge (and so from its boards). False if not in it."""
    if not await stored.remove_member(uow, challenge.id, runner_id):
        return False
    await forget_member(uow, challenge.id, runner_id)
    return True


async def standings_for(uow: UnitOfWork, challenge: StoredChallenge, now: datetime
                        ) -> list[Standing]:
    """Every member, ranked, from the stored figures."""
    return rank(await stored_entries(uow, challenge, now))


async def board_for(
    uow: UnitOfWork, challenge: StoredChallenge, now: datetime, viewer_id: int | None = None
) -> BoardSlice:
    """What the challenge's board shows `viewer_id` (None: a channel post): only the rows
    shown are read from the stored figures."""
    return await stored_board(uow, challenge, now, viewer_id)


@dataclass(frozen=True)
class Ended:
    """A challenge as it ended (its last day perhaps moved to today), and its final board."""

    challenge: StoredChallenge
    final: BoardSlice


async def end_challenge(uow: UnitOfWork, challenge: StoredChallenge, now: datetime) -> Ended:
    """Close the challenge: the ended challenge and its final board.

    Ended before its last day, it ends today: later runs no longer count (members whose own
    calendar is ahead of the club's may have some).
    """
    last_day = min(challenge.ends_on, club_today(challenge, now))
    if last_day < challenge.ends_on:
        later = await members_with_runs_between(
            uow, challenge.id, last_day + timedelta(days=1), challenge.ends_on)
        challenge = replace(challenge, ends_on=last_day)
        await stored.set_last_day(uow, challenge.id, last_day)
        if later:
            await refresh_members(uow, challenge, now, later)
    final = await board_for(uow, challenge, now)
    await stored.set_status(uow, challenge.id, ENDED, now)
    return Ended(replace(challenge, status=ENDED, ended_at=now), final)


async def units_of_creators(uow: UnitOfWork, challenges: list[StoredChallenge]) -> dict[int, str]:
    """Distance units for channel posts, per challenge: those of the admin who started it."""
    creators = {c.created_by for c in challenges if c.created_by is not None}
    units = await stored.units_of(uow, creators)
    return {
        c.id: units.get(c.created_by, "km") if c.created_by is not None else "km"
        for c in challenges
    }


async def tell_linked_channels(
    uow: UnitOfWork, club_id: int, here: tuple[str, str], reply: Reply, now: datetime,
    *, kind: str, tag: str,
) -> int:
    """Queue `reply` for the club's other channels (a linked Telegram group or Discord
    channel): the scheduler's senders deliver it. `tag` makes the outbox key unique per
    event, so a retried command never posts twice. Returns how many were queued."""
    channels = (await channels_of(uow, [club_id]))[club_id]
    rows = [
        outbox.outbox_row(
            key=f"{kind}:{ch.platform}:{ch.chat_id}:{tag}", kind=kind, platform=ch.platform,
            chat_id=ch.chat_id, payload=outbox.reply_to_payload(reply, group=True), now=now,
            due_at=now, expires_at=now + ANNOUNCEMENT_TTL,
        )
        for ch in channels
        if (ch.platform, ch.chat_id) != here
    ]
    return len(await outbox.enqueue(uow, rows))


# --- the scheduler's feeds ------------------------------------------------------------------


async def weekly_standings(uow: UnitOfWork, now: datetime) -> list[ChannelMessage]:
    """This week's standings for every club channel with an active challenge (with members):
    one message per channel, all of the club's challenges in it."""
    running = await stored.challenges_with_status(uow, ACTIVE)
    counts = await member_counts(uow, [c.id for c in running])
    running = [c for c in running if counts[c.id]]
    units = await units_of_creators(uow, running)
    by_club: dict[int, list[tuple[StoredChallenge, BoardSlice]]] = defaultdict(list)
    for challenge in running:
        by_club[challenge.club_id].append((challenge, await board_for(uow, challenge, now)))
    channels = await channels_of(uow, list(by_club))
    messages: list[ChannelMessage] = []
    for club_id, boards in by_club.items():
        reply = weekly_reply(boards, units, now)
        messages += [(ch.platform, ch.chat_id, reply) for ch in channels[club_id]]
    return messages


async def finish_due_challenges(uow: UnitOfWork, now: datetime) -> list[ChannelMessage]:
    """End every active challenge whose last day is over in its time zone; their final
    results, for every channel of their club. Marks them ended in the same unit of work, so
    each result is returned once."""
    # No zone is more than a day ahead of UTC: a cheap filter before the exact check.
    candidates = await stored.ending_before(uow, ACTIVE, now.date() + timedelta(days=1))
    due = [c for c in candidates if club_today(c, now) > c.ends_on]
    if not due:
        return []
    units = await units_of_creators(uow, due)
    results = [await end_challenge(uow, c, now) for c in due]
    channels = await channels_of(uow, sorted({c.club_id for c in due}))
    return [
        (ch.platform, ch.chat_id, final_reply(end.challenge, end.final, units[end.challenge.id]))
        for end in results
        for ch in channels[end.challenge.club_id]
    ]
