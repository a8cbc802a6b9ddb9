"""Python's cycle collector paused for a block of work that makes millions of objects and no cycles.

The collector starts a collection every few hundred container allocations
and walks every tracked object young enough; a stage that makes millions of
tuples (the cleaning report's two million removals, the date rules' match
objects) spends seconds in collections that free nothing.  Reference counting
still frees every object as usual; only cycles made inside the block wait for
the next collection after it.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block, then restore it as it was (also after an error)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
