"""PACER_HEALTH_LISTEN: `host:port`, `[v6]:port`, or `off`."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_LISTEN = "127.0.0.1:9464"


@dataclass(frozen=True)
class Address:
    host: str
    port: int


def parse_listen(value: str) -> Address | None:
    """`host:port` (`[::1]:9464` for IPv6) → Address; `off` → None. ValueError otherwise."""
    text = value.strip()
    if text.lower() == "off":
        return None
    match = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\]:(\d{1,5})|([^:\s\[\]]+):(\d{1,5})", text)
    if match is None:
        raise ValueError(f"{value!r} is not host:port (e.g. 127.0.0.1:9464) or off")
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4))
    if port > 65535:
        raise ValueError(f"port {port} is out of range (0-65535)")
    return Address(host, port)
