"""Trezor-style PIN matrix: the device shows a scrambled keypad, the desk sends positions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

#: Keypad layout: the digit each button sends is its position on a numeric keypad.
KEYPAD_ROWS: tuple[tuple[int, int, int], ...] = ((7, 8, 9), (4, 5, 6), (1, 2, 3))
MAX_PIN_LENGTH = 50


class PinMatrixDialog(QDialog):
    """Nine blank buttons; the digits shown on the device tell the officer which to press."""

    def __init__(self, device_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinMatrixDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Enter the PIN of %1").replace("%1", device_label))
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "Look at the device: it shows the digits in a scrambled order. Click the"
                " positions of your PIN's digits here (or use the numeric keypad)."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.display = QLineEdit()
        self.display.setReadOnly(True)
        self.display.setEchoMode(QLineEdit.EchoMode.Password)
        self.display.setAccessibleName(self.tr("PIN positions entered"))
        layout.addWidget(self.display)
        grid = QGridLayout()
        self.buttons: dict[int, QPushButton] = {}
        for r, row in enumerate(KEYPAD_ROWS):
            for c, position in enumerate(row):
                button = QPushButton("•")
                button.setFixedSize(72, 56)
                button.setAccessibleName(self.tr("Keypad position %1").replace("%1", str(position)))
                button.setShortcut(QKeySequence(str(position)))
                button.clicked.connect(lambda _=False, p=position: self.press(p))
                grid.addWidget(button, r, c)
                self.buttons[position] = button
        layout.addLayout(grid)
        self.backspace = QPushButton(self.tr("⌫ Delete"))
        self.backspace.setShortcut(QKeySequence(Qt.Key.Key_Backspace))
        self.backspace.clicked.connect(self.delete_last)
        layout.addWidget(self.backspace)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Unlock"))
        self.ok_button.setEnabled(False)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self._positions = ""

    def press(self, position: int) -> None:
        if len(self._positions) < MAX_PIN_LENGTH:
            self._positions += str(position)
            self.display.setText("•" * len(self._positions))
            self.ok_button.setEnabled(True)

    def delete_last(self) -> None:
        self._positions = self._positions[:-1]
        self.display.setText("•" * len(self._positions))
        self.ok_button.setEnabled(bool(self._positions))

    def positions(self) -> str:
        """The encoded PIN (keypad positions), as the device expects it."""
        return self._positions
