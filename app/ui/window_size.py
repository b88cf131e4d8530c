"""The window's size on a first run (no saved geometry): every Holdings column visible."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize

#: Never larger than this, however big the screen: a console, not a wall.
MAX_SIZE = QSize(1600, 1000)
#: At least this when the screen allows: the Holdings table shows every column.
MIN_SIZE = QSize(1280, 800)
SCREEN_SHARE = 0.9
#: Never smaller than this: every tab's buttons read whole, the margin-call deadline
#: and shortfall columns stay in view and the TEST banner is never clipped.
WINDOW_MINIMUM = QSize(1100, 640)


def default_window_size(available: QSize) -> QSize:
    """90 % of the available screen, capped at 1600×1000, at least 1280×800 if it fits."""

    def side(screen: int, cap: int, floor: int) -> int:
        wanted = min(int(screen * SCREEN_SHARE), cap)
        return min(max(wanted, floor), screen)

    return QSize(
        side(available.width(), MAX_SIZE.width(), MIN_SIZE.width()),
        side(available.height(), MAX_SIZE.height(), MIN_SIZE.height()),
    )


def default_window_geometry(available: QRect) -> QRect:
    """``default_window_size`` centred in the screen's available area."""
    size = default_window_size(available.size())
    rect = QRect(0, 0, size.width(), size.height())
    rect.moveCenter(available.center())
    return rect


def minimum_window_size(available: QSize) -> QSize:
    """``WINDOW_MINIMUM``, but never more than the screen's available area."""
    return WINDOW_MINIMUM.boundedTo(available)
