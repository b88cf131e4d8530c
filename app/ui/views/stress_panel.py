"""Live what-if: price shocks per asset and who would cross which line."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from operator import attrgetter

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.desk_facade import DeskFacade, LineState, StressRow
from app.ui import format as fmt
from app.ui.models.holdings import StressColumn, StressModel
from app.ui.views.table import DeskTable

log = logging.getLogger(__name__)

_ORDER = {LineState.HEALTHY: 0, LineState.NO_EXPOSURE: 0, LineState.MARGIN_CALL: 1}


def _crossed(row: StressRow) -> bool:
    return _ORDER.get(row.state_after, 2) > _ORDER.get(row.state_before, 2)


class StressPanel(QWidget):
    """Shock spin boxes (percent per asset) feeding the facade's pure stress function."""

    results_changed = Signal(int)  # how many clients would cross a line

    def __init__(self, facade: DeskFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.spins: dict[str, QDoubleSpinBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Two assets per row: the results table keeps the height.
        self.form = QGridLayout()
        self.form.setHorizontalSpacing(8)
        layout.addLayout(self.form)
        presets = QHBoxLayout()
        self.btc_preset = QPushButton(self.tr("BTC −25%"))
        self.btc_preset.setToolTip(self.tr("Alt+B"))
        self.btc_preset.setShortcut(QKeySequence("Alt+B"))
        self.btc_preset.clicked.connect(lambda: self.apply({"BTC": Decimal("-25")}))
        self.depeg_preset = QPushButton(self.tr("USDC depeg to 0.97"))
        self.depeg_preset.setShortcut(QKeySequence("Alt+U"))
        self.depeg_preset.clicked.connect(lambda: self.apply({"USDC": Decimal("-3")}))
        self.reset_button = QPushButton(self.tr("Reset shocks"))
        self.reset_button.setShortcut(QKeySequence("Alt+0"))
        self.reset_button.clicked.connect(lambda: self.apply({}))
        for button in (self.btc_preset, self.depeg_preset, self.reset_button):
            presets.addWidget(button)
        presets.addStretch(1)
        layout.addLayout(presets)
        self.summary = QLabel()
        self.summary.setObjectName("stressSummary")
        self.summary.setWordWrap(True)
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing() * 2 + 4)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.summary)
        self.model = StressModel(self)
        self.table = DeskTable(self.model, self.tr("Stress results"))
        self.model.sort(StressColumn.STATE_AFTER, Qt.SortOrder.AscendingOrder)
        # Ids suffice in a side panel; the ratio now is coloured by the state now.
        self.table.setColumnHidden(StressColumn.NAME, True)
        self.table.setColumnHidden(StressColumn.STATE_BEFORE, True)
        layout.addWidget(self.table, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(60)
        self._debounce.timeout.connect(self.recompute)
        self._generation = 0  # a newer recompute makes an older worker's result stale
        self._task: asyncio.Task[None] | None = None
        self._shown_shocks: dict[str, Decimal] | None = None  # what the results are under

    def set_assets(self, assets: Sequence[str]) -> None:
        for asset in assets:
            if asset in self.spins:
                continue
            spin = QDoubleSpinBox()
            spin.setRange(-100.0, 200.0)
            spin.setDecimals(1)
            spin.setSingleStep(1.0)
            spin.setSuffix(" %")
            spin.setMaximumWidth(120)
            spin.setAccessibleName(self.tr("Price shock for %1").replace("%1", asset))
            spin.valueChanged.connect(lambda _v: self._debounce.start())
            row, pair = divmod(len(self.spins), 2)
            label = QLabel(self.tr("%1 price change:").replace("%1", asset))
            label.setBuddy(spin)
            self.form.addWidget(label, row, pair * 2)
            self.form.addWidget(spin, row, pair * 2 + 1)
            self.spins[asset] = spin
        self.recompute()

    def shocks(self) -> dict[str, Decimal]:
        """Shocks as fractions (−25 % -> Decimal('-0.25')); a spin box's value is not money."""
        result: dict[str, Decimal] = {}
        for asset, spin in self.spins.items():
            pct = Decimal(f"{spin.value():.1f}")
            if pct:
                result[asset] = pct / 100
        return result

    def apply(self, percents: dict[str, Decimal]) -> None:
        for asset, spin in self.spins.items():
            spin.blockSignals(True)
            spin.setValue(float(percents.get(asset, Decimal(0))))
            spin.blockSignals(False)
        self.recompute()

    def recompute(self) -> None:
        """Recompute the what-if: off the GUI thread when the event loop runs (100,000
        clients take seconds to value); a newer shock supersedes an older one."""
        shocks = self.shocks()
        self._generation += 1
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop running (a test between loop runs): compute here
            self._show(list(self.facade.stress(shocks)), shocks)
            return
        if shocks:
            self.summary.setText(self.tr("Computing the shock…"))
        self._task = loop.create_task(self._compute(self._generation, shocks))

    async def settled(self) -> None:
        """Wait until the latest recompute has shown its result."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def _compute(self, generation: int, shocks: Mapping[str, Decimal]) -> None:
        try:
            rows = await asyncio.to_thread(lambda: list(self.facade.stress(shocks)))
        except Exception:
            log.exception("stress recompute failed")
            self.summary.setText(self.tr("The shock could not be computed (see the log)."))
            return
        if generation == self._generation:
            self._show(rows, shocks)

    def _show(self, rows: list[StressRow], shocks: Mapping[str, Decimal]) -> None:
        updated = self.model.update_rows(rows, attrgetter("client_id"))
        if updated is None:
            self.model.set_rows(rows)
        elif not updated and dict(shocks) == self._shown_shocks:
            return  # the very rows already shown, under the same shock (a reload)
        self._shown_shocks = dict(shocks)
        crossing = [r for r in rows if _crossed(r)]
        shortfall = sum((r.shortfall for r in rows), Decimal(0))
        if not shocks:
            self.summary.setText(
                self.tr("No shock applied: set a price change to see who crosses a line.")
            )
        elif crossing:
            names = ", ".join(r.client_id for r in crossing[:6])
            more = "" if len(crossing) <= 6 else f" +{len(crossing) - 6}"
            self.summary.setText(
                # Qt's plural forms (%n): "1 client would…", "2 clients would…"
                self.tr(
                    "%n client(s) would cross a line: %2. Total shortfall USD %3.",
                    "",
                    len(crossing),
                )
                .replace("%2", names + more)
                .replace("%3", fmt.usd(shortfall))
            )
        else:
            self.summary.setText(
                self.tr(
                    "No client crosses a line under this shock. Total shortfall USD %1."
                ).replace("%1", fmt.usd(shortfall))
            )
        self.results_changed.emit(len(crossing))
