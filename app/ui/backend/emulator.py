"""The in-process software HSM emulators the desk can start when no hardware is plugged in.

Test-only: each reports itself as an emulator, the window shows a permanent red
banner while one runs, and a production desk refuses their keys. Keys come from the
public BIP-39 test mnemonics (``signing.emulator.test_seeds``), imported only when an
emulator is started.

Approval: "approve automatically" (the default) or "ask on the emulator screen": the
HSM's interactive mode with its terminal redirected to an ``EmulatorTerminal`` that
the window draws (``app.ui.emulator_screens``).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.services.desk_facade import DeviceRow
from app.ui.backend.emulator_terminal import ClosedReason, EmulatorTerminal

log = logging.getLogger(__name__)

#: (emulator, statement) when a statement waits for the tester; (emulator, reason) when it left.
PromptListener = Callable[[Any, str], None]
ClosedListener = Callable[[Any, ClosedReason], None]


class NoTestSeedLeft(Exception):
    """Every public test mnemonic already has a running emulator."""


class EmulatorHost:
    """Starts and stops emulators in this process (one by default; more for tests)."""

    def __init__(self) -> None:
        self.running: list[Any] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._terminals: dict[int, EmulatorTerminal] = {}
        self._mnemonics: dict[int, str] = {}
        self.ask_on_screen = False
        self.prompt_listener: PromptListener | None = None
        self.closed_listener: ClosedListener | None = None

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
        """Start one emulator (Trezor on a free loopback UDP port, Coldcard on a socket).

        ``approve="interactive-gui"`` (the default) follows the desk's mode: approve
        automatically, or ask on the emulator screen when ``ask_on_screen`` is set.
        """
        from signing.emulator.main import start_emulator
        from signing.emulator.test_seeds import TEST_MNEMONIC_ALL

        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="custody-desk-emu-")
        socket_path = str(Path(self._tmp.name) / f"coldcard-{len(self.running)}.sock")
        terminal = EmulatorTerminal()
        if approve == "interactive-gui":
            approve = "interactive" if self.ask_on_screen else "auto"
        words = mnemonic if mnemonic is not None else TEST_MNEMONIC_ALL
        try:
            emulator = start_emulator(
                trezor_port=0,
                coldcard_socket=socket_path,
                mnemonic=words,
                approve=approve,
                pin=pin,
                name=name,
                terminal_in=terminal.stream_in,
                terminal_out=terminal.stream_out,
            )
        except BaseException:
            terminal.close()
            raise
        terminal.on_prompt = lambda text: self._prompted(emulator, text)
        terminal.on_closed = lambda reason: self._closed(emulator, reason)
        self.running.append(emulator)
        self._terminals[id(emulator)] = terminal
        self._mnemonics[id(emulator)] = words
        log.warning("TEST EMULATOR started: %s", emulator.trezor_uri)
        return emulator

    def next_test_mnemonic(self) -> str:
        """The first public test mnemonic no running emulator uses (``NoTestSeedLeft``)."""
        from signing.emulator.test_seeds import TEST_MNEMONICS

        used = set(self._mnemonics.values())
        for words in TEST_MNEMONICS:
            if words not in used:
                return words
        raise NoTestSeedLeft(f"all {len(TEST_MNEMONICS)} public test seeds are in use")

    def terminal(self, emulator: Any) -> EmulatorTerminal:
        """The approval terminal of a running emulator."""
        return self._terminals[id(emulator)]

    def set_ask_on_screen(self, ask: bool) -> None:
        """Ask on the emulator screen (interactive) or approve automatically, for all.

        Switching back to automatic while a statement waits approves it (the HSM's rule:
        a waiting prompt follows a policy change).
        """
        self.ask_on_screen = ask
        for emulator in self.running:
            emulator.hsm.set_policy("interactive" if ask else "auto")

    def stop_all(self) -> None:
        """Stop every emulator; the approval mode goes back to automatic."""
        while self.running:
            emulator = self.running.pop()
            terminal = self._terminals.pop(id(emulator), None)
            if terminal is not None:
                terminal.close()  # first: a question still on its screen ends (refused)
            try:
                emulator.stop()
            except Exception:
                log.exception("emulator did not stop cleanly")
            self._mnemonics.pop(id(emulator), None)
        self.ask_on_screen = False
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

    def label_of(self, emulator: Any) -> str:
        """The emulator's row label in the Devices tab (``Emulator #2 (Trezor)``)."""
        uri = emulator.trezor_uri
        return next((r.label for r in self.device_rows() if r.uri == uri), uri)

    def fingerprints(self) -> dict[str, str]:
        return {e.trezor_uri: e.hsm.fingerprint() for e in self.running}

    def _prompted(self, emulator: Any, text: str) -> None:
        listener = self.prompt_listener
        if listener is not None:
            listener(emulator, text)

    def _closed(self, emulator: Any, reason: ClosedReason) -> None:
        listener = self.closed_listener
        if listener is not None:
            listener(emulator, reason)


_HOST = EmulatorHost()


def emulator_host() -> EmulatorHost:
    return _HOST
