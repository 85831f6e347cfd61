"""Background jobs, started once by the runtime for every channel."""
