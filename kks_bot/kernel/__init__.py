"""The kernel: one event through the inbox, the user's state and the outbox in one
transaction (engine.py); the context a flow works with and the registry flows plug into
(context.py); the button codec (buttons.py); what channels hand in and get back
(events.py). It imports no flow and no channel."""
