"""A checker rejects a prepared attestation, saying why (the reason is audited)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


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
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Reject"))
        self.ok_button.setEnabled(False)
        self.reason.textChanged.connect(
            lambda: self.ok_button.setEnabled(bool(self.reason.toPlainText().strip()))
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def text(self) -> str:
        return " ".join(self.reason.toPlainText().split())
