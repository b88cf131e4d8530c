"""OK/Cancel for a dialog that needs a written reason before it can be accepted."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton


def reason_buttons(
    dialog: QDialog,
    reason: QPlainTextEdit,
    ok_text: str,
    check: Callable[[str], str] | None = None,
    problem: QLabel | None = None,
) -> QPushButton:
    """Add OK (labelled ``ok_text``) and Cancel to ``dialog``'s layout; OK is enabled
    only while ``reason`` holds more than white space and ``check`` (given the
    one-line reason) finds no problem; the problem is shown in ``problem``.
    Returns the OK button."""
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok_button = box.button(QDialogButtonBox.StandardButton.Ok)
    ok_button.setText(ok_text)
    ok_button.setEnabled(False)

    def changed() -> None:
        text = one_line(reason)
        trouble = check(text) if check is not None and text else ""
        if problem is not None:
            problem.setText(trouble)
            problem.setVisible(bool(trouble))
        ok_button.setEnabled(bool(text) and not trouble)

    reason.textChanged.connect(changed)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    layout = dialog.layout()
    assert layout is not None
    layout.addWidget(box)
    return ok_button


def one_line(reason: QPlainTextEdit) -> str:
    """The reason as written, its white space (newlines too) folded to single spaces."""
    return " ".join(reason.toPlainText().split())
