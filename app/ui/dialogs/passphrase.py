"""Passphrase entry when the device asks the host for one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class PassphraseDialog(QDialog):
    """Asks twice so a typo does not silently open another wallet."""

    def __init__(self, device_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Passphrase for %1").replace("%1", device_label))
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "The device asks for its passphrase. A different passphrase opens a different"
                " key, which the desk will refuse as not the officer's registered key."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName(self.tr("Passphrase"))
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName(self.tr("Passphrase again"))
        form.addRow(self.tr("&Passphrase:"), self.first)
        form.addRow(self.tr("&Again:"), self.second)
        layout.addLayout(form)
        self.show_text = QCheckBox(self.tr("&Show"))
        self.show_text.toggled.connect(self._toggle_echo)
        layout.addWidget(self.show_text)
        self.mismatch = QLabel(self.tr("The two entries differ."))
        self.mismatch.setVisible(False)
        layout.addWidget(self.mismatch)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = box.button(QDialogButtonBox.StandardButton.Ok)
        box.accepted.connect(self._accept_if_same)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.first.textChanged.connect(self._check)
        self.second.textChanged.connect(self._check)

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def _check(self) -> None:
        same = self.first.text() == self.second.text()
        self.mismatch.setVisible(not same)
        self.ok_button.setEnabled(same)

    def _accept_if_same(self) -> None:
        if self.first.text() == self.second.text():
            self.accept()

    def passphrase(self) -> str:
        return self.first.text()
