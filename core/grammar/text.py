"""Small text helpers shared by the parsers: accent folding, number reading, quoting."""

from __future__ import annotations

import math
import re
import unicodedata

from core.grammar.errors import GrammarError

_NUMBER = re.compile(r"-?(?:[0-9]+(?:[.,][0-9]+)?[½¼¾]?|[½¼¾])")
FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75}


def fold(text: str) -> str:
    """Lower-case `text` and drop accents, so "São Paulo" and "sao paulo" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def to_number(text: str) -> float:
    """Read "5", "3.2", "3,2" (a comma is a decimal point), "1½" or "½". Always finite.

    Raises GrammarError for anything else, so callers never see a bare ValueError.
    """
    if not _NUMBER.fullmatch(text):
        raise GrammarError(f'I couldn\'t read "{text}" as a number.')
    body = text.removeprefix("-")
    fraction = FRACTIONS.get(body[-1], 0.0)
    whole = body[:-1] if fraction else body
    value = (float(whole.replace(",", ".")) if whole else 0.0) + fraction
    if text.startswith("-"):
        value = -value
    if not math.isfinite(value):
        # float() turns a few hundred digits into inf; nobody means that.
        raise GrammarError(f'"{shorten(text)}" is far too large a number.')
    return value


def shorten(text: str, limit: int = 24) -> str:
    """`text` cut to `limit` characters with an ellipsis, for quoting input back safely."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
