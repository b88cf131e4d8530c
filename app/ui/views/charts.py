"""QtCharts: the desk's composition by asset and a client's collateral ratio over time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC
from decimal import Decimal

from PySide6.QtCharts import (
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QWidget

from app.services.desk_facade import RatioPoint
from app.ui import format as fmt
from app.ui import theme


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setTheme(
        QChart.ChartTheme.ChartThemeDark if theme.is_dark() else QChart.ChartTheme.ChartThemeLight
    )
    chart.setBackgroundRoundness(0)
    return chart


class CompositionChart(QChartView):
    """Collateral value by asset across the desk (a pie)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName(self.tr("Composition by asset"))
        self.setChart(_chart(self.tr("Desk collateral by asset")))
        self.values: dict[str, Decimal] = {}

    def set_values(self, by_asset: Mapping[str, Decimal]) -> None:
        self.values = dict(by_asset)
        chart = _chart(self.tr("Desk collateral by asset"))
        series = QPieSeries()
        total = sum(by_asset.values(), Decimal(0))
        for asset, value in sorted(by_asset.items(), key=lambda kv: kv[1], reverse=True):
            share = value / total if total else Decimal(0)
            # QtCharts draws with floats; the exact figures stay in the labels.
            pie_slice = series.append(f"{asset}  {fmt.percent(share, 1)}", float(value))
            pie_slice.setLabelVisible(share >= Decimal("0.03"))
        chart.addSeries(series)
        old = self.chart()
        self.setChart(chart)
        old.deleteLater()


class RatioHistoryChart(QChartView):
    """A client's collateral ratio over time, with the margin-call and liquidation lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName(self.tr("Collateral ratio over time"))
        self.setChart(_chart(self.tr("Collateral ratio over time")))
        self.points: list[RatioPoint] = []

    def set_history(
        self,
        client: str,
        points: Sequence[RatioPoint],
        margin_call: Decimal,
        liquidation: Decimal,
    ) -> None:
        self.points = list(points)
        chart = _chart(self.tr("Collateral ratio of %1").replace("%1", client))
        ratio = QLineSeries()
        ratio.setName(self.tr("Collateral ratio"))
        for point in points:
            ms = QDateTime.fromSecsSinceEpoch(int(point.time.astimezone(UTC).timestamp()))
            ratio.append(float(ms.toMSecsSinceEpoch()), float(point.ratio * 100))
        ratio.setPointsVisible(True)
        chart.addSeries(ratio)
        lines: list[QLineSeries] = []
        if points:
            first = float(points[0].time.timestamp() * 1000)
            last = float(points[-1].time.timestamp() * 1000)
            if last - first < 3_600_000:
                # one snapshot so far: show a day around it so the lines are visible
                first -= 43_200_000
                last += 43_200_000
            for name, level, color in (
                (self.tr("Margin-call line"), margin_call, theme.warn()),
                (self.tr("Liquidation line"), liquidation, theme.bad()),
            ):
                line = QLineSeries()
                line.setName(name)
                line.append(first, float(level * 100))
                line.append(last, float(level * 100))
                pen = QPen(color)
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setWidth(2)
                line.setPen(pen)
                chart.addSeries(line)
                lines.append(line)
        x_axis = QDateTimeAxis()
        x_axis.setFormat("MM-dd HH:mm")
        x_axis.setTitleText(self.tr("UTC"))
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%.0f%%")
        values = [float(p.ratio * 100) for p in points] + [
            float(margin_call * 100),
            float(liquidation * 100),
        ]
        y_axis.setRange(max(0.0, min(values) - 10), max(values) + 10)
        if points:
            x_axis.setRange(
                QDateTime.fromMSecsSinceEpoch(int(first)), QDateTime.fromMSecsSinceEpoch(int(last))
            )
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (ratio, *lines):
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        old = self.chart()
        self.setChart(chart)
        old.deleteLater()
