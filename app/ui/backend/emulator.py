"""The in-process software HSM emulator the desk can start when no hardware is plugged in.

Test-only: it reports itself as an emulator, the window shows a permanent red
banner while it runs, and a production desk refuses its keys.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from app.services.desk_facade import DeviceRow

log = logging.getLogger(__name__)


class EmulatorHost:
    """Starts and stops emulators in this process (one by default; more for tests)."""

    def __init__(self) -> None:
        self.running: list[Any] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    @property
    def active(self) -> bool:
        return bool(self.running)

    def start(
        self,
        *,
        mnemonic: str | None = None,
        approve: str = "interactive-gui",
        pin: str | None = None,
        name: str | None = None,
    ) -> Any:
        """Start one emulator (Trezor on a free loopback UDP port, Coldcard on a socket)."""
        from signing.emulator.main import start_emulator

        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="custody-desk-emu-")
        socket_path = str(Path(self._tmp.name) / f"coldcard-{len(self.running)}.sock")
        kwargs: dict[str, Any] = {
            "trezor_port": 0,
            "coldcard_socket": socket_path,
            "approve": "auto" if approve == "interactive-gui" else approve,
            "pin": pin,
            "name": name,
        }
        if mnemonic is not None:
            kwargs["mnemonic"] = mnemonic
        emulator = start_emulator(**kwargs)
        self.running.append(emulator)
        log.warning("TEST EMULATOR started: %s", emulator.trezor_uri)
        return emulator

    def stop_all(self) -> None:
        while self.running:
            emulator = self.running.pop()
            try:
                emulator.stop()
            except Exception:
                log.exception("emulator did not stop cleanly")
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def device_rows(self) -> list[DeviceRow]:
        rows = []
        for n, emulator in enumerate(self.running):
            suffix = f" #{n + 1}" if len(self.running) > 1 else ""
            rows.append(
                DeviceRow(
                    uri=emulator.trezor_uri,
                    kind="trezor",
                    label=f"Emulator{suffix} (Trezor)",
                    transport="udp",
                    is_emulator=True,
                )
            )
        return rows

    def fingerprints(self) -> dict[str, str]:
        return {e.trezor_uri: e.hsm.fingerprint() for e in self.running}


_HOST = EmulatorHost()


def emulator_host() -> EmulatorHost:
    return _HOST
