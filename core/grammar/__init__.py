"""Pure parsers for what runners type: runs, sleep, settings, days, times and time zones.

Every parser takes text (and, where a calendar matters, `today`) and either returns a value or
raises GrammarError, whose message is ready to send to the runner. No I/O, no clock.
"""

from core.grammar.days import parse_date
from core.grammar.distances import parse_distance
from core.grammar.done import RunEntry, parse_done
from core.grammar.durations import parse_duration
from core.grammar.errors import GrammarError
from core.grammar.level import LEVELS, parse_level
from core.grammar.settings_kv import parse_key_values
from core.grammar.sleep import parse_sleep, parse_sleep_night
from core.grammar.times import parse_clock, parse_mile_time
from core.grammar.timezones import UnknownTimezoneError, resolve_timezone, suggest_timezones
from core.grammar.training_days import parse_training_days

__all__ = [
    "LEVELS",
    "GrammarError",
    "RunEntry",
    "UnknownTimezoneError",
    "parse_clock",
    "parse_date",
    "parse_distance",
    "parse_done",
    "parse_duration",
    "parse_key_values",
    "parse_level",
    "parse_mile_time",
    "parse_sleep",
    "parse_sleep_night",
    "parse_training_days",
    "resolve_timezone",
    "suggest_timezones",
]
