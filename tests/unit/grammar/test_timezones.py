"""`resolve_timezone` and `suggest_timezones`."""

from __future__ import annotations

import pytest

from core.grammar import GrammarError, UnknownTimezoneError, resolve_timezone, suggest_timezones


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  EUROPE/BERLIN ", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("berlin, germany", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("Kathmandu", "Asia/Kathmandu"),
        ("katmandu", "Asia/Kathmandu"),
        ("chatham", "Pacific/Chatham"),
        ("lord howe", "Australia/Lord_Howe"),
        ("Lord Howe", "Australia/Lord_Howe"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Zürich", "Europe/Zurich"),
        ("St. John's", "America/St_Johns"),
        ("buenos aires", "America/Argentina/Buenos_Aires"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("Etc/UTC", "Etc/UTC"),
        ("US/Pacific", "US/Pacific"),
        ("UTC+2", "Etc/GMT-2"),
        ("gmt-5", "Etc/GMT+5"),
    ],
)
def test_zone_names_and_cities(text: str, zone: str) -> None:
    assert resolve_timezone(text) == zone


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("San Francisco", "America/Los_Angeles"),
        ("sf", "America/Los_Angeles"),
        ("seattle", "America/Los_Angeles"),
        ("Las Vegas", "America/Los_Angeles"),
        ("boston", "America/New_York"),
        ("Washington", "America/New_York"),
        ("miami", "America/New_York"),
        ("Munich", "Europe/Berlin"),
        ("hamburg", "Europe/Berlin"),
        ("Köln", "Europe/Berlin"),
        ("mumbai", "Asia/Kolkata"),
        ("Delhi", "Asia/Kolkata"),
        ("bangalore", "Asia/Kolkata"),
        ("beijing", "Asia/Shanghai"),
        ("Kiev", "Europe/Kyiv"),
        ("istanbul", "Europe/Istanbul"),
        ("japan", "Asia/Tokyo"),
        ("EST", "America/New_York"),  # not the DST-less legacy "EST" zone
        ("pst", "America/Los_Angeles"),
    ],
)
def test_city_aliases(text: str, zone: str) -> None:
    assert resolve_timezone(text) == zone


def test_misspelled_city_suggests_the_real_one() -> None:
    with pytest.raises(UnknownTimezoneError) as caught:
        resolve_timezone("Berlni")
    assert caught.value.suggestions[0] == "Europe/Berlin"
    assert len(caught.value.suggestions) <= 3
    assert str(caught.value) == (
        "I don't know the time zone \"Berlni\". Did you mean Europe/Berlin?"
    )
    assert isinstance(caught.value, GrammarError)


@pytest.mark.parametrize("text", ["", "xyzzy", "Atlantis", "UTC+5:30", "gmt+99", "Mars/Olympus"])
def test_unknown_zones(text: str) -> None:
    with pytest.raises(GrammarError) as caught:
        resolve_timezone(text)
    assert "Berlin" in str(caught.value) or "Did you mean" in str(caught.value)


def test_suggestions_for_autocomplete() -> None:
    assert suggest_timezones("ber")[0] == "Europe/Berlin"
    assert "America/New_York" in suggest_timezones("new y")
    assert suggest_timezones("america/new")[0] == "America/New_York"
    assert suggest_timezones("Tokio")[0] == "Asia/Tokyo"
    assert len(suggest_timezones("a", limit=4)) == 4
    assert suggest_timezones("") == []
    assert suggest_timezones("berlin", limit=0) == []


def test_suggestions_are_distinct_iana_names() -> None:
    suggestions = suggest_timezones("san", limit=10)
    assert len(suggestions) == len(set(suggestions))
    assert all(resolve_timezone(zone) == zone for zone in suggestions)
