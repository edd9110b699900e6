"""PTB handlers: every message and button press goes through the core and back.

Per update: translate it (`translate`), ask Telegram whether a group sender is an admin
(`admins`), let `Pacer.handle` do the work in one transaction (it ignores a re-delivered
update), then send the replies with retries (`sending`); a group's replies are queued per group
(`group_replies`) so that its rate limit is waited out outside the update slots. Replies the
core marks `private` never land in a group: they go to the runner's private chat, with a short
note in the group. A runner who blocked the bot is marked unreachable. Nothing that goes wrong
here stops the bot: the runner gets a friendly message and the next update is handled as usual.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from telegram import CallbackQuery, Document, Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.telegram.admins import AdminCache
from bot.telegram.callback_data import CallbackCodec
from bot.telegram.group_replies import GroupReplyQueue
from bot.telegram.sending import ReplySender
from bot.telegram.translate import (
    request_from_callback,
    request_from_document,
    request_from_message,
)
from core.activity.unpack import MAX_FILE_BYTES
from core.app import Pacer
from core.chat_moves import follow_chat_move
from core.delivery import DeliveryError
from core.messages import Platform, Reply, Request, Upload, esc
from core.reachability import mark_unreachable
from core.text import SORRY

log = logging.getLogger(__name__)

EXPIRED_BUTTON = "That button has expired — please type the command instead."
DM_SENT = "{name}, I've sent that to you in a private chat."
DM_FIRST = (
    "{name}, I can't message you privately yet: open a chat with @{bot}, press Start, "
    "then try again here."
)
CONSUMED_MEMORY = 10_000  # private messages whose buttons were used, remembered per process

Observer = Callable[[Update], None]


class TelegramHandlers:
    """The bridge between PTB updates and `Pacer.handle`."""

    def __init__(
        self,
        pacer: Pacer,
        sender: ReplySender,
        admins: AdminCache,
        codec: CallbackCodec,
        *,
        on_handled: Observer | None = None,
        group_replies: GroupReplyQueue | None = None,
    ) -> None:
        self.pacer = pacer
        self.sender = sender
        self.admins = admins
        self.codec = codec
        self.on_handled = on_handled
        self.group_replies = group_replies  # None: group replies are sent in the handler
        self._consumed: OrderedDict[tuple[int, int], None] = OrderedDict()

    @property
    def bot_username(self) -> str:
        return self.sender.bot.username

    def register(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Add the message, button and error handlers to `app`."""
        app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, self.on_message))
        app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self.on_migrate))
        app.add_handler(MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.Document.ALL,
            self.on_document,
        ))
        app.add_handler(CallbackQueryHandler(self.on_callback))
        app.add_error_handler(self.on_error)

    # --- PTB callbacks -----------------------------------------------------------------------

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text message: a command, or an answer in a guided conversation."""
        queued = False
        try:
            request = request_from_message(update, self.bot_username)
            if request is not None:
                message = update.message
                quote = message.message_id if message and request.in_group else None
                queued = await self._serve(update, request, quote)
        except Exception:
            log.exception("telegram: update %s failed", update.update_id)
            await self._apologise(update)
        finally:
            if not queued:
                self._observe(update)

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup (new chat id): its club channel and pending pushes
        follow it. Telegram says so in both chats; the second notice changes nothing."""
        message = update.message
        try:
            if message is not None:
                if message.migrate_to_chat_id is not None:
                    old, new = message.chat_id, message.migrate_to_chat_id
                else:
                    old, new = message.migrate_from_chat_id or message.chat_id, message.chat_id
                async with self.pacer.uow() as uow:
                    moved = await follow_chat_move(uow, Platform.TELEGRAM.value, str(old),
                                                   str(new))
                if moved.club_channel or moved.pending_pushes:
                    log.info("telegram: group %s is now supergroup %s (club channel moved: %s, "
                             "%d pending pushes follow)", old, new, moved.club_channel,
                             moved.pending_pushes)
        except Exception:
            log.exception("telegram: migration update %s failed", update.update_id)
        finally:
            self._observe(update)

    async def on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A file in the private chat: an activity to log (downloaded with getFile, unless it
        is over the size limit — then the core only hears its size)."""
        try:
            message = update.message
            document = message.document if message is not None else None
            if document is not None:
                upload = await self._download(document)
                request = request_from_document(update, upload)
                if request is not None:
                    await self._serve(update, request, None)
        except Exception:
            log.exception("telegram: document update %s failed", update.update_id)
            await self._apologise(update)
        finally:
            self._observe(update)

    async def _download(self, document: Document) -> Upload:
        name = document.file_name or "activity"
        size = document.file_size or 0
        if size > MAX_FILE_BYTES:
            return Upload(name, size)
        file = await self.sender.retrier.run(document.get_file, "getFile")
        content = bytes(await self.sender.retrier.run(file.download_as_bytearray, "download"))
        return Upload(name, max(size, len(content)), content)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press: handled as if the runner typed the button's command line."""
        query = update.callback_query
        queued = False
        try:
            if query is not None:
                queued = await self._pressed(update, query)
        except Exception:
            log.exception("telegram: button update %s failed", update.update_id)
            await self._apologise(update)
        finally:
            if not queued:
                self._observe(update)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Last resort for errors outside the handlers above: log, apologise, carry on."""
        log.error("telegram: error while handling %s", update_ids(update), exc_info=context.error)
        if isinstance(update, Update):
            await self._apologise(update)

    # --- the work ----------------------------------------------------------------------------

    async def _pressed(self, update: Update, query: CallbackQuery) -> bool:
        """Handle a button press; True when its replies were queued (`_serve`)."""
        line = self.codec.decode(query.data or "")
        if line is None:
            await self._answer(query, EXPIRED_BUTTON)
            return False
        message = query.message if isinstance(query.message, Message) else None
        key = (message.chat_id, message.message_id) if message is not None else None
        if key is not None and key in self._consumed:
            await self._answer(query, "Already done.")
            return False  # a double tap on a keyboard that is on its way out
        await self._answer(query)
        request = request_from_callback(update, line, self.bot_username)
        if request is None:
            return False
        if key is not None and message is not None and not request.in_group:
            # In a private chat a keyboard is a question for one person: once answered, it
            # goes. Group keyboards (e.g. a challenge's Join) stay for the others.
            self._consume(key)
            await self._remove_keyboard(message)
        return await self._serve(update, request, None)

    async def _serve(self, update: Update, request: Request, quote: int | None) -> bool:
        """Handle `request` and deliver its replies. In a group, the delivery is queued
        (`group_replies`) rather than waiting here for the group's rate limit: True then, and
        the update counts as handled once the replies went out."""
        if request.in_group and request.command:
            is_admin = await self.admins.is_admin(int(request.chat_id), int(request.user_id))
            request = replace(request, is_admin=is_admin)
        replies = await self.pacer.handle(request)
        if not (request.in_group and replies and self.group_replies is not None):
            await self._deliver(request, replies, quote)
            return False

        async def deliver() -> None:
            try:
                await self._deliver(request, replies, quote)
            finally:
                self._observe(update)

        return self.group_replies.submit(int(request.chat_id), deliver)

    async def _deliver(self, request: Request, replies: list[Reply], quote: int | None) -> None:
        """Send the replies where they belong; private ones in a group go to the runner."""
        chat, user_chat = int(request.chat_id), int(request.user_id)
        dm_ok: bool | None = None  # None: nothing private had to leave the group
        for reply in replies:
            to_user = request.in_group and reply.private
            if to_user and dm_ok is False:
                continue
            target = user_chat if to_user else chat
            try:
                await self.sender.send(target, reply, reply_to=None if to_user else quote)
            except DeliveryError as err:
                await self._failed(request, target, err)
                if to_user:
                    dm_ok = False
                    continue
                if err.kind == "blocked":
                    return  # nobody is listening in this chat any more
            else:
                if to_user:
                    dm_ok = True
        if dm_ok is not None:
            template = DM_SENT if dm_ok else DM_FIRST
            note = template.format(name=esc(request.display_name or "Hi"), bot=self.bot_username)
            try:
                await self.sender.send(chat, Reply(note), reply_to=quote)
            except DeliveryError as err:
                await self._failed(request, chat, err)

    async def _failed(self, request: Request, target: int, err: DeliveryError) -> None:
        if err.kind == "blocked" and target == int(request.user_id):
            log.info("telegram: user %s blocked the bot (%s)", request.user_id, err.reason)
            async with self.pacer.uow() as uow:
                await mark_unreachable(uow, Platform.TELEGRAM.value, request.user_id, err.reason)
            return
        log.warning("telegram: reply to chat %s failed: %s", target, err)

    async def _apologise(self, update: Update) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        try:
            await self.sender.send(chat.id, Reply(SORRY))
        except (DeliveryError, TelegramError) as err:
            log.warning("telegram: could not apologise in chat %s: %s", chat.id, err)

    async def _answer(self, query: CallbackQuery, text: str | None = None) -> None:
        """Stop the button's spinner; a stale query (re-delivered, or too old) is fine."""
        try:
            await query.answer(text)
        except TelegramError as err:
            log.debug("telegram: answerCallbackQuery failed: %s", err)

    async def _remove_keyboard(self, message: Message) -> None:
        try:
            await self.sender.retrier.run(
                lambda: message.edit_reply_markup(reply_markup=None), "editMessageReplyMarkup"
            )
        except DeliveryError as err:  # too old to edit, deleted, already edited: harmless
            log.debug("telegram: could not remove a keyboard: %s", err)

    def _consume(self, key: tuple[int, int]) -> None:
        self._consumed[key] = None
        while len(self._consumed) > CONSUMED_MEMORY:
            self._consumed.popitem(last=False)

    def _observe(self, update: Update) -> None:
        if self.on_handled is not None:
            self.on_handled(update)


def update_ids(update: object) -> str:
    """Which update, chat and sender an error was about, never what anybody wrote."""
    if not isinstance(update, Update):
        return f"a {type(update).__name__}"
    chat = update.effective_chat
    user = update.effective_user
    return (
        f"update {update.update_id} (chat {chat.id if chat else '-'}, "
        f"user {user.id if user else '-'})"
    )
