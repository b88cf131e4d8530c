"""Devices: what is plugged in (and the emulator), whose key each holds, officer registration."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.services.desk_facade import DeviceRow, OfficerRow
from app.services.key_display import AddressCheck, RegisteredKey
from app.ui import theme
from app.ui.backend.device_identity import DeviceCheck, identify
from app.ui.context import DeskContext
from app.ui.dialogs.register_officer import RegisterOfficerDialog
from app.ui.models.keys import KeysModel, key_name
from app.ui.models.registry import DevicesModel, OfficersModel
from app.ui.signing_flow import SigningFlow
from app.ui.views.attestations_view import action_button
from app.ui.views.table import DeskTable

log = logging.getLogger(__name__)

SCAN_INTERVAL_MS = 5000


class DevicesView(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("devicesView")
        self.last_flow: SigningFlow | None = None
        self.last_dialog: RegisterOfficerDialog | None = None
        self.emulator_handler: object | None = None  # set by the app: start/stop callbacks
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.scan_action = QAction(self.tr("&Scan for devices"), self)
        self.scan_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.scan_action.triggered.connect(lambda: ctx.spawn(self.reload()))
        self.register_action = QAction(self.tr("&Register officer key…"), self)
        self.register_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.register_action.triggered.connect(self.open_register_dialog)
        self.identify_action = QAction(self.tr("Identify && check &key"), self)
        self.identify_action.setShortcut(QKeySequence("Ctrl+Alt+I"))
        self.identify_action.setToolTip(
            self.tr(
                "Open the selected device: model, firmware, label and fingerprint, and read"
                " back the registered officer's key to check it is the one registered"
            )
        )
        self.identify_action.triggered.connect(lambda: ctx.spawn(self.identify_selected()))
        self.show_address_action = QAction(self.tr("Sho&w address on device"), self)
        self.show_address_action.setShortcut(QKeySequence("Ctrl+Alt+W"))
        self.show_address_action.setToolTip(
            self.tr(
                "Have the selected device derive the selected registered key's address and"
                " show it on its own screen; the desk compares it with the registered address"
            )
        )
        self.show_address_action.triggered.connect(
            lambda: ctx.spawn(self.show_selected_address())
        )
        self.emulator_action = QAction(self.tr("Start test &emulator"), self)
        self.emulator_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.another_emulator_action = QAction(self.tr("Start &another test emulator"), self)
        self.another_emulator_action.setShortcut(QKeySequence("Ctrl+Alt+E"))
        self.another_emulator_action.setToolTip(
            self.tr("One more emulator on the next public test seed: a device for one more officer")
        )
        self.ask_on_screen_action = QAction(self.tr("Ask on the emulator &screen"), self)
        self.ask_on_screen_action.setCheckable(True)
        self.ask_on_screen_action.setShortcut(QKeySequence("Ctrl+Alt+S"))
        self.ask_on_screen_action.setToolTip(
            self.tr(
                "Off: test emulators approve automatically. On: each emulator shows the"
                " statement on its device screen and waits for Approve or Reject."
            )
        )
        bar = QHBoxLayout()
        for action in self.menu_actions():
            bar.addWidget(action_button(action))
        bar.addStretch(1)
        layout.addLayout(bar)
        devices_box = QGroupBox(self.tr("Detected devices"))
        devices_layout = QVBoxLayout(devices_box)
        self.model = DevicesModel(self)
        self.table = DeskTable(self.model, self.tr("Detected devices"))
        self.table.setObjectName("devicesTable")
        self.table.set_placeholder(self.tr("No signing device found (see the hints below)."))
        devices_layout.addWidget(self.table)
        self.hints = QLabel()
        self.hints.setObjectName("deviceHints")
        self.hints.setWordWrap(True)
        devices_layout.addWidget(self.hints)
        self.identity = QLabel()
        self.identity.setObjectName("deviceIdentity")
        self.identity.setWordWrap(True)
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        devices_layout.addWidget(self.identity)
        layout.addWidget(devices_box, 1)
        officers_box = QGroupBox(self.tr("Registered officers"))
        officers_layout = QVBoxLayout(officers_box)
        self.officers_model = OfficersModel(self)
        self.officers = DeskTable(self.officers_model, self.tr("Registered officers"))
        self.officers.setObjectName("officersTable")
        self.officers.set_placeholder(
            self.tr(
                "No officer registered yet. Register officer key (Ctrl+Shift+R) reads it "
                "from their device."
            )
        )
        officers_layout.addWidget(self.officers)
        layout.addWidget(officers_box, 1)
        keys_box = QGroupBox(self.tr("Registered keys: show the address on the device"))
        keys_layout = QVBoxLayout(keys_box)
        self.keys_model = KeysModel(self)
        self.keys = DeskTable(self.keys_model, self.tr("Registered keys"))
        self.keys.setObjectName("registeredKeysTable")
        self.keys.set_placeholder(self.tr("No registered key yet."))
        keys_layout.addWidget(self.keys)
        self.address_result = QLabel()
        self.address_result.setObjectName("addressCheckResult")
        self.address_result.setWordWrap(True)
        self.address_result.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        keys_layout.addWidget(self.address_result)
        layout.addWidget(keys_box, 1)
        self.last_check: AddressCheck | None = None
        self.last_box: QMessageBox | None = None
        # Enumeration never opens a device, so a periodic scan is cheap: plugging or
        # unplugging a device shows up within seconds.
        self.scan_timer = QTimer(self)
        self.scan_timer.setInterval(SCAN_INTERVAL_MS)
        self.scan_timer.timeout.connect(lambda: ctx.spawn(ctx.reload_devices()))
        self.scan_timer.start()
        ctx.officers_changed.connect(self._show_officers)
        # bound methods, not lambdas: Qt drops them with this view when a language
        # switch rebuilds the window (a lambda kept reloading a deleted model)
        ctx.officers_changed.connect(self._spawn_reload_keys)
        ctx.data_changed.connect(self._spawn_reload_keys)
        ctx.devices_changed.connect(self._show_devices)
        ctx.emulator_changed.connect(self._emulator_changed)
        self._emulator_changed(ctx.emulator_running)

    def menu_actions(self) -> list[QAction]:
        return [
            self.scan_action,
            self.register_action,
            self.identify_action,
            self.show_address_action,
            self.emulator_action,
            self.another_emulator_action,
            self.ask_on_screen_action,
        ]

    def _emulator_changed(self, running: bool) -> None:
        self.emulator_action.setText(
            self.tr("Stop test &emulator") if running else self.tr("Start test &emulator")
        )
        if not running:
            self.ask_on_screen_action.setChecked(False)  # stopping resets it to automatic

    async def identify_selected(self) -> DeviceCheck | None:
        """Model, firmware, label, fingerprint of the selected device, and its key check."""
        device = self.table.current_row()
        if not isinstance(device, DeviceRow):
            device = self.ctx.devices[0] if self.ctx.devices else None
        if device is None:
            self.identity.setText(self.tr("No device to identify."))
            return None
        registered = [(o.name, o.fingerprint, o.path, o.address) for o in self.ctx.officers]
        flow = SigningFlow(self, device.label, self.tr("Identify the device and read its key"))
        self.last_flow = flow
        check: DeviceCheck | None = await flow.run(
            lambda interaction: identify(device.uri, registered, interaction)
        )
        if check is None:
            return None
        text = (
            self.tr("%1: model %2, firmware %3, label “%4”, fingerprint %5%6.")
            .replace("%1", device.label)
            .replace("%2", check.model)
            .replace("%3", check.firmware)
            .replace("%4", check.label)
            .replace("%5", check.fingerprint)
            .replace("%6", self.tr(" (TEST EMULATOR)") if check.is_emulator else "")
        )
        if not check.officer:
            text += " " + self.tr("It holds no registered officer's key.")
        elif check.matches:
            text += " " + (
                self.tr("✓ It holds %1's registered key at %2 (address %3).")
                .replace("%1", check.officer)
                .replace("%2", check.path)
                .replace("%3", check.address)
            )
        else:
            text += " " + (
                self.tr("✗ Its key at %1 (address %2) is NOT %3's registered key.")
                .replace("%1", check.path)
                .replace("%2", check.address)
                .replace("%3", check.officer)
            )
        self.identity.setText(text)
        return check

    async def show_selected_address(self) -> AddressCheck | None:
        """The selected device shows the selected key's address; say match or MISMATCH."""
        key = self.keys.current_row()
        if not isinstance(key, RegisteredKey):
            key = self.keys_model.rows[0] if self.keys_model.rows else None
        device = self.table.current_row()
        if not isinstance(device, DeviceRow):
            device = self.ctx.devices[0] if self.ctx.devices else None
        if key is None or device is None:
            self.address_result.setText(
                self.tr("Select a registered key and a device first.")
                if key is None
                else self.tr("No device to ask: plug one in or start the test emulator.")
            )
            return None
        flow = SigningFlow(
            self,
            device.label,
            self.tr("The device must show %1 (%2). Compare every character, then confirm on it.")
            .replace("%1", key.address)
            .replace("%2", key_name(key)),
        )
        self.last_flow = flow
        check: AddressCheck | None = await flow.run(
            lambda interaction: self.ctx.facade.show_key_address(key, device.uri, interaction)
        )
        self.last_check = check
        if check is None:
            self.address_result.setText("")
            return None
        self._show_check(check)
        return check

    def _show_check(self, check: AddressCheck) -> None:
        key = check.key
        if check.matches:
            self.address_result.setStyleSheet(f"color: {theme.ok().name()};")
            self.address_result.setText(
                self.tr("✓ Match: %1 (%2) shows %3, the registered address of %4.")
                .replace("%1", check.device_label)
                .replace("%2", check.device_fingerprint)
                .replace("%3", check.shown)
                .replace("%4", key_name(key))
            )
            self.ctx.status_message.emit(
                self.tr("Address check: match (%1)").replace("%1", key_name(key))
            )
            return
        if check.wrong_device:
            text = (
                self.tr(
                    "✗ Not this key's device: %1 (%2) is not the device %3 was registered"
                    " from (fingerprint %4). Nothing was shown: connect that party's own device."
                )
                .replace("%1", check.device_label)
                .replace("%2", check.device_fingerprint)
                .replace("%3", key_name(key))
                .replace("%4", key.fingerprint)
            )
            self.address_result.setStyleSheet(f"color: {theme.bad().name()}; font-weight: bold;")
            self.address_result.setText(text)
            return
        text = (
            self.tr(
                "✗ MISMATCH: %1 (%2) shows %3, but the registered address of %4 is %5."
                " This device does not hold the registered key: do not use it for this"
                " key until the registration or the device is checked."
            )
            .replace("%1", check.device_label)
            .replace("%2", check.device_fingerprint)
            .replace("%3", check.shown)
            .replace("%4", key_name(key))
            .replace("%5", key.address)
        )
        self.address_result.setStyleSheet(f"color: {theme.bad().name()}; font-weight: bold;")
        self.address_result.setText(text)
        self.ctx.important_message.emit(text)
        box = QMessageBox(
            QMessageBox.Icon.Critical, self.tr("Address MISMATCH"), self.tr("Address MISMATCH"),
            parent=self,
        )
        box.setObjectName("addressMismatchMessage")
        box.setInformativeText(text)
        self.last_box = box
        box.open()  # non-blocking; tests read it and close it

    def _spawn_reload_keys(self) -> None:
        self.ctx.spawn(self.reload_keys())

    async def reload_keys(self) -> None:
        self.keys_model.set_rows(list(await self.ctx.facade.registered_keys()))

    async def reload(self) -> None:
        await self.ctx.reload_devices()
        # a rebuilt window (language switch, restore): no devices_changed if none changed
        self._show_devices()
        self.officers_model.set_rows(self.ctx.officers)
        await self.reload_keys()

    def _show_officers(self) -> None:
        self.officers_model.set_rows(self.ctx.officers)

    def _show_devices(self) -> None:
        self.model.set_rows(self.ctx.devices)
        if self.ctx.devices:
            self.hints.setText("")
            return
        self.hints.setText(
            self.tr(
                "No device found. Check that it is plugged in and unlocked. On Linux, install"
                " the udev rules: sudo packaging/udev/install-udev-rules.sh, then replug."
                " Close any other app that may hold it (Trezor Suite, a browser tab using"
                " WebUSB, another desk). For tests, start the emulator (Ctrl+Shift+E)."
            )
        )

    def open_register_dialog(self) -> RegisterOfficerDialog:
        dialog = RegisterOfficerDialog(self.ctx.devices, self)
        self.last_dialog = dialog
        dialog.finished.connect(
            lambda code: (
                self.ctx.spawn(self.register(*dialog.values()))
                if code == QDialog.DialogCode.Accepted
                else None
            )
        )
        dialog.open()
        return dialog

    async def register(self, name: str, role: str, uri: str, path: str) -> OfficerRow | None:
        device = next((d for d in self.ctx.devices if d.uri == uri), None)
        label = device.label if device else uri
        flow = SigningFlow(self, label, self.tr("Reading the public key at %1").replace("%1", path))
        self.last_flow = flow
        officer = await flow.run(
            lambda interaction: self.ctx.facade.register_officer(name, role, uri, path, interaction)
        )
        if officer is not None:
            await self.ctx.reload_officers()
            await self.reload()
            self.ctx.notify_changed()
            self.ctx.status_message.emit(
                self.tr("Officer %1 registered with key %2")
                .replace("%1", officer.name)
                .replace("%2", officer.fingerprint)
            )
        return officer
