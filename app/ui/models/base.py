"""A typed table model over immutable rows, and the proxy every view sorts and filters through.

Each concrete model declares its columns once, as ``ColumnSpec`` entries keyed
by a ``Column`` enum: header, how to display, how to sort, alignment and colour.
Rows are frozen dataclasses, so a view can never edit what the store said.

Sorting is done by the source model (one Python ``list.sort`` with a key,
which is what makes a 1,000,000-row sort take about a second instead of
minutes of C++ -> Python comparator calls); the proxy only filters.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from app.ui.theme import brush

log = logging.getLogger(__name__)

RowT = TypeVar("RowT")
ColumnT = TypeVar("ColumnT", bound=IntEnum)

AnyIndex = QModelIndex | QPersistentModelIndex

#: Role carrying the row object itself (for views and tests).
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role with the raw, sortable value of a cell (Decimal, datetime, str...).
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
#: Role with one lowercase string per row that the filter matches against.
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_HANDLED_ROLES = frozenset(
    {
        _DISPLAY,
        _ALIGN,
        _FOREGROUND,
        _BACKGROUND,
        _TOOLTIP,
        int(ROW_ROLE),
        int(SORT_ROLE),
        int(SEARCH_ROLE),
    }
)

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class ColumnSpec(Generic[RowT]):
    """How one column shows and sorts a row."""

    header: str  # untranslated source text, translated with the model's context
    display: Callable[[RowT], str]
    sort_key: Callable[[RowT], Any]
    align: Qt.AlignmentFlag = LEFT
    foreground: Callable[[RowT], QColor | None] | None = None
    background: Callable[[RowT], QColor | None] | None = None
    tooltip: Callable[[RowT], str] | None = None
    header_tip: str = ""  # untranslated; explains a short header


_FEW = 200  # replaced rows ``update_rows`` repaints one by one; more: one reset


class RowTableModel(QAbstractTableModel, Generic[RowT, ColumnT]):
    """Read-only table of immutable rows; subclasses provide ``columns()``."""

    #: Emitted after rows were replaced or appended (count of rows now held).
    rows_changed = Signal(int)

    CONTEXT = "RowTableModel"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []
        self._specs: list[ColumnSpec[RowT]] = list(self.columns())
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # --- to override -------------------------------------------------------
    def columns(self) -> Sequence[ColumnSpec[RowT]]:
        """Column specs in ``Column`` enum order."""
        raise NotImplementedError

    def search_text(self, row: RowT) -> str:
        """Text the filter box matches against (lowercase)."""
        return " ".join(spec.display(row) for spec in self._specs).lower()

    # --- Qt model API ------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._specs)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Hot path (a repaint asks ~8 roles per visible cell): plain int compares,
        # unhandled roles leave first.
        if role not in _HANDLED_ROLES or not index.isValid():
            return None
        n = index.row()
        if n >= len(self._rows):
            return None
        row = self._rows[n]
        spec = self._specs[index.column()]
        if role == _DISPLAY:
            return spec.display(row)
        if role == _ALIGN:
            return int(spec.align.value)
        if role == _FOREGROUND:
            if spec.foreground is None:
                return None
            color = spec.foreground(row)
            return brush(color) if color is not None else None
        if role == _BACKGROUND:
            if spec.background is None:
                return None
            color = spec.background(row)
            return brush(color) if color is not None else None
        if role == _TOOLTIP:
            return (spec.tooltip(row) or None) if spec.tooltip is not None else None
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return str(spec.sort_key(row))
        return self.search_text(row)  # SEARCH_ROLE

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._specs):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate(self.CONTEXT, self._specs[section].header)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(self._specs[section].align.value)
            if role == Qt.ItemDataRole.ToolTipRole and self._specs[section].header_tip:
                return QCoreApplication.translate(self.CONTEXT, self._specs[section].header_tip)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._specs):
            return
        self._sort = (column, order)
        key = self._specs[column].sort_key
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_rows = [self._rows[i.row()] for i in persistent]
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        if persistent:
            where = {id(r): n for n, r in enumerate(self._rows)}
            new = [
                self.index(where[id(r)], i.column())
                for r, i in zip(old_rows, persistent, strict=True)
            ]
            self.changePersistentIndexList(persistent, new)
        self.layoutChanged.emit()

    # --- rows --------------------------------------------------------------
    @property
    def rows(self) -> Sequence[RowT]:
        return tuple(self._rows)

    def find(self, key: Callable[[RowT], Any], value: Any) -> int | None:
        """Source row of the first row whose ``key(row) == value`` (a C-speed scan)."""
        try:
            return list(map(key, self._rows)).index(value)
        except ValueError:
            return None

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

    def set_rows(self, rows: Sequence[RowT]) -> None:
        """Replace every row at once (one model reset), keeping the current sort."""
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None:
            column, order = self._sort
            self._rows.sort(
                key=self._specs[column].sort_key, reverse=order == Qt.SortOrder.DescendingOrder
            )
        self.endResetModel()
        self.rows_changed.emit(len(self._rows))

    def update_rows(self, rows: Sequence[RowT], key: Callable[[RowT], Any]) -> bool | None:
        """Take ``rows`` without a reset when they are the shown rows with at most a few
        row objects replaced (same count, same ``key`` for each replacement, and the
        same place in the current sort): only the replaced rows repaint, and the
        selection stays. True: some rows were replaced; False: none changed (the very
        same objects); None: not such an update (nothing done; call ``set_rows``).

        A shared desk reloads on every other workstation's commit, and most reloads
        change no row (or one client's): a reset of 100,000 rows was seconds of work.
        """
        old = self._rows
        if not old or len(old) != len(rows):
            return None
        if all(map(operator.is_, old, rows)):
            return False  # the very rows, in order (one C loop: milliseconds for 100,000)
        shown = {id(r) for r in old}
        fresh = [r for r in rows if id(r) not in shown]
        if not fresh:
            return False
        if len(fresh) > _FEW:
            return None
        by_key = {key(r): r for r in fresh}
        sort_key = self._specs[self._sort[0]].sort_key if self._sort is not None else None
        kept = {id(r) for r in rows}
        swaps: list[tuple[int, RowT]] = []
        for number, row in enumerate(old):
            if id(row) in kept:
                continue
            new = by_key.get(key(row))
            if new is None or (sort_key is not None and sort_key(new) != sort_key(row)):
                return None
            swaps.append((number, new))
        if len(swaps) != len(fresh):
            return None
        last = len(self._specs) - 1
        for number, new in swaps:
            old[number] = new
            self.dataChanged.emit(self.index(number, 0), self.index(number, last))
        return True

    def append_rows(self, rows: Sequence[RowT]) -> None:
        """Append rows at the end (sort is not re-applied: call ``sort`` after a chunked load)."""
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()
        self.rows_changed.emit(len(self._rows))

    async def load_in_chunks(self, rows: Sequence[RowT], chunk: int = 1000) -> None:
        """Replace the rows a chunk at a time, yielding to the event loop between chunks.

        Keeps every main-thread step short so the window never stalls while a
        100,000-row table loads. The current sort is applied cooperatively on
        this thread (sorted runs, then a lazy merge consumed a slice at a time):
        a worker thread would fight the GUI thread for the GIL and stall it more.
        """
        ordered: Sequence[RowT] = rows
        if self._sort is not None:
            column, order = self._sort
            ordered = await cooperative_sort(
                rows, self._specs[column].sort_key, order == Qt.SortOrder.DescendingOrder
            )
        sort, self._sort = self._sort, None  # appended rows are already in order
        try:
            self.set_rows(())
            for start in range(0, len(ordered), chunk):
                self.append_rows(ordered[start : start + chunk])
                await asyncio.sleep(0)
        finally:
            self._sort = sort

    def refresh_cells(self) -> None:
        """Repaint every cell (e.g. a countdown column) without changing rows."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self._specs) - 1)
            )


async def cooperative_sort(
    rows: Sequence[RowT], key: Callable[[RowT], Any], reverse: bool, run: int = 8000
) -> list[RowT]:
    """``sorted(rows, key=key, reverse=reverse)`` in steps of a few milliseconds each."""
    runs: list[list[RowT]] = []
    for start in range(0, len(rows), run):
        runs.append(sorted(rows[start : start + run], key=key, reverse=reverse))
        await asyncio.sleep(0)
    merged = heapq.merge(*runs, key=key, reverse=reverse)
    result: list[RowT] = []
    while True:
        step = list(itertools.islice(merged, run // 4))  # merging costs more per item
        if not step:
            return result
        result.extend(step)
        await asyncio.sleep(0)


async def cooperative_sum(values: Iterable[Decimal], step: int = 5000) -> Decimal:
    """Sum many Decimals without holding the GUI thread for more than a few milliseconds."""
    total = Decimal(0)
    iterator = iter(values)
    while True:
        part = list(itertools.islice(iterator, step))
        if not part:
            return total
        total += sum(part, Decimal(0))
        await asyncio.sleep(0)


class RowFilterProxy(QSortFilterProxyModel):
    """Filters by a search string; delegates sorting to the source model."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFilterRole(SEARCH_ROLE)
        self.setFilterKeyColumn(0)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    _search = ""
    _tag = ""

    def set_search(self, text: str) -> None:
        """Rows whose search text contains ``text`` (case-insensitive)."""
        self._search = text.strip().lower()
        self._apply()

    def set_tag(self, tag: str) -> None:
        """Also require a tag token (e.g. ``state:margin_call``) the model puts in search text."""
        self._tag = tag.strip().lower()
        self._apply()

    def _apply(self) -> None:
        parts = [p for p in (self._search, self._tag) if p]
        if not parts:
            self.setFilterFixedString("")
        elif len(parts) == 1:
            self.setFilterFixedString(parts[0])
        else:
            pattern = "".join(f"(?=.*{QRegularExpression.escape(p)})" for p in parts)
            self.setFilterRegularExpression(QRegularExpression(f"^{pattern}"))

    def row_object(self, proxy_row: int) -> Any:
        src = self.mapToSource(self.index(proxy_row, 0))
        return src.data(ROW_ROLE)
