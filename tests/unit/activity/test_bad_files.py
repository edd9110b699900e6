"""Files Pacer will not log get one clear sentence (an ActivityError), never a traceback."""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from core.activity.errors import ActivityError
from core.activity.read import read_activity
from core.activity.unpack import MAX_FILE_BYTES
from tests.support.activity_files import Leg, fit, gpx, run, tcx, with_jump

NOW = datetime(2026, 3, 3, tzinfo=UTC)


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ActivityError) as caught:
        read_activity(name, data, now=NOW, units="km")
    return str(caught.value)


@pytest.mark.parametrize(("sport", "word"), [("cycling", "a ride"), ("swimming", "a swim"),
                                             ("walking", "a walk")])
def test_not_a_run(sport: str, word: str) -> None:
    assert refusal("a.fit", fit(run(Leg(3000, 300)), sport=sport)) == (
        f"That file is {word}, not a run — Pacer logs runs only. If it really was a run, "
        "change its type in your app and send it again, or log it by hand: /done 30min."
    )


def test_an_untyped_file_at_cycling_speed_is_not_a_run() -> None:
    assert refusal("a.gpx", gpx(run(Leg(20000, 120)), sport="")) == (
        "That activity averages faster than the 10 km world record, so it wasn't a run "
        "(a ride?) — Pacer logs runs only."
    )


def test_no_time_stamps_is_a_route() -> None:
    assert refusal("route.gpx", gpx(run(Leg(3000, 300)), times=False)) == (
        "That file has no time stamps, so it's a route rather than a recorded run — send the "
        "activity your watch or app recorded."
    )


def test_a_truncated_fit_file() -> None:
    data = fit(run(Leg(3000, 300)))

    assert refusal("run.fit", data[: len(data) // 2]).startswith(
        "run.fit looks damaged or cut short (FIT: "
    )


def test_a_fit_file_with_a_flipped_byte_fails_its_checksum() -> None:
    data = bytearray(fit(run(Leg(3000, 300))))
    data[500] ^= 0xFF

    assert refusal("run.fit", bytes(data)).startswith("run.fit looks damaged or cut short (FIT: ")


@pytest.mark.parametrize(("name", "writer"), [("run.gpx", gpx), ("run.tcx", tcx)])
def test_truncated_xml(name: str, writer: object) -> None:
    data = writer(run(Leg(3000, 300)))  # type: ignore[operator]

    kind = name.rsplit(".", 1)[1].upper()
    assert refusal(name, data[: len(data) // 2]).startswith(
        f"{name} looks damaged or cut short ({kind}: "
    )


def test_something_else_named_gpx() -> None:
    assert refusal("run.gpx", b"\x89PNG\r\n\x1a\n....") == (
        "run.gpx doesn't read as a GPX file — it may be corrupt or cut short. Export it again "
        "from your watch or app and send the new file."
    )


def test_a_photo() -> None:
    assert refusal("me.jpg", b"\xff\xd8\xff\xe0 jpeg") == (
        "I can't read me.jpg: send a GPX, FIT or TCX file from your watch or running app."
    )


def test_over_20_mb() -> None:
    assert refusal("big.gpx", b" " * (MAX_FILE_BYTES + 1)) == (
        "That file is 20.0 MB — I read activity files up to 20 MB. Export the single run "
        "(GPX, FIT or TCX) and send that."
    )


def test_a_gzip_bomb_is_stopped_early() -> None:
    bomb = gzip.compress(b"\0" * (100 * 1024 * 1024))  # 100 MB of zeros in ~100 KB

    assert len(bomb) < MAX_FILE_BYTES
    assert refusal("run.gpx.gz", bomb) == (
        "run.gpx.gz unpacks to more than 64 MB — far more than any run. I didn't read it."
    )


def test_a_zip_bomb_is_stopped_early() -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("run.gpx", b"<gpx>" + b" " * (100 * 1024 * 1024))

    assert refusal("export.zip", packed.getvalue()) == (
        "export.zip unpacks to more than 64 MB — far more than any run. I didn't read it."
    )


def test_an_entity_expansion_bomb_is_never_parsed() -> None:
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
           b"<gpx><trk><name>&lol2;</name></trk></gpx>")

    assert refusal("lol.gpx", lol) == (
        "lol.gpx declares a DOCTYPE, which GPX and TCX files never do — I won't read it."
    )


def test_a_gps_jump_that_never_comes_back() -> None:
    samples = with_jump(run(Leg(3000, 300)), at=600, metres=2000, lasting=0)

    assert refusal("jump.gpx", gpx(samples)) == (
        "Your track jumps 2.0 km in 1 s, 9:59 into the run — faster than the 100 m world "
        "record, so the GPS or the file went wrong. I didn't log it; log the run by hand "
        "instead, e.g. /done 5k 28:30."
    )


def test_a_device_distance_jump() -> None:
    samples = run(Leg(3000, 300))
    jumped = [s if k < 300 else type(s)(s.t, s.d + 1500, s.lat, s.lon, s.ele, s.hr)
              for k, s in enumerate(samples)]

    assert refusal("jump.fit", fit(jumped)).startswith("Your track jumps 1.5 km in 1 s, 4:59 ")


def test_a_mile_faster_than_the_world_record() -> None:
    text = refusal("fast.fit", fit(run(Leg(3000, 130))))

    assert text.startswith("This file has a mile in 3:29, ")
    assert text.endswith(" into the run — faster than the world record, so the GPS or the "
                         "file went wrong. I didn't log it; log the run by hand instead, e.g. "
                         "/done 5k 28:30.")


def test_a_start_in_the_future() -> None:
    data = gpx(run(Leg(3000, 300)), start=NOW + timedelta(days=2))

    assert refusal("run.gpx", data) == (
        "That run starts in the future (2026-03-05 00:00 UTC) — your watch's clock or the file "
        "is wrong, so I didn't log it."
    )


def test_a_few_metres_is_not_a_run() -> None:
    assert refusal("run.fit", fit(run(Leg(80, 300)))) == (
        "That file covers only 80 m — too little to log as a run. Did the GPS lose you? Log "
        "it by hand instead: /done 30min."
    )


def test_an_empty_file() -> None:
    assert refusal("run.fit", b"") == "run.fit is empty — nothing to log."
