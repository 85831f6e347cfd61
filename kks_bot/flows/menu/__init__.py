"""The main menu, /start with its invitation links, the language, the help, and the
professional's profile."""
