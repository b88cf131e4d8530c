"""The emulator's "device screen": what the emulated device shows, with Approve / Reject.

TEST ONLY. A small non-modal top-level window (no parent, so the window-modal
"Confirm on your device" dialog does not block it, just as it does not block a real
device). Used when the Devices tab is set to "ask on the emulator screen".
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.theme import BANNER_STYLE


class EmulatorScreenWindow(QWidget):
    """One emulator's screen. ``answered(bool)`` is the tester's button press."""

    answered = Signal(bool)  # True: approve

    def __init__(self, device_label: str, fingerprint: str) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("emulatorScreenWindow")
        self.setWindowTitle(self.tr("EMULATOR — device screen (TEST ONLY)"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        banner = QLabel(self.tr("⚠ TEST EMULATOR — NOT FOR PRODUCTION ⚠"))
        banner.setObjectName("emulatorBanner")  # the main window's red test banner style
        banner.setStyleSheet(BANNER_STYLE)
        banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(banner)
        self.device = QLabel(
            self.tr("%1 · key fingerprint %2")
            .replace("%1", device_label)
            .replace("%2", fingerprint)
        )
        self.device.setObjectName("emulatorScreenDevice")
        layout.addWidget(self.device)
        self.display = QPlainTextEdit()
        self.display.setObjectName("emulatorScreenText")
        self.display.setReadOnly(True)
        self.display.setAccessibleName(self.tr("Text on the emulated device's screen"))
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.display.setFont(mono)
        self.display.setMaximumHeight(120)
        layout.addWidget(self.display)
        self.status = QLabel()
        self.status.setObjectName("emulatorScreenStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.reject_button = QPushButton(self.tr("✗ &Reject"))
        self.reject_button.setAccessibleName(self.tr("Reject on the emulated device"))
        self.approve_button = QPushButton(self.tr("✓ &Approve"))
        self.approve_button.setAccessibleName(self.tr("Approve on the emulated device"))
        self.reject_button.clicked.connect(lambda: self._answer(False))
        self.approve_button.clicked.connect(lambda: self._answer(True))
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        buttons.addWidget(self.approve_button)
        layout.addLayout(buttons)
        self.show_idle(self.tr("Nothing to approve."))

    def show_prompt(self, text: str) -> None:
        """The device shows ``text`` and waits for a button."""
        self.display.setPlainText(text)
        self.status.setText(
            self.tr(
                "The device asks you to approve this text. Check it against the desk's"
                ' "Confirm on your device" window, then press a button.'
            )
        )
        self.approve_button.setEnabled(True)
        self.reject_button.setEnabled(True)
        self.approve_button.setFocus()

    def place_beside(self, available: QRect, main: QRect, index: int = 0) -> None:
        """First showing: beside the main window, like a device beside the desk, fully
        on ``available`` (the main window's screen); see :func:`device_screen_position`."""
        # Once shown, the real frame (title bar, wrapped text) decides; before, the hint.
        size = (
            self.frameGeometry().size()
            if self.isVisible()
            else self.sizeHint().expandedTo(self.minimumSizeHint())
        )
        size = size.boundedTo(available.size())
        self.move(device_screen_position(available, main, size, index))

    def asking(self) -> bool:
        """Whether a question waits for a button."""
        return self.approve_button.isEnabled()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Closing the device screen while it asks is the tester's "no": the desk must
        # not wait for an answer that can no longer be given.
        if self.asking():
            self.show_idle(self.tr("You closed the device screen: rejected."))
            self.answered.emit(False)
        super().closeEvent(event)

    def show_idle(self, status: str) -> None:
        """No question on screen (answered, cancelled by the host, or none yet)."""
        self.approve_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        self.status.setText(status)

    def _answer(self, approve: bool) -> None:
        self.show_idle(
            self.tr("You approved on the device.")
            if approve
            else self.tr("You rejected on the device.")
        )
        self.answered.emit(approve)


GAP = 12
STACK_STEP = 48


def device_screen_position(available: QRect, main: QRect, size: QSize, index: int = 0) -> QPoint:
    """Where an emulator's device screen goes: right of the main window if it fits on
    the screen, else left of it, else inside the screen's right edge; never off the
    screen. The ``index``-th screen sits a little lower, so none hides another."""
    right = main.right() + 1 + GAP
    left = main.left() - GAP - size.width()
    if right + size.width() <= available.right() + 1:
        x = right
    elif left >= available.left():
        x = left
    else:
        x = available.right() + 1 - size.width() - GAP
    x = max(available.left(), min(x, available.right() + 1 - size.width()))
    y = max(available.top(), main.top()) + STACK_STEP * index
    y = max(available.top(), min(y, available.bottom() + 1 - size.height()))
    return QPoint(x, y)
