"""Holdings: every client's valuation, the selected client's positions, totals, stress, charts."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Set as AbstractSet
from decimal import Decimal
from operator import attrgetter

from PySide6.QtCore import QByteArray, QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.desk_facade import ClientRow, HoldingsSnapshot, LineState
from app.ui import format as fmt
from app.ui import theme
from app.ui.context import DeskContext, LatestRead
from app.ui.models.holdings import ClientsModel, PositionsModel, TotalsModel
from app.ui.views.chart_slots import CompositionSlot, RatioHistorySlot
from app.ui.views.stress_panel import StressPanel
from app.ui.views.table import DeskTable, search_box

log = logging.getLogger(__name__)

#: Above this many clients the table is filled in chunks so the window never stalls.
CHUNKED_LOAD_THRESHOLD = 5000


def totals_row(clients: list[ClientRow]) -> ClientRow:
    """A synthetic 'TOTAL' row: sums of the money columns, the desk-wide ratio."""
    zero = Decimal(0)
    collateral = sum((c.collateral_value for c in clients), zero)
    exposure = sum((c.exposure for c in clients), zero)
    ratio = collateral / exposure if exposure else None
    worst = max(
        (c.state for c in clients),
        key=lambda s: {LineState.LIQUIDATION: 3, LineState.MARGIN_CALL: 2}.get(s, 1),
        default=LineState.HEALTHY,
    )
    return ClientRow(
        client_id="TOTAL",
        name=f"{len(clients)}",
        market_value=sum((c.market_value for c in clients), zero),
        collateral_value=collateral,
        credit_line=sum((c.credit_line for c in clients), zero),
        exposure=exposure,
        collateral_ratio=ratio,
        state=worst,
        to_margin_call=None,
        to_liquidation=None,
        eligible=all(c.eligible for c in clients),
        ineligible_reasons=(),
    )


async def totals_row_async(clients: list[ClientRow], step: int = 4000) -> ClientRow:
    """``totals_row`` for 100k clients in steps of a few milliseconds (no stall)."""
    rows: list[ClientRow] = []
    for start in range(0, len(clients), step):
        rows.append(totals_row(clients[start : start + step]))
        await asyncio.sleep(0)
    return totals_row(rows)._replace(name=f"{len(clients)}")


class HoldingsView(QWidget):
    """The first tab: what the desk holds for whom, and how close each client is to a line."""

    client_selected = Signal(str)  # client id, "" when none

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._reads = LatestRead()
        self.snapshot: HoldingsSnapshot | None = None
        self.setObjectName("holdingsView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        bar = QHBoxLayout()
        self.clients_model = ClientsModel(self)
        self.clients = DeskTable(self.clients_model, self.tr("Clients"))
        self.clients.setObjectName("clientsTable")
        self.search = search_box(
            self.clients, self.tr("Filter clients (Ctrl+F)…"), self.tr("Filter clients")
        )
        self.search.setMaximumWidth(480)  # the as-of line beside it must fit in Chinese too
        bar.addWidget(self.search, 2)
        self.state_filter = QComboBox()
        self.state_filter.setAccessibleName(self.tr("Filter by state"))
        self.state_filter.addItem(self.tr("All states"), "")
        for state, label in (
            (LineState.HEALTHY, self.tr("Healthy")),
            (LineState.MARGIN_CALL, self.tr("Margin call")),
            (LineState.LIQUIDATION, self.tr("Liquidation")),
        ):
            self.state_filter.addItem(label, state.value)
        self.state_filter.addItem(self.tr("Ineligible"), "eligible:no")
        self.state_filter.currentIndexChanged.connect(self._apply_state_filter)
        bar.addWidget(self.state_filter)
        self.as_of = QLabel()
        self.as_of.setObjectName("holdingsAsOf")
        bar.addWidget(self.as_of, 1, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(bar)
        # Every price's age; stale ones in red with the reason and the way out.
        self.freshness = QLabel()
        self.freshness.setObjectName("priceFreshness")
        self.freshness.setWordWrap(True)
        self.freshness.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.freshness)

        # Clients get the full width (every column, eligibility included, visible at
        # 1440 px); positions and the stress/chart tabs share the lower half.
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("holdingsSplitter")
        split.setChildrenCollapsible(False)
        self.splitter = split
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(0)
        top_layout.addWidget(self.clients, 1)
        self.totals_model = TotalsModel(self)
        self.totals = DeskTable(self.totals_model, self.tr("Totals"))
        self.totals.setObjectName("totalsTable")
        self.totals.horizontalHeader().setVisible(False)
        self.totals.setSortingEnabled(False)
        self.totals.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.totals.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.totals.setFixedHeight(self.totals.verticalHeader().defaultSectionSize() + 4)
        # Same font as the clients table (so the synced columns fit); the model paints
        # the band, in colours that follow the light/dark scheme.
        self.totals.setAlternatingRowColors(False)
        top_layout.addWidget(self.totals)
        header = self.clients.horizontalHeader()
        header.sectionResized.connect(lambda i, _o, n: self.totals.setColumnWidth(i, n))
        self.clients.horizontalScrollBar().valueChanged.connect(
            self.totals.horizontalScrollBar().setValue
        )
        split.addWidget(top)

        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.setObjectName("holdingsLowerSplitter")
        lower.setChildrenCollapsible(False)
        self.lower_splitter = lower
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 4, 0, 0)
        left_layout.setSpacing(2)
        self.positions_label = QLabel(self.tr("Positions"))
        self.positions_label.setObjectName("positionsLabel")
        left_layout.addWidget(self.positions_label)
        self.positions_model = PositionsModel(self)
        self._positions_of = ""  # whose positions the positions table shows
        self.positions = DeskTable(
            self.positions_model, self.tr("Positions of the selected client")
        )
        self.positions.setObjectName("positionsTable")
        left_layout.addWidget(self.positions, 1)
        lower.addWidget(left)

        self.side = QTabWidget()
        self.side.setObjectName("holdingsSideTabs")
        self.stress = StressPanel(ctx.facade)
        self.side.addTab(self.stress, self.tr("Stress"))
        self.composition = CompositionSlot()
        self.side.addTab(self.composition, self.tr("Composition"))
        self.history = RatioHistorySlot()
        self.side.addTab(self.history, self.tr("Ratio history"))
        lower.addWidget(self.side)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 1)
        lower.setSizes([865, 555])
        split.addWidget(lower)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([340, 400])
        layout.addWidget(split, 1)

        self.clients.selectionModel().currentRowChanged.connect(self._on_current_changed)
        # A filter that hides the current client leaves no valid current row.
        self.clients.proxy.layoutChanged.connect(self._follow_filter)
        self.clients.proxy.rowsRemoved.connect(self._follow_filter)
        ctx.data_changed.connect(self.schedule_reload)

    # --- loading -------------------------------------------------------------------
    def schedule_reload(self) -> None:
        """Slot for ``DeskContext.data_changed`` (a bound method: disconnected with the view)."""
        self.ctx.spawn(self.reload())

    async def reload(self) -> None:
        ticket = self._reads.ticket()
        snapshot = await self.ctx.facade.holdings()
        if self._reads.is_current(ticket):
            await self.show_snapshot(snapshot)

    async def show_snapshot(self, snapshot: HoldingsSnapshot) -> None:
        self.snapshot = snapshot
        current = self.clients.current_row()
        # Prepare acts on the selected clients: a reload must never change which ones.
        selected = set(self.selected_client_ids())
        clients = list(snapshot.clients)
        updated = self.clients_model.update_rows(clients, attrgetter("client_id"))
        if updated is not None:
            # The same clients, at most a few rows replaced (another workstation's
            # commit): no reload of the table, the selection stays where it is.
            await self._show_update(snapshot, clients, changed=updated)
            return
        if len(clients) > CHUNKED_LOAD_THRESHOLD:
            self.as_of.setText(self.tr("Loading %1 clients…").replace("%1", f"{len(clients):,}"))
            await self.clients.load_large(clients)
            total = await totals_row_async(clients)
        else:
            self.clients_model.set_rows(clients)
            total = totals_row(clients)
        self._show_totals(clients, total)
        self._show_around_table(snapshot)
        self._reselect(current.client_id if isinstance(current, ClientRow) else None, selected)

    def _show_totals(self, clients: list[ClientRow], total: ClientRow) -> None:
        total = total._replace(
            client_id=self.tr("TOTAL"),
            name=self.tr("%1 clients").replace("%1", f"{len(clients):,}"),
        )
        counts = Counter(c.state for c in clients)
        ineligible = sum(1 for c in clients if not c.eligible)
        self.totals_model.set_totals(total, dict(counts), ineligible)
        for column in range(self.clients_model.columnCount()):
            # The TOTAL line's figures are the widest: widen the shared column for them.
            needed = self.totals.sizeHintForColumn(column)
            if needed > self.clients.columnWidth(column):
                self.clients.setColumnWidth(column, needed)
            self.totals.setColumnWidth(column, self.clients.columnWidth(column))

    async def _show_update(
        self, snapshot: HoldingsSnapshot, clients: list[ClientRow], *, changed: bool
    ) -> None:
        if changed:  # a replaced row may move a total (unchanged rows: the same totals)
            self._show_totals(clients, await totals_row_async(clients))
        self._show_around_table(snapshot)
        self._refresh_current(changed=changed)  # its positions, as of this snapshot

    def _show_around_table(self, snapshot: HoldingsSnapshot) -> None:
        """Everything the view shows beside the clients table, from ``snapshot``."""
        self.as_of.setText(
            self.tr("As of %1 · amounts in USD · margin call below %2 · liquidation below %3")
            .replace("%1", fmt.utc(snapshot.as_of))
            .replace("%2", fmt.ratio(snapshot.margin_call_ratio))
            .replace("%3", fmt.ratio(snapshot.liquidation_ratio))
        )
        self._show_freshness(snapshot)
        self.composition.set_values(snapshot.collateral_by_asset)
        self.stress.set_assets(sorted(snapshot.prices))  # and recomputes the what-if

    def _reselect(self, client_id: str | None, selected: AbstractSet[str] = frozenset()) -> None:
        """Restore the current row and every selected client, by id, after a reload."""
        proxy = self.clients.proxy
        if not proxy.rowCount():
            return
        current = 0
        selected_rows: list[int] = []
        # One list scan (milliseconds for 100k rows), not one proxy lookup per row.
        for source_row, row in enumerate(self.clients_model.rows):
            if row.client_id != client_id and row.client_id not in selected:
                continue
            mapped = proxy.mapFromSource(self.clients_model.index(source_row, 0))
            if not mapped.isValid():
                continue  # filtered out: it cannot stay selected
            if row.client_id == client_id:
                current = mapped.row()
            if row.client_id in selected:
                selected_rows.append(mapped.row())
        if len(selected_rows) <= 1:
            self.clients.selectRow(current)
            return
        selection = QItemSelection()
        last_column = proxy.columnCount() - 1
        for row_number in selected_rows:
            selection.select(proxy.index(row_number, 0), proxy.index(row_number, last_column))
        model = self.clients.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        model.setCurrentIndex(proxy.index(current, 0), flags.NoUpdate)
        model.select(selection, flags.ClearAndSelect | flags.Rows)

    # --- selection -----------------------------------------------------------------
    def _refresh_current(self, *, changed: bool) -> None:
        """The current client's positions after a reload that kept the table's rows.

        When no client row moved (another workstation's commit that changed no
        figure) the positions are replaced in place: no refit of the columns, no new
        history read, so such a reload costs the window milliseconds.
        """
        row = self.clients.current_row()
        if (
            not changed
            and self.snapshot is not None
            and isinstance(row, ClientRow)
            and row.client_id == self._positions_of
        ):
            positions = list(self.snapshot.positions.get(row.client_id, ()))
            if self.positions_model.update_rows(positions, attrgetter("asset")) is not None:
                return
        self._on_current_changed()

    def _on_current_changed(self, *_: object) -> None:
        row = self.clients.current_row()
        self._positions_of = row.client_id if isinstance(row, ClientRow) else ""
        if not isinstance(row, ClientRow) or self.snapshot is None:
            # e.g. the selected client was filtered out: no stale header over no rows
            self.positions_model.set_rows([])
            self.composition.set_client("", {})
            self.positions_label.setText(
                self.tr("Positions: no client selected (or filtered out)")
            )
            self.client_selected.emit("")
            return
        positions = list(self.snapshot.positions.get(row.client_id, ()))
        self.positions_model.set_rows(positions)
        by_asset: dict[str, Decimal] = {}
        for p in positions:
            by_asset[p.asset] = by_asset.get(p.asset, Decimal(0)) + p.collateral_value
        self.composition.set_client(f"{row.name} ({row.client_id})", by_asset)
        self.positions_label.setText(
            self.tr("Positions of %1 (%2)").replace("%1", row.name).replace("%2", row.client_id)
        )
        self.client_selected.emit(row.client_id)
        self.ctx.spawn(self._load_history(row))

    def _follow_filter(self, *_: object) -> None:
        if not isinstance(self.clients.current_row(), ClientRow):
            self._on_current_changed()

    async def _load_history(self, row: ClientRow) -> None:
        points = await self.ctx.facade.ratio_history(row.client_id)
        if self.snapshot is not None:
            self.history.set_history(
                row.name, points, self.snapshot.margin_call_ratio, self.snapshot.liquidation_ratio
            )

    def _show_freshness(self, snapshot: HoldingsSnapshot) -> None:
        ages = list(snapshot.price_ages)
        stale = [a for a in ages if a.stale]
        if stale:
            items = "; ".join(
                self.tr("%1 %2 old (limit %3, %4)")
                .replace("%1", a.asset)
                .replace("%2", fmt.age(a.age))
                .replace("%3", fmt.age(a.limit))
                .replace("%4", fmt.price_source(a.point.source))
                for a in stale
            )
            self.freshness.setText(
                self.tr(
                    "⚠ Stale prices: %1. No attestation or top-up can be prepared on them:"
                    " import a fresh snapshot (File → Import snapshot…, Ctrl+O)."
                ).replace("%1", items)
            )
            self.freshness.setStyleSheet(f"color: {theme.bad().name()}; font-weight: 600;")
        else:
            by_source: dict[str, list[str]] = {}
            for a in ages:
                by_source.setdefault(fmt.price_source(a.point.source), []).append(
                    f"{a.asset} {fmt.age(a.age)}"
                )
            self.freshness.setText(
                " · ".join(
                    self.tr("Prices from %1: %2").replace("%1", source).replace("%2", ", ".join(v))
                    for source, v in by_source.items()
                )
                or self.tr("No prices: import a snapshot (File → Import snapshot…, Ctrl+O).")
            )
            self.freshness.setStyleSheet("")

    def selected_client_ids(self) -> list[str]:
        return [r.client_id for r in self.clients.selected_rows() if isinstance(r, ClientRow)]

    def _apply_state_filter(self) -> None:
        state = self.state_filter.currentData()
        tag = str(state or "")
        self.clients.proxy.set_tag(tag if ":" in tag or not tag else f"state:{tag}")

    def save_state(self) -> dict[str, QByteArray]:
        """Splitter and column layout, for QSettings."""
        return {
            "holdings/splitter": self.splitter.saveState(),
            "holdings/lower": self.lower_splitter.saveState(),
            "holdings/clients": self.clients.horizontalHeader().saveState(),
        }

    def restore_state(self, values: dict[str, QByteArray]) -> None:
        if "holdings/splitter" in values:
            self.splitter.restoreState(values["holdings/splitter"])
            # A layout saved by an older desk (side panel on the right) is not reused.
            self.splitter.setOrientation(Qt.Orientation.Vertical)
        if "holdings/lower" in values:
            self.lower_splitter.restoreState(values["holdings/lower"])
        if "holdings/clients" in values:
            self.clients.horizontalHeader().restoreState(values["holdings/clients"])
            self.clients.keep_column_widths()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def resize_columns(self) -> None:
        self.clients.horizontalHeader().resizeSections(QHeaderView.ResizeMode.ResizeToContents)
