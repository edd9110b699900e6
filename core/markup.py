"""Convert reply markup (an HTML subset, see `core.messages`) to other text dialects."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

_TAG = re.compile(r"</?(b|i|code|pre)>")


def _convert(text: str, tags: dict[str, str], escape: Callable[[str], str]) -> str:
    out: list[str] = []
    pos = 0
    literal = 0  # inside <code>/<pre> nothing is escaped: it is shown verbatim anyway
    for match in _TAG.finditer(text):
        chunk = html.unescape(text[pos : match.start()])
        out.append(chunk if literal else escape(chunk))
        closing = match.group(0).startswith("</")
        out.append(tags.get(("/" if closing else "") + match.group(1), tags[match.group(1)]))
        if match.group(1) in ("code", "pre"):
            literal += -1 if closing else 1
        pos = match.end()
    chunk = html.unescape(text[pos:])
    out.append(chunk if literal else escape(chunk))
    return "".join(out)


def to_plain(text: str) -> str:
    """Plain text for terminals and logs."""
    return _convert(text, {"b": "", "i": "", "code": "", "pre": ""}, lambda s: s)


_MD_SPECIAL = re.compile(r"([\\*_`~|>\[\]()#-])")


def escape_markdown(text: str) -> str:
    """Escape Discord markdown so that user text shows literally."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(text: str) -> str:
    """Discord-flavoured markdown. A code block's text starts on its own line: Discord would
    take a word right after the opening fence as the block's language and hide it."""
    tags = {"b": "**", "i": "*", "code": "`", "pre": "```\n", "/pre": "\n```"}
    return _convert(text, tags, escape_markdown)
