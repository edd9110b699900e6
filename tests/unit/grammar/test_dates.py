"""`parse_date` (looking ahead) and the `/done` day window (looking back)."""

from __future__ import annotations

from datetime import date

import pytest

from core.grammar import GrammarError, parse_date, parse_done

WEDNESDAY = date(2026, 5, 13)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05-12", date(2026, 5, 12)),  # an explicit date is taken as written
        ("2026-5-2", date(2026, 5, 2)),
        ("today", WEDNESDAY),
        ("tomorrow", date(2026, 5, 14)),
        ("Tomorrow", date(2026, 5, 14)),
        ("thu", date(2026, 5, 14)),
        ("sat", date(2026, 5, 16)),
        ("saturday", date(2026, 5, 16)),
        ("next sat", date(2026, 5, 16)),
        ("mon", date(2026, 5, 18)),
        ("wed", date(2026, 5, 20)),  # the next Wednesday, not today
        ("12 May", date(2027, 5, 12)),  # already past this year: the next one
        ("13 May", WEDNESDAY),
        ("14 may", date(2026, 5, 14)),
        ("May 14", date(2026, 5, 14)),
        ("14th May", date(2026, 5, 14)),
        ("1 jan", date(2027, 1, 1)),
        ("12 May 2027", date(2027, 5, 12)),
        ("May 12, 2027", date(2027, 5, 12)),
        ("12.05.2027", date(2027, 5, 12)),
        ("in 3 days", date(2026, 5, 16)),
        ("in 2 weeks", date(2026, 5, 27)),
        ("20 sept", date(2026, 9, 20)),
    ],
)
def test_dates_from_a_wednesday(text: str, expected: date) -> None:
    assert parse_date(text, WEDNESDAY) == expected


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (date(2026, 12, 31), "tomorrow", date(2027, 1, 1)),
        (date(2026, 12, 31), "fri", date(2027, 1, 1)),  # 31 Dec 2026 is a Thursday
        (date(2026, 12, 31), "1 jan", date(2027, 1, 1)),
        (date(2026, 12, 31), "31 dec", date(2026, 12, 31)),
        (date(2026, 1, 31), "tomorrow", date(2026, 2, 1)),
        (date(2028, 2, 28), "tomorrow", date(2028, 2, 29)),
        (date(2026, 3, 1), "29 feb", date(2028, 2, 29)),  # the next leap day
        (date(2026, 4, 30), "in 1 day", date(2026, 5, 1)),
    ],
)
def test_dates_around_month_and_year_ends(today: date, text: str, expected: date) -> None:
    assert parse_date(text, today) == expected


@pytest.mark.parametrize(
    "text",
    ["", "someday", "2026-02-30", "31 april", "32 may", "12/05/2026", "30.02.2026", "sat 5k"],
)
def test_bad_dates(text: str) -> None:
    with pytest.raises(GrammarError):
        parse_date(text, WEDNESDAY)


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (date(2027, 1, 1), "yesterday", date(2026, 12, 31)),
        (date(2026, 3, 1), "yesterday", date(2026, 2, 28)),
        (date(2028, 3, 1), "yesterday", date(2028, 2, 29)),
        (date(2027, 1, 2), "thu", date(2026, 12, 31)),  # a Saturday, looking back
        (date(2027, 1, 2), "sat", date(2027, 1, 2)),  # that day itself
        (date(2027, 1, 2), "sun", date(2026, 12, 27)),
        (date(2027, 1, 3), "2026-12-27", date(2026, 12, 27)),  # exactly 7 days ago
        (date(2027, 1, 3), "31 dec", date(2026, 12, 31)),  # last year's 31 Dec is nearest
    ],
)
def test_done_days_look_back(today: date, text: str, expected: date) -> None:
    assert parse_done(f"{text} 30min", today).day == expected


def test_each_weekday_maps_into_the_last_week() -> None:
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    days = [parse_done(name, WEDNESDAY).day for name in names]
    assert sorted(days) == [date(2026, 5, d) for d in range(7, 14)]
    assert [d.weekday() for d in days] == list(range(7))


@pytest.mark.parametrize(
    ("text", "word"), [("tomorrow", "still to come"), ("2026-05-05", "7 days")]
)
def test_done_refuses_days_outside_the_window(text: str, word: str) -> None:
    with pytest.raises(GrammarError, match=word):
        parse_done(f"{text} 5k", WEDNESDAY)
