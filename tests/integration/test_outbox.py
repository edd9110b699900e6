"""The outbox on both backends: written once, leased to one worker, finished with a reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from core.messages import Attachment, Choice, Reply
from core.schedule import outbox
from core.schedule.outbox import Failure
from core.storage.database import Database
from core.storage.models import Identity, OutboxMessage, RunLog, Runner
from core.storage.unit_of_work import UnitOfWorkFactory

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def row(key: str, *, kind: str = "session", chat_id: str = "c1", runner_id: int | None = None,
        due: datetime = NOW, expires: datetime = NOW + timedelta(hours=6),
        payload: dict[str, object] | None = None) -> dict[str, object]:
    return outbox.outbox_row(
        key=key, kind=kind, platform="telegram", chat_id=chat_id,
        payload=payload or {"text": key, "local_date": "2026-11-02"}, now=NOW, due_at=due,
        expires_at=expires, runner_id=runner_id,
    )


async def add_runner(uow: UnitOfWorkFactory, name: str = "Ann") -> int:
    async with uow() as u:
        runner = Runner(display_name=name, created_at=NOW, updated_at=NOW)
        runner.identities.append(Identity(platform="telegram", external_id=name, chat_id="c1",
                                          last_seen_at=NOW))
        u.session.add(runner)
        await u.session.flush()
        return runner.id


async def statuses(uow: UnitOfWorkFactory) -> dict[str, str]:
    async with uow(readonly=True) as u:
        rows = await u.session.execute(select(OutboxMessage.key, OutboxMessage.status))
        return dict(rows.all())


async def test_a_key_is_written_once(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    async with uow() as u:
        first = await outbox.enqueue(u, [row("session:1:2026-11-02"), row("nudge:1:2026-11-02",
                                                                          kind="nudge")])
    async with uow() as u:
        again = await outbox.enqueue(u, [row("session:1:2026-11-02"), row("recap:1:2026-11-02",
                                                                          kind="recap")])
    assert sorted(first) == [("nudge", "pending"), ("session", "pending")]
    assert again == [("recap", "pending")]
    assert len(await statuses(uow)) == 3


async def test_claims_are_leased_to_one_worker_until_the_lease_runs_out(
    database: Database,
) -> None:
    uow = UnitOfWorkFactory(database)
    async with uow() as u:
        await outbox.enqueue(u, [row(f"k{i}", due=NOW - timedelta(minutes=i)) for i in range(5)])
    async with uow() as u:
        mine = await outbox.claim(u, "telegram", "w1", NOW, limit=3, lease=LEASE)
    async with uow() as u:
        theirs = await outbox.claim(u, "telegram", "w2", NOW, limit=10, lease=LEASE)
    assert sorted(c.key for c in mine) == ["k2", "k3", "k4"]  # the longest due first
    assert sorted(c.key for c in theirs) == ["k0", "k1"]
    async with uow() as u:
        assert await outbox.claim(u, "telegram", "w2", NOW, limit=10, lease=LEASE) == []
        assert await outbox.claim(u, "discord", "w2", NOW, limit=10, lease=LEASE) == []
    later = NOW + LEASE + timedelta(seconds=1)  # w1 died: its lease ran out
    async with uow() as u:
        retaken = await outbox.claim(u, "telegram", "w2", later, limit=10, lease=LEASE)
    assert sorted(c.key for c in retaken) == ["k0", "k1", "k2", "k3", "k4"]


async def test_outcomes_are_recorded_only_under_the_claims_token(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    async with uow() as u:
        await outbox.enqueue(u, [row("a"), row("b"), row("c"), row("d")])
        claimed = {c.key: c for c in await outbox.claim(u, "telegram", "w1", NOW, limit=10,
                                                        lease=LEASE)}
    async with uow() as u:
        token = claimed["a"].token
        assert await outbox.mark_sent(u, [claimed["a"].id], token, NOW) == 1
        assert await outbox.mark_sent(u, [claimed["b"].id], "an-older-claim", NOW) == 0
        await outbox.mark_failed(u, [
            Failure(claimed["c"].id, "transient: 503", NOW + timedelta(seconds=30)),
            Failure(claimed["d"].id, "permanent: chat not found", None),
        ], token)
    async with uow(readonly=True) as u:
        rows = {r.key: r for r in await u.session.scalars(select(OutboxMessage))}
        got = {k: (r.status, r.attempts, r.last_error, r.claimed_until) for k, r in rows.items()}
        next_c = rows["c"].next_attempt_at
    assert got["a"] == ("sent", 1, None, None)
    assert got["b"][0] == "pending" and got["b"][3] is not None
    assert got["c"] == ("pending", 1, "transient: 503", None)
    assert next_c == NOW + timedelta(seconds=30)
    assert got["d"] == ("dead", 1, "permanent: chat not found", None)
    async with uow() as u:  # c is not ready before its retry time
        assert await outbox.claim(u, "telegram", "w1", NOW, limit=10, lease=LEASE) == []
        ready = await outbox.claim(u, "telegram", "w1", next_c, limit=10, lease=LEASE)
    assert [c.key for c in ready] == ["c"]


async def test_expired_rows_become_stale_and_are_counted(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    async with uow() as u:
        await outbox.enqueue(u, [
            row("old", due=NOW - timedelta(hours=8), expires=NOW - timedelta(hours=2)),
            row("fresh"),
        ])
    async with uow() as u:
        assert await outbox.expire_stale(u, "telegram", NOW) == 1
        assert [c.key for c in await outbox.claim(u, "telegram", "w", NOW, limit=9,
                                                  lease=LEASE)] == ["fresh"]
    assert await statuses(uow) == {"old": "stale", "fresh": "pending"}
    async with uow(readonly=True) as u:
        assert await outbox.status_counts(u) == {"stale": 1, "pending": 1}


async def test_a_nudge_for_a_day_logged_meanwhile_is_cancelled(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    rid = await add_runner(uow)
    async with uow() as u:
        await outbox.enqueue(u, [row("nudge:x", kind="nudge", runner_id=rid),
                                 row("session:x", runner_id=rid)])
        u.session.add(RunLog(runner_id=rid, local_date=date(2026, 11, 2), logged_at=NOW,
                             minutes=20))
    async with uow() as u:
        claimed = await outbox.claim(u, "telegram", "w", NOW, limit=9, lease=LEASE)
        kept = await outbox.cancel_obsolete(u, claimed)
    assert [c.key for c in kept] == ["session:x"]
    assert (await statuses(uow))["nudge:x"] == "cancelled"


async def test_a_blocked_chat_is_marked_unreachable_with_its_pending_rows(
    database: Database,
) -> None:
    uow = UnitOfWorkFactory(database)
    rid = await add_runner(uow)
    async with uow() as u:
        await outbox.enqueue(u, [row("s", runner_id=rid), row("r", kind="recap", runner_id=rid),
                                 row("other", chat_id="c2")])
        [claimed] = await outbox.claim(u, "telegram", "w", NOW, limit=1, lease=LEASE)
    async with uow() as u:
        await outbox.mark_unreachable(u, claimed, "Forbidden: bot was blocked by the user")
    async with uow(readonly=True) as u:
        reachable, reason = (await u.session.execute(
            select(Identity.reachable, Identity.unreachable_reason))).one()
    assert (reachable, reason) == (False, "Forbidden: bot was blocked by the user")
    assert await statuses(uow) == {"s": "dead", "r": "dead", "other": "pending"}


async def test_a_restarted_worker_takes_back_its_own_leases(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    async with uow() as u:
        await outbox.enqueue(u, [row("a"), row("b")])
        await outbox.claim(u, "telegram", "worker-0", NOW, limit=9, lease=LEASE)
    async with uow() as u:
        assert await outbox.release_worker_claims(u, "worker-0") == 2
        again = await outbox.claim(u, "telegram", "worker-0", NOW, limit=9, lease=LEASE)
    assert sorted(c.key for c in again) == ["a", "b"]


async def test_payload_round_trip_keeps_buttons_and_files() -> None:
    reply = Reply(
        "<b>Standings</b>",
        choices=((Choice("Done ✓", "/done"), Choice("Skip", "/skip")),),
        attachments=(Attachment("board.png", b"\x89PNG\x00\xff", "image/png"),),
        private=True,
    )
    payload = outbox.reply_to_payload(reply, local_date="2026-11-02", group=True)
    assert outbox.payload_to_reply(payload) == reply
    assert payload["group"] is True


async def test_purge_deletes_only_old_finished_rows(database: Database) -> None:
    uow = UnitOfWorkFactory(database)
    async with uow() as u:
        await outbox.enqueue(u, [row("done"), row("waiting")])
        [done] = [c for c in await outbox.claim(u, "telegram", "w", NOW, limit=9, lease=LEASE)
                  if c.key == "done"]
        await outbox.mark_sent(u, [done.id], done.token, NOW)
    async with uow() as u:
        assert await outbox.purge(u, NOW) == 0  # nothing older than the cut-off
        assert await outbox.purge(u, NOW + timedelta(days=1)) == 1
    assert await statuses(uow) == {"waiting": "pending"}
