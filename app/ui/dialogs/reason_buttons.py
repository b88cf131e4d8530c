"""OK/Cancel for a dialog that needs a written reason before it can be accepted."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QPushButton


def reason_buttons(dialog: QDialog, reason: QPlainTextEdit, ok_text: str) -> QPushButton:
    """Add OK (labelled ``ok_text``) and Cancel to ``dialog``'s layout; OK is enabled
    only while ``reason`` holds more than white space. Returns the OK button."""
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok_button = box.button(QDialogButtonBox.StandardButton.Ok)
    ok_button.setText(ok_text)
    ok_button.setEnabled(False)
    reason.textChanged.connect(lambda: ok_button.setEnabled(bool(reason.toPlainText().strip())))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    layout = dialog.layout()
    assert layout is not None
    layout.addWidget(box)
    return ok_button


def one_line(reason: QPlainTextEdit) -> str:
    """The reason as written, its white space (newlines too) folded to single spaces."""
    return " ".join(reason.toPlainText().split())
