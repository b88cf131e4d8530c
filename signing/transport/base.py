"""The report pipe: the one thing a HID-style transport does.

A ``ReportPipe`` moves whole 64-byte reports and nothing else. Framing lives in
``signing.framing``; the commands live in ``signing.devices``. A hidapi device,
a Unix datagram socket to the emulator and an in-memory pair for tests all look
the same from above, so hardware and emulator differ in this layer alone.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

REPORT_SIZE = 64

TRAFFIC = 5  # logging level for raw reports: below DEBUG, off unless asked for


@runtime_checkable
class ReportPipe(Protocol):
    """A bidirectional stream of fixed-size reports.

    ``write_report`` takes exactly ``REPORT_SIZE`` bytes and raises
    ``signing.errors.Disconnected`` if the device is gone. ``read_report``
    returns one report, ``None`` when ``timeout_ms`` passes without one, and
    raises ``Disconnected`` if the device went away. A report that is not
    ``REPORT_SIZE`` bytes long is returned as is: the framing layer judges it.
    ``close`` is idempotent.
    """

    def write_report(self, report: bytes) -> None: ...

    def read_report(self, timeout_ms: int) -> bytes | None: ...

    def close(self) -> None: ...


def check_report(report: bytes) -> bytes:
    """Return ``report`` as bytes if it is exactly one report long, else raise InvalidInput."""
    from signing.errors import InvalidInput

    data = bytes(report)
    if len(data) != REPORT_SIZE:
        raise InvalidInput(f"a report is {REPORT_SIZE} bytes, got {len(data)}")
    return data
