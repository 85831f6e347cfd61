"""The Knooppuntoverleg: planning, the family's own opt-in and reminders in their
language, professionals on the bot, the action and decision list, and the evaluation.

Everything scheduled is a ``scheduled_message`` row (the source of truth); the
dispatcher turns due rows into outbox rows exactly once and asks this flow's renderer
what to say - or to drop a reminder whose meeting passed, moved or was cancelled.
"""
