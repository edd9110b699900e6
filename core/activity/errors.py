"""The one error every activity-file problem becomes: its message is shown to the runner."""

from __future__ import annotations


class ActivityError(Exception):
    """A file Pacer will not log, with the reason in words a runner understands."""
