"""`parse_clock` and `parse_mile_time`."""

from __future__ import annotations

from datetime import time

import pytest

from core.grammar import GrammarError, parse_clock, parse_mile_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:00", time(7, 0)),
        ("7:00", time(7, 0)),
        ("7am", time(7, 0)),
        ("7 AM", time(7, 0)),
        ("7 a.m.", time(7, 0)),
        ("19:30", time(19, 30)),
        ("7.30pm", time(19, 30)),
        ("7:30 pm", time(19, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("0:15", time(0, 15)),
        ("23:59", time(23, 59)),
        ("7h30", time(7, 30)),
        ("7", time(7, 0)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
    ],
)
def test_clock_times(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["", "24:00", "7:60", "13pm", "0am", "7:5", "seven", "7:00:00"])
def test_bad_clock_times(text: str) -> None:
    with pytest.raises(GrammarError, match="07:00"):
        parse_clock(text)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("5:50", 350),
        ("9:30", 570),
        ("5:50.3", 350.3),
        (" 6:05 ", 365),
        ("3:43.13", 223.13),
        ("30:00", 1800),
    ],
)
def test_mile_times(text: str, seconds: float) -> None:
    assert parse_mile_time(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["3:43.12", "3:00", "30:01", "45:00", "5:60", "5", "6 min", ""])
def test_bad_mile_times(text: str) -> None:
    with pytest.raises(GrammarError, match="5:50"):
        parse_mile_time(text)


def test_a_mile_faster_than_the_record_names_it() -> None:
    with pytest.raises(GrammarError, match=r"3:43\.13"):
        parse_mile_time("3:40")
