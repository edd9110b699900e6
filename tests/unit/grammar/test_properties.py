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
    parse_sleep_night,
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


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(TEXTS, st.tuples(st.sampled_from(["", "yesterday ", "sun ", "last night "]),
                                       TEXTS).map("".join)), today=DAYS)
def test_sleep_for_a_night_is_one_of_the_last_week(text: str, today: date) -> None:
    try:
        night, hours = parse_sleep_night(text, today)
    except GrammarError as err:
        assert "/sleep" in str(err)
        return
    assert today - timedelta(days=7) <= night <= today
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


# Digits of other scripts: the same run, whichever digits the runner's keyboard types.
SCRIPTS = st.sampled_from(
    [0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1D7CE]  # full-width, Arabic-Indic, …
)
RUN_TEXTS = st.lists(
    st.sampled_from(
        ["5k", "28:30", "25min", "1h10", "3.2km", "yesterday", "12 may", "felt", "7am",
         "400m", "1:05:00", "in", "2 miles", '"lap 3"', "30°C", "150 bpm", "4x400m", "28.30"]
    ),
    min_size=1,
    max_size=5,
).map(" ".join)


def _in_script(text: str, zero: int) -> str:
    return "".join(chr(zero + int(ch)) if ch.isdigit() else ch for ch in text)


@settings(max_examples=300, deadline=None)
@given(text=RUN_TEXTS, zero=SCRIPTS)
def test_any_scripts_digits_read_as_ascii_digits(text: str, zero: int) -> None:
    typed = _in_script(text, zero)
    try:
        expected = parse_done(text, TODAY)
    except GrammarError:
        try:
            parse_done(typed, TODAY)
        except GrammarError as err:
            assert "/done" in str(err)
            return
        raise AssertionError(f"{typed!r} was read though {text!r} is refused") from None
    entry = parse_done(typed, TODAY)
    assert (entry.day, entry.minutes, entry.distance_m, entry.as_planned) == (
        expected.day, expected.minutes, expected.distance_m, expected.as_planned
    )
    assert entry.note == _in_script(expected.note, zero)  # the note as typed


_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int, dash: bool) -> str:
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens - 2] + (("-" if dash else " ") + _ONES[ones] if ones else "")


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 99), dash=st.booleans(), half=st.booleans(),
       unit=st.sampled_from(["minutes", "mins", "hours", "km", "miles"]))
def test_numbers_in_words_read_like_digits(n: int, dash: bool, half: bool, unit: str) -> None:
    worded = f"{_words(n, dash)}{' and a half' if half else ''} {unit}"
    digits = f"{n + (0.5 if half else 0)} {unit}"
    try:
        expected = parse_done(digits, TODAY)
    except GrammarError:
        try:
            parse_done(worded, TODAY)
        except GrammarError:
            return
        raise AssertionError(f"{worded!r} was read though {digits!r} is refused") from None
    entry = parse_done(worded, TODAY)
    assert (entry.minutes, entry.distance_m, entry.note) == (
        expected.minutes, expected.distance_m, ""
    )


MEASURED = st.one_of(
    st.tuples(
        st.sampled_from(["a few", "a couple of", "several", "some", "三十", "Ⅻ", "28.30",
                         "two", "half", "twenty five", "a hundred"]),
        st.sampled_from(["minutes", "km", "miles", "hours"]),
        st.sampled_from(["", "felt good", "yesterday"]),
    ),
    st.tuples(  # no unit: only the day may come with it
        st.sampled_from(["三十", "Ⅻ", "28.30", "٢٨.٣٠", "two", "half", "twenty five", "٣٠"]),
        st.just(""),
        st.sampled_from(["", "yesterday"]),
    ),
)


@settings(max_examples=200, deadline=None)
@given(parts=MEASURED)
def test_a_measure_it_cannot_read_is_never_logged_as_planned(
    parts: tuple[str, str, str]
) -> None:
    amount, unit, rest = parts
    text = " ".join(p for p in (amount, unit, rest) if p)
    try:
        entry = parse_done(text, TODAY)
    except GrammarError as err:
        assert "/done" in str(err)
        return
    # Read it must be, then: words with a unit ("two hours", "half km") are a measured run.
    assert not entry.as_planned, (text, entry)
