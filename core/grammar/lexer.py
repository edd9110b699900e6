"""Split chat text into tokens that keep their place in the original text.

Keeping spans lets the `/done` parser hand back the runner's note exactly as typed (case,
punctuation) once the run's numbers and day have been taken out.

Digits of every script ("３０", "٣٠", "३०") and full-width signs ("：", "．") are read as their
ASCII forms, one character for one, so a token's `text` is ASCII where it matters while its
span still points at what the runner typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal, cast

TokenKind = Literal["date", "clock", "number", "word", "quoted", "other"]

# Order matters: an ISO date or a clock time must win over the plain number it starts with.
# A minus sign counts only at the start of a word, so "mon-fri" or "5k-ish" keep their dash.
_TOKEN = re.compile(
    r"""
      (?P<date>(?<![0-9])[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9]))
    | (?P<clock>(?:(?<!\S)-)?[0-9]+(?::[0-9]+)+(?:[.,][0-9]+)?)
    | (?P<number>(?:(?<!\S)-)?(?:[0-9]+(?:[.,][0-9]+)?[½¼¾]?|[½¼¾]))
    | (?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)
    | (?P<quoted>"[^"]*"|“[^”]*”)
    | (?P<other>\S)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    """One piece of input: its kind, its text as typed and where it sits."""

    kind: TokenKind
    text: str
    start: int
    end: int
    spaced: bool  # whitespace (or the start of the text) comes right before it

    @property
    def lower(self) -> str:
        return self.text.lower()

    def is_word(self, *words: str) -> bool:
        """Whether this is a word token equal (case-insensitively) to one of `words`."""
        return self.kind == "word" and self.lower in words


# Separators NFKC leaves alone: the Arabic decimal and thousands signs.
_SIGNS = {"\u066b": ".", "\u066c": ","}


def ascii_digits(text: str) -> str:
    """`text` with every decimal digit (any script) as 0-9 and full-width or other compatibility
    forms of ASCII characters as ASCII (NFKC, where it gives one character): same length, so
    positions in it are positions in `text`."""
    if text.isascii():
        return text
    return "".join(_ascii_char(ch) for ch in text)


def _ascii_char(ch: str) -> str:
    if ch.isascii():
        return ch
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    if ch in _SIGNS:
        return _SIGNS[ch]
    folded = unicodedata.normalize("NFKC", ch)
    # Superscripts and the like ("²") stay: they are not digits a runner types as a number.
    if len(folded) == 1 and folded.isascii() and not folded.isdigit():
        return folded
    return ch


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, in order; whitespace is dropped. A token's `text` has ASCII digits
    (see `ascii_digits`); its `start`/`end` index the text as typed."""
    tokens: list[Token] = []
    text = ascii_digits(text)
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        assert kind is not None  # every alternative is a named group
        start = match.start()
        spaced = start == 0 or text[start - 1].isspace()
        tokens.append(Token(cast(TokenKind, kind), match.group(), start, match.end(), spaced))
    return tokens
