"""The window's message log: every status message kept with its time; important ones
stay in the status bar until the officer has read them.

The status bar's own message area is transient (and the periodic exchange sync
overwrites it every 30 s), and a long text is cut at the window's edge. So:

* ``DeskContext.status_message`` — shown briefly *and* kept here (a repeat of the
  same text only bumps its count: the periodic "exchange: 0 sent…" is one line);
* ``DeskContext.important_message`` — kept here as *unread* and shown in a
  status-bar button (elided, the whole text in its tooltip) until read.

The button opens the log (a non-modal window); opening it marks everything read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

#: Kept in memory for the session; the audit log is the durable record.
MAX_ENTRIES = 500


@dataclass
class LogEntry:
    at: datetime
    text: str
    important: bool
    read: bool
    repeats: int = 1


class MessageLog(QObject):
    """The session's messages, newest last."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[LogEntry] = []

    def add(self, text: str, *, important: bool = False) -> None:
        last = self.entries[-1] if self.entries else None
        if last is not None and last.text == text and last.important == important:
            last.repeats += 1
            last.at = datetime.now(UTC)
            last.read = last.read and not important
        else:
            self.entries.append(LogEntry(datetime.now(UTC), text, important, not important))
            del self.entries[:-MAX_ENTRIES]
        self.changed.emit()

    def keep_unread(self, text: str) -> None:
        """Promote the latest entry with ``text`` to important-unread (it did not fit)."""
        for entry in reversed(self.entries):
            if entry.text == text:
                if entry.read or not entry.important:
                    entry.important, entry.read = True, False
                    self.changed.emit()
                return

    def unread(self) -> list[LogEntry]:
        return [e for e in self.entries if not e.read]

    def mark_all_read(self) -> None:
        if self.unread():
            for entry in self.entries:
                entry.read = True
            self.changed.emit()


class NoticeButton(QToolButton):
    """The status bar's "unread messages" button: the latest unread one, elided."""

    def __init__(self, log: MessageLog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeButton")
        self.log = log
        self.setAutoRaise(True)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(120)
        log.changed.connect(self.refresh)
        self.refresh()

    def full_text(self) -> str:
        """What the button would say with room enough (also its tooltip)."""
        unread = self.log.unread()
        if not unread:
            return ""
        count = len(unread)
        latest = unread[-1].text
        if count == 1:
            return "⚑ " + latest
        return "⚑ " + self.tr("(%1 unread) %2").replace("%1", str(count)).replace("%2", latest)

    def refresh(self) -> None:
        text = self.full_text()
        self.setVisible(bool(text))
        self.setToolTip(text)
        self.updateGeometry()
        self.setAccessibleName(self.tr("Unread messages"))
        self._elide()

    def sizeHint(self) -> QSize:  # noqa: N802
        """As wide as the whole text, up to the maximum width (then elided)."""
        hint = super().sizeHint()
        wanted = self.fontMetrics().horizontalAdvance(self.full_text()) + 24
        return QSize(min(max(wanted, self.minimumWidth()), self.maximumWidth()), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(self.width() - 12, 40)
        self.setText(
            self.fontMetrics().elidedText(self.full_text(), Qt.TextElideMode.ElideRight, room)
        )


class MessageLogDialog(QDialog):
    """Every message of the session with its time; opening it marks them read."""

    def __init__(self, log: MessageLog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageLogDialog")
        self.setWindowTitle(self.tr("Messages"))
        self.log = log
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("messageList")
        self.list.setWordWrap(True)
        self.list.setAccessibleName(self.tr("Messages"))
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 360)
        log.changed.connect(self.fill)
        self.fill()

    def fill(self) -> None:
        self.list.clear()
        for entry in reversed(self.log.entries):  # newest first
            stamp = entry.at.strftime("%H:%M:%S UTC")
            repeats = f"  (×{entry.repeats})" if entry.repeats > 1 else ""
            item = QListWidgetItem(f"{stamp}  {entry.text}{repeats}")
            if entry.important:
                font = item.font()
                font.setBold(not entry.read)
                item.setFont(font)
            self.list.addItem(item)

    def showEvent(self, event: object) -> None:  # noqa: N802
        super().showEvent(event)  # type: ignore[arg-type]
        self.log.mark_all_read()
