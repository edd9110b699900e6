"""`/sleep`: "7.5h", "7h30", "7:30", "450min" -> hours slept."""

from __future__ import annotations

import re
from datetime import date

from core.grammar.days import read_day, resolve_past
from core.grammar.errors import GrammarError
from core.grammar.lexer import Token, ascii_digits, tokenize
from core.grammar.quantities import Quantity, read_quantity
from core.grammar.text import shorten, to_number
from core.text import trim

SLEEP_EXAMPLE = "Try /sleep 7.5h, /sleep 7h30 or /sleep 7:30."
NIGHT_EXAMPLE = "Try /sleep yesterday 7h or /sleep sun 7h30."
SLEEP_LOOKBACK_DAYS = 7
_LAST_NIGHT = re.compile(r"^\s*last\s+night\b|\blast\s+night\s*$", re.IGNORECASE)
MAX_SLEEP_HOURS = 16.0
_HOURS_MINUTES = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_COMMAND = re.compile(r"^\s*/sleep(?:@\w+)?(?=\s|$)", re.IGNORECASE)


def parse_sleep(text: str) -> float:
    """Hours of sleep from "7.5h", "7.5", "7,5h", "7h30", "7h 30m", "7 h 30", "7:30" (h:mm),
    "7 hours", "450min". A bare number is hours. Refuses zero, more than 16 hours and text.

    Raises GrammarError.
    """
    cleaned = ascii_digits(_COMMAND.sub("", text, count=1).strip())
    if not cleaned:
        raise GrammarError("How long did you sleep?", SLEEP_EXAMPLE)
    try:
        hours, number = _read_hours(cleaned)
    except GrammarError as err:
        raise err.with_example(SLEEP_EXAMPLE) from None
    if not hours > 0:
        raise GrammarError("Sleep must be more than zero hours.", SLEEP_EXAMPLE)
    if hours > MAX_SLEEP_HOURS:
        meant_minutes = number and hours >= 60
        hint = SLEEP_EXAMPLE
        if meant_minutes:
            hint = f"If you meant minutes, try /sleep {number}min."
        raise GrammarError(
            f"{shorten(trim(hours))} hours is more than a night's sleep (I log up "
            f"to {trim(MAX_SLEEP_HOURS)} h).",
            hint,
        )
    return hours


def _read_hours(text: str) -> tuple[float, str]:
    """Hours in `text`, and the bare number typed if there was one (for a minutes hint)."""
    if match := _HOURS_MINUTES.fullmatch(text):
        if int(match.group(2)) >= 60:
            raise GrammarError(f'"{text}" has minutes of 60 or more.')
        return int(match.group(1)) + int(match.group(2)) / 60, ""
    tokens = tokenize(text)
    quantity = read_quantity(tokens, 0, text)
    if quantity is None:
        raise GrammarError(f'I couldn\'t read "{shorten(text)}" as hours of sleep.')
    hours = _hours_of(quantity, tokens[quantity.start + 1].lower if quantity.end > 1 else "")
    rest = tokens[quantity.end :]
    if rest and _ends_in_hours(quantity, tokens) and len(rest) == 1 and rest[0].kind == "number":
        minutes = to_number(rest[0].text)  # "7h 30": the minutes' unit is implied
        if not 0 <= minutes < 60:
            raise GrammarError(f'"{shorten(text)}" has minutes of 60 or more.')
        return hours + minutes / 60, ""
    if rest:
        raise GrammarError(f'I couldn\'t read "{shorten(text)}" as hours of sleep.')
    return hours, quantity.text if quantity.kind == "bare" else ""


def _hours_of(quantity: Quantity, unit: str) -> float:
    if quantity.kind == "bare":
        return quantity.value
    if quantity.kind == "duration":
        if quantity.clock_parts == 2:
            return quantity.value / 60  # a night is "7:30", hours and minutes, not mm:ss
        return quantity.value / 3600
    if quantity.kind == "distance" and unit == "m":
        return quantity.value / 60  # "450m" of sleep is minutes, not metres
    raise GrammarError(f'"{shorten(quantity.text)}" is not a length of sleep.')


def _ends_in_hours(quantity: Quantity, tokens: list[Token]) -> bool:
    last = tokens[quantity.end - 1]
    return last.kind == "word" and last.lower in ("h", "hr", "hrs", "hour", "hours")


def parse_sleep_night(text: str, today: date) -> tuple[date, float]:
    """The morning a night ended on and the hours slept: "7h" or "last night 7h" is last
    night (today's morning); "yesterday 7h", "sun 7h30" or "7h 2026-05-10" name an earlier
    night by the morning it ended — "yesterday" is the night before yesterday morning. Up to
    `SLEEP_LOOKBACK_DAYS` back; never a night still to come. Raises GrammarError."""
    cleaned = _LAST_NIGHT.sub(" ", _COMMAND.sub("", text, count=1)).strip()
    tokens = tokenize(cleaned)
    for i in (0, len(tokens) - 1, len(tokens) - 2):
        if not 0 <= i < len(tokens):
            continue
        found = read_day(tokens, i)
        if found is None or (i > 0 and found[1] != len(tokens)):
            continue
        ref, end = found
        rest = f"{cleaned[: tokens[i].start]} {cleaned[tokens[end - 1].end :]}".strip()
        try:
            day = resolve_past(ref, today)
        except GrammarError as err:
            raise err.with_example(NIGHT_EXAMPLE) from None
        if day > today:
            raise GrammarError("That night is still to come.", NIGHT_EXAMPLE)
        if (today - day).days > SLEEP_LOOKBACK_DAYS:
            raise GrammarError(
                f"I log sleep for the last {SLEEP_LOOKBACK_DAYS} nights only.", NIGHT_EXAMPLE
            )
        return day, parse_sleep(rest)
    return today, parse_sleep(cleaned)
