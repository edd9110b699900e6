"""Settings: defaults from config/default.toml, PACER_* overrides, one clear line when bad."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory) -> None:
    for name in ("PACER_DATABASE_URL", "PACER_TELEGRAM_TOKEN", "PACER_DISCORD_TOKEN",
                 "PACER_LOG_LEVEL", "PACER_DEFAULT_TIMEZONE", "PACER_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_come_from_default_toml() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///pacer.db"
    assert settings.telegram_token is None and settings.discord_token is None
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.discord_api_url == "https://discord.com/api/v10"
    assert settings.log_level == "INFO"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACER_LOG_LEVEL", "debug")
    monkeypatch.setenv("PACER_TELEGRAM_TOKEN", "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabc")
    settings = load_settings()
    assert settings.log_level == "DEBUG"
    assert settings.telegram_token is not None
    assert "ABCDEF" not in repr(settings) and "ABCDEF" not in str(settings.telegram_token)


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("PACER_DEFAULT_TIMEZONE", "Mars/Olympus", "PACER_DEFAULT_TIMEZONE"),
        ("PACER_DATABASE_URL", "not a url", "PACER_DATABASE_URL"),
        ("PACER_DATABASE_URL", "mysql://x@y/z", "PACER_DATABASE_URL"),
        ("PACER_TELEGRAM_TOKEN", "hello", "PACER_TELEGRAM_TOKEN"),
        ("PACER_DISCORD_TOKEN", "short", "PACER_DISCORD_TOKEN"),
        ("PACER_LOG_LEVEL", "LOUD", "PACER_LOG_LEVEL"),
        ("PACER_TELEGRAM_API_URL", "ftp://x", "PACER_TELEGRAM_API_URL"),
    ],
)
def test_bad_settings_name_themselves(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, named: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as err:
        load_settings()
    message = str(err.value)
    assert named in message and "\n" not in message
