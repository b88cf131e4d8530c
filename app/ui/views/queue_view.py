"""Scaffolding shared by the queue views (margin calls, emergency orders).

Each is a table of rows over a details pane for the selected row, with a
countdown column repainted every second, reloads and detail reads where the
newest request wins, the selection kept by id across reloads, and signing on
the officer's own device.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.services.desk_facade import DeviceRow, RefusedError
from app.ui.context import DeskContext, LatestRead, show_refusal
from app.ui.models.base import RowTableModel
from app.ui.signing_flow import SigningFlow
from app.ui.views.table import DeskTable

log = logging.getLogger(__name__)

RowT = TypeVar("RowT")
DetailT = TypeVar("DetailT")
DetailT_contra = TypeVar("DetailT_contra", contravariant=True)


class DetailsPane(Protocol[DetailT_contra]):
    """The details widget under a queue table."""

    def show_detail(self, detail: DetailT_contra | None) -> None: ...

    def tick(self) -> None: ...


class QueueView(QWidget, Generic[RowT, DetailT]):
    """A table of ``RowT`` over a details pane showing the selected row's ``DetailT``.

    A subclass builds its actions, ``self.model`` and ``self.table``, then calls
    :meth:`_place_table`; it supplies :meth:`_row_id`, :meth:`_fetch_detail` and
    the column to repaint each second (``countdown_column``).
    """

    model: RowTableModel[RowT, Any]
    table: DeskTable

    def __init__(
        self,
        ctx: DeskContext,
        row_type: type[RowT],
        countdown_column: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._row_type = row_type
        self._countdown_column = countdown_column
        self._reads = LatestRead(show_older=True)  # its own acts come back as NOTIFY
        self._detail_reads = LatestRead(show_older=True)  # only for the row still selected
        self.last_flow: SigningFlow | None = None
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(6, 6, 6, 6)

    def _row_id(self, row: RowT) -> str:
        raise NotImplementedError

    async def _fetch_detail(self, row: RowT) -> DetailT:
        raise NotImplementedError

    def _place_table(
        self, details: DetailsPane[DetailT], stretch: tuple[int, int], sizes: list[int]
    ) -> None:
        """Put the table over ``details`` and start the one-second countdown repaint."""
        assert isinstance(details, QWidget)
        self._details_pane = details
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(details)
        split.setStretchFactor(0, stretch[0])
        split.setStretchFactor(1, stretch[1])
        split.setSizes(sizes)
        self.box.addWidget(split, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    async def load_detail(self) -> None:
        """Fill the details pane for the selected row (the newest request wins)."""
        ticket = self._detail_reads.ticket()
        row = self._current()
        if row is None:
            self._details_pane.show_detail(None)
            return
        try:
            detail = await self._fetch_detail(row)
        except RefusedError:
            log.info("no details for %s", self._row_id(row), exc_info=True)
            return
        shown = self._current()
        if shown is None or self._row_id(shown) != self._row_id(row):
            return  # the officer moved on to another row meanwhile
        if self._detail_reads.is_current(ticket):
            self._details_pane.show_detail(detail)

    def _tick(self) -> None:
        self._details_pane.tick()
        # Only the countdown column changes: repaint it, no reload.
        if self.model.rowCount():
            column = self._countdown_column
            self.model.dataChanged.emit(
                self.model.index(0, column), self.model.index(self.model.rowCount() - 1, column)
            )

    def _current(self) -> RowT | None:
        row = self.table.current_row()
        return row if isinstance(row, self._row_type) else None

    def schedule_reload(self) -> None:
        """Slot for ``DeskContext.data_changed`` (a bound method: disconnected with the view)."""
        self.ctx.spawn(self.reload())

    async def reload(self) -> None:
        raise NotImplementedError

    def _show_rows(self, rows: Sequence[RowT]) -> None:
        """Show ``rows``, keeping the selected row (by id) or else selecting the first."""
        current = self._current()
        self.model.set_rows(rows)
        if current is not None:
            self.select(self._row_id(current))
        elif self.model.rowCount():
            self.table.selectRow(0)

    def select(self, row_id: str) -> None:
        for row in range(self.table.proxy.rowCount()):
            if self._row_id(self.table.proxy.row_object(row)) == row_id:
                self.table.selectRow(row)
                return

    def _signing_device(self, device_uri: str | None = None) -> DeviceRow | None:
        """The device at ``device_uri`` (when connected), else the officer's own device;
        ``None`` after telling the officer there is none."""
        device = self.ctx.device_for_officer()
        if device_uri is not None:
            device = next((d for d in self.ctx.devices if d.uri == device_uri), device)
        if device is None:
            show_refusal(
                self, RefusedError([self.tr("No signing device found.")]), self.tr("No device")
            )
        return device
