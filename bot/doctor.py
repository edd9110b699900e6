"""`pacer doctor`: is this installation ready to run? One line per check, with the fix.

Checks, in order: the settings; the database (reachable, migrated to this Pacer's schema, WAL
journal on SQLite); each configured token against its platform (Telegram `getMe`, Discord
`GET /users/@me`, at the configured API base URLs); the Telegram webhook registration (webhook
mode; in polling mode, that none is in the way); and the clock (against the platforms' `Date`
headers). Exit 0 only when every check passes. Secrets are never printed.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import aiohttp
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import DEFAULT_TOML, ConfigError, Settings, load_settings
from bot.migrations import alembic_config
from core.storage.operations import journal_mode, schema_revision, server_time

HTTP_TIMEOUT = aiohttp.ClientTimeout(total=10)
MAX_CLOCK_SKEW = 30.0  # seconds; Telegram webhooks, Discord interactions and tokens care
OFFICIAL_TELEGRAM = "api.telegram.org"

Status = Literal["ok", "FAIL", "skip"]


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    status: Status
    name: str
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"{self.status:<5} {self.name}: {self.detail}"
        return f"{text} — fix: {self.fix}" if self.fix else text


@dataclass
class Report:
    checks: list[Check]
    clock_samples: list[tuple[str, float]]  # (where, their clock minus ours, seconds)

    def add(self, status: Status, name: str, detail: str, fix: str = "") -> None:
        self.checks.append(Check(status, name, detail, fix))

    @property
    def healthy(self) -> bool:
        return all(check.status != "FAIL" for check in self.checks)


async def diagnose(wall: Callable[[], float] = time.time) -> Report:
    """Run every check; never raises for what it finds."""
    report = Report([], [])
    try:
        settings = load_settings()
    except ConfigError as err:
        report.add("FAIL", "settings", str(err), "correct it in the environment, .env or "
                   f"{os.environ.get('PACER_CONFIG', DEFAULT_TOML)}")
        return report
    report.add("ok", "settings", _summary(settings))
    await _database(settings, report, wall)
    async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as http:
        await _telegram(settings, http, report, wall)
        await _discord(settings, http, report, wall)
    _clock(report)
    return report


def _summary(settings: Settings) -> str:
    platforms = []
    if settings.telegram_token is not None:
        platforms.append(f"telegram ({settings.telegram_mode})")
    if settings.discord_token is not None:
        platforms.append("discord")
    where = ", ".join(platforms) if platforms else "none (console chat only)"
    return f"valid; platforms: {where}; log format {settings.log_format}"


# --- database -----------------------------------------------------------------------------------


def _missing_file(path: str) -> bool:
    return bool(path) and path != ":memory:" and not Path(path).exists()


async def _database(settings: Settings, report: Report, wall: Callable[[], float]) -> None:
    url = make_url(settings.database_url)
    shown = url.render_as_string(hide_password=True)
    if settings.is_sqlite and _missing_file(url.database or ""):
        report.add("FAIL", "database", f"{shown}: the file does not exist",
                   "run `pacer db upgrade` (it creates and migrates it)")
        return
    # A plain engine: Pacer's own would switch WAL on and so hide a file without it.
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            revision = await schema_revision(conn)
            mode = await journal_mode(conn) if settings.is_sqlite else None
            if not settings.is_sqlite:
                sent = wall()
                theirs = await server_time(conn)
                report.clock_samples.append(("the database server", theirs - (sent + wall()) / 2))
    except Exception as err:  # any driver error: its first line
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        report.add("FAIL", "database", f"cannot connect to {shown}: {first}",
                   "check PACER_DATABASE_URL and that the database server is running")
        return
    finally:
        await engine.dispose()
    report.add("ok", "database", f"reachable ({shown})")
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if revision == head:
        report.add("ok", "database schema", f"migrated ({revision})")
    else:
        found = "not migrated" if revision is None else f"at {revision}, this Pacer needs {head}"
        report.add("FAIL", "database schema", found, "run `pacer db upgrade`")
    if mode is not None:
        if mode == "wal":
            report.add("ok", "sqlite journal", "WAL (readers never block the writer)")
        else:
            report.add("FAIL", "sqlite journal", f"{mode}, not WAL",
                       "run `pacer db upgrade` (Pacer switches the file to WAL)")


# --- platforms ----------------------------------------------------------------------------------


async def _telegram(settings: Settings, http: aiohttp.ClientSession, report: Report,
                    wall: Callable[[], float]) -> None:
    if settings.telegram_token is None:
        report.add("skip", "telegram", "PACER_TELEGRAM_TOKEN is not set")
        return
    base = settings.telegram_api_url.rstrip("/") + settings.telegram_token.get_secret_value()
    host = urlsplit(settings.telegram_api_url).netloc
    try:
        status, body, skew = await _get_json(http, f"{base}/getMe", {}, wall)
    except (aiohttp.ClientError, TimeoutError, OSError) as err:
        report.add("FAIL", "telegram token", f"cannot reach {host}: {_reason(err)}",
                   "check the network and PACER_TELEGRAM_API_URL")
        return
    if skew is not None:
        report.clock_samples.append((host, skew))
    if status in (401, 404):
        report.add("FAIL", "telegram token", f"rejected by {host} ({status})",
                   "get the token from @BotFather (/token) and set PACER_TELEGRAM_TOKEN")
        return
    me = body.get("result") if isinstance(body, dict) and body.get("ok") else None
    if status != 200 or not isinstance(me, dict):
        report.add("FAIL", "telegram token", f"{host} answered {status}",
                   "check PACER_TELEGRAM_API_URL (it ends in /bot)")
        return
    report.add("ok", "telegram token", f"@{me.get('username')} (id {me.get('id')})")
    await _telegram_webhook(settings, http, base, host, report, wall)


async def _telegram_webhook(settings: Settings, http: aiohttp.ClientSession, base: str,
                            host: str, report: Report, wall: Callable[[], float]) -> None:
    try:
        status, body, _skew = await _get_json(http, f"{base}/getWebhookInfo", {}, wall)
    except (aiohttp.ClientError, TimeoutError, OSError) as err:
        report.add("FAIL", "telegram webhook", f"cannot reach {host}: {_reason(err)}",
                   "check the network")
        return
    info = body.get("result") if isinstance(body, dict) and status == 200 else None
    if not isinstance(info, dict):
        report.add("FAIL", "telegram webhook", f"getWebhookInfo answered {status}",
                   "check PACER_TELEGRAM_API_URL")
        return
    registered = str(info.get("url") or "")
    pending = int(info.get("pending_update_count") or 0)
    if settings.telegram_mode == "polling":
        if registered:
            report.add("ok", "telegram webhook", f"{registered} is registered; `pacer run` "
                       "removes it when it starts polling")
        else:
            report.add("ok", "telegram webhook", "none registered (polling mode)")
        return
    wanted = settings.telegram_webhook_url
    if host == OFFICIAL_TELEGRAM and not wanted.startswith("https://"):
        report.add("FAIL", "telegram webhook", f"{wanted} is not https",
                   "Telegram only calls https:// URLs: put Pacer behind a TLS reverse proxy")
        return
    if registered != wanted:
        found = registered or "no webhook"
        report.add("FAIL", "telegram webhook", f"Telegram calls {found}, not {wanted}",
                   "start `pacer run` (it registers PACER_TELEGRAM_WEBHOOK_URL)")
        return
    error = str(info.get("last_error_message") or "")
    error_at = info.get("last_error_date")
    if error and isinstance(error_at, int) and wall() - error_at < 3600:
        report.add("FAIL", "telegram webhook", f"registered, but Telegram's last call failed "
                   f"{(wall() - error_at) / 60:.0f} min ago: {error} ({pending} updates "
                   "waiting)", "check the reverse proxy forwards the webhook path to "
                   "PACER_TELEGRAM_WEBHOOK_LISTEN:PORT")
        return
    report.add("ok", "telegram webhook", f"{wanted} registered ({pending} updates waiting)")


async def _discord(settings: Settings, http: aiohttp.ClientSession, report: Report,
                   wall: Callable[[], float]) -> None:
    if settings.discord_token is None:
        report.add("skip", "discord", "PACER_DISCORD_TOKEN is not set")
        return
    host = urlsplit(settings.discord_api_url).netloc
    headers = {"Authorization": f"Bot {settings.discord_token.get_secret_value()}"}
    url = settings.discord_api_url.rstrip("/") + "/users/@me"
    try:
        status, body, skew = await _get_json(http, url, headers, wall)
    except (aiohttp.ClientError, TimeoutError, OSError) as err:
        report.add("FAIL", "discord token", f"cannot reach {host}: {_reason(err)}",
                   "check the network and PACER_DISCORD_API_URL")
        return
    if skew is not None:
        report.clock_samples.append((host, skew))
    if status == 401:
        report.add("FAIL", "discord token", f"rejected by {host} (401)",
                   "Developer Portal → your application → Bot → Reset Token, then set "
                   "PACER_DISCORD_TOKEN")
    elif status != 200 or not isinstance(body, dict):
        report.add("FAIL", "discord token", f"{host} answered {status}",
                   "check PACER_DISCORD_API_URL (e.g. https://discord.com/api/v10)")
    else:
        report.add("ok", "discord token", f"{body.get('username')} (id {body.get('id')})")


# --- clock --------------------------------------------------------------------------------------


def _clock(report: Report) -> None:
    if not report.clock_samples:
        report.add("skip", "clock", "no platform answered to compare with")
        return
    where, skew = max(report.clock_samples, key=lambda sample: abs(sample[1]))
    if abs(skew) > MAX_CLOCK_SKEW:
        direction = "behind" if skew > 0 else "ahead of"
        report.add("FAIL", "clock", f"this machine is {abs(skew):.0f} s {direction} {where}",
                   "turn on time sync (timedatectl set-ntp true, or chrony)")
    else:
        report.add("ok", "clock", f"within {abs(skew):.0f} s of {where}")


def clock_skew(date_header: str | None, sent: float, received: float) -> float | None:
    """Their clock minus ours (seconds) from an HTTP `Date` header, or None without one."""
    if not date_header:
        return None
    try:
        theirs = parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError):
        return None
    # The header has whole seconds and was written somewhere between sending and receiving.
    return theirs - (sent + received) / 2


async def _get_json(http: aiohttp.ClientSession, url: str, headers: dict[str, str],
                    wall: Callable[[], float]) -> tuple[int, Any, float | None]:
    sent = wall()
    async with http.get(url, headers=headers) as response:
        received = wall()
        try:
            body = await response.json(content_type=None)
        except ValueError:
            body = None
        skew = clock_skew(response.headers.get("Date"), sent, received)
        return response.status, body, skew


def _reason(err: BaseException) -> str:
    text = str(err).splitlines()[0] if str(err) else ""
    return text or type(err).__name__


def run_doctor() -> int:
    """Print the report; 0 when every check passed, 1 otherwise."""
    report = asyncio.run(diagnose())
    for check in report.checks:
        print(check.line())
    failed = [c for c in report.checks if c.status == "FAIL"]
    ran = [c for c in report.checks if c.status != "skip"]
    if failed:
        print(f"{len(failed)} of {len(ran)} checks failed")
        return 1
    print(f"all {len(ran)} checks passed")
    return 0
