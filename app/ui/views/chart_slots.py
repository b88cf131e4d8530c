"""Chart placeholders that build their QtCharts view on first show.

Importing QtCharts and building a chart costs tens of milliseconds; the
holdings tab opens on the stress panel, so the charts wait until looked at.
Data set before that is kept and applied when the chart is built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.services.desk_facade import RatioPoint

if TYPE_CHECKING:
    from app.ui.views.charts import CompositionChart, RatioHistoryChart


class CompositionSlot(QWidget):
    """Holds the desk's composition by asset; the pie appears on first show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compositionChart")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.chart: CompositionChart | None = None
        self.values: dict[str, Decimal] = {}

    def set_values(self, by_asset: Mapping[str, Decimal]) -> None:
        self.values = dict(by_asset)
        if self.chart is not None:
            self.chart.set_values(self.values)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self.chart is None:
            from app.ui.views.charts import CompositionChart

            self.chart = CompositionChart(self)
            self._layout.addWidget(self.chart)
            self.chart.set_values(self.values)
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

    @property
    def points(self) -> list[RatioPoint]:
        return [] if self.pending is None else self.pending[1]

    def set_history(
        self, client: str, points: Sequence[RatioPoint], margin_call: Decimal, liquidation: Decimal
    ) -> None:
        self.pending = (client, list(points), margin_call, liquidation)
        if self.chart is not None:
            self.chart.set_history(*self.pending)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self.chart is None:
            from app.ui.views.charts import RatioHistoryChart

            self.chart = RatioHistoryChart(self)
            self._layout.addWidget(self.chart)
            if self.pending is not None:
                self.chart.set_history(*self.pending)
        super().showEvent(event)
