"""Time zones from what runners type: "Europe/Berlin", "berlin", "New York", "São Paulo".

The city index is every IANA zone's last part ("Lord_Howe" -> "lord howe") plus a short
table of well-known cities that are not zone names. It is built once, on first use.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from core.grammar.errors import GrammarError
from core.grammar.text import fold, shorten

_REGIONS = frozenset(
    (
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    )
)
_NOT_ZONES = frozenset(("localtime", "Factory", "posixrules"))

_NY, _LA, _CHICAGO, _DENVER = (
    "America/New_York",
    "America/Los_Angeles",
    "America/Chicago",
    "America/Denver",
)
# Checked before IANA names: the legacy "EST" and "MST" zones never observe daylight saving,
# but someone typing EST means New York's clock, summer included.
ABBREVIATIONS: dict[str, str] = {
    "est": _NY,
    "edt": _NY,
    "eastern": _NY,
    "et": _NY,
    "cst": _CHICAGO,
    "cdt": _CHICAGO,
    "central": _CHICAGO,
    "mst": _DENVER,
    "mdt": _DENVER,
    "mountain": _DENVER,
    "pst": _LA,
    "pdt": _LA,
    "pacific": _LA,
    "pt": _LA,
    "bst": "Europe/London",
    "ist": "Asia/Kolkata",
    "jst": "Asia/Tokyo",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
}
CITY_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        (
            "san francisco",
            "sf",
            "seattle",
            "las vegas",
            "san diego",
            "portland",
            "silicon valley",
            "san jose",
        ),
        _LA,
    ),
    **dict.fromkeys(
        ("boston", "washington", "washington dc", "dc", "miami", "atlanta", "philadelphia", "nyc"),
        _NY,
    ),
    **dict.fromkeys(("dallas", "houston", "austin", "minneapolis"), _CHICAGO),
    "salt lake city": _DENVER,
    **dict.fromkeys(("ottawa", "montreal"), "America/Toronto"),
    **dict.fromkeys(("rio", "rio de janeiro", "brasilia"), "America/Sao_Paulo"),
    **dict.fromkeys(
        ("munich", "hamburg", "frankfurt", "cologne", "koln", "germany"), "Europe/Berlin"
    ),
    **dict.fromkeys(
        ("manchester", "edinburgh", "glasgow", "birmingham", "liverpool", "uk", "england"),
        "Europe/London",
    ),
    **dict.fromkeys(("lyon", "marseille", "france"), "Europe/Paris"),
    **dict.fromkeys(("milan", "florence", "naples"), "Europe/Rome"),
    **dict.fromkeys(("barcelona", "valencia", "seville"), "Europe/Madrid"),
    **dict.fromkeys(("geneva", "basel"), "Europe/Zurich"),
    **dict.fromkeys(("rotterdam", "the hague"), "Europe/Amsterdam"),
    "krakow": "Europe/Warsaw",
    **dict.fromkeys(("st petersburg", "saint petersburg"), "Europe/Moscow"),
    **dict.fromkeys(("kiev", "kyiv"), "Europe/Kyiv"),
    "istanbul": "Europe/Istanbul",
    "tel aviv": "Asia/Jerusalem",
    "abu dhabi": "Asia/Dubai",
    "cape town": "Africa/Johannesburg",
    **dict.fromkeys(
        (
            "mumbai",
            "delhi",
            "new delhi",
            "bangalore",
            "bengaluru",
            "chennai",
            "hyderabad",
            "calcutta",
            "india",
        ),
        "Asia/Kolkata",
    ),
    **dict.fromkeys(("beijing", "shenzhen", "guangzhou", "china"), "Asia/Shanghai"),
    **dict.fromkeys(("osaka", "kyoto", "japan"), "Asia/Tokyo"),
    **dict.fromkeys(("saigon", "hanoi", "ho chi minh city"), "Asia/Ho_Chi_Minh"),
    "katmandu": "Asia/Kathmandu",
    "rangoon": "Asia/Yangon",
    "canberra": "Australia/Sydney",
    "wellington": "Pacific/Auckland",
}
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+-])\s*([0-9]{1,2})(?::?00)?")
TZ_EXAMPLE = "Try a city like Berlin or a zone like Europe/Berlin."


class UnknownTimezoneError(GrammarError):
    """A time zone that could not be resolved; `suggestions` are IANA names, best first."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        self.suggestions = suggestions
        hint = f"Did you mean {_or_list(suggestions)}?" if suggestions else TZ_EXAMPLE
        shown = shorten(text.strip())
        reason = f'I don\'t know the time zone "{shown}".' if shown else "I need a time zone."
        super().__init__(reason, hint)


@dataclass(frozen=True)
class _Index:
    names: dict[str, str]  # folded full name -> IANA name
    cities: dict[str, str]  # city key -> IANA name


@cache
def _index() -> _Index:
    zones = sorted(
        z
        for z in available_timezones()
        if z not in _NOT_ZONES and not z.startswith(("posix/", "right/"))
    )
    names = {fold(zone): zone for zone in zones}
    cities: dict[str, str] = {}
    # Deeper paths first: "America/Argentina/Buenos_Aires" is canonical, the short one a link.
    for zone in sorted(zones, key=lambda z: (-z.count("/"), z)):
        if zone.split("/")[0] in _REGIONS:
            cities.setdefault(_key(zone.rsplit("/", 1)[-1]), zone)
    known = set(zones)
    cities.update({alias: zone for alias, zone in CITY_ALIASES.items() if zone in known})
    return _Index(names, cities)


def _key(text: str) -> str:
    """A city's lookup key: folded, with "_", "-" and "," as spaces and no dots or quotes."""
    folded = fold(text)
    folded = re.sub(r"[._'’]", lambda m: " " if m.group() == "_" else "", folded)
    return " ".join(folded.replace("-", " ").split())


def resolve_timezone(text: str) -> str:
    """The IANA name for an IANA name in any case ("europe/berlin"), a city ("Kathmandu",
    "new york", "São Paulo", "Berlin, Germany"), a common abbreviation ("EST") or a whole-hour
    UTC offset ("UTC+2" -> "Etc/GMT-2"). Raises UnknownTimezoneError (a GrammarError) with up to
    three suggestions."""
    found = _lookup(text)
    if found is None:
        raise UnknownTimezoneError(text, suggest_timezones(text, limit=3))
    return found


def _lookup(text: str) -> str | None:
    index = _index()
    folded = " ".join(fold(text).split())
    if not folded:
        return None
    if folded in ABBREVIATIONS and ABBREVIATIONS[folded] in index.names.values():
        return ABBREVIATIONS[folded]
    zone = index.names.get(folded.replace(" ", "_"))
    if zone is not None and (zone.split("/")[0] in _REGIONS or zone.startswith(("UTC", "Etc/"))):
        return zone
    key = _key(text)
    if key in index.cities:
        return index.cities[key]
    if zone is not None:  # legacy names such as "US/Pacific" or "Japan" still work
        return zone
    if "," in text:  # "Berlin, Germany"
        return _lookup(text.split(",", 1)[0])
    if match := _OFFSET.fullmatch(folded):
        sign, hours = match.groups()
        # POSIX-style Etc names flip the sign: UTC+2 is Etc/GMT-2.
        name = f"etc/gmt{'-' if sign == '+' else '+'}{int(hours)}"
        return index.names.get(name) if int(hours) else index.names.get("utc")
    return None


def suggest_timezones(text: str, limit: int = 5) -> list[str]:
    """Up to `limit` IANA names for autocomplete, best first: an exact match, then cities and
    zone names that start with `text`, then ones that contain it, then close spellings."""
    key = _key(text)
    if not key or limit <= 0:
        return []
    index = _index()
    results: list[str] = []

    def add(zones: list[str]) -> None:
        for zone in zones:
            if zone not in results:
                results.append(zone)

    exact = _lookup(text)
    if exact is not None:
        add([exact])
    name_key = fold(text).replace(" ", "_")
    add(
        [
            index.cities[c]
            for c in sorted(index.cities, key=lambda c: (len(c), c))
            if c.startswith(key)
        ]
    )
    add([zone for folded, zone in sorted(index.names.items()) if folded.startswith(name_key)])
    if len(key) >= 3:
        add([index.cities[c] for c in sorted(index.cities, key=lambda c: (len(c), c)) if key in c])
    close = difflib.get_close_matches(key, index.cities.keys(), n=limit, cutoff=0.7)
    add([index.cities[c] for c in close])
    return results[:limit]


def _or_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
