"""The command menus Telegram shows next to the text field: one for private chats, one for groups.

Descriptions come from `/help` (`core.commands.help.COMMAND_HELP`), so the menu and the help
text never disagree.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, BotCommand, BotCommandScope
from telegram import BotCommandScopeAllGroupChats as GroupChats
from telegram import BotCommandScopeAllPrivateChats as PrivateChats

from bot.telegram.retry import Retrier
from core.commands.help import COMMAND_HELP
from core.delivery import DeliveryError

log = logging.getLogger(__name__)

# A runner's own training happens in private; a group is for the club and quick logging.
PRIVATE_COMMANDS = (
    "today", "done", "week", "skip", "sleep", "streak", "stats", "pr", "undo", "race", "pace",
    "settings", "start", "export", "deleteme", "help",
)
GROUP_COMMANDS = ("challenge", "done", "today", "streak", "stats", "skip", "pace", "help")


def menu(names: tuple[str, ...]) -> list[BotCommand]:
    """`BotCommand`s for `names`, in that order, described as in /help."""
    described = {name: what for name, what, _ in COMMAND_HELP}
    return [BotCommand(name, described[name]) for name in names if name in described]


MENUS: tuple[tuple[BotCommandScope, tuple[str, ...]], ...] = (
    (PrivateChats(), PRIVATE_COMMANDS),
    (GroupChats(), GROUP_COMMANDS),
)


async def publish_commands(bot: Bot, retrier: Retrier) -> bool:
    """Set both menus with `setMyCommands`; False (logged) if Telegram refused one."""
    ok = True
    for scope, names in MENUS:
        try:
            await retrier.run(_setter(bot, scope, menu(names)), "setMyCommands")
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
