"""A dense, sortable, keyboard-friendly table view over a RowTableModel + filter proxy."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionHeader,
    QTableView,
    QWidget,
)

from app.ui.models.base import RowFilterProxy, RowTableModel


class HeaderStyle(QProxyStyle):
    """Keeps a header's text clear of its sort arrow.

    Some styles (Fusion among them) draw a right-aligned label up to the section's
    edge and the sort arrow over it ("Collateral rati▾"); the label of a sorted
    section is given the space left of the arrow.
    """

    def label_rect(self, option: QStyleOptionHeader) -> QRect:
        """Where the label of ``option``'s section is drawn."""
        if option.sortIndicator == QStyleOptionHeader.SortIndicator.None_:
            return QRect(option.rect)
        arrow = self.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize) + 2 * self.pixelMetric(
            QStyle.PixelMetric.PM_HeaderMargin
        )
        return option.rect.adjusted(0, 0, -arrow, 0)

    def drawControl(  # noqa: N802 - Qt's name
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.ControlElement.CE_HeaderLabel and isinstance(
            option, QStyleOptionHeader
        ):
            narrowed = QStyleOptionHeader(option)
            narrowed.rect = self.label_rect(option)
            super().drawControl(element, narrowed, painter, widget)
            return
        super().drawControl(element, option, painter, widget)


_HEADER_STYLE: HeaderStyle | None = None


def header_style() -> HeaderStyle:
    """One proxy over the application's style, shared by every table header."""
    global _HEADER_STYLE  # noqa: PLW0603 - one style object for the process, like QApplication's
    if _HEADER_STYLE is None:
        _HEADER_STYLE = HeaderStyle()
    return _HEADER_STYLE


class DeskTable(QTableView):
    """Row selection, sorting by header click, uniform row heights for big tables."""

    def __init__(
        self, model: RowTableModel[Any, Any], accessible_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.source = model
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)
        self.setAccessibleName(accessible_name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setStyle(header_style())  # the sort arrow never covers the label
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Fitting columns samples this many rows, not the whole (maybe 100k-row) table.
        header.setResizeContentsPrecision(64)
        model.rows_changed.connect(self._fit_once)
        self._fitted = False
        self._keep_widths = False
        self._placeholder = ""
        self.resizeColumnsToContents()  # at least the headers are readable before data

    def _fit_once(self, count: int) -> None:
        # Small tables follow their content; a big one is sized once (sampling rows).
        if self._keep_widths:
            return
        if count and (count <= 500 or not self._fitted):
            self._fitted = True
            self.resizeColumnsToContents()

    def keep_column_widths(self) -> None:
        """The officer's saved widths win: no more fitting to content."""
        self._fitted = True
        self._keep_widths = True

    def stretch_column(self, column: int) -> None:
        """Let a text column take the spare width (not the last, often numeric, one)."""
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def set_placeholder(self, text: str) -> None:
        """What an empty table says (e.g. how to create the first item)."""
        self._placeholder = text
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._placeholder and self.proxy.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            rect = self.viewport().rect().adjusted(12, 12, -12, -12)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(rect, int(flags.value), self._placeholder)
            painter.end()

    async def load_large(self, rows: Sequence[Any]) -> None:
        """Load many rows without a main-thread stall.

        A view reacting to inserted rows costs ~10 ms per chunk at 100k rows, so
        the proxy is detached while the model fills (in chunks, sorted off-thread)
        and re-attached once: the view then lays out a single reset lazily.
        """
        # The rows are long-lived: keep the cyclic GC from rescanning them (a
        # full collection over a million fresh objects is a 50-100 ms pause).
        gc.freeze()
        self.proxy.setSourceModel(None)  # type: ignore[arg-type]
        try:
            await self.source.load_in_chunks(rows)
        finally:
            self.proxy.setSourceModel(self.source)

    def selected_rows(self) -> list[Any]:
        """The row objects of the selected lines, in view order."""
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        return [self.proxy.row_object(r) for r in rows]

    def current_row(self) -> Any:
        index = self.currentIndex()
        return self.proxy.row_object(index.row()) if index.isValid() else None

    def select_first(self) -> None:
        if self.proxy.rowCount():
            self.selectRow(0)


def search_box(table: DeskTable, placeholder: str, accessible_name: str) -> QLineEdit:
    box = QLineEdit()
    box.setPlaceholderText(placeholder)
    box.setAccessibleName(accessible_name)
    box.setClearButtonEnabled(True)
    box.textChanged.connect(table.proxy.set_search)
    return box
