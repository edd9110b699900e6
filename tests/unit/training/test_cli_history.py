"""`pacer plan --recent 5k=24:30` and `--history FILE` (the JSON `pacer export` writes)."""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.cli_plan import register, run
from core.training.paces import vdot

TODAY = date(2026, 11, 9)


def plan(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="pacer")
    register(parser.add_subparsers(dest="command", required=True))
    code = run(parser.parse_args(["plan", *argv]), today=TODAY)
    out, err = capsys.readouterr()
    return code, out, err


def export(tmp_path: Path, logs: list[dict[str, object]], **extra: object) -> str:
    path = tmp_path / "ann.json"
    document = {"version": 1, "runner": {"plan_start": "2026-10-05"}, "logs": logs,
                "skips": [], "sleep": [], **extra}
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_a_recent_race_gives_the_paces(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = plan(["--level", "improving", "--recent", "5k=24:30", "--format", "json"],
                          capsys)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["athlete"]["recent_race"] == {"distance_m": 5000.0, "time_s": 1470.0}
    assert doc["paces"]["vdot"] == round(vdot(5000.0, 1470.0), 1)


def test_a_recent_race_and_a_mile_time_are_one_too_many(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = plan(["--level", "improving", "--recent", "5k=24:30", "--mile-time", "7:00"],
                          capsys)
    assert (code, out) == (2, "")
    assert err == "pacer plan: error: Give --mile-time or --recent, not both.\n"


@pytest.mark.parametrize(("value", "message"), [
    ("7k=30:00", "'7k=30:00' is not a recent race like 5k=24:30"),
    ("5k=fast", "'fast' is not a finishing time like 24:30 or 1:45:10"),
])
def test_bad_recent_races_are_refused_by_the_parser(
    value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        plan(["--level", "improving", "--recent", value], capsys)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_history_steps_back_after_three_weeks_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monday = date(2026, 10, 5)  # training days Tue, Thu, Sat, Sun
    logs = [{"date": (monday + timedelta(days=w * 7 + d)).isoformat(), "minutes": 45}
            for w in range(2) for d in (1, 3, 5, 6)]
    code, out, err = plan(["--level", "improving", "--mile-time", "8:00",
                           "--history", export(tmp_path, logs)], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "Pacer plan · improving · training days: Tue, Thu, Sat, Sun · 2026-10-05 to 2027-01-03"
    )
    week6 = lines.index(next(x for x in lines if x.startswith("Week 6:")))
    notes = [x.strip() for x in lines[week6:]
             if x.strip().startswith(("Note: Welcome back", "Note: Back to full load"))]
    assert notes == [
        "Note: Welcome back — week 1 of 3 building back. After 3 weeks with little running, this "
        "week is about 55% of your full load, easy running only. It rises each week you run, and "
        "after 3 weeks you're back to full load (Daniels: easy running before quality, rebuild "
        "over about as long as the break). Paces are a little easier for now (about 5% after 3 "
        "weeks off); a time trial will set them again.",
        "Note: Welcome back — week 2 of 3 building back: about 55% of your full load, easy "
        "running only.",
        "Note: Welcome back — week 3 of 3 building back: about 75% of your full load. Next week: "
        "full load again.",
        "Note: Back to full load: the return from time off is done. Well done — the plan builds "
        "from here.",
    ]


def test_history_with_one_minute_logs_does_not_progress(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monday = date(2026, 10, 5)
    token = [{"date": (monday + timedelta(days=w * 7 + d)).isoformat(), "minutes": 1}
             for w in range(5) for d in (1, 3, 5, 6)]
    full = [{**entry, "minutes": 60} for entry in token]
    argv = ["--level", "improving", "--mile-time", "8:00", "--today", "2026-11-09",
            "--format", "json", "--history"]
    _, held, _ = plan([*argv, export(tmp_path, token)], capsys)
    _, grown, _ = plan([*argv, export(tmp_path, full)], capsys)

    def week(doc: str, n: int) -> int:
        return sum(d["run_minutes"] for d in json.loads(doc)["days"] if d["week"] == n)

    assert week(held, 5) == week(held, 1) < week(grown, 5)


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "is not JSON: give the file `pacer export` writes"),
    ('{"logs": 3}', 'is not a Pacer export (no "logs" list)'),
    ('{"logs": [{"minutes": 30}]}', 'an entry in "logs" has no date'),
    ('{"logs": [{"date": "yesterday"}]}', "'yesterday' in \"logs\" is not a date"),
])
def test_unreadable_history_is_one_clear_line(
    content: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = plan(["--level", "beginner", "--history", str(path)], capsys)
    assert code == 2 and out == ""
    assert err.startswith("pacer plan: error: ") and message in err
    assert err.count("\n") == 1
