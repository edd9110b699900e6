"""PACER_LOG_FORMAT=json: one JSON object per log line, for log shippers.

Each line has `time` (UTC, ISO 8601), `level`, `logger`, `message`, and, where known,
`platform`, `runner_id`, `update_id`, `command` (from `core.log_context`, or a record's `extra`)
and `duration` (seconds), plus `error` with the traceback of a logged exception. The formatter
only shapes records: what a message may contain is decided where it is logged (and filtered by
the redaction filter installed next to it).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from core import log_context

CONTEXT_FIELDS = ("platform", "runner_id", "update_id", "command")


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        bound = log_context.current()
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is None:
                value = bound.get(name)
            if value is not None:
                entry[name] = value
        duration = getattr(record, "duration", None)
        if isinstance(duration, int | float):
            entry["duration"] = round(float(duration), 6)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        elif record.exc_text:  # already formatted (and masked) by the redaction filter
            entry["error"] = record.exc_text
        elif record.stack_info:
            entry["error"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def use_json_logs(root: logging.Logger | None = None) -> None:
    """Give every handler of the root logger the JSON formatter."""
    for handler in (root or logging.getLogger()).handlers:
        handler.setFormatter(JsonFormatter())
