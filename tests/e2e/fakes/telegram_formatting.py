"""Telegram's message formatting, as the Bot API server applies it.

A bot sends `text` plus an optional `parse_mode`; Telegram answers with the plain text the user
sees and a list of `MessageEntity` objects (offsets in UTF-16 code units), or rejects the message
with "Bad Request: can't parse entities: ...". Reproducing that here lets end-to-end tests catch
the classic rendering bug (an unescaped `<` in HTML) before Telegram does. The rules follow
tdlib's HTML parser closely but not byte for byte. Pacer sends HTML or plain text only, so the
fake answers any other parse mode (MarkdownV2, Markdown) with "unsupported parse_mode" rather
than modelling parsers nothing uses.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

_HTML_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "span": "spoiler",
    "tg-emoji": "custom_emoji",
}
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_NUMERIC_ENTITY = re.compile(r"&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});")
_NAMED_ENTITY = re.compile(r"&([a-zA-Z]{2,4});")


class EntityParseError(ValueError):
    """The text cannot be parsed in the requested parse mode (Telegram answers 400)."""


@dataclass
class FormattedText:
    """Plain text as the user sees it, plus its entities (Bot API `MessageEntity` dicts)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of every Telegram entity offset."""
    return len(text.encode("utf-16-le")) // 2


def format_text(text: str, parse_mode: str | None, entities: list[Any] | None) -> FormattedText:
    """Apply `parse_mode` (or explicit `entities`) and trim, as Telegram does on send."""
    if parse_mode is None or parse_mode == "":
        formatted = FormattedText(text, [dict(e) for e in entities or [] if isinstance(e, dict)])
    elif parse_mode == "HTML":
        formatted = parse_html(text)
    else:  # Pacer sends HTML only; MarkdownV2 and Markdown are not modelled
        raise ValueError("unsupported parse_mode")
    return _trimmed(formatted)


def _trimmed(formatted: FormattedText) -> FormattedText:
    """Strip surrounding whitespace and move/clip entities with it."""
    text = formatted.text
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    stripped = text.strip()
    end = lead + utf16_len(stripped)
    entities = []
    for entity in formatted.entities:
        begin = max(entity["offset"], lead)
        finish = min(entity["offset"] + entity["length"], end)
        if finish > begin:
            entities.append(entity | {"offset": begin - lead, "length": finish - begin})
    return FormattedText(stripped, entities)


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


@dataclass
class _Open:
    """An entity whose end marker has not been seen yet."""

    kind: str
    start: int  # UTF-16 offset in the output text
    index: int  # index in the source, for error messages
    tag: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    merged: bool = False  # <code class="language-x"> inside <pre>: folded into the pre entity


class _Builder:
    """Accumulates output text and entities, tracking the UTF-16 offset."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.entities: list[dict[str, Any]] = []

    def append(self, text: str) -> None:
        self.parts.append(text)
        self.offset += utf16_len(text)

    def close(self, opened: _Open, end: int | None = None) -> None:
        length = (self.offset if end is None else end) - opened.start
        if length > 0 and not opened.merged:
            entity = {"type": opened.kind, "offset": opened.start, "length": length}
            self.entities.append(entity | opened.extra)

    def result(self) -> FormattedText:
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return FormattedText("".join(self.parts), entities)


# --- HTML -----------------------------------------------------------------------------------


def parse_html(source: str) -> FormattedText:
    """Parse Telegram's HTML subset; raise EntityParseError like Telegram would."""
    out = _Builder()
    stack: list[_Open] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "&":
            decoded, width = _decode_html_entity(source, i)
            out.append(decoded)
            i += width
        elif char != "<":
            out.append(char)
            i += 1
        elif source.startswith("</", i):
            i = _close_html_tag(source, i, stack, out)
        else:
            i = _open_html_tag(source, i, stack, out)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    return out.result()


def _decode_html_entity(source: str, i: int) -> tuple[str, int]:
    """Decode one `&...;` at `i`; an unknown one stays a literal `&`, as in tdlib."""
    if numeric := _NUMERIC_ENTITY.match(source, i):
        digits = numeric.group(1)
        code = int(digits[1:], 16) if digits.startswith("x") else int(digits)
        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code), numeric.end() - i
    if (named := _NAMED_ENTITY.match(source, i)) and named.group(1) in _NAMED_HTML_ENTITIES:
        return _NAMED_HTML_ENTITIES[named.group(1)], named.end() - i
    return "&", 1


def _open_html_tag(source: str, i: int, stack: list[_Open], out: _Builder) -> int:
    name_end = i + 1
    while name_end < len(source) and (source[name_end].isalnum() or source[name_end] == "-"):
        name_end += 1
    name = source[i + 1 : name_end].lower()
    if name not in _HTML_SIMPLE_TAGS:
        raise EntityParseError(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, i)}'
        )
    attributes, end = _html_attributes(source, name_end, name, i)
    opened = _Open(_HTML_SIMPLE_TAGS[name], out.offset, i, tag=name)
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise EntityParseError('Tag "span" must have class "tg-spoiler"')
    if name == "a":
        opened.extra = {"url": html.unescape(attributes.get("href", ""))}
    elif name == "tg-emoji":
        opened.extra = {"custom_emoji_id": attributes.get("emoji-id", "")}
    elif name == "blockquote" and "expandable" in attributes:
        opened.kind = "expandable_blockquote"
    elif name == "code" and stack and stack[-1].tag == "pre":
        language = attributes.get("class", "")
        if language.startswith("language-"):
            stack[-1].extra = {"language": language.removeprefix("language-")}
            opened.merged = True
    stack.append(opened)
    return end


def _html_attributes(source: str, i: int, tag: str, tag_index: int) -> tuple[dict[str, str], int]:
    """Parse attributes up to the closing `>`; return them and the index after `>`."""
    attributes: dict[str, str] = {}
    while True:
        while i < len(source) and source[i].isspace():
            i += 1
        if i >= len(source):
            raise EntityParseError(
                f"Unclosed start tag at byte offset {_byte_offset(source, tag_index)}"
            )
        if source[i] == ">":
            return attributes, i + 1
        name_start = i
        while i < len(source) and not source[i].isspace() and source[i] not in "=>":
            i += 1
        name = source[name_start:i].lower()
        while i < len(source) and source[i].isspace():
            i += 1
        if i >= len(source) or source[i] != "=":
            if name == "expandable" and tag == "blockquote":
                attributes[name] = ""
                continue
            raise EntityParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {_byte_offset(source, name_start)}"
            )
        i += 1
        while i < len(source) and source[i].isspace():
            i += 1
        if i < len(source) and source[i] in "\"'":
            end = source.find(source[i], i + 1)
            if end == -1:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(source, tag_index)}"
                )
            attributes[name] = source[i + 1 : end]
            i = end + 1
        else:
            value_start = i
            while i < len(source) and not source[i].isspace() and source[i] != ">":
                i += 1
            attributes[name] = source[value_start:i]


def _close_html_tag(source: str, i: int, stack: list[_Open], out: _Builder) -> int:
    end = source.find(">", i)
    if end == -1:
        raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(source, i)}")
    name = source[i + 2 : end].strip().lower()
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(source, i)}")
    opened = stack.pop()
    if name != opened.tag:
        raise EntityParseError(
            f"Unmatched end tag at byte offset {_byte_offset(source, i)}, "
            f'expected "</{opened.tag}>", found "</{name}>"'
        )
    out.close(opened)
    return end + 1
