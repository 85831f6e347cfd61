"""Delivering what the bot decided to send: the outbox and its worker, scheduled
messages, mail and the official copies (made at delivery, never stored)."""
