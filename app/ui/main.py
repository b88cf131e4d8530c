"""Start the desk GUI: QApplication + qasync loop, the store (demo on first run), the window."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.services.desk_facade import DeskFacade
from app.ui import i18n
from app.ui.backend.emulator import emulator_host
from app.ui.context import DeskContext
from app.ui.dialogs.emulator_offer import EmulatorOfferDialog
from app.ui.live_desk import LiveDesk
from app.ui.main_window import MainWindow

if TYPE_CHECKING:
    from app.ui.emulator_control import EmulatorControl

from app.resources_path import resources_dir

log = logging.getLogger(__name__)

ASK_ON_SCREEN_KEY = "emulator/ask_on_screen"
ICON_PATH = resources_dir() / "icons" / "com.custodydesk.CustodyDesk.svg"


def open_facade(data_dir: str | None, store_url: str | None = None) -> DeskFacade:
    """Open the store (``--store``, ``CUSTODY_DESK_STORE``, else SQLite in the data dir;
    creating it and loading the demo data on the first run of an embedded desk)."""
    from app.services.demo import load_demo_if_empty
    from app.store.url import open_target, resolve_store
    from app.ui.backend.store_desk import StoreDesk

    target = resolve_store(store_url, data_dir)
    store = open_target(target)
    if target.dialect == "sqlite":
        load_demo_if_empty(store)  # a shared desk never gets demo data by itself
    return StoreDesk(store)


def make_settings(data_dir: str | None) -> QSettings:
    """Window state lives next to the store when a data dir is given (tests), else per user."""
    if data_dir:
        return QSettings(str(Path(data_dir) / "gui.ini"), QSettings.Format.IniFormat)
    return QSettings("custody-desk", "Custody Desk")


GUI_SWITCH_INTERVAL_S = 0.001  # how soon a worker thread hands the GIL to the GUI thread


class DeskApp:
    """Owns the window and rebuilds it when the language changes (every string re-translated)."""

    def __init__(self, ctx: DeskContext, settings: QSettings, icon: QIcon | None) -> None:
        # Store reads hop to a worker thread; two plain threads, started on first use,
        # are cheaper than qasync's default pool of ten QThreads created up front.
        with contextlib.suppress(RuntimeError):
            asyncio.get_event_loop().set_default_executor(
                ThreadPoolExecutor(max_workers=2, thread_name_prefix="desk-io")
            )
        # Qt calls the models' data() once per cell and role, each call taking the
        # GIL back from the worker threads (a reload, the audit check); at Python's
        # 5 ms switch interval a 4-row repaint waited up to 0.4 s behind them. At
        # 1 ms the window stays responsive (docs/performance.md, bench_live_reload).
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
        self.ctx = ctx
        self.settings = settings
        self.icon = icon
        self.window = MainWindow(ctx, settings, icon)
        # A shared desk reloads on other workstations' commits (no-op on SQLite).
        self.live = LiveDesk(ctx, ctx)
        self.live.start()
        self._emulators: EmulatorControl | None = None
        i18n.translator().language_changed.connect(self._rebuild)
        ctx.store_restored.connect(self._store_restored)  # bound: no cycle through ctx
        ctx.emulator_changed.connect(lambda _r: ctx.spawn(ctx.reload_devices()))
        # "Ask on the emulator screen" is remembered, and applies to every emulator started
        ctx.emulator_changed.connect(self._apply_ask_on_screen)
        self._apply_ask_on_screen(True)
        self.window.when_built(self._connect_emulator_actions)

    @property
    def emulators(self) -> EmulatorControl:
        """The emulator actions (imported and created on first use: cold start)."""
        if self._emulators is None:
            from app.ui.emulator_control import EmulatorControl

            self._emulators = EmulatorControl(self.ctx, lambda: self.window)
        return self._emulators

    @property
    def offer(self) -> EmulatorOfferDialog | None:
        """The last "start the test emulator?" dialog opened."""
        return self.emulators.offer

    def _rebuild(self, _code: str) -> None:
        old = self.window
        old.save_state()
        self.window = MainWindow(self.ctx, self.settings, self.icon)
        self.window.when_built(self._connect_emulator_actions)
        self.window.show()
        self.ctx.spawn(self.window.load_all())
        old.close()
        old.deleteLater()

    def close(self) -> None:
        """The desk winds down (the app quits, a test ends): the window closes and
        nothing of it listens any more (other workstations' changes, signed acts,
        language switches). Closing twice is closing once."""
        if self.ctx.closed:
            return
        self.live.stop()
        with contextlib.suppress(RuntimeError, TypeError):
            i18n.translator().language_changed.disconnect(self._rebuild)
        self.window.close()
        self.ctx.close()

    def _store_restored(self, path: str) -> None:
        self.ctx.spawn(self.after_restore(path))

    async def after_restore(self, path: str) -> None:
        """The store now holds a backup's content: no restart. The session is checked
        against the restored store (kept, or ended with sign-in asked again), then the
        window is rebuilt so every view reads the restored store (as on a language
        switch), and the officers and devices are read again."""
        from app.ui.context import show_info
        from app.ui.signin.controller import SigninController

        controller = SigninController.for_context(self.ctx, lambda: self.window)
        kept = await controller.store_restored()
        self._rebuild(i18n.translator().current)
        await self.ctx.reload_devices()
        text = QCoreApplication.translate(
            "DeskApp", "The desk now shows the store restored from %1."
        ).replace("%1", path)
        if not kept:
            text += " " + QCoreApplication.translate(
                "DeskApp", "Your session is not in it: sign in again."
            )
        self.ctx.important_message.emit(text)
        show_info(self.window, QCoreApplication.translate("DeskApp", "Store restored"), text)

    def _connect_emulator_actions(self, window: MainWindow) -> None:
        devices = window.devices
        devices.emulator_action.triggered.connect(self.toggle_emulator)
        devices.another_emulator_action.triggered.connect(self.start_another_emulator)
        devices.ask_on_screen_action.setChecked(self.ask_on_screen_saved())
        devices.ask_on_screen_action.toggled.connect(self.ask_on_emulator_screen)
        allowed = self.emulator_allowed()
        for action in (
            devices.emulator_action,
            devices.another_emulator_action,
            devices.ask_on_screen_action,
        ):
            action.setEnabled(allowed)

    @staticmethod
    def emulator_allowed() -> bool:
        """A production build never offers the test emulator unless explicitly allowed."""
        from app.build_info import ALLOW_EMULATOR_FLAG, emulator_allowed

        return emulator_allowed(ALLOW_EMULATOR_FLAG in sys.argv)

    async def start(self, offer_emulator: bool = True) -> None:
        await self.window.load_all()
        await self.ctx.reload_devices()
        self.window.devices.emulator_action.setEnabled(self.emulator_allowed())
        if offer_emulator and not self.ctx.devices and self.emulator_allowed():
            self.emulators.open_offer(no_device=True)

    def start_emulator(self, demo_officers: bool = False) -> None:
        """Start the test emulator (two, with the demo officers, when asked)."""
        self.emulators.start(demo_officers=demo_officers)

    def stop_emulator(self) -> None:
        self.emulators.stop()

    def toggle_emulator(self) -> None:
        self.emulators.toggle()

    def start_another_emulator(self) -> None:
        self.emulators.start_another()

    def ask_on_emulator_screen(self, ask: bool) -> None:
        self.settings.setValue(ASK_ON_SCREEN_KEY, ask)
        self.emulators.set_ask_on_screen(ask)

    def ask_on_screen_saved(self) -> bool:
        value = self.settings.value(ASK_ON_SCREEN_KEY, False)
        return value is True or str(value).lower() == "true"

    def _apply_ask_on_screen(self, running: bool) -> None:
        if running and emulator_host().ask_on_screen != self.ask_on_screen_saved():
            emulator_host().set_ask_on_screen(self.ask_on_screen_saved())


def run_gui(data_dir: str | None, store_url: str | None = None) -> int:
    """Run the desk window until it closes; returns the exit code."""
    import qasync

    logging.basicConfig(level=os.environ.get("CUSTODY_DESK_LOG", "WARNING"))
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Custody Desk")
    app.setOrganizationName("custody-desk")
    app.setDesktopFileName("com.custodydesk.CustodyDesk")
    icon = QIcon(str(ICON_PATH)) if ICON_PATH.exists() else None
    if icon is not None:
        QGuiApplication.setWindowIcon(icon)
    i18n.translator().switch(
        os.environ.get("CUSTODY_DESK_LANG") or i18n.DeskTranslator.from_locale()
    )
    try:
        facade = open_facade(data_dir, store_url)
    except Exception as exc:
        QMessageBox.critical(None, "Custody Desk", f"The desk's store could not be opened:\n{exc}")
        return 1
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    ctx = DeskContext(facade)
    desk = DeskApp(ctx, make_settings(data_dir), icon)
    desk.window.show()
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    # Ctrl+C in the terminal closes the window like Quit does (state saved).
    signal.signal(signal.SIGINT, lambda *_: desk.window.close())
    with loop:
        ctx.spawn(desk.start())
        loop.run_until_complete(closed.wait())
        # quitting signs out: the session's secret lived only in this process anyway
        loop.run_until_complete(desk.window.signin_bar.controller.sign_out(ask_next=False))
        emulator_host().stop_all()
        desk.close()
        loop.run_until_complete(facade.close())
    _stop_device_thread()
    return 0


def _stop_device_thread() -> None:
    """Let the signing library's device thread finish (a device call may be in flight)."""
    try:
        from signing.device_thread import shutdown_shared_device_thread
    except ImportError:
        return
    shutdown_shared_device_thread(wait=True)
