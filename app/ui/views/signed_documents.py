"""The Audit tab's signed documents: reconciliation reports and audit checkpoints.

Pick one of the desk's signed reconciliation reports or signed audit checkpoints,
export it (``document_actions.export_document``: awaited chooser, 0600 file) or
copy its audit root or signature (``document_actions.copy_text``), as the
Attestations details do for a bundle.
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from app.ui.backend import documents_export
from app.ui.backend.documents_export import SignedRecord
from app.ui.context import DeskContext, LatestRead
from app.ui.views.document_actions import copy_text, export_document


class SignedDocumentsBar(QWidget):
    """A chooser of signed reports and checkpoints, with Export… and two Copy buttons."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._reads = LatestRead()
        self.setObjectName("signedDocuments")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(self.tr("Signed documents:"))
        self.chooser = QComboBox()
        self.chooser.setAccessibleName(self.tr("Signed reconciliation reports and checkpoints"))
        self.chooser.setMinimumContentsLength(24)
        label.setBuddy(self.chooser)
        self.chooser.currentIndexChanged.connect(lambda _i: self._enable())
        self.export_button = QPushButton(self.tr("Export document…"))
        self.export_button.clicked.connect(lambda: self.ctx.spawn(self.export_selected()))
        self.copy_root_button = QPushButton(self.tr("Copy audit root"))
        self.copy_root_button.clicked.connect(
            lambda: copy_text(self.ctx, self._root(), self.tr("Audit root"))
        )
        self.copy_signature_button = QPushButton(self.tr("Copy signature"))
        self.copy_signature_button.clicked.connect(
            lambda: copy_text(self.ctx, self._signature(), self.tr("Signature"))
        )
        layout.addWidget(label)
        layout.addWidget(self.chooser, 1)
        for button in (self.export_button, self.copy_root_button, self.copy_signature_button):
            layout.addWidget(button)
        self._enable()

    def selected(self) -> SignedRecord | None:
        record = self.chooser.currentData()
        return record if isinstance(record, SignedRecord) else None

    def _root(self) -> str:
        record = self.selected()
        return record.root if record else ""

    def _signature(self) -> str:
        record = self.selected()
        return record.signature if record else ""

    def _enable(self) -> None:
        record = self.selected()
        self.export_button.setEnabled(record is not None)
        self.copy_root_button.setEnabled(bool(record and record.root))
        self.copy_signature_button.setEnabled(bool(record and record.signature))

    def select(self, kind: str, record_id: int) -> bool:
        for i in range(self.chooser.count()):
            record = self.chooser.itemData(i)
            if isinstance(record, SignedRecord) and (record.kind, record.record_id) == (
                kind,
                record_id,
            ):
                self.chooser.setCurrentIndex(i)
                return True
        return False

    async def reload(self) -> None:
        ticket = self._reads.ticket()
        store = self.ctx.facade.store  # type: ignore[attr-defined]
        records = await asyncio.to_thread(documents_export.signed_records, store)
        if not self._reads.is_current(ticket):
            return
        current = self.selected()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for record in records:
            self.chooser.addItem(record.label, record)
        self.chooser.blockSignals(False)
        if current is None or not self.select(current.kind, current.record_id):
            self.chooser.setCurrentIndex(0 if records else -1)
        self._enable()

    async def export_selected(self, path: str | None = None) -> str | None:
        """Write the selected signed report or checkpoint where the officer chooses."""
        record = self.selected()
        if record is None:
            return None
        store = self.ctx.facade.store  # type: ignore[attr-defined]
        return await export_document(
            self,
            self.ctx,
            self.tr("Export signed document"),
            record.file_name,
            lambda: documents_export.signed_record(store, record),
            path=path,
        )
