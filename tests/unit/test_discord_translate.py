"""Translation between Discord and the core, both ways: pure, no network."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import discord
import pytest

from bot.discord import components
from bot.discord.bridge import defers_ephemeral, ephemeral_for, is_slow
from bot.discord.components import (
    ANSWER_MODAL,
    CUSTOM_ID_LIMIT,
    decode_line,
    encode_line,
    submitted_answer,
)
from bot.discord.sync import local_commands, signature
from bot.discord.translate import (
    MESSAGE_LIMIT,
    Outgoing,
    build_view,
    command_options,
    command_text,
    quote_value,
    render_reply,
    request_for,
    split_line,
    split_markdown,
)
from core.markup import to_markdown
from core.messages import Attachment, ChatKind, Choice, Platform, Reply, Request, esc

# --- in ------------------------------------------------------------------------------------------


def slash_data(name: str, options: dict[str, Any], *path: str) -> dict[str, Any]:
    """An APPLICATION_COMMAND interaction's `data`, as Discord nests subcommands."""
    leaf = [{"name": k, "type": 3, "value": v} for k, v in options.items()]
    for sub in reversed(path):
        leaf = [{"name": sub, "type": 1, "options": leaf}]
    return {"id": "1", "name": name, "type": 1, "options": leaf}


def line_of(name: str, options: dict[str, Any], *path: str) -> tuple[str, str]:
    command, subs, values = command_options(slash_data(name, options, *path))
    return command, command_text(command, subs, values)


@pytest.mark.parametrize(
    ("name", "options", "path", "expected"),
    [
        ("done", {"what": "5k 28:30"}, (), "5k 28:30"),
        ("done", {}, (), ""),
        ("start", {"level": "beginner", "days": "3", "tz": "Europe/Berlin"}, (),
         "level=beginner days=3 tz=Europe/Berlin"),
        ("start", {"days": "mon wed sat", "mile": "9:30"}, (), 'days="mon wed sat" mile=9:30'),
        ("settings", {"quiet": True, "nudges": False}, (), "quiet=on nudges=off"),
        ("sleep", {"hours": "7h30"}, (), "7h30"),
        ("sleep", {"hours": "7h", "night": "yesterday"}, (), "yesterday 7h"),
        ("edit", {"what": "5k 27:50", "run": 3}, (), "3 5k 27:50"),
        ("undo", {"run": 3}, (), "3"),
        ("undo", {}, (), ""),
        ("skip", {"reason": "  sore   calves "}, (), "sore calves"),
        ("pace", {"goal": "7:30"}, (), "7:30"),
        ("race", {"date": "2026-12-12", "goal": "6:45", "start": "09:30"}, (),
         "2026-12-12 goal 6:45 start 09:30"),
        ("race", {"date": "off"}, (), "off"),
        ("challenge", {"name": "X", "metric": "distance", "until": "2026-12-31"}, ("new",),
         "new X metric=distance until=2026-12-31"),
        ("challenge", {"name": "October Miles", "metric": "time", "until": "2026-10-31",
                       "team": 500.0}, ("new",),
         'new "October Miles" metric=time until=2026-10-31 team=500'),
        ("challenge", {"name": "October Miles"}, ("join",), "join October Miles"),
        ("challenge", {}, ("board",), "board"),
        ("challenge", {"code": "AB12CD"}, ("link",), "link AB12CD"),
        ("today", {}, (), ""),
    ],
)
def test_slash_commands_become_the_text_the_core_reads(
    name: str, options: dict[str, Any], path: tuple[str, ...], expected: str
) -> None:
    assert line_of(name, options, *path) == (name, expected)


def test_key_values_are_quoted_only_when_needed() -> None:
    assert quote_value("Europe/Berlin") == "Europe/Berlin"
    assert quote_value("Anna Lee") == '"Anna Lee"'
    assert quote_value('say "hi"') == "'say \"hi\"'"
    assert quote_value("""it's "x" """.strip()) == '"it\'s \'x\'"'
    assert quote_value("a=b") == '"a=b"'


def test_a_choice_line_is_a_command_or_a_guided_answer() -> None:
    assert split_line("/settings quiet=off") == ("settings", "quiet=off")
    assert split_line("/DONE") == ("done", "")
    assert split_line("  beginner ") == ("", "beginner")
    assert split_line("Europe/Berlin") == ("", "Europe/Berlin")


def interaction(
    *, guild: bool, permissions: int = 0, data: dict[str, Any] | None = None
) -> discord.Interaction[Any]:
    stub = SimpleNamespace(
        id=1234567890123,
        user=SimpleNamespace(id=42, display_name="Rui <Runner>"),
        guild_id=700 if guild else None,
        channel_id=711 if guild else 55,
        permissions=discord.Permissions(permissions),
        guild=SimpleNamespace(name="Mile Club") if guild else None,
        channel=SimpleNamespace(name="runs") if guild else SimpleNamespace(),
        data=data or {},
    )
    return cast(discord.Interaction[Any], stub)


def test_a_dm_interaction_is_a_private_request() -> None:
    request = request_for(interaction(guild=False), "done", "25min")
    assert request == Request(
        platform=Platform.DISCORD, user_id="42", chat_id="55", command="done", text="25min",
        display_name="Rui <Runner>", chat_kind=ChatKind.PRIVATE, is_admin=False,
        chat_title="", guild_id=None, update_id="1234567890123",
    )


def test_a_server_interaction_carries_the_manage_server_permission() -> None:
    manage_guild = discord.Permissions(manage_guild=True).value
    admin = request_for(interaction(guild=True, permissions=manage_guild), "challenge", "end")
    assert (admin.chat_kind, admin.is_admin, admin.chat_id, admin.guild_id) == (
        ChatKind.GROUP, True, "711", "700"
    )
    assert admin.chat_title == "Mile Club #runs"
    member = request_for(interaction(guild=True, permissions=1 << 11), "challenge", "end")
    assert not member.is_admin
    administrator = discord.Permissions(administrator=True).value
    assert request_for(interaction(guild=True, permissions=administrator), "x", "").is_admin
    # In DMs there is no server to manage, whatever the payload says.
    assert not request_for(interaction(guild=False, permissions=manage_guild), "x", "").is_admin


# --- out -----------------------------------------------------------------------------------------


def test_user_text_shows_literally_in_to_markdown() -> None:
    note = "<3 _fast_ *pb* `x` @everyone"
    assert to_markdown(f"<b>Logged</b> · {esc(note)}") == (
        "**Logged** · <3 \\_fast\\_ \\*pb\\* \\`x\\` @everyone"
    )


def test_preformatted_text_starts_on_its_own_line() -> None:
    # Discord would take "Lap" for the code block's language and hide it.
    assert to_markdown("<pre>Lap 1  1:50</pre>") == "```\nLap 1  1:50\n```"


def test_long_text_is_split_at_line_breaks_within_the_limit() -> None:
    text = "\n".join(f"line {i:04d} " + "x" * 80 for i in range(60))
    pieces = split_markdown(text)
    assert len(pieces) == 3
    assert all(len(p) <= MESSAGE_LIMIT for p in pieces)
    assert "\n".join(pieces) == text


def test_a_code_block_cut_in_two_is_closed_and_reopened() -> None:
    text = "Splits:\n```\n" + "\n".join(f"lap {i}: 1:50" for i in range(300)) + "\n```\nGo!"
    pieces = split_markdown(text)
    assert len(pieces) > 1 and all(len(p) <= MESSAGE_LIMIT for p in pieces)
    assert all(p.count("```") % 2 == 0 for p in pieces)
    assert pieces[1].startswith("```\nlap ")


def test_an_endless_line_is_cut_but_never_after_an_escape() -> None:
    text = "\\_" * 1500  # 3,000 characters of escaped underscores
    pieces = split_markdown(text)
    assert "".join(pieces) == text
    assert all(len(p) <= MESSAGE_LIMIT and not p.endswith("\\") for p in pieces)


def test_a_reply_becomes_messages_with_buttons_and_files_on_the_last() -> None:
    png = Attachment("chart.png", b"\x89PNG", "image/png")
    reply = Reply(
        "x\n" * 1500, choices=((Choice("Done", "/done"),),), attachments=(png,)
    )
    messages = render_reply(reply)
    assert len(messages) == 2
    assert messages[0] == Outgoing(messages[0].content)
    assert messages[-1].choices == reply.choices and messages[-1].attachments == (png,)
    assert messages[-1].answer_hint is None  # a command button: not a guided question


def test_eleven_files_take_two_messages() -> None:
    files = tuple(Attachment(f"{i}.csv", b"a,b", "text/csv") for i in range(11))
    messages = render_reply(Reply("Your data", attachments=files))
    assert [len(m.attachments) for m in messages] == [10, 1]
    assert [m.content for m in messages] == ["Your data", None]


def test_a_guided_question_offers_a_typed_answer_with_its_example() -> None:
    question = Reply(
        "What is your current mile time? Type it as M:SS, e.g. <code>8:30</code>.",
        choices=((Choice("I don't know", "skip"),), (Choice("Cancel", "cancel"),)),
    )
    (message,) = render_reply(question)
    assert message.answer_hint == "e.g. 8:30"


async def test_choice_rows_become_buttons_a_menu_and_the_answer_button() -> None:
    days = tuple(Choice(str(n), str(n)) for n in range(1, 8))
    reply = Reply("How many days? e.g. <code>mon,wed</code>",
                  choices=(days, (Choice("Cancel", "cancel"),)))
    view = build_view(render_reply(reply)[0])
    assert view is not None
    rows = view.to_components()
    menu = rows[0]["components"][0]
    assert menu["type"] == 3 and menu["custom_id"] == "pacer-menu:0"
    assert [(o["label"], decode_line(o["value"])) for o in menu["options"]] == [
        (str(n), str(n)) for n in range(1, 8)
    ]
    cancel, answer = rows[1]["components"]
    assert (cancel["label"], cancel["custom_id"]) == ("Cancel", "pacer:cancel")
    assert answer["custom_id"] == "pacer-answer:e.g. mon,wed"


async def test_button_styles_and_duplicate_choices() -> None:
    choices = (
        (Choice("Yes, delete everything", "/deleteme confirm"),
         Choice("Cancel", "/deleteme cancel")),
        (Choice("Done", "/done"), Choice("Done again", "/done")),
    )
    view = build_view(Outgoing("sure?", choices))
    assert view is not None
    buttons = [c for row in view.to_components() for c in row["components"]]
    assert [(b["label"], b["style"]) for b in buttons] == [
        ("Yes, delete everything", discord.ButtonStyle.danger.value),
        ("Cancel", discord.ButtonStyle.secondary.value),
        ("Done", discord.ButtonStyle.success.value),
    ]  # a second button for the same line would clash: custom_ids are unique per message


async def test_more_rows_than_discord_allows_fold_into_a_menu() -> None:
    rows = tuple((Choice(f"Option {i}", f"/settings o{i}"),) for i in range(12))
    view = build_view(Outgoing("Settings", rows))
    assert view is not None
    components = view.to_components()
    assert len(components) == 5
    assert [len(row["components"]) for row in components[:4]] == [1, 1, 1, 1]
    (menu,) = components[4]["components"]
    assert [o["label"] for o in menu["options"]] == [f"Option {i}" for i in range(4, 12)]


async def test_long_command_lines_fit_in_a_custom_id() -> None:
    line = "/challenge join " + "A very long challenge name " * 5
    view = build_view(Outgoing("Join?", ((Choice("Join", line),),)))
    assert view is not None
    (button,) = view.to_components()[0]["components"]
    assert len(button["custom_id"]) <= CUSTOM_ID_LIMIT
    assert decode_line(button["custom_id"].removeprefix("pacer")) == line


def test_tokens_round_trip_and_unknown_digests_expire() -> None:
    assert encode_line("/done", 50) == ":/done"
    assert decode_line(encode_line("/done", 50)) == "/done"
    long = "x" * 200
    token = encode_line(long, 50)
    assert token.startswith("#") and len(token) <= 50 and decode_line(token) == long
    components.LONG_LINES.forget_all()  # what a restart does
    assert decode_line(token) is None
    assert decode_line("garbage") is None


def test_the_typed_answer_is_read_from_the_modal_submission() -> None:
    submitted = {
        "custom_id": ANSWER_MODAL,
        "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": "answer", "value": "Berln"}]}
        ],
    }
    assert submitted_answer(submitted) == "Berln"
    labelled = {
        "custom_id": ANSWER_MODAL,
        "components": [{"type": 18, "component": {"type": 4, "custom_id": "answer",
                                                  "value": "8:30"}}],
    }
    assert submitted_answer(labelled) == "8:30"
    assert submitted_answer({"custom_id": "someone-else", "components": []}) is None


# --- where answers show ------------------------------------------------------------------------


def test_personal_answers_in_a_server_are_ephemeral() -> None:
    in_server = Request(Platform.DISCORD, "1", "2", "today", chat_kind=ChatKind.GROUP)
    in_dm = Request(Platform.DISCORD, "1", "2", "today")
    board = Request(Platform.DISCORD, "1", "2", "challenge", "board", chat_kind=ChatKind.GROUP)
    assert ephemeral_for(in_server, Reply("Today"))
    assert not ephemeral_for(in_dm, Reply("Today", private=True))
    assert not ephemeral_for(board, Reply("Board"))
    assert ephemeral_for(board, Reply("You: #23 of 57", private=True))
    assert defers_ephemeral(in_server) and not defers_ephemeral(board)
    stats = Request(Platform.DISCORD, "1", "2", "stats", chat_kind=ChatKind.GROUP)
    assert defers_ephemeral(stats)


def test_charts_and_files_are_deferred_at_once() -> None:
    assert is_slow("stats", "") and is_slow("export", "")
    assert is_slow("challenge", "board October") and is_slow("challenge", "end")
    assert not is_slow("challenge", "join") and not is_slow("done", "25min")


# --- publishing commands -----------------------------------------------------------------------


async def test_the_published_commands_match_what_discord_echoes_back() -> None:
    from bot.config import Settings
    from bot.discord.client import make_client

    client = make_client(Settings(discord_token="a" * 24 + ".bcd." + "e" * 27))
    try:
        local = local_commands(client.tree)
        echoed = [_as_discord_returns(c, i) for i, c in enumerate(local)]
        assert signature(echoed) == signature(local)
        changed = [dict(c) for c in echoed]
        changed[0] = {**changed[0], "description": "something else"}
        assert signature(changed) != signature(local)
        fewer = echoed[1:]
        assert signature(fewer) != signature(local)
    finally:
        await client.close()


def _as_discord_returns(command: dict[str, Any], index: int) -> dict[str, Any]:
    """Discord adds ids and versions and leaves out defaults such as `required: false`."""

    def options(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for item in items:
            copy = {k: v for k, v in item.items() if not (k == "required" and v is False)}
            if "options" in copy:
                copy["options"] = options(copy["options"])
            if "min_value" in copy:
                copy["min_value"] = float(copy["min_value"])
            out.append(copy)
        return out

    echoed = {k: v for k, v in command.items() if k not in ("contexts", "integration_types")}
    echoed.update(id=str(1000 + index), application_id="9", version="77",
                  options=options(command.get("options", [])))
    return echoed


# --- delivery errors ---------------------------------------------------------------------------


def http_error(
    kind: type[discord.HTTPException], status: int, code: int = 0, **headers: str
) -> discord.HTTPException:
    response = SimpleNamespace(status=status, reason="", headers=headers)
    return kind(cast(Any, response), {"code": code, "message": "refused"})


@pytest.mark.parametrize(
    ("error", "kind", "retry_after"),
    [
        (discord.RateLimited(90.0), "retry_after", 90.0),
        # A 429 discord.py did not retry (no Discord headers: a proxy, Cloudflare).
        (http_error(discord.HTTPException, 429, **{"Retry-After": "7"}), "retry_after", 7.0),
        (http_error(discord.HTTPException, 429), "retry_after", 5.0),
        (http_error(discord.DiscordServerError, 503), "transient", None),
        (http_error(discord.Forbidden, 403, 50007), "blocked", None),
        (http_error(discord.Forbidden, 403, 50013), "permanent", None),
        (http_error(discord.NotFound, 404, 10003), "permanent", None),
        (http_error(discord.HTTPException, 400, 50035), "permanent", None),
        (ConnectionResetError("reset"), "transient", None),
        (TimeoutError(), "transient", None),
    ],
)
def test_discord_errors_map_to_delivery_kinds(
    error: Exception, kind: str, retry_after: float | None
) -> None:
    from bot.discord.delivery import classify

    classified = classify(error)
    assert (classified.kind, classified.retry_after) == (kind, retry_after)


@pytest.mark.parametrize(
    ("error", "scope"),
    [
        (discord.RateLimited(90.0), "chat"),  # one route's bucket
        (http_error(discord.HTTPException, 429, **{"X-RateLimit-Scope": "user"}), "chat"),
        (http_error(discord.HTTPException, 429, **{"X-RateLimit-Global": "true"}), "global"),
        (http_error(discord.HTTPException, 429, **{"X-RateLimit-Scope": "global"}), "global"),
    ],
)
def test_a_discord_429_pauses_its_channel_or_every_send(error: Exception, scope: str) -> None:
    from bot.discord.delivery import classify

    assert classify(error).scope == scope


# --- connection settings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shards", "expected"),
    [("0", (False, None)), ("1", (False, None)), ("4", (True, 4)), ("auto", (True, None))],
)
def test_shard_setting(shards: str, expected: tuple[bool, int | None]) -> None:
    from bot.config import Settings
    from bot.discord.client import shard_setting

    assert shard_setting(Settings(discord_shards=shards)) == expected


def test_only_a_non_default_api_base_moves_the_gateway() -> None:
    from bot.discord.client import is_custom_api

    assert not is_custom_api("https://discord.com/api/v10")
    assert not is_custom_api("https://discord.com/api/v10/")
    assert is_custom_api("http://discord-proxy.internal:8080/api/v10")
