"""A checker rejects a prepared attestation, saying why (the reason is audited)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.ui.dialogs.reason_buttons import one_line, reason_buttons


class RejectAttestationDialog(QDialog):
    """OK only once a reason is written."""

    def __init__(self, sequence: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rejectAttestationDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Reject attestation %1").replace("%1", str(sequence)))
        self.resize(480, 240)
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "The attestation will not be signed. Say why: the reason goes to the audit"
                " log and to the officer who prepared it."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(self.tr("Reason for rejecting"))
        layout.addWidget(self.reason)
        self.ok_button = reason_buttons(self, self.reason, self.tr("&Reject"))

    def text(self) -> str:
        return one_line(self.reason)
