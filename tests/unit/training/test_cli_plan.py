"""`pacer plan`: text, JSON and ICS on stdout; bad input is one line on stderr, exit code 2."""

from __future__ import annotations

import argparse
import io
import itertools
import json
import sys
from datetime import date

import icalendar
import pytest

from bot.cli_plan import register, run
from core.grammar.training_days import SPREADS, parse_training_days

TODAY = date(2026, 5, 20)
START = ["--start", "2026-06-01"]


def plan(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="pacer")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["plan", *argv])
    assert args.func is run
    code = run(args, today=TODAY)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_plan_for_eight_weeks_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = plan(["--level", "improving", "--mile-time", "7:30", *START,
                           "--format", "json"], capsys)
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert len(doc["days"]) == 56 and doc["days"][0]["date"] == "2026-06-01"
    assert doc["athlete"]["training_days"] == list(SPREADS[4])
    assert doc["paces"]["threshold"] is not None


def test_text_plan_runs_to_the_race(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = plan(["--level", "competitive", "--goal", "5:30", "--mile-time", "5:45",
                         "--race-date", "2026-08-30", "--days", "6", *START], capsys)
    assert code == 0
    assert "  Sun 30 Aug  Race day: the mile · 40 min · hard · KEY" in out.splitlines()
    assert out.splitlines()[0] == (
        "Pacer plan · competitive · training days: Tue, Wed, Thu, Fri, Sat, Sun · 2026-06-01 to "
        "2026-08-30"
    )
    assert "Week 13: 2 h 53 min of running, 93% easy" in out.splitlines()


def test_ics_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO()

    class FakeStdout(io.StringIO):
        @property
        def buffer(self) -> io.BytesIO:
            return buffer

    monkeypatch.setattr(sys, "stdout", FakeStdout())
    parser = argparse.ArgumentParser(prog="pacer")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["plan", "--level", "beginner", "--weeks", "2", *START,
                              "--format", "ics", "--tz", "Europe/Berlin"])
    assert run(args, today=TODAY) == 0
    cal = icalendar.Calendar.from_ical(buffer.getvalue())
    assert len(list(cal.walk("VEVENT"))) == 14 - 2  # two rest days


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--level", "improving", "--mile-time", "3:00"], "world record"),
        (["--level", "improving", "--mile-time", "7:00", "--goal", "7:30"], "slower"),
        (["--level", "beginner", "--race-date", "2020-01-01"], "in the past"),
        (["--level", "beginner", *START, "--race-date", "2026-05-30"], "before the plan"),
        (["--level", "beginner", "--format", "ics", "--tz", "Nowhere/City"], "time zone"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = plan(argv, capsys)
    assert code == 2 and out == ""
    assert err.startswith("pacer plan: error: ") and words in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["--level", "expert"],
        ["--level", "beginner", "--weeks", "53"],
        ["--level", "beginner", "--days", "2"],
        ["--level", "beginner", "--days", "mon,wed"],
        ["--level", "beginner", "--days", "mon,wed,fooday"],
        ["--level", "beginner", "--mile-time", "seven"],
        ["--level", "beginner", "--start", "tomorrow"],
    ],
)
def test_argument_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        plan(argv, capsys)
    assert exit_.value.code == 2
    assert "pacer plan: error:" in capsys.readouterr().err


def test_day_spreads_leave_a_rest_day_between_beginner_sessions() -> None:
    mon_wed_fri_like = SPREADS[3]
    assert all((b - a) >= 2 for a, b in itertools.pairwise(mon_wed_fri_like))
    assert all(len(days) == n and {5, 6} & set(days) for n, days in SPREADS.items())


@pytest.mark.parametrize("text", ["mon,wed,sat", "tue thu sat", "mon-fri", "3", "5", "fri-mon",
                                  "Monday, Wednesday and Saturday"])
def test_days_read_like_chat_and_give_the_same_days(
    text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = plan(["--level", "improving", "--days", text, "--weeks", "1", *START,
                           "--format", "json"], capsys)
    assert code == 0 and err == ""
    assert tuple(json.loads(out)["athlete"]["training_days"]) == parse_training_days(text)


def test_bad_day_names_get_the_chat_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        plan(["--level", "beginner", "--days", "mon,wed,fooday"], capsys)
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        'pacer plan: error: argument --days: I don\'t know the day "fooday". Try 3 (I pick the '
        "days), mon,wed,sat, mon-fri or tue thu sat."
    )


def test_a_beginner_plan_runs_12_weeks_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = plan(["--level", "beginner", *START, "--format", "json"], capsys)
    days = json.loads(out)["days"]
    assert code == 0 and len(days) == 84
    assert days[-2]["title"] == "Time trial: your first continuous mile"
