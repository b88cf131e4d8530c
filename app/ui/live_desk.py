"""The window's live link to a shared desk: reload on other workstations' commits.

:class:`LiveDesk` starts the facade's change listener (PostgreSQL ``LISTEN/NOTIFY``,
:mod:`app.store.pg_listen`) when the store has one. The listener's thread only emits
Qt signals (queued to the GUI thread); the GUI thread then emits
``DeskContext.data_changed``, whose views reload through worker threads as after
Refresh. A lost connection is shown in the status bar until it is back. An
embedded SQLite desk has no listener and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.ui.context import DeskContext


class LiveDesk(QObject):
    """Bridges the listener thread to the GUI thread."""

    changed = Signal()
    state = Signal(bool, str)  # connected?, detail

    def __init__(self, ctx: DeskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.connected = True
        self.detail = ""
        self._stop: Callable[[], None] | None = None
        self.changed.connect(self._on_changed)
        self.state.connect(self._on_state)

    def start(self) -> bool:
        """Start listening if the store is shared; True when a listener runs."""
        watch = getattr(self.ctx.facade, "watch_changes", None)
        if watch is None:
            return False
        self._stop = watch(self.changed.emit, self.state.emit)
        return self._stop is not None

    def _on_changed(self) -> None:
        # Views reload on data_changed; the officer list (an officer registered or
        # revoked on another workstation) is the context's own read.
        self.ctx.notify_changed()
        self.ctx.spawn(self.ctx.reload_officers())

    def _on_state(self, connected: bool, detail: str) -> None:
        came_back = connected and not self.connected
        self.connected = connected
        self.detail = detail
        self.ctx.store_link_down = "" if connected else detail
        self.ctx.store_link_changed.emit()
        if came_back:
            self.ctx.commit_kept()  # signed acts kept through the outage

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None
