"""The `pacer` command line as a user runs it: a real process, piped stdin, exit codes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.pacer_process import run_pacer, sqlite_url


def pacer(
    args: list[str], tmp_path: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    values = {"PACER_DATABASE_URL": sqlite_url(tmp_path / "p.db"), **env}
    return run_pacer(tmp_path, *args, env=values, stdin=stdin, timeout=60)


def test_piped_console_prints_the_command_list_and_exits_at_eof(tmp_path: Path) -> None:
    result = pacer(["run", "--user", "ann"], tmp_path, stdin="/help\n")
    assert result.returncode == 0, result.stderr
    for command in ("/start", "/today", "/done", "/streak", "/challenge", "/deleteme"):
        assert command in result.stdout
    assert "Traceback" not in result.stderr


def test_unknown_command_gets_a_hint(tmp_path: Path) -> None:
    result = pacer(["run", "--console"], tmp_path, stdin="/strek\n/frobnicate\n")
    assert "Did you mean /streak?" in result.stdout
    assert "I don't know /frobnicate" in result.stdout and "/help" in result.stdout


def test_db_upgrade(tmp_path: Path) -> None:
    result = pacer(["db", "upgrade"], tmp_path)
    assert result.returncode == 0 and "up to date" in result.stdout
    assert (tmp_path / "p.db").exists()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PACER_DEFAULT_TIMEZONE": "Nowhere/Special"}, "PACER_DEFAULT_TIMEZONE"),
        ({"PACER_TELEGRAM_TOKEN": "nope"}, "PACER_TELEGRAM_TOKEN"),
        (
            {"PACER_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none"},
            "PACER_DATABASE_URL",
        ),
    ],
)
def test_bad_setting_is_one_line_and_exit_code_2(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    result = pacer(["run"], tmp_path, **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], result.stderr
    assert "Traceback" not in result.stderr
