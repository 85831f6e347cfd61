"""The Telegram channel: the Bot API transport, updates as events, polling and the webhook."""
