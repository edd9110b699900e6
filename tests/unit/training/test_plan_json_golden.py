"""`pacer plan --format json` prints what it printed before planned days became plain values
(`golden/*.json`, written by the app before that change): the plan JSON is a public contract."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.cli_plan import register, run
from tests.unit.training.test_cli_plan import TODAY

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "plan_improving_race.json": [
        "--level", "improving", "--mile-time", "7:30", "--goal", "7:00",
        "--race-date", "2026-07-25", "--start", "2026-06-01",
    ],
    "plan_beginner.json": ["--level", "beginner", "--days", "3", "--weeks", "3",
                           "--start", "2026-06-01"],
}


def plan_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    parser = argparse.ArgumentParser(prog="pacer")
    register(parser.add_subparsers(dest="command", required=True))
    assert run(parser.parse_args(["plan", *argv, "--format", "json"]), today=TODAY) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(CASES))
def test_plan_json_is_unchanged(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert plan_json(CASES[name], capsys) == (GOLDEN / name).read_text()
