"""Issue #10: what a new user hit in the officer's window, each pinned by a test."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from message_boxes import close_messages
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel, QToolButton

from app.ui import i18n
from app.ui.file_dialogs import open_file_dialogs


def _close_any_file_dialog() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QFileDialog) and widget.isVisible():
            widget.reject()


def test_periodic_work_runs_while_a_file_dialog_is_open(desk, monkeypatch) -> None:
    """No nested event loop: a sync and a device rescan complete under an open file dialog."""
    w = desk.window
    facade = desk.ctx.facade
    synced: list[bool] = []
    original = facade.sync_exchange

    async def counting_sync(*args: Any, **kwargs: Any) -> Any:
        synced.append(True)
        return await original(*args, **kwargs)

    monkeypatch.setattr(facade, "sync_exchange", counting_sync)
    failures: list[str] = []
    desk.ctx.task_failed.connect(failures.append)
    # A static dialog (today's code) would block here: close it after a while so the
    # test fails instead of hanging.
    QTimer.singleShot(6000, _close_any_file_dialog)
    w.emergency.import_action.trigger()
    desk.wait_until(lambda: bool(open_file_dialogs()), timeout=4)
    [dialog] = open_file_dialogs()
    # it opens in the officer's folders, never in the code checkout the desk runs from
    assert Path(dialog.directory().absolutePath()).resolve() != Path.cwd().resolve()

    # the periodic margin-call sync fires, and a device rescan, while the officer chooses
    w.margin_calls.sync_timer.timeout.emit()
    rescan = desk.ctx.spawn(desk.ctx.reload_devices())
    desk.wait_until(lambda: bool(synced) and rescan.done(), timeout=5)
    assert rescan.exception() is None
    assert open_file_dialogs() == [dialog]  # still asking

    dialog.reject()
    desk.settle()
    assert failures == [], failures
    assert close_messages() == ""


def test_margin_call_actions_are_disabled_without_a_selected_call(desk) -> None:
    view = desk.window.margin_calls
    desk.run(view.reload())
    assert view.model.rowCount() == 0
    for action in (
        view.ack_action,
        view.topup_action,
        view.answer_action,
        view.escalate_action,
        view.waterfall_action,
    ):
        assert not action.isEnabled(), action.text()
    assert view.sync_action.isEnabled()  # syncing needs no selection


def test_a_small_window_keeps_the_test_banner_whole_and_every_button_readable(desk) -> None:
    from app.ui.models.desk import MarginCallColumn
    from app.ui.window_size import WINDOW_MINIMUM, minimum_window_size

    w = desk.window
    screen = w.screen().availableGeometry().size()
    minimum = minimum_window_size(screen)
    assert minimum == WINDOW_MINIMUM.boundedTo(screen)  # never larger than the screen
    desk.ctx.emulator_running = True
    desk.ctx.emulator_changed.emit(True)
    w.resize(500, 300)
    desk.wait_until(lambda: w.width() >= minimum.width())
    assert w.width() >= minimum.width() and w.height() >= minimum.height()
    banner = w.banner
    assert banner.isVisible() and "TEST" in banner.text()
    # the banner's text needs no more room than it has (nothing clipped at either end)
    assert banner.heightForWidth(banner.width()) <= banner.height()
    metrics = banner.fontMetrics()
    first_line = banner.text().split("—")[0]
    assert metrics.horizontalAdvance(first_line) <= banner.contentsRect().width()

    view = w.margin_calls
    w.tabs.setCurrentWidget(view)
    desk.settle()
    for button in view.findChildren(QToolButton):
        if button.defaultAction() in view.menu_actions():
            assert button.width() >= button.sizeHint().width(), button.text()
    viewport = view.table.viewport().width()
    for column in (MarginCallColumn.DEADLINE, MarginCallColumn.SHORTFALL):
        right = view.table.columnViewportPosition(column) + view.table.columnWidth(column)
        assert view.table.columnViewportPosition(column) >= 0 and right <= viewport, column


def test_the_maker_sees_who_rejected_the_attestation_when_and_why(desk) -> None:
    from test_flows import prepare_as_alice, setup_two_officers

    setup_two_officers(desk)
    att_id = prepare_as_alice(desk)
    view = desk.window.attestations
    desk.sign_in("bob")
    view.select(att_id)
    dialog = view.open_reject_dialog()
    assert dialog is not None
    dialog.reason.setPlainText("Positions differ from the custodian's ledger")
    dialog.ok_button.click()
    desk.settle()
    desk.sign_in("alice")  # the maker comes back to it
    view.select(att_id)
    desk.run(view.show_detail())
    status = view.status_label.text()
    assert "Rejected" in status and "bob" in status
    assert "Positions differ from the custodian's ledger" in status
    assert "UTC" in status


def test_an_important_message_stays_until_read_and_the_log_keeps_it_whole(desk) -> None:
    w = desk.window
    view = w.margin_calls
    desk.run(view.sync())  # no exchange link in a fresh desk: the officer must read why
    button = w.notice_button
    assert button.isVisible()
    no_link = (
        "No exchange link is configured: File → Settings… → Exchange link"
        " (or custody-desk exchange-link --url)."
    )
    assert no_link in button.toolTip()
    # the periodic sync and other brief messages do not displace it
    for _ in range(3):
        desk.ctx.status_message.emit("exchange: 0 sent, 0 received")
    assert "No exchange link is configured" in button.toolTip()
    assert len(desk.ctx.messages.unread()) == 1
    dialog = w.show_messages()
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any(t.endswith("exchange: 0 sent, 0 received  (×3)") for t in texts), texts
    assert any(no_link in t for t in texts)
    assert desk.ctx.messages.unread() == [] and not button.isVisible()
    dialog.close()


def test_prepare_shows_what_it_attests_and_warns_on_a_duplicate(desk) -> None:
    from test_flows import prepare_as_alice, setup_two_officers

    from app.ui.dialogs.confirm_act import open_confirmations

    setup_two_officers(desk)
    w = desk.window
    first = prepare_as_alice(desk)  # alnoor-quant, selected on the Holdings tab
    view = w.attestations
    w.tabs.setCurrentWidget(view)
    desk.settle()
    # the Attestations tab says what Prepare will act on
    assert "alnoor-quant" in view.selection_label.text()
    count = len(desk.run(desk.ctx.facade.attestations()))
    task = desk.ctx.spawn(view.prepare())  # Ctrl+Shift+P again, nothing changed
    desk.wait_until(lambda: bool(open_confirmations()))
    [ask] = open_confirmations()
    assert "already attests alnoor-quant" in ask.text()
    assert ask.defaultButton() is ask.cancel_button
    ask.cancel_button.click()
    desk.wait_until(task.done)
    assert task.result() is None
    assert len(desk.run(desk.ctx.facade.attestations())) == count
    # confirmed, it prepares the duplicate knowingly
    task = desk.ctx.spawn(view.prepare())
    desk.wait_until(lambda: bool(open_confirmations()))
    open_confirmations()[0].confirm_button.click()
    desk.wait_until(task.done)
    assert task.result() is not None and task.result().att_id != first


def test_the_cli_and_the_window_say_the_same_of_an_ineligible_client(desk, capsys) -> None:
    """One source of truth: creekside-digital is INELIGIBLE in both, with no credit line."""
    from decimal import Decimal

    from app.cli.main import main
    from app.ui.models.holdings import ClientColumn

    holdings = desk.window.holdings
    model = holdings.clients_model
    [row] = [r for r in range(model.rowCount()) if model.row_at(r).client_id == "creekside-digital"]
    client = model.row_at(row)
    window_state = model.index(row, ClientColumn.STATE).data()
    assert "INELIGIBLE" in window_state
    assert client.credit_line == Decimal("0.00")  # an ineligible client has no usable line

    # the CLI reads the same store file
    assert main(["--data-dir", str(desk.data_dir), "holdings"]) == 0
    [line] = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("creekside")]
    assert "INELIGIBLE · Healthy" in line or "INELIGIBLE · No exposure" in line
    assert "Healthy" not in line.split("INELIGIBLE")[0]


def test_ask_on_the_emulator_screen_is_remembered_across_a_restart(desk) -> None:
    from app.ui.backend.emulator import emulator_host
    from app.ui.context import DeskContext
    from app.ui.main import DeskApp, make_settings
    from signing.emulator.test_seeds import TEST_MNEMONIC_ALL

    devices = desk.window.devices
    assert devices.ask_on_screen_action.isEnabled()
    devices.ask_on_screen_action.setChecked(True)
    emulator_host().stop_all()  # the desk closes: the emulators go, their mode with them
    assert not emulator_host().ask_on_screen

    # the next start: a desk of its own on the same store
    again = DeskApp(DeskContext(desk.ctx.facade), make_settings(str(desk.data_dir)), None)
    try:
        again.window.when_built(lambda w: None)
        assert again.window.devices.ask_on_screen_action.isChecked()
        emulator = desk.start_emulator(TEST_MNEMONIC_ALL)
        assert emulator_host().ask_on_screen
        assert emulator.hsm.policy.mode.value == "interactive"
    finally:
        again.close()
        again.window.deleteLater()


def test_counts_use_plural_forms_in_both_languages(desk) -> None:
    w = desk.window  # English plural forms come from en.qm, installed from the start
    w._notify_new_calls(1)
    assert desk.ctx.messages.entries[-1].text == "1 new margin call needs attention."
    w._notify_new_calls(3)
    assert desk.ctx.messages.entries[-1].text == "3 new margin calls need attention."
    assert i18n.translator().switch("zh_CN")
    try:
        desk.window._notify_new_calls(2)
        assert desk.ctx.messages.entries[-1].text == "2 个新的追加保证金通知需要处理。"
    finally:
        i18n.translator().switch("en")



def mnemonic(text: str) -> str | None:
    m = re.search(r"&([^&])", text.replace("&&", ""))
    return m.group(1).upper() if m else None


def conflicts(w: Any) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for n in range(w.tabs.count()):
        w.tabs.setCurrentIndex(n)
        keys = []
        for a in w.menuBar().actions():
            keys.append((mnemonic(a.text()), "menu " + a.text()))
        for i in range(w.tabs.count()):
            keys.append((mnemonic(w.tabs.tabText(i)), "tab " + w.tabs.tabText(i)))
        page = w.tabs.widget(n)
        for b in page.findChildren(QAbstractButton):
            if b.isVisibleTo(page):
                keys.append((mnemonic(b.text()), "button " + b.text()))
        for label in page.findChildren(QLabel):
            if label.buddy() is not None and label.isVisibleTo(page):
                keys.append((mnemonic(label.text()), "label " + label.text()))
        for label in w.findChildren(QLabel):  # the toolbar's labels (officer on duty)
            if label.buddy() is not None and not w.tabs.isAncestorOf(label):
                keys.append((mnemonic(label.text()), "toolbar " + label.text()))
        c = Counter(k for k, _ in keys if k)
        dup = {k: [t for kk, t in keys if kk == k] for k, v in c.items() if v > 1}
        if dup:
            out[w.tabs.tabText(n)] = dup
    return out


def test_no_alt_key_is_bound_twice_on_any_tab_in_either_language(desk) -> None:
    """Menu titles, tab titles and buttons on each tab: every Alt+letter is unique."""
    try:
        for lang in ("en", "zh_CN"):
            assert i18n.translator().switch(lang)
            w = desk.window
            w._ensure_built()
            desk.settle()
            assert conflicts(w) == {}, (lang, conflicts(w))
    finally:
        i18n.translator().switch("en")


def test_the_device_screen_sits_beside_the_main_window_fully_on_its_screen() -> None:
    from PySide6.QtCore import QRect, QSize

    from app.ui.dialogs.emulator_screen import device_screen_position

    size = QSize(480, 320)
    screen = QRect(0, 0, 1600, 900)

    def on_screen(point, available=screen) -> bool:  # type: ignore[no-untyped-def]
        return available.contains(QRect(point, size))

    # room on the right: beside the window, not over its buttons
    main = QRect(100, 50, 1000, 800)
    spot = device_screen_position(screen, main, size)
    assert on_screen(spot) and spot.x() > main.right()
    # room on the left only
    main = QRect(560, 50, 1000, 800)
    spot = device_screen_position(screen, main, size)
    assert on_screen(spot) and spot.x() + size.width() < main.left()
    # a maximised window: inside the screen (the x=1188 with 480 wide clipped it)
    main = QRect(0, 0, 1600, 900)
    assert on_screen(device_screen_position(screen, main, size))
    # the main window on a second screen: the device screen goes there too
    second = QRect(1600, 0, 1920, 1080)
    spot = device_screen_position(second, QRect(1700, 100, 1200, 800), size)
    assert on_screen(spot, second)
    # later screens stack a little lower but never below the screen's edge
    for index in range(12):
        assert on_screen(device_screen_position(screen, QRect(100, 50, 1000, 800), size, index))


def test_closing_the_device_screen_while_it_asks_rejects(desk) -> None:
    from message_boxes import message_texts
    from test_first_run import _two_officers_and_prepared

    bob, att_id = _two_officers_and_prepared(desk)
    w = desk.window
    w.devices.ask_on_screen_action.setChecked(True)
    task = desk.ctx.spawn(w.attestations.approve_selected())
    screens = desk.app.emulators.screens
    desk.wait_until(
        lambda: (s := screens.window_for(bob.trezor_uri)) is not None and s.asking()
    )
    screen = screens.window_for(bob.trezor_uri)
    screen.close()  # the tester closes the window instead of pressing a button
    desk.wait_until(task.done, timeout=10)  # the desk does not wait on
    assert task.result() is None
    assert "Rejected on the device" in message_texts()
    assert "closed the device screen" in screen.status.text()
    assert desk.run(desk.ctx.facade.attestation_detail(att_id)).signature_b64 is None


def test_after_a_restart_every_officers_emulator_comes_back(desk) -> None:
    from message_boxes import message_texts

    from app.ui.backend.emulator import emulator_host

    emulators = desk.app.emulators
    dialog = emulators.open_offer(no_device=True)
    dialog.start_button.click()  # first run: alice and bob, one emulator each
    desk.wait_until(lambda: emulators.demo_task is not None)
    desk.wait_until(emulators.demo_task.done, timeout=20)
    officers = {o.name: o for o in desk.ctx.officers}
    assert set(officers) == {"alice", "bob"}, message_texts()

    emulators.stop()  # the desk closes: its emulators stop
    assert not emulator_host().running
    emulators.start()  # the next start: "Start test emulator"
    desk.run(desk.ctx.reload_devices())
    running = {e.hsm.fingerprint() for e in emulator_host().running}
    assert running == {officers["alice"].fingerprint, officers["bob"].fingerprint}
    # bob signs on his own emulator: no "not the officer's registered device"
    att_id = prepare_as_alice_on(desk)
    desk.sign_in("bob")
    desk.window.attestations.select(att_id)
    desk.run(desk.window.attestations.show_detail())
    signed = desk.run(desk.window.attestations.approve_selected())
    assert signed is not None, message_texts()


def prepare_as_alice_on(desk) -> str:  # type: ignore[no-untyped-def]
    from test_flows import prepare_as_alice

    return prepare_as_alice(desk)


def test_stale_prices_are_flagged_and_block_preparing_until_a_fresh_snapshot(
    desk, tmp_path
) -> None:
    import json
    import time
    from datetime import UTC, datetime, timedelta

    from message_boxes import message_texts
    from test_flows import setup_two_officers

    from app.domain.price_freshness import SETTING
    from app.domain.snapshot import format_utc
    from app.services.demo import demo_snapshot_path
    from app.ui.models.holdings import PositionColumn

    setup_two_officers(desk)
    w = desk.window
    desk.sign_in("alice")
    h = w.holdings
    # every price shows its age and source
    desk.run(h.reload())
    assert "Prices from snapshot #1 (demo snapshot): BENJI" in h.freshness.text()
    # the desk's limit for crypto is set to one second (configurable; default 1 h)
    with desk.ctx.facade.store.transaction() as tx:
        tx.settings.put(SETTING, json.dumps({"crypto": "1s"}), datetime.now(UTC))
    time.sleep(1.2)
    desk.run(h.reload())
    text = h.freshness.text()
    assert "Stale prices: BTC" in text and "limit 1 s" in text and "Import snapshot" in text
    proxy = h.clients.proxy
    def palm() -> int:
        return next(
            r for r in range(proxy.rowCount()) if proxy.row_object(r).client_id == "palm-harbour"
        )

    h.clients.selectRow(palm())
    desk.settle()
    price = h.positions_model.index(0, PositionColumn.PRICE)
    assert price.data().startswith("⚠")
    assert "STALE" in price.data(Qt.ItemDataRole.ToolTipRole)
    # preparing on a stale price is refused with the reason and the way out
    before = len(desk.run(desk.ctx.facade.attestations()))
    assert desk.run(w.attestations.prepare()) is None
    refusal = close_messages()
    assert "the BTC price is" in refusal and "import a fresh snapshot" in refusal.lower()
    assert len(desk.run(desk.ctx.facade.attestations())) == before
    # a fresh snapshot is the way out
    fresh = json.loads(demo_snapshot_path().read_text())
    fresh["as_of"] = format_utc(datetime.now(UTC) + timedelta(minutes=1))
    path = tmp_path / "fresh.json"
    path.write_text(json.dumps(fresh))
    assert desk.run(w.import_snapshot(str(path))) is not None, message_texts()
    desk.run(h.reload())
    assert "Stale" not in h.freshness.text()
    h.clients.selectRow(palm())
    assert desk.run(w.attestations.prepare()) is not None, message_texts()


def test_a_chinese_margin_call_status_reads_whole(desk) -> None:
    from test_details import _call

    from app.services.desk_facade import MarginCallStatus
    from app.ui.models.desk import MarginCallColumn

    assert i18n.translator().switch("zh_CN")
    try:
        view = desk.window.margin_calls
        rows = [_call(True, MarginCallStatus.ESCALATED), _call(False, MarginCallStatus.RECEIVED)]

        async def calls():  # type: ignore[no-untyped-def]
            return rows

        desk.ctx.facade.margin_calls = calls
        desk.run(view.reload())
        assert view.model.index(0, MarginCallColumn.STATUS).data() == "已升级为强平"
        column = MarginCallColumn.STATUS
        assert view.table.columnWidth(column) >= view.table.sizeHintForColumn(column)
    finally:
        i18n.translator().switch("en")


def test_a_message_too_long_for_the_status_bar_is_kept_whole_until_read(desk) -> None:
    w = desk.window
    long = (
        "Demo officers alice and bob registered with test keys; alice is on duty."
        " Prepare as alice, then switch to bob to approve. " * 3
    ).strip()
    desk.ctx.status_message.emit(long)
    assert w.notice_button.isVisible() and w.notice_button.toolTip().endswith(long)
    desk.ctx.status_message.emit("exchange: 0 sent")  # short: brief only
    assert [e.text for e in desk.ctx.messages.unread()] == [long]


def test_the_desks_settings_are_in_the_window(desk, tmp_path) -> None:
    """Exchange link with TLS files, keys (revoke confirmed, export), backup, store,
    About and Help: nothing an officer needs requires the CLI."""
    from test_flows import setup_two_officers

    from app.exchange.configured import configured_target, tls_files
    from app.services.officers import list_officers
    from app.ui.dialogs.confirm_act import open_confirmations

    setup_two_officers(desk)
    w = desk.window
    desk.sign_in("alice")
    dialog = w.show_settings()
    desk.settle()
    store = desk.ctx.facade.store
    # exchange link: a missing CA file is refused, nothing stored
    dialog.link_edit.setText("https://exchange.example/api")
    dialog.ca_edit.setText(str(tmp_path / "missing-ca.pem"))
    assert desk.run(dialog.save_exchange()) is False
    assert "missing-ca.pem: no such file" in close_messages()
    assert configured_target(store) is None
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    dialog.ca_edit.setText(str(ca))
    assert desk.run(dialog.save_exchange()) is True
    assert configured_target(store) == "https://exchange.example/api"
    assert tls_files(store)[0] == str(ca)
    # keys: listed; revoking asks, names the key, and is recorded with who confirmed
    desk.run(dialog.load_keys())
    names = {k.name for k in dialog.key_rows}
    assert {"alice", "bob"} <= names
    bob = next(k for k in dialog.key_rows if k.name == "bob")
    task = desk.ctx.spawn(dialog.revoke_selected(bob.key_id))
    desk.wait_until(lambda: bool(open_confirmations()))
    [ask] = open_confirmations()
    assert bob.key_id in ask.text() and "bob" in ask.text()
    assert "officer:alice" in ask.informativeText()
    ask.confirm_button.click()
    desk.wait_until(task.done)
    assert task.result() is True
    assert not next(o for o in list_officers(store) if o.name == "bob").active
    entries = desk.run(desk.ctx.facade.audit_entries())
    assert any(e.action == "key.revoke" and e.actor == "officer:alice" for e in entries)
    # export the keys file, back up the store
    keys_path = desk.run(dialog.export_keys(str(tmp_path / "keys.json")))
    assert keys_path and (tmp_path / "keys.json").stat().st_size > 0
    assert desk.run(dialog.backup(str(tmp_path / "backup.sqlite3"))) is not None
    assert (tmp_path / "backup.sqlite3").stat().st_size > 0
    # the store in use, About and Help
    assert "SQLite" in dialog.store_label.text()
    from app import __version__

    assert __version__ in dialog.about_label.text()
    assert "LGPL-3.0" in dialog.findChild(QLabel, "licenceNotices").text()
    assert "gui.md" in dialog.help_label.text()
    dialog.close()


def test_the_positions_header_follows_a_filter_that_hides_the_client(desk) -> None:
    h = desk.window.holdings
    proxy = h.clients.proxy
    h.clients.selectRow(
        next(r for r in range(proxy.rowCount()) if proxy.row_object(r).client_id == "palm-harbour")
    )
    assert "palm-harbour" in h.positions_label.text()
    h.search.setText("alnoor")  # palm-harbour is filtered out
    assert "palm-harbour" not in h.positions_label.text()
    assert h.positions_model.rowCount() == 0 or "alnoor" in h.positions_label.text()


def test_a_signed_attestation_is_exported_and_its_root_and_signature_copied(
    desk, tmp_path
) -> None:
    from test_flows import prepare_as_alice, setup_two_officers

    from app.documents.envelope import parse_document

    setup_two_officers(desk)
    att_id = prepare_as_alice(desk)
    view = desk.window.attestations
    view.select(att_id)
    desk.run(view.show_detail())
    assert not view.export_bundle_button.isEnabled()  # nothing signed yet
    desk.sign_in("bob")
    view.select(att_id)
    desk.run(view.show_detail())
    assert desk.run(view.approve_selected()) is not None, close_messages()
    view.select(att_id)
    desk.run(view.show_detail())
    assert view.export_bundle_button.isEnabled()
    path = desk.run(view.export_bundle(str(tmp_path / "bundle.json")))
    assert path is not None
    bundle = parse_document((tmp_path / "bundle.json").read_bytes())
    assert bundle.body["root"] == view.detail.row.root_hex
    view.copy_root_button.click()
    assert QApplication.clipboard().text() == view.detail.row.root_hex
    view.copy_signature_button.click()
    assert QApplication.clipboard().text() == view.detail.signature_b64


def test_charts_say_so_for_one_snapshot_or_no_exposure_and_show_the_client(
    desk, tmp_path
) -> None:
    import json
    from datetime import UTC, datetime, timedelta

    from app.domain.snapshot import format_utc
    from app.services.demo import demo_snapshot_path

    h = desk.window.holdings
    proxy = h.clients.proxy

    def select(client_id: str) -> None:
        h.clients.selectRow(
            next(r for r in range(proxy.rowCount()) if proxy.row_object(r).client_id == client_id)
        )
        desk.settle()

    h.side.setCurrentWidget(h.history)
    select("creekside-digital")
    assert "no exposure" in h.history.note.text() and h.history.note.isVisible()
    assert not h.history.chart.isVisible()
    select("palm-harbour")
    assert "Only one snapshot so far" in h.history.note.text()
    assert not h.history.chart.isVisible()
    later = json.loads(demo_snapshot_path().read_text())
    later["as_of"] = format_utc(datetime.now(UTC) + timedelta(minutes=1))
    later["prices"]["BTC"] = "89240.00"
    path = tmp_path / "later.json"
    path.write_text(json.dumps(later))
    assert desk.run(desk.window.import_snapshot(str(path))) is not None
    desk.run(h.reload())
    select("palm-harbour")
    assert h.history.drawable() and h.history.chart.isVisible()
    assert not h.history.note.isVisible()
    # composition of the selected client, not only desk-wide
    h.side.setCurrentWidget(h.composition)
    h.composition.scope.setCurrentIndex(h.composition.scope.findData("client"))
    title, values = h.composition.shown()
    assert "palm-harbour" in title and set(values) == {"BTC"}
    assert h.composition.chart.chart().title() == title
    h.composition.scope.setCurrentIndex(h.composition.scope.findData("desk"))
    assert len(h.composition.shown()[1]) > 1


def test_devices_identify_model_firmware_label_fingerprint_and_check_the_key(desk) -> None:
    from test_flows import setup_two_officers

    _alice_emu, bob_emu = setup_two_officers(desk)
    view = desk.window.devices
    desk.run(view.reload())
    rows = view.model.rows
    bob_row = next(r for r in range(len(rows)) if rows[r].uri == bob_emu.trezor_uri)
    view.table.selectRow(bob_row)
    check = desk.run(view.identify_selected())
    assert check is not None, close_messages()
    assert check.fingerprint == bob_emu.hsm.fingerprint() and check.firmware and check.model
    assert check.officer == "bob" and check.matches
    text = view.identity.text()
    assert "firmware" in text and check.fingerprint in text and "✓" in text and "bob" in text


def test_a_sorted_columns_label_keeps_clear_of_the_sort_arrow(desk) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QStyleOptionHeader

    from app.ui.models.holdings import ClientColumn
    from app.ui.views.table import HeaderStyle

    table = desk.window.holdings.clients
    header = table.horizontalHeader()
    assert isinstance(header.style(), HeaderStyle)
    table.sortByColumn(ClientColumn.RATIO, Qt.SortOrder.DescendingOrder)
    option = QStyleOptionHeader()
    option.rect = QRect(0, 0, header.sectionSize(ClientColumn.RATIO), 24)
    option.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
    label = header.style().label_rect(option)
    assert label.right() < option.rect.right() - 8  # room left for the arrow
    option.sortIndicator = QStyleOptionHeader.SortIndicator.None_
    assert header.style().label_rect(option) == option.rect


def test_signed_reconciliation_reports_and_checkpoints_are_exported_and_copied(
    desk, tmp_path
) -> None:
    """The Audit tab exports both signed documents (0600, via the awaited chooser) and copies
    their audit root and signature."""
    import stat

    from test_flows import setup_two_officers

    from app.documents.envelope import parse_document
    from app.exchange.link import LinkError
    from app.services import reconciliation as rc
    from app.services.audit import AuditService
    from app.services.audit_checkpoints import AuditCheckpointService
    from signing.interface import NullInteraction

    class DownLink:
        async def fetch_ledger(self) -> bytes:
            raise LinkError("exchange unreachable (test)")

    async def click(button: QAbstractButton) -> None:  # as the officer does: loop running
        button.click()

    close_messages()  # boxes an earlier test's late tasks opened
    alice_emu, _bob = setup_two_officers(desk)
    desk.sign_in("alice")  # she signs the report and the checkpoint in her name
    store = desk.ctx.facade.store
    view = desk.window.audit
    bar = view.documents
    desk.run(view.reload())
    assert bar.chooser.count() == 0 and not bar.export_button.isEnabled()  # nothing signed

    run = desk.run(rc.reconcile(store, DownLink(), actor="test"))  # type: ignore[arg-type]
    report = desk.run(
        rc.sign_report(store, run.id, officer="alice", device_uri=alice_emu.trezor_uri,
                       interaction=NullInteraction(), send=False, checkpoint=False)
    )  # (the checkpoint is signed by hand below, to choose it)
    row = AuditService(store).checkpoint("test")
    signed = desk.run(
        AuditCheckpointService(store).sign_checkpoint(
            row.id, "alice", alice_emu.trezor_uri, NullInteraction()
        )
    )
    desk.run(view.reload())
    assert bar.chooser.count() == 2

    # the checkpoint, through the file chooser the officer answers (the loop keeps running)
    assert bar.select("checkpoint", row.id)
    from app.ui.file_dialogs import LAST_DIR_KEY

    desk.ctx.settings.setValue(LAST_DIR_KEY, str(tmp_path))  # the folder last exported to
    chosen: list[str] = []

    def answer() -> None:  # the officer accepts the proposed name where the chooser opened
        dialogs = open_file_dialogs()
        chosen.extend(d.directory().absolutePath() for d in dialogs)
        for dialog in dialogs:
            dialog.accept()

    QTimer.singleShot(300, answer)
    exported = desk.run(bar.export_selected())
    target = tmp_path / f"audit-checkpoint-{row.id}.json"
    assert chosen == [str(tmp_path)]
    assert exported is not None and Path(exported) == target
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    checkpoint = parse_document(target.read_bytes())
    assert checkpoint.body["root"] == row.root_hash
    desk.run(click(bar.copy_root_button))
    assert QApplication.clipboard().text() == row.root_hash
    desk.run(click(bar.copy_signature_button))
    assert QApplication.clipboard().text() == signed.signature

    # the reconciliation report, exactly as signed
    assert bar.select("reconciliation", run.id)
    path = desk.run(bar.export_selected(str(tmp_path / "recon.json")))
    written = Path(path).read_bytes()
    assert written == report.to_bytes()
    assert stat.S_IMODE(Path(path).stat().st_mode) == 0o600
    assert parse_document(written).body["status"] == "failed"
    desk.run(click(bar.copy_root_button))
    assert QApplication.clipboard().text() == report.body["audit_head"]["root"]
    desk.run(click(bar.copy_signature_button))
    assert QApplication.clipboard().text() == report.signatures[0].to_json()["signature"]
    assert close_messages() == ""


def test_settings_adds_a_party_key_from_hex_or_a_device_with_the_services_checks(
    desk,
) -> None:
    """Settings → Keys adds a regulator's or exchange's key as ``parties add`` does: the
    independence check's refusal is shown in the dialog and nothing is stored."""
    import coincurve
    from test_flows import setup_two_officers

    from app.documents.keys import key_id_for
    from app.services.officers import keys_file, list_officers
    from signing.emulator.test_seeds import TEST_MNEMONIC_ZOO

    close_messages()  # boxes an earlier test's late tasks opened
    setup_two_officers(desk)
    desk.sign_in("alice")
    store = desk.ctx.facade.store
    dialog = desk.window.show_settings()
    desk.settle()
    form = dialog.add_key_box

    def registered() -> set[str]:
        return {k.key_id for k in keys_file(store)}

    before = registered()
    # not hex: refused with the reason, nothing stored
    form.pubkey.setText("not-a-key")
    assert desk.run(form.add()) is None
    assert "public key must be hex" in close_messages()
    # an officer's key as the regulator's: the independence check refuses it
    alice = next(o for o in list_officers(store) if o.name == "alice")
    form.pubkey.setText(alice.pubkey.hex())
    assert desk.run(form.add()) is None
    assert form.last_refusal is not None
    refused = close_messages()
    assert "Key not added" in refused and "custody officer alice's" in refused
    assert registered() == before
    # a fresh key (test-only: private key 7) for the exchange's exchange documents
    pubkey = coincurve.PrivateKey.from_int(7).public_key.format(compressed=True)
    form.party.setCurrentIndex(form.party.findData("exchange"))
    form.role.setCurrentIndex(form.role.findData("exchange"))
    form.pubkey.setText(pubkey.hex())
    assert desk.run(form.add()) == key_id_for(pubkey)
    desk.settle()
    assert key_id_for(pubkey) in {k.key_id for k in dialog.key_rows}
    entries = desk.run(desk.ctx.facade.audit_entries())
    assert any(e.action == "party_key.add" and e.actor == "officer:alice" for e in entries)

    # from a device: the regulator's emulator, read at the path given
    desk.start_emulator(TEST_MNEMONIC_ZOO)
    form.reload_devices()
    regulator_uri = desk.ctx.devices[-1].uri
    form.party.setCurrentIndex(form.party.findData("regulator"))
    form.role.setCurrentIndex(form.role.findData("emergency"))
    form.source.setCurrentIndex(1)
    form.device.setCurrentIndex(form.device.findData(regulator_uri))
    key_id = desk.run(form.add())
    assert key_id is not None, close_messages()
    assert key_id in registered()
    # the same device for the exchange too: one device per party, refused in the dialog
    form.party.setCurrentIndex(form.party.findData("exchange"))
    form.path.setText("m/44'/0'/0'/0/1")
    assert desk.run(form.add()) is None
    assert form.last_refusal is not None
    device_refusal = close_messages()
    assert "Refused" in device_refusal and "cannot hold the exchange's key" in device_refusal
    assert len(registered()) == len(before) + 2
    # a production desk refuses a test emulator's key, with the service's reason
    from app.services.unit_of_work import utc_now

    with store.transaction() as tx:
        tx.settings.put("desk.environment", "prod", utc_now())
    form.path.setText("m/44'/0'/0'/0/2")
    assert desk.run(form.add()) is None
    assert "cannot be registered on a production desk" in close_messages()
    assert len(registered()) == len(before) + 2  # nothing stored


def test_an_attestation_left_in_signing_by_a_killed_process_is_abandoned_back_to_approval(
    desk,
) -> None:
    """A store whose attestation a killed process left in 'signing': Approve is impossible
    until an officer confirms Abandon signing, which is audited and returns it to approval."""
    from test_flows import prepare_as_alice, setup_two_officers

    from app.services.attestations import AttestationService
    from app.services.desk_facade import AttestationStatus
    from app.ui.dialogs.confirm_act import open_confirmations

    close_messages()  # boxes an earlier test's late tasks opened
    setup_two_officers(desk)
    att_id = prepare_as_alice(desk)
    store = desk.ctx.facade.store
    # bob's desk began signing (status 'signing', audited) and was killed before the device
    desk.sign_in("bob")
    AttestationService(store)._begin_signing(int(att_id), "bob")
    view = desk.window.attestations
    desk.run(view.reload())
    view.select(att_id)
    desk.settle()
    row = view.table.current_row()
    assert row.status == AttestationStatus.SIGNING
    assert not view.approve_action.isEnabled()
    assert view.abandon_action.isEnabled()

    # declining the confirmation changes nothing
    task = desk.ctx.spawn(view.abandon_signing())
    desk.wait_until(lambda: bool(open_confirmations()))
    [ask] = open_confirmations()
    assert str(row.sequence) in ask.text() and "officer:bob" in ask.informativeText()
    ask.reject()
    desk.wait_until(task.done)
    assert task.result() is False
    assert AttestationService(store).detail(int(att_id)).record.status == "signing"

    task = desk.ctx.spawn(view.abandon_signing())
    desk.wait_until(lambda: bool(open_confirmations()))
    open_confirmations()[0].confirm_button.click()
    desk.wait_until(task.done)
    assert task.result() is True
    assert AttestationService(store).detail(int(att_id)).record.status == "awaiting_approval"
    entries = desk.run(desk.ctx.facade.audit_entries())
    assert any(
        e.action == "attestation.signing_abandoned" and e.actor == "officer:bob" for e in entries
    )
    desk.run(view.reload())
    view.select(att_id)
    desk.settle()
    assert view.approve_action.isEnabled() and not view.abandon_action.isEnabled()
    assert desk.run(view.approve_selected()) is not None, close_messages()
    assert AttestationService(store).detail(int(att_id)).record.status == "signed"
