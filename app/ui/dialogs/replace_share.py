"""Replace the custodian's emergency share: an explicit, audited confirmation.

One share per party per order (``ShareAlreadySigned``). Replacing it (a lost or
compromised device, a key rotation) names the share it replaces, needs a written
reason, and is audited as ``emergency.share_replace`` with who, which keys and why.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.ui.dialogs.reason_buttons import one_line, reason_buttons


class ReplaceShareDialog(QDialog):
    """OK (labelled *Replace the share*) only once a reason is written."""

    def __init__(self, order_id: str, key_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replaceShareDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Replace the custodian's share of %1").replace("%1", order_id))
        self.resize(520, 260)
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "The custodian already signed order %1 with key %2. A new signature from"
                " your device replaces that share; the replacement, both keys and your"
                " reason go to the audit log."
            )
            .replace("%1", order_id)
            .replace("%2", key_id)
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(self.tr("Reason for replacing the share"))
        layout.addWidget(self.reason)
        self.ok_button = reason_buttons(self, self.reason, self.tr("Re&place the share"))

    def text(self) -> str:
        return one_line(self.reason)
