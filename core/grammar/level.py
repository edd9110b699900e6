"""The runner's level: first mile, faster mile or personal record."""

from __future__ import annotations

from core.grammar.errors import GrammarError
from core.grammar.text import fold, shorten

LEVELS = ("beginner", "improving", "competitive")
_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(
        ("beginner", "first", "first mile", "1", "novice", "new", "start"), "beginner"
    ),
    **dict.fromkeys(
        ("improving", "faster", "faster mile", "2", "intermediate", "improve"), "improving"
    ),
    **dict.fromkeys(
        (
            "competitive",
            "pr",
            "personal record",
            "personal best",
            "pb",
            "3",
            "advanced",
            "compete",
            "race",
        ),
        "competitive",
    ),
}
LEVEL_EXAMPLE = (
    "Try beginner (first mile), improving (faster mile) or competitive (personal record)."
)


def parse_level(text: str) -> str:
    """The level, "beginner", "improving" or "competitive", from those words, their goals
    ("first mile", "faster mile", "personal record"/"pr") or 1/2/3. Raises GrammarError."""
    key = " ".join(fold(text).replace("-", " ").replace("_", " ").split())
    key = key.removeprefix("my ").removesuffix(" mile time")
    if key in _SYNONYMS:
        return _SYNONYMS[key]
    raise GrammarError(f'I don\'t know the level "{shorten(text.strip())}".', LEVEL_EXAMPLE)
