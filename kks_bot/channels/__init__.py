"""The channels a user reaches the bot through: Telegram (polling or webhook) and the
console. Thin: an update becomes an Inbound event, an outbox row a message."""
