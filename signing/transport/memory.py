"""An in-memory report pipe pair for tests: what one end writes, the other reads."""

from __future__ import annotations

import queue
import threading

from signing.errors import Disconnected
from signing.transport.base import check_report


class MemoryPipe:
    """One end of a connected pair; build both ends with ``memory_pipe_pair()``."""

    def __init__(self, inbox: queue.Queue[bytes], outbox: queue.Queue[bytes]) -> None:
        self._inbox = inbox
        self._outbox = outbox
        self._closed = threading.Event()
        self.peer: MemoryPipe | None = None

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def _check_open(self) -> None:
        if self._closed.is_set() or (self.peer is not None and self.peer.closed):
            raise Disconnected("memory pipe closed")

    def write_report(self, report: bytes) -> None:
        self._check_open()
        self._outbox.put(check_report(report))

    def write_raw(self, data: bytes) -> None:
        """Send bytes of any length: lets tests feed malformed reports to the other end."""
        self._check_open()
        self._outbox.put(bytes(data))

    def read_report(self, timeout_ms: int) -> bytes | None:
        self._check_open()
        try:
            # Wake at least every 50 ms so a closed peer is noticed promptly.
            remaining = max(0, timeout_ms) / 1000.0
            while True:
                step = min(remaining, 0.05)
                try:
                    return self._inbox.get(timeout=step) if step > 0 else self._inbox.get_nowait()
                except queue.Empty:
                    self._check_open()
                    remaining -= step
                    if remaining <= 0:
                        return None
        except queue.Empty:
            return None

    def close(self) -> None:
        self._closed.set()


def memory_pipe_pair() -> tuple[MemoryPipe, MemoryPipe]:
    """Two connected ends: ``(host_end, device_end)``."""
    a_to_b: queue.Queue[bytes] = queue.Queue()
    b_to_a: queue.Queue[bytes] = queue.Queue()
    host = MemoryPipe(inbox=b_to_a, outbox=a_to_b)
    device = MemoryPipe(inbox=a_to_b, outbox=b_to_a)
    host.peer = device
    device.peer = host
    return host, device
