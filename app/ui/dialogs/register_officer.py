"""Register an officer's key, read from the device they hold."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.desk_facade import DeviceRow
from app.ui.i18n_noop import QT_TRANSLATE_NOOP

DEFAULT_PATH = "m/44'/0'/0'/0/0"


ROLES = (
    QT_TRANSLATE_NOOP("RegisterOfficerDialog", "custody officer"),
    QT_TRANSLATE_NOOP("RegisterOfficerDialog", "senior custody officer"),
    QT_TRANSLATE_NOOP("RegisterOfficerDialog", "head of custody"),
)


class RegisterOfficerDialog(QDialog):
    """Name, role, device and key path; the public key is read from the device itself."""

    def __init__(self, devices: Sequence[DeviceRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registerOfficerDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Register an officer's key"))
        self.resize(520, 260)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The officer's public key is read from their own device; from then on only a"
                " signature by that key counts as that officer's approval."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Officer name"))
        self.role = QComboBox()
        self.role.setEditable(True)
        for role in ROLES:  # shown translated; the role is stored as the desk's own words
            self.role.addItem(self.tr(role), role)
        self.role.setAccessibleName(self.tr("Role"))
        self.device = QComboBox()
        self.device.setAccessibleName(self.tr("Device"))
        for d in devices:
            self.device.addItem(f"{d.label} ({d.uri})", d.uri)
        self.path = QLineEdit(DEFAULT_PATH)
        self.path.setAccessibleName(self.tr("Key path"))
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Role:"), self.role)
        form.addRow(self.tr("&Device:"), self.device)
        form.addRow(self.tr("Key &path:"), self.path)
        layout.addLayout(form)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Read key and &register"))
        self.ok_button.setEnabled(False)
        self.name.textChanged.connect(self._check)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self._check()

    def _check(self) -> None:
        self.ok_button.setEnabled(bool(self.name.text().strip()) and self.device.count() > 0)

    def values(self) -> tuple[str, str, str, str]:
        """(name, role, device uri, path)."""
        return (
            self.name.text().strip(),
            self._role(),
            str(self.device.currentData()),
            self.path.text().strip(),
        )

    def _role(self) -> str:
        """The chosen role in the desk's words, or what the officer typed."""
        text = self.role.currentText().strip()
        index = self.role.findText(text)
        return str(self.role.itemData(index)) if index >= 0 else text
