"""Load Whoosh without two standard-library packages it never uses, for a quicker `wiredesk search`.

whoosh-reloaded 2.7.5 imports `urllib.request` in `whoosh.compat` only to re-export `urlretrieve`, which
no Whoosh module calls (about 30 ms of http.client, email and ssl), and `whoosh.reading` takes its
`cached_property` from the package of that name, which imports asyncio (about 13 ms) for async properties
Whoosh does not have. While those two Whoosh modules load, the two names resolve to light stand-ins (a
`urlretrieve` that imports the real one when called; the standard library's `functools.cached_property`,
which does the same for Whoosh's plain methods); then the stand-ins leave `sys.modules`, so every later
importer gets the real packages.
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any

__all__ = ["load"]


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def load() -> None:
    """Import Whoosh's base modules (a no-op once they are loaded)."""
    if "whoosh.reading" in sys.modules:
        return
    stand_ins = {}
    if "urllib.request" not in sys.modules:
        stand_ins["urllib.request"] = types.ModuleType("urllib.request")
        stand_ins["urllib.request"].urlretrieve = _urlretrieve  # type: ignore[attr-defined]
    if "cached_property" not in sys.modules:
        stand_ins["cached_property"] = types.ModuleType("cached_property")
        stand_ins["cached_property"].cached_property = functools.cached_property  # type: ignore[attr-defined]
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
