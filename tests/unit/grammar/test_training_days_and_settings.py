"""`parse_training_days`, `parse_key_values` and `parse_level`."""

from __future__ import annotations

import pytest

from core.grammar import GrammarError, parse_key_values, parse_level, parse_training_days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", (0, 2, 5)),
        ("3 days", (0, 2, 5)),
        ("mon,wed,fri", (0, 2, 4)),
        ("mon, wed and fri", (0, 2, 4)),
        ("tue thu sat", (1, 3, 5)),
        ("Sat Tue Thu", (1, 3, 5)),
        ("mon-fri", (0, 1, 2, 3, 4)),
        ("Mon - Thu", (0, 1, 2, 3)),
        ("mon to wed", (0, 1, 2)),
        ("fri-mon", (0, 4, 5, 6)),  # ranges wrap past Sunday
        ("monday/wednesday/saturday", (0, 2, 5)),
        ("mo we sa", (0, 2, 5)),
        ("tues, thurs", (1, 3)),
        ("weekdays", (0, 1, 2, 3, 4)),
        ("weekends + wed", (2, 5, 6)),
        ("daily", (0, 1, 2, 3, 4, 5, 6)),
        ("mon mon wed", (0, 2)),
    ],
)
def test_training_days(text: str, expected: tuple[int, ...]) -> None:
    assert parse_training_days(text) == expected


@pytest.mark.parametrize("count", range(1, 8))
def test_day_counts_spread_out(count: int) -> None:
    days = parse_training_days(str(count))
    assert len(days) == count
    assert list(days) == sorted(set(days))
    if count <= 3:  # at least one rest day between runs, even from Sunday to Monday
        gaps = [(b - a) % 7 for a, b in zip(days, days[1:] + days[:1], strict=True)]
        assert count == 1 or min(gaps) >= 2


@pytest.mark.parametrize("text", ["", "0", "8", "12", "montag", "mon-xyz", "mon-", "1,3,5", "2.5"])
def test_bad_training_days(text: str) -> None:
    with pytest.raises(GrammarError, match="mon-fri"):
        parse_training_days(text)


def test_key_values() -> None:
    assert parse_key_values("level=beginner days=3 tz=Europe/Berlin") == {
        "level": "beginner",
        "days": "3",
        "tz": "Europe/Berlin",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("   ", {}),
        ("mile=9:30 goal=8:00", {"mile": "9:30", "goal": "8:00"}),
        ("days=mon,wed,fri", {"days": "mon,wed,fri"}),
        ('name="Anna Lee" units=km', {"name": "Anna Lee", "units": "km"}),
        ("tz='New York'", {"tz": "New York"}),
        ("level = beginner", {"level": "beginner"}),
        ("TZ=UTC Time=07:00", {"tz": "UTC", "time": "07:00"}),
        ("quiet-mode=on", {"quiet_mode": "on"}),
    ],
)
def test_more_key_values(text: str, expected: dict[str, str]) -> None:
    assert parse_key_values(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("beginner", "couldn't read"),
        ("level=beginner junk", "couldn't read"),
        ("level=", "needs a value"),
        ('level=""', "needs a value"),
        ("level=a level=b", "twice"),
        ("level=beginner,days=3", "space"),
        ("=3", "couldn't read"),
        ('name="unclosed', "couldn't read"),
    ],
)
def test_bad_key_values(text: str, reason: str) -> None:
    with pytest.raises(GrammarError, match=reason) as caught:
        parse_key_values(text)
    assert "level=beginner" in str(caught.value)  # the example


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("beginner", "beginner"),
        ("first", "beginner"),
        ("First Mile", "beginner"),
        ("first-mile", "beginner"),
        ("1", "beginner"),
        ("improving", "improving"),
        ("faster", "improving"),
        ("faster mile", "improving"),
        ("2", "improving"),
        ("competitive", "competitive"),
        ("PR", "competitive"),
        ("personal record", "competitive"),
        ("3", "competitive"),
    ],
)
def test_levels(text: str, level: str) -> None:
    assert parse_level(text) == level


@pytest.mark.parametrize("text", ["", "4", "expert-ish", "elite"])
def test_bad_levels(text: str) -> None:
    with pytest.raises(GrammarError, match="first mile"):
        parse_level(text)
