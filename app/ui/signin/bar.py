"""Who is signed in (toolbar and status bar), with one-click Switch, Lock and Sign out."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.ui.context import DeskContext
from app.ui.signin.controller import SigninController
from app.ui.signin.dialog import SigninDialog
from app.ui.status_row import ElidedLabel


class SigninBar(QWidget):
    """The toolbar's sign-in strip; ``status_label`` goes in the status bar."""

    def __init__(self, ctx: DeskContext, window: Callable[[], QWidget]) -> None:
        super().__init__()
        self.setObjectName("signinBar")
        self.ctx = ctx
        self._window = window
        self.controller = SigninController.for_context(ctx, window)
        self.dialog: SigninDialog | None = None
        self._reason = "start"
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.who = QLabel()
        self.who.setObjectName("signedInLabel")
        layout.addWidget(self.who)
        self.switch_button = QPushButton()
        self.switch_button.setObjectName("switchOfficerButton")
        self.switch_button.clicked.connect(lambda: self.ask("switch"))
        self.lock_button = QPushButton()
        self.lock_button.setObjectName("lockButton")
        self.lock_button.clicked.connect(lambda: self.ctx.spawn(self.controller.lock()))
        self.sign_out_button = QPushButton()
        self.sign_out_button.setObjectName("signOutButton")
        self.sign_out_button.clicked.connect(lambda: self.ctx.spawn(self.controller.sign_out()))
        for button in (self.switch_button, self.lock_button, self.sign_out_button):
            layout.addWidget(button)
        self.status_label = ElidedLabel()  # in the window's status row
        self.status_label.setObjectName("sessionStatus")
        self.controller.session_changed.connect(self.refresh)
        self.controller.signin_requested.connect(self.ask)
        # a device plugged in (or an emulator started) while the dialog is open: offer it
        ctx.devices_changed.connect(self._lists_changed)
        ctx.officers_changed.connect(self._lists_changed)
        self.retranslate()

    # --- the dialog ---------------------------------------------------------------
    def ask(self, reason: str) -> SigninDialog:
        """Show the sign-in dialog (once), saying why it is asked for."""
        self._reason = reason
        texts = {
            "start": self.tr("Sign in to act at this desk."),
            "switch": self.tr("Switching officer: the next officer signs in on their device."),
            "locked": self.tr("The desk was locked. Sign in again."),
            "idle": self.tr("The desk locked itself after being idle. Sign in again."),
            "expired": self.tr("Your session expired. Sign in again."),
            "signed_out": self.tr("Signed out. The next officer signs in here."),
            "refused": self.tr("Sign-in refused."),
            "no_device": self.tr("No signing device found."),
            "restored": self.tr(
                "The store was restored from a backup that does not hold your session."
                " Sign in again."
            ),
        }
        if self.dialog is not None:  # one dialog, with today's officers and devices
            self.dialog.hide()
            self.dialog.deleteLater()
        self.dialog = SigninDialog(
            self.ctx.officers, self.ctx.devices, texts.get(reason, ""), self._window()
        )
        self.dialog.sign_in_requested.connect(self._sign_in)
        self.dialog.show()
        if reason in ("refused", "no_device"):
            self.dialog.show_error(self.controller.last_error)
        return self.dialog

    def _lists_changed(self) -> None:
        """Rebuild an open sign-in dialog with today's officers and devices (its choice kept)."""
        if self.dialog is None or not self.dialog.isVisible():
            return
        chosen = self.dialog.officer.currentData()
        dialog = self.ask(self._reason)
        if chosen:
            dialog.select(str(chosen))

    def _sign_in(self, officer: str, uri: str) -> None:
        if self.dialog is not None:
            self.dialog.hide()
        self.controller.spawn_sign_in(officer, uri)

    # --- labels -------------------------------------------------------------------
    def refresh(self) -> None:
        session = self.controller.session
        signed_in = session is not None
        self.lock_button.setEnabled(signed_in)
        self.sign_out_button.setEnabled(signed_in)
        if session is None:
            self.who.setText(self.tr("Nobody signed in"))
            self.status_label.setText(self.tr("Not signed in"))
            self.switch_button.setText(self.tr("&Sign in…"))
            return
        test = self.tr("(TEST)")  # outside the f-string: lupdate does not look inside one
        name = f"{session.officer} {test}" if session.is_emulator else session.officer
        until = session.expires_at.strftime("%H:%M UTC")
        self.who.setText(self.tr("Signed in: %1").replace("%1", name))
        self.status_label.setText(
            self.tr("Signed in: %1 until %2 (%3)")
            .replace("%1", name)
            .replace("%2", until)
            .replace("%3", session.workstation)
        )
        self.switch_button.setText(self.tr("&Switch officer…"))
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.hide()

    def retranslate(self) -> None:
        self.lock_button.setText(self.tr("&Lock"))
        self.lock_button.setAccessibleName(self.tr("Lock the desk"))
        self.sign_out_button.setText(self.tr("Sign &out"))
        self.refresh()
