"""Shared test helpers: databases, the transcript test bot, fakes."""
