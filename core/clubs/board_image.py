"""A leaderboard as a PNG: matplotlib's object API on the Agg backend, no pyplot state.

Names are drawn with `parse_math=False`: a runner called `$x^2$` is shown as typed, never fed to
matplotlib's math parser.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # headless: servers have no display

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

BAR_COLOUR = "#3b5ba5"
YOU_COLOUR = "#d1603d"
TEAM_COLOUR = "#4c9f70"
TRACK_COLOUR = "#e6e6e6"
WIDTH_INCHES = 7.5
ROW_INCHES = 0.42
TITLE_INCHES = 0.85
TEAM_INCHES = 0.75
MARGIN_INCHES = 0.2
DPI = 100
NAME_CHARS = 24


@dataclass(frozen=True)
class BoardRow:
    """One line of the picture: rank label, name, the bar's length and the value as text."""

    rank: str
    name: str
    value: float
    shown: str
    highlight: bool = False  # the person who asked


@dataclass(frozen=True)
class TeamProgress:
    """A team goal: how far together, of how much, and the caption ("312.4 of 500 km")."""

    done: float
    goal: float
    caption: str


def leaderboard_png(
    title: str,
    rows: Sequence[BoardRow],
    *,
    subtitle: str = "",
    you: BoardRow | None = None,
    team: TeamProgress | None = None,
) -> bytes:
    """Horizontal bars, best at the top; `you` below a gap when outside the rows shown."""
    slots = max(len(rows) + (1.6 if you is not None else 0.0), 1.0)
    board_inches = ROW_INCHES * slots
    team_inches = TEAM_INCHES if team is not None else 0.0
    height = TITLE_INCHES + board_inches + team_inches + MARGIN_INCHES
    fig = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    FigureCanvasAgg(fig)
    bottom = MARGIN_INCHES / height
    board = fig.add_axes((0.34, bottom + team_inches / height, 0.52, board_inches / height))
    if team is not None:
        _team(fig.add_axes((0.34, bottom, 0.52, TEAM_INCHES * 0.4 / height)), team)
    _bars(board, rows, you)
    fig.suptitle(title, fontsize=13, fontweight="bold", parse_math=False,
                 y=1 - 0.12 / height, va="top")
    if subtitle:
        fig.text(0.5, 1 - 0.5 / height, subtitle, fontsize=9, color="#555555", ha="center",
                 va="top", parse_math=False)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def _bars(ax: Axes, rows: Sequence[BoardRow], you: BoardRow | None) -> None:
    lines = [*rows, *([you] if you is not None else [])]
    # A gap of one row before the viewer's own line when it comes from further down.
    ys = [-float(i) for i in range(len(rows))]
    if you is not None:
        ys.append(-float(len(rows)) - 0.6)
    peak = max((r.value for r in lines), default=0.0) or 1.0
    for y, row in zip(ys, lines, strict=True):
        colour = YOU_COLOUR if row.highlight else BAR_COLOUR
        ax.barh(y, max(row.value, 0.0), color=colour, height=0.7)
        ax.text(-0.02 * peak, y, f"{row.rank}  {_short(row.name)}", ha="right", va="center",
                fontsize=10, fontweight="bold" if row.highlight else "normal",
                parse_math=False)
        ax.text(max(row.value, 0.0) + 0.02 * peak, y, row.shown, ha="left", va="center",
                fontsize=9, parse_math=False)
    if not lines:
        ax.text(0.5, 0.5, "No members yet", ha="center", va="center", transform=ax.transAxes,
                fontsize=11, color="#777777")
    ax.set_xlim(0, peak * 1.02)
    ax.set_ylim(min(ys, default=0.0) - 0.5, 0.5)
    ax.set_axis_off()


def _team(ax: Axes, team: TeamProgress) -> None:
    share = 0.0 if team.goal <= 0 else min(team.done / team.goal, 1.0)
    ax.barh(0, 1.0, color=TRACK_COLOUR, height=1.0)
    ax.barh(0, share, color=TEAM_COLOUR, height=1.0)
    ax.text(0.5, 0.75, team.caption, ha="center", va="bottom", fontsize=10,
            parse_math=False)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.5, 0.5)
    ax.set_axis_off()


def _short(name: str) -> str:
    name = " ".join(name.split()) or "?"
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"
