"""What club members read about a challenge: boards, weekly standings and final results.

Each board comes as text (top 10, the asker's own line when further down, the team goal) and as
a PNG of the same figures. Names are runner-typed text: always escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from core.clubs.board_image import BoardRow, TeamProgress, leaderboard_png
from core.clubs.figures import zone
from core.clubs.ranking import (
    BoardSlice,
    Metric,
    Standing,
    format_figure,
    format_goal,
    progress_bar,
    share_percent,
)
from core.messages import Attachment, Reply, esc
from core.storage.club_values import StoredChallenge
from core.text import format_date

MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
PNG = "image/png"


def headline(challenge: StoredChallenge, now: datetime | None = None, *, icon: str = "🏆 ") -> str:
    """`🏆 October Miles · distance · until Sat 31 Oct (12 days to go)`."""
    text = (f"{icon}<b>{esc(challenge.name)}</b> · {challenge.metric} · "
            f"until {format_date(challenge.ends_on)}")
    left = None if now is None else days_left(challenge, now)
    if left == 1:
        text += " (last day!)"
    elif left is not None and left > 1:
        text += f" ({left} days to go)"
    return text


def goal_text(challenge: StoredChallenge, units: str, *, team: bool = False) -> str:
    """`goal: 100 km each` (with `team`: `· together to 500 km`), or "" without goals."""
    metric = Metric(challenge.metric)
    parts = []
    if challenge.goal is not None:
        parts.append(f"goal: {format_goal(metric, challenge.goal, units)} each")
    if team and challenge.team_goal is not None:
        parts.append(f"together to {format_goal(metric, challenge.team_goal, units)}")
    return " · ".join(parts)


def _line(standing: Standing, metric: Metric, units: str, goal: float | None) -> str:
    value = standing.entry.value
    mark = " ✓" if goal is not None and value is not None and value >= goal else ""
    return (f"{standing.label}. {esc(standing.entry.name)} — "
            f"{format_figure(metric, value, units)}{mark}")


def _team_line(challenge: StoredChallenge, shown: BoardSlice, units: str) -> str | None:
    if challenge.team_goal is None:
        return None
    metric = Metric(challenge.metric)
    total = shown.team_total
    return (f"Together to {format_goal(metric, challenge.team_goal, units)}: "
            f"{format_figure(metric, total, units)} — "
            f"{share_percent(total, challenge.team_goal)}%\n"
            f"{progress_bar(total, challenge.team_goal)}")


def board_lines(challenge: StoredChallenge, shown: BoardSlice, units: str) -> list[str]:
    """The board's text lines after the headline."""
    metric = Metric(challenge.metric)
    lines = []
    goals = goal_text(challenge, units)
    if goals:
        lines.append(f"<i>{goals}</i>")
    if not shown.top:
        lines.append("No one has joined yet — /challenge join")
    lines += [_line(s, metric, units, challenge.goal) for s in shown.top]
    if shown.you is not None:
        tied = " (tied)" if shown.you.tied else ""
        lines.append(f"You: #{shown.you.rank}{tied} of {shown.total} — "
                     f"{format_figure(metric, shown.you.entry.value, units)}")
    team = _team_line(challenge, shown, units)
    if team:
        lines.append(team)
    if challenge.goal is not None and shown.total:
        lines.append(f"Goal reached by {shown.goal_reached} of {shown.total}.")
    return lines


def board_image(
    challenge: StoredChallenge, shown: BoardSlice, units: str, viewer_id: int | None,
    title: str | None = None,
) -> Attachment:
    """The board as a PNG attachment."""
    metric = Metric(challenge.metric)

    def row(s: Standing) -> BoardRow:
        return BoardRow(s.label, s.entry.name, s.entry.value or 0.0,
                        format_figure(metric, s.entry.value, units),
                        s.entry.runner_id == viewer_id)

    team = None
    if challenge.team_goal is not None:
        total = shown.team_total
        team = TeamProgress(total, challenge.team_goal,
                            f"Together: {format_figure(metric, total, units)} of "
                            f"{format_goal(metric, challenge.team_goal, units)}")
    subtitle = f"{metric.blurb} · until {format_date(challenge.ends_on)}"
    png = leaderboard_png(title or challenge.name, [row(s) for s in shown.top],
                          subtitle=subtitle, you=row(shown.you) if shown.you else None,
                          team=team)
    return Attachment(f"challenge-{challenge.id}.png", png, PNG)


def board_reply(
    challenge: StoredChallenge, shown: BoardSlice, *, viewer_id: int | None, units: str,
    now: datetime,
) -> Reply:
    """`/challenge board`: the top 10 and the asker's own line, as text and as an image."""
    text = "\n".join([headline(challenge, now), *board_lines(challenge, shown, units)])
    image = board_image(challenge, shown, units, viewer_id)
    return Reply(text, attachments=(image,))


def weekly_reply(
    boards: Sequence[tuple[StoredChallenge, BoardSlice]], units: dict[int, str], now: datetime,
) -> Reply:
    """The Sunday post: every running challenge of the club, top 10 each, with images."""
    parts = ["📊 <b>Weekly standings</b>"]
    images = []
    for challenge, shown in boards:
        unit = units.get(challenge.id, "km")
        parts.append("\n".join([headline(challenge, now),
                                *board_lines(challenge, shown, unit)]))
        images.append(board_image(challenge, shown, unit, None))
    parts.append("Keep going — see your own place any time with /challenge board.")
    return Reply("\n\n".join(parts), attachments=tuple(images))


def final_reply(challenge: StoredChallenge, shown: BoardSlice, units: str) -> Reply:
    """The end: podium, the rest of the top 10, the team result and a celebration."""
    metric = Metric(challenge.metric)
    lines = [f"🏁 <b>{esc(challenge.name)}</b> is over! Final results "
             f"({metric.value}, until {format_date(challenge.ends_on)}):"]
    for s in shown.top:
        medal = MEDALS.get(s.rank) if s.entry.value else None
        prefix = medal or f"{s.label}."
        figure = format_figure(metric, s.entry.value, units)
        lines.append(f"{prefix} {esc(s.entry.name)} — {figure}")
    if shown.total > len(shown.top):
        lines.append(f"…and {shown.total - len(shown.top)} more.")
    team = _team_line(challenge, shown, units)
    if team:
        lines.append(team)
    lines.append("")
    lines.append(_celebration(challenge, shown))
    image = board_image(challenge, shown, units, None, title=f"{challenge.name} — final")
    return Reply("\n".join(lines), attachments=(image,) if shown.total else ())


def _celebration(challenge: StoredChallenge, shown: BoardSlice) -> str:
    if not shown.total:
        return "Nobody joined this one — start another with /challenge new."
    if not shown.leaders:
        return "No runs counted this time. Next challenge, then! 💪"
    winners = [s for s in shown.top if s.rank == 1 and s.entry.value]
    names = [f"<b>{esc(s.entry.name)}</b>" for s in winners]
    if shown.leaders > len(winners):  # more share first place than a board shows
        names.append(f"{shown.leaders - len(winners)} more")
    text = f"🎉 Congratulations, {_and(names)}!"
    if challenge.team_goal is not None:
        share = share_percent(shown.team_total, challenge.team_goal)
        if share >= 100:
            text += " And the team goal is reached — together you did it! 🙌"
        elif share >= 90:
            text += f" Together you reached {share}% of the team goal — so close!"
        else:
            text += f" Together you reached {share}% of the team goal."
    if challenge.goal is not None:
        text += f" {shown.goal_reached} of {shown.total} reached the personal goal."
    return text + " Thank you all for running! 🏃"


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def days_left(challenge: StoredChallenge, now: datetime) -> int:
    """Days left including today, on the club's calendar (0 once over)."""
    today = now.astimezone(zone(challenge.tz)).date()
    return max((challenge.ends_on - today + timedelta(days=1)).days, 0)
