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
)


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


# --- other parse modes, plain text -----------------------------------------------------------


@pytest.mark.parametrize("mode", ["MarkdownV2", "Markdown", "BBCode"])
def test_parse_modes_pacer_never_sends_are_unsupported(mode: str) -> None:
    with pytest.raises(ValueError) as raised:
        format_text("*Week 3*: 5.0 km", mode, None)
    assert str(raised.value) == "unsupported parse_mode"


def test_plain_text_is_trimmed_and_explicit_entities_move_along() -> None:
    formatted = format_text("\n  hi there  \n", None, [_entity("bold", 5, 5)])

    assert formatted.text == "hi there"
    assert formatted.entities == [_entity("bold", 2, 5)]
