"""Splitting reply markup into Telegram-sized messages that stay valid HTML."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.textsplit import fits, split_html, units, visible_length
from core.markup import to_plain
from core.messages import esc

TAG = re.compile(r"<(/?)(b|i|code|pre)>")


def balanced(piece: str) -> bool:
    stack: list[str] = []
    for closing, name in TAG.findall(piece):
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def words(text: str) -> list[str]:
    return to_plain(text).split()


def test_a_short_text_is_left_alone() -> None:
    assert split_html("<b>Today</b> &amp; tomorrow", 4096) == ["<b>Today</b> &amp; tomorrow"]


def test_a_text_with_nothing_visible_gives_no_message() -> None:
    assert split_html("<b> </b>\n<i></i>") == []
    assert split_html("<b> </b>\n<i></i>", 4) == []


def test_tags_are_free_and_entities_count_once() -> None:
    assert visible_length("<b>a</b>&amp;<i>b</i>") == 3
    assert units("🏃") == 2  # Telegram counts UTF-16 code units


def test_cuts_prefer_line_breaks_then_spaces() -> None:
    text = "aaaa bbbb\ncccc dddd\neeee"

    assert split_html(text, 12) == ["aaaa bbbb", "cccc dddd", "eeee"]
    assert split_html("aaaa bbbb cccc", 10) == ["aaaa bbbb", "cccc"]
    assert split_html("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_open_tags_are_closed_and_reopened_across_a_cut() -> None:
    pieces = split_html("<b>bold words here</b> plain", 10)

    assert pieces == ["<b>bold words</b>", "<b>here</b> plain"]


def test_entities_are_never_cut_in_half() -> None:
    pieces = split_html("&lt;&lt;&lt;&lt;&lt;&lt;", 4)

    assert pieces == ["&lt;&lt;&lt;&lt;", "&lt;&lt;"]


markup_text = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r"), max_size=30)
        .map(esc),
        st.sampled_from(["\n", " ", "🏃", "&amp;"]),
        st.text(min_size=1, max_size=8).map(lambda s: f"<b>{esc(s)}</b>"),
        st.text(min_size=1, max_size=8).map(lambda s: f"<i>x <code>{esc(s)}</code></i>"),
    ),
    max_size=60,
).map("".join)


@given(markup_text, st.integers(min_value=2, max_value=80))
def test_every_piece_fits_is_balanced_and_nothing_is_lost(text: str, limit: int) -> None:
    pieces = split_html(text, limit)

    assert all(visible_length(piece) <= limit for piece in pieces)
    assert all(balanced(piece) for piece in pieces)
    assert all(to_plain(piece).strip() for piece in pieces)  # never an empty message
    # Only the whitespace at a cut may go; every other character arrives, in order.
    assert "".join(words("".join(pieces))) == "".join(words(text))


@given(markup_text, st.integers(min_value=2, max_value=80))
def test_fits_agrees_with_the_visible_length(text: str, limit: int) -> None:
    assert fits(text, limit) == (visible_length(text) <= limit)
