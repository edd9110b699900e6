"""What people type is stored and shown without invisible control characters.

- NUL and the other C0 controls (tab and line breaks excepted), and DEL: PostgreSQL refuses
  NUL in text columns, and none of them means anything in a name or a note.
- Unicode bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): an
  override makes "‮mk 05" read "50 km" and can spoof a leaderboard. Right-to-left
  names and notes still display correctly: their direction comes from their letters; the
  implicit marks (LRM, RLM, ALM) are kept.

`Pacer.handle` cleans every request (text, display name, chat title) on every platform, and
`core.messages.esc` cleans whatever user text reaches reply markup, so names stored before
this existed are shown clean too.
"""

from __future__ import annotations

import re

UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # C0 controls but tab, line feed, carriage return; DEL
    "\u202a-\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066-\u2069]"  # LRI, RLI, FSI, PDI
)


def clean_text(value: str) -> str:
    """`value` without NUL, other control characters and bidi overrides or isolates."""
    return UNSAFE.sub("", value) if UNSAFE.search(value) else value
