"""From the bytes a runner sent to the bytes of one activity file, and which format it is.

Limits (issue 18): a file over `MAX_FILE_BYTES` (20 MB) is refused before it is read; a
`.gz` or `.zip` (how Strava and Garmin export activities) is unpacked with a cap on what it
may grow to, so a zip bomb is refused after at most `MAX_UNPACKED_BYTES` of work; an XML
file that declares a DOCTYPE (the road to entity-expansion bombs — GPX and TCX never need one)
is refused before any XML parser sees it.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from core.activity.errors import ActivityError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
FORMATS = ("gpx", "fit", "tcx")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ActivityFile:
    """One activity file's bytes and its format ("gpx", "fit" or "tcx")."""

    name: str
    file_format: str
    data: bytes


def too_big(size: int) -> ActivityError:
    return ActivityError(
        f"That file is {size / 1024 / 1024:.1f} MB — I read activity files up to "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB. Export the single run (GPX, FIT or TCX) and "
        "send that."
    )


def is_activity_name(name: str) -> bool:
    """True for the file names Pacer reads as activities (`run.gpx`, `run.fit.gz`, `a.zip`)."""
    lower = name.lower().removesuffix(".gz")
    return lower.endswith((".gpx", ".fit", ".tcx", ".zip"))


def unpack(name: str, data: bytes) -> ActivityFile:
    """The activity inside `data` (sent as `name`); ActivityError when there is none."""
    if len(data) > MAX_FILE_BYTES:
        raise too_big(len(data))
    if not data:
        raise ActivityError(f"{name} is empty — nothing to log.")
    lower = name.lower()
    if data[:2] == b"\x1f\x8b":
        data, lower = _gunzip(name, data), lower.removesuffix(".gz")
    elif data[:4] == b"PK\x03\x04":
        name, data = _unzip(name, data)
        lower = name.lower().removesuffix(".gz")
        if data[:2] == b"\x1f\x8b":
            data = _gunzip(name, data)
    file_format = sniff(data)
    if file_format is None:
        stated = lower.rsplit(".", 1)[-1] if "." in lower else ""
        if stated in FORMATS:
            raise ActivityError(
                f"{name} doesn't read as a {stated.upper()} file — it may be corrupt or cut "
                "short. Export it again from your watch or app and send the new file."
            )
        raise ActivityError(
            f"I can't read {name}: send a GPX, FIT or TCX file from your watch or running app."
        )
    if file_format in ("gpx", "tcx"):
        refuse_doctype(name, data)
    return ActivityFile(name, file_format, data)


def sniff(data: bytes) -> str | None:
    """The format by content: FIT's header signature, or the XML root of GPX or TCX."""
    if len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT":
        return "fit"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return None
    if b"<gpx" in head:
        return "gpx"
    if b"<TrainingCenterDatabase" in head:
        return "tcx"
    return None


def refuse_doctype(name: str, data: bytes) -> None:
    """GPX and TCX have no DOCTYPE; one in the prolog can only be trouble (entity bombs)."""
    root = min(
        (i for i in (data.find(b"<gpx"), data.find(b"<TrainingCenterDatabase")) if i >= 0),
        default=len(data),
    )
    if b"<!DOCTYPE" in data[:root].upper() or b"<!ENTITY" in data[:root].upper():
        raise ActivityError(
            f"{name} declares a DOCTYPE, which GPX and TCX files never do — I won't read it."
        )


def _gunzip(name: str, data: bytes) -> bytes:
    out = bytearray()
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        pending = data
        while not inflater.eof:
            chunk = inflater.decompress(pending, _CHUNK)
            out += chunk
            _check_unpacked(name, len(out))
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                break
        if not inflater.eof:
            raise ActivityError(f"{name} is cut short — the compressed file is incomplete.")
    except zlib.error as err:
        raise ActivityError(f"{name} is a damaged compressed file ({err}).") from None
    return bytes(out)


def _unzip(name: str, data: bytes) -> tuple[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [
                info for info in archive.infolist()
                if not info.is_dir() and is_activity_name(info.filename)
                and not info.filename.lower().endswith(".zip")
            ]
            if not members:
                raise ActivityError(f"{name} holds no GPX, FIT or TCX file.")
            if len(members) > 1:
                raise ActivityError(
                    f"{name} holds {len(members)} activity files — send one run at a time."
                )
            member = members[0]
            out = bytearray()
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    out += chunk
                    _check_unpacked(name, len(out))
            return member.filename.rsplit("/", 1)[-1], bytes(out)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as err:
        raise ActivityError(f"{name} is a damaged zip file ({err}).") from None


def _check_unpacked(name: str, size: int) -> None:
    if size > MAX_UNPACKED_BYTES:
        raise ActivityError(
            f"{name} unpacks to more than {MAX_UNPACKED_BYTES // 1024 // 1024} MB — far more "
            "than any run. I didn't read it."
        )
