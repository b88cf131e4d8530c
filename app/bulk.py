"""Pausing Python's cyclic garbage collector while a bulk result is built.

Building the desk's 100,000 valued clients allocates millions of small,
long-lived objects (Decimals, records, tuples). Each allocation burst triggers
the cyclic collector, and every full collection rescans everything built so
far: measured on the 100,000-client benchmark desk, about a third of
``holdings()``'s time (docs/performance.md). None of these objects form
reference cycles, so reference counting frees them; the collector has nothing
to find. :func:`bulk_build` turns it off for the duration of the build and back
on afterwards (only if it was on), counting nested and concurrent pauses (the
window's worker thread and another caller may overlap) so the last one out
re-enables it. Garbage with cycles made meanwhile is collected at the next
collection after that.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pauses:
    """How many builds are running, and whether the collector was on before the first."""

    lock = threading.Lock()
    depth = 0
    was_enabled = False


@contextmanager
def bulk_build() -> Iterator[None]:
    """Run the ``with`` body with the cyclic garbage collector paused."""
    with _Pauses.lock:
        if _Pauses.depth == 0:
            _Pauses.was_enabled = gc.isenabled()
            gc.disable()
        _Pauses.depth += 1
    try:
        yield
    finally:
        with _Pauses.lock:
            _Pauses.depth -= 1
            if _Pauses.depth == 0 and _Pauses.was_enabled:
                gc.enable()
