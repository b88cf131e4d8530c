"""Colours that carry meaning, readable on both the light and the dark system theme.

The desk follows the system colour scheme (Qt's palette does that already);
only the semantic colours below are ours, picked per scheme so a red
"liquidation" cell is as legible on a dark palette as on a light one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication

from app.services.desk_facade import LineState

_DARK: bool | None = None
_BRUSHES: dict[str, QBrush] = {}


def refresh() -> None:
    """Forget the cached scheme (call when the system switches light/dark)."""
    global _DARK  # noqa: PLW0603 - a cache of one process-wide fact
    _DARK = None
    _BRUSHES.clear()


def is_dark() -> bool:
    """Whether the system scheme is dark (cached: models ask for every painted cell)."""
    global _DARK  # noqa: PLW0603
    if _DARK is None:
        _DARK = _detect_dark()
    return _DARK


def brush(color: QColor) -> QBrush:
    """A shared brush per colour (painting asks for thousands)."""
    key = color.name()
    found = _BRUSHES.get(key)
    if found is None:
        found = _BRUSHES[key] = QBrush(color)
    return found


def _detect_dark() -> bool:
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        scheme = app.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Dark:
            return True
        if scheme == Qt.ColorScheme.Light:
            return False
        return app.palette().window().color().lightness() < 128
    return False


_COLORS: dict[str, QColor] = {}


def _pick(light: str, dark: str) -> QColor:
    name = dark if is_dark() else light
    color = _COLORS.get(name)
    if color is None:
        color = _COLORS[name] = QColor(name)
    return color


def ok() -> QColor:
    return _pick("#1b7f3b", "#5fd38a")


def warn() -> QColor:
    return _pick("#9a5b00", "#ffbf4d")


def bad() -> QColor:
    return _pick("#b3261e", "#ff7a70")


def muted() -> QColor:
    return _pick("#5f6368", "#a0a4a8")


def band() -> QColor:
    """Background of a pinned summary line (the TOTAL row)."""
    return _pick("#e6e8eb", "#2e3136")


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
