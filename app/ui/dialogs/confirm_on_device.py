"""The window-modal "Confirm on your <device>" dialog shown while a device waits for a human."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)


class ConfirmOnDeviceDialog(QDialog):
    """Shows the exact text the device shows; Cancel really cancels the device flow."""

    cancel_requested = Signal()

    def __init__(self, device_label: str, statement: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmOnDeviceDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Confirm on your %1").replace("%1", device_label))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        self.heading = QLabel(self.tr("Confirm on your %1").replace("%1", device_label))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.instructions = QLabel(
            self.tr(
                "Check that the device shows exactly the text below, character for character,"
                " then approve on the device. If anything differs, reject it on the device."
            )
        )
        self.instructions.setWordWrap(True)
        layout.addWidget(self.instructions)
        self.statement = QPlainTextEdit(statement)
        self.statement.setReadOnly(True)
        self.statement.setObjectName("statementText")
        self.statement.setAccessibleName(self.tr("Statement being signed"))
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.statement.setFont(mono)
        self.statement.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.statement.setMaximumHeight(110)
        layout.addWidget(self.statement)
        self.status = QLabel(self.tr("Waiting for the device…"))
        self.status.setObjectName("deviceStatus")
        layout.addWidget(self.status)
        busy = QProgressBar()
        busy.setRange(0, 0)
        busy.setTextVisible(False)
        busy.setMaximumHeight(6)
        layout.addWidget(busy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName(self.tr("Cancel the device request"))
        self.cancel_button.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        buttons.rejected.connect(self._on_cancel)
        layout.addWidget(buttons)

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def _on_cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.set_status(self.tr("Cancelling on the device…"))
        self.cancel_requested.emit()

    def reject(self) -> None:
        # Escape and the window's close button cancel the device flow too; the
        # dialog closes when the flow has really ended (the owner calls done()).
        if self.cancel_button.isEnabled():
            self._on_cancel()
