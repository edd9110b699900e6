"""Scheduled pushes: what is due (`due`), what it says (`pushes`), queuing it once (`tick`,
`candidates`, `channels`, `recap`), and delivering it (`outbox`, `sender`, `ratelimit`).

The flow: the scheduler's tick job runs `Ticker.run()`, which writes due messages to the
outbox under unique keys `kind:runner:local-date`; one `Sender` per platform drains the outbox
through that platform's `core.delivery.Messenger`. Nothing here imports a chat library or the
scheduler: `bot.scheduling` wires it.
"""
