"""The command menus Telegram shows next to the text field: one for private chats, one for groups.

Both come from the command table (`core.commands.table`), as /help does, so the menus and the
help text never disagree: the private menu lists every command, the group menu those the table
offers in groups.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, BotCommand, BotCommandScope
from telegram import BotCommandScopeAllGroupChats as GroupChats
from telegram import BotCommandScopeAllPrivateChats as PrivateChats

from bot.telegram.retry import Retrier
from core.commands.table import COMMANDS, CommandTable
from core.delivery import DeliveryError

log = logging.getLogger(__name__)

def menus(commands: CommandTable = COMMANDS) -> list[tuple[BotCommandScope, list[BotCommand]]]:
    """The private chats' menu and the groups', described as in /help: in a group the club's
    commands come first, then the runner's own (whose answers go to their private chat)."""
    private = [BotCommand(c.name, c.summary) for c in commands if c.in_private]
    offered = sorted((c for c in commands if c.in_groups), key=lambda c: c.personal)
    groups = [BotCommand(c.name, c.summary) for c in offered]
    return [(PrivateChats(), private), (GroupChats(), groups)]


async def publish_commands(bot: Bot, retrier: Retrier, commands: CommandTable = COMMANDS) -> bool:
    """Set both menus with `setMyCommands`; False (logged) if Telegram refused one."""
    ok = True
    for scope, menu in menus(commands):
        try:
            await retrier.run(_setter(bot, scope, menu), "setMyCommands")
        except DeliveryError as err:
            log.warning("telegram: could not set the %s command menu: %s", scope.type, err)
            ok = False
    return ok


def _setter(
    bot: Bot, scope: BotCommandScope, commands: list[BotCommand]
) -> Callable[[], Awaitable[bool]]:
    async def set_commands() -> bool:
        return await bot.set_my_commands(commands, scope=scope)

    return set_commands
