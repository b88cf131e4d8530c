"""Create an emergency 2-of-3 unfreeze order."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.statement import MAX_REASON
from app.ui import theme
from app.ui.dialogs.reason_buttons import one_line, reason_buttons


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
        self.problem = QLabel()
        self.problem.setObjectName("reasonProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {theme.bad().name()};")
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        self.ok_button = reason_buttons(
            self, self.reason, self.tr("C&reate order"), self.reason_problem, self.problem
        )

    def reason_problem(self, reason: str) -> str:
        """Why a signing device could not show ``reason`` ("" when it can)."""
        for position, char in enumerate(reason, start=1):
            if not " " <= char <= "~":
                return self.tr(
                    "Character %1 (%2) cannot be shown on a signing device: write the reason"
                    " in printable ASCII (letters a-z, digits, punctuation)."
                ).replace("%1", str(position)).replace("%2", char)
        if len(reason) > MAX_REASON:
            return (
                self.tr(
                    "The reason is %1 characters: a signing device shows at most %2 of it, and"
                    " fewer for an order of several assets or an on-chain order."
                )
                .replace("%1", str(len(reason)))
                .replace("%2", str(MAX_REASON))
            )
        return ""

    def values(self) -> tuple[str, str]:
        return self.client.currentText(), one_line(self.reason)
