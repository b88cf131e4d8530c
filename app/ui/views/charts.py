"""QtCharts: the desk's composition by asset and a client's collateral ratio over time.

Each chart and its series are built once; an update replaces the points in
place (building a QChart costs tens of milliseconds, a replace well under one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from PySide6.QtCharts import (
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QWidget

from app.services.desk_facade import RatioPoint
from app.ui import format as fmt
from app.ui import theme

_HALF_HOUR_MS = 1_800_000


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    dark = theme.is_dark()
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundRoundness(0)
    return chart


class CompositionChart(QChartView):
    """Collateral value by asset across the desk (a pie)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName(self.tr("Composition by asset"))
        chart = _chart(self.tr("Desk collateral by asset"))
        # The figures go in the legend, below the pie: slice labels at the edge were cut.
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.series = QPieSeries()
        chart.addSeries(self.series)
        self.setChart(chart)
        self.values: dict[str, Decimal] = {}

    def set_values(self, by_asset: Mapping[str, Decimal], title: str | None = None) -> None:
        self.values = dict(by_asset)
        if title is not None:
            self.chart().setTitle(title)
        self.series.clear()
        total = sum(by_asset.values(), Decimal(0))
        for asset, value in sorted(by_asset.items(), key=lambda kv: kv[1], reverse=True):
            share = value / total if total else Decimal(0)
            # QtCharts draws with floats; the exact figures stay in the labels.
            label = f"{asset}  {fmt.percent(share, 1)}  USD {fmt.usd(value)}"
            self.series.append(label, float(value))


class RatioHistoryChart(QChartView):
    """A client's collateral ratio over time, with the margin-call and liquidation lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName(self.tr("Collateral ratio over time"))
        chart = _chart(self.tr("Collateral ratio over time"))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.ratio = QLineSeries()
        self.ratio.setName(self.tr("Collateral ratio"))
        self.ratio.setPointsVisible(True)
        chart.addSeries(self.ratio)
        self.margin_line = self._level_line(chart, self.tr("Margin-call line"), "warn")
        self.liquidation_line = self._level_line(chart, self.tr("Liquidation line"), "bad")
        self.x_axis = QDateTimeAxis()
        self.x_axis.setFormat("dd HH:mm")  # day and time: spans from minutes to weeks
        self.x_axis.setTickCount(5)
        self.x_axis.setTitleText(self.tr("UTC"))
        self.y_axis = QValueAxis()
        self.y_axis.setLabelFormat("%.0f%%")
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.ratio, self.margin_line, self.liquidation_line):
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.setChart(chart)
        self.points: list[RatioPoint] = []

    @staticmethod
    def _level_line(chart: QChart, name: str, kind: str) -> QLineSeries:
        line = QLineSeries()
        line.setName(name)
        pen = QPen(theme.warn() if kind == "warn" else theme.bad())
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setWidth(2)
        line.setPen(pen)
        chart.addSeries(line)
        return line

    def set_history(
        self,
        client: str,
        points: Sequence[RatioPoint],
        margin_call: Decimal,
        liquidation: Decimal,
    ) -> None:
        self.points = list(points)
        self.chart().setTitle(self.tr("Collateral ratio of %1").replace("%1", client))
        xs = [float(p.time.timestamp() * 1000) for p in points]
        self.ratio.replace(
            [QPointF(x, float(p.ratio * 100)) for x, p in zip(xs, points, strict=True)]
        )
        if not xs:
            self.margin_line.clear()
            self.liquidation_line.clear()
            return
        first, last = xs[0], xs[-1]
        if last - first < 3_600_000:
            # snapshots minutes apart: half an hour either side, so the points read apart
            first, last = first - _HALF_HOUR_MS, last + _HALF_HOUR_MS
        for line, level in ((self.margin_line, margin_call), (self.liquidation_line, liquidation)):
            y = float(level * 100)
            line.replace([QPointF(first, y), QPointF(last, y)])
        self.x_axis.setRange(
            QDateTime.fromMSecsSinceEpoch(int(first)), QDateTime.fromMSecsSinceEpoch(int(last))
        )
        values = [float(p.ratio * 100) for p in points] + [
            float(margin_call * 100),
            float(liquidation * 100),
        ]
        self.y_axis.setRange(max(0.0, min(values) - 10), max(values) + 10)
