"""Readers: the bytes of a GPX, FIT or TCX file → `RawTrack`, with maintained libraries.

- GPX: `gpxpy` (the reference GPX library for Python, used by most GPX tools; parses GPX 1.0
  and 1.1 and keeps the extensions where watches put heart rate).
- FIT: `fitdecode` (maintained, pure Python, streams frames instead of building the whole
  file in memory; with `CrcCheck.RAISE` and `ErrorHandling.RAISE` a truncated or corrupt file
  is an error, never a guess; decodes compressed timestamps, components and developer fields).
  Garmin's own `garmin-fit-sdk` was the other candidate and equally quick here, but its wheel
  installs a top-level `tests` package into site-packages, which shadows this project's
  `tests` package (`python -m tests.support...`, the bench's fakes) — a dependency must not
  do that.
- TCX: `tcxreader` (maintained, reads Garmin's TrainingCenterDatabase including files with
  missing values; plain `xml.etree` underneath).

Each reader turns any library exception into an `ActivityError`: a damaged file never
becomes a traceback.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import cast
from xml.etree.ElementTree import Element

import fitdecode
import gpxpy
import gpxpy.gpx
from tcxreader.tcxreader import TCXReader

from core.activity.errors import ActivityError
from core.activity.track import RawPoint, RawTrack
from core.activity.unpack import ActivityFile

_SEMICIRCLE = 180.0 / 2**31


def read_raw(file: ActivityFile) -> RawTrack:
    """The samples of `file`, by its (sniffed) format."""
    reader = {"gpx": read_gpx, "fit": read_fit, "tcx": read_tcx}[file.file_format]
    try:
        return reader(file.name, file.data)
    except ActivityError:
        raise
    except Exception as err:  # any library's complaint about a damaged file
        raise damaged(file.name, file.file_format, err) from None


def damaged(name: str, file_format: str, err: object) -> ActivityError:
    reason = str(err).splitlines()[0][:120] if str(err) else type(err).__name__
    return ActivityError(
        f"{name} looks damaged or cut short ({file_format.upper()}: {reason}). Export it "
        "again from your watch or app and send the new file."
    )


def normalise_sport(value: object) -> str:
    text = str(value or "").strip().lower().replace(" ", "_")
    aliases = {
        "run": "running", "trail_run": "running", "trail_running": "running",
        "treadmill_running": "running", "virtualrun": "running", "virtual_run": "running",
        "track_running": "running", "street_running": "running", "indoor_running": "running",
        "biking": "cycling", "ride": "cycling", "bike": "cycling", "virtualride": "cycling",
        "swim": "swimming", "walk": "walking", "hike": "hiking",
    }
    return aliases.get(text, text)


# --- GPX -------------------------------------------------------------------------------------


def read_gpx(name: str, data: bytes) -> RawTrack:
    gpx = gpxpy.parse(data.decode("utf-8", errors="replace"))
    points: list[RawPoint] = []
    sport = ""
    for track in gpx.tracks:
        sport = sport or normalise_sport(track.type)
        for segment in track.segments:
            points += [_gpx_point(p) for p in segment.points if p.time is not None]
    return RawTrack("gpx", sport, tuple(points))


def _gpx_point(point: gpxpy.gpx.GPXTrackPoint) -> RawPoint:
    return RawPoint(
        time=utc(cast(datetime, point.time)),
        lat=point.latitude,
        lon=point.longitude,
        elevation=point.elevation,
        heart_rate=_extension_hr(point.extensions),
    )


def _extension_hr(extensions: Iterable[Element]) -> float | None:
    """Heart rate from Garmin's TrackPointExtension (`<gpxtpx:hr>`) or a bare `<hr>`."""
    for element in extensions:
        for node in element.iter():
            if node.tag.rsplit("}", 1)[-1].lower() == "hr" and node.text:
                try:
                    return float(node.text)
                except ValueError:
                    return None
    return None


# --- FIT -------------------------------------------------------------------------------------


def read_fit(name: str, data: bytes) -> RawTrack:
    sport = ""
    points: list[RawPoint] = []
    reader = fitdecode.FitReader(
        io.BytesIO(data),
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.RAISE,
    )
    with reader:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            if frame.name == "record":
                point = _fit_point(frame)
                if point is not None:
                    points.append(point)
            elif frame.name in ("session", "sport", "lap") and not sport:
                sport = normalise_sport(frame.get_value("sport", fallback=None))
    return RawTrack("fit", sport, tuple(points))


def _fit_point(frame: fitdecode.FitDataMessage) -> RawPoint | None:
    def number(*names: str) -> float | None:
        for field in names:
            value = frame.get_value(field, fallback=None)
            if isinstance(value, int | float):
                return float(value)
        return None

    timestamp = frame.get_value("timestamp", fallback=None)
    if not isinstance(timestamp, datetime):
        return None
    lat, lon = number("position_lat"), number("position_long")
    located = lat is not None and lon is not None
    return RawPoint(
        time=utc(timestamp),
        lat=lat * _SEMICIRCLE if lat is not None and located else None,
        lon=lon * _SEMICIRCLE if lon is not None and located else None,
        distance=number("distance"),
        elevation=number("enhanced_altitude", "altitude"),
        heart_rate=number("heart_rate"),
    )


# --- TCX -------------------------------------------------------------------------------------


def read_tcx(name: str, data: bytes) -> RawTrack:
    # tcxreader hands its argument to ElementTree.parse, which takes a file object too.
    exercise = TCXReader().read(cast(str, io.BytesIO(data)), only_gps=False)
    points = tuple(
        RawPoint(
            time=utc(p.time),
            lat=p.latitude,
            lon=p.longitude,
            distance=p.distance,
            elevation=p.elevation,
            heart_rate=float(p.hr_value) if p.hr_value is not None else None,
        )
        for p in exercise.trackpoints
        if p.time is not None
    )
    return RawTrack("tcx", normalise_sport(exercise.activity_type), points)


def utc(moment: datetime) -> datetime:
    """Aware UTC; a time without a zone is UTC (GPX and TCX times are UTC by definition)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
