"""``/beheer``: administration in the bot, for the administrators named in configuration.

The same things ``kks-bot admin`` does on the command line: make a one-time invitation
for one or more municipalities, list the coordinators and deactivate one, and see which
municipalities have no active coordinator. Buttons are ordinary "<seq>.adm:<...>" buttons
of the flow "beheer"; every press checks again that the user is an administrator.
"""
