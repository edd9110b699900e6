"""`/done`: turn "3mi 27:10 felt strong" or "yesterday 30min" into a RunEntry.

The rules, in the order they apply to each piece of the text:
- a day ("yesterday", "tue", "last sat", "2026-11-20", "12 May") sets the run's date, unless a
  word like "from" or "than" before it shows it belongs to the note ("sore from yesterday");
- a duration ("25min", "1h10", "28:30"), a distance ("5k", "2 miles", "400 m") or a pace
  ("5:40/km", with a distance) describes the run; "in" or "@" before a time is a connector;
- numbers in words count too: "two hours", "half an hour", "an hour and a half", "a mile";
- a time of day ("at 7:00", "7am"), a reading like "30°C" or "150 bpm" and anything in quotes
  are note text, numbers and all;
- any other number is refused, because guessing its unit could log the wrong run; so is
  anything else that counts the run without a number Pacer can read ("a few minutes", "三十分",
  a lone "two"): never "as planned" for a run the runner measured;
- every other word is the note.

Digits of any script are read as digits ("３０min", "٣٠min"); see `core.grammar.lexer`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from core.grammar.days import DayRef, read_day, resolve_past
from core.grammar.done_notes import leftover_note, reading_end, time_of_day_end
from core.grammar.errors import GrammarError
from core.grammar.lexer import Token, tokenize
from core.grammar.number_words import NUMBER_WORDS, VAGUE
from core.grammar.plausibility import (
    MAX_RUN_SECONDS,
    check_distance,
    check_duration,
    check_speed,
    fastest_seconds,
)
from core.grammar.quantities import Quantity, read_quantity
from core.grammar.text import shorten
from core.grammar.units import DISTANCE_UNITS, DURATION_UNITS
from core.text import trim

DONE_EXAMPLE = "Try /done 5k 28:30 or /done 25min."
DAY_EXAMPLE = "Try /done yesterday 30min or /done tue 5k."
LOOKBACK_DAYS = 7

# A day word right after one of these is part of the note: "sore from yesterday".
_DAY_BLOCKERS = frozenset(
    ("from", "since", "than", "like", "after", "before", "the", "until", "till", "of", "every")
)
_TIME_CONNECTORS = frozenset(("in", "@"))
_PACE_CONNECTORS = frozenset(("in", "@", "at"))
_COMMAND = re.compile(r"^\s*/done(?:@\w+)?(?=\s|$)", re.IGNORECASE)
# "28.30": minutes and seconds typed with a dot (or comma) instead of a colon.
_DOTTED_TIME = re.compile(r"([0-9]{1,3})[.,]([0-5][0-9])")
# Unit words that say a run was measured; one-letter units are too often something else.
_UNIT_WORDS = frozenset(w for w in (*DURATION_UNITS, *DISTANCE_UNITS) if len(w) > 1)
_COUNTING = VAGUE | {"hundred", "thousand"}
_CJK_UNITS = frozenset("分时時小公里秒粁")  # minutes, hours, km… after a CJK numeral


@dataclass(frozen=True)
class RunEntry:
    """One logged run, as the runner described it."""

    day: date  # the runner's local date the run belongs to
    minutes: float | None  # duration, if given
    distance_m: float | None  # distance in metres, if given
    note: str  # free text left over (trimmed, may be "")
    as_planned: bool  # True for bare `/done` (or only a day / only a note)


@dataclass
class _Found:
    """What the scan has found so far, with the text each came from."""

    day: tuple[DayRef, str] | None = None
    duration: Quantity | None = None
    distance: Quantity | None = None
    pace: Quantity | None = None
    dropped: set[int] = field(default_factory=set)  # token indexes that are not note text


def parse_done(text: str, today: date, units: str = "km") -> RunEntry:
    """Read the text after `/done` (see the module docstring for the rules).

    `today` is the runner's local date. `units` is accepted for future use: bare numbers are
    refused rather than read in the runner's units. Raises GrammarError, whose message always
    holds a `/done` example.
    """
    del units  # kept in the signature on purpose; see the docstring
    text = _COMMAND.sub("", text, count=1)
    tokens = tokenize(text)
    found = _Found()
    try:
        _scan(tokens, text, found)
    except GrammarError as err:
        raise err.with_example(DONE_EXAMPLE) from None
    day = _resolve_day(found, today)
    seconds, metres = _measure(found)
    return RunEntry(
        day=day,
        minutes=None if seconds is None else seconds / 60,
        distance_m=metres,
        note=leftover_note(tokens, text, found.dropped),
        as_planned=seconds is None and metres is None,
    )


def _scan(tokens: list[Token], text: str, found: _Found) -> None:
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "quoted":
            i += 1
        elif (day := _day_at(tokens, i)) is not None:
            ref, day_end = day
            _take_day(found, ref, text[token.start : tokens[day_end - 1].end])
            if i > 0 and tokens[i - 1].is_word("on") and i - 1 not in found.dropped:
                found.dropped.add(i - 1)  # "on tuesday"
            found.dropped.update(range(i, day_end))
            i = day_end
        elif (clock_end := time_of_day_end(tokens, i)) is not None:
            i = clock_end  # "at 7:00", "6am": when, not how long; stays in the note
        elif (reading := reading_end(tokens, i)) is not None:
            i = reading  # "30°C", "150 bpm": about the day, not the run; stays in the note
        elif _is_connector(tokens, i, text):
            found.dropped.add(i)
            i += 1
        elif (quantity := read_quantity(tokens, i, text)) is not None:
            _take_quantity(found, quantity, tokens, text)
            found.dropped.update(range(quantity.start, quantity.end))
            i = quantity.end
        else:
            _refuse_unreadable(tokens, i, text)
            i += 1
    _refuse_lone_number_words(tokens, text, found)


def _refuse_unreadable(tokens: list[Token], i: int, text: str) -> None:
    """Refuse a piece that measures the run in a way Pacer cannot read: digits it does not
    know ("三十min", "Ⅻ") or a unit counted without a number ("a few minutes")."""
    token = tokens[i]
    if token.kind in ("word", "other") and _foreign_number(token.text):
        raise GrammarError(
            f'I couldn\'t read the number in "{shorten(token.text)}"; please write it in '
            "digits.",
            DONE_EXAMPLE,
        )
    if token.kind == "word" and token.lower in _UNIT_WORDS and i > 0:
        j = i - 2 if tokens[i - 1].is_word("of") and i > 1 else i - 1  # "couple of miles"
        if tokens[j].kind == "word" and tokens[j].lower in _COUNTING:
            if j > 0 and tokens[j - 1].lower in ("a", "an"):
                j -= 1  # "a few minutes"
            shown = text[tokens[j].start : token.end]
            raise GrammarError(
                f'How much is "{shorten(shown)}"? Give me the number, so I log the run you ran.',
                "Try /done 20min, /done 1h10 or /done 3k.",
            )


def _foreign_number(text: str) -> bool:
    """Whether `text` is a number Pacer cannot read, alone or before a unit: "三十", "Ⅻ",
    "三十min", "三十分钟" — but not a word that merely starts with a numeral ("一起")."""
    count = 0
    while count < len(text) and unicodedata.numeric(text[count], None) is not None:
        count += 1
    if count == 0:
        return False
    rest = text[count:]
    return not rest or rest.lower() in _UNIT_WORDS or rest[0] in _CJK_UNITS


def _refuse_lone_number_words(tokens: list[Token], text: str, found: _Found) -> None:
    """"/done two" or "/done half": a number with no unit, written in words, is refused like
    one in digits rather than logged as planned with "two" as the note."""
    if found.duration or found.distance or found.pace:
        return
    rest = [t for index, t in enumerate(tokens) if index not in found.dropped]
    if rest and all(t.kind == "word" and t.lower in NUMBER_WORDS for t in rest):
        shown = text[rest[0].start : rest[-1].end]
        raise GrammarError(
            f'I can\'t tell what "{shorten(shown)}" means: minutes, km or miles?',
            "Try /done 20min, /done two hours or /done 5k.",
        )


def _day_at(tokens: list[Token], i: int) -> tuple[DayRef, int] | None:
    found = read_day(tokens, i)
    if found is None:
        return None
    if found[0].kind != "date" and i > 0 and tokens[i - 1].lower in _DAY_BLOCKERS:
        return None
    return found


def _is_connector(tokens: list[Token], i: int, text: str) -> bool:
    """Whether tokens[i] is "in", "@" or "at" joining a time or pace to the run."""
    token = tokens[i]
    if i + 1 >= len(tokens) or token.lower not in _PACE_CONNECTORS:
        return False
    try:
        quantity = read_quantity(tokens, i + 1, text)
    except GrammarError:
        return False  # the quantity itself will be refused when the scan reaches it
    if quantity is None:
        return False
    if quantity.kind == "pace":
        return True
    return quantity.kind == "duration" and token.lower in _TIME_CONNECTORS


def _take_day(found: _Found, ref: DayRef, shown: str) -> None:
    if found.day is not None:
        raise GrammarError(
            f'I found two days ("{shorten(found.day[1])}" and "{shorten(shown)}"); give one.',
            DAY_EXAMPLE,
        )
    found.day = (ref, shown)


def _take_quantity(found: _Found, quantity: Quantity, tokens: list[Token], text: str) -> None:
    if quantity.kind == "bare":
        raise _unreadable_number(quantity, tokens, text)
    earlier: Quantity | None = getattr(found, quantity.kind)
    if earlier is not None:
        what = {"duration": "times", "distance": "distances", "pace": "paces"}[quantity.kind]
        raise GrammarError(
            f'I found two {what} ("{shorten(earlier.text)}" and '
            f'"{shorten(quantity.text)}"); give one.'
        )
    setattr(found, quantity.kind, quantity)


def _unreadable_number(quantity: Quantity, tokens: list[Token], text: str) -> GrammarError:
    token = tokens[quantity.start]
    nxt = tokens[quantity.start + 1] if quantity.start + 1 < len(tokens) else None
    start = max(text.rfind(" ", 0, token.start), text.rfind("\n", 0, token.start)) + 1
    end = token.end
    while end < len(text) and not text[end].isspace():
        end += 1
    if nxt is not None and nxt.kind == "word" and nxt.spaced and end <= nxt.start:
        end = nxt.end  # "5 slices"
    chunk = text[start:end]
    dotted = _DOTTED_TIME.fullmatch(token.text)
    if dotted is not None and chunk == text[token.start : token.end]:
        clock = f"{dotted.group(1)}:{dotted.group(2)}"
        fixed = shorten(" ".join(f"{text[: token.start]}{clock}{text[token.end :]}".split()), 60)
        if int(dotted.group(1)) >= 10:  # "28.30": a time, not 28.3 km
            return GrammarError(
                f'Did you mean {clock} (minutes:seconds) for "{shorten(chunk)}"? Times take a '
                "colon.",
                f"Try /done {fixed}.",
            )
        number = trim(quantity.value)  # "7.45": a mile in 7:45, or 7.45 km?
        return GrammarError(
            f'I can\'t tell what "{shorten(chunk)}" means: a time ({clock}), km or miles?',
            f"Try /done {fixed} or /done {number}k.",
        )
    if chunk == text[token.start : token.end]:
        number = trim(quantity.value) if quantity.value > 0 else "5"
        return GrammarError(
            f'I can\'t tell what "{shorten(chunk)}" means: minutes, km or miles?',
            f"Try /done {number}min, /done {number}k or /done {number}mi.",
        )
    return GrammarError(
        f'I couldn\'t read "{shorten(chunk)}" as part of a run.',
        'Try /done 5k 28:30, or put other numbers in quotes: /done 5k "with 2 friends".',
    )


def _resolve_day(found: _Found, today: date) -> date:
    if found.day is None:
        return today
    ref, shown = found.day
    try:
        day = resolve_past(ref, today)
    except GrammarError as err:
        raise err.with_example(DAY_EXAMPLE) from None
    named = f'"{shorten(shown)}"'
    if shown != day.isoformat():
        named += f" ({day.isoformat()})"
    if day > today:
        raise GrammarError(
            f"{named} is still to come, so there is no run to log yet.", DAY_EXAMPLE
        )
    if (today - day).days > LOOKBACK_DAYS:
        raise GrammarError(
            f"{named} is more than {LOOKBACK_DAYS} days ago; I only log runs from the last week.",
            DAY_EXAMPLE,
        )
    return day


def _measure(found: _Found) -> tuple[float | None, float | None]:
    """Seconds and metres of the run, checked for sense."""
    duration, distance, pace = found.duration, found.distance, found.pace
    if pace is not None:
        if distance is None:
            raise GrammarError(
                "A pace needs a distance to make a run.",
                "Try /done 5k @ 5:40/km or /done 5k 28:30.",
            )
        if duration is not None:
            raise GrammarError(
                f'I found a time ("{shorten(duration.text)}") and a pace '
                f'("{shorten(pace.text)}"); give one.',
                DONE_EXAMPLE,
            )
    seconds = duration.value if duration is not None else None
    if pace is not None and distance is not None:
        seconds = pace.value * distance.value
    metres = distance.value if distance is not None else None
    try:
        if distance is not None:
            check_distance(distance.value, f'"{shorten(distance.text)}"')
        if seconds is not None:
            check_duration(seconds, _shown_time(duration, pace))
    except GrammarError as err:
        raise err.with_example(DONE_EXAMPLE) from None
    if seconds is not None and metres is not None:
        try:
            check_speed(metres, seconds)
        except GrammarError as err:
            raise err.with_example(_speed_example(duration, distance, metres)) from None
    return seconds, metres


def _shown_time(duration: Quantity | None, pace: Quantity | None) -> str:
    quantity = duration or pace
    return f'"{shorten(quantity.text)}"' if quantity is not None else "That"


def _speed_example(duration: Quantity | None, distance: Quantity | None, metres: float) -> str:
    """Suggest hours when "10k 1:10" was probably meant as 1:10:00."""
    if duration is not None and distance is not None and duration.clock_parts == 2:
        as_hours = duration.value * 60
        if fastest_seconds(metres) <= as_hours <= MAX_RUN_SECONDS:
            clock = duration.text.split()[0]
            return f"If you meant hours, try /done {distance.text} {clock}:00."
    return DONE_EXAMPLE
