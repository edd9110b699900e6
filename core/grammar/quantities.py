"""Read one quantity (a duration, a distance, a pace or a bare number) from a token stream.

This is the shared engine behind `/done`, `/sleep`, `parse_duration` and `parse_distance`.
It reports reasons only; each public parser adds an example fitting its own command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from core.grammar.errors import GrammarError
from core.grammar.lexer import Token
from core.grammar.number_words import and_a_half, read_number_words
from core.grammar.text import shorten, to_number
from core.grammar.units import (
    DISTANCE_UNITS,
    DURATION_UNITS,
    HOUR,
    MINUTE,
    SECOND,
    SECONDS_PER_RANK,
    m_means_metres,
)
from core.units import HALF_MARATHON_M, MARATHON_M, METRES_PER_KM, METRES_PER_MILE

QuantityKind = Literal["duration", "distance", "pace", "bare"]

_HOUR_WORDS = frozenset(w for w, rank in DURATION_UNITS.items() if rank == HOUR)
_MINUTE_WORDS = frozenset(w for w, rank in DURATION_UNITS.items() if rank == MINUTE)
_PACE_UNITS = {
    "k": METRES_PER_KM,
    "km": METRES_PER_KM,
    "mi": METRES_PER_MILE,
    "mile": METRES_PER_MILE,
}
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")


@dataclass(frozen=True)
class Quantity:
    """A quantity found at tokens[start:end].

    `value` is seconds (duration), metres (distance), seconds per metre (pace) or the plain
    number (bare: no unit followed it). `clock_parts` is 2 for "28:30" (read as mm:ss, though
    some contexts mean h:mm), 3 for "1:05:00", else 0.
    """

    kind: QuantityKind
    value: float
    start: int
    end: int
    text: str
    clock_parts: int = 0


def read_quantity(tokens: list[Token], i: int, source: str) -> Quantity | None:
    """The quantity starting at tokens[i], or None if tokens[i] cannot start one.

    Raises GrammarError for a quantity that is there but malformed ("25:75", "-5km").
    """
    token = tokens[i]
    if token.kind == "clock":
        return _read_clock(tokens, i, source)
    if token.kind == "number":
        return _read_number(tokens, i, source)
    if token.kind == "word":
        return _read_named_distance(tokens, i, source) or _read_worded(tokens, i, source)
    return None


def _at(tokens: list[Token], i: int) -> Token | None:
    return tokens[i] if 0 <= i < len(tokens) else None


def _span(tokens: list[Token], start: int, end: int, source: str) -> str:
    return source[tokens[start].start : tokens[end - 1].end]


def _refuse_negative(text: str) -> GrammarError:
    return GrammarError(f'"{shorten(text)}" is less than zero.')


def _read_clock(tokens: list[Token], i: int, source: str) -> Quantity:
    token = tokens[i]
    parts = token.text.split(":")
    if len(parts) > 3:
        raise GrammarError(f'I couldn\'t read "{shorten(token.text)}" as a time.')
    if parts[0].startswith("-"):
        raise _refuse_negative(token.text)
    numbers = [to_number(part) for part in parts]
    if any(n >= 60 for n in numbers[1:]):
        raise GrammarError(
            f'"{shorten(token.text)}" has {"seconds" if len(parts) == 2 else "minutes"} of 60 '
            "or more, so I can't read it as a time."
        )
    end = i + 1
    nxt = _at(tokens, end)
    if len(parts) == 2 and nxt is not None and nxt.is_word(*_HOUR_WORDS):
        # "1:10h" is hours and minutes, the one place a two-part time is not mm:ss.
        seconds = numbers[0] * 3600 + numbers[1] * 60
        return Quantity("duration", seconds, i, end + 1, _span(tokens, i, end + 1, source))
    if len(parts) == 3:
        seconds = numbers[0] * 3600 + numbers[1] * 60 + numbers[2]
    else:
        seconds = numbers[0] * 60 + numbers[1]
        if nxt is not None and nxt.is_word(*_MINUTE_WORDS):
            end += 1  # "28:30 min"
    pace_end, metres = _read_per_unit(tokens, end)
    if metres is not None:
        text = _span(tokens, i, pace_end, source)
        return Quantity("pace", seconds / metres, i, pace_end, text, len(parts))
    return Quantity("duration", seconds, i, end, _span(tokens, i, end, source), len(parts))


def _read_per_unit(tokens: list[Token], i: int) -> tuple[int, float | None]:
    """Read "/km", "/mi" or "per km" at tokens[i]: (end index, metres) or (i, None)."""
    first, second = _at(tokens, i), _at(tokens, i + 1)
    if first is None or second is None:
        return i, None
    joins = (first.kind == "other" and first.text == "/") or first.is_word("per")
    if joins and second.kind == "word" and second.lower in _PACE_UNITS:
        return i + 2, _PACE_UNITS[second.lower]
    return i, None


def _read_number(tokens: list[Token], i: int, source: str) -> Quantity:
    token = tokens[i]
    value = to_number(token.text)
    unit = _at(tokens, i + 1)
    if unit is None or unit.kind != "word":
        return Quantity("bare", value, i, i + 1, token.text)
    if DISTANCE_UNITS.get(unit.lower) == 1.0 and _THOUSANDS.fullmatch(token.text):
        value = float(token.text.replace(",", ""))  # "1,600 m" is 1600 metres
    found = _read_unit(tokens, i, i + 1, value, source)
    return found or Quantity("bare", value, i, i + 1, token.text)


def _read_worded(tokens: list[Token], i: int, source: str) -> Quantity | None:
    """A number in words before a unit: "two hours", "half an hour", "a mile", "five k"."""
    found = read_number_words(tokens, i)
    if found is None:
        return None
    value, j, article = found
    unit = _at(tokens, j)
    if unit is None or unit.kind != "word" or unit.lower in ("m", "s"):
        return None  # "a m" is more likely "a.m." than a number of metres or minutes
    if article and len(unit.lower) < 3 and unit.lower not in ("km", "hr"):
        return None
    return _read_unit(tokens, i, j, value, source)


def _read_unit(
    tokens: list[Token], i: int, j: int, value: float, source: str
) -> Quantity | None:
    """The quantity of `value` (written at tokens[i:j]) in the unit at tokens[j], if it is one."""
    word = tokens[j].lower
    is_duration = word in DURATION_UNITS and not (word == "m" and m_means_metres(value))
    if (is_duration or word in DISTANCE_UNITS) and value < 0:
        raise _refuse_negative(_span(tokens, i, j + 1, source))
    if is_duration:
        return _read_compound_duration(tokens, i, j, value, source)
    if word in DISTANCE_UNITS:
        end = j + 1
        half = and_a_half(tokens, end)  # "a mile and a half"
        end += 3 if half else 0
        metres = (value + half) * DISTANCE_UNITS[word]
        return Quantity("distance", metres, i, end, _span(tokens, i, end, source))
    return None


def _read_compound_duration(
    tokens: list[Token], i: int, j: int, value: float, source: str
) -> Quantity:
    """Read "25min", "1h10", "1h 10m", "25m30s", "1 hour 5 minutes", "an hour and a half",
    "1 hour and 10 minutes" from tokens[i] (the unit of the first part at tokens[j])."""
    rank = DURATION_UNITS[tokens[j].lower]
    k = j + 1
    half = and_a_half(tokens, k)  # "an hour and a half"
    total = (value + half) * SECONDS_PER_RANK[rank]
    k += 3 if half else 0
    while rank > SECOND and not half:
        if (joiner := _at(tokens, k)) is not None and joiner.is_word("and"):
            part_at = _part_at(tokens, k + 1)  # "1 hour and 10 minutes"
            if part_at is None or _smaller_unit(_at(tokens, part_at[1]), part_at[0], rank) is None:
                break
            k += 1
        part_at = _part_at(tokens, k)
        if part_at is None:
            break
        part, after_index = part_at
        number, after = tokens[k], _at(tokens, after_index)
        next_rank = _smaller_unit(after, part, rank)
        if next_rank is not None:
            step = after_index + 1 - k
        elif (
            number.kind == "number"
            and not number.spaced
            and (after is None or after.spaced or after.kind != "word")
        ):
            # A number glued to the unit before it takes the next smaller unit: "1h10".
            next_rank, step = rank - 1, 1
        else:
            break
        if not 0 <= part < 60:
            text = _span(tokens, i, k + step, source)
            raise GrammarError(
                f'I couldn\'t read "{shorten(text)}": the parts after the first '
                "must be between 0 and 59."
            )
        total += part * SECONDS_PER_RANK[next_rank]
        rank, k = next_rank, k + step
    return Quantity("duration", total, i, k, _span(tokens, i, k, source))


def _part_at(tokens: list[Token], k: int) -> tuple[float, int] | None:
    """A later part's number at tokens[k] (digits or words, not "a"): (value, index after)."""
    token = _at(tokens, k)
    if token is None:
        return None
    if token.kind == "number":
        return to_number(token.text), k + 1
    found = read_number_words(tokens, k)
    if found is None or found[2]:
        return None
    return found[0], found[1]


def _smaller_unit(token: Token | None, value: float, rank: int) -> int | None:
    """The rank of `token` if it is a duration unit smaller than `rank`, else None."""
    if token is None or token.kind != "word" or token.lower not in DURATION_UNITS:
        return None
    if token.lower == "m" and m_means_metres(value):
        return None
    unit_rank = DURATION_UNITS[token.lower]
    return unit_rank if unit_rank < rank else None


def _read_named_distance(tokens: list[Token], i: int, source: str) -> Quantity | None:
    """Read a distance named in words: "marathon", "half marathon", "half-marathon"."""
    token = tokens[i]
    if token.is_word("marathon"):
        return Quantity("distance", MARATHON_M, i, i + 1, token.text)
    if token.is_word("halfmarathon"):
        return Quantity("distance", HALF_MARATHON_M, i, i + 1, token.text)
    if token.is_word("half"):
        nxt = _at(tokens, i + 1)
        if nxt is not None and nxt.kind == "other" and nxt.text == "-":
            nxt_word, end = _at(tokens, i + 2), i + 3
        else:
            nxt_word, end = nxt, i + 2
        if nxt_word is not None and nxt_word.is_word("marathon"):
            return Quantity("distance", HALF_MARATHON_M, i, end, _span(tokens, i, end, source))
    return None
