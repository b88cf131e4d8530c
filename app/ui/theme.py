"""Colours that carry meaning, readable on both the light and the dark system theme.

The desk follows the system colour scheme (Qt's palette does that already);
only the semantic colours below are ours, picked per scheme so a red
"liquidation" cell is as legible on a dark palette as on a light one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication

from app.services.desk_facade import LineState


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        scheme = app.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Dark:
            return True
        if scheme == Qt.ColorScheme.Light:
            return False
        return app.palette().window().color().lightness() < 128
    return False


def _pick(light: str, dark: str) -> QColor:
    return QColor(dark if is_dark() else light)


def ok() -> QColor:
    return _pick("#1b7f3b", "#5fd38a")


def warn() -> QColor:
    return _pick("#9a5b00", "#ffbf4d")


def bad() -> QColor:
    return _pick("#b3261e", "#ff7a70")


def muted() -> QColor:
    return _pick("#5f6368", "#a0a4a8")


def warn_bg() -> QColor:
    return _pick("#fff1d6", "#4a3610")


def bad_bg() -> QColor:
    return _pick("#fde3e1", "#4d1a17")


def state_color(state: LineState) -> QColor:
    return {
        LineState.HEALTHY: ok(),
        LineState.MARGIN_CALL: warn(),
        LineState.LIQUIDATION: bad(),
        LineState.NO_EXPOSURE: muted(),
    }[state]


def state_background(state: LineState) -> QColor | None:
    if state == LineState.MARGIN_CALL:
        return warn_bg()
    if state == LineState.LIQUIDATION:
        return bad_bg()
    return None


BANNER_STYLE = (
    "QLabel#emulatorBanner { background: #b00020; color: white; font-weight: 700;"
    " padding: 6px; letter-spacing: 1px; }"
)
