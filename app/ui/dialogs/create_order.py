"""Create an emergency 2-of-3 unfreeze order."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class CreateOrderDialog(QDialog):
    """Client and reason; the order expires 48 hours after creation."""

    def __init__(self, client_ids: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("createOrderDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("New emergency unfreeze order"))
        self.resize(520, 300)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Any two of regulator, custodian and exchange can unfreeze a client's assets"
                " within 48 hours. The custodian's share is signed on the officer's device."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.client = QComboBox()
        self.client.addItems(list(client_ids))
        self.client.setAccessibleName(self.tr("Client"))
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("Why the assets must be unfrozen (printable ASCII)"))
        form.addRow(self.tr("&Client:"), self.client)
        form.addRow(self.tr("&Reason:"), self.reason)
        layout.addLayout(form)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("C&reate order"))
        self.ok_button.setEnabled(False)
        self.reason.textChanged.connect(
            lambda: self.ok_button.setEnabled(bool(self.reason.toPlainText().strip()))
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def values(self) -> tuple[str, str]:
        return self.client.currentText(), " ".join(self.reason.toPlainText().split())
