"""A runner's profile settings: parse `key=value` input, validate it, and apply it atomically.

Everything here is pure except `apply_profile`, which only sets attributes on a `Runner`.
Values are validated into a `Profile` snapshot first, so a refusal never leaves a runner
half-changed. Error messages are reply markup: whatever the runner typed is escaped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from core.goals import equivalent_mile_s
from core.grammar import (
    GrammarError,
    parse_clock,
    parse_date,
    parse_key_values,
    parse_level,
    parse_mile_time,
    parse_training_days,
    resolve_timezone,
)
from core.messages import esc
from core.race_distances import DISTANCES, distance_key
from core.storage.runners import Runner
from core.text import WEEKDAYS, clock_tenths_if_any, format_date
from core.training import Athlete, Level, PlanError, parse_mmss, validate_athlete
from core.training.levels import SLOWEST_MILE_S, WORLD_RECORD_MILE_S

LEVEL_WORDS = {
    "beginner": "First mile (beginner)",
    "improving": "Faster mile (improving)",
    "competitive": "Personal record (competitive)",
}
# Answers that mean "I have no value for this" for the optional settings.
NONE_WORDS = frozenset(
    {"skip", "none", "no", "off", "-", "unknown", "idk", "not sure", "never", "clear",
     "don't know", "dont know", "i don't know", "i dont know", "no goal", "no goal time"}
)
ON_WORDS = frozenset({"on", "yes", "y", "true", "1", "enable", "enabled"})
OFF_WORDS = frozenset({"off", "no", "n", "false", "0", "disable", "disabled"})
KM_WORDS = frozenset({"km", "kms", "k", "kilometre", "kilometres", "kilometer", "kilometers",
                      "metric"})
MI_WORDS = frozenset({"mi", "mile", "miles", "imperial"})


class ProfileError(ValueError):
    """A friendly refusal naming the setting, why, and an example (reply markup)."""


@dataclass(frozen=True)
class Profile:
    """The settings Pacer keeps for a runner, as stored on `Runner`."""

    level: str = "beginner"
    training_days: str = "0,2,5"  # weekdays 0=Mon..6=Sun, comma-separated, sorted
    reminder_time: str = "07:00"  # local HH:MM
    tz: str = "UTC"
    units: str = "km"
    mile_time_s: float | None = None
    goal_s: float | None = None
    race_date: date | None = None
    race_start: str | None = None  # local HH:MM
    quiet: bool = False
    nudges: bool = True

    def updated(self, changes: Mapping[str, Any]) -> Profile:
        """A copy with `changes` (field name -> value) applied."""
        return dataclasses.replace(self, **changes)

    @property
    def days(self) -> tuple[int, ...]:
        return tuple(sorted({int(d) for d in self.training_days.split(",") if d.strip()}))


FIELDS = tuple(f.name for f in dataclasses.fields(Profile))
# Fields whose change means the stored plan must be regenerated (units: the stored session
# texts are rendered in the runner's units).
PLAN_FIELDS = frozenset(
    {"level", "training_days", "mile_time_s", "goal_s", "race_date", "race_start", "units"}
)


def _level(raw: str, today: date) -> str:
    return parse_level(raw)


def _days(raw: str, today: date) -> str:
    return ",".join(str(d) for d in parse_training_days(raw))


def _clock(raw: str, today: date) -> str:
    return parse_clock(raw).strftime("%H:%M")


def _tz(raw: str, today: date) -> str:
    return resolve_timezone(raw)


def _units(raw: str, today: date) -> str:
    word = raw.strip().lower()
    if word in KM_WORDS:
        return "km"
    if word in MI_WORDS:
        return "mi"
    raise ProfileError("units are km or mi.")


def _optional_mile(raw: str, today: date) -> float | None:
    return None if _is_none(raw) else parse_mile_time(raw)


def _optional_date(raw: str, today: date) -> date | None:
    if _is_none(raw):
        return None
    day = parse_date(raw, today)
    if day < today:
        raise ProfileError(f"{format_date(day, year=True)} is in the past.")
    return day


def _optional_clock(raw: str, today: date) -> str | None:
    return None if _is_none(raw) else _clock(raw, today)


def _switch(raw: str, today: date) -> bool:
    word = raw.strip().lower()
    if word in ON_WORDS:
        return True
    if word in OFF_WORDS:
        return False
    raise ProfileError("this is a switch: on or off.")


def _is_none(raw: str) -> bool:
    return " ".join(raw.strip().lower().replace("’", "'").split()) in NONE_WORDS


@dataclass(frozen=True)
class Setting:
    """One `key=value` setting: the Runner field it sets, how to read it, an example."""

    key: str
    field: str
    label: str
    example: str
    parse: Callable[[str, date], Any]


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("level", "level", "level", "level=beginner (or improving, competitive)", _level),
        Setting("days", "training_days", "training days", "days=3 or days=mon,wed,sat", _days),
        Setting("time", "reminder_time", "reminder time", "time=07:00", _clock),
        Setting("tz", "tz", "time zone", "tz=Europe/Berlin (or a city: tz=Berlin)", _tz),
        Setting("units", "units", "units", "units=km or units=mi", _units),
        Setting("mile", "mile_time_s", "current mile time", "mile=9:30 (or mile=skip)",
                _optional_mile),
        Setting("goal", "goal_s", "goal mile time", "goal=8:00 (or goal=skip)", _optional_mile),
        Setting("race", "race_date", "race date", "race=2026-12-12 (or race=off)",
                _optional_date),
        Setting("start", "race_start", "race start time", "start=09:30", _optional_clock),
        Setting("quiet", "quiet", "quiet mode", "quiet=on or quiet=off", _switch),
        Setting("nudges", "nudges", "evening nudges", "nudges=on or nudges=off", _switch),
    )
}
ALIASES = {
    "timezone": "tz", "zone": "tz", "reminder": "time", "unit": "units", "mile_time": "mile",
    "miletime": "mile", "race_date": "race", "race_start": "start", "nudge": "nudges",
    "training_days": "days", "day": "days",
}
BY_FIELD = {s.field: s for s in SETTINGS.values()}


def setting_for(key: str) -> Setting | None:
    """The setting a typed key stands for (aliases such as `timezone=` included)."""
    key = key.strip().lower()
    return SETTINGS.get(ALIASES.get(key, key))


def known_keys() -> str:
    return ", ".join(SETTINGS)


def parse_value(setting: Setting, raw: str, today: date, *, answer: bool = False) -> Any:
    """One typed value for `setting`; raises ProfileError naming the key, why, and an example.

    With `answer` (a reply in a guided conversation) the message is only the reason: the
    question that follows it shows what to type.
    """
    try:
        return setting.parse(raw, today)
    except (GrammarError, ProfileError) as err:
        reason = str(err).strip()
        if answer:
            raise ProfileError(esc(reason)) from err
        raise ProfileError(
            f"I couldn't set {setting.key}={esc(raw)}: {esc(reason)} "
            f"Example: <code>{esc(setting.example)}</code>"
        ) from err


def parse_settings(text: str, tz: str, today_in: Callable[[str], date]) -> dict[str, Any]:
    """`level=beginner days=3 ...` -> {field: value}; raises ProfileError on anything wrong.

    `tz` is the runner's current zone and `today_in(zone)` their local date in a zone: dates
    (a race) are read in the new zone when the same line changes it.
    """
    try:
        pairs = parse_key_values(text)
    except GrammarError as err:
        raise ProfileError(
            f"{esc(str(err))} Settings are written as key=value, e.g. "
            "<code>time=07:00 tz=Europe/Berlin</code>."
        ) from err
    settings: dict[str, tuple[Setting, str]] = {}
    recent: dict[str, float] = {}
    for key, raw in pairs.items():
        race_key = distance_key(key) if setting_for(key) is None else None
        if race_key is not None:
            recent[race_key] = _recent_race(race_key, key, raw)
            continue
        setting = setting_for(key)
        if setting is None:
            raise ProfileError(
                f"I don't know the setting “{esc(key)}”. The settings are: {known_keys()}."
            )
        if setting.key in settings:
            raise ProfileError(f"You gave {setting.key} twice: give it once.")
        settings[setting.key] = (setting, raw)
    changes: dict[str, Any] = {}
    if recent:
        if "mile" in settings or len(recent) > 1:
            raise ProfileError(
                "Give one recent result: your mile time (mile=7:30) or one race (5k=24:30)."
            )
        changes["mile_time_s"] = next(iter(recent.values()))
    if "tz" in settings:
        setting, raw = settings.pop("tz")
        changes["tz"] = tz = parse_value(setting, raw, today_in(tz))
    today = today_in(tz)
    for setting, raw in settings.values():
        changes[setting.field] = parse_value(setting, raw, today)
    return changes


def _recent_race(key: str, typed: str, raw: str) -> float:
    """`5k=24:30`: a recent race as the mile it is worth (Daniels VDOT; `core.goals`)."""
    metres, label = DISTANCES[key]
    try:
        seconds = parse_mile_time(raw) if key == "mile" else _race_time(raw)
    except GrammarError as err:
        raise ProfileError(
            f"I couldn't read {esc(typed)}={esc(raw)}: {esc(str(err))} "
            "Example: <code>5k=24:30</code>"
        ) from err
    mile = round(equivalent_mile_s(metres, seconds), 1)
    if not WORLD_RECORD_MILE_S <= mile <= SLOWEST_MILE_S:
        raise ProfileError(
            f"A {label} in {esc(raw)} is worth a {format_mile(mile)} mile, which can't be "
            "right: check the time. Example: <code>5k=24:30</code>"
        )
    return mile


def _race_time(raw: str) -> float:
    try:
        return parse_mmss(raw)
    except ValueError as err:
        raise GrammarError("the time should look like 24:30 or 1:45:10.") from err


def profile_of(runner: Runner) -> Profile:
    """The runner's stored settings as a snapshot."""
    return Profile(**{name: getattr(runner, name) for name in FIELDS})


def athlete_of(profile: Profile) -> Athlete:
    """The training engine's view of a profile."""
    return Athlete(
        level=Level(profile.level),
        training_days=profile.days,
        mile_time_s=profile.mile_time_s,
        goal_s=profile.goal_s,
        race_date=profile.race_date,
        race_start=time.fromisoformat(profile.race_start) if profile.race_start else None,
        units="mi" if profile.units == "mi" else "km",
    )


def check_profile(profile: Profile, today: date, changed: Iterable[str] = FIELDS) -> None:
    """Level-specific sanity via the training engine; raises ProfileError.

    A race that is already behind the runner is only an error when it is being set now: an old
    race date must not block changing the reminder time.
    """
    if profile.race_date is not None and profile.race_date < today:
        if "race_date" in set(changed):
            raise ProfileError("That race date is in the past: pick a day from today on.")
        profile = profile.updated({"race_date": None})
    try:
        validate_athlete(athlete_of(profile), today)
    except PlanError as err:
        raise ProfileError(esc(str(err))) from err


def apply_profile(runner: Runner, profile: Profile) -> list[str]:
    """Store `profile` on the runner; returns the names of the fields that changed."""
    changed = []
    for name in FIELDS:
        value = getattr(profile, name)
        if getattr(runner, name) != value:
            setattr(runner, name, value)
            changed.append(name)
    return changed


# --- rendering --------------------------------------------------------------------------------


def format_mile(seconds: float | None) -> str:
    """`350.0` -> `5:50`; tenths are kept when given (`5:50.3`)."""
    return "not set" if seconds is None else clock_tenths_if_any(seconds)


def format_days(days: Iterable[int]) -> str:
    return ", ".join(WEEKDAYS[d] for d in days)


def format_setting(name: str, value: Any) -> str:
    """A field's value as the runner reads it (markup-safe)."""
    if name == "level":
        return LEVEL_WORDS.get(str(value), str(value))
    if name == "training_days":
        return format_days(int(d) for d in str(value).split(",") if d.strip())
    if name in ("mile_time_s", "goal_s"):
        return format_mile(value)
    if name == "race_date":
        return "none" if value is None else format_date(value, year=True)
    if name == "race_start":
        return "not set" if value is None else str(value)
    if name in ("quiet", "nudges"):
        return "on" if value else "off"
    if name == "units":
        return "miles" if value == "mi" else "kilometres"
    return esc(value)


def describe_profile(profile: Profile) -> list[str]:
    """The settings summary, one line per setting."""
    race = format_setting("race_date", profile.race_date)
    if profile.race_date is not None and profile.race_start:
        race += f", start {profile.race_start}"
    return [
        f"Level: {format_setting('level', profile.level)}",
        f"Training days: {format_setting('training_days', profile.training_days)}",
        f"Daily session at: {profile.reminder_time} ({esc(profile.tz)})",
        f"Units: {format_setting('units', profile.units)}",
        f"Current mile: {format_mile(profile.mile_time_s)}",
        f"Goal mile: {format_mile(profile.goal_s)}",
        f"Race: {race}",
        f"Quiet mode: {format_setting('quiet', profile.quiet)}"
        + (" (only the daily session and race week)" if profile.quiet else ""),
        f"Evening nudges: {format_setting('nudges', profile.nudges)}",
    ]


def describe_changes(before: Profile, after: Profile, changed: Iterable[str]) -> list[str]:
    """`Reminder time: 07:00 → 06:30` for each changed field, in settings order."""
    names = set(changed)
    lines = []
    for setting in SETTINGS.values():
        if setting.field in names:
            old = format_setting(setting.field, getattr(before, setting.field))
            new = format_setting(setting.field, getattr(after, setting.field))
            lines.append(f"{setting.label.capitalize()}: {old} → {new}")
    return lines


# --- JSON round trip for answers kept in a guided conversation -------------------------------


def changes_to_json(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in changes.items()}


def changes_from_json(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in FIELDS}
    if isinstance(out.get("race_date"), str):
        out["race_date"] = date.fromisoformat(out["race_date"])
    return out
