"""Runs one device operation from the GUI: dialog, PIN/passphrase, cancel, typed errors.

The operation is a coroutine (a service call that awaits the signing library's
device thread). While it runs, the window-modal confirm dialog shows the
statement; its Cancel cancels the asyncio task, which the device thread turns
into ``signer.cancel()`` (``DeviceThread.run(fn, on_cancel=...)``), so the
device really stops waiting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app.services.desk_facade import RefusedError
from app.ui.dialogs.confirm_on_device import ConfirmOnDeviceDialog
from app.ui.dialogs.passphrase import PassphraseDialog
from app.ui.dialogs.pin_matrix import PinMatrixDialog
from app.ui.interaction import QtInteraction
from app.ui.signing_errors import describe
from signing.errors import SigningError
from signing.interface import DevicePrompt, PromptKind

log = logging.getLogger(__name__)
T = TypeVar("T")


class SigningFlow:
    """One device operation with its dialogs. ``run`` returns the result or None."""

    def __init__(self, parent: QWidget, device_label: str, statement: str) -> None:
        self.parent = parent
        self.interaction = QtInteraction(parent)
        self.dialog = ConfirmOnDeviceDialog(device_label, statement, parent)
        self.pin_dialog: PinMatrixDialog | None = None
        self.passphrase_dialog: PassphraseDialog | None = None
        self.error: BaseException | None = None
        self._task: asyncio.Task[object] | None = None
        self.interaction.prompt_shown.connect(self._on_prompt)
        self.interaction.prompt_done.connect(
            lambda: self.dialog.set_status(
                QCoreApplication.translate("SigningFlow", "Device answered; checking…")
            )
        )
        self.interaction.pin_requested.connect(self._ask_pin)
        self.interaction.passphrase_requested.connect(self._ask_passphrase)
        self.dialog.cancel_requested.connect(self.cancel)

    def cancel(self) -> None:
        """Cancel the device flow (from the dialog or a test)."""
        self.interaction.abort()
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def run(self, operation: Callable[[QtInteraction], Awaitable[T]]) -> T | None:
        self.dialog.open()
        self._task = asyncio.ensure_future(operation(self.interaction))
        try:
            result: T = await self._task  # type: ignore[assignment]
        except asyncio.CancelledError:
            self.error = asyncio.CancelledError()
            self._close()
            self._show_message(
                QCoreApplication.translate("SigningFlow", "Cancelled"),
                QCoreApplication.translate(
                    "SigningFlow", "The request was cancelled. Nothing was signed."
                ),
            )
            return None
        except SigningError as exc:
            self.error = exc
            self._close()
            title, advice = describe(exc)
            log.info("device flow ended: %s", exc.code)
            self._show_message(title, advice)
            return None
        except RefusedError as exc:
            self.error = exc
            self._close()
            self._show_message(
                QCoreApplication.translate("SigningFlow", "Refused"), "\n".join(exc.reasons)
            )
            return None
        self._close()
        return result

    def _close(self) -> None:
        for dialog in (self.pin_dialog, self.passphrase_dialog):
            if dialog is not None and dialog.isVisible():
                dialog.done(QDialog.DialogCode.Rejected)
        self.dialog.done(QDialog.DialogCode.Accepted)

    def _show_message(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, title, parent=self.parent)
        box.setInformativeText(text)
        box.setObjectName("signingResultMessage")
        box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 420px; }")
        box.open()  # non-blocking; tests read it and close it

    def _on_prompt(self, prompt: DevicePrompt) -> None:
        if prompt.text:
            # Show what the device itself says it is showing, not our idea of it.
            self.dialog.statement.setPlainText(prompt.text)
        if prompt.kind == PromptKind.CONFIRM_ON_DEVICE:
            self.dialog.set_status(
                QCoreApplication.translate(
                    "SigningFlow", "The device shows the statement: approve or reject it there."
                )
            )
        else:
            self.dialog.set_status(
                QCoreApplication.translate("SigningFlow", "Enter the PIN on the device.")
            )

    def _ask_pin(self, device_label: str) -> None:
        self.pin_dialog = PinMatrixDialog(device_label, self.dialog)
        self.pin_dialog.finished.connect(self._pin_finished)
        self.pin_dialog.open()

    def _pin_finished(self, code: int) -> None:
        assert self.pin_dialog is not None
        accepted = code == QDialog.DialogCode.Accepted
        self.interaction.answer(self.pin_dialog.positions() if accepted else None)

    def _ask_passphrase(self, device_label: str) -> None:
        self.passphrase_dialog = PassphraseDialog(device_label, self.dialog)
        self.passphrase_dialog.finished.connect(self._passphrase_finished)
        self.passphrase_dialog.open()

    def _passphrase_finished(self, code: int) -> None:
        assert self.passphrase_dialog is not None
        accepted = code == QDialog.DialogCode.Accepted
        self.interaction.answer(self.passphrase_dialog.passphrase() if accepted else None)
