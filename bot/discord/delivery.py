"""The Discord `Messenger`: how scheduled pushes from the outbox reach a runner or a channel.

A chat id is a Discord channel id: a runner's DM channel (stored when they use Pacer in DMs,
which onboarding requires) or a club's server channel. `send` posts there over REST; it
needs no gateway connection and no cache.

Errors become `DeliveryError` kinds for the outbox sender:
- 429: discord.py waits and retries by itself when the answer looks like Discord's; what it
  gives back (a wait longer than `max_ratelimit_timeout`, or a 429 without Discord's headers,
  e.g. from a proxy) → `retry_after`.
- 5xx (after discord.py's own retries), timeouts, connection errors, and a client closed by a
  fatal gateway close (the service then unregisters this messenger) → `transient`.
- 403 code 50007 "Cannot send messages to this user" (DMs closed) → a reply marked private
  is `blocked` (the sender then marks the identity unreachable until they write again). Every
  scheduled push to a runner is personal and arrives marked private
  (`core.schedule.audience`), so it never lands in a shared channel. Only a reply not marked
  private falls back to a club channel where the runner joined a challenge, mentioning them
  (see `core.push_fallback`); with no such channel it is `blocked` too.
- Any other 4xx → `permanent`.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import discord

from bot.discord.translate import MESSAGE_LIMIT, build_view, discord_files, render_reply
from core.delivery import DeliveryError
from core.messages import Platform, Reply
from core.push_fallback import club_fallback, note_private_chat_closed
from core.storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

DMS_CLOSED = 50007  # Discord error code: "Cannot send messages to this user"
DEFAULT_RETRY_AFTER = 5.0  # seconds, when a 429 does not say
_FAILURES = (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError)


def classify(err: Exception) -> DeliveryError:
    """The delivery kind of a discord.py (or network) error."""
    if isinstance(err, discord.RateLimited):  # one route's bucket: that channel's messages
        return DeliveryError("retry_after", str(err), retry_after=err.retry_after, scope="chat")
    if isinstance(err, discord.HTTPException):
        reason = f"{err.status} {err.code}: {err.text}".strip()
        if err.status == 429:
            return DeliveryError("retry_after", reason, retry_after=_retry_after(err),
                                 scope="global" if _is_global(err) else "chat")
        if err.status >= 500:
            return DeliveryError("transient", reason)
        if isinstance(err, discord.Forbidden) and err.code == DMS_CLOSED:
            return DeliveryError("blocked", reason)
        return DeliveryError("permanent", reason)
    if isinstance(err, aiohttp.ClientError | OSError | TimeoutError):
        return DeliveryError("transient", f"{type(err).__name__}: {err}")
    return DeliveryError("permanent", f"{type(err).__name__}: {err}")


def _is_global(err: discord.HTTPException) -> bool:
    """A 429 for every request of the bot (`X-RateLimit-Global`), not one channel's bucket."""
    response = getattr(err, "response", None)
    headers = response.headers if response is not None else {}
    return bool(headers.get("X-RateLimit-Global") == "true"
                or headers.get("X-RateLimit-Scope") == "global")


def _retry_after(err: discord.HTTPException) -> float:
    """The wait a 429 asks for: its Retry-After header, else a short default."""
    response = getattr(err, "response", None)
    header = response.headers.get("Retry-After") if response is not None else None
    try:
        return max(0.0, float(header)) if header is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER


class DiscordMessenger:
    """Sends pushes over discord.py's REST client; raises `DeliveryError`."""

    platform = Platform.DISCORD.value

    def __init__(self, client: discord.Client, uow: UnitOfWorkFactory) -> None:
        self.client = client
        self.uow = uow

    async def send(self, chat_id: str, reply: Reply) -> None:
        channel_id = _channel_id(chat_id)
        if self.client.is_closed():  # a fatal gateway close shut the HTTP session as well
            raise DeliveryError("transient", "the Discord client is closed")
        try:
            await self._post(channel_id, reply)
        except discord.Forbidden as err:
            if err.code != DMS_CLOSED:
                raise classify(err) from err
            await self._fall_back(chat_id, reply, classify(err))
        except _FAILURES as err:
            raise classify(err) from err
        except RuntimeError as err:  # "Session is closed": the client closed mid-send
            if not self.client.is_closed():
                raise
            raise DeliveryError("transient", "the Discord client is closed") from err

    async def _fall_back(self, chat_id: str, reply: Reply, closed: DeliveryError) -> None:
        """DMs are closed: post in the runner's club channel, mentioning them."""
        if reply.private:
            raise closed  # personal data never goes to a shared channel
        async with self.uow() as uow:
            target = await club_fallback(uow, self.platform, chat_id)
            if target is not None:
                await note_private_chat_closed(
                    uow, self.platform, target.external_id,
                    "Discord DMs closed: pushes go to the club channel",
                )
        if target is None:
            raise closed
        log.info("discord: DMs of %s closed; posting in club channel %s",
                 target.external_id, target.channel_id)
        try:
            await self._post(_channel_id(target.channel_id), reply, mention=target.external_id)
        except _FAILURES as err:
            raise classify(err) from err

    async def _post(self, channel_id: int, reply: Reply, *, mention: str | None = None) -> None:
        channel = self.client.get_partial_messageable(channel_id)
        allowed = discord.AllowedMentions.none()
        prefix = ""
        if mention is not None:
            prefix = f"<@{mention}> "
            allowed = discord.AllowedMentions(users=[discord.Object(int(mention))])
        messages = render_reply(reply, limit=MESSAGE_LIMIT - len(prefix))
        for index, message in enumerate(messages):
            content = message.content
            if index == 0 and prefix:
                content = prefix + (content or "")
            extras: dict[str, Any] = {}
            view = build_view(message)
            if view is not None:
                extras["view"] = view
            files = discord_files(message.attachments)
            if files:
                extras["files"] = files
            await channel.send(content, allowed_mentions=allowed, **extras)


def _channel_id(chat_id: str) -> int:
    try:
        return int(chat_id)
    except ValueError:
        raise DeliveryError("permanent", f"not a Discord channel id: {chat_id!r}") from None
