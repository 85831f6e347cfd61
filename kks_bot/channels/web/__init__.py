"""The Mini App: the bot's own web pages for case content (see app.py)."""
