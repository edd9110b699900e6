"""Pacer on Discord (discord.py 2.7): slash commands, buttons, modals and DMs.

- `translate`: interactions to core `Request`s and core `Reply`s to Discord messages (no I/O).
- `components`: the persistent buttons, select menus and the typed-answer modal.
- `commands`: the slash command tree (every command, typed options, choices, autocomplete).
- `bridge`: one interaction through the core and back, answered within Discord's 3 s.
- `sync`: publishing the command tree only when it changed.
- `client`: the `discord.Client` subclasses and how they reach Discord (or a REST proxy).
- `delivery`: the push `Messenger` (DMs, club channel fallback when DMs are closed).
- `service`: `run_discord(container, stop)`, started by `bot.runtime`.
"""
