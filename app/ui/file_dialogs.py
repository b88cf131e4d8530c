"""File choosers that never nest an event loop inside a coroutine.

``QFileDialog.getOpenFileName`` and friends run their own event loop; called
from an ``async`` slot under qasync, every other task that wakes meanwhile (a
margin-call sync, a device rescan) fails with "Cannot enter into task … while
another task … is being executed" and is lost. These helpers open a window-modal
``QFileDialog`` with ``open()`` and await its ``finished`` signal instead: the
desk's one event loop keeps running every periodic task while the officer picks
a file.

They start in the directory last used (remembered in the window's settings),
else the user's Documents folder, never the process's working directory (the
code checkout when run with ``make run``).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget

LAST_DIR_KEY = "files/last_dir"


def open_file_dialogs() -> list[QFileDialog]:
    """The desk's file dialogs on screen now (tests answer them)."""
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QFileDialog) and w.objectName() == "deskFileDialog" and w.isVisible()
    ]


def start_dir(settings: QSettings | None) -> str:
    """The last directory a file was chosen in, else Documents, else home."""
    if settings is not None:
        last = str(settings.value(LAST_DIR_KEY, "") or "")
        if last and Path(last).is_dir():
            return last
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return documents
    return str(Path.home())


async def choose_file(
    parent: QWidget,
    title: str,
    name_filter: str,
    *,
    save_as: str | None = None,
    settings: QSettings | None = None,
) -> str | None:
    """Let the officer pick a file to open (or, with ``save_as``, a file to write).

    Returns the chosen path, or ``None`` when the dialog was cancelled. Awaiting
    it never blocks the loop.
    """
    dialog = QFileDialog(parent, title, start_dir(settings), name_filter)
    dialog.setObjectName("deskFileDialog")
    if save_as is not None:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.selectFile(save_as)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[int] = loop.create_future()

    def finished(code: int) -> None:
        if not answer.done():
            answer.set_result(code)

    dialog.finished.connect(finished)
    dialog.open()
    try:
        code = await answer
        files = dialog.selectedFiles() if code == QDialog.DialogCode.Accepted else []
    finally:
        if not answer.done():  # the task was cancelled: close the dialog with it
            dialog.reject()
        dialog.deleteLater()
    if not files:
        return None
    if settings is not None:
        settings.setValue(LAST_DIR_KEY, str(Path(files[0]).parent))
    return files[0]
