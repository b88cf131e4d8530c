"""The window's session: sign in, switch officer, lock (by hand or when idle), sign out.

Only the controller changes who is on duty (``DeskContext.set_officer``); a session
is opened by the facade's device challenge and ends on sign-out, lock, idle lock
(``signin.idle_lock_minutes``, default 15) or expiry. After any of them the
window asks for sign-in again; nothing more is done in the officer's name (the
services refuse it without the live session).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from app.services.desk_facade import DeviceRow, RefusedError, SessionRow
from app.ui.context import DeskContext
from app.ui.signing_flow import SigningFlow

log = logging.getLogger(__name__)

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class SigninController(QObject):
    """Owns the current :class:`SessionRow` and its idle and expiry timers."""

    session_changed = Signal()
    signin_requested = Signal(str)  # why: start, switch, locked, idle, expired, signed_out

    @classmethod
    def for_context(cls, ctx: DeskContext, window: Callable[[], QWidget]) -> SigninController:
        """The context's one controller (a rebuilt window keeps the session)."""
        found = ctx.findChild(SigninController, "signinController")
        if isinstance(found, SigninController):
            found._window = window
            return found
        return cls(ctx, window)

    def __init__(self, ctx: DeskContext, window: Callable[[], QWidget]) -> None:
        super().__init__(ctx)
        self.setObjectName("signinController")
        self.ctx = ctx
        self._window = window
        self.session: SessionRow | None = None
        self._ask_reason = "start"
        self.idle_ms = 15 * 60 * 1000
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self._idle)
        self.expiry_timer = QTimer(self)
        self.expiry_timer.setSingleShot(True)
        self.expiry_timer.timeout.connect(self._expired)
        self.last_flow: SigningFlow | None = None
        self.last_error = ""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # --- state --------------------------------------------------------------------
    @property
    def officer(self) -> str:
        return self.session.officer if self.session else ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self.session is not None and event.type() in _ACTIVITY:
            self.idle_timer.start(self.idle_ms)  # any input restarts the idle clock
        return False

    # --- actions ------------------------------------------------------------------
    async def sign_in(self, officer: str, device_uri: str | None = None) -> SessionRow | None:
        """Sign ``officer`` in on their device (the one holding their key unless given).

        Switching officer ends the current session first: one officer on duty.
        """
        device = self._device(officer, device_uri)
        if device is None:
            self.last_error = self.tr("No signing device found: plug in your device.")
            self.signin_requested.emit("no_device")
            return None
        if self.session is not None:
            await self._end("signout", ask=None)
        flow = SigningFlow(
            self._window(), device.label, self.tr("Sign in as %1").replace("%1", officer)
        )
        self.last_flow = flow
        row = await flow.run(lambda i: self.ctx.facade.sign_in(officer, device.uri, i))
        if row is None:
            error = flow.error
            self.last_error = (
                "\n".join(error.reasons) if isinstance(error, RefusedError) else str(error or "")
            )
            self.signin_requested.emit("refused")
            return None
        self.last_error = ""
        minutes = await self.ctx.facade.idle_lock_minutes()
        self.idle_ms = minutes * 60 * 1000
        self._start(row)
        return row

    def spawn_sign_in(self, officer: str, device_uri: str | None = None) -> object:
        return self.ctx.spawn(self.sign_in(officer, device_uri))

    async def lock(self) -> None:
        """Lock now: the session ends; sign-in is asked for again."""
        await self._end("lock", ask="locked")

    async def sign_out(self, *, ask_next: bool = True) -> None:
        """End the session; the window then asks for the next sign-in (unless quitting)."""
        await self._end("signout", ask="signed_out" if ask_next else None)

    async def store_restored(self) -> bool:
        """The store was replaced by a backup. The session goes on only if the restored
        store holds it live (``DeskFacade.reload_after_restore``); otherwise it ends in the
        window, nothing is written to the restored store, and the next sign-in is asked
        for (by the rebuilt window, :meth:`take_ask_reason`) with the reason ``restored``.
        True when the session goes on (or there is none)."""
        session = self.session
        if await self.ctx.facade.reload_after_restore(session):
            return True
        self.session = None
        self.idle_timer.stop()
        self.expiry_timer.stop()
        self.ctx.set_officer("")
        self.session_changed.emit()
        self._ask_reason = "restored"
        return False

    def take_ask_reason(self) -> str:
        """Why the window asks for sign-in as it opens: ``start``, or a reason left for
        it (``restored``), given once."""
        reason, self._ask_reason = self._ask_reason, "start"
        return reason

    def set_idle_timeout(self, ms: int) -> None:
        """The idle lock delay (tests and the setting); restarts the idle clock."""
        self.idle_ms = ms
        if self.session is not None:
            self.idle_timer.start(ms)

    # --- internals ----------------------------------------------------------------
    def _device(self, officer: str, uri: str | None) -> DeviceRow | None:
        if uri is not None:
            return next((d for d in self.ctx.devices if d.uri == uri), None) or DeviceRow(
                uri, "", uri, "", False
            )
        return self.ctx.device_for_officer(officer)

    def _start(self, row: SessionRow) -> None:
        self.session = row
        self.ctx.set_officer(row.officer)
        self.idle_timer.start(self.idle_ms)
        left_ms = int((row.expires_at - datetime.now(UTC)).total_seconds() * 1000)
        self.expiry_timer.start(max(left_ms, 0))
        self.session_changed.emit()

    async def _end(self, reason: str, *, ask: str | None) -> None:
        session, self.session = self.session, None
        self.idle_timer.stop()
        self.expiry_timer.stop()
        self.ctx.set_officer("")
        self.session_changed.emit()
        if ask is not None:  # the window asks at once; the store records the end below
            self.signin_requested.emit(ask)
        if session is not None:
            try:
                await self.ctx.facade.end_session(session, reason)
            except RefusedError as exc:  # the session is gone from the window either way
                log.warning("ending the session: %s", exc)

    def _idle(self) -> None:
        if self.session is not None and not self.ctx.closed:
            self.ctx.spawn(self._end("lock", ask="idle"))

    def _expired(self) -> None:
        if self.session is not None and not self.ctx.closed:
            # the store refuses acts after expiry anyway; the window says so at once
            self.ctx.spawn(self._end("expired", ask="expired"))
