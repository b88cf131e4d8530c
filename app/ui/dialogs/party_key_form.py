"""Settings → Keys: add a regulator's or exchange's key, as ``parties add`` does.

The key is given as hex (with its address and, when it comes from a device, that
device's fingerprint) or read from a connected device at a derivation path. It
goes through the same service (``app.services.officers.add_party_key``): one key,
one device per party (independence) and no test key on a production desk. A
refusal is shown with the service's reason; nothing is stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from app.services.desk_facade import RefusedError
from app.ui.backend import desk_settings as backend
from app.ui.context import show_refusal
from app.ui.signing_flow import SigningFlow

if TYPE_CHECKING:
    from app.store.interface import Store
    from app.ui.context import DeskContext

HEX, DEVICE = 0, 1


class AddPartyKeyBox(QGroupBox):
    """The form; ``added`` carries the new key's id."""

    added = Signal(str)

    def __init__(
        self,
        ctx: DeskContext,
        store: Callable[[], Store],
        actor: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Add a party key"))
        self.setObjectName("addPartyKey")
        self.ctx = ctx
        self._store = store
        self._actor = actor
        self.last_flow: SigningFlow | None = None
        self.last_refusal: RefusedError | None = None
        form = QFormLayout(self)
        self.party = QComboBox()
        self.party.addItem(self.tr("Regulator"), "regulator")
        self.party.addItem(self.tr("Exchange"), "exchange")
        self.role = QComboBox()
        self.role.addItem(self.tr("Emergency orders"), "emergency")
        self.role.addItem(self.tr("Exchange documents"), "exchange")
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("optional, e.g. regulator-emergency"))
        self.source = QComboBox()
        self.source.addItem(self.tr("Public key (hex)"), HEX)
        self.source.addItem(self.tr("Read from a device"), DEVICE)
        self.pages = QStackedWidget()
        hex_page = QWidget()
        hex_form = QFormLayout(hex_page)
        hex_form.setContentsMargins(0, 0, 0, 0)
        self.pubkey = QLineEdit()
        self.pubkey.setPlaceholderText(self.tr("33-byte compressed key, 66 hex digits"))
        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("optional: checked against the key"))
        self.fingerprint = QLineEdit()
        self.fingerprint.setPlaceholderText(self.tr("optional: 8 hex digits of the device"))
        hex_form.addRow(self.tr("Public key:"), self.pubkey)
        hex_form.addRow(self.tr("Address:"), self.address)
        hex_form.addRow(self.tr("Device fingerprint:"), self.fingerprint)
        device_page = QWidget()
        device_form = QFormLayout(device_page)
        device_form.setContentsMargins(0, 0, 0, 0)
        self.device = QComboBox()
        self.path = QLineEdit("m/44'/0'/0'/0/0")
        device_form.addRow(self.tr("Device:"), self.device)
        device_form.addRow(self.tr("Path:"), self.path)
        self.pages.addWidget(hex_page)
        self.pages.addWidget(device_page)
        self.source.currentIndexChanged.connect(self.pages.setCurrentIndex)
        self.add_button = QPushButton(self.tr("Add key"))
        self.add_button.setObjectName("addPartyKeyButton")
        self.add_button.clicked.connect(lambda: self.ctx.spawn(self.add()))
        form.addRow(self.tr("Party:"), self.party)
        form.addRow(self.tr("Role:"), self.role)
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Source:"), self.source)
        form.addRow(self.pages)
        form.addRow(self.add_button)
        ctx.devices_changed.connect(self.reload_devices)
        self.reload_devices()

    def reload_devices(self) -> None:
        current = self.device.currentData()
        self.device.clear()
        for d in self.ctx.devices:
            self.device.addItem(f"{d.label} ({d.uri})", d.uri)
        index = self.device.findData(current)
        self.device.setCurrentIndex(max(index, 0))

    async def add(self) -> str | None:
        """Register the key the form describes; its key id, or None (refusal shown)."""
        party, role = str(self.party.currentData()), str(self.role.currentData())
        name, store, actor = self.name.text(), self._store(), self._actor()
        self.last_refusal = None
        if self.source.currentData() == DEVICE:
            uri = self.device.currentData()
            if not uri:
                self._refused(RefusedError([self.tr("No device is connected.")]))
                return None
            path = self.path.text()
            flow = SigningFlow(
                self, self.device.currentText(), self.tr("Reading the public key at %1").replace(
                    "%1", path
                )
            )
            self.last_flow = flow
            key_id: str | None = await flow.run(
                lambda interaction: backend.add_party_key_from_device(
                    store, party, role, str(uri), path, interaction=interaction, actor=actor,
                    name=name,
                )
            )
            if key_id is None:
                if isinstance(flow.error, RefusedError):
                    self.last_refusal = flow.error
                return None
        else:
            try:
                key_id = await asyncio.to_thread(
                    backend.add_party_key,
                    store,
                    party,
                    role,
                    self.pubkey.text(),
                    self.address.text(),
                    actor=actor,
                    name=name,
                    fingerprint=self.fingerprint.text().strip(),
                )
            except RefusedError as exc:
                self._refused(exc)
                return None
        self.pubkey.clear()
        self.address.clear()
        self.fingerprint.clear()
        self.name.clear()
        self.ctx.status_message.emit(
            self.tr("%1's key %2 added.").replace("%1", party).replace("%2", key_id)
        )
        self.added.emit(key_id)
        return key_id

    def _refused(self, exc: RefusedError) -> None:
        self.last_refusal = exc
        show_refusal(self, exc, self.tr("Key not added"))
