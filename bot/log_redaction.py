"""Secrets never reach a log line: a `logging.Filter` for every handler that masks them.

python-telegram-bot logs Bot API URLs (which carry the bot token) at DEBUG, a driver error may
quote a database URL, and a traceback may show any of them. `RedactingFilter` rewrites each
record before any handler formats it: the message with its arguments, the traceback and the
stack. It masks

- Telegram bot tokens (`123456:AAE…`, configured or not: the bot id stays, the secret goes),
- Discord bot tokens (three dot-separated base64 parts),
- the password in any `scheme://user:password@host` URL,
- every configured secret literally (tokens, the webhook secret, the database password).

`install_redaction(secrets)` puts one filter on every handler of the root logger; the one place
that configures logging (`bot.bootstrap.configure_logging`) calls it after adding handlers, so
whatever format those handlers write (text or JSON) is already clean. A traceback is rendered
once, masked, into `record.exc_text` (which `logging.Formatter` prints) and `exc_info` is
cleared, so a formatter cannot render the raw one again.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote

MASK = "[REDACTED]"
TELEGRAM_TOKEN = re.compile(r"(\d{3,20}):[A-Za-z0-9_-]{30,}")  # also inside "..../bot123:AA..."
DISCORD_TOKEN = re.compile(
    r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,7}\.[A-Za-z0-9_-]{25,}"
)
URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s/]+(@)", re.IGNORECASE)
MIN_SECRET = 4  # shorter configured "secrets" would mask ordinary words


class Redactor:
    """Masks known secrets and anything shaped like a token or a URL password in a text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        literal = {s for s in secrets if s and len(s) >= MIN_SECRET}
        literal |= {quote(s, safe="") for s in literal}  # as it appears inside a URL
        # Longest first, so a secret that contains another is masked whole.
        self._literals = sorted(literal, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        text = TELEGRAM_TOKEN.sub(rf"\1:{MASK}", text)  # first: the bot id stays readable
        for secret in self._literals:
            if secret in text:
                text = text.replace(secret, MASK)
        text = DISCORD_TOKEN.sub(MASK, text)
        return URL_PASSWORD.sub(rf"\1{MASK}\2", text)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message, traceback and stack with `Redactor`; never drops one."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redact = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: show what there is, still masked
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        # Formatters print `exc_text` when set; without `exc_info` none can render it afresh.
        record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install_redaction(secrets: Iterable[str] = (), logger: logging.Logger | None = None) -> None:
    """Put a `RedactingFilter` (for `secrets` plus token shapes) on every handler of `logger`
    (the root logger by default), replacing one installed before."""
    target = logger or logging.getLogger()
    redacting = RedactingFilter(Redactor(secrets))
    for handler in target.handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(old)
        handler.addFilter(redacting)
