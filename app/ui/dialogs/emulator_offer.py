"""Offered at start when no signing device is found: start the test emulator?"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


class EmulatorOfferDialog(QMessageBox):
    """Yes starts the in-process software HSM emulator (test only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emulatorOfferDialog")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(self.tr("No signing device found"))
        self.setText(self.tr("No hardware signing device is plugged in."))
        self.setInformativeText(
            self.tr(
                "Start the software HSM emulator for testing? Everything it signs is marked"
                " TEST and refused by a production desk. Plug in a real device to sign for real."
            )
        )
        self.start_button = self.addButton(
            self.tr("Start test emulator"), QMessageBox.ButtonRole.AcceptRole
        )
        self.later_button = self.addButton(self.tr("Not now"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.later_button)
