"""The Telegram adapter, on python-telegram-bot 22 (entry point: `service.run_telegram`)."""
