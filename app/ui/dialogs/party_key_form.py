"""Settings → Keys: add a party's key, as ``parties add`` does.

Three kinds of key, each from a pasted value or read from a connected device:

* a *statement key* of the regulator or the exchange (emergency orders or exchange
  documents): hex with its address and device fingerprint, or the key at a path;
* a *Bitcoin multisig account key* of any party (the 2-of-3 vault): the xpub with
  its origin (``[fp/48h/1h/0h/2h]tpub…``), or the account key at a BIP-48 path;
* a *Safe owner address* of any party (tokenized-asset orders): the EIP-55 address
  (with the fingerprint of the device that holds it), or the address at a path.

Each goes through the service ``parties add`` uses (``officers.add_party_key``,
``vault.add_multisig_key``, ``vault_safes.register_eth_owner``): one device per party
(independence) and no test key on a production desk. A device is read on the signing
library's device thread through the usual "Confirm on your device" dialog, whose
Cancel cancels the read. A refusal is shown with the service's reason; nothing is
stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.services.desk_facade import RefusedError
from app.ui.backend import desk_settings as backend
from app.ui.context import show_refusal
from app.ui.i18n_noop import QT_TRANSLATE_NOOP
from app.ui.signing_flow import SigningFlow

if TYPE_CHECKING:
    from app.store.interface import Store
    from app.ui.context import DeskContext
    from app.ui.interaction import QtInteraction

HEX, DEVICE = 0, 1
STATEMENT, MULTISIG, SAFE = "statement", "multisig", "safe"
PARTY_NAMES = {
    "custodian": QT_TRANSLATE_NOOP("AddPartyKeyBox", "Custodian"),
    "regulator": QT_TRANSLATE_NOOP("AddPartyKeyBox", "Regulator"),
    "exchange": QT_TRANSLATE_NOOP("AddPartyKeyBox", "Exchange"),
}
# The path a device is read at for each kind (multisig: the desk's network decides).
STATEMENT_PATH, SAFE_PATH = "m/44'/0'/0'/0/0", "m/44'/60'/0'/0/0"


class AddPartyKeyBox(QGroupBox):
    """The form; ``added`` carries the new key's id (or account key, or address)."""

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
        self.form = form = QFormLayout(self)
        self.kind = QComboBox()
        self.kind.setObjectName("partyKeyKind")
        self.kind.addItem(self.tr("Statement key (emergency orders, exchange documents)"),
                          STATEMENT)
        self.kind.addItem(self.tr("Bitcoin multisig account key (vault)"), MULTISIG)
        self.kind.addItem(self.tr("Safe owner address (tokenized assets)"), SAFE)
        self.party = QComboBox()
        self.role = QComboBox()
        self.role.addItem(self.tr("Emergency orders"), "emergency")
        self.role.addItem(self.tr("Exchange documents"), "exchange")
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("optional, e.g. regulator-emergency"))
        self.source = QComboBox()
        self.source.addItem(self.tr("Paste the key"), HEX)
        self.source.addItem(self.tr("Read from a device"), DEVICE)
        self.pubkey = QLineEdit()
        self.pubkey.setPlaceholderText(self.tr("33-byte compressed key, 66 hex digits"))
        self.xpub = QLineEdit()
        self.xpub.setObjectName("multisigXpub")
        self.xpub.setPlaceholderText(self.tr("[fingerprint/48h/1h/0h/2h]tpub… (with its origin)"))
        self.address = QLineEdit()
        self.fingerprint = QLineEdit()
        self.fingerprint.setPlaceholderText(self.tr("optional: 8 hex digits of the device"))
        self.device = QComboBox()
        self.path = QLineEdit(STATEMENT_PATH)
        self.source.currentIndexChanged.connect(lambda _i: self._show_rows())
        self.add_button = QPushButton(self.tr("Add key"))
        self.add_button.setObjectName("addPartyKeyButton")
        self.add_button.clicked.connect(lambda: self.ctx.spawn(self.add()))
        form.addRow(self.tr("Kind:"), self.kind)
        form.addRow(self.tr("Party:"), self.party)
        form.addRow(self.tr("Role:"), self.role)
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Source:"), self.source)
        # one form, so every label lines up; the rows of this kind and source show
        form.addRow(self.tr("Public key:"), self.pubkey)
        form.addRow(self.tr("Account key:"), self.xpub)
        form.addRow(self.tr("Address:"), self.address)
        form.addRow(self.tr("Device fingerprint:"), self.fingerprint)
        form.addRow(self.tr("Device:"), self.device)
        form.addRow(self.tr("Path:"), self.path)
        form.addRow(self.add_button)
        self._multisig_path = "m/48'/1'/0'/2'"
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()
        ctx.devices_changed.connect(self.reload_devices)
        self.reload_devices()

    def set_multisig_path(self, path: str) -> None:
        """The BIP-48 path for this desk's network (the dialog reads it off the store)."""
        if self.path.text() == self._multisig_path:
            self.path.setText(path)
        self._multisig_path = path

    def _default_paths(self) -> dict[str, str]:
        return {STATEMENT: STATEMENT_PATH, MULTISIG: self._multisig_path, SAFE: SAFE_PATH}

    def _kind_changed(self) -> None:
        kind = str(self.kind.currentData())
        parties = backend.ADDABLE_PARTIES if kind == STATEMENT else backend.VAULT_PARTIES
        current = self.party.currentData()
        self.party.clear()
        for party in parties:
            self.party.addItem(self.tr(PARTY_NAMES[party]), party)
        self.party.setCurrentIndex(max(self.party.findData(current), 0))
        self.form.setRowVisible(self.role, kind == STATEMENT)
        self.form.setRowVisible(self.name, kind == STATEMENT)
        self._show_rows()
        self.address.setPlaceholderText(
            self.tr("optional: checked against the key") if kind == STATEMENT
            else self.tr("0x… (EIP-55 checksum checked)")
        )
        if self.path.text() in self._default_paths().values():  # not one the officer typed
            self.path.setText(self._default_paths()[kind])

    def _show_rows(self) -> None:
        kind, pasted = str(self.kind.currentData()), self.source.currentData() == HEX
        self.form.setRowVisible(self.pubkey, pasted and kind == STATEMENT)
        self.form.setRowVisible(self.xpub, pasted and kind == MULTISIG)
        self.form.setRowVisible(self.address, pasted and kind != MULTISIG)
        self.form.setRowVisible(self.fingerprint, pasted and kind != MULTISIG)
        self.form.setRowVisible(self.device, not pasted)
        self.form.setRowVisible(self.path, not pasted)

    def reload_devices(self) -> None:
        current = self.device.currentData()
        self.device.clear()
        for d in self.ctx.devices:
            self.device.addItem(f"{d.label} ({d.uri})", d.uri)
        index = self.device.findData(current)
        self.device.setCurrentIndex(max(index, 0))

    async def add(self) -> str | None:
        """Register what the form describes: the key id (statement key), the account key
        with its origin (multisig) or the address (Safe owner); None when refused (shown)."""
        kind, party = str(self.kind.currentData()), str(self.party.currentData())
        store, actor = self._store(), self._actor()
        self.last_refusal = None
        if self.source.currentData() == DEVICE:
            uri = self.device.currentData()
            if not uri:
                self._refused(RefusedError([self.tr("No device is connected.")]))
                return None
            path = self.path.text()
            read = self._device_operation(kind, party, str(uri), path, store=store, actor=actor)
            what = {
                STATEMENT: self.tr("Reading the public key at %1"),
                MULTISIG: self.tr("Reading the multisig account key at %1"),
                SAFE: self.tr("Reading the Safe owner address at %1"),
            }[kind].replace("%1", path)
            flow = SigningFlow(self, self.device.currentText(), what)
            self.last_flow = flow
            added: str | None = await flow.run(read)
            if added is None:
                if isinstance(flow.error, RefusedError):
                    self.last_refusal = flow.error
                return None
        else:
            try:
                added = await asyncio.to_thread(self._pasted_operation(kind, party, store, actor))
            except RefusedError as exc:
                self._refused(exc)
                return None
        for edit in (self.pubkey, self.xpub, self.address, self.fingerprint, self.name):
            edit.clear()
        message = {
            STATEMENT: self.tr("%1's key %2 added."),
            MULTISIG: self.tr("%1's multisig account key %2 added."),
            SAFE: self.tr("%1's Safe owner %2 recorded."),
        }[kind]
        self.ctx.status_message.emit(
            message.replace("%1", self.tr(PARTY_NAMES[party])).replace("%2", added)
        )
        self.added.emit(added)
        return added

    def _device_operation(
        self, kind: str, party: str, uri: str, path: str, *, store: Store, actor: str
    ) -> Callable[[QtInteraction], Awaitable[str]]:
        if kind == MULTISIG:
            return lambda interaction: backend.add_multisig_key_from_device(
                store, party, uri, path, interaction=interaction, actor=actor
            )
        if kind == SAFE:
            return lambda interaction: backend.add_safe_owner_from_device(
                store, party, uri, path, interaction=interaction, actor=actor
            )
        role, name = str(self.role.currentData()), self.name.text()
        return lambda interaction: backend.add_party_key_from_device(
            store, party, role, uri, path, interaction=interaction, actor=actor, name=name
        )

    def _pasted_operation(
        self, kind: str, party: str, store: Store, actor: str
    ) -> Callable[[], str]:
        if kind == MULTISIG:
            text = self.xpub.text()
            return lambda: backend.add_multisig_key(store, party, text, actor=actor)
        address, fingerprint = self.address.text(), self.fingerprint.text().strip()
        if kind == SAFE:
            return lambda: backend.add_safe_owner(
                store, party, address, actor=actor, fingerprint=fingerprint
            )
        role, name, pubkey = str(self.role.currentData()), self.name.text(), self.pubkey.text()
        return lambda: backend.add_party_key(
            store, party, role, pubkey, address, actor=actor, name=name, fingerprint=fingerprint
        )

    def _refused(self, exc: RefusedError) -> None:
        self.last_refusal = exc
        show_refusal(self, exc, self.tr("Key not added"))
