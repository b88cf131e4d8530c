"""Export and copy of signed documents, shared by the views that show them.

``export_document`` asks where (awaited file chooser, no nested loop), writes the
document's exact bytes owner-only (0600, ``app.files.write_private``) and says
so; ``copy_text`` puts a root, hash or signature on the clipboard and says what was copied.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from app.files import write_private
from app.services.desk_facade import RefusedError
from app.ui.context import DeskContext, show_refusal
from app.ui.file_dialogs import choose_file


async def export_document(
    parent: QWidget,
    ctx: DeskContext,
    title: str,
    default_name: str,
    produce: Callable[[], bytes],
    *,
    path: str | None = None,
) -> str | None:
    """Write the document ``produce()`` returns to a file the officer picks (or ``path``)."""
    if path is None:
        path = await choose_file(
            parent, title, "JSON (*.json)", save_as=default_name, settings=ctx.settings
        )
    if not path:
        return None
    try:
        data = await asyncio.to_thread(produce)
    except RefusedError as exc:
        show_refusal(parent, exc, title)
        return None
    await asyncio.to_thread(write_private, Path(path), data)
    ctx.status_message.emit(
        QCoreApplication.translate("DocumentActions", "%1 written to %2 (%3 bytes).")
        .replace("%1", default_name)
        .replace("%2", path)
        .replace("%3", str(len(data)))
    )
    return path


def copy_text(ctx: DeskContext, text: str, what: str) -> bool:
    """Copy ``text`` (a root, hash or signature) to the clipboard; False when empty."""
    if not text or text == "—":
        return False
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)
    ctx.status_message.emit(
        QCoreApplication.translate("DocumentActions", "%1 copied to the clipboard.").replace(
            "%1", what
        )
    )
    return True
