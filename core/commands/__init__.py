"""One module per chat command: parse → core → reply. See `core.app` for the dispatcher."""
