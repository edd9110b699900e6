"""What stays in a `/done` note: times of day ("at 7:00", "6am"), readings of the weather or
the body ("30°C", "150 bpm") and the leftover words."""

from __future__ import annotations

import re

from core.grammar.errors import GrammarError
from core.grammar.lexer import Token
from core.grammar.quantities import read_quantity

_MERIDIEM = frozenset(("am", "pm", "a", "p"))
_EDGE_PUNCTUATION = " \t,;:-–—/|@"
_DEGREES = frozenset(("°", "º", "℃", "℉"))
# Units of things a runner notes that are not the run itself: heat, heart rate, cadence, food.
_NOTE_UNITS = frozenset(
    ("bpm", "degrees", "degree", "deg", "celsius", "fahrenheit", "spm", "kcal", "cal", "kg",
     "kgs", "lb", "lbs")
)


def time_of_day_end(tokens: list[Token], i: int) -> int | None:
    """The end of a time of day at tokens[i] ("7am", "6:30 pm", "at 7:00"), else None."""
    token = tokens[i]
    if token.is_word("at") and i + 1 < len(tokens):
        clock = tokens[i + 1]
        if clock.kind == "clock" and clock.text.count(":") == 1 and not _is_pace(tokens, i + 1):
            return time_of_day_end(tokens, i + 1) or i + 2
        if clock.kind == "number" and _is_hour(tokens, i + 1):
            return time_of_day_end(tokens, i + 1) or i + 2  # "at 7"
        return None
    if token.kind not in ("number", "clock") or i + 1 >= len(tokens):
        return None
    nxt = tokens[i + 1]
    if nxt.kind == "word" and nxt.lower in _MERIDIEM:
        # "7 a.m." arrives as "7", "a", ".", "m", "."; take the dots and the "m" along.
        end = i + 2
        while (
            end < len(tokens)
            and not tokens[end].spaced
            and (tokens[end].text == "." or tokens[end].is_word("m"))
        ):
            end += 1
        if nxt.lower in ("am", "pm") or end > i + 2:
            return end
    return None


def reading_end(tokens: list[Token], i: int) -> int | None:
    """The end of a reading at tokens[i] that belongs in the note: "30°C", "30 °F", "30°",
    "150 bpm", "20 degrees"; else None."""
    token = tokens[i]
    if token.kind != "number" or i + 1 >= len(tokens):
        return None
    nxt = tokens[i + 1]
    if nxt.text in _DEGREES:
        end = i + 2
        if end < len(tokens) and not tokens[end].spaced and tokens[end].is_word("c", "f"):
            end += 1
        return end
    if nxt.kind == "word" and nxt.lower in _NOTE_UNITS:
        return i + 2
    return None


def _is_pace(tokens: list[Token], i: int) -> bool:
    try:
        quantity = read_quantity(tokens, i, "")
    except GrammarError:
        return False
    return quantity is not None and quantity.kind == "pace"


def _is_hour(tokens: list[Token], i: int) -> bool:
    """Whether tokens[i] is a unit-less whole number that can be an hour of the day."""
    try:
        quantity = read_quantity(tokens, i, "")
    except GrammarError:
        return False
    text = tokens[i].text
    return (
        quantity is not None
        and quantity.kind == "bare"
        and text.isdigit()
        and len(text) <= 2
        and int(text) <= 24
    )


def leftover_note(tokens: list[Token], text: str, dropped: set[int]) -> str:
    """The text left after taking out the run's parts, as typed, without stray punctuation."""
    pieces: list[str] = []
    position = 0
    for index, token in enumerate(tokens):
        pieces.append(text[position : token.start])
        if index in dropped:
            pieces.append(" ")
        elif token.kind == "quoted":
            pieces.append(text[token.start + 1 : token.end - 1])
        else:
            pieces.append(text[token.start : token.end])  # as typed, digits and all
        position = token.end
    pieces.append(text[position:])
    note = " ".join("".join(pieces).split())
    # Separators that tied the note to a removed part ("5k, felt good") go with it.
    note = note.lstrip(_EDGE_PUNCTUATION + ".!?").rstrip(_EDGE_PUNCTUATION)
    return re.sub(r"\s+([,;:.!?])", r"\1", note)
