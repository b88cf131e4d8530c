"""The message boxes a GUI test reads and dismisses (warnings, refusals, notices)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox


def messages() -> list[QMessageBox]:
    """The message boxes on screen now."""
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def message_texts(boxes: list[QMessageBox] | None = None) -> str:
    """``title: text informative`` of each box on screen (or of ``boxes``), joined by `` | ``."""
    shown = messages() if boxes is None else boxes
    return " | ".join(f"{m.windowTitle()}: {m.text()} {m.informativeText()}" for m in shown)


def close_messages() -> str:
    """Dismiss every box on screen; returns what they said (:func:`message_texts`)."""
    boxes = messages()
    text = message_texts(boxes)
    for m in boxes:
        m.done(0)
    return text


def run_confirming(desk, coro):  # type: ignore[no-untyped-def]
    """Run ``coro`` on the desk, confirming every confirmation it asks (returns its result)."""
    from app.ui.dialogs.confirm_act import open_confirmations

    task = desk.ctx.spawn(coro)

    def answered() -> bool:
        for dialog in open_confirmations():
            dialog.confirm_button.click()
        return task.done()

    desk.wait_until(answered)
    return task.result()
