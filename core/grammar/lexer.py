"""Split chat text into tokens that keep their place in the original text.

Keeping spans lets the `/done` parser hand back the runner's note exactly as typed (case,
punctuation) once the run's numbers and day have been taken out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

TokenKind = Literal["date", "clock", "number", "word", "quoted", "other"]

# Order matters: an ISO date or a clock time must win over the plain number it starts with.
# A minus sign counts only at the start of a word, so "mon-fri" or "5k-ish" keep their dash.
_TOKEN = re.compile(
    r"""
      (?P<date>(?<![0-9])[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9]))
    | (?P<clock>(?:(?<!\S)-)?[0-9]+(?::[0-9]+)+(?:[.,][0-9]+)?)
    | (?P<number>(?:(?<!\S)-)?[0-9]+(?:[.,][0-9]+)?)
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


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, in order; whitespace is dropped."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        assert kind is not None  # every alternative is a named group
        start = match.start()
        spaced = start == 0 or text[start - 1].isspace()
        tokens.append(Token(cast(TokenKind, kind), match.group(), start, match.end(), spaced))
    return tokens
