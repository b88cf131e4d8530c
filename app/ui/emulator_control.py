"""Starting, stopping and configuring the test emulators from the window (TEST ONLY).

* start: one emulator, or, on a desk with no officers, two emulators with two
  different public test seeds and the demo officers ``alice`` and ``bob`` registered
  from their keys (the officer service reads each key from its emulator, exactly as
  *Register officer key* does), alice put on duty;
* start another: the next public test seed no running emulator uses;
* approval: automatically (default) or on each emulator's device screen.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMessageBox

from app.services.desk_facade import OfficerRow
from app.ui.backend.emulator import NoTestSeedLeft, emulator_host
from app.ui.context import DeskContext
from app.ui.dialogs.emulator_offer import EmulatorOfferDialog
from app.ui.emulator_screens import EmulatorScreens

if TYPE_CHECKING:
    import asyncio

    from app.ui.interaction import QtInteraction
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

DEMO_OFFICERS = ("alice", "bob")
DEMO_ROLE = "custody officer (demo)"


class EmulatorControl(QObject):
    """The desk's emulator actions; ``window()`` is the current main window."""

    def __init__(self, ctx: DeskContext, window: Callable[[], MainWindow]) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.window = window
        self.screens = EmulatorScreens(self, window)
        self.offer: EmulatorOfferDialog | None = None
        self.demo_task: asyncio.Task[Any] | None = None
        ctx.emulator_changed.connect(self._emulator_changed)

    @staticmethod
    def allowed() -> bool:
        """A production build never offers the test emulator unless explicitly allowed."""
        from app.build_info import ALLOW_EMULATOR_FLAG, emulator_allowed

        return emulator_allowed(ALLOW_EMULATOR_FLAG in sys.argv)

    # --- offer ---------------------------------------------------------------------------
    def open_offer(self, no_device: bool) -> EmulatorOfferDialog:
        """Ask before starting; with no officers registered, offer the demo officers too."""
        dialog = EmulatorOfferDialog(
            self.window(), no_device=no_device, offer_demo_officers=not self.ctx.officers
        )
        self.offer = dialog
        dialog.finished.connect(lambda _code: self._offer_answered(dialog))
        dialog.open()
        return dialog

    def _offer_answered(self, dialog: EmulatorOfferDialog) -> None:
        if dialog.clickedButton() is dialog.start_button:
            self.start(demo_officers=dialog.wants_demo_officers())

    # --- start / stop --------------------------------------------------------------------
    def toggle(self) -> None:
        """The Devices tab's start/stop action."""
        if emulator_host().active:
            self.stop()
        elif not self.ctx.officers and self.allowed():
            self.open_offer(no_device=False)
        else:
            self.start()

    def start(self, demo_officers: bool = False) -> list[Any]:
        """Start one emulator, or two plus the demo officers; returns those started."""
        if not self._refuse_in_production():
            return []
        count = 2 if demo_officers else 1
        started: list[Any] = []
        # After a restart: every officer registered with a test key gets their emulator
        # back (bob's too, not only the first seed's), so nobody meets "not the
        # officer's registered device".
        again = [] if demo_officers else self.officers_seeds()
        try:
            for officer, words in again:
                started.append(emulator_host().start(mnemonic=words, name=officer))
            for n in range(0 if again else count):
                name = DEMO_OFFICERS[n] if demo_officers else None
                mnemonic = emulator_host().next_test_mnemonic()
                started.append(emulator_host().start(mnemonic=mnemonic, name=name))
        except Exception as exc:
            log.exception("emulator failed to start")
            self._warn(QCoreApplication.translate("EmulatorControl", "Emulator"), str(exc))
        if started:
            self._announce()
        if demo_officers and len(started) == 2:
            self.demo_task = self.ctx.spawn(self.register_demo_officers(started))
        return started

    def officers_seeds(self) -> list[tuple[str, str]]:
        """(officer, public test seed) for each registered emulator officer whose seed
        has no running emulator: the emulators the desk started before a restart."""
        from signing.emulator.test_seeds import TEST_MNEMONICS

        running = {e.hsm.fingerprint() for e in emulator_host().running}
        wanted = {
            o.fingerprint: o.name
            for o in self.ctx.officers
            if o.is_emulator and o.fingerprint and o.fingerprint not in running
        }
        return [
            (wanted[_seed_fingerprint(words)], words)
            for words in TEST_MNEMONICS
            if _seed_fingerprint(words) in wanted
        ]

    def start_another(self) -> Any | None:
        """Start one more emulator on the next public test seed not in use."""
        if not self._refuse_in_production():
            return None
        try:
            mnemonic = emulator_host().next_test_mnemonic()
        except NoTestSeedLeft:
            self._warn(
                QCoreApplication.translate("EmulatorControl", "No test seed left"),
                QCoreApplication.translate(
                    "EmulatorControl",
                    "Every public test seed already has a running emulator (%1 emulators)."
                    " One device belongs to one officer only, so another emulator would"
                    " need another seed: stop the emulators first, or plug in a device.",
                ).replace("%1", str(len(emulator_host().running))),
            )
            return None
        try:
            emulator = emulator_host().start(mnemonic=mnemonic)
        except Exception as exc:
            log.exception("emulator failed to start")
            self._warn(QCoreApplication.translate("EmulatorControl", "Emulator"), str(exc))
            return None
        self._announce()
        return emulator

    def stop(self) -> None:
        emulator_host().stop_all()
        self.ctx.emulator_running = False
        self.ctx.emulator_changed.emit(False)

    def set_ask_on_screen(self, ask: bool) -> None:
        """Approve automatically, or ask the tester on each emulator's device screen."""
        emulator_host().set_ask_on_screen(ask)
        self.ctx.status_message.emit(
            QCoreApplication.translate(
                "EmulatorControl", "Test emulators now ask on their device screen."
            )
            if ask
            else QCoreApplication.translate(
                "EmulatorControl", "Test emulators now approve automatically."
            )
        )

    # --- demo officers -------------------------------------------------------------------
    async def register_demo_officers(self, emulators: list[Any]) -> list[OfficerRow] | None:
        """Register alice and bob from the two emulators' keys and put alice on duty."""
        from app.ui.dialogs.register_officer import DEFAULT_PATH
        from app.ui.signing_flow import SigningFlow

        window = self.window()
        flow = SigningFlow(
            window,
            QCoreApplication.translate("EmulatorControl", "test emulators"),
            QCoreApplication.translate(
                "EmulatorControl", "Reading the demo officers' keys from the test emulators"
            ),
        )

        async def register_both(interaction: QtInteraction) -> list[OfficerRow]:
            rows = []
            for name, emulator in zip(DEMO_OFFICERS, emulators, strict=True):
                rows.append(
                    await self.ctx.facade.register_officer(
                        name, DEMO_ROLE, emulator.trezor_uri, DEFAULT_PATH, interaction
                    )
                )
            return rows

        officers = await flow.run(register_both)
        await self.ctx.reload_officers()
        await self.ctx.reload_devices()
        self.ctx.notify_changed()
        if officers:
            self.window().select_officer(DEMO_OFFICERS[0])
            self.ctx.status_message.emit(
                QCoreApplication.translate(
                    "EmulatorControl",
                    "Demo officers alice and bob registered with test keys; alice is on duty."
                    " Prepare as alice, then switch to bob to approve.",
                )
            )
        return officers

    # --- helpers ---------------------------------------------------------------------------
    def _announce(self) -> None:
        self.ctx.emulator_running = True
        self.ctx.emulator_changed.emit(True)

    def _emulator_changed(self, running: bool) -> None:
        if not running:
            self.screens.close_all()

    def _refuse_in_production(self) -> bool:
        if self.allowed():
            return True
        self._warn(
            QCoreApplication.translate("EmulatorControl", "Emulator refused"),
            QCoreApplication.translate(
                "EmulatorControl",
                "This is a production build: the test emulator is disabled. Plug in a"
                " hardware device.",
            ),
        )
        return False

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, title, parent=self.window())
        box.setObjectName("emulatorMessage")
        box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 420px; }")
        box.setInformativeText(text)
        box.open()


@functools.cache
def _seed_fingerprint(words: str) -> str:
    """The master fingerprint a public test seed gives an emulator (8 hex digits)."""
    from signing.emulator.hsm import SoftHsm

    return SoftHsm(mnemonic=words).fingerprint()
