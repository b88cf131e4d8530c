"""Emergency 2-of-3 unfreeze orders: parties, quorum, 48 h countdown, sign, share, execute."""

from __future__ import annotations

import logging

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from app.services.desk_facade import (
    EmergencyOrderDetail,
    EmergencyOrderRow,
    Party,
    RefusedError,
)
from app.ui.backend import documents_export
from app.ui.context import DeskContext, show_info, show_refusal
from app.ui.dialogs.confirm_act import confirm_act
from app.ui.dialogs.create_order import CreateOrderDialog
from app.ui.dialogs.replace_share import ReplaceShareDialog
from app.ui.file_dialogs import choose_file
from app.ui.models.registry import EmergencyColumn, EmergencyModel
from app.ui.signing_flow import SigningFlow
from app.ui.views.attestations_view import action_button
from app.ui.views.document_actions import export_document
from app.ui.views.emergency_details import EmergencyOrderDetails
from app.ui.views.flow_layout import FlowLayout
from app.ui.views.queue_view import QueueView
from app.ui.views.table import DeskTable

log = logging.getLogger(__name__)


class EmergencyView(QueueView[EmergencyOrderRow, EmergencyOrderDetail]):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, EmergencyOrderRow, EmergencyColumn.TIME_LEFT, parent)
        self.setObjectName("emergencyView")
        self.last_dialog: CreateOrderDialog | None = None
        self.last_replace_dialog: ReplaceShareDialog | None = None
        layout = self.box
        self.create_action = QAction(self.tr("&New order…"), self)
        self.create_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.create_action.triggered.connect(self.open_create_dialog)
        self.sign_action = QAction(self.tr("&Sign custodian share"), self)
        self.sign_action.setShortcut(QKeySequence("Ctrl+Shift+G"))
        self.sign_action.triggered.connect(lambda: ctx.spawn(self.sign_selected()))
        self.safe_sign_action = QAction(self.tr("Sign custodian Safe&Tx"), self)
        self.safe_sign_action.setToolTip(
            self.tr("Sign the order's Safe transaction (tokenized assets) on your device")
        )
        self.safe_sign_action.triggered.connect(lambda: ctx.spawn(self.safe_sign_selected()))
        self.replace_action = QAction(self.tr("Replace custodian share…"), self)
        self.replace_action.setToolTip(
            self.tr("Replace the custodian's share (a lost device, a new key): reason required")
        )
        self.replace_action.triggered.connect(self.open_replace_dialog)
        self.export_action = QAction(self.tr("E&xport for the other parties…"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+X"))
        self.export_action.triggered.connect(lambda: ctx.spawn(self.export_selected()))
        self.import_action = QAction(self.tr("&Import a signed copy…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_action.triggered.connect(lambda: ctx.spawn(self.import_file()))
        self.release_action = QAction(self.tr("Export re&lease instruction…"), self)
        self.release_action.setShortcut(QKeySequence("Ctrl+Alt+R"))
        self.release_action.triggered.connect(lambda: ctx.spawn(self.export_release()))
        self.execute_action = QAction(self.tr("E&xecute at quorum"), self)
        self.execute_action.setShortcut(QKeySequence("Ctrl+Shift+Return"))
        self.execute_action.triggered.connect(lambda: ctx.spawn(self.execute_selected()))
        bar = FlowLayout()  # wraps in a narrow window: no button label is elided
        for action in self.menu_actions():
            bar.addWidget(action_button(action))
        layout.addLayout(bar)
        note = QLabel(
            self.tr(
                "Parties: regulator (VARA), custodian, exchange. An order executes once, only"
                " with valid signatures from two distinct parties before its 48-hour expiry."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.model: EmergencyModel = EmergencyModel(self)
        self.table = DeskTable(self.model, self.tr("Emergency orders"))
        self.table.setObjectName("emergencyTable")
        self.table.set_placeholder(
            self.tr(
                "No emergency orders. New order (Ctrl+Shift+N) starts one; Import "
                "(Ctrl+Shift+I) reads another party's signed copy."
            )
        )
        self.table.stretch_column(EmergencyColumn.REASON)
        self.details = EmergencyOrderDetails()
        self._place_table(self.details, stretch=(2, 2), sizes=[330, 350])
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        ctx.data_changed.connect(self.schedule_reload)
        self._update_actions()

    def menu_actions(self) -> list[QAction]:
        return [
            self.create_action,
            self.sign_action,
            self.replace_action,
            self.safe_sign_action,
            self.export_action,
            self.import_action,
            self.execute_action,
            self.release_action,
        ]

    def _selection_changed(self) -> None:
        self._update_actions()
        self.ctx.spawn(self.load_detail())

    def _row_id(self, row: EmergencyOrderRow) -> str:
        return row.order_id

    async def _fetch_detail(self, row: EmergencyOrderRow) -> EmergencyOrderDetail:
        return await self.ctx.facade.emergency_order_detail(row)

    def _update_actions(self) -> None:
        order = self._current()
        self.execute_action.setEnabled(
            order is not None and order.quorum and order.executed_at is None
        )
        open_order = order is not None and order.executed_at is None
        self.export_action.setEnabled(open_order)
        self.safe_sign_action.setEnabled(open_order)  # the service refuses a non-Safe order
        self.release_action.setEnabled(order is not None and order.executed_at is not None)
        # One share per party per order: once the custodian signed, signing again is off
        # (the service refuses it too: ShareAlreadySigned).
        custodian_signed = order is not None and any(
            p.party == Party.CUSTODIAN and p.signed for p in order.parties
        )
        self.sign_action.setEnabled(open_order and not custodian_signed)
        self.replace_action.setEnabled(open_order and custodian_signed)
        self.sign_action.setToolTip(
            self.tr("The custodian already signed this order: one share per party.")
            if open_order and custodian_signed
            else ""
        )

    async def reload(self) -> None:
        ticket = self._reads.ticket()
        rows = list(await self.ctx.facade.emergency_orders())
        if not self._reads.is_current(ticket):
            return
        self._show_rows(rows)
        self._update_actions()
        await self.load_detail()

    def open_create_dialog(self) -> CreateOrderDialog:
        async def clients() -> list[str]:
            return [c.client_id for c in (await self.ctx.facade.holdings()).clients]

        dialog = CreateOrderDialog([], self)
        self.last_dialog = dialog

        async def fill() -> None:
            dialog.client.addItems(await clients())

        self.ctx.spawn(fill())
        dialog.finished.connect(
            lambda code: (
                self.ctx.spawn(self.create_order(*dialog.values()))
                if code == QDialog.DialogCode.Accepted
                else None
            )
        )
        dialog.open()
        return dialog

    async def create_order(self, client_id: str, reason: str) -> EmergencyOrderRow | None:
        try:
            order = await self.ctx.facade.create_order(client_id, reason, self.ctx.officer)
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Order refused"))
            return None
        await self.reload()
        self.select(order.order_id)
        self.ctx.notify_changed()
        return order

    def open_replace_dialog(self) -> ReplaceShareDialog | None:
        """Ask for the reason before the custodian's share is replaced (audited)."""
        order = self._current()
        if order is None:
            return None
        detail = self.details.detail
        key_id = "?"
        if detail is not None:
            key_id = next(
                (p.key_id or "?" for p in detail.parties if p.party == Party.CUSTODIAN), "?"
            )
        dialog = ReplaceShareDialog(order.order_id, key_id, self)
        self.last_replace_dialog = dialog
        dialog.finished.connect(
            lambda code: (
                self.ctx.spawn(self.sign_selected(replace_reason=dialog.text()))
                if code == QDialog.DialogCode.Accepted
                else None
            )
        )
        dialog.open()
        return dialog

    async def sign_selected(
        self, device_uri: str | None = None, replace_reason: str = ""
    ) -> EmergencyOrderRow | None:
        order = self._current()
        if order is None:
            return None
        device = self._signing_device(device_uri)
        if device is None:
            return None
        flow = SigningFlow(
            self, device.label, self.tr("Emergency unfreeze order %1").replace("%1", order.order_id)
        )
        self.last_flow = flow
        result = await flow.run(
            lambda interaction: self.ctx.facade.sign_order(
                order.order_id, self.ctx.officer, device.uri, interaction, replace_reason
            )
        )
        await self.reload()
        self.ctx.notify_changed()
        return result

    async def safe_sign_selected(self, device_uri: str | None = None) -> EmergencyOrderRow | None:
        """The custodian's signature of the order's SafeTx: the confirm dialog shows what
        the device walks through (token, amount with decimals, destination, nonce)."""
        order = self._current()
        if order is None:
            return None
        device = self._signing_device(device_uri)
        if device is None:
            return None
        flow = SigningFlow(
            self,
            device.label,
            self.tr("Safe transaction of order %1").replace("%1", order.order_id),
        )
        self.last_flow = flow
        result = await flow.run(
            lambda interaction: self.ctx.facade.sign_safe_order(
                order.order_id, self.ctx.officer, device.uri, interaction
            )
        )
        await self.reload()
        self.ctx.notify_changed()
        return result

    async def export_selected(self, path: str | None = None) -> None:
        order = self._current()
        if order is None:
            return
        if path is None:
            path = await choose_file(
                self, self.tr("Export order"), "JSON (*.json)",
                save_as=f"{order.order_id}.json", settings=self.ctx.settings,
            )
        if path:
            await self.ctx.facade.export_order(order.order_id, path)
            self.ctx.status_message.emit(self.tr("Order exported to %1").replace("%1", path))

    async def export_release(self, path: str | None = None) -> str | None:
        """Write the release instruction the executed order produced (signed by the desk)."""
        order = self._current()
        if order is None:
            return None
        store = self.ctx.facade.store  # type: ignore[attr-defined]
        return await export_document(
            self,
            self.ctx,
            self.tr("Export release instruction"),
            f"rel-{order.order_id}.json",
            lambda: documents_export.release_instruction(store, order.order_id),
            path=path,
        )

    async def import_file(self, path: str | None = None) -> EmergencyOrderRow | None:
        if path is None:
            path = await choose_file(
                self, self.tr("Import signed order"), "JSON (*.json)", settings=self.ctx.settings
            )
        if not path:
            return None
        try:
            order = await self.ctx.facade.import_order(path)
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Import refused"))
            return None
        await self.reload()
        self.select(order.order_id)
        self.ctx.notify_changed()
        return order

    async def execute_selected(self) -> EmergencyOrderRow | None:
        order = self._current()
        if order is None:
            return None
        if order.safe_tx_hash is not None:
            return await self.execute_safe_selected(order)
        if not await confirm_act(
            self,
            self.tr("Execute the emergency order"),
            self.tr("Release %1's frozen assets (%2) under order %3?")
            .replace("%1", order.client_id)
            .replace("%2", ", ".join(order.assets))
            .replace("%3", order.order_id),
            self.tr("E&xecute release"),
            self.tr(
                "The release instruction is produced once and cannot be undone or repeated."
                " The audit log records it as executed by %1."
            ).replace("%1", self.ctx.officer or "desk"),
            warning=True,
        ):
            return None
        try:
            done = await self.ctx.facade.execute_order(order.order_id, self.ctx.officer)
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Execution refused"))
            return None
        show_info(
            self,
            self.tr("Order executed"),
            self.tr("The release instruction for %1 was produced once.").replace(
                "%1", done.client_id
            ),
        )
        await self.reload()
        self.ctx.notify_changed()
        return done

    async def execute_safe_selected(
        self, order: EmergencyOrderRow
    ) -> EmergencyOrderRow | None:
        """A tokenized-asset order: save its ``execTransaction`` call (JSON, for any
        broadcaster) and release the order, once, after a confirmation naming both."""
        path = await choose_file(
            self,
            self.tr("Save the Safe transaction call"),
            "JSON (*.json)",
            save_as=f"safe-tx-{order.order_id}.json",
            settings=self.ctx.settings,
        )
        if not path:
            return None
        if not await confirm_act(
            self,
            self.tr("Execute the emergency order"),
            self.tr(
                "Write the Safe's execTransaction call releasing %1's %2 under order %3 to %4?"
            )
            .replace("%1", order.client_id)
            .replace("%2", ", ".join(order.assets))
            .replace("%3", order.order_id)
            .replace("%4", path),
            self.tr("&Write call and execute"),
            self.tr(
                "The file holds every field of Safe transaction %1, the two owners'"
                " signatures sorted by address and the ABI-encoded calldata; broadcasting"
                " it moves the tokens. The order is executed once and cannot be undone or"
                " repeated. The audit log records it as executed by %2."
            )
            .replace("%1", order.safe_tx_hash or "")
            .replace("%2", self.ctx.officer or "desk"),
            warning=True,
        ):
            return None
        try:
            done = await self.ctx.facade.execute_safe_order(
                order.order_id, self.ctx.officer, path
            )
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Execution refused"))
            return None
        show_info(
            self,
            self.tr("Order executed"),
            self.tr("The execTransaction call for %1 was written to %2.")
            .replace("%1", done.client_id)
            .replace("%2", path),
        )
        await self.reload()
        self.ctx.notify_changed()
        return done
