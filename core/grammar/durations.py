"""`parse_duration`: "25min", "1h10", "45:30", "1:05:00", "1.5h" -> seconds."""

from __future__ import annotations

from core.grammar.errors import GrammarError
from core.grammar.lexer import tokenize
from core.grammar.quantities import read_quantity
from core.grammar.text import shorten
from core.text import trim

DURATION_EXAMPLE = "Try 25min, 1h10, 45:30 or 1:05:00."


def parse_duration(text: str) -> float:
    """Seconds in a duration: "25min", "25 minutes", "1h", "1h10", "1h 10m", "1.5h", "90s",
    "45:30" (minutes:seconds), "1:05:00" (h:mm:ss), "1:10h" (h:mm). Must be above zero.

    A bare number is refused: "25" could be minutes or hours. Raises GrammarError.
    """
    tokens = tokenize(text)
    if not tokens:
        raise GrammarError("I need a duration.", DURATION_EXAMPLE)
    try:
        quantity = read_quantity(tokens, 0, text)
    except GrammarError as err:
        raise err.with_example(DURATION_EXAMPLE) from None
    if quantity is None or quantity.end != len(tokens) or quantity.kind != "duration":
        if quantity is not None and quantity.kind == "bare" and len(tokens) == 1:
            number = trim(quantity.value)
            raise GrammarError(f'"{number}" needs a unit.', f"Try {number}min or {number}h.")
        raise GrammarError(f'I couldn\'t read "{shorten(text)}" as a duration.', DURATION_EXAMPLE)
    if not quantity.value > 0:
        raise GrammarError("A duration must be above zero.", DURATION_EXAMPLE)
    return quantity.value
