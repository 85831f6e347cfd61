"""A module imported on first use (the standard library's LazyLoader).

NumPy costs about 16 MB and a tenth of a second at every start, while it is needed only
when the FAQ's classifier answers a question; ``np = module("numpy")`` binds the name now
and loads the module when an attribute is first read.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def module(name: str) -> ModuleType:
    """``name``, loaded when first used (at once if it is already loaded)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    lazy = importlib.util.module_from_spec(spec)
    sys.modules[name] = lazy
    loader.exec_module(lazy)
    return lazy
