"""Attestations: the queue, preparing from selected clients, the detail, approve & sign."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.desk_facade import (
    AttestationDetail,
    AttestationRow,
    AttestationStatus,
    ProofRow,
    RefusedError,
)
from app.ui import format as fmt
from app.ui import labels
from app.ui.backend import documents_export, workflows
from app.ui.context import DeskContext, LatestRead, show_info, show_refusal
from app.ui.dialogs.confirm_act import confirm_act
from app.ui.dialogs.reject_attestation import RejectAttestationDialog
from app.ui.models.desk import AttestationsModel, ProofsModel
from app.ui.signing_flow import SigningFlow
from app.ui.views.document_actions import copy_text, export_document
from app.ui.views.flow_layout import FlowLayout
from app.ui.views.holdings_view import HoldingsView
from app.ui.views.table import DeskTable, search_box

log = logging.getLogger(__name__)


def action_button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class AttestationsView(QWidget):
    """Maker prepares, a different checker approves on their own device."""

    signed = Signal(str)  # attestation id, after the signature verified and was stored

    def __init__(
        self, ctx: DeskContext, holdings: HoldingsView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._reads = LatestRead(show_older=True)  # its own acts come back as NOTIFY
        self.holdings = holdings
        self.detail: AttestationDetail | None = None
        self.last_flow: SigningFlow | None = None
        self.last_reject_dialog: RejectAttestationDialog | None = None
        self.setObjectName("attestationsView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        self.prepare_action = QAction(self.tr("&Prepare from selected clients"), self)
        self.prepare_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.prepare_action.triggered.connect(lambda: ctx.spawn(self.prepare()))
        self.approve_action = QAction(self.tr("Approve && &sign on device"), self)
        self.approve_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.approve_action.triggered.connect(lambda: ctx.spawn(self.approve_selected()))
        self.verify_action = QAction(self.tr("&Verify selected proof"), self)
        self.verify_action.setShortcut(QKeySequence("Ctrl+Shift+V"))
        self.verify_action.triggered.connect(lambda: ctx.spawn(self.verify_selected_proof()))
        self.verify_all_action = QAction(self.tr("Verify &all proofs"), self)
        self.verify_all_action.setShortcut(QKeySequence("Ctrl+Alt+V"))
        self.verify_all_action.triggered.connect(lambda: ctx.spawn(self.verify_all_proofs()))

        self.reject_action = QAction(self.tr("Re&ject…"), self)
        self.reject_action.setShortcut(QKeySequence("Ctrl+Shift+J"))
        self.reject_action.triggered.connect(self.open_reject_dialog)
        self.send_action = QAction(self.tr("Send to e&xchange"), self)
        self.send_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.send_action.triggered.connect(lambda: ctx.spawn(self.send_selected()))
        # an attestation a killed process left in 'signing': back to awaiting approval
        self.abandon_action = QAction(self.tr("Abandon signing…"), self)
        self.abandon_action.triggered.connect(lambda: ctx.spawn(self.abandon_signing()))

        bar = FlowLayout()  # wraps in a narrow window: no button label is elided
        self.model = AttestationsModel(self)
        self.table = DeskTable(self.model, self.tr("Attestation queue"))
        self.table.setObjectName("attestationsTable")
        self.table.set_placeholder(
            self.tr(
                "No attestations yet. Select eligible clients on the Holdings tab, then "
                "Prepare (Ctrl+Shift+P)."
            )
        )
        bar.addWidget(
            search_box(self.table, self.tr("Filter attestations…"), self.tr("Filter attestations"))
        )
        for action in (
            self.prepare_action,
            self.approve_action,
            self.reject_action,
            self.send_action,
            self.abandon_action,
        ):
            bar.addWidget(action_button(action))
        layout.addLayout(bar)
        self.hint = QLabel()
        self.hint.setObjectName("attestationHint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        # Prepare acts on the Holdings tab's selection: say which clients, here.
        self.selection_label = QLabel()
        self.selection_label.setObjectName("attestationSelection")
        self.selection_label.setWordWrap(True)
        layout.addWidget(self.selection_label)
        holdings.clients.selectionModel().selectionChanged.connect(
            lambda *_: self._show_selection()
        )
        holdings.clients_model.modelReset.connect(self._show_selection)
        self._show_selection()

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        detail = QWidget()
        detail_layout = QHBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        left = QGroupBox(self.tr("Statement — exactly as the device will show it"))
        left_layout = QVBoxLayout(left)
        self.statement = QPlainTextEdit()
        self.statement.setObjectName("statementView")
        self.statement.setReadOnly(True)
        self.statement.setAccessibleName(self.tr("Statement text"))
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.statement.setFont(mono)
        self.statement.setMaximumHeight(90)
        left_layout.addWidget(self.statement)
        form = QFormLayout()
        self.root_label = QLabel("—")
        self.root_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.root_label.setFont(mono)
        self.totals_label = QLabel("—")
        self.totals_label.setWordWrap(True)
        self.status_label = QLabel("—")
        self.status_label.setObjectName("attestationStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.signature_label = QLabel("—")
        self.signature_label.setWordWrap(True)
        self.signature_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Root:"), self.root_label)
        form.addRow(self.tr("Totals:"), self.totals_label)
        form.addRow(self.tr("Status:"), self.status_label)
        form.addRow(self.tr("Signature:"), self.signature_label)
        left_layout.addLayout(form)
        documents = QHBoxLayout()  # every signed document: export it, copy its parts
        self.export_bundle_button = QPushButton(self.tr("Export signed &bundle…"))
        self.export_bundle_button.setObjectName("exportBundle")
        self.export_bundle_button.clicked.connect(lambda: self.ctx.spawn(self.export_bundle()))
        self.copy_root_button = QPushButton(self.tr("Copy root"))
        self.copy_root_button.clicked.connect(
            lambda: copy_text(self.ctx, self.root_label.text(), self.tr("Root"))
        )
        self.copy_signature_button = QPushButton(self.tr("Copy signature"))
        self.copy_signature_button.clicked.connect(
            lambda: copy_text(
                self.ctx, self.detail.signature_b64 if self.detail else "", self.tr("Signature")
            )
        )
        for button in (
            self.export_bundle_button,
            self.copy_root_button,
            self.copy_signature_button,
        ):
            documents.addWidget(button)
        documents.addStretch(1)
        left_layout.addLayout(documents)
        left_layout.addStretch(1)
        detail_layout.addWidget(left, 3)
        right = QGroupBox(self.tr("Inclusion proofs"))
        right_layout = QVBoxLayout(right)
        self.proofs_model = ProofsModel(self)
        self.proofs = DeskTable(self.proofs_model, self.tr("Inclusion proofs"))
        self.proofs.setObjectName("proofsTable")
        right_layout.addWidget(self.proofs)
        buttons = QHBoxLayout()
        buttons.addWidget(action_button(self.verify_action))
        buttons.addWidget(action_button(self.verify_all_action))
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        detail_layout.addWidget(right, 2)
        split.addWidget(detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)

        self.table.selectionModel().currentRowChanged.connect(
            lambda *_: ctx.spawn(self.show_detail())
        )
        ctx.officer_changed.connect(self._on_officer_changed)
        ctx.data_changed.connect(self.schedule_reload)
        self._update_actions()

    def menu_actions(self) -> list[QAction]:
        return [
            self.prepare_action,
            self.approve_action,
            self.verify_action,
            self.verify_all_action,
        ]

    def schedule_reload(self) -> None:
        """Slot for ``DeskContext.data_changed`` (a bound method: disconnected with the view)."""
        self.ctx.spawn(self.reload())

    async def reload(self) -> None:
        ticket = self._reads.ticket()
        rows = list(await self.ctx.facade.attestations())
        if not self._reads.is_current(ticket):
            return
        current = self.table.current_row()
        self.model.set_rows(rows)
        if isinstance(current, AttestationRow):
            self.select(current.att_id)
        elif self.model.rowCount():
            self.table.selectRow(0)
        self._update_actions()

    def select(self, att_id: str) -> None:
        for row in range(self.table.proxy.rowCount()):
            if self.table.proxy.row_object(row).att_id == att_id:
                self.table.selectRow(row)
                return

    def _on_officer_changed(self, _name: str) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        row = self.table.current_row()
        officer = self.ctx.officer
        can_approve = (
            isinstance(row, AttestationRow)
            and row.status == AttestationStatus.AWAITING_APPROVAL
            and bool(officer)
            and row.prepared_by != officer
        )
        self.approve_action.setEnabled(can_approve)
        self.reject_action.setEnabled(can_approve)
        self.send_action.setEnabled(
            isinstance(row, AttestationRow) and row.status == AttestationStatus.SIGNED
        )
        self.abandon_action.setEnabled(
            isinstance(row, AttestationRow)
            and row.status == AttestationStatus.SIGNING
            and bool(officer)
        )
        self.prepare_action.setEnabled(bool(officer))
        if not officer:
            self.hint.setText(self.tr("Pick the officer on duty (toolbar) to prepare or approve."))
        elif isinstance(row, AttestationRow) and row.prepared_by == officer:
            self.hint.setText(
                self.tr(
                    "You prepared this attestation: a different officer must approve and sign it."
                )
            )
        else:
            self.hint.setText("")

    # --- prepare ----------------------------------------------------------------
    def _show_selection(self) -> None:
        clients = self.holdings.selected_client_ids()
        if clients:
            self.selection_label.setText(
                self.tr("Prepare will attest: %1 (selected on the Holdings tab).").replace(
                    "%1", ", ".join(clients)
                )
            )
        else:
            self.selection_label.setText(self.tr("No client selected on the Holdings tab."))

    def _duplicate_of(self, clients: list[str]) -> AttestationRow | None:
        """A live attestation of exactly these clients at the same collateral value."""
        selected = [r for r in self.holdings.clients.selected_rows() if r.client_id in clients]
        total = sum((r.collateral_value for r in selected), Decimal("0"))
        dead = (AttestationStatus.REJECTED, AttestationStatus.EXPIRED)
        same = [
            row
            for row in self.model.rows
            if set(row.client_ids) == set(clients)
            and row.status not in dead
            and row.total_collateral == total
        ]
        return max(same, key=lambda r: r.sequence) if same else None

    async def prepare(self) -> AttestationRow | None:
        clients = self.holdings.selected_client_ids()
        if not clients:
            show_info(
                self,
                self.tr("Prepare attestation"),
                self.tr("Select one or more clients on the Holdings tab first."),
            )
            return None
        duplicate = self._duplicate_of(clients)
        if duplicate is not None and not await confirm_act(
            self,
            self.tr("Duplicate attestation"),
            self.tr("Attestation %1 (%2) already attests %3 with the same collateral.")
            .replace("%1", str(duplicate.sequence))
            .replace("%2", labels.attestation_status(duplicate.status))
            .replace("%3", ", ".join(clients)),
            self.tr("Prepare a duplicate"),
            self.tr(
                "Nothing changed since: a new one would attest the same figures again."
                " Import a fresh snapshot first, or cancel."
            ),
            warning=True,
        ):
            return None
        device = self.ctx.device_for_officer()
        if device is None:
            show_info(
                self,
                self.tr("Prepare attestation"),
                self.tr("Plug in your own device: it signs what you prepare (prepared-by)."),
            )
            return None
        officer = self.ctx.officer
        flow = SigningFlow(
            self, device.label, self.tr("Prepare attestation (your signature as its maker)")
        )
        self.last_flow = flow
        row = await flow.run(
            lambda interaction: self.ctx.facade.prepare_attestation(
                clients, officer, device.uri, interaction
            )
        )
        if row is None:  # refused or not signed: the flow said why; nothing awaits approval
            await self.reload()
            return None
        self.ctx.status_message.emit(
            self.tr("Attestation %1 prepared: awaiting a second officer's approval.").replace(
                "%1", str(row.sequence)
            )
        )
        await self.reload()
        self.select(row.att_id)
        self.ctx.notify_changed()  # the audit log and the counts moved
        return row

    # --- detail -----------------------------------------------------------------
    async def show_detail(self) -> None:
        self._update_actions()
        row = self.table.current_row()
        if not isinstance(row, AttestationRow):
            self.detail = None
            self.statement.setPlainText("")
            self.proofs_model.set_rows([])
            return
        detail = await self.ctx.facade.attestation_detail(row.att_id)
        self.detail = detail
        self.statement.setPlainText(detail.statement)
        self.root_label.setText(detail.row.root_hex)
        totals = " · ".join(
            f"{asset} {fmt.quantity(v)}" for asset, v in sorted(detail.asset_totals.items())
        )
        self.totals_label.setText(
            self.tr("USD %1 collateral value; %2")
            .replace("%1", fmt.usd(detail.row.total_collateral))
            .replace("%2", totals or "—")
        )
        status = labels.attestation_status(detail.row.status)
        rejection = detail.rejection
        if rejection is not None:
            # The maker must see who rejected it, when and why, not only "Rejected".
            status = (
                self.tr("%1 by %2 at %3 — reason: %4")
                .replace("%1", status)
                .replace("%2", rejection.by)
                .replace("%3", fmt.utc(rejection.at))
                .replace("%4", rejection.reason or self.tr("(none given)"))
            )
        self.status_label.setText(status)
        self.signature_label.setText(
            f"{detail.signer_address} · {fmt.short_hex(detail.signature_b64 or '', 16)}"
            if detail.signature_b64
            else "—"
        )
        self.proofs_model.set_rows(list(detail.proofs))
        signed = detail.row.status in (AttestationStatus.SIGNED, AttestationStatus.SENT)
        self.export_bundle_button.setEnabled(signed)
        self.copy_signature_button.setEnabled(bool(detail.signature_b64))

    async def verify_selected_proof(self) -> None:
        proof = self.proofs.current_row()
        if isinstance(proof, ProofRow) and self.detail is not None:
            await self._verify(proof)

    async def verify_all_proofs(self) -> None:
        for proof in list(self.proofs_model.rows):
            await self._verify(proof)

    async def _verify(self, proof: ProofRow) -> None:
        assert self.detail is not None
        ok = await self.ctx.facade.verify_proof(self.detail.row.att_id, proof.client_id)
        rows = [
            ProofRow(p.client_id, p.leaf_index, p.collateral_value, p.path_length, ok)
            if p.client_id == proof.client_id
            else p
            for p in self.proofs_model.rows
        ]
        self.proofs_model.set_rows(rows)

    def open_reject_dialog(self) -> RejectAttestationDialog | None:
        row = self.table.current_row()
        if not isinstance(row, AttestationRow):
            return None
        dialog = RejectAttestationDialog(row.sequence, self)
        self.last_reject_dialog = dialog
        dialog.finished.connect(
            lambda code: (
                self.ctx.spawn(self.reject(row.att_id, dialog.text()))
                if code == QDialog.DialogCode.Accepted
                else None
            )
        )
        dialog.open()
        return dialog

    async def reject(self, att_id: str, reason: str) -> None:
        try:
            await self.ctx.facade.reject_attestation(att_id, self.ctx.officer, reason)
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Cannot reject"))
        await self.reload()
        self.ctx.notify_changed()

    async def send_selected(self) -> str | None:
        """Queue the signed bundle for the exchange and sync at once (when a link is set)."""
        row = self.table.current_row()
        if not isinstance(row, AttestationRow):
            return None
        if not await confirm_act(
            self,
            self.tr("Send to the exchange"),
            self.tr("Send attestation %1 (%2) to the exchange?")
            .replace("%1", str(row.sequence))
            .replace("%2", ", ".join(row.client_ids)),
            self.tr("&Send to exchange"),
            self.tr(
                "The exchange books each client's credit line from it (USD %1 collateral)."
                " A sent attestation cannot be recalled. Sent by %2."
            )
            .replace("%1", fmt.usd(row.total_collateral))
            .replace("%2", self.ctx.officer or "desk"),
        ):
            return None
        try:
            summary = await self.ctx.facade.send_attestation(row.att_id, self.ctx.officer)
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Not sent"))
            return None
        self.ctx.status_message.emit(
            summary
            or self.tr(
                "Queued for the exchange; no exchange link is configured"
                " (custody-desk exchange-link --url)."
            )
        )
        self.ctx.notify_changed()
        return summary

    async def abandon_signing(self) -> bool:
        """Confirm, then return the selected attestation stuck in 'signing' to approval."""
        row = self.table.current_row()
        officer = self.ctx.officer
        if not isinstance(row, AttestationRow) or row.status != AttestationStatus.SIGNING:
            return False
        if not officer:
            return False
        if not await confirm_act(
            self,
            self.tr("Abandon signing"),
            self.tr("Abandon the signing of attestation %1 (%2)?")
            .replace("%1", str(row.sequence))
            .replace("%2", ", ".join(row.client_ids)),
            self.tr("A&bandon signing"),
            self.tr(
                "Its signing was started and never finished (the desk that asked the device"
                " stopped). Nothing was signed: it returns to awaiting approval, and a second"
                " officer can approve or reject it again. On a shared desk, make sure no other"
                " officer is signing it now. The audit log records it as abandoned by %1."
            ).replace("%1", f"officer:{officer}"),
            warning=True,
        ):
            return False
        store = self.ctx.facade.store  # type: ignore[attr-defined]
        try:
            await asyncio.to_thread(workflows.abandon_signing, store, row.att_id, officer)
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Signing not abandoned"))
            return False
        self.ctx.status_message.emit(
            self.tr("Attestation %1 is awaiting approval again.").replace("%1", str(row.sequence))
        )
        self.ctx.notify_changed()
        return True

    async def export_bundle(self, path: str | None = None) -> str | None:
        """Write the selected attestation's signed bundle (what the exchange receives)."""
        row = self.table.current_row()
        if not isinstance(row, AttestationRow):
            return None
        store = self.ctx.facade.store  # type: ignore[attr-defined]
        return await export_document(
            self,
            self.ctx,
            self.tr("Export signed bundle"),
            f"attestation-{row.sequence}.json",
            lambda: documents_export.attestation_bundle(store, row.att_id),
            path=path,
        )

    # --- approve & sign ------------------------------------------------------------
    async def approve_selected(self) -> AttestationRow | None:
        row = self.table.current_row()
        if not isinstance(row, AttestationRow) or self.detail is None:
            return None
        officer = self.ctx.officer
        if row.prepared_by == officer:
            show_refusal(
                self,
                RefusedError(
                    [
                        self.tr(
                            "%1 prepared this attestation and cannot approve it: a different"
                            " officer must approve and sign (maker-checker)."
                        ).replace("%1", officer)
                    ]
                ),
                self.tr("Approval refused"),
            )
            return None
        device = self.ctx.device_for_officer()
        if device is None:
            show_refusal(
                self,
                RefusedError(
                    [self.tr("No signing device found. Plug in your device (see the Devices tab).")]
                ),
                self.tr("No device"),
            )
            return None
        flow = SigningFlow(self, device.label, self.detail.statement)
        self.last_flow = flow
        att_id = row.att_id
        result = await flow.run(
            lambda interaction: self.ctx.facade.approve_and_sign(
                att_id, officer, device.uri, interaction
            )
        )
        await self.reload()
        if result is not None:
            self.select(att_id)
            self.ctx.status_message.emit(
                self.tr("Attestation %1 signed and verified.").replace("%1", str(result.sequence))
            )
            self.signed.emit(att_id)
            self.ctx.notify_changed()
        return result
