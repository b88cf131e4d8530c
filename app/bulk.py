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

Pausing alone only defers the cost: the first full collection after it scans
everything built. A result that is *kept* (the window's rows, until the next
reload replaces them) is built with ``bulk_build(keep=True)``: at the end every
object then alive moves to the collector's permanent generation
(:func:`gc.freeze`, as the holdings table already does when it loads rows), so
no later collection rescans it; reference counting still frees it when the next
reload drops it. The price: cyclic garbage that happens to exist at that moment
is never collected (the desk makes none on this path).
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
def bulk_build(*, keep: bool = False) -> Iterator[None]:
    """Run the ``with`` body with the cyclic garbage collector paused; ``keep``: the
    result is long-lived, freeze what is alive at the end (see the module docstring)."""
    with _Pauses.lock:
        if _Pauses.depth == 0:
            _Pauses.was_enabled = gc.isenabled()
            gc.disable()
        _Pauses.depth += 1
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        with _Pauses.lock:
            _Pauses.depth -= 1
            if _Pauses.depth == 0 and _Pauses.was_enabled:
                gc.enable()
