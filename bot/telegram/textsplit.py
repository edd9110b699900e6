"""Split reply markup (Telegram's HTML subset) into messages that fit Telegram's limits.

Telegram counts a message's length after parsing, so tags are free and `&amp;` is one
character. Pieces are cut at a line break if possible, else at a space, else anywhere but
inside a tag or an entity; tags open at a cut are closed at the end of one piece and opened
again at the start of the next, so every piece is valid HTML on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TEXT_LIMIT = 4096  # sendMessage text, after entity parsing
CAPTION_LIMIT = 1024  # photo and document captions

_TOKEN = re.compile(r"<(/?)(b|i|code|pre)>|&(?:[a-z]+|#\d+|#x[0-9a-fA-F]+);|.", re.DOTALL)
_TAG = re.compile(r"</?(?:b|i|code|pre)>")  # the tag tokens of `_TOKEN`


def units(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram measures in."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class _Token:
    raw: str
    width: int  # visible length in UTF-16 units; 0 for tags
    tag: str = ""  # tag name for tags
    closing: bool = False


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        if match.group(2):
            out.append(_Token(raw, 0, match.group(2), bool(match.group(1))))
        elif raw.startswith("&") and len(raw) > 1:
            out.append(_Token(raw, 1))
        else:
            out.append(_Token(raw, units(raw)))
    return out


def visible_length(text: str) -> int:
    """The length Telegram will count for `text` once parsed."""
    return sum(token.width for token in _tokens(text))


def fits(text: str, limit: int) -> bool:
    """`visible_length(text) <= limit`, without tokenizing texts that obviously fit.

    Tags count 0 and entities 1, so the visible length is at most the raw length in UTF-16
    units: most replies are decided by that alone.
    """
    return units(text) <= limit or visible_length(text) <= limit


def split_html(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """`text` as pieces of at most `limit` visible units each, each valid on its own.

    A text with nothing visible gives no pieces (Telegram refuses empty messages).
    """
    if limit < 2:
        raise ValueError("limit must allow at least one character")
    if units(text) <= limit:  # fits whole (see `fits`): the common case needs no tokens
        return [text] if _TAG.sub("", text).strip() else []
    tokens = _tokens(text)
    if not _shows_something(tokens):
        return []
    if sum(t.width for t in tokens) <= limit:
        return [text]
    pieces: list[str] = []
    start, opened = 0, list[str]()  # tags still open where the current piece starts
    while start < len(tokens):
        end, stack, resume = _cut(tokens, start, opened, limit)
        chunk = tokens[start:end]
        if _shows_something(chunk):
            body = "".join(t.raw for t in chunk).strip(" \n")
            opening = "".join(f"<{tag}>" for tag in opened)
            pieces.append(opening + body + "".join(f"</{tag}>" for tag in reversed(stack)))
        start, opened = resume, stack
    return pieces


def _shows_something(tokens: list[_Token]) -> bool:
    return bool("".join(t.raw for t in tokens if not t.tag).strip())


def _cut(
    tokens: list[_Token], start: int, opened: list[str], limit: int
) -> tuple[int, list[str], int]:
    """Where the piece from `start` ends: (end, tags open there, where the next starts).

    The best cut is at a line break in the second half of the piece, then at a space, then
    at any line break, then wherever the limit falls. The break character itself is dropped.
    """
    width, stack = 0, list(opened)
    breaks: dict[str, tuple[int, int, list[str]]] = {}  # "\n"/" " -> (index, width, tags)
    index = start
    while index < len(tokens):
        token = tokens[index]
        if token.raw in ("\n", " "):
            breaks[token.raw] = (index, width, list(stack))
        if width + token.width > limit:
            break
        width += token.width
        if token.tag:
            _track(stack, token)
        index += 1
    if index == len(tokens):
        return index, stack, index
    newline, space = breaks.get("\n"), breaks.get(" ")
    late_newline = newline if newline is not None and newline[1] * 2 >= limit else None
    for found in (late_newline, space, newline):
        if found is not None and found[0] > start:
            at, _, open_there = found
            return at, open_there, at + 1
    return index, stack, index


def _track(stack: list[str], token: _Token) -> None:
    if not token.closing:
        stack.append(token.tag)
    elif token.tag in stack:
        # Remove the innermost match; core markup nests properly, this just stays safe.
        del stack[len(stack) - 1 - stack[::-1].index(token.tag)]
