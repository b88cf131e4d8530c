"""The desk's main window: who is signed in, six tabs, emulator banner, status bar."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QIcon, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSystemTrayIcon,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.services.desk_facade import RefusedError
from app.ui import i18n
from app.ui.context import DeskContext, show_refusal
from app.ui.file_dialogs import choose_file
from app.ui.message_log import MessageLogDialog, NoticeButton
from app.ui.signin.bar import SigninBar
from app.ui.status_row import ElidedLabel, StatusRow
from app.ui.theme import BANNER_STYLE
from app.ui.views.holdings_view import HoldingsView
from app.ui.window_size import default_window_geometry, minimum_window_size

if TYPE_CHECKING:
    from app.ui.dialogs.settings_dialog import SettingsDialog
    from app.ui.views.attestations_view import AttestationsView
    from app.ui.views.audit_view import AuditView
    from app.ui.views.devices_view import DevicesView
    from app.ui.views.emergency_view import EmergencyView
    from app.ui.views.margin_calls_view import MarginCallsView

log = logging.getLogger(__name__)

#: Holdings, attestations, margin calls, emergency, devices, audit.
TAB_COUNT = 6


class _Rest:
    """The tabs after Holdings, built once the window is interactive (cold start)."""

    def __init__(
        self,
        attestations: AttestationsView,
        margin_calls: MarginCallsView,
        emergency: EmergencyView,
        devices: DevicesView,
        audit: AuditView,
    ) -> None:
        self.attestations = attestations
        self.margin_calls = margin_calls
        self.emergency = emergency
        self.devices = devices
        self.audit = audit

    def views(self) -> list[QWidget]:
        return [self.attestations, self.margin_calls, self.emergency, self.devices, self.audit]


class MainWindow(QMainWindow):
    """Owns the shared context and lays out the views; each view owns its actions."""

    ready = Signal()  # first data shown: the window is interactive

    def __init__(self, ctx: DeskContext, settings: QSettings, icon: QIcon | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.settings = settings
        ctx.settings = settings
        self.setObjectName("mainWindow")
        if icon is not None:
            self.setWindowIcon(icon)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = QLabel()
        self.banner.setObjectName("emulatorBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)  # a narrow window wraps it: "TEST" is never cut off
        self.banner.setVisible(False)
        layout.addWidget(self.banner)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.holdings = HoldingsView(ctx)
        self.tabs.addTab(self.holdings, "")
        # The other tabs are built right after the first data is shown (or as soon as
        # anything asks for one): a placeholder holds each place until then.
        self._rest: _Rest | None = None
        self.closed = False  # a closed window (e.g. replaced on a language switch) loads nothing
        self._asked_to_close = False  # File > Quit: closed as by the window's own button
        self._when_built: list[Callable[[MainWindow], None]] = []
        for _ in range(TAB_COUNT - 1):
            self.tabs.addTab(QWidget(), "")
        self.tabs.currentChanged.connect(lambda _i: self._ensure_built())
        layout.addWidget(self.tabs, 1)
        self._central_layout = layout
        self.setCentralWidget(central)

        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable() and icon is not None:
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.show()
        ctx.emulator_changed.connect(self._on_emulator_changed)
        ctx.devices_changed.connect(self._update_status)
        ctx.store_link_changed.connect(self._update_status)
        ctx.status_message.connect(self._show_message)
        ctx.task_failed.connect(self._show_failure)
        self.clock = QTimer(self)
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self._tick)
        self.clock.start()
        i18n.translator().language_changed.connect(self.retranslate)
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._scheme_changed)
        self.retranslate()
        self.restore_state()
        # Nothing worth painting until the first holdings arrive (a few tens of ms):
        # skip the frame of empty tables; a timer guarantees the window never stays blank.
        central.setUpdatesEnabled(False)
        QTimer.singleShot(1000, self, self._reveal)

    def _reveal(self) -> None:
        central = self.centralWidget()
        if central is not None and not central.updatesEnabled():
            central.setUpdatesEnabled(True)

    # --- the tabs after Holdings, built on first need -----------------------------
    def _ensure_built(self) -> _Rest:
        if self._rest is not None:
            return self._rest
        from app.ui.views.attestations_view import AttestationsView
        from app.ui.views.audit_view import AuditView
        from app.ui.views.devices_view import DevicesView
        from app.ui.views.emergency_view import EmergencyView
        from app.ui.views.margin_calls_view import MarginCallsView

        ctx = self.ctx
        rest = _Rest(
            AttestationsView(ctx, self.holdings),
            MarginCallsView(ctx),
            EmergencyView(ctx),
            DevicesView(ctx),
            AuditView(ctx),
        )
        self._rest = rest
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        for n, view in enumerate(rest.views(), start=1):
            placeholder = self.tabs.widget(n)
            self.tabs.removeTab(n)
            self.tabs.insertTab(n, view, "")
            if placeholder is not None:
                placeholder.deleteLater()
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        for view in rest.views():
            for action in getattr(view, "menu_actions", list)():
                self.actions_menu.addAction(action)
        rest.margin_calls.new_calls.connect(self._notify_new_calls)
        rest.margin_calls.open_count_changed.connect(lambda _n: self.retranslate())
        self.retranslate()
        for callback in self._when_built:
            callback(self)
        self._when_built.clear()
        return rest

    def when_built(self, callback: Callable[[MainWindow], None]) -> None:
        """Run ``callback(window)`` once every tab exists (now, if they already do)."""
        if self._rest is not None:
            callback(self)
        else:
            self._when_built.append(callback)

    @property
    def attestations(self) -> AttestationsView:
        return self._ensure_built().attestations

    @property
    def margin_calls(self) -> MarginCallsView:
        return self._ensure_built().margin_calls

    @property
    def emergency(self) -> EmergencyView:
        return self._ensure_built().emergency

    @property
    def devices(self) -> DevicesView:
        return self._ensure_built().devices

    @property
    def audit(self) -> AuditView:
        return self._ensure_built().audit

    def views(self) -> list[QWidget]:
        return [self.holdings, *self._ensure_built().views()]

    # --- chrome ----------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Desk"))
        bar.setObjectName("deskToolbar")
        bar.setMovable(False)
        # who is on duty is decided by sign-in on their own device, never picked here
        self.signin_bar = SigninBar(self.ctx, lambda: self)
        bar.addWidget(self.signin_bar)
        bar.addSeparator()
        self.refresh_action = QAction(self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.ctx.notify_changed)
        bar.addAction(self.refresh_action)
        self.addToolBar(bar)

    def _build_menus(self) -> None:
        menu = self.menuBar()
        self.file_menu = menu.addMenu("")
        self.import_action = QAction(self)
        self.import_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_action.triggered.connect(lambda: self.ctx.spawn(self.import_snapshot()))
        self.file_menu.addAction(self.import_action)
        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(lambda _=False: self.show_settings("exchange"))
        self.file_menu.addAction(self.settings_action)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.quit)
        self.file_menu.addAction(self.quit_action)
        self.view_menu = menu.addMenu("")
        self.tab_actions: list[QAction] = []
        for n in range(TAB_COUNT):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{n + 1}"))
            action.triggered.connect(lambda _=False, i=n: self.tabs.setCurrentIndex(i))
            self.view_menu.addAction(action)
            self.tab_actions.append(action)
        self.find_action = QAction(self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.holdings.focus_search)
        self.view_menu.addAction(self.find_action)
        self.messages_action = QAction(self)
        self.messages_action.setShortcut(QKeySequence("Ctrl+Alt+M"))
        self.messages_action.triggered.connect(self.show_messages)
        self.view_menu.addAction(self.messages_action)
        self.language_menu = self.view_menu.addMenu("")
        self.language_actions: dict[str, QAction] = {}
        for code, name in i18n.LANGUAGES.items():
            action = QAction(name, self)
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, c=code: i18n.translator().switch(c))
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.actions_menu = menu.addMenu("")  # each tab adds its actions when built
        self.help_menu = menu.addMenu("")
        self.docs_action = QAction(self)
        self.docs_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.docs_action.triggered.connect(lambda: self.show_settings("help"))
        self.about_action = QAction(self)
        self.about_action.triggered.connect(lambda: self.show_settings("about"))
        self.help_menu.addAction(self.docs_action)
        self.help_menu.addAction(self.about_action)
        self.settings_dialog: SettingsDialog | None = None

    def _build_status_bar(self) -> None:
        """Two rows (app/ui/status_row.py): the desk's state (store, devices, emulator,
        session) above the status bar, so the status bar's message reads whole."""
        bar = self.statusBar()
        self.store_status = ElidedLabel()
        self.store_status.setObjectName("storeStatus")
        self.device_status = ElidedLabel()
        self.device_status.setObjectName("deviceStatus")
        self.emulator_status = ElidedLabel()
        self.emulator_status.setObjectName("emulatorStatus")
        self.status_row = StatusRow(
            [self.store_status, self.device_status, self.emulator_status,
             self.signin_bar.status_label]
        )
        self._central_layout.addWidget(self.status_row)
        self.clock_label = QLabel()
        self.message_label = ElidedLabel(mode=Qt.TextElideMode.ElideRight)
        self.message_label.setObjectName("statusMessage")
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(lambda: self.message_label.setText(""))
        bar.addWidget(self.message_label, 1)
        # Important messages stay here until read; the message on the left is brief.
        self.notice_button = NoticeButton(self.ctx.messages)
        self.notice_button.clicked.connect(self.show_messages)
        self.notice_button.setMaximumWidth(360)  # a quarter of a narrower window
        bar.addPermanentWidget(self.notice_button)
        self.message_log_dialog: MessageLogDialog | None = None
        bar.addPermanentWidget(self.clock_label)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Custody Desk"))
        self.signin_bar.retranslate()
        self.refresh_action.setText(self.tr("&Refresh"))
        self.file_menu.setTitle(self.tr("&File"))
        self.quit_action.setText(self.tr("&Quit"))
        self.settings_action.setText(self.tr("&Settings…"))
        self.help_menu.setTitle(self.tr("Hel&p"))
        self.docs_action.setText(self.tr("&Documentation"))
        self.about_action.setText(self.tr("&About Custody Desk"))
        self.import_action.setText(self.tr("&Import snapshot…"))
        self.view_menu.setTitle(self.tr("&View"))
        self.actions_menu.setTitle(self.tr("&Actions"))
        self.find_action.setText(self.tr("&Find client"))
        self.messages_action.setText(self.tr("Messa&ges…"))
        self.language_menu.setTitle(self.tr("&Language"))
        for code, action in self.language_actions.items():
            action.setChecked(code == i18n.translator().current)
        open_calls = self._rest.margin_calls.model.open_count() if self._rest else 0
        titles = [
            self.tr("&Holdings"),
            self.tr("A&ttestations"),
            self.tr("&Margin calls (%1)").replace("%1", str(open_calls))
            if open_calls
            else self.tr("&Margin calls"),
            self.tr("&Emergency"),
            self.tr("Dev&ices"),
            self.tr("A&udit"),
        ]
        for n, title in enumerate(titles):
            self.tabs.setTabText(n, title)
            self.tab_actions[n].setText(title)
        self.tabs.tabBar().setTabTextColor(
            2, self.palette().color(self.palette().ColorRole.WindowText)
        )
        if open_calls:
            from app.ui import theme

            self.tabs.tabBar().setTabTextColor(2, theme.bad())
        self._on_emulator_changed(self.ctx.emulator_running)
        self._update_status()

    def select_officer(self, name: str) -> object:
        """Sign ``name`` in on the device holding their key (the task doing it)."""
        return self.signin_bar.controller.spawn_sign_in(name)

    def _on_emulator_changed(self, running: bool) -> None:
        self.banner.setVisible(running)
        self.banner.setText(
            self.tr("⚠ TEST EMULATOR — NOT FOR PRODUCTION ⚠   signatures made here are test-only")
        )
        self.banner.setAccessibleName(self.tr("Test emulator warning"))
        self._update_status()

    def _update_status(self) -> None:
        # What needs the officer comes first (the label elides its middle): a signed
        # act not committed yet, then a lost connection, then which store this is.
        parts = ["⚠ " + line for line in self.ctx.uncommitted.values()]
        if self.ctx.store_link_down:
            parts.append(self.tr("⚠ connection lost, retrying: %1").replace(
                "%1", self.ctx.store_link_down
            ))
        parts.append(self.tr("Store: %1").replace("%1", self.ctx.facade.store_description()))
        self.store_status.setText("  ".join(parts))
        devices = self.ctx.devices
        if devices:
            names = ", ".join(d.label for d in devices[:3])
            self.device_status.setText(self.tr("Devices: %1").replace("%1", names))
        else:
            self.device_status.setText(self.tr("Devices: none found"))
        self.emulator_status.setText(
            self.tr("Emulator: RUNNING (test only)")
            if self.ctx.emulator_running
            else self.tr("Emulator: off")
        )

    async def import_snapshot(self, path: str | None = None) -> str | None:
        """Import a snapshot file (idempotent); every view then shows the new holdings."""
        if path is None:
            path = await choose_file(
                self, self.tr("Import snapshot"), self.tr("Snapshots (*.json)"),
                settings=self.settings,
            )
        if not path:
            return None
        try:
            result = await self.ctx.facade.import_snapshot(path, self.ctx.officer or "desk")
        except RefusedError as exc:
            show_refusal(self, exc, self.tr("Snapshot refused"))
            return None
        self._show_message(result, 10000)
        self.ctx.notify_changed()
        return result

    def _scheme_changed(self, _scheme: object) -> None:
        # Follow the system light/dark switch: semantic colours are re-picked.
        from app.ui import theme

        theme.refresh()
        self.ctx.notify_changed()

    def _show_failure(self, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            self.tr("The action failed"),
            self.tr("The action failed"),
            parent=self,
        )
        box.setObjectName("failureMessage")
        box.setInformativeText(
            self.tr(
                "%1\n\nWhatever the store had committed before the failure is kept; the"
                " desk's log has the details. Refresh (F5) and check before trying again."
            ).replace("%1", text)
        )
        box.open()

    def show_settings(self, tab: str = "exchange") -> SettingsDialog:
        """The desk's settings (non-modal): exchange link, keys, backup, store, about, help."""
        from app.ui.dialogs.settings_dialog import SettingsDialog

        if self.settings_dialog is None:
            self.settings_dialog = SettingsDialog(self.ctx, self)
        self.settings_dialog.show_tab(tab)
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        return self.settings_dialog

    def show_messages(self) -> MessageLogDialog:
        """Open the message log (non-modal); everything in it counts as read."""
        if self.message_log_dialog is None:
            self.message_log_dialog = MessageLogDialog(self.ctx.messages, self)
        self.message_log_dialog.show()
        self.message_log_dialog.raise_()
        return self.message_log_dialog

    def _show_message(self, text: str, timeout_ms: int = 8000) -> None:
        bar = self.statusBar()
        self.message_label.setText(text)
        self._message_timer.start(timeout_ms)
        # A message the status bar would cut off stays, whole, in the unread button.
        room = bar.width() - sum(
            w.width() for w in (self.notice_button, self.clock_label) if w.isVisible()
        )
        if self.message_label.fontMetrics().horizontalAdvance(text) > room - 40:
            self.ctx.messages.keep_unread(text)

    def _tick(self) -> None:
        self.clock_label.setText(datetime.now(UTC).strftime("%H:%M:%S UTC"))

    def _notify_new_calls(self, count: int) -> None:
        title = self.tr("New margin call")
        text = self.tr("%n new margin call(s) need attention.", "", count)
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, 10000)
        self.ctx.important_message.emit(text)
        self.retranslate()

    # --- state -------------------------------------------------------------------
    def restore_state(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setMinimumSize(minimum_window_size(screen.availableGeometry().size()))
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        else:
            # First run: big enough for every Holdings column, centred.
            screen = self.screen() or QGuiApplication.primaryScreen()
            if screen is not None:
                self.setGeometry(default_window_geometry(screen.availableGeometry()))
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)  # type: ignore[arg-type]
        tab = self.settings.value("window/tab", 0)
        self.tabs.setCurrentIndex(int(tab))  # type: ignore[call-overload]
        saved = {}
        for key in ("holdings/splitter", "holdings/lower", "holdings/clients"):
            value = self.settings.value(key)
            if isinstance(value, QByteArray):
                saved[key] = value
        self.holdings.restore_state(saved)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/tab", self.tabs.currentIndex())
        for key, value in self.holdings.save_state().items():
            self.settings.setValue(key, value)
        self.settings.sync()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        # the unread-notice button takes at most a quarter of the bar: the message
        # left of it keeps room to read whole at the minimum window size
        self.notice_button.setMaximumWidth(min(360, max(120, self.width() // 4)))

    def quit(self) -> None:
        """File > Quit: close as the officer would with the window's own button."""
        self._asked_to_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        asked = event.spontaneous() or self._asked_to_close
        self._asked_to_close = False
        if asked and self.ctx.kept_acts and not self.closed:
            # A signature the store has not got yet lives only in this window.
            event.ignore()
            self._ask_to_discard_kept()
            return
        self.closed = True
        with contextlib.suppress(RuntimeError, TypeError):  # a closed window is not re-read
            i18n.translator().language_changed.disconnect(self.retranslate)
        self.save_state()
        # No more polling (exchange, devices, countdowns) once the window is gone.
        for timer in self.findChildren(QTimer):
            timer.stop()
        # Its open dialogs go with it, answered "no" (a flow waiting on one ends).
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        super().closeEvent(event)

    def _ask_to_discard_kept(self) -> None:
        acts = self.ctx.kept_acts
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Signed, not committed"),
            self.tr("%n signed act(s) could not be committed yet.", "", len(acts)),
            parent=self,
        )
        box.setObjectName("keptActsOnClose")
        box.setInformativeText(
            self.tr(
                "The store has not got the %n act(s) below: closing the window discards "
                "them and they must be signed again. Keep the window open and they are "
                "committed when the store is back.\n\n%1", "", len(acts)
            ).replace("%1", "\n".join(acts))
        )
        keep = box.addButton(self.tr("Keep the window open"), QMessageBox.ButtonRole.RejectRole)
        discard = box.addButton(self.tr("Discard and close"),
                                QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)

        def answered() -> None:
            if box.clickedButton() is discard:
                self.ctx.discard_kept()
                self.close()

        box.finished.connect(answered)
        box.open()  # not exec(): the loop keeps running (and committing)

    async def load_all(self) -> None:
        """First load of every view (called once the loop runs)."""
        # Officers and holdings come from independent reads: fetch them together.
        try:
            await asyncio.gather(self.ctx.reload_officers(), self.holdings.reload())
        finally:
            if not self.closed:
                self._reveal()
        if self.closed:
            return
        if self.signin_bar.controller.session is None:  # the window asks at start
            self.signin_bar.ask(self.signin_bar.controller.take_ask_reason())
        self.ready.emit()
        await asyncio.sleep(0)  # let the first frame paint before building the other tabs
        if self.closed:
            return
        for view in self.views()[1:]:
            if self.closed:
                return
            await view.reload()  # type: ignore[attr-defined]
