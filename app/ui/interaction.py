"""The GUI's side of the signing library's ``Interaction`` protocol.

The device thread calls these methods. ``on_prompt``/``on_done`` only emit a
signal (Qt queues it to the GUI thread because this object lives there).
``request_pin``/``request_passphrase`` emit a signal and then block *the
device thread* on a ``concurrent.futures.Future`` the GUI completes; the GUI
thread never waits on anything.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading

from PySide6.QtCore import QObject, Signal, SignalInstance

from signing.errors import CancelledByHost
from signing.interface import DevicePrompt

log = logging.getLogger(__name__)


class QtInteraction(QObject):
    """Marshals device-thread callbacks to typed Qt signals."""

    prompt_shown = Signal(object)  # DevicePrompt
    prompt_done = Signal()
    pin_requested = Signal(str)  # device label
    passphrase_requested = Signal(str)  # device label

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: concurrent.futures.Future[str] | None = None
        self._aborted = False

    # --- called on the device thread ------------------------------------------
    def on_prompt(self, prompt: DevicePrompt) -> None:
        self.prompt_shown.emit(prompt)

    def on_done(self) -> None:
        self.prompt_done.emit()

    def request_pin(self, device_label: str) -> str:
        return self._ask(self.pin_requested, device_label)

    def request_passphrase(self, device_label: str) -> str:
        return self._ask(self.passphrase_requested, device_label)

    def _ask(self, signal: SignalInstance, device_label: str) -> str:
        future: concurrent.futures.Future[str] = concurrent.futures.Future()
        with self._lock:
            if self._aborted:
                raise CancelledByHost("cancelled before the device asked")
            self._pending = future
        signal.emit(device_label)
        try:
            return future.result()
        finally:
            with self._lock:
                self._pending = None

    # --- called on the GUI thread ---------------------------------------------
    def answer(self, value: str | None) -> None:
        """Complete the pending PIN/passphrase request; ``None`` means the user cancelled."""
        with self._lock:
            future = self._pending
        if future is None or future.done():
            return
        if value is None:
            future.set_exception(CancelledByHost("cancelled in the desk"))
        else:
            future.set_result(value)

    def abort(self) -> None:
        """Release a device thread blocked on a question (the flow is being cancelled)."""
        with self._lock:
            self._aborted = True
        self.answer(None)
