"""Generated activity files for tests: a run described leg by leg, written as GPX, FIT or TCX.

`run(Leg(5000, 300))` is 5 km at 5:00 /km sampled every second along a straight line north
from Berlin's Tempelhofer Feld; `Pause(60)` stands still; `noise=3.0` adds that many metres of
GPS scatter (seeded). FIT files come from `fit_file`, a small FIT encoder (the protocol's
header, definition and data messages, and its CRC-16) — enough to write what watches write.
"""

from __future__ import annotations

import random
import struct
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

START = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)
LAT0, LON0 = 52.4730, 13.4010
METRES_PER_DEGREE = 6_371_008.8 * 3.141592653589793 / 180


@dataclass(frozen=True)
class Leg:
    metres: float
    pace_s_per_km: float


@dataclass(frozen=True)
class Pause:
    seconds: float


@dataclass(frozen=True)
class Sample:
    t: float  # seconds since the start
    d: float  # true distance, metres
    lat: float
    lon: float
    ele: float
    hr: int


def run(*legs: Leg | Pause, step: float = 1.0, noise: float = 0.0, seed: int = 7,
        hill_m: float = 0.0) -> list[Sample]:
    """Samples every `step` seconds; `hill_m`: one climb and descent of that height."""
    rng = random.Random(seed)
    out: list[Sample] = []
    t = d = 0.0
    total = sum(leg.metres for leg in legs if isinstance(leg, Leg))

    def add(t: float, d: float) -> None:
        north = d + (rng.gauss(0, noise) if noise else 0.0)
        east = rng.gauss(0, noise) if noise else 0.0
        ele = 40.0 + (hill_m * (1 - abs(2 * d / total - 1)) if total else 0.0)
        out.append(Sample(t, d, LAT0 + north / METRES_PER_DEGREE,
                          LON0 + east / (METRES_PER_DEGREE * 0.6085), ele, 150))

    add(0.0, 0.0)
    for leg in legs:
        if isinstance(leg, Pause):
            end = t + leg.seconds
            while t + step <= end + 1e-9:
                t += step
                add(t, d)
            continue
        speed = 1000.0 / leg.pace_s_per_km
        end_d = d + leg.metres
        while d + speed * step < end_d - 1e-9:
            t += step
            d += speed * step
            add(t, d)
        t += (end_d - d) / speed
        d = end_d
        add(t, d)
    return out


def with_jump(samples: list[Sample], at: int, metres: float, *, lasting: int = 1) -> list[Sample]:
    """GPS thrown `metres` east for `lasting` samples from index `at` (lasting=0: for good)."""
    out = list(samples)
    stop = len(out) if lasting == 0 else at + lasting
    for k in range(at, stop):
        s = out[k]
        out[k] = replace(s, lon=s.lon + metres / (METRES_PER_DEGREE * 0.6085))
    return out


def _iso(t: float, start: datetime) -> str:
    return (start + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def gpx(samples: list[Sample], *, sport: str = "running", start: datetime = START,
        times: bool = True, hr: bool = True) -> bytes:
    points = []
    for s in samples:
        time = f"<time>{_iso(s.t, start)}</time>" if times else ""
        ext = (f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{s.hr}</gpxtpx:hr>"
               "</gpxtpx:TrackPointExtension></extensions>") if hr else ""
        points.append(f'<trkpt lat="{s.lat:.7f}" lon="{s.lon:.7f}"><ele>{s.ele:.1f}</ele>'
                      f"{time}{ext}</trkpt>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="pacer-tests" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>Morning Run</name><type>{sport}</type><trkseg>"
        + "".join(points) + "</trkseg></trk></gpx>"
    ).encode()


def tcx(samples: list[Sample], *, sport: str = "Running", start: datetime = START,
        device_distance: bool = True) -> bytes:
    points = []
    for s in samples:
        distance = f"<DistanceMeters>{s.d:.2f}</DistanceMeters>" if device_distance else ""
        points.append(
            f"<Trackpoint><Time>{_iso(s.t, start)}</Time><Position>"
            f"<LatitudeDegrees>{s.lat:.7f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{s.lon:.7f}</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{s.ele:.1f}</AltitudeMeters>{distance}"
            f"<HeartRateBpm><Value>{s.hr}</Value></HeartRateBpm></Trackpoint>"
        )
    total = samples[-1]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{_iso(0, start)}</Id>'
        f'<Lap StartTime="{_iso(0, start)}"><TotalTimeSeconds>{total.t:.1f}</TotalTimeSeconds>'
        f"<DistanceMeters>{total.d:.1f}</DistanceMeters><Calories>0</Calories>"
        "<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod><Track>"
        + "".join(points) + "</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
FIT_SPORTS = {"running": 1, "cycling": 2, "swimming": 5, "walking": 11, "hiking": 17,
              "generic": 0}
_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)
# FIT base types: (code, struct format)
_ENUM, _UINT8, _UINT16, _SINT32, _UINT32 = (0x00, "B"), (0x02, "B"), (0x84, "H"), (0x85, "i"), \
    (0x86, "I")


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT protocol's CRC-16."""
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = _CRC_TABLE[crc & 0xF]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[nibble]
    return crc


class FitWriter:
    """Definition and data messages, then `bytes()` adds the header and the CRC."""

    def __init__(self) -> None:
        self.body = bytearray()
        self.local: dict[tuple[int, tuple[int, ...]], int] = {}

    def message(self, global_num: int, fields: list[tuple[int, tuple[int, str], float]]) -> None:
        key = (global_num, tuple(num for num, _, _ in fields))
        if key not in self.local:
            self.local[key] = len(self.local) % 16
            self.body += struct.pack("<BBBHB", 0x40 | self.local[key], 0, 0, global_num,
                                     len(fields))
            for num, (code, fmt), _ in fields:
                self.body += struct.pack("<BBB", num, struct.calcsize(fmt), code)
        self.body += bytes([self.local[key]])
        for _, (_, fmt), value in fields:
            self.body += struct.pack("<" + fmt, round(value))

    def __bytes__(self) -> bytes:
        header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(self.body), b".FIT")
        header += struct.pack("<H", fit_crc(header))
        data = header + bytes(self.body)
        return data + struct.pack("<H", fit_crc(data))


def fit(samples: list[Sample], *, sport: str = "running", start: datetime = START,
        device_distance: bool = True) -> bytes:
    """A FIT activity: file_id, one record per sample, a session (with the sport)."""
    def stamp(t: float) -> float:
        return (start - FIT_EPOCH).total_seconds() + t

    semicircles = 2**31 / 180.0
    out = FitWriter()
    out.message(0, [(0, _ENUM, 4), (1, _UINT16, 255), (4, _UINT32, stamp(0))])
    for s in samples:
        fields = [(253, _UINT32, stamp(s.t)), (0, _SINT32, s.lat * semicircles),
                  (1, _SINT32, s.lon * semicircles), (2, _UINT16, (s.ele + 500) * 5),
                  (3, _UINT8, s.hr)]
        if device_distance:
            fields.append((5, _UINT32, s.d * 100))
        out.message(20, fields)
    last = samples[-1]
    out.message(18, [(253, _UINT32, stamp(last.t)), (2, _UINT32, stamp(0)),
                     (5, _ENUM, FIT_SPORTS[sport]), (7, _UINT32, last.t * 1000),
                     (8, _UINT32, last.t * 1000), (9, _UINT32, last.d * 100)])
    return bytes(out)
