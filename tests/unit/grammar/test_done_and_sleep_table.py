"""The `/done` and `/sleep` grammar as one big table of what runners type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from core.grammar import GrammarError, RunEntry, parse_done, parse_sleep

TODAY = date(2026, 5, 13)  # a Wednesday
MILE = 1609.344


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@dataclass(frozen=True)
class Run:
    """An expected RunEntry, with defaults for the common case."""

    minutes: float | None = None
    metres: float | None = None
    day: date = TODAY
    note: str = ""

    def matches(self, entry: RunEntry) -> bool:
        return (
            entry.day == self.day
            and _close(entry.minutes, self.minutes)
            and _close(entry.distance_m, self.metres)
            and entry.note == self.note
            and entry.as_planned == (self.minutes is None and self.metres is None)
        )


def _close(actual: float | None, expected: float | None) -> bool:
    if actual is None or expected is None:
        return actual is expected
    return abs(actual - expected) < 1e-6


REFUSED = None  # the parser must raise GrammarError

DONE_CASES: list[tuple[str, Run | None]] = [
    # as planned, with or without a day or a note
    ("", Run()),
    ("   ", Run()),
    ("felt great", Run(note="felt great")),
    ("Felt GREAT, legs fresh!", Run(note="Felt GREAT, legs fresh!")),
    ("yesterday", Run(day=ago(1))),
    ("today", Run()),
    ("yesterday felt great", Run(day=ago(1), note="felt great")),
    ("/done", Run()),
    ("/done 5k", Run(metres=5000)),
    ("/done@pacerbot 25min", Run(minutes=25)),
    # durations
    ("25min", Run(minutes=25)),
    ("25 min", Run(minutes=25)),
    ("25m", Run(minutes=25)),
    ("25 m", Run(minutes=25)),
    ("25 minutes", Run(minutes=25)),
    ("25mins", Run(minutes=25)),
    ("1 minute", Run(minutes=1)),
    ("90 minutes", Run(minutes=90)),
    ("1h", Run(minutes=60)),
    ("1 h", Run(minutes=60)),
    ("1hr", Run(minutes=60)),
    ("2 hours", Run(minutes=120)),
    ("1h10", Run(minutes=70)),
    ("1h10m", Run(minutes=70)),
    ("1h 10m", Run(minutes=70)),
    ("1h 10min", Run(minutes=70)),
    ("1 hour 5 minutes", Run(minutes=65)),
    ("1:05:00", Run(minutes=65)),
    ("45:30", Run(minutes=45.5)),
    ("45:30 min", Run(minutes=45.5)),
    ("1:10h", Run(minutes=70)),
    ("1.5h", Run(minutes=90)),
    ("1,5h", Run(minutes=90)),
    ("25m30s", Run(minutes=25.5)),
    ("25min 30s", Run(minutes=25.5)),
    ("90s", Run(minutes=1.5)),
    ("24h", Run(minutes=1440)),
    # distances
    ("5k", Run(metres=5000)),
    ("5K", Run(metres=5000)),
    ("5km", Run(metres=5000)),
    ("5 km", Run(metres=5000)),
    ("5 kms", Run(metres=5000)),
    ("3.2km", Run(metres=3200)),
    ("3,2 km", Run(metres=3200)),
    ("10 kilometres", Run(metres=10000)),
    ("2mi", Run(metres=2 * MILE)),
    ("2 miles", Run(metres=2 * MILE)),
    ("1 mile", Run(metres=MILE)),
    ("1600m", Run(metres=1600)),
    ("400 m", Run(metres=400)),
    ("100m", Run(metres=100)),
    ("1,600 m", Run(metres=1600)),
    ("3000 meters", Run(metres=3000)),
    ("marathon", Run(metres=42195)),
    ("half marathon", Run(metres=21097.5)),
    ("half-marathon 1:45:00", Run(minutes=105, metres=21097.5)),
    ("250km", Run(metres=250_000)),
    # distance with time, in either order
    ("5k 28:30", Run(minutes=28.5, metres=5000)),
    ("5km in 28:30", Run(minutes=28.5, metres=5000)),
    ("5 km in 28 min", Run(minutes=28, metres=5000)),
    ("3mi 27:10", Run(minutes=27 + 10 / 60, metres=3 * MILE)),
    ("1 mile 7:45", Run(minutes=7.75, metres=MILE)),
    ("28:30 5k", Run(minutes=28.5, metres=5000)),
    ("10k 1:05:00", Run(minutes=65, metres=10000)),
    ("400m 1:05", Run(minutes=65 / 60, metres=400)),
    ("1 mile 3:43.13", Run(minutes=223.13 / 60, metres=MILE)),
    ("marathon 2:00:35", Run(minutes=120 + 35 / 60, metres=42195)),
    ("5k @ 5:40/km", Run(minutes=5 * 340 / 60, metres=5000)),
    ("5k at 5:40 min/km", Run(minutes=5 * 340 / 60, metres=5000)),
    ("2mi 9:00/mi", Run(minutes=18, metres=2 * MILE)),
    # days, anywhere in the text
    ("yesterday 30min", Run(minutes=30, day=ago(1))),
    ("30min yesterday", Run(minutes=30, day=ago(1))),
    ("Yesterday 5k 28:30", Run(minutes=28.5, metres=5000, day=ago(1))),
    ("mon 5k", Run(metres=5000, day=ago(2))),
    ("monday 5k", Run(metres=5000, day=ago(2))),
    ("5k on monday", Run(metres=5000, day=ago(2))),
    ("tuesday 30min", Run(minutes=30, day=ago(1))),
    ("wed 30min", Run(minutes=30)),
    ("thu 30min", Run(minutes=30, day=ago(6))),
    ("last sat 10k 50:00", Run(minutes=50, metres=10000, day=ago(4))),
    ("sun 20min", Run(minutes=20, day=ago(3))),
    ("2026-05-12 30min", Run(minutes=30, day=ago(1))),
    ("30min 2026-05-06", Run(minutes=30, day=ago(7))),
    ("12 may 5k", Run(metres=5000, day=ago(1))),
    ("may 10th 5k", Run(metres=5000, day=ago(3))),
    ("10th may 5k", Run(metres=5000, day=ago(3))),
    # notes
    ("3mi 27:10 felt strong", Run(minutes=27 + 10 / 60, metres=3 * MILE, note="felt strong")),
    ("5k 28:30, felt strong", Run(minutes=28.5, metres=5000, note="felt strong")),
    ("5k - easy with Sam", Run(metres=5000, note="easy with Sam")),
    ("felt strong 5k", Run(metres=5000, note="felt strong")),
    ("sore from yesterday 5k", Run(metres=5000, note="sore from yesterday")),
    ("5k in the sun", Run(metres=5000, note="in the sun")),
    ("5k 28:30 at 7:00", Run(minutes=28.5, metres=5000, note="at 7:00")),
    ("6am 5k", Run(metres=5000, note="6am")),
    ("5k at 7 with the club", Run(metres=5000, note="at 7 with the club")),
    ('5k "with 2 friends"', Run(metres=5000, note="with 2 friends")),
    ("25min “lap 3 hurt”", Run(minutes=25, note="lap 3 hurt")),
    ("yesterday 30min easy, then strides", Run(minutes=30, day=ago(1), note="easy, then strides")),
    # numbers in words
    ("half hour", Run(minutes=30)),
    ("half an hour", Run(minutes=30)),
    ("a half hour", Run(minutes=30)),
    ("Half an hour, easy", Run(minutes=30, note="easy")),
    ("an hour and a half", Run(minutes=90)),
    ("one and a half hours", Run(minutes=90)),
    ("2 hours and a half", Run(minutes=150)),
    ("two hours", Run(minutes=120)),
    ("an hour", Run(minutes=60)),
    ("an hour and ten minutes", Run(minutes=70)),
    ("1 hour and 10 minutes", Run(minutes=70)),
    ("a quarter of an hour", Run(minutes=15)),
    ("three quarters of an hour", Run(minutes=45)),
    ("twenty-five minutes", Run(minutes=25)),
    ("twenty five mins", Run(minutes=25)),
    ("forty minutes yesterday", Run(minutes=40, day=ago(1))),
    ("five k", Run(metres=5000)),
    ("a mile", Run(metres=MILE)),
    ("half a mile", Run(metres=MILE / 2)),
    ("a mile and a half", Run(metres=1.5 * MILE)),
    ("ten km in fifty minutes", Run(minutes=50, metres=10000)),
    ("1½h", Run(minutes=90)),
    ("one of those days", Run(note="one of those days")),
    ("felt like a million", Run(note="felt like a million")),
    # digits of any script, kept as typed in the note
    ("３０min", Run(minutes=30)),
    ("٣٠min", Run(minutes=30)),
    ("۳۰ min", Run(minutes=30)),
    ("३० min", Run(minutes=30)),
    ("5k ２８:３０", Run(minutes=28.5, metres=5000)),
    ("5k ２８：３０", Run(minutes=28.5, metres=5000)),
    ("５ｋ", Run(metres=5000)),
    ("٣٫٢km", Run(metres=3200)),
    ('5k "lap ３ hurt"', Run(metres=5000, note="lap ３ hurt")),
    # readings of the day or the body stay in the note
    ("5k 28:30 hot, 30°C", Run(minutes=28.5, metres=5000, note="hot, 30°C")),
    ("5k 28:30 hot, 30 °F", Run(minutes=28.5, metres=5000, note="hot, 30 °F")),
    ("30min at 25℃", Run(minutes=30, note="at 25℃")),
    ("5k avg 150 bpm", Run(metres=5000, note="avg 150 bpm")),
    ("5k brr, -3°C", Run(metres=5000, note="brr, -3°C")),
    # refused: a measure Pacer cannot read is never "as planned"
    ("5k 28.30", REFUSED),
    ("28,30", REFUSED),
    ("a few minutes", REFUSED),
    ("a couple of miles", REFUSED),
    ("several km", REFUSED),
    ("a hundred metres", REFUSED),
    ("two", REFUSED),
    ("half", REFUSED),
    ("twenty five", REFUSED),
    ("三十min", REFUSED),
    ("三十分钟", REFUSED),
    ("5k 一起跑", Run(metres=5000, note="一起跑")),
    ("Ⅻ km", REFUSED),
    # refused: ambiguous or unknown numbers
    ("5", REFUSED),
    ("30", REFUSED),
    ("5.5", REFUSED),
    ("pizza 5 slices", REFUSED),
    ("5 kmz", REFUSED),
    ("4x400m", REFUSED),
    ("felt 100%", REFUSED),
    ("5k 3", REFUSED),
    ("k5", REFUSED),
    # refused: zero, negative, too long, too far
    ("0min", REFUSED),
    ("0k", REFUSED),
    ("0:00", REFUSED),
    ("-5k", REFUSED),
    ("-25min", REFUSED),
    ("25h", REFUSED),
    ("24:00:01", REFUSED),
    ("300km", REFUSED),
    ("251 km", REFUSED),
    ("9" * 400 + "km", REFUSED),
    # refused: faster than the world record
    ("5k 10:00", REFUSED),
    ("10k 1:10", REFUSED),
    ("1 mile 3:43", REFUSED),
    ("400m 40s", REFUSED),
    ("100m 5s", REFUSED),
    ("marathon 1:59:00", REFUSED),
    ("100km 4h", REFUSED),
    ("5k @ 2:00/km", REFUSED),
    # refused: days out of range or doubled
    ("tomorrow", REFUSED),
    ("tomorrow 5k", REFUSED),
    ("2026-05-14 5k", REFUSED),
    ("2026-05-05 5k", REFUSED),
    ("2025-05-12 5k", REFUSED),
    ("2026-02-30 5k", REFUSED),
    ("yesterday mon 5k", REFUSED),
    ("next friday 5k", REFUSED),
    ("1 may 5k", REFUSED),
    # refused: two of a kind, malformed times
    ("25min 30min", REFUSED),
    ("5k 10k", REFUSED),
    ("5k 28:30 29:00", REFUSED),
    ("25:75", REFUSED),
    ("1:75:00", REFUSED),
    ("1h 75m", REFUSED),
    ("1:2:3:4", REFUSED),
    ("5:40/km", REFUSED),
    ("5k 28:30 @ 5:40/km", REFUSED),
]


@pytest.mark.parametrize(("text", "expected"), DONE_CASES, ids=[c[0][:40] for c in DONE_CASES])
def test_done(text: str, expected: Run | None) -> None:
    if expected is None:
        with pytest.raises(GrammarError) as caught:
            parse_done(text, TODAY)
        message = str(caught.value)
        assert "/done" in message, message  # every refusal shows what works
        assert len(message) < 300
    else:
        entry = parse_done(text, TODAY)
        assert expected.matches(entry), entry


SLEEP_CASES: list[tuple[str, float | None]] = [
    ("7.5h", 7.5),
    ("7.5", 7.5),
    ("7,5h", 7.5),
    ("7h30", 7.5),
    ("7h30m", 7.5),
    ("7h 30m", 7.5),
    ("7h 30", 7.5),
    ("7 h 30 min", 7.5),
    ("7:30", 7.5),
    ("07:45", 7.75),
    ("7 h", 7.0),
    ("7 hours", 7.0),
    ("7 hours 30 minutes", 7.5),
    ("450min", 7.5),
    ("450 minutes", 7.5),
    ("450m", 7.5),
    ("8", 8.0),
    ("16", 16.0),
    ("16h", 16.0),
    ("0.5h", 0.5),
    ("/sleep 6h", 6.0),
    ("0", None),
    ("0h", None),
    ("-7", None),
    ("-7h", None),
    ("16.5", None),
    ("17h", None),
    ("450", None),
    ("7:75", None),
    ("7h 75m", None),
    ("", None),
    ("slept well", None),
    ("7.5h slept well", None),
    ("5k", None),
    ("7h30 20", None),
    ("７.５h", 7.5),
    ("٧:٣٠", 7.5),
    ("seven hours", 7.0),
    ("a lot", None),
]


@pytest.mark.parametrize(("text", "expected"), SLEEP_CASES, ids=[c[0] for c in SLEEP_CASES])
def test_sleep(text: str, expected: float | None) -> None:
    if expected is None:
        with pytest.raises(GrammarError) as caught:
            parse_sleep(text)
        assert "/sleep" in str(caught.value)
    else:
        assert parse_sleep(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5k 28.30", "Did you mean 28:30 (minutes:seconds) for \"28.30\"? Times take a colon. "
         "Try /done 5k 28:30."),
        ("28,30 5k felt ok", "Did you mean 28:30 (minutes:seconds) for \"28,30\"? Times take "
         "a colon. Try /done 28:30 5k felt ok."),
        ("1mi 7.45", "I can't tell what \"7.45\" means: a time (7:45), km or miles? "
         "Try /done 1mi 7:45 or /done 7.45k."),
        ("a few minutes", "How much is \"a few minutes\"? Give me the number, so I log the run "
         "you ran. Try /done 20min, /done 1h10 or /done 3k."),
        ("two", "I can't tell what \"two\" means: minutes, km or miles? Try /done 20min, "
         "/done two hours or /done 5k."),
        ("三十min", "I couldn't read the number in \"三十min\"; please write it in digits. "
         "Try /done 5k 28:30 or /done 25min."),
    ],
)
def test_unreadable_measures_are_refused_with_an_example(text: str, expected: str) -> None:
    with pytest.raises(GrammarError) as caught:
        parse_done(text, TODAY)
    assert str(caught.value) == expected


def test_the_table_is_large() -> None:
    assert len(DONE_CASES) + len(SLEEP_CASES) >= 120
    assert sum(expected is None for _, expected in DONE_CASES) >= 40


def test_sleep_over_sixteen_hours_explains_and_offers_minutes() -> None:
    with pytest.raises(GrammarError) as caught:
        parse_sleep("450")
    assert str(caught.value) == (
        "450 hours is more than a night's sleep (I log up to 16 h). If you meant minutes, try "
        "/sleep 450min."
    )
    assert str(caught.value) == (
        "450 hours is more than a night's sleep (I log up to 16 h). If you meant minutes, try "
        "/sleep 450min."
    )
