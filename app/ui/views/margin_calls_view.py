"""Margin calls: live countdowns, acknowledge, top-up, liquidation waterfall and signing."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from app.services.desk_facade import (
    MarginCallDetail,
    MarginCallRow,
    MarginCallStatus,
    RefusedError,
)
from app.ui import format as fmt
from app.ui.context import DeskContext, show_refusal
from app.ui.dialogs.waterfall import WaterfallDialog
from app.ui.models.desk import MarginCallColumn, MarginCallsModel
from app.ui.signing_flow import SigningFlow
from app.ui.views.attestations_view import action_button
from app.ui.views.flow_layout import FlowLayout
from app.ui.views.margin_call_details import MarginCallDetails
from app.ui.views.queue_view import QueueView
from app.ui.views.table import DeskTable, search_box

log = logging.getLogger(__name__)

SYNC_INTERVAL_MS = 30_000


class MarginCallsView(QueueView[MarginCallRow, MarginCallDetail]):
    """The queue of calls from the exchange; repaints countdowns every second."""

    new_calls = Signal(int)  # how many calls appeared since the last load
    open_count_changed = Signal(int)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, MarginCallRow, MarginCallColumn.COUNTDOWN, parent)
        self.setObjectName("marginCallsView")
        self.known: set[str] | None = None
        self._states: tuple[tuple[str, MarginCallStatus, bool], ...] | None = None
        self.last_waterfall: WaterfallDialog | None = None
        layout = self.box
        self.ack_action = QAction(self.tr("Ac&knowledge"), self)
        self.ack_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.ack_action.triggered.connect(lambda: ctx.spawn(self.acknowledge()))
        self.topup_action = QAction(self.tr("Answer with a &top-up attestation"), self)
        self.topup_action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.topup_action.triggered.connect(lambda: ctx.spawn(self.top_up()))
        self.waterfall_action = QAction(self.tr("Liquidation &waterfall…"), self)
        self.waterfall_action.setShortcut(QKeySequence("Ctrl+Shift+W"))
        self.waterfall_action.triggered.connect(lambda: ctx.spawn(self.preview_waterfall()))
        self.escalate_action = QAction(self.tr("&Escalate to liquidation"), self)
        self.escalate_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.escalate_action.triggered.connect(lambda: ctx.spawn(self.escalate()))
        self.answer_action = QAction(self.tr("Sign && send top-up &answer"), self)
        self.answer_action.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.answer_action.triggered.connect(lambda: ctx.spawn(self.answer_top_up()))
        self.sync_action = QAction(self.tr("S&ync with exchange"), self)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        self.sync_action.triggered.connect(lambda: ctx.spawn(self.sync()))
        bar = FlowLayout()  # wraps in a narrow window: no button label is elided
        self.model: MarginCallsModel = MarginCallsModel(self)
        self.table = DeskTable(self.model, self.tr("Margin calls"))
        self.table.setObjectName("marginCallsTable")
        self.table.set_placeholder(
            self.tr(
                "No margin calls from the exchange. New calls appear here with a desktop "
                "notification."
            )
        )
        bar.addWidget(search_box(self.table, self.tr("Filter calls…"), self.tr("Filter calls")))
        for action in self.menu_actions():
            bar.addWidget(action_button(action))
        layout.addLayout(bar)
        self.legend = QLabel(
            self.tr(
                "Time left turns amber within an hour of the deadline and red past it."
                " Past the liquidation line, preview the waterfall and sign the pre-authorised"
                " instruction."
            )
        )
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        self.table.stretch_column(MarginCallColumn.NAME)
        self.details = MarginCallDetails()
        self._place_table(self.details, stretch=(2, 3), sizes=[260, 420])
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self.model.modelReset.connect(self._update_actions)
        # Poll the exchange link (when one is configured) so new calls arrive on their own.
        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(SYNC_INTERVAL_MS)
        self.sync_timer.timeout.connect(lambda: ctx.spawn(self.sync(quiet=True)))
        self.sync_timer.start()
        ctx.data_changed.connect(self.schedule_reload)
        self._update_actions()

    def menu_actions(self) -> list[QAction]:
        return [
            self.ack_action,
            self.topup_action,
            self.answer_action,
            self.escalate_action,
            self.waterfall_action,
            self.sync_action,
        ]

    def schedule_detail(self) -> None:
        self.ctx.spawn(self.load_detail())

    def _selection_changed(self) -> None:
        self._update_actions()
        self.schedule_detail()

    def _update_actions(self) -> None:
        """Only what the selected call allows is enabled (nothing without a selection)."""
        call = self._current()
        status = call.status if call is not None else None
        open_states = (MarginCallStatus.RECEIVED, MarginCallStatus.ACKNOWLEDGED)
        self.ack_action.setEnabled(status == MarginCallStatus.RECEIVED)
        self.topup_action.setEnabled(status in open_states)
        self.answer_action.setEnabled(status == MarginCallStatus.ACKNOWLEDGED)
        self.escalate_action.setEnabled(status in open_states)
        self.waterfall_action.setEnabled(
            status in (*open_states, MarginCallStatus.ESCALATED)
        )

    def _row_id(self, row: MarginCallRow) -> str:
        return row.call_id

    async def _fetch_detail(self, row: MarginCallRow) -> MarginCallDetail:
        return await self.ctx.facade.margin_call_detail(row)

    async def reload(self) -> None:
        ticket = self._reads.ticket()
        rows = list(await self.ctx.facade.margin_calls())
        if not self._reads.is_current(ticket):
            return
        ids = {r.call_id for r in rows}
        fresh = 0 if self.known is None else len(ids - self.known)
        self.known = ids
        states = tuple((r.call_id, r.status, r.past_liquidation) for r in rows)
        if self._states is not None and states != self._states:
            self.ctx.notify_changed()  # Holdings shows the exchange's calls: keep it in step
        self._states = states
        self._show_rows(rows)
        # A status reads whole in every language (已升级为强平 was clipped).
        for column in (MarginCallColumn.STATUS, MarginCallColumn.CLIENT):
            needed = self.table.sizeHintForColumn(column)
            if needed > self.table.columnWidth(column):
                self.table.setColumnWidth(column, needed)
        self._update_actions()
        await self.load_detail()
        self.open_count_changed.emit(self.model.open_count())
        if fresh:
            self.new_calls.emit(fresh)

    async def acknowledge(self) -> None:
        call = self._current()
        if call is None:
            return
        try:
            await self.ctx.facade.acknowledge_call(call.call_id, self.ctx.officer)
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Cannot acknowledge"))
        await self.reload()
        self.ctx.notify_changed()

    async def escalate(self) -> None:
        call = self._current()
        if call is None:
            return
        try:
            await self.ctx.facade.escalate_call(call.call_id, self.ctx.officer)
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Cannot escalate"))
        await self.reload()
        self.ctx.notify_changed()

    async def answer_top_up(self) -> None:
        call = self._current()
        if call is None:
            return
        device = self._signing_device()
        if device is None:
            return
        flow = SigningFlow(
            self,
            device.label,
            self.tr("Top-up answer to margin call %1").replace("%1", call.call_id),
        )
        self.last_flow = flow
        await flow.run(
            lambda interaction: self.ctx.facade.answer_top_up(
                call.call_id, self.ctx.officer, device.uri, interaction
            )
        )
        self.ctx.notify_changed()
        await self.sync(quiet=True)

    async def sync(self, quiet: bool = False) -> None:
        """One round with the exchange: send what is queued, receive new calls."""
        try:
            summary = await self.ctx.facade.sync_exchange(now=not quiet)
        except RefusedError as exc:
            if not quiet:
                show_refusal(self, exc, self.tr("Exchange link"))
            log.warning("exchange sync failed: %s", exc)
            return
        if summary is None:
            if not quiet:
                self.ctx.important_message.emit(
                    self.tr(
                        "No exchange link is configured: File → Settings… → Exchange link"
                        " (or custody-desk exchange-link --url)."
                    )
                )
            return
        self.ctx.status_message.emit(summary)
        await self.reload()

    async def top_up(self) -> None:
        """Prepare the top-up attestation; the maker's own device signs it (prepared-by)."""
        call = self._current()
        if call is None:
            return
        device = self._signing_device()
        if device is None:
            return
        officer = self.ctx.officer
        flow = SigningFlow(
            self,
            device.label,
            self.tr("Top-up attestation for %1 (your signature as its maker)").replace(
                "%1", call.client_id
            ),
        )
        self.last_flow = flow
        row = await flow.run(
            lambda interaction: self.ctx.facade.top_up(
                call.call_id, officer, device.uri, interaction
            )
        )
        if row is None:  # refused or not signed: the flow said why; nothing awaits approval
            return
        self.ctx.status_message.emit(
            self.tr("Top-up attestation %1 prepared for approval.").replace("%1", str(row.sequence))
        )
        self.ctx.notify_changed()

    async def preview_waterfall(self) -> None:
        call = self._current()
        if call is None:
            return
        lines = await self.ctx.facade.waterfall(call)
        dialog = WaterfallDialog(call, lines, self)
        self.last_waterfall = dialog
        dialog.finished.connect(
            lambda code: (
                self.ctx.spawn(self.sign_liquidation(call))
                if code == QDialog.DialogCode.Accepted
                else None
            )
        )
        dialog.open()

    async def sign_liquidation(self, call: MarginCallRow) -> None:
        device = self._signing_device()
        if device is None:
            return
        statement = self.tr("Liquidation instruction for %1, shortfall USD %2").replace(
            "%1", call.client_id
        )

        flow = SigningFlow(self, device.label, statement.replace("%2", fmt.usd(call.shortfall)))
        self.last_flow = flow
        await flow.run(
            lambda interaction: self.ctx.facade.sign_liquidation(
                call.call_id, self.ctx.officer, device.uri, interaction
            )
        )
        self.ctx.notify_changed()
