"""The database schema. Instants are stored in UTC; `*_date` columns hold the runner's local date.

A naming convention is set on the metadata so that Alembic migrations (batch mode on SQLite)
can name and alter every constraint.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BigInteger primary keys autoincrement on PostgreSQL; SQLite needs INTEGER for rowid aliasing.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime everywhere: SQLite hands back naive values, so UTC is re-attached."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        datetime: UTCDateTime,
    }


class Runner(Base):
    """A person training with Pacer, whatever platforms they use."""

    __tablename__ = "runners"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[str] = mapped_column(String(20), default="beginner")
    training_days: Mapped[str] = mapped_column(String(20), default="0,2,5")  # weekdays, 0=Mon
    mile_time_s: Mapped[float | None] = mapped_column(Float)
    goal_s: Mapped[float | None] = mapped_column(Float)
    race_date: Mapped[date | None] = mapped_column(Date)
    race_start: Mapped[str | None] = mapped_column(String(5))  # local HH:MM
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    units: Mapped[str] = mapped_column(String(2), default="km")
    reminder_time: Mapped[str] = mapped_column(String(5), default="07:00")  # local HH:MM
    quiet: Mapped[bool] = mapped_column(Boolean, default=False)
    nudges: Mapped[bool] = mapped_column(Boolean, default=True)
    onboarded: Mapped[bool] = mapped_column(Boolean, default=False)
    plan_start: Mapped[date | None] = mapped_column(Date)
    # A guided conversation in progress (onboarding, settings, a pending confirmation).
    conversation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    identities: Mapped[list[Identity]] = relationship(
        back_populates="runner", cascade="all, delete-orphan", passive_deletes=True
    )


class Identity(Base):
    """How a runner is reached on one platform."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    runner_id: Mapped[int] = mapped_column(
        ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str | None] = mapped_column(String(64))  # private chat / DM channel
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    unreachable_reason: Mapped[str | None] = mapped_column(String(200))
    last_seen_at: Mapped[datetime]

    runner: Mapped[Runner] = relationship(back_populates="identities")


class Plan(Base):
    """The inputs a runner's plan was generated from, and its horizon."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    runner_id: Mapped[int] = mapped_column(
        ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    athlete: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class PlannedSession(Base):
    """One calendar day of a runner's current plan (rest days included)."""

    __tablename__ = "planned_sessions"
    __table_args__ = (UniqueConstraint("runner_id", "date"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date)
    week: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)
    run_minutes: Mapped[int] = mapped_column(Integer)
    intensity: Mapped[str] = mapped_column(String(8))
    key: Mapped[bool] = mapped_column(Boolean, default=False)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)  # the full plan day, as in plan JSON


class RunLog(Base):
    """A run the runner logged."""

    __tablename__ = "run_logs"
    __table_args__ = (Index("ix_run_logs_runner_date", "runner_id", "local_date"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    logged_at: Mapped[datetime] = mapped_column(index=True)
    minutes: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    as_planned: Mapped[bool] = mapped_column(Boolean, default=False)
    intensity: Mapped[str] = mapped_column(String(8), default="easy")
    session_type: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(16), default="console")


class Skip(Base):
    """A planned session the runner chose to skip."""

    __tablename__ = "skips"
    __table_args__ = (UniqueConstraint("runner_id", "local_date"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class SleepLog(Base):
    """Hours slept in the night before `local_date` (one entry per morning)."""

    __tablename__ = "sleep_logs"
    __table_args__ = (UniqueConstraint("runner_id", "local_date"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    logged_at: Mapped[datetime]


class PersonalBest(Base):
    """A personal best the runner set over a standard distance (`core.results`): one row per
    best ever set, so the current best is the fastest row and the rows are its progression.
    Removing the log it came from (/undo) removes it, and the previous best is current again."""

    __tablename__ = "personal_bests"
    __table_args__ = (Index("ix_personal_bests_runner_distance", "runner_id", "distance"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"))
    distance: Mapped[str] = mapped_column(String(16))  # a key of core.results.DISTANCES: "mile"
    distance_m: Mapped[float] = mapped_column(Float)  # the standard distance in metres
    seconds: Mapped[float] = mapped_column(Float)
    local_date: Mapped[date] = mapped_column(Date)  # the runner's local day it was run
    kind: Mapped[str] = mapped_column(String(16))  # race, time_trial or best_effort
    source: Mapped[str] = mapped_column(String(32))  # console, telegram, gpx, import, ...
    run_log_id: Mapped[int | None] = mapped_column(
        ForeignKey("run_logs.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]


class ActivitySummary(Base):
    """What Pacer keeps of an activity file (GPX, FIT, TCX) or an imported activity row:
    the summary, the splits and the best efforts — never the GPS track or the file itself.
    `run_log_id` is the run it was logged as; a file that matched a hand-logged run waits with
    `run_log_id` empty and `matched_log_id` set until the runner says which to keep."""

    __tablename__ = "activity_summaries"
    __table_args__ = (UniqueConstraint("runner_id", "started_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"))
    run_log_id: Mapped[int | None] = mapped_column(
        ForeignKey("run_logs.id", ondelete="CASCADE"), index=True
    )
    matched_log_id: Mapped[int | None] = mapped_column(
        ForeignKey("run_logs.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime]
    local_date: Mapped[date] = mapped_column(Date)
    file_format: Mapped[str] = mapped_column(String(8))  # gpx, fit, tcx, strava
    distance_m: Mapped[float] = mapped_column(Float)
    elapsed_s: Mapped[float] = mapped_column(Float)
    moving_s: Mapped[float] = mapped_column(Float)
    elevation_gain_m: Mapped[float | None] = mapped_column(Float)
    avg_heart_rate: Mapped[int | None] = mapped_column(Integer)
    split_unit: Mapped[str] = mapped_column(String(2))  # km or mi
    splits: Mapped[list[Any]] = mapped_column(JSON)  # [[metres, seconds], ...]
    best_efforts: Mapped[list[Any]] = mapped_column(JSON)  # [{distance_m, seconds, start_m}]
    source: Mapped[str] = mapped_column(String(16))  # telegram, discord, console, import
    created_at: Mapped[datetime]


class FitnessChange(Base):
    """A result that changed the runner's mile time (`core.results`): what it was before, so
    taking the log back (/undo) restores it. Removed with the log."""

    __tablename__ = "fitness_changes"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    runner_id: Mapped[int] = mapped_column(
        ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    run_log_id: Mapped[int | None] = mapped_column(
        ForeignKey("run_logs.id", ondelete="CASCADE"), index=True
    )
    mile_before: Mapped[float | None] = mapped_column(Float)
    mile_after: Mapped[float] = mapped_column(Float)
    goal_before: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime]


class StreakState(Base):
    """Cached streak figures, recomputed from logs and the plan when they change."""

    __tablename__ = "streak_states"

    runner_id: Mapped[int] = mapped_column(
        ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    current: Mapped[int] = mapped_column(Integer, default=0)
    best: Mapped[int] = mapped_column(Integer, default=0)
    as_of: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime]  # when the figures last changed
    # The streak at the end of a settled day, so a log judges only the days since
    # (`core.logbook.Checkpoint`); None until the next log, undo, skip or /streak.
    checkpoint: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Club(Base):
    """A running club: one or more linked group chats / server channels."""

    __tablename__ = "clubs"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    link_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    link_code_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class ClubChannel(Base):
    """A Telegram group or Discord channel that belongs to a club."""

    __tablename__ = "club_channels"
    __table_args__ = (UniqueConstraint("platform", "chat_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    guild_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200), default="")
    # On a platform without admin roles (the console): the user who opened the channel.
    admin_id: Mapped[str | None] = mapped_column(String(64))


class Challenge(Base):
    """A club challenge with a metric and an end date (inclusive, club-local)."""

    __tablename__ = "challenges"
    __table_args__ = (Index("ix_challenges_club_status", "club_id", "status"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    metric: Mapped[str] = mapped_column(String(16))
    goal: Mapped[float | None] = mapped_column(Float)
    team_goal: Mapped[float | None] = mapped_column(Float)
    starts_at: Mapped[datetime]
    ends_on: Mapped[date] = mapped_column(Date)
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("runners.id", ondelete="SET NULL"))
    ended_at: Mapped[datetime | None]


class ChallengeMember(Base):
    """A runner's membership of a challenge; runs count from `joined_at`."""

    __tablename__ = "challenge_members"
    __table_args__ = (UniqueConstraint("challenge_id", "runner_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    runner_id: Mapped[int] = mapped_column(
        ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    joined_at: Mapped[datetime]
    platform: Mapped[str] = mapped_column(String(16), default="console")


class ChallengeTotal(Base):
    """A member's figures in a challenge, kept current (`core.clubs.totals`): every board
    reads these instead of aggregating run_logs and plans."""

    __tablename__ = "challenge_totals"
    __table_args__ = (  # a board reads its top rows, and counts above a figure, from these
        Index("ix_challenge_totals_distance", "challenge_id", "distance_m"),
        Index("ix_challenge_totals_minutes", "challenge_id", "minutes"),
        Index("ix_challenge_totals_sessions", "challenge_id", "sessions"),
        Index("ix_challenge_totals_streak", "challenge_id", "streak"),
        Index("ix_challenge_totals_adherence", "challenge_id", "adherence"),
        # the hourly refresh looks for challenges with figures older than an hour
        Index("ix_challenge_totals_figures_at", "challenge_id", "figures_at"),
    )

    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True
    )
    runner_id: Mapped[int] = mapped_column(
        ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    minutes: Mapped[float] = mapped_column(Float, default=0.0)
    sessions: Mapped[int] = mapped_column(Integer, default=0)  # local days with a counted run
    runs: Mapped[int] = mapped_column(Integer, default=0)  # counted runs, duplicates once
    # When the last run counting towards the challenge's metric was logged (ties: first there).
    last_counted_at: Mapped[datetime | None]
    # Streak and adherence: kept only in the challenges ranked by them (else 0 / NULL).
    adherence_done: Mapped[int] = mapped_column(Integer, default=0)  # planned run days done
    adherence_due: Mapped[int] = mapped_column(Integer, default=0)  # planned run days due
    adherence: Mapped[float | None] = mapped_column(Float)  # percent; NULL before one is due
    streak: Mapped[int] = mapped_column(Integer, default=0)  # days
    # The instant streak and adherence were computed for; NULL: not yet (stale).
    figures_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class ChallengeExclusion(Base):
    """A log an admin removed from a challenge: the record of who did it, when and why."""

    __tablename__ = "challenge_exclusions"
    __table_args__ = (UniqueConstraint("challenge_id", "run_log_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    run_log_id: Mapped[int] = mapped_column(ForeignKey("run_logs.id", ondelete="CASCADE"))
    removed_by: Mapped[int | None] = mapped_column(ForeignKey("runners.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    removed_at: Mapped[datetime]


class OutboxMessage(Base):
    """A scheduled message waiting to be sent, sent, or given up on.

    `key` is unique: (runner or channel, kind, local date) — the same push is written once.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_ready", "platform", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    runner_id: Mapped[int | None] = mapped_column(
        ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    due_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claim_token: Mapped[str | None] = mapped_column(String(32))  # fences outcomes to one claim
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class ProcessedUpdate(Base):
    """A platform update already handled: re-deliveries are recognised and ignored."""

    __tablename__ = "processed_updates"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(index=True)
