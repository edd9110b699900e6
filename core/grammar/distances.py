"""`parse_distance`: "5k", "3.2km", "2mi", "1600m", "half marathon" -> metres."""

from __future__ import annotations

from core.grammar.errors import GrammarError
from core.grammar.lexer import tokenize
from core.grammar.quantities import read_quantity
from core.grammar.text import shorten
from core.grammar.units import metres_per_unit

DISTANCE_EXAMPLE = "Try 5k, 3.2km, 2mi or 1600m."


def parse_distance(text: str, units: str = "km") -> float:
    """Metres in a distance: "5k", "5 km", "3,2 km", "2mi", "2 miles", "1600m", "400 m",
    "marathon", "half marathon". A bare number ("5") is taken in `units` ("km" or "mi").

    Must be above zero. Raises GrammarError.
    """
    tokens = tokenize(text)
    if not tokens:
        raise GrammarError("I need a distance.", DISTANCE_EXAMPLE)
    try:
        quantity = read_quantity(tokens, 0, text)
    except GrammarError as err:
        raise err.with_example(DISTANCE_EXAMPLE) from None
    if (
        quantity is None
        or quantity.end != len(tokens)
        or quantity.kind
        not in (
            "distance",
            "bare",
        )
    ):
        raise GrammarError(f'I couldn\'t read "{shorten(text)}" as a distance.', DISTANCE_EXAMPLE)
    metres = quantity.value
    if quantity.kind == "bare":
        metres *= metres_per_unit(units)
    if not metres > 0:
        raise GrammarError("A distance must be above zero.", DISTANCE_EXAMPLE)
    return metres
