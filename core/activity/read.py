"""`read_activity`: the bytes a runner sent → the `Activity` to log, or an `ActivityError`.

Refused (issue 18): a file that is not a run (a ride, a swim, a walk — or, when the file does
not say, a pace no runner holds), one without time stamps, a damaged or truncated one, one
over 20 MB or unpacking to far more, a GPS jump faster than the world record that does not
come back, a best effort faster than the world record, and a start time in the future.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.activity.clean import to_track
from core.activity.efforts import EFFORT_NAMES, WORLD_RECORD_S
from core.activity.errors import ActivityError
from core.activity.readers import read_raw
from core.activity.summary import Activity, summarise
from core.activity.unpack import unpack
from core.text import clock

RUNNING = frozenset({"running"})
NOT_RUNNING = {
    "cycling": "a ride", "swimming": "a swim", "walking": "a walk", "hiking": "a hike",
    "e_biking": "a ride", "mountain_biking": "a ride", "rowing": "a row",
    "cross_country_skiing": "a ski", "alpine_skiing": "a ski", "paddling": "a paddle",
    "transition": "a transition", "inline_skating": "a skate",
}
FASTEST_RUN_SPEED = 6.5  # m/s: faster than the 10 km world record's average (6.37 m/s)
MIN_DISTANCE_M = 200.0
CLOCK_SKEW = timedelta(minutes=10)


def read_activity(name: str, data: bytes, *, now: datetime, units: str) -> Activity:
    """Read, check and summarise one activity file (`units`: "km" or "mi" for the splits)."""
    file = unpack(name, data)
    raw = read_raw(file)
    if raw.sport in NOT_RUNNING or (raw.sport and raw.sport not in RUNNING
                                    and raw.sport not in ("generic", "training", "other")):
        what = NOT_RUNNING.get(raw.sport, f"a {raw.sport.replace('_', ' ')} activity")
        raise ActivityError(
            f"That file is {what}, not a run — Pacer logs runs only. If it really was a run, "
            "change its type in your app and send it again, or log it by hand: /done 30min."
        )
    track = to_track(raw)
    if track.start > now + CLOCK_SKEW:
        raise ActivityError(
            f"That run starts in the future ({track.start:%Y-%m-%d %H:%M} UTC) — your watch's "
            "clock or the file is wrong, so I didn't log it."
        )
    if track.distance_m < MIN_DISTANCE_M:
        raise ActivityError(
            f"That file covers only {track.distance_m:.0f} m — too little to log as a run. "
            "Did the GPS lose you? Log it by hand instead: /done 30min."
        )
    activity = summarise(track, raw.sport or "running", raw.file_format, units)
    if raw.sport != "running" and activity.moving_s and (
        activity.distance_m / activity.moving_s > FASTEST_RUN_SPEED
    ):
        raise ActivityError(
            "That activity averages faster than the 10 km world record, so it wasn't a run "
            "(a ride?) — Pacer logs runs only."
        )
    for effort in activity.efforts:
        if effort.seconds < WORLD_RECORD_S[effort.distance_m]:
            what = EFFORT_NAMES[effort.distance_m]
            raise ActivityError(
                f"This file has a {what} in {clock(effort.seconds)}, {clock(effort.start_s)} "
                "into the run — faster than the world record, so the GPS or the file went "
                "wrong. I didn't log it; log the run by hand instead, e.g. /done 5k 28:30."
            )
    return activity
