"""The fake Telegram's parse modes: plain text, UTF-16 entities and Telegram's parse errors."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.e2e.fakes.telegram_formatting import (
    EntityParseError,
    format_text,
    parse_html,
    parse_markdown,
    parse_markdown_v2,
)

_V2_RESERVED = "_*[]()~`>#+-=|{}.!\\"


def _entity(kind: str, offset: int, length: int, **extra: str) -> dict[str, object]:
    return {"type": kind, "offset": offset, "length": length} | extra


# --- HTML -----------------------------------------------------------------------------------


def test_html_tags_become_entities_with_utf16_offsets() -> None:
    parsed = parse_html("🏃 <b>Streak <i>4</i></b> &lt;days&gt; &#x1F525; R&amp;D & co")

    assert parsed.text == "🏃 Streak 4 <days> 🔥 R&D & co"
    assert parsed.entities == [_entity("bold", 3, 8), _entity("italic", 10, 1)]


def test_html_links_pre_language_quotes_and_spoilers() -> None:
    parsed = parse_html(
        '<a href="https://x.org/?a=1&amp;b=2">plan</a> '
        '<pre><code class="language-python">x = 1</code></pre> '
        '<blockquote expandable>long</blockquote> <span class="tg-spoiler">s</span>'
    )

    assert parsed.text == "plan x = 1 long s"
    assert parsed.entities == [
        _entity("text_link", 0, 4, url="https://x.org/?a=1&b=2"),
        _entity("pre", 5, 5, language="python"),
        _entity("expandable_blockquote", 11, 4),
        _entity("spoiler", 16, 1),
    ]


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("pace < 5:00", 'Unsupported start tag "" at byte offset 5'),
        ("<br/>line", 'Unsupported start tag "br" at byte offset 0'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("é</b>", "Unexpected end tag at byte offset 2"),
        ('<a href="x>y', "Unclosed start tag at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ],
)
def test_html_errors_match_telegram(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as raised:
        parse_html(source)
    assert str(raised.value) == error


@given(st.text())
def test_html_escaped_text_reads_back_unchanged(text: str) -> None:
    assert format_text(html.escape(text), "HTML", None).text == text.strip()


# --- MarkdownV2 -----------------------------------------------------------------------------


def test_markdown_v2_markup_escapes_and_links() -> None:
    parsed = parse_markdown_v2(
        r"*b* _i_ __u__ ~s~ ||sp|| `a.b` [plan](https://x.org/a\)b) 5\.0 \- done"
    )

    assert parsed.text == "b i u s sp a.b plan 5.0 - done"
    assert parsed.entities == [
        _entity("bold", 0, 1),
        _entity("italic", 2, 1),
        _entity("underline", 4, 1),
        _entity("strikethrough", 6, 1),
        _entity("spoiler", 8, 2),
        _entity("code", 11, 3),
        _entity("text_link", 15, 4, url="https://x.org/a)b"),
    ]


def test_markdown_v2_pre_and_block_quotes() -> None:
    assert parse_markdown_v2("```python\nprint(1)\n```").entities == [
        _entity("pre", 0, 9, language="python")
    ]
    quoted = parse_markdown_v2(">Rest day\n>Sleep\nafter")
    assert quoted.text == "Rest day\nSleep\nafter"
    assert quoted.entities == [_entity("blockquote", 0, 14)]


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("5.0 km", "Character '.' is reserved and must be escaped with the preceding '\\'"),
        ("Tempo!", "Character '!' is reserved and must be escaped with the preceding '\\'"),
        ("a > b", "Character '>' is reserved and must be escaped with the preceding '\\'"),
        ("é *bold", "Can't find end of Bold entity at byte offset 3"),
        ("[x](http://", "Can't find end of a URL at byte offset 4"),
    ],
)
def test_markdown_v2_errors_match_telegram(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as raised:
        parse_markdown_v2(source)
    assert str(raised.value) == error


@given(st.text())
def test_markdown_v2_escaped_text_reads_back_unchanged(text: str) -> None:
    escaped = "".join("\\" + c if c in _V2_RESERVED else c for c in text)
    assert format_text(escaped, "MarkdownV2", None).text == text.strip()


# --- legacy Markdown, plain text ------------------------------------------------------------


def test_legacy_markdown_needs_no_escaping_of_dots() -> None:
    parsed = parse_markdown("*Week 3*: 5.0 km _easy_ [plan](https://x.org)")

    assert parsed.text == "Week 3: 5.0 km easy plan"
    assert [e["type"] for e in parsed.entities] == ["bold", "italic", "text_link"]
    with pytest.raises(EntityParseError, match="starting at byte offset 0"):
        parse_markdown("*open")


def test_plain_text_is_trimmed_and_explicit_entities_move_along() -> None:
    formatted = format_text("\n  hi there  \n", None, [_entity("bold", 5, 5)])

    assert formatted.text == "hi there"
    assert formatted.entities == [_entity("bold", 2, 5)]
    with pytest.raises(ValueError, match="unsupported parse_mode"):
        format_text("x", "BBCode", None)
