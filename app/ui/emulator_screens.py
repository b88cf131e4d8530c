"""Shows each test emulator's "device screen" when it asks the tester (TEST ONLY).

The emulators' approval terminals (``app.ui.backend.emulator_terminal``) report from
the emulator's server threads; this object re-emits their reports as queued signals,
so windows are only ever touched on the GUI thread, and the GUI thread never waits
for the emulator: an answer is one non-blocking write into the terminal's pipe.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from app.ui.backend.emulator import emulator_host
from app.ui.backend.emulator_terminal import ClosedReason
from app.ui.dialogs.emulator_screen import EmulatorScreenWindow

log = logging.getLogger(__name__)


class EmulatorScreens(QObject):
    """One ``EmulatorScreenWindow`` per emulator that asked; owned by the desk app."""

    prompt_arrived = Signal(str, str)  # emulator URI, statement (from an emulator thread)
    prompt_left = Signal(str, str)  # emulator URI, ClosedReason value

    def __init__(
        self, parent: QObject | None = None, main_window: Callable[[], QWidget] | None = None
    ) -> None:
        super().__init__(parent)
        self.main_window = main_window
        self.windows: dict[str, EmulatorScreenWindow] = {}
        queued = Qt.ConnectionType.QueuedConnection
        self.prompt_arrived.connect(self._show_prompt, queued)
        self.prompt_left.connect(self._prompt_left, queued)
        host = emulator_host()
        host.prompt_listener = self._from_emulator_prompt
        host.closed_listener = self._from_emulator_closed

    # --- emulator threads -------------------------------------------------------------
    def _from_emulator_prompt(self, emulator: Any, text: str) -> None:
        try:
            self.prompt_arrived.emit(emulator.trezor_uri, text)
        except RuntimeError:  # the desk app is gone (shutting down)
            log.debug("emulator prompt after the screens were deleted")

    def _from_emulator_closed(self, emulator: Any, reason: ClosedReason) -> None:
        try:
            self.prompt_left.emit(emulator.trezor_uri, reason.value)
        except RuntimeError:
            log.debug("emulator prompt end after the screens were deleted")

    # --- GUI thread ---------------------------------------------------------------------
    def window_for(self, uri: str) -> EmulatorScreenWindow | None:
        """The screen of the emulator at ``uri``, once it has asked something."""
        return self.windows.get(uri)

    def _emulator(self, uri: str) -> Any | None:
        return next((e for e in emulator_host().running if e.trezor_uri == uri), None)

    def _show_prompt(self, uri: str, text: str) -> None:
        emulator = self._emulator(uri)
        if emulator is None:
            return
        window = self.windows.get(uri)
        if window is None:
            host = emulator_host()
            window = EmulatorScreenWindow(host.label_of(emulator), emulator.hsm.fingerprint())
            window.answered.connect(lambda approve, u=uri: self._answer(u, approve))
            main = self.main_window() if self.main_window is not None else None
            screen = (main.screen() if main is not None else None) or (
                QGuiApplication.primaryScreen()
            )
            self.windows[uri] = window
            window.show_prompt(text)
            window.show()
            if screen is not None:  # placed once its real size is known
                available = screen.availableGeometry()
                beside = main.frameGeometry() if main is not None else available
                window.place_beside(available, beside, len(self.windows) - 1)
        window.show_prompt(text)
        window.show()
        window.raise_()
        window.activateWindow()

    def _prompt_left(self, uri: str, reason: str) -> None:
        window = self.windows.get(uri)
        if window is None:
            return
        if reason == ClosedReason.POLICY.value:
            status = QCoreApplication.translate(
                "EmulatorScreens", "Decided by the approval setting (approve automatically)."
            )
        else:
            status = QCoreApplication.translate(
                "EmulatorScreens", "The desk cancelled the request (or the device was unplugged)."
            )
        window.show_idle(status)

    def _answer(self, uri: str, approve: bool) -> None:
        emulator = self._emulator(uri)
        sent = emulator is not None and emulator_host().terminal(emulator).answer(approve)
        if not sent and uri in self.windows:
            self.windows[uri].show_idle(
                QCoreApplication.translate(
                    "EmulatorScreens", "The device is no longer waiting: nothing was sent."
                )
            )

    def close_all(self) -> None:
        """Close every screen (the emulators stopped)."""
        for window in self.windows.values():
            window.show_idle("")  # the emulators are gone: closing answers nothing
            window.close()
            window.deleteLater()
        self.windows.clear()
