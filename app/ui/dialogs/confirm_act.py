"""Ask before an act: what exactly will happen, one button named after the act.

Used for irreversible acts (executing an emergency release, sending to the
exchange, revoking a key) and for a warning the officer must answer (preparing a
duplicate attestation). The dialog is window-modal and awaited through its
``finished`` signal (``open()``, never ``exec()``): the desk's periodic work runs
on while it asks. Cancel is the default button: Enter never confirms by accident.
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget


class ConfirmActDialog(QMessageBox):
    """One question; ``confirm_button`` carries the act's name."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        what_happens: str,
        confirm_label: str,
        details: str = "",
        *,
        warning: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("confirmActDialog")
        self.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question)
        self.setWindowTitle(title)
        self.setText(what_happens)
        if details:
            self.setInformativeText(details)
        self.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 420px; }")
        self.confirm_button = self.addButton(confirm_label, QMessageBox.ButtonRole.AcceptRole)
        self.confirm_button.setObjectName("confirmActButton")
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.cancel_button)
        self.setEscapeButton(self.cancel_button)


async def confirm_act(
    parent: QWidget | None,
    title: str,
    what_happens: str,
    confirm_label: str,
    details: str = "",
    *,
    warning: bool = False,
) -> bool:
    """Ask, and wait (without blocking the loop) for the answer: True to go ahead."""
    dialog = ConfirmActDialog(parent, title, what_happens, confirm_label, details, warning=warning)
    answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def finished(_code: int) -> None:
        if not answer.done():
            answer.set_result(dialog.clickedButton() is dialog.confirm_button)

    dialog.finished.connect(finished)
    dialog.open()
    try:
        return await answer
    finally:
        if not answer.done():
            dialog.reject()
        dialog.deleteLater()


def open_confirmations() -> list[ConfirmActDialog]:
    """The confirmations on screen now (tests answer them)."""
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, ConfirmActDialog) and w.isVisible()
    ]
