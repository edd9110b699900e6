"""Settings: config/default.toml, overridden by PACER_* environment variables (and .env).

`load_settings()` validates everything up front and raises `ConfigError` with one line that
names the bad setting; the CLI prints it and exits with code 2.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.listen_address import parse_listen

DEFAULT_TOML = Path(__file__).resolve().parent.parent / "config" / "default.toml"
TELEGRAM_TOKEN = re.compile(r"^\d{3,12}:[A-Za-z0-9_-]{20,}$")
DISCORD_TOKEN = re.compile(r"^[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{3,}\.[A-Za-z0-9_-]{10,}$")


class ConfigError(Exception):
    """A bad setting; the message is one line naming it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PACER_", env_file=".env", extra="ignore", toml_file=DEFAULT_TOML
    )

    database_url: str = "sqlite+aiosqlite:///pacer.db"
    database_pgbouncer: bool = False
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_webhook_url: str = ""
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = 8443
    telegram_webhook_secret: SecretStr | None = None
    discord_token: SecretStr | None = None
    discord_api_url: str = "https://discord.com/api/v10"
    discord_shards: str = "0"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    health_listen: str = ""  # host:port, or off; unset: 127.0.0.1:9464 when a platform runs
    default_timezone: str = "UTC"
    scheduler_tick_seconds: int = 60
    outbox_poll_seconds: float = 2.0
    outbox_max_attempts: int = 8
    outbox_lease_seconds: float = 30.0
    worker_name: str = ""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = Path(os.environ.get("PACER_CONFIG", DEFAULT_TOML))
        toml = TomlConfigSettingsSource(settings_cls, toml_file=toml_path)
        return init_settings, env_settings, dotenv_settings, toml

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("telegram_token", "discord_token", "telegram_webhook_secret", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def database_url_for_display(self) -> str:
        """The database URL with its password masked (for messages and logs)."""
        try:
            return make_url(self.database_url).render_as_string(hide_password=True)
        except ArgumentError:
            return "<unreadable database URL>"

    def derived_webhook_secret(self) -> str:
        """The webhook secret Telegram must echo: the configured one, else one derived from
        the token (so every worker behind a load balancer expects the same); "" without both."""
        if self.telegram_webhook_secret is not None:
            return self.telegram_webhook_secret.get_secret_value()
        if self.telegram_token is None:
            return ""
        token = self.telegram_token.get_secret_value()
        return hashlib.sha256(f"pacer-webhook:{token}".encode()).hexdigest()

    def secrets(self) -> list[str]:
        """Every secret value in these settings, for the log redaction filter."""
        values = [
            secret.get_secret_value()
            for secret in (self.telegram_token, self.discord_token, self.telegram_webhook_secret)
            if secret is not None
        ]
        values.append(self.derived_webhook_secret())
        try:
            password = make_url(self.database_url).password
        except ArgumentError:
            password = None
        if password:
            values.append(str(password))
        return [value for value in values if value]

    def __repr_args__(self) -> Iterator[tuple[str | None, object]]:
        """`repr()` and `str()` show the database URL without its password (tokens and the
        webhook secret are `SecretStr`, shown as stars)."""
        for name, value in super().__repr_args__():
            yield name, self.database_url_for_display() if name == "database_url" else value


def _check(settings: Settings) -> None:
    try:
        url = make_url(settings.database_url)
    except ArgumentError:
        raise ConfigError(
            "PACER_DATABASE_URL is not a database URL (e.g. sqlite+aiosqlite:///pacer.db)"
        ) from None
    if url.drivername not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise ConfigError(
            f"PACER_DATABASE_URL uses driver {url.drivername!r}; use sqlite+aiosqlite:// "
            "or postgresql+asyncpg://"
        )
    try:
        ZoneInfo(settings.default_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"PACER_DEFAULT_TIMEZONE {settings.default_timezone!r} is not an IANA time zone "
            "(e.g. Europe/Berlin)"
        ) from None
    token = settings.telegram_token
    if token is not None and not TELEGRAM_TOKEN.match(token.get_secret_value()):
        raise ConfigError("PACER_TELEGRAM_TOKEN does not look like a bot token (123456:ABC-...)")
    token = settings.discord_token
    if token is not None and not DISCORD_TOKEN.match(token.get_secret_value()):
        raise ConfigError("PACER_DISCORD_TOKEN does not look like a Discord bot token")
    for name in ("telegram_api_url", "discord_api_url"):
        value = getattr(settings, name)
        if not re.match(r"^https?://[^/\s]+", value):
            raise ConfigError(f"PACER_{name.upper()} must be an http(s) URL, got {value!r}")
    if settings.telegram_mode == "webhook" and not settings.telegram_webhook_url:
        raise ConfigError(
            "PACER_TELEGRAM_WEBHOOK_URL is required when PACER_TELEGRAM_MODE=webhook"
        )
    if settings.discord_shards != "auto" and not settings.discord_shards.isdigit():
        raise ConfigError("PACER_DISCORD_SHARDS must be a number or 'auto'")
    if settings.health_listen.strip():
        try:
            parse_listen(settings.health_listen)
        except ValueError as err:
            raise ConfigError(f"PACER_HEALTH_LISTEN: {err}") from None
    if settings.scheduler_tick_seconds < 5 or settings.outbox_poll_seconds <= 0:
        raise ConfigError("PACER_SCHEDULER_TICK_SECONDS must be >= 5 and polling positive")
    if settings.outbox_lease_seconds < 3:
        raise ConfigError("PACER_OUTBOX_LEASE_SECONDS must be at least 3")


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings; raise `ConfigError` naming the first bad one."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as err:
        first = err.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "?"
        raise ConfigError(f"PACER_{name.upper()}: {first['msg']}") from None
    _check(settings)
    return settings
