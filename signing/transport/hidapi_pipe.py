"""Report pipe over a hidapi ``hid.device``.

hidapi facts this module absorbs so nothing above has to know them:
a 64-byte report is written as 65 bytes with report id 0 in front; ``write``
returns -1 instead of raising; ``read(n, timeout_ms)`` returns ``[]`` on timeout
(and blocks forever when ``timeout_ms`` is 0); an unplugged device raises
``OSError`` from ``read``. hidapi is not thread-safe: use one pipe from one
thread (the signing library's device thread).
"""

from __future__ import annotations

import logging
from typing import Protocol

from signing.errors import DeviceNotFound, Disconnected
from signing.transport.base import REPORT_SIZE, TRAFFIC, check_report

log = logging.getLogger(__name__)

REPORT_ID = 0


class HidDeviceLike(Protocol):
    """The part of ``hid.device`` this pipe uses (a fake in tests)."""

    def write(self, buff: bytes) -> int: ...

    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]: ...

    def close(self) -> None: ...


class HidReportPipe:
    """A ``ReportPipe`` over an opened hidapi device."""

    def __init__(self, device: HidDeviceLike, label: str = "hid") -> None:
        self._device: HidDeviceLike | None = device
        self._label = label

    def _require_device(self) -> HidDeviceLike:
        if self._device is None:
            raise Disconnected(f"{self._label} is closed")
        return self._device

    def write_report(self, report: bytes) -> None:
        device = self._require_device()
        data = bytes([REPORT_ID]) + check_report(report)
        log.log(TRAFFIC, "hid tx %s", data[1:].hex())
        try:
            written = device.write(data)
        except (OSError, ValueError) as exc:
            raise Disconnected(f"{self._label}: write failed: {exc}") from exc
        if written != len(data):
            # hidapi reports failure as -1; a short write is no better.
            raise Disconnected(f"{self._label}: write returned {written}, expected {len(data)}")

    def read_report(self, timeout_ms: int) -> bytes | None:
        device = self._require_device()
        try:
            # timeout 0 would block forever in hidapi: never pass it.
            data = device.read(REPORT_SIZE, max(1, int(timeout_ms)))
        except (OSError, ValueError) as exc:
            raise Disconnected(f"{self._label}: read failed: {exc}") from exc
        if not data:
            return None
        report = bytes(data)
        log.log(TRAFFIC, "hid rx %s", report.hex())
        return report

    def close(self) -> None:
        device, self._device = self._device, None
        if device is not None:
            try:
                device.close()
            except (OSError, ValueError):
                log.debug("closing %s failed; ignored", self._label, exc_info=True)


def open_hid_path(path: bytes, label: str = "hid") -> HidReportPipe:
    """Open the hidapi device at ``path`` (from ``hid.enumerate``) as a report pipe."""
    try:
        import hid
    except ImportError as exc:  # pragma: no cover - hidapi is a hard dependency
        raise DeviceNotFound("hidapi is not installed") from exc
    device = hid.device()
    try:
        device.open_path(path)
    except (OSError, ValueError) as exc:
        raise DeviceNotFound(f"cannot open {label}: {exc}") from exc
    return HidReportPipe(device, label=label)
