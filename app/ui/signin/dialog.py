"""Sign in: pick yourself and your device; the device then shows the one-time challenge."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.desk_facade import DeviceRow, OfficerRow


class SigninDialog(QDialog):
    """Non-modal: the window stays readable; nothing can be done in a name until sign-in."""

    sign_in_requested = Signal(str, str)  # officer name, device URI

    def __init__(
        self,
        officers: Sequence[OfficerRow],
        devices: Sequence[DeviceRow],
        reason: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signinDialog")
        self.setModal(False)
        self.setWindowTitle(self.tr("Sign in"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.reason = QLabel(reason)
        self.reason.setObjectName("signinReason")
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)
        intro = QLabel(
            self.tr(
                "Your own registered device will show a one-time sign-in challenge"
                " (CDESK-SIGNIN/1 … officer, workstation, expiry). Approve it there."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.officer = QComboBox()
        self.officer.setObjectName("signinOfficer")
        self.officer.setAccessibleName(self.tr("Officer"))
        for o in officers:
            test_mark = self.tr("(TEST)")
            name = f"{o.name} {test_mark}" if o.is_emulator else o.name
            self.officer.addItem(f"{name} · {o.role} · {o.fingerprint}", o.name)
        self.device = QComboBox()
        self.device.setObjectName("signinDevice")
        self.device.setAccessibleName(self.tr("Device"))
        self._devices = list(devices)
        for d in self._devices:
            self.device.addItem(f"{d.label} ({d.uri})", d.uri)
        self.officer.currentIndexChanged.connect(self._pick_device)
        self._officers = list(officers)
        form.addRow(self.tr("&Officer:"), self.officer)
        form.addRow(self.tr("&Device:"), self.device)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("signinError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = QPushButton(self.tr("&Sign in on the device"))
        self.sign_in_button.setObjectName("signinButton")
        self.sign_in_button.setDefault(True)
        box.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        box.accepted.connect(self._request)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        if not officers or not devices:
            self.sign_in_button.setEnabled(False)
            self.show_error(
                self.tr("No registered officer yet: register one on the Devices tab.")
                if not officers
                else self.tr("No signing device found: plug in your device.")
            )
        self._pick_device()

    def select(self, officer: str) -> None:
        index = self.officer.findData(officer)
        if index >= 0:
            self.officer.setCurrentIndex(index)

    def _pick_device(self) -> None:
        name = self.officer.currentData()
        officer = next((o for o in self._officers if o.name == name), None)
        if officer is None:
            return
        for n, d in enumerate(self._devices):
            if d.fingerprint and d.fingerprint == officer.fingerprint:
                self.device.setCurrentIndex(n)
                return

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _request(self) -> None:
        officer, uri = self.officer.currentData(), self.device.currentData()
        if officer and uri:
            self.sign_in_requested.emit(str(officer), str(uri))
