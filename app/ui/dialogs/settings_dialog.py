"""The desk's settings in the window (File → Settings…): nothing an officer needs
requires the CLI.

Tabs: *Exchange link* (URL or drop folder, TLS files), *Keys* (every party and
officer key, multisig account key and Safe owner; add a regulator's or exchange's
key, any party's multisig account key or Safe owner; revoke with a confirmation;
export the keys file), *Backup* (backup
and restore), *Store* (the store in use), *About* (version, build, licences) and
*Help* (the documentation). Non-modal; every action awaits its file chooser or
confirmation (no nested event loop) and is audited by the service with the
officer on duty as its actor.
"""

from __future__ import annotations

import asyncio
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.desk_facade import RefusedError
from app.ui.backend import desk_settings as backend
from app.ui.context import show_refusal
from app.ui.dialogs.confirm_act import confirm_act
from app.ui.dialogs.party_key_form import AddPartyKeyBox
from app.ui.file_dialogs import choose_file
from app.ui.i18n_noop import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from app.store.interface import Store
    from app.ui.context import DeskContext

DOCS = Path(__file__).resolve().parents[3] / "docs"
HELP_PAGES = (
    ("gui.md", QT_TRANSLATE_NOOP("SettingsDialog", "The desk window")),
    ("workflow.md", QT_TRANSLATE_NOOP("SettingsDialog", "Workflows: attest, calls, emergency")),
    ("security.md", QT_TRANSLATE_NOOP("SettingsDialog", "Security and keys")),
    ("exchange.md", QT_TRANSLATE_NOOP("SettingsDialog", "The exchange link")),
    ("store.md", QT_TRANSLATE_NOOP("SettingsDialog", "The store, backup and restore")),
    ("domain.md", QT_TRANSLATE_NOOP("SettingsDialog", "Valuation rules, price freshness")),
)
TABS = ("exchange", "keys", "backup", "store", "about", "help")
BUILD_KINDS = {
    "production": QT_TRANSLATE_NOOP("SettingsDialog", "production"),
    "development": QT_TRANSLATE_NOOP("SettingsDialog", "development"),
}


class SettingsDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Desk settings"))
        self.ctx = ctx
        self.tasks: list[asyncio.Task[Any]] = []
        self.resize(980, 660)  # the keys table keeps room beside the add-a-key form
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self._build_exchange()
        self._build_keys()
        self._build_backup()
        self._build_store()
        self._build_about()
        self._build_help()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def store(self) -> Store:
        store: Store = self.ctx.facade.store  # type: ignore[attr-defined]
        return store

    def show_tab(self, name: str) -> None:
        """Open on ``name`` (one of ``TABS``)."""
        self.tabs.setCurrentIndex(TABS.index(name))

    def _actor(self) -> str:
        return f"officer:{self.ctx.officer}" if self.ctx.officer else "desk"

    def _run(self, coro: Any) -> asyncio.Task[Any]:
        task = self.ctx.spawn(coro)
        self.tasks.append(task)
        return task

    # --- exchange link ---------------------------------------------------------------
    def _build_exchange(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.link_edit = QLineEdit()
        self.link_edit.setObjectName("exchangeLinkEdit")
        self.link_edit.setPlaceholderText(self.tr("https://exchange.example/api or a drop folder"))
        self.ca_edit, self.cert_edit, self.key_edit = QLineEdit(), QLineEdit(), QLineEdit()
        form.addRow(self.tr("Exchange link:"), self.link_edit)
        for label, edit in (
            (self.tr("CA bundle (PEM):"), self.ca_edit),
            (self.tr("Client certificate (mutual TLS):"), self.cert_edit),
            (self.tr("Client key:"), self.key_edit),
        ):
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            browse = QPushButton(self.tr("Choose…"))
            browse.clicked.connect(lambda _=False, e=edit: self._run(self._choose_into(e)))
            row.addWidget(browse)
            form.addRow(label, row)
        self.save_link_button = QPushButton(self.tr("Save exchange link"))
        self.save_link_button.setObjectName("saveExchangeLink")
        self.save_link_button.clicked.connect(lambda: self._run(self.save_exchange()))
        form.addRow("", self.save_link_button)
        note = QLabel(
            self.tr(
                "An https:// link is verified against the CA bundle (else the system's"
                " CAs); a client certificate and key enable mutual TLS. A folder path is"
                " a drop-folder link. Saved settings are audited."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.tabs.addTab(page, self.tr("Exchange link"))
        self._run(self._load_exchange())

    async def _choose_into(self, edit: QLineEdit) -> None:
        path = await choose_file(
            self, self.tr("Choose a file"), "PEM (*.pem *.crt *.key);;*", settings=self.ctx.settings
        )
        if path:
            edit.setText(path)

    async def _load_exchange(self) -> None:
        current = await asyncio.to_thread(backend.exchange_settings, self.store)
        self.link_edit.setText(current.target)
        self.ca_edit.setText(current.tls_ca)
        self.cert_edit.setText(current.tls_cert)
        self.key_edit.setText(current.tls_key)

    async def save_exchange(self) -> bool:
        settings = backend.ExchangeSettings(
            self.link_edit.text(), self.ca_edit.text(), self.cert_edit.text(), self.key_edit.text()
        )
        try:
            await asyncio.to_thread(
                backend.save_exchange_settings, self.store, settings, self._actor()
            )
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Exchange link not saved"))
            return False
        self.ctx.status_message.emit(self.tr("Exchange link saved."))
        return True

    # --- keys ---------------------------------------------------------------------------
    def _build_keys(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        self.keys_table = QTableWidget(0, 5)
        self.keys_table.setObjectName("keysTable")
        self.keys_table.setHorizontalHeaderLabels(
            [self.tr("Party"), self.tr("Name"), self.tr("Key id"), self.tr("Address"),
             self.tr("Status")]
        )
        self.keys_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.keys_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.keys_table.horizontalHeader().setStretchLastSection(True)
        self.keys_table.itemSelectionChanged.connect(self._selected_key_changed)
        box.addWidget(self.keys_table, 1)
        row = QHBoxLayout()
        self.revoke_button = QPushButton(self.tr("Revoke selected key…"))
        self.revoke_button.setObjectName("revokeKey")
        self.revoke_button.clicked.connect(lambda: self._run(self.revoke_selected()))
        self.export_keys_button = QPushButton(self.tr("Export keys file…"))
        self.export_keys_button.clicked.connect(lambda: self._run(self.export_keys()))
        row.addWidget(self.revoke_button)
        row.addWidget(self.export_keys_button)
        row.addStretch(1)
        box.addLayout(row)
        note = QLabel(
            self.tr(
                "Officers' keys are added from their device (Devices → Register officer key)."
                " A revoked key's signatures never count again."
            )
        )
        note.setWordWrap(True)
        box.addWidget(note)
        self.add_key_box = AddPartyKeyBox(self.ctx, lambda: self.store, self._actor)
        self.add_key_box.added.connect(lambda _key_id: self._run(self._key_added()))
        box.addWidget(self.add_key_box)
        self.tabs.addTab(page, self.tr("Keys"))
        self.key_rows: list[backend.KeyRow] = []
        self._run(self.load_keys())

    async def load_keys(self) -> None:
        self.key_rows = await asyncio.to_thread(backend.keys, self.store)
        self.add_key_box.set_multisig_path(
            await asyncio.to_thread(backend.multisig_path_default, self.store)
        )
        self.keys_table.setRowCount(len(self.key_rows))
        for n, key in enumerate(self.key_rows):
            status = self.tr("active") if key.active else self.tr("revoked")
            name = key.name
            if key.kind == "multisig":
                name = self.tr("Multisig account key")
                if key.is_test:
                    name += " " + self.tr("(TEST)")
            elif key.kind == "safe":
                name = self.tr("Safe owner")
            for column, text in enumerate(
                (self._party_text(key.party), name, key.key_id, key.address, status)
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.keys_table.setItem(n, column, item)
        self.keys_table.resizeColumnsToContents()
        self._selected_key_changed()

    def _party_text(self, party: str) -> str:
        """The party in the window's language ("officer (role)" for an officer's key)."""
        from app.domain.parties import Party
        from app.ui import labels

        if party.startswith("officer (") and party.endswith(")"):
            return self.tr("officer (%1)").replace("%1", party[len("officer ("):-1])
        try:
            return labels.party(Party(party))
        except ValueError:
            return party

    def _selected_key_changed(self) -> None:
        row = self.keys_table.currentRow()
        key = self.key_rows[row] if 0 <= row < len(self.key_rows) else None
        self.revoke_button.setEnabled(key is not None and key.revocable)
        self.revoke_button.setToolTip(
            self.tr("A multisig account key or Safe owner is not revoked here: a Safe owner is"
                    " replaced by recording the party's new address.")
            if key is not None and key.kind != "statement" else ""
        )

    async def _key_added(self) -> None:
        await self.load_keys()
        await self.ctx.reload_officers()
        self.ctx.notify_changed()

    async def revoke_selected(self, key_id: str | None = None) -> bool:
        if key_id is None:
            row = self.keys_table.currentRow()
            if not 0 <= row < len(self.key_rows):
                return False
            key_id = self.key_rows[row].key_id
        key = next((k for k in self.key_rows if k.key_id == key_id and k.revocable), None)
        if key is None:
            return False
        if not await confirm_act(
            self,
            self.tr("Revoke a key"),
            self.tr("Revoke %1's key %2 (%3)?")
            .replace("%1", key.name or key.party)
            .replace("%2", key.key_id)
            .replace("%3", key.party),
            self.tr("&Revoke key"),
            self.tr(
                "From now on its signatures never count: attestations, emergency shares and"
                " answers signed with it are refused. This cannot be undone; the audit log"
                " records it as revoked by %1."
            ).replace("%1", self._actor()),
            warning=True,
        ):
            return False
        try:
            await asyncio.to_thread(backend.revoke, self.store, key.key_id, self._actor())
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Not revoked"))
            return False
        await self.load_keys()
        await self.ctx.reload_officers()
        self.ctx.notify_changed()
        return True

    async def export_keys(self, path: str | None = None) -> str | None:
        if path is None:
            path = await choose_file(
                self, self.tr("Export keys file"), "JSON (*.json)", save_as="keys.json",
                settings=self.ctx.settings,
            )
        if not path:
            return None
        size = await asyncio.to_thread(backend.export_keys_file, self.store, path)
        self.ctx.status_message.emit(
            self.tr("Keys file exported to %1 (%2 bytes).").replace("%1", path).replace(
                "%2", str(size)
            )
        )
        return path

    # --- backup ---------------------------------------------------------------------------
    def _build_backup(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        self.backup_button = QPushButton(self.tr("Back up the store…"))
        self.backup_button.clicked.connect(lambda: self._run(self.backup()))
        self.restore_button = QPushButton(self.tr("Restore from a backup…"))
        self.restore_button.clicked.connect(lambda: self._run(self.restore()))
        for button in (self.backup_button, self.restore_button):
            box.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        note = QLabel(
            self.tr(
                "A backup is a consistent copy of the whole store (checked after writing)."
                " Restoring keeps the current store beside it; the window then shows the"
                " restored store (sign in again if your session is not in it). Both are"
                " audited."
            )
        )
        note.setWordWrap(True)
        box.addWidget(note)
        box.addStretch(1)
        self.tabs.addTab(page, self.tr("Backup"))

    async def backup(self, path: str | None = None) -> str | None:
        if path is None:
            path = await choose_file(
                self, self.tr("Back up the store"), "SQLite (*.sqlite3)",
                save_as="desk-backup.sqlite3", settings=self.ctx.settings,
            )
        if not path:
            return None
        try:
            await asyncio.to_thread(backend.backup, self.store, path, self._actor())
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Backup failed"))
            return None
        self.ctx.important_message.emit(self.tr("Store backed up to %1.").replace("%1", path))
        return path

    async def restore(self, path: str | None = None) -> bool:
        if path is None:
            path = await choose_file(
                self, self.tr("Restore from a backup"), "SQLite (*.sqlite3)",
                settings=self.ctx.settings,
            )
        if not path:
            return False
        if not await confirm_act(
            self,
            self.tr("Restore the store"),
            self.tr("Replace the desk's store with the backup %1?").replace("%1", path),
            self.tr("&Restore"),
            self.tr(
                "Everything recorded since that backup is replaced (the current store is kept"
                " beside it). The window then shows the restored store."
            ),
            warning=True,
        ):
            return False
        try:
            kept = await asyncio.to_thread(backend.restore, self.store, path, self._actor())
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Restore refused"))
            return False
        self.ctx.status_message.emit(
            self.tr("Restored from %1. The previous store is kept as %2.")
            .replace("%1", path)
            .replace("%2", kept or "—")
        )
        # no restart: the window reloads everything from the restored store (DeskApp)
        self.ctx.store_restored.emit(path)
        return True

    # --- store, about, help ------------------------------------------------------------------
    def _build_store(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.store_label = QLabel(self.ctx.facade.store_description())
        self.store_label.setObjectName("storeInUse")
        self.store_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Store in use:"), self.store_label)
        form.addRow(
            QLabel(
                self.tr(
                    "Another store is chosen at start-up: custody-desk --data-dir DIR,"
                    " or the CUSTODY_DESK_DATA_DIR environment variable."
                )
            )
        )
        self.tabs.addTab(page, self.tr("Store"))

    def _build_about(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        info = backend.about()
        self.about_label = QLabel(
            self.tr("Custody Desk %1 (%2 build) · Python %3 · %4")
            .replace("%1", info["version"])
            .replace("%2", self.tr(BUILD_KINDS.get(info["build"], info["build"])))
            .replace("%3", info["python"])
            .replace("%4", info["qt"])
        )
        self.about_label.setObjectName("aboutVersion")
        self.about_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.about_label)
        box.addWidget(QLabel(self.tr("Licence notices of the components shipped:")))
        notices = QLabel("\n".join(f"• {name}: {licence}" for name, licence in
                                   backend.LICENCE_NOTICES))
        notices.setObjectName("licenceNotices")
        notices.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(notices)
        box.addStretch(1)
        self.tabs.addTab(page, self.tr("About"))

    def _build_help(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        links = []
        for name, title in HELP_PAGES:
            path = DOCS / name
            if path.is_file():
                text = escape(self.tr(title))
                links.append(f'<a href="{path.as_uri()}">{text}</a> ({name})')
        self.help_label = QLabel(
            "<br>".join(links) or self.tr("The documentation is not installed.")
        )
        self.help_label.setObjectName("helpLinks")
        self.help_label.setTextFormat(Qt.TextFormat.RichText)
        self.help_label.setOpenExternalLinks(True)
        box.addWidget(self.help_label)
        box.addStretch(1)
        self.tabs.addTab(page, self.tr("Help"))

