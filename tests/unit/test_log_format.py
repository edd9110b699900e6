"""PACER_LOG_FORMAT=json: one object per line with the work's context; text stays default."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import pytest

from bot.bootstrap import configure_logging
from bot.config import load_settings
from bot.log_format import JsonFormatter
from core import log_context


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord("core.app", logging.INFO, __file__, 1, message, args, None)
    rec.created = 1_796_000_000.25
    for key, value in extra.items():
        setattr(rec, key, value)
    return rec


def test_a_line_carries_the_bound_context_and_the_duration() -> None:
    with log_context.bound(platform="telegram", update_id="42", command="done"):
        log_context.add(runner_id=7)
        line = JsonFormatter().format(record("update handled (%s): %s", "done", "ok",
                                             duration=0.0123456789))
    assert json.loads(line) == {
        "time": "2026-11-30T00:53:20.250+00:00",
        "level": "INFO",
        "logger": "core.app",
        "message": "update handled (done): ok",
        "platform": "telegram",
        "runner_id": 7,
        "update_id": "42",
        "command": "done",
        "duration": 0.012346,
    }
    assert "\n" not in line


def test_outside_any_work_only_the_basics_and_an_error_stays_on_one_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        rec = record("scheduled job failed")
        rec.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(rec))
    assert sorted(entry) == ["error", "level", "logger", "message", "time"]
    assert entry["error"].splitlines()[-1] == "ValueError: boom"


async def test_concurrent_work_keeps_its_own_context() -> None:
    seen: dict[str, object] = {}

    async def work(update: str) -> None:
        with log_context.bound(platform="discord", update_id=update):
            await asyncio.sleep(0)
            seen[update] = log_context.current()["update_id"]

    await asyncio.gather(work("a"), work("b"))
    assert seen == {"a": "a", "b": "b"}
    assert log_context.current() == {}


def test_json_is_chosen_by_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACER_LOG_FORMAT", "JSON")
    assert load_settings(database_url="sqlite+aiosqlite:///x.db").log_format == "json"
    monkeypatch.delenv("PACER_LOG_FORMAT")
    assert load_settings(database_url="sqlite+aiosqlite:///x.db").log_format == "text"

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers = [logging.StreamHandler(io.StringIO())]
    try:
        configure_logging("INFO", log_format="json")
        assert isinstance(root.handlers[0].formatter, JsonFormatter)
    finally:
        root.handlers, level = saved
        root.setLevel(level)
