"""Chart placeholders that build their QtCharts view on first show.

Importing QtCharts and building a chart costs tens of milliseconds; the
holdings tab opens on the stress panel, so the charts wait until looked at.
Data set before that is kept and applied when the chart is built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from app.services.desk_facade import RatioPoint
from app.ui import format as fmt

if TYPE_CHECKING:
    from app.ui.views.charts import CompositionChart, RatioHistoryChart


class CompositionSlot(QWidget):
    """Collateral by asset, desk-wide or of the selected client; the pie appears on
    first show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compositionChart")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.scope = QComboBox()
        self.scope.setObjectName("compositionScope")
        self.scope.setAccessibleName(self.tr("Composition of"))
        self.scope.addItem(self.tr("Whole desk"), "desk")
        self.scope.addItem(self.tr("Selected client"), "client")
        self.scope.currentIndexChanged.connect(lambda _i: self._apply())
        self._layout.addWidget(self.scope, 0, Qt.AlignmentFlag.AlignLeft)
        self.chart: CompositionChart | None = None
        self.values: dict[str, Decimal] = {}  # the desk's
        self.client_values: dict[str, Decimal] = {}
        self.client_name = ""

    def set_values(self, by_asset: Mapping[str, Decimal]) -> None:
        self.values = dict(by_asset)
        self._apply()

    def set_client(self, name: str, by_asset: Mapping[str, Decimal]) -> None:
        """The selected client's collateral by asset ("" and {} when none is selected)."""
        self.client_name = name
        self.client_values = dict(by_asset)
        self._apply()

    def shown(self) -> tuple[str, dict[str, Decimal]]:
        """(title, values) the pie shows now."""
        if self.scope.currentData() == "client":
            if not self.client_name:
                return self.tr("No client selected"), {}
            return (
                self.tr("Collateral of %1 by asset").replace("%1", self.client_name),
                self.client_values,
            )
        return self.tr("Desk collateral by asset"), self.values

    def _apply(self) -> None:
        if self.chart is not None:
            title, values = self.shown()
            self.chart.set_values(values, title)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self.chart is None:
            from app.ui.views.charts import CompositionChart

            self.chart = CompositionChart(self)
            self._layout.addWidget(self.chart, 1)
            self._apply()
        super().showEvent(event)


class RatioHistorySlot(QWidget):
    """Holds a client's ratio history; the line chart appears on first show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratioHistoryChart")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.chart: RatioHistoryChart | None = None
        self.pending: tuple[str, list[RatioPoint], Decimal, Decimal] | None = None
        # Said instead of drawing meaningless axes: no exposure, or one snapshot only.
        self.note = QLabel()
        self.note.setObjectName("ratioHistoryNote")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self.note)
        self.note.setText(self.tr("Select a client to see its collateral ratio over time."))

    @property
    def points(self) -> list[RatioPoint]:
        return [] if self.pending is None else self.pending[1]

    def set_history(
        self, client: str, points: Sequence[RatioPoint], margin_call: Decimal, liquidation: Decimal
    ) -> None:
        self.pending = (client, list(points), margin_call, liquidation)
        self._show_note(client, list(points))
        if self.chart is not None:
            self.chart.set_history(*self.pending)

    def drawable(self) -> bool:
        """Two points or more: a line over time means something."""
        return len(self.points) >= 2

    def _show_note(self, client: str, points: list[RatioPoint]) -> None:
        if not points:
            text = self.tr(
                "%1 has no exposure in any stored snapshot: there is no collateral ratio to chart."
            ).replace("%1", client)
        elif len(points) == 1:
            text = (
                self.tr(
                    "Only one snapshot so far for %1: collateral ratio %2 at %3. A history"
                    " appears once a second snapshot is imported."
                )
                .replace("%1", client)
                .replace("%2", fmt.ratio(points[0].ratio))
                .replace("%3", fmt.utc(points[0].time))
            )
        else:
            text = ""
        self.note.setText(text)
        self.note.setVisible(bool(text))
        if self.chart is not None:
            self.chart.setVisible(not text)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self.chart is None:
            from app.ui.views.charts import RatioHistoryChart

            self.chart = RatioHistoryChart(self)
            self._layout.addWidget(self.chart, 1)
            if self.pending is not None:
                self.chart.set_history(*self.pending)
                self._show_note(self.pending[0], self.pending[1])
            else:
                self.chart.setVisible(False)
        super().showEvent(event)
