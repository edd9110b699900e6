"""Properties that must hold for any text a runner could send."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core.grammar import (
    GrammarError,
    RunEntry,
    parse_clock,
    parse_date,
    parse_distance,
    parse_done,
    parse_duration,
    parse_key_values,
    parse_level,
    parse_mile_time,
    parse_sleep,
    parse_training_days,
    resolve_timezone,
    suggest_timezones,
)

TODAY = date(2026, 5, 13)

# Pieces of the grammar, so generated text often looks almost right rather than random.
PIECES = st.sampled_from(
    [
        "5",
        "25",
        "1",
        "0",
        "-",
        ":",
        ".",
        ",",
        "/",
        "@",
        '"',
        "“",
        "k",
        "km",
        "mi",
        "m",
        "h",
        "min",
        "s",
        "x",
        "am",
        "in",
        "at",
        "on",
        "the",
        "from",
        "yesterday",
        "tomorrow",
        "sat",
        "last",
        "may",
        "12",
        "th",
        "2026-05-1",
        "half",
        "marathon",
        "felt",
        "é",
        "İ",
        "９",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=60),
    st.lists(PIECES, max_size=10).map("".join),
    st.lists(PIECES, max_size=10).map(" ".join),
)
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, today=DAYS)
def test_done_raises_only_grammar_errors(text: str, today: date) -> None:
    try:
        entry = parse_done(text, today)
    except GrammarError as err:
        assert "/done" in str(err)
        return
    assert isinstance(entry, RunEntry)
    assert today - timedelta(days=7) <= entry.day <= today
    assert entry.as_planned == (entry.minutes is None and entry.distance_m is None)
    assert entry.note == entry.note.strip()
    if entry.minutes is not None:
        assert 0 < entry.minutes <= 24 * 60
    if entry.distance_m is not None:
        assert 0 < entry.distance_m <= 250_000


@settings(max_examples=200, deadline=None)
@given(text=TEXTS)
def test_sleep_raises_only_grammar_errors(text: str) -> None:
    try:
        hours = parse_sleep(text)
    except GrammarError:
        return
    assert 0 < hours <= 16


@settings(max_examples=100, deadline=None)
@given(
    words=st.lists(st.sampled_from(["felt", "great", "easy", "legs", "ok", "windy"]), max_size=6)
)
def test_plain_words_are_the_note(words: list[str]) -> None:
    text = " ".join(words)
    entry = parse_done(text, TODAY)
    assert entry.as_planned
    assert entry.note == text


@settings(max_examples=100, deadline=None)
@given(minutes=st.integers(min_value=1, max_value=24 * 60), back=st.integers(0, 7))
def test_logged_minutes_round_trip(minutes: int, back: int) -> None:
    day = TODAY - timedelta(days=back)
    entry = parse_done(f"{day.isoformat()} {minutes}min", TODAY)
    assert entry.minutes == minutes
    assert entry.day == day


OTHER_PARSERS: list[Callable[[str], object]] = [
    parse_duration,
    parse_distance,
    parse_mile_time,
    parse_clock,
    lambda text: parse_date(text, TODAY),
    parse_key_values,
    parse_training_days,
    resolve_timezone,
    parse_level,
]


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(TEXTS, st.text(alphabet=st.sampled_from(",，﹐/_-. aé"), max_size=20)))
def test_every_parser_raises_only_grammar_errors(text: str) -> None:
    for parse in OTHER_PARSERS:
        try:
            parse(text)
        except GrammarError as err:
            assert str(err)
    assert len(suggest_timezones(text, limit=3)) <= 3
