"""State every view shares: the facade, the officer on duty, the emulator, running tasks."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services import signed_commit
from app.services.desk_facade import DeskFacade, DeviceRow, OfficerRow, RefusedError
from app.services.signed_commit import CommitEvent

log = logging.getLogger(__name__)

KEPT_RETRY_MS = 30_000  # a kept signed act is tried again this often (and on reconnect)


class DeskContext(QObject):
    """Owned by the main window; views read it and listen to its typed signals."""

    officer_changed = Signal(str)  # name, "" when nobody is on duty
    officers_changed = Signal()
    data_changed = Signal()  # something in the store changed: views refresh
    devices_changed = Signal()
    emulator_changed = Signal(bool)  # running?
    status_message = Signal(str)  # shown briefly, kept in the message log
    important_message = Signal(str)  # kept in the status bar until read (message log)
    task_failed = Signal(str)  # an action failed unexpectedly: one line for the officer
    store_link_changed = Signal()  # a shared store's connection went down or came back
    store_restored = Signal(str)  # the store's content was replaced by this backup file

    def __init__(self, facade: DeskFacade, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.closed = False  # wound down (close()): hears and keeps nothing more
        self.store_link_down = ""  # why the shared store is unreachable; "" when it is fine
        # signed acts not committed yet (act -> the line the status bar shows): the
        # signature is kept and retried by app.services.signed_commit
        self.uncommitted: dict[str, str] = {}
        self.officer: str = ""
        self.officers: list[OfficerRow] = []
        self.devices: list[DeviceRow] = []
        self._devices_seen = False
        self.emulator_running = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self.settings: QSettings | None = None  # the window's settings (set by the window)
        from app.ui.message_log import MessageLog

        self.messages = MessageLog(self)  # outlives a window rebuilt on a language switch
        self.status_message.connect(self.messages.add)
        self.important_message.connect(lambda text: self.messages.add(text, important=True))
        self.task_failed.connect(lambda text: self.messages.add(text, important=True))
        signed_commit.add_listener(self._on_commit_event)  # held weakly
        # An act that failed every try is kept here (not dropped) and tried again
        # every half minute and whenever the shared store's connection is back.
        signed_commit.add_keeper(self)
        self._kept_told: set[str] = set()
        self._kept_timer = QTimer(self)
        self._kept_timer.setInterval(KEPT_RETRY_MS)
        self._kept_timer.timeout.connect(self.commit_kept)

    # --- signed acts retried across an outage -------------------------------------
    def _on_commit_event(self, event: CommitEvent) -> None:
        """A signed act could not be committed yet, then was (or never was): say so."""
        if event.state in ("retrying", "kept"):
            self.uncommitted[event.act] = event.line
            if event.state == "kept" and event.act not in self._kept_told:
                self._kept_told.add(event.act)  # said once, not at every later sweep
                self.important_message.emit(event.line)
                self._kept_timer.start()
        else:
            self.uncommitted.pop(event.act, None)
            self._kept_told.discard(event.act)
            if event.state == "committed":
                self.status_message.emit(event.line)
            else:
                self.important_message.emit(event.line)
            if event.state in ("committed", "refused"):
                self.notify_changed()  # the kept act's row is there now (or never will be)
        self.store_link_changed.emit()

    def commit_kept(self) -> None:
        """Try the kept signed acts again (the store may be back)."""
        if signed_commit.kept_acts():
            self.spawn(self._commit_kept())
        else:
            self._kept_timer.stop()

    async def _commit_kept(self) -> None:
        if not await signed_commit.commit_kept():
            self._kept_timer.stop()

    @property
    def kept_acts(self) -> tuple[str, ...]:
        """Signed here, not committed yet, kept for a later commit."""
        return signed_commit.kept_acts()

    def discard_kept(self) -> None:
        """The officer chose to close the window with acts still kept: forget them."""
        for act in signed_commit.discard_kept():
            log.warning("closed with %s not committed: discarded", act)
            self.uncommitted.pop(act, None)

    def close(self) -> None:
        """The desk winds down: no more commit events, kept acts or retries here."""
        self.closed = True
        # Every clock of the desk stops with it: the kept-act retry, and the sign-in
        # controller's idle lock and expiry, which would end a session 15 minutes on
        # in a desk that has no loop any more.
        for timer in self.findChildren(QTimer):
            timer.stop()
        signed_commit.remove_listener(self._on_commit_event)
        signed_commit.remove_keeper(self)

    # --- tasks ----------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` on the qasync loop, keeping a reference until it ends."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            return
        if not task.get_loop().is_running():
            # Shutting down (or a test between loop runs): nobody to tell.
            log.debug("task ended outside the running loop", exc_info=error)
            return
        log.error("background task failed", exc_info=error)
        self.task_failed.emit(f"{type(error).__name__}: {error}")

    @property
    def pending_tasks(self) -> int:
        return len(self._tasks)

    # --- officer on duty --------------------------------------------------------
    def set_officer(self, name: str) -> None:
        if name != self.officer:
            self.officer = name
            self.officer_changed.emit(name)

    def officer_row(self, name: str | None = None) -> OfficerRow | None:
        wanted = name if name is not None else self.officer
        return next((o for o in self.officers if o.name == wanted), None)

    async def reload_officers(self) -> None:
        self.officers = list(await self.facade.officers())
        self.officers_changed.emit()
        if self.officer and self.officer_row() is None:
            self.set_officer("")

    async def reload_devices(self) -> None:
        devices = list(await self.facade.devices())
        if devices != self.devices or not self._devices_seen:
            self._devices_seen = True
            self.devices = devices
            self.devices_changed.emit()

    def device_for_officer(self, name: str | None = None) -> DeviceRow | None:
        """The connected device that holds the officer's registered key, else the first one."""
        officer = self.officer_row(name)
        if officer is not None:
            for device in self.devices:
                if device.fingerprint and device.fingerprint == officer.fingerprint:
                    return device
        return self.devices[0] if self.devices else None

    def notify_changed(self) -> None:
        if not self.closed:  # a wound-down desk's views load nothing more
            self.data_changed.emit()


class LatestRead:
    """Keeps a view from showing a read that a newer read has overtaken.

    Reloads run concurrently (an action reloads, ``data_changed`` reloads too); the
    one started last wins, whatever order the worker threads finish in.

    ``show_older=True`` (the views whose acts come back as a shared desk's NOTIFY)
    also shows a read that finished while a newer one is still running, unless a
    newer read was shown already: the view never goes back to older data, and it
    shows its own act at once instead of waiting for the NOTIFY reload (which left
    "Sign custodian share" enabled on a share just stored, found by the GUI suite on
    PostgreSQL).
    """

    def __init__(self, *, show_older: bool = False) -> None:
        self._issued = 0
        self._shown = 0
        self._show_older = show_older

    def ticket(self) -> int:
        self._issued += 1
        return self._issued

    def is_current(self, ticket: int) -> bool:
        """Whether to show the read of ``ticket`` (it then counts as shown)."""
        if ticket <= self._shown or (not self._show_older and ticket != self._issued):
            return False
        self._shown = ticket
        return True


def show_refusal(parent: QWidget, exc: RefusedError, title: str) -> QMessageBox:
    """A non-blocking warning listing every reason (one per line)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, title, parent=parent)
    box.setInformativeText("\n".join(exc.reasons))
    box.setObjectName("refusalMessage")
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 420px; }")
    box.open()
    return box


def show_info(parent: QWidget, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, title, title, parent=parent)
    box.setInformativeText(text)
    box.setObjectName("infoMessage")
    box.open()
    return box
