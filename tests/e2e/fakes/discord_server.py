"""A local fake Discord (REST + gateway) that the real discord.py 2.7.1 talks to in e2e tests.

One aiohttp server on 127.0.0.1 plays one application with one bot user in N guilds. It is the
facade over three parts: `discord_world.DiscordState` (what Discord knows), `discord_rest`
(REST under `/api/v10`) and `discord_gateway` (the `/gateway` websocket).

- Tests declare the world (`member`, `guild`) and read what the bot did (`channel_messages`,
  `dms`, `calls_to`, `wait_for_message`).
- Members act through `slash`, `autocomplete`, `click`, `submit_modal` and `send_dm`, which
  send real INTERACTION_CREATE / MESSAGE_CREATE dispatches; `FakeInteraction` then waits for
  what the bot answered.
- Faults: `rate_limit_next`, `fail_next`, `close_dms`, `drop_gateway`.

Waiting is event based (one `asyncio.Condition` notified on every change), never sleep polling;
waits take `timeout=` like discord.py's own `wait_for` (hence the ASYNC109 exemptions).
discord.py sleeps `1 + 2 * try` seconds before retrying a 5xx, so prefer 4xx faults in fast tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from aiohttp import web

from .discord_gateway import DiscordGateway
from .discord_objects import (
    API_PREFIX,
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    BUTTON,
    DIRECT_MESSAGES_INTENT,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    STRING_SELECT,
    Call,
    FakeFile,
    FakeGuild,
    FakeInteraction,
    FakeMember,
    Json,
    custom_ids,
    find_component,
    modal_answer,
)
from .discord_rest import DiscordRest
from .discord_world import DiscordState

T = TypeVar("T")


class FakeDiscord:
    """A local Discord for one application, one bot user and the guilds a test declares."""

    def __init__(
        self,
        token: str = "MTIz.fake.token",
        application_id: int = 900000000000000001,
        bot_user_id: int = 900000000000000001,
        *,
        bot_name: str = "Pacer",
        compress_gateway: bool = True,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.token = token
        self.application_id = application_id
        self.bot_user_id = bot_user_id
        self.bot_name = bot_name
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.errors: list[Exception] = []  # the fake's own failures; tests should keep it empty
        self._changed = asyncio.Condition()
        self.state = DiscordState(
            application_id, bot_user_id, bot_name, now=now, base_url=lambda: self.base_url
        )
        self.rest = DiscordRest(
            self.state,
            token,
            gateway_url=lambda: self.gateway_url,
            notify=self._notify,
            errors=self.errors,
        )
        self.gateway = DiscordGateway(
            self.state,
            token,
            url=lambda: self.gateway_url,
            notify=self._notify,
            errors=self.errors,
            compress=compress_gateway,
        )

    # ----- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free 127.0.0.1 port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/v{version:\\d+}/{tail:.*}", self.rest.handle)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self.rest.download)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Close every gateway connection, then the server."""
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ----- what tests read --------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every REST request the bot made, in order."""
        return self.rest.calls

    @property
    def commands(self) -> dict[int | None, list[Json]]:
        """Synced application commands by scope: a guild id, or None for global ones."""
        return self.state.commands

    @property
    def guilds(self) -> dict[int, FakeGuild]:
        return self.state.guilds

    @property
    def users(self) -> dict[int, FakeMember]:
        return self.state.users

    @property
    def identify_payloads(self) -> list[Json]:
        return self.gateway.identify_payloads

    @property
    def gateway_queries(self) -> list[dict[str, str]]:
        """The query string of each gateway connection."""
        return self.gateway.queries

    @property
    def resumes(self) -> int:
        return self.gateway.resumes

    # ----- the world ---------------------------------------------------------------------------

    def member(
        self, user_id: int, name: str, *, manage_guild: bool = False, locale: str = "en-US"
    ) -> FakeMember:
        """A user the fake knows (for DMs, GET /users/{id}); add them to guilds via `guild`."""
        return self.state.member(user_id, name, manage_guild=manage_guild, locale=locale)

    def guild(
        self,
        guild_id: int,
        name: str,
        owner_id: int,
        channels: list[tuple[int, str]],
        members: list[FakeMember],
    ) -> FakeGuild:
        """A guild the bot is in; sent in GUILD_CREATE (at once if a bot is connected)."""
        guild = self.state.guild(guild_id, name, owner_id, channels, members)
        if self.gateway.identified:
            self.gateway.dispatch_soon("GUILD_CREATE", self.state.guild_create(guild))
        return guild

    def close_dms(self, user_id: int) -> None:
        """The user blocks DMs: posting in their DM channel answers 403 code 50007."""
        self.state.closed_dms.add(user_id)

    def open_dms(self, user_id: int) -> None:
        self.state.closed_dms.discard(user_id)

    def dm_channel_id(self, user_id: int) -> int:
        """The DM channel between the bot and a user (created on first use, like Discord)."""
        return self.state.dm_channel_id(user_id)

    # ----- what the bot did --------------------------------------------------------------------

    def channel_messages(self, channel_id: int) -> list[Json]:
        """Messages the bot posted in a channel, oldest first.

        Interaction replies and follow-ups are included, ephemeral ones too (`flags & EPHEMERAL`).
        Each dict is the fake's live copy: later edits show up in it.
        """
        return self.state.channel_messages(channel_id)

    def dms(self, user_id: int) -> list[Json]:
        """Messages the bot posted in its DM channel with a user."""
        return self.state.dms(user_id)

    def attachment_data(self, attachment: Json) -> bytes:
        """The bytes behind an attachment object of a message the bot sent."""
        return self.state.attachment_data(attachment)

    def calls_to(self, method: str, path_regex: str) -> list[Call]:
        """Recorded calls whose method matches (or "*") and whose path matches the regex."""
        return self.rest.calls_to(method, path_regex)

    @property
    def identify(self) -> Json | None:
        """The last IDENTIFY payload (token, intents, properties...)."""
        return self.identify_payloads[-1] if self.identify_payloads else None

    async def wait_for_message(
        self,
        predicate: Callable[[Json], bool],
        *,
        channel_id: int | None = None,
        user_id: int | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> Json:
        """The first bot message (already posted or yet to come) matching; `user_id` = DMs."""

        def find() -> Json | None:
            return self.state.find_message(predicate, channel_id, user_id)

        return await self._wait_for(find, timeout, "a matching message")

    async def wait_ready(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """A client identified and was sent READY and every GUILD_CREATE."""
        try:
            await asyncio.wait_for(self.gateway.ready.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(f"no client identified within {timeout}s") from None

    async def wait_resumed(self, count: int = 1, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """At least `count` RESUMEs were answered with RESUMED."""
        resumed = self.gateway
        await self._wait_for(lambda: True if resumed.resumes >= count else None, timeout, "RESUME")


    # ----- faults ------------------------------------------------------------------------------

    def rate_limit_next(
        self,
        method: str,
        path_regex: str,
        *,
        retry_after: float = 0.2,
        times: int = 1,
        global_: bool = False,
    ) -> None:
        """The next `times` matching requests get a Discord 429 (discord.py waits and retries)."""
        self.rest.rate_limit(
            method, path_regex, retry_after=retry_after, times=times, global_=global_
        )

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        code: int = 0,
        message: str | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` matching requests fail, e.g. 403 code 50013 "Missing Permissions"."""
        self.rest.fail(method, path_regex, status, code=code, message=message, times=times)

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close the bot's websocket; discord.py reconnects and RESUMEs (codes 4000-4003...)."""
        await self.gateway.drop(code)

    # ----- what members do ---------------------------------------------------------------------

    async def send_dm(
        self, member: FakeMember, content: str = "", files: Sequence[FakeFile] = ()
    ) -> Json:
        """`member` writes to the bot in their DM channel, with files; the bot hears it as
        MESSAGE_CREATE when it identified with the DIRECT_MESSAGES intent (as on Discord).
        The message is not in `dms()` (that lists what the bot posted)."""
        message = self.state.incoming_dm(member, content, list(files))
        if self.state.intents & DIRECT_MESSAGES_INTENT:
            await self.gateway.dispatch("MESSAGE_CREATE", message)
        return message

    async def slash(
        self,
        member: FakeMember,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        subcommand: str | None = None,
    ) -> FakeInteraction:
        """The member runs a synced slash command (`"club new"` or `subcommand=`); no guild = DM.

        Option values follow the synced schema: str, int, bool, float, a FakeMember or user id
        for users, a channel id, a role id, or a FakeFile for attachments.
        """
        path = name.split() + (subcommand.split() if subcommand else [])
        _command, data = self.state.command_data(member, path, options or {}, guild_id, None)
        return await self._interact(
            member, APPLICATION_COMMAND, data, guild_id, channel_id, name=" ".join(path)
        )

    async def autocomplete(
        self,
        member: FakeMember,
        name: str,
        focused_option: str,
        value: str,
        *,
        options: Mapping[str, Any] | None = None,
        guild_id: int | None = None,
        channel_id: int | None = None,
        subcommand: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[Json]:
        """The member types `value` into an autocomplete option; the choices the bot offered."""
        path = name.split() + (subcommand.split() if subcommand else [])
        focused = (focused_option, value)
        _command, data = self.state.command_data(member, path, options or {}, guild_id, focused)
        interaction = await self._interact(
            member, AUTOCOMPLETE, data, guild_id, channel_id, name=" ".join(path)
        )
        response = await interaction.response(timeout)
        return list(response.get("data", {}).get("choices", []))

    async def click(
        self,
        member: FakeMember,
        message: Json,
        custom_id: str,
        *,
        values: list[Any] | None = None,
    ) -> FakeInteraction:
        """The member presses a button (or picks `values` in a select) on a bot message."""
        stored = self.state.messages.get(int(message["id"]))
        if stored is None:
            raise ValueError(f"message {message['id']} was not sent by the bot through the fake")
        component = find_component(stored.get("components", []), custom_id)
        if component is None:
            known = sorted(custom_ids(stored.get("components", [])))
            raise ValueError(f"no component {custom_id!r} on the message; it has {known}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled; it cannot be clicked")
        channel_id = int(stored["channel_id"])
        guild_id = self.state.guild_of_channel(channel_id)
        data: Json = {"custom_id": custom_id, "component_type": component["type"]}
        if component["type"] == STRING_SELECT:
            data["values"] = [str(v) for v in values or []]
        elif component["type"] != BUTTON:  # user/role/channel selects: Pacer sends none
            raise ValueError(f"component {custom_id!r} has type {component['type']}, not modelled")
        return await self._interact(
            member,
            MESSAGE_COMPONENT,
            data,
            guild_id,
            channel_id,
            name=custom_id,
            message=stored,
        )

    async def submit_modal(
        self,
        member: FakeMember,
        custom_id: str,
        values: Mapping[str, str],
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
    ) -> FakeInteraction:
        """The member fills in and submits a modal the bot opened (callback type 9)."""
        opener = self.state.modals.get(custom_id)
        if opener is None:
            raise ValueError(
                f"the bot never opened a modal {custom_id!r}; open: {list(self.state.modals)}"
            )
        modal = opener.callback["data"] if opener.callback else {}
        components = modal_answer(modal.get("components", []), values)
        unknown = set(values) - custom_ids(modal.get("components", []))
        if unknown:
            raise ValueError(f"modal {custom_id!r} has no inputs {sorted(unknown)}")
        data = {"custom_id": custom_id, "components": components}
        in_guild = guild_id if guild_id is not None else opener.guild_id
        channel = channel_id if channel_id is not None else opener.channel_id
        message = opener.original if opener.type == MESSAGE_COMPONENT else None
        return await self._interact(
            member, MODAL_SUBMIT, data, in_guild, channel, name=custom_id, message=message
        )


    # ----- plumbing ----------------------------------------------------------------------------

    async def _interact(
        self,
        member: FakeMember,
        kind: int,
        data: Json,
        guild_id: int | None,
        channel_id: int | None,
        *,
        name: str,
        message: Json | None = None,
    ) -> FakeInteraction:
        interaction = self.state.new_interaction(
            self._wait_for, member, kind, data, guild_id, channel_id, name=name, message=message
        )
        await self.gateway.dispatch("INTERACTION_CREATE", interaction.payload)
        return interaction

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _wait_for(self, probe: Callable[[], T | None], timeout: float, what: str) -> T:  # noqa: ASYNC109
        async with self._changed:
            try:
                async with asyncio.timeout(timeout):
                    while (found := probe()) is None:
                        await self._changed.wait()
            except TimeoutError:
                recent = ", ".join(f"{c.method} {c.path} -> {c.status}" for c in self.calls[-8:])
                raise TimeoutError(
                    f"no {what} within {timeout}s; last REST calls: {recent or 'none'}"
                ) from None
        return found
