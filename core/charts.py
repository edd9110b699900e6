"""PNG charts for chat replies, drawn with matplotlib's object-oriented API on the Agg backend.

Each chart builds its own `Figure` (never pyplot's global state), so charts can be drawn
from worker threads and nothing leaks between calls.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # headless: servers have no display

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from core.stats import SLEEP_TARGET_HOURS, WeekStats
from core.text import short_date

EASY_COLOUR = "#4c9f70"
HARD_COLOUR = "#d1603d"
SLEEP_COLOUR = "#3b5ba5"
SIZE_INCHES = (8.0, 4.5)
DPI = 100


def weekly_chart(
    weeks: Sequence[WeekStats], title: str = "Weekly running: easy and hard minutes"
) -> bytes:
    """Stacked bars of easy and hard minutes per week, with the weekly sleep average.

    Sleep is drawn on its own right-hand axis (hours) with the 7 h line, so a week of short
    nights stands out next to the training it came with.
    """
    if not weeks:
        raise ValueError("a weekly chart needs at least one week")
    fig = Figure(figsize=SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    x = list(range(len(weeks)))
    labels = [short_date(w.monday) for w in weeks]
    easy = [w.easy_minutes for w in weeks]
    hard = [w.hard_minutes for w in weeks]
    ax.bar(x, easy, color=EASY_COLOUR, label="easy", width=0.6)
    ax.bar(x, hard, bottom=easy, color=HARD_COLOUR, label="hard", width=0.6)
    peak = max((w.minutes for w in weeks), default=0.0)
    for xi, week in zip(x, weeks, strict=True):
        if week.minutes > 0:
            ax.annotate(f"{week.minutes:.0f}", (xi, week.minutes), ha="center", va="bottom",
                        xytext=(0, 2), textcoords="offset points", fontsize=8)
    ax.set_ylim(0, max(peak * 1.12, 30.0))  # headroom for the value labels
    ax.set_xticks(x, labels)
    ax.set_xlabel("week starting")
    ax.set_ylabel("running minutes")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    handles, names = ax.get_legend_handles_labels()

    slept = [(xi, w.sleep_average) for xi, w in zip(x, weeks, strict=True)
             if w.sleep_average is not None]
    if slept:
        sleep_ax = ax.twinx()
        sleep_ax.plot([p[0] for p in slept], [p[1] for p in slept], color=SLEEP_COLOUR,
                      marker="o", linewidth=1.5, label="sleep (avg h/night)")
        sleep_ax.axhline(SLEEP_TARGET_HOURS, color=SLEEP_COLOUR, linestyle=":", linewidth=1,
                         label=f"{SLEEP_TARGET_HOURS:.0f} h")
        sleep_ax.set_ylim(0, 12)
        sleep_ax.set_ylabel("sleep, hours per night")
        more_handles, more_names = sleep_ax.get_legend_handles_labels()
        handles += more_handles
        names += more_names
    # Below the axes, so the legend never hides a tall first week.
    ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8,
              ncols=len(names), frameon=False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
