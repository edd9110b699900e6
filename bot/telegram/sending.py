"""Putting a core `Reply` into a Telegram chat through PTB, each call under the retry helper."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ParseMode

from bot.telegram.callback_data import CallbackCodec
from bot.telegram.ratelimit import OUTBOX_LIMITED
from bot.telegram.retry import Retrier
from bot.telegram.translate import Outgoing, render_reply
from core.delivery import DeliveryError
from core.markup import to_plain
from core.messages import Reply

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class ReplySender:
    """Sends replies to one bot's chats; failures come out as `DeliveryError`.

    `outbox_limited`: the caller already waited for the outbox's rate limiter (pushes), so the
    bot's own limiter lets these calls through (`ratelimit.OUTBOX_LIMITED`); only for a bot
    built with that limiter.
    """

    def __init__(
        self, bot: Bot, codec: CallbackCodec, retrier: Retrier, *, outbox_limited: bool = False
    ) -> None:
        self.bot = bot
        self.codec = codec
        self.retrier = retrier
        self.limit_args: dict[str, Any] = (
            {"rate_limit_args": OUTBOX_LIMITED} if outbox_limited else {}
        )

    async def send(
        self, chat_id: int | str, reply: Reply, *, reply_to: int | None = None
    ) -> list[Message]:
        """Send every message of `reply` in order; the first quotes message `reply_to`."""
        sent = []
        for index, part in enumerate(render_reply(reply, self.codec)):
            sent.append(await self._send(chat_id, part, reply_to if index == 0 else None))
        return sent

    async def _send(self, chat_id: int | str, part: Outgoing, reply_to: int | None) -> Message:
        try:
            return await self.retrier.run(lambda: self._call(chat_id, part, reply_to), "send")
        except DeliveryError as err:
            if err.kind != "permanent" or "can't parse entities" not in err.reason.lower():
                raise
        # Markup the core produced but Telegram refused: show the words rather than nothing.
        log.warning("telegram refused the HTML of a reply to %s; sending plain text", chat_id)
        return await self.retrier.run(
            lambda: self._call(chat_id, part, reply_to, html=False), "send plain"
        )

    async def _call(
        self, chat_id: int | str, part: Outgoing, reply_to: int | None, *, html: bool = True
    ) -> Message:
        text = part.text if html else to_plain(part.text)
        mode = ParseMode.HTML if html else None
        quote = (
            ReplyParameters(reply_to, allow_sending_without_reply=True)
            if reply_to is not None
            else None
        )
        file = part.attachment
        if file is None:
            return await self.bot.send_message(
                chat_id, text, parse_mode=mode, reply_markup=part.markup,
                reply_parameters=quote, link_preview_options=NO_PREVIEW, **self.limit_args,
            )
        if part.as_photo:
            return await self.bot.send_photo(
                chat_id, file.content, caption=text or None, parse_mode=mode,
                reply_markup=part.markup, reply_parameters=quote, filename=file.filename,
                **self.limit_args,
            )
        return await self.bot.send_document(
            chat_id, file.content, caption=text or None, parse_mode=mode,
            reply_markup=part.markup, reply_parameters=quote, filename=file.filename,
        )
