"""Numbers written in words: "two", "twenty-five", "a", "half", "one and a half".

Only the quantity reader uses them, and only right before a unit ("two hours", "half an hour",
"a mile"): on their own, "one" or "a" are ordinary note words.
"""

from __future__ import annotations

from core.grammar.lexer import Token

ONES: dict[str, int] = {
    name: value
    for value, name in enumerate(
        (
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen",
        )
    )
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
ARTICLES = frozenset(("a", "an"))
# Words that count something without saying how much: "a few minutes", "a couple of miles".
VAGUE = frozenset(("few", "couple", "several", "some", "many", "lots", "bunch", "dozen"))
NUMBER_WORDS = frozenset((*ONES, *TENS, "half", "quarter", "quarters", "hundred", "thousand"))


def _at(tokens: list[Token], i: int) -> Token | None:
    return tokens[i] if 0 <= i < len(tokens) else None


def read_number_words(tokens: list[Token], i: int) -> tuple[float, int, bool] | None:
    """The number written in words at tokens[i]: (value, end index, is_article).

    "two" -> 2, "twenty five" / "twenty-five" -> 25, "one and a half" -> 1.5, "a"/"an" -> 1
    (is_article: only before a unit word it is one), "half" / "half an" / "a half" -> 0.5,
    "a quarter of an" -> 0.25, "three quarters of an" -> 0.75. None when tokens[i] starts no
    number.
    """
    token = tokens[i]
    if token.kind != "word":
        return None
    word = token.lower
    if word in ARTICLES:
        nxt = _at(tokens, i + 1)
        if nxt is not None and nxt.is_word(*_FRACTIONS):  # "a half hour", "a quarter of an"
            value, end, _ = read_number_words(tokens, i + 1) or (0.0, i + 1, False)
            return value, end, False
        return 1.0, i + 1, True
    if word in _FRACTIONS:
        return _FRACTIONS[word], _skip_of_article(tokens, i + 1), False
    if word in TENS or word in ONES:
        value, end = _whole_number(tokens, i)
        nxt = _at(tokens, end)
        if nxt is not None and nxt.is_word("quarter", "quarters"):  # "three quarters of an"
            return value / 4, _skip_of_article(tokens, end + 1), False
        half = and_a_half(tokens, end)
        return value + half, end + (3 if half else 0), False
    return None


_FRACTIONS = {"half": 0.5, "quarter": 0.25}


def _skip_of_article(tokens: list[Token], i: int) -> int:
    """The index after an optional "of" and an optional "a"/"an" at tokens[i]."""
    nxt = _at(tokens, i)
    if nxt is not None and nxt.is_word("of"):
        i += 1
    nxt = _at(tokens, i)
    return i + 1 if nxt is not None and nxt.lower in ARTICLES else i


def _whole_number(tokens: list[Token], i: int) -> tuple[float, int]:
    """0 to 99 at tokens[i] (a word of ONES or TENS): "seven", "forty two", "forty-two"."""
    word = tokens[i].lower
    if word in ONES:
        return float(ONES[word]), i + 1
    value, end = TENS[word], i + 1
    dash = _at(tokens, end)
    if dash is not None and dash.text == "-" and not dash.spaced:
        end += 1  # "twenty-five"
    ones = _at(tokens, end)
    if ones is not None and ones.kind == "word" and 1 <= ONES.get(ones.lower, 0) <= 9:
        return float(value + ONES[ones.lower]), end + 1
    return float(value), i + 1


def and_a_half(tokens: list[Token], i: int) -> float:
    """0.5 when tokens[i:i+3] say "and a half", else 0."""
    words = [t.lower if t.kind == "word" else "" for t in tokens[i : i + 3]]
    return 0.5 if words == ["and", "a", "half"] else 0.0
