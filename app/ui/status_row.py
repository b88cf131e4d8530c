"""The status bar's labels: one line each, elided (never wrapped) when the window is
narrow, the whole text in the tooltip and in ``text()``.

The bottom of the window has two rows: the status bar proper (the latest message,
read whole at the minimum window size; the unread-notices button; the clock) and,
above it, the desk's state — store, devices, emulator, session — which no longer
squeezes the message to a few characters (and wraps onto a second line itself when
the window is narrow).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """A one-line label that elides what does not fit; ``text()`` is the whole text."""

    def __init__(
        self,
        parent: QWidget | None = None,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideMiddle,
    ) -> None:
        super().__init__(parent)
        self._full = ""
        self._one_line = ""  # what is painted, before eliding: a driver's message has line breaks
        self._mode = mode
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._full = text
        self._one_line = " ".join(text.split())
        self.setToolTip(text)
        self.updateGeometry()
        self._elide()

    def text(self) -> str:
        """The whole text (what is painted may be elided: :meth:`shown`)."""
        return self._full

    def shown(self) -> str:
        """What the label paints now."""
        return super().text()

    def shows_whole(self) -> bool:
        return self.shown() == self._one_line

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        margins = self.contentsMargins()
        wanted = self.fontMetrics().horizontalAdvance(self._one_line)
        wanted += margins.left() + margins.right() + 4
        return QSize(wanted, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(min(self.sizeHint().width(), 48), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        margins = self.contentsMargins()
        room = self.width() - margins.left() - margins.right() - 4
        text = self._one_line
        if self.fontMetrics().horizontalAdvance(text) > room:
            text = self.fontMetrics().elidedText(text, self._mode, max(room, 0))
        super().setText(text)


class StatusRow(QFrame):
    """The desk's state above the status bar: store, devices, emulator, session. A
    narrow window wraps it onto a second line (FlowLayout) instead of cutting a label;
    only a label wider than the whole window is elided."""

    def __init__(self, labels: list[QLabel], parent: QWidget | None = None) -> None:
        from app.ui.views.flow_layout import FlowLayout

        super().__init__(parent)
        self.setObjectName("statusRow")
        self.setFrameShape(QFrame.Shape.NoFrame)
        row = FlowLayout(self, spacing=24, line_spacing=2)
        row.setContentsMargins(8, 2, 8, 2)
        for label in labels:
            row.addWidget(label)
