"""``python -m tests.support.fakebot``: the fake Bot API server with a terminal phone."""

from .phone import main

raise SystemExit(main())
