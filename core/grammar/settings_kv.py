"""`key=value` settings, as in `/start level=beginner days=3 tz=Europe/Berlin`."""

from __future__ import annotations

import re

from core.grammar.errors import GrammarError
from core.grammar.text import shorten

KV_EXAMPLE = "Try level=beginner days=3 time=07:00 tz=Europe/Berlin."

# key = value, where value is "double quoted", 'single quoted', “curly quoted” or one word.
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")  # digits first: 5k=24:30
_PAIR = re.compile(
    r"""\s*(?P<key>[A-Za-z0-9][A-Za-z0-9_-]*)\s*=\s*
        (?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|“(?P<cq>[^”]*)”|(?P<bare>[^\s"'“”=]+))""",
    re.VERBOSE,
)


def parse_key_values(text: str) -> dict[str, str]:
    """The settings in `text` as {key: value}: keys lower-cased (dashes become underscores),
    values trimmed. Values may be quoted to hold spaces (`name="Anna Lee"`).

    Raises GrammarError for anything that is not a key=value pair, an empty value or a key
    given twice.
    """
    pairs: dict[str, str] = {}
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _PAIR.match(stripped, position)
        if match is None:
            junk = stripped[position:].split()[0]
            if junk.endswith("=") and _KEY.fullmatch(junk[:-1]):
                raise GrammarError(f'The setting "{junk[:-1].lower()}" needs a value.', KV_EXAMPLE)
            raise GrammarError(f'I couldn\'t read "{shorten(junk)}" as a setting.', KV_EXAMPLE)
        key = match["key"].lower().replace("-", "_")
        value = next(
            v for v in (match["dq"], match["sq"], match["cq"], match["bare"]) if v is not None
        ).strip()
        if not value:
            raise GrammarError(f'The setting "{key}" needs a value.', KV_EXAMPLE)
        if key in pairs:
            raise GrammarError(f'The setting "{key}" is given twice.', KV_EXAMPLE)
        pairs[key] = value
        position = match.end()
        if position < len(stripped) and not stripped[position].isspace():
            start = match.start("key")
            chunk = stripped[start:].split()[0]
            raise GrammarError(
                f'I couldn\'t read "{shorten(chunk)}": put a space between settings.', KV_EXAMPLE
            )
    return pairs
