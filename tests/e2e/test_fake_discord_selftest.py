"""The fake Discord against the real discord.py 2.7.1, with no network beyond 127.0.0.1.

A real `discord.Client` with a `CommandTree` (slash commands, a group, autocomplete, defer +
follow-up, an ephemeral reply with a button, a select menu, a modal, a file, DMs) logs in and
connects to the fake; the faults (429s retried, DMs closed, 403, a dropped gateway) behave as
discord.py expects from Discord.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass

import discord
import pytest
from discord import app_commands
from discord.http import Route

from tests.e2e.fakes.discord_connect import discord_endpoints_restored
from tests.e2e.fakes.discord_fixtures import (
    FAST_GUILD_READY_TIMEOUT,
    GUILD_ID,
    RUNNER_ID,
    DiscordWorld,
    populate,
    running_client,
)
from tests.e2e.fakes.discord_fixtures import discord_world as discord_world
from tests.e2e.fakes.discord_fixtures import fake_discord as fake_discord
from tests.e2e.fakes.discord_objects import EPHEMERAL, FakeFile
from tests.e2e.fakes.discord_server import FakeDiscord

pytestmark = pytest.mark.slow

CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
CALLBACK = r"^/interactions/\d+/[^/]+/callback$"


class Reveal(discord.ui.View):
    """An ephemeral reply's button; pressing it edits the message in place."""

    @discord.ui.button(label="Reveal", custom_id="reveal")
    async def reveal(
        self, interaction: discord.Interaction, _button: discord.ui.Button[Reveal]
    ) -> None:
        await interaction.response.edit_message(content="revealed: 6:12 mile", view=None)


class Distance(discord.ui.View):
    """A select menu; picking edits nothing but answers with a new ephemeral message."""

    @discord.ui.select(
        custom_id="distance",
        options=[discord.SelectOption(label=f"{km} km", value=str(km)) for km in (1, 3, 5)],
    )
    async def pick(
        self, interaction: discord.Interaction, select: discord.ui.Select[Distance]
    ) -> None:
        await interaction.response.send_message(f"logged {select.values[0]} km", ephemeral=True)


class Feedback(discord.ui.Modal, title="Feedback"):
    note: discord.ui.TextInput[Feedback] = discord.ui.TextInput(label="Note", custom_id="note")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.note.value}", ephemeral=True)


def build_client() -> tuple[discord.Client, app_commands.CommandTree[discord.Client]]:
    """A small bot exercising every interaction shape the Pacer adapter uses."""
    client = discord.Client(
        intents=discord.Intents.default(), guild_ready_timeout=FAST_GUILD_READY_TIMEOUT
    )
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)

    @tree.command(description="Answer with the text")
    @app_commands.describe(text="What to echo")
    async def ping(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(f"pong: {text}")

    @ping.autocomplete("text")
    async def ping_text(
        _interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        words = ("easy", "earnest", "tempo")
        return [
            app_commands.Choice(name=w.title(), value=w) for w in words if w.startswith(current)
        ]

    club = app_commands.Group(name="club", description="Club challenges")

    @club.command(name="new", description="Start a challenge")
    async def club_new(
        interaction: discord.Interaction, name: str, days: app_commands.Range[int, 1, 90] = 30
    ) -> None:
        await interaction.response.send_message(f"challenge {name} for {days} days")

    @club.command(name="join", description="Join the challenge")
    async def club_join(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"{interaction.user.display_name} joined")

    tree.add_command(club)

    @tree.command(description="Think, then answer")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("done slowly")

    @tree.command(description="A secret with a button")
    async def secret(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("press to reveal", view=Reveal(), ephemeral=True)

    @tree.command(description="Log a run from a menu")
    async def log(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("how far?", view=Distance())

    @tree.command(description="Build the plan privately")
    async def plan(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        await interaction.edit_original_response(content="week 1: 3 easy runs")

    @tree.command(description="Your plan as a calendar file")
    async def export(interaction: discord.Interaction) -> None:
        upload = discord.File(io.BytesIO(CALENDAR), filename="plan.ics")
        await interaction.response.send_message("your plan", file=upload)

    @tree.command(description="Tell us something")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback(custom_id="feedback"))

    @tree.command(description="Who and where am I")
    async def whoami(interaction: discord.Interaction) -> None:
        where = interaction.guild.name if interaction.guild else "DMs"
        admin = interaction.permissions.manage_guild
        await interaction.response.send_message(
            f"{interaction.user.display_name} in {where}, admin={admin}"
        )

    @tree.command(description="Close the challenge (admins)")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def close(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("closed")

    @tree.command(description="Rank the club", guild=discord.Object(GUILD_ID))
    @app_commands.choices(
        metric=[
            app_commands.Choice(name="Distance", value="distance"),
            app_commands.Choice(name="Sessions", value="sessions"),
        ]
    )
    async def board(interaction: discord.Interaction, metric: app_commands.Choice[str]) -> None:
        await interaction.response.send_message(f"board by {metric.value}")

    return client, tree


@dataclass
class Bot:
    client: discord.Client
    tree: app_commands.CommandTree[discord.Client]
    world: DiscordWorld

    @property
    def fake(self) -> FakeDiscord:
        return self.world.fake


@pytest.fixture
async def bot(discord_world: DiscordWorld) -> AsyncIterator[Bot]:
    """The client, connected to the fake, with its global and guild commands synced."""
    client, tree = build_client()
    async with running_client(client, discord_world.fake):
        await tree.sync()
        await tree.sync(guild=discord.Object(GUILD_ID))
        yield Bot(client, tree, discord_world)


async def test_client_identifies_over_zlib_stream_and_caches_the_guild(bot: Bot) -> None:
    fake, world = bot.fake, bot.world
    assert fake.gateway_queries[0] == {"v": "10", "encoding": "json", "compress": "zlib-stream"}
    assert fake.identify is not None
    assert fake.identify["intents"] == discord.Intents.default().value
    assert bot.client.user is not None and bot.client.user.id == fake.bot_user_id
    assert bot.client.application_id == fake.application_id
    guild = bot.client.get_guild(GUILD_ID)
    assert guild is not None and guild.name == "Mile Club"
    assert [c.name for c in guild.text_channels] == ["general", "runs"]
    assert guild.member_count == 4  # without the members intent, only the bot is cached
    assert guild.get_member(world.admin.id) is None and guild.me is not None
    admin, runner = await guild.fetch_member(world.admin.id), await guild.fetch_member(RUNNER_ID)
    assert admin.guild_permissions.manage_guild
    assert not runner.guild_permissions.manage_guild
    paths = [c.path for c in fake.calls[:3]]
    assert paths == ["/users/@me", "/oauth2/applications/@me", "/gateway/bot"]


async def test_uncompressed_gateway_frames_are_accepted() -> None:
    with discord_endpoints_restored():
        async with FakeDiscord(compress_gateway=False) as fake:
            populate(fake)
            client, _tree = build_client()
            async with running_client(client, fake):
                assert client.get_guild(GUILD_ID) is not None
    assert fake.gateway_queries[0]["compress"] == "zlib-stream"  # asked for, not granted


async def test_sync_records_global_and_guild_commands_with_options(bot: Bot) -> None:
    fake = bot.fake
    global_commands = {c["name"]: c for c in fake.commands[None]}
    assert set(global_commands) == {
        "ping",
        "club",
        "slow",
        "secret",
        "export",
        "feedback",
        "whoami",
        "close",
        "log",
        "plan",
    }
    ping_text = global_commands["ping"]["options"][0]
    assert ping_text["name"] == "text" and ping_text["type"] == 3
    assert ping_text["required"] and ping_text["autocomplete"]
    subcommands = global_commands["club"]["options"]
    assert [(o["name"], o["type"]) for o in subcommands] == [("new", 1), ("join", 1)]
    days = subcommands[0]["options"][1]
    assert (days["type"], days["min_value"], days["max_value"]) == (4, 1, 90)
    assert global_commands["close"]["default_member_permissions"] == "32"  # Manage Server
    (board,) = fake.commands[GUILD_ID]
    assert board["guild_id"] == str(GUILD_ID)
    assert [c["value"] for c in board["options"][0]["choices"]] == ["distance", "sessions"]
    first_ids = {name: c["id"] for name, c in global_commands.items()}
    await bot.tree.sync()  # a re-sync keeps Discord's ids for unchanged names
    assert {c["name"]: c["id"] for c in fake.commands[None]} == first_ids
    puts = fake.calls_to("PUT", r"/applications/\d+/(guilds/\d+/)?commands$")
    assert [c.status for c in puts] == [200, 200, 200]


async def test_slash_command_reply_is_posted_in_the_channel(bot: Bot) -> None:
    world = bot.world
    interaction = await bot.fake.slash(world.runner, "ping", {"text": "hello"}, guild_id=GUILD_ID)
    assert await interaction.final_text() == "pong: hello"
    response = await interaction.response()
    assert response["type"] == 4 and not response["data"].get("flags", 0) & EPHEMERAL
    (posted,) = bot.fake.channel_messages(world.general_id)
    assert posted["content"] == "pong: hello"
    assert posted["interaction_metadata"]["user"]["id"] == str(world.runner.id)


async def test_command_group_subcommands_get_typed_options(bot: Bot) -> None:
    fake, world = bot.fake, bot.world
    created = await fake.slash(
        world.admin, "club new", {"name": "Milers", "days": 14}, guild_id=GUILD_ID
    )
    assert await created.final_text() == "challenge Milers for 14 days"
    joined = await fake.slash(world.runner, "club", subcommand="join", guild_id=GUILD_ID)
    assert await joined.final_text() == "Rui Runner joined"
    with pytest.raises(ValueError, match="wants an int"):
        await fake.slash(world.admin, "club new", {"name": "x", "days": "14"}, guild_id=GUILD_ID)


async def test_guild_command_choice_reaches_the_handler(bot: Bot) -> None:
    world = bot.world
    interaction = await bot.fake.slash(
        world.runner, "board", {"metric": "sessions"}, guild_id=GUILD_ID, channel_id=world.runs_id
    )
    assert await interaction.final_text() == "board by sessions"
    assert bot.fake.channel_messages(world.runs_id)[0]["content"] == "board by sessions"


async def test_defer_then_followup_replaces_the_thinking_message(bot: Bot) -> None:
    interaction = await bot.fake.slash(bot.world.runner, "slow", guild_id=GUILD_ID)
    assert (await interaction.response())["type"] == 5
    (followup,) = await interaction.followups(1)
    assert followup["content"] == "done slowly"
    assert await interaction.final_text() == "done slowly"
    assert len(bot.fake.channel_messages(bot.world.general_id)) == 1


async def test_ephemeral_reply_button_click_edits_the_message(bot: Bot) -> None:
    fake, runner = bot.fake, bot.world.runner
    interaction = await fake.slash(runner, "secret", guild_id=GUILD_ID)
    message = await interaction.final_message()
    assert message["content"] == "press to reveal"
    assert message["flags"] & EPHEMERAL
    click = await fake.click(runner, message, "reveal")
    assert (await click.response())["type"] == 7
    assert await click.final_text() == "revealed: 6:12 mile"
    assert message["components"] == []  # the view was removed from the same message


async def test_select_menu_values_reach_the_callback(bot: Bot) -> None:
    fake, runner = bot.fake, bot.world.runner
    asked = await fake.slash(runner, "log", guild_id=GUILD_ID)
    menu = await asked.final_message()
    picked = await fake.click(runner, menu, "distance", values=["3"])
    assert await picked.final_text() == "logged 3 km"
    with pytest.raises(ValueError, match="no component 'distanc'"):
        await fake.click(runner, menu, "distanc")


async def test_ephemeral_defer_then_edit_original(bot: Bot) -> None:
    interaction = await bot.fake.slash(bot.world.runner, "plan", guild_id=GUILD_ID)
    assert (await interaction.response())["data"] == {"flags": EPHEMERAL}
    message = await interaction.final_message()
    assert message["content"] == "week 1: 3 easy runs"
    assert message["flags"] & EPHEMERAL and message["edited_timestamp"] is not None
    assert bot.fake.calls_to("PATCH", r"/messages/@original$")[0].status == 200


async def test_autocomplete_returns_the_choices_the_bot_offers(bot: Bot) -> None:
    choices = await bot.fake.autocomplete(
        bot.world.runner, "ping", "text", "ea", guild_id=GUILD_ID
    )
    assert choices == [{"name": "Easy", "value": "easy"}, {"name": "Earnest", "value": "earnest"}]


async def test_modal_submit_reaches_on_submit(bot: Bot) -> None:
    fake, runner = bot.fake, bot.world.runner
    opened = await fake.slash(runner, "feedback")  # in DMs
    modal = await opened.response()
    assert modal["type"] == 9 and modal["data"]["custom_id"] == "feedback"
    submitted = await fake.submit_modal(runner, "feedback", {"note": "legs felt fresh"})
    assert await submitted.final_text() == "thanks: legs felt fresh"
    assert (await submitted.final_message())["flags"] & EPHEMERAL


async def test_file_attachment_bytes_arrive(bot: Bot) -> None:
    interaction = await bot.fake.slash(bot.world.runner, "export", guild_id=GUILD_ID)
    message = await interaction.final_message()
    (attachment,) = message["attachments"]
    assert attachment["filename"] == "plan.ics"
    assert bot.fake.attachment_data(attachment) == CALENDAR
    (upload,) = interaction.callback_files
    assert (upload.field, upload.data) == ("files[0]", CALENDAR)


async def test_permissions_and_context_reach_the_interaction(bot: Bot) -> None:
    fake, world = bot.fake, bot.world
    admin = await fake.slash(world.admin, "whoami", guild_id=GUILD_ID)
    assert await admin.final_text() == "Ada Admin in Mile Club, admin=True"
    runner = await fake.slash(world.runner, "whoami", guild_id=GUILD_ID)
    assert await runner.final_text() == "Rui Runner in Mile Club, admin=False"
    in_dm = await fake.slash(world.stranger, "whoami")
    assert await in_dm.final_text() == "Sam Stranger in DMs, admin=False"
    assert fake.dms(world.stranger.id)[0]["content"] == "Sam Stranger in DMs, admin=False"
    closed = await fake.slash(world.admin, "close", guild_id=GUILD_ID)
    assert await closed.final_text() == "closed"
    with pytest.raises(ValueError, match="cannot see /close"):
        await fake.slash(world.runner, "close", guild_id=GUILD_ID)
    with pytest.raises(ValueError, match="not available in DMs"):
        await fake.slash(world.admin, "close")


async def test_direct_message_is_sent(bot: Bot) -> None:
    fake, runner = bot.fake, bot.world.runner
    user = await bot.client.fetch_user(runner.id)
    sent = await user.send("Today: 20 min easy")
    message = await fake.wait_for_message(lambda m: "easy" in m["content"], user_id=runner.id)
    assert int(message["id"]) == sent.id
    assert fake.dms(runner.id) == [message]
    assert fake.calls_to("POST", r"^/users/@me/channels$")[0].json == {"recipient_id": runner.id}


async def test_closed_dms_raise_forbidden_50007(bot: Bot) -> None:
    fake, runner = bot.fake, bot.world.runner
    fake.close_dms(runner.id)
    user = await bot.client.fetch_user(runner.id)
    with pytest.raises(discord.Forbidden) as raised:
        await user.send("Today: rest")
    assert raised.value.code == 50007
    assert fake.dms(runner.id) == []


async def test_rate_limited_callback_is_retried_and_the_reply_arrives(bot: Bot) -> None:
    fake = bot.fake
    fake.rate_limit_next("POST", CALLBACK, retry_after=0.05)
    interaction = await fake.slash(bot.world.runner, "ping", {"text": "again"}, guild_id=GUILD_ID)
    assert await interaction.final_text() == "pong: again"
    callbacks = fake.calls_to("POST", CALLBACK)
    assert [c.status for c in callbacks] == [429, 200]
    assert callbacks[0].json == callbacks[1].json  # the same reply, sent twice


async def test_global_rate_limit_on_channel_send_is_retried(bot: Bot) -> None:
    fake = bot.fake
    fake.rate_limit_next("POST", r"^/channels/\d+/messages$", retry_after=0.05, global_=True)
    channel = bot.client.get_channel(bot.world.general_id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("streak board")
    assert [c.status for c in fake.calls_to("POST", r"^/channels/\d+/messages$")] == [429, 200]
    assert fake.channel_messages(bot.world.general_id)[0]["id"] == str(sent.id)


async def test_injected_403_surfaces_as_forbidden_once(bot: Bot) -> None:
    fake = bot.fake
    fake.fail_next(
        "POST", r"^/channels/\d+/messages$", 403, code=50013, message="Missing Permissions"
    )
    channel = bot.client.get_channel(bot.world.general_id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.Forbidden) as raised:
        await channel.send("week 3 leaderboard")
    assert raised.value.code == 50013
    await channel.send("week 3 leaderboard")
    assert [m["content"] for m in fake.channel_messages(bot.world.general_id)] == [
        "week 3 leaderboard"
    ]


async def test_dropped_gateway_is_resumed_and_missed_events_replayed(bot: Bot) -> None:
    fake, runner = bot.fake, bot.world.runner
    await fake.drop_gateway(code=4000)
    missed = await fake.slash(runner, "ping", {"text": "while away"}, guild_id=GUILD_ID)
    await fake.wait_resumed()
    assert await missed.final_text() == "pong: while away"
    interaction = await fake.slash(runner, "ping", {"text": "back"}, guild_id=GUILD_ID)
    assert await interaction.final_text() == "pong: back"
    assert len(fake.identify_payloads) == 1  # resumed, not re-identified
    assert len(fake.gateway_queries) == 2


async def test_unknown_route_is_a_discord_404_and_recorded(bot: Bot) -> None:
    with pytest.raises(discord.NotFound) as raised:
        await bot.client.http.request(Route("GET", "/no/such/route"))
    assert raised.value.code == 0 and raised.value.text == "404: Not Found"
    assert bot.fake.calls[-1].path == "/no/such/route" and bot.fake.calls[-1].status == 404


async def test_wrong_token_fails_login(fake_discord: FakeDiscord) -> None:
    client, _tree = build_client()
    with pytest.raises(discord.LoginFailure):
        async with running_client(client, fake_discord, token="not.the.token"):
            pass
    assert client.is_closed()
    assert [(c.path, c.status) for c in fake_discord.calls] == [("/users/@me", 401)]


async def test_fake_refuses_malformed_interactions(bot: Bot) -> None:
    fake, world = bot.fake, bot.world
    with pytest.raises(ValueError, match="missing required options"):
        await fake.slash(world.runner, "ping", guild_id=GUILD_ID)
    with pytest.raises(ValueError, match="one of the choices"):
        await fake.slash(world.runner, "board", {"metric": "pace"}, guild_id=GUILD_ID)
    with pytest.raises(ValueError, match="not synced"):
        await fake.slash(world.runner, "board")  # a guild command, used in DMs
    with pytest.raises(ValueError, match="not a member"):
        await fake.slash(world.stranger, "ping", {"text": "hi"}, guild_id=GUILD_ID)
    with pytest.raises(ValueError, match="wants a str"):
        await fake.slash(world.runner, "ping", {"text": FakeFile("f", "a", "b", b"")})
