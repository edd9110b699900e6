"""Day words: "yesterday", "sat", "last tuesday", "12 May", "2026-05-12".

Reading a day and placing it on the calendar are separate steps, because `/done` looks back
(the most recent Saturday) while `/race` and `parse_date` look ahead (the next Saturday).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from core.grammar.errors import GrammarError
from core.grammar.lexer import Token, tokenize
from core.grammar.text import fold, shorten

WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("mon", "monday", "mo"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday", "tu"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday", "we"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday", "th"), 3),
    **dict.fromkeys(("fri", "friday", "fr"), 4),
    **dict.fromkeys(("sat", "saturday", "sa"), 5),
    **dict.fromkeys(("sun", "sunday", "su"), 6),
}
# Two-letter forms are fine in a list of training days but too easily a word in a note.
_NOTE_SAFE_WEEKDAYS = {name: day for name, day in WEEKDAYS.items() if len(name) > 2}

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(
    (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    start=1,
):
    MONTHS[_name] = _number
    MONTHS[_name[:3]] = _number
MONTHS["sept"] = 9

RELATIVE_DAYS: dict[str, int] = {"today": 0, "yesterday": -1, "yday": -1, "tomorrow": 1}
_LEANS: dict[str, Literal["past", "future", ""]] = {"last": "past", "next": "future", "this": ""}

_ORDINAL = ("st", "nd", "rd", "th")
_DOTTED = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_IN_N = re.compile(r"in\s+([0-9]{1,3})\s+(days?|weeks?)")

DayKind = Literal["offset", "weekday", "date", "day_month"]


@dataclass(frozen=True)
class DayRef:
    """A day as written, before it is placed on the calendar.

    offset: `value` days from today; weekday: `value` is 0=Mon..6=Sun; date: `exact` is set;
    day_month: `value` is the day and `month` the month, year left open.
    """

    kind: DayKind
    value: int = 0
    month: int = 0
    exact: date | None = None
    lean: Literal["past", "future", ""] = ""  # "last sat" / "next sat" say which way to look


def read_day(tokens: list[Token], i: int) -> tuple[DayRef, int] | None:
    """The day written at tokens[i] and the index after it, or None if there is none.

    Raises GrammarError for a date that is clearly meant but does not exist ("2026-02-30").
    """
    token = tokens[i]
    if token.kind == "date":
        return DayRef("date", exact=_iso(token.text)), i + 1
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if token.kind == "word":
        word = token.lower
        if word in RELATIVE_DAYS:
            return DayRef("offset", RELATIVE_DAYS[word]), i + 1
        if word in _LEANS and nxt is not None and nxt.lower in _NOTE_SAFE_WEEKDAYS:
            return DayRef("weekday", WEEKDAYS[nxt.lower], lean=_LEANS[word]), i + 2
        if word in _NOTE_SAFE_WEEKDAYS:
            return DayRef("weekday", WEEKDAYS[word]), i + 1
        if word in MONTHS and nxt is not None and nxt.kind == "number":
            day = _day_of_month(nxt.text)
            if day is not None:  # "may 12", "may 12th"
                end = i + 2
                if end < len(tokens) and tokens[end].is_word(*_ORDINAL) and not tokens[end].spaced:
                    end += 1
                return DayRef("day_month", day, MONTHS[word]), end
    if token.kind == "number" and nxt is not None:
        day = _day_of_month(token.text)
        after = i + 1
        if nxt.kind == "word" and nxt.lower in _ORDINAL and not nxt.spaced:
            nxt = tokens[i + 2] if i + 2 < len(tokens) else None  # "12th may"
            after += 1
        if day is not None and nxt is not None and nxt.kind == "word" and nxt.lower in MONTHS:
            return DayRef("day_month", day, MONTHS[nxt.lower]), after + 1
    return None


def _day_of_month(text: str) -> int | None:
    return int(text) if text.isdigit() and 1 <= len(text) <= 2 and 1 <= int(text) <= 31 else None


def _iso(text: str) -> date:
    year, month, day = (int(part) for part in text.split("-"))
    return _make_date(year, month, day, text)


def _make_date(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise GrammarError(f'"{shorten(shown)}" is not a date on the calendar.') from None


def resolve_past(ref: DayRef, today: date) -> date:
    """Place `ref` on or before today when it is open: a weekday is the most recent one (today
    if it matches); "12 May" is the 12 May nearest to today."""
    if ref.kind == "offset":
        return _shift(today, ref.value)
    if ref.kind == "weekday":
        if ref.lean == "future":
            return resolve_future(ref, today)
        return _shift(today, -((today.weekday() - ref.value) % 7))
    if ref.kind == "date":
        assert ref.exact is not None
        return ref.exact
    return _nearest_day_month(ref, today)


def resolve_future(ref: DayRef, today: date) -> date:
    """Place `ref` after today when it is open: a weekday is the next one (1 to 7 days ahead);
    "12 May" is the next 12 May, today included."""
    if ref.kind == "offset":
        return _shift(today, ref.value)
    if ref.kind == "weekday":
        if ref.lean == "past":
            return resolve_past(ref, today)
        return _shift(today, (ref.value - today.weekday() - 1) % 7 + 1)
    if ref.kind == "date":
        assert ref.exact is not None
        return ref.exact
    # 29 February waits for the next leap year: at most eight years ahead.
    for year in range(today.year, today.year + 9):
        candidate = _try_date(year, ref.month, ref.value)
        if candidate is not None and candidate >= today:
            return candidate
    raise GrammarError(f"{ref.value} {_month_name(ref.month)} is not a date on the calendar.")


def _shift(today: date, days: int) -> date:
    try:
        return today + timedelta(days=days)
    except OverflowError:
        raise GrammarError("That date is beyond the calendar I know.") from None


def _nearest_day_month(ref: DayRef, today: date) -> date:
    candidates = [
        d
        for year in (today.year - 1, today.year, today.year + 1)
        if (d := _try_date(year, ref.month, ref.value)) is not None
    ]
    if not candidates:
        raise GrammarError(f"{ref.value} {_month_name(ref.month)} is not a date on the calendar.")
    return min(candidates, key=lambda d: abs((d - today).days))


def _try_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_name(month: int) -> str:
    return date(2000, month, 1).strftime("%B")


DATE_EXAMPLE = "Try 2026-05-12, 12 May, sat or tomorrow."


def parse_date(text: str, today: date) -> date:
    """A date from an ISO date, "today", "tomorrow", a weekday ("sat", "next saturday": the
    next one after today), "12 May" / "May 12" (the next such day, today included),
    "12 May 2026", "12.05.2026" or "in 3 days" / "in 2 weeks". Raises GrammarError."""
    cleaned = " ".join(fold(text).replace(",", " ").split())
    if not cleaned:
        raise GrammarError("I need a date.", DATE_EXAMPLE)
    if match := _DOTTED.fullmatch(cleaned):
        day, month, year = (int(g) for g in match.groups())
        return _make_date(year, month, day, text)
    if match := _IN_N.fullmatch(cleaned):
        count = int(match.group(1)) * (7 if match.group(2).startswith("week") else 1)
        return _shift(today, count)
    tokens = tokenize(cleaned)
    found = read_day(tokens, 0)
    if found is not None:
        ref, end = found
        rest = tokens[end:]
        if not rest:
            return resolve_future(ref, today)
        if ref.kind == "day_month" and len(rest) == 1 and rest[0].kind == "number":
            year_text = rest[0].text
            if year_text.isdigit() and len(year_text) == 4:
                return _make_date(int(year_text), ref.month, ref.value, text)
    raise GrammarError(f'I couldn\'t read "{shorten(text)}" as a date.', DATE_EXAMPLE)
