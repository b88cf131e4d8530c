"""Audit: the log with filters, chain and checkpoint status at a glance, CSV export."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services.desk_facade import AuditStatus
from app.ui import theme
from app.ui.context import DeskContext, LatestRead
from app.ui.file_dialogs import choose_file
from app.ui.models.registry import AuditModel
from app.ui.views.attestations_view import action_button
from app.ui.views.signed_documents import SignedDocumentsBar
from app.ui.views.table import DeskTable, search_box

log = logging.getLogger(__name__)


class AuditView(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._reads = LatestRead()
        self.setObjectName("auditView")
        self.status: AuditStatus | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.verify_action = QAction(self.tr("&Verify chain and checkpoints"), self)
        self.verify_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.verify_action.triggered.connect(lambda: ctx.spawn(self.verify()))
        self.export_action = QAction(self.tr("Export &CSV…"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.export_action.triggered.connect(lambda: ctx.spawn(self.export_csv()))
        self.checkpoint_action = QAction(self.tr("Take a chec&kpoint"), self)
        self.checkpoint_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.checkpoint_action.triggered.connect(lambda: ctx.spawn(self.checkpoint()))
        self.status_label = QLabel()
        self.status_label.setObjectName("auditStatus")
        font = self.status_label.font()
        font.setBold(True)
        self.status_label.setFont(font)
        layout.addWidget(self.status_label)
        bar = QHBoxLayout()
        self.model = AuditModel(self)
        self.table = DeskTable(self.model, self.tr("Audit log"))
        self.table.setObjectName("auditTable")
        bar.addWidget(
            search_box(self.table, self.tr("Filter: actor, action, details…"), self.tr("Filter"))
        )
        self.action_filter = QComboBox()
        self.action_filter.setAccessibleName(self.tr("Filter by action"))
        self.action_filter.currentIndexChanged.connect(
            lambda _i: self.table.proxy.set_tag(str(self.action_filter.currentData() or ""))
        )
        bar.addWidget(self.action_filter)
        for action in self.menu_actions():
            bar.addWidget(action_button(action))
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.documents = SignedDocumentsBar(ctx)  # export/copy reports and checkpoints
        layout.addWidget(self.documents)
        self._verify_run: asyncio.Future[None] | None = None
        self._verify_again = False
        ctx.data_changed.connect(self.schedule_reload)

    def menu_actions(self) -> list[QAction]:
        return [self.verify_action, self.checkpoint_action, self.export_action]

    def schedule_reload(self) -> None:
        """Slot for ``DeskContext.data_changed`` (a bound method: disconnected with the view)."""
        self.ctx.spawn(self.reload())

    async def reload(self) -> None:
        ticket = self._reads.ticket()
        rows = list(await self.ctx.facade.audit_entries())
        if not self._reads.is_current(ticket):
            return
        self.model.set_rows(rows)
        actions = sorted({r.action for r in rows})
        current = self.action_filter.currentData()
        self.action_filter.blockSignals(True)
        self.action_filter.clear()
        self.action_filter.addItem(self.tr("All actions"), "")
        for action in actions:
            self.action_filter.addItem(action, action)
        index = self.action_filter.findData(current)
        self.action_filter.setCurrentIndex(max(index, 0))
        self.action_filter.blockSignals(False)
        await self.documents.reload()
        await self.verify_latest()

    async def verify_latest(self) -> None:
        """The full check after a reload, one at a time: a reload asked for while one
        runs gets one more run after it (and waits for that), not a run of its own.

        On a shared desk every other workstation's commit reloads this view, and the
        check re-derives every snapshot (seconds at 100,000 clients): ten commits in
        a row were ten concurrent checks competing with the window for the CPU.
        """
        running = self._verify_run
        if running is not None and not running.done():
            self._verify_again = True
        else:
            running = self._verify_run = asyncio.ensure_future(self._verify_until_current())
        await asyncio.shield(running)

    async def _verify_until_current(self) -> None:
        while True:
            self._verify_again = False
            await self.verify()
            if not self._verify_again:
                return

    async def verify(self) -> AuditStatus:
        status = await self.ctx.facade.audit_status()
        self.status = status
        if status.chain_ok and status.checkpoint_ok is not False:
            checkpoint = (
                self.tr("last checkpoint at entry %1 verified").replace(
                    "%1", str(status.last_checkpoint_size)
                )
                if status.last_checkpoint_size is not None
                else self.tr("no checkpoint yet")
            )
            text = self.tr("✔ Chain intact: %1 entries; %2.").replace("%1", str(status.entries))
            self.status_label.setText(text.replace("%2", checkpoint))
            self.status_label.setStyleSheet(f"color: {theme.ok().name()}")
        else:
            self.status_label.setText(
                self.tr("✘ AUDIT LOG TAMPERED OR DAMAGED: %1").replace("%1", status.problem)
            )
            self.status_label.setStyleSheet(f"color: {theme.bad().name()}")
        return status

    async def checkpoint(self) -> int:
        size = await self.ctx.facade.audit_checkpoint(self.ctx.officer or "desk")
        self.ctx.status_message.emit(
            self.tr("Checkpoint taken over %1 entries.").replace("%1", str(size))
        )
        await self.reload()
        return size

    async def export_csv(self, path: str | None = None) -> int:
        if path is None:
            path = await choose_file(
                self, self.tr("Export audit log"), "CSV (*.csv)",
                save_as="audit.csv", settings=self.ctx.settings,
            )
        if not path:
            return 0
        count = await self.ctx.facade.export_audit_csv(path)
        self.ctx.status_message.emit(
            self.tr("%1 entries exported to %2").replace("%1", str(count)).replace("%2", path)
        )
        return count
