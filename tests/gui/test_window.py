"""Window craft: officer registration from a device, language switch, remembered state,
PIN matrix and passphrase dialogs, the emulator banner, the holdings view."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from app.ui import i18n
from app.ui.dialogs.passphrase import PassphraseDialog
from app.ui.dialogs.pin_matrix import KEYPAD_ROWS, PinMatrixDialog
from app.ui.models.holdings import ClientColumn
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL


def test_holdings_show_demo_clients_with_states_totals_and_positions(desk) -> None:
    h = desk.window.holdings
    model = h.clients_model
    ids = {r.client_id for r in model.rows}
    assert {"alnoor-quant", "creekside-digital", "sandstone-arb"} <= ids
    alnoor = next(r for r in model.rows if r.client_id == "alnoor-quant")
    # the brief's worked example: 80M BENJI at 1.00 x 98% -> 78.4M, x2 -> 156.8M
    assert str(alnoor.collateral_value) == "78400000.00"
    assert str(alnoor.credit_line) == "156800000.00"
    creek = next(r for r in model.rows if r.client_id == "creekside-digital")
    assert not creek.eligible and creek.ineligible_reasons
    total = h.totals_model.row_at(0)
    assert total.client_id == "TOTAL"
    assert total.market_value == sum(r.market_value for r in model.rows)
    # selecting a client shows its positions
    proxy = h.clients.proxy
    h.clients.selectRow(
        next(
            i
            for i in range(proxy.rowCount())
            if proxy.row_object(i).client_id == "gulf-meridian-mm"
        )
    )
    assert {p.asset for p in h.positions_model.rows} == {"BTC", "USDC"}
    # the state filter keeps only clients in that state
    h.state_filter.setCurrentIndex(h.state_filter.findData("margin_call"))
    assert all(proxy.row_object(i).state.value == "margin_call" for i in range(proxy.rowCount()))
    assert proxy.rowCount() >= 1
    h.state_filter.setCurrentIndex(0)
    # sort by ratio through the header: the worst first
    h.clients.sortByColumn(ClientColumn.RATIO, Qt.SortOrder.AscendingOrder)
    ratios = [proxy.row_object(i).collateral_ratio for i in range(proxy.rowCount())]
    known = [r for r in ratios if r is not None]
    assert known == sorted(known)


def test_stress_panel_shows_who_crosses_a_line_live(desk) -> None:
    stress = desk.window.holdings.stress
    stress.btc_preset.click()
    rows = {r.client_id: r for r in stress.model.rows}
    assert rows["palm-harbour"].state_after.value in ("margin_call", "liquidation")
    assert "would cross a line" in stress.summary.text()
    stress.reset_button.click()
    assert "No shock applied" in stress.summary.text()


def test_register_officer_through_dialog_reads_key_from_device(desk) -> None:
    emulator = desk.start_emulator(TEST_MNEMONIC_ALL)
    view = desk.window.devices
    assert view.model.rowCount() >= 1
    assert view.model.row_at(0).is_emulator
    dialog = view.open_register_dialog()
    dialog.name.setText("carol")
    dialog.ok_button.click()
    desk.wait_until(lambda: any(o.name == "carol" for o in desk.ctx.officers))
    carol = desk.ctx.officer_row("carol")
    assert carol is not None and carol.fingerprint == emulator.hsm.fingerprint()
    assert desk.window.signin_bar.ask("switch").officer.findData("carol") >= 0
    # the device now shows whose key it holds
    desk.wait_until(lambda: view.model.rowCount() > 0 and view.model.row_at(0).officer == "carol")


def test_emulator_banner_is_shown_while_the_emulator_runs(desk) -> None:
    w = desk.window
    assert not w.banner.isVisible()
    desk.start_emulator(TEST_MNEMONIC_ALL)
    assert w.banner.isVisible()
    assert "NOT FOR PRODUCTION" in w.banner.text()
    assert "RUNNING" in w.emulator_status.text()
    desk.app.stop_emulator()
    assert not w.banner.isVisible()


def test_language_switch_to_simplified_chinese_and_back(desk) -> None:
    assert i18n.translator().switch("zh_CN")
    w = desk.window  # rebuilt in the new language
    assert w.tabs.tabText(0) == "持仓(&H)"
    assert w.windowTitle() == "托管工作台"
    assert i18n.translator().switch("en")
    assert desk.window.tabs.tabText(0) == "&Holdings"


def test_window_state_is_remembered(desk) -> None:
    w = desk.window
    w.tabs.setCurrentIndex(4)
    w.save_state()
    settings = QSettings(str(desk.data_dir / "gui.ini"), QSettings.Format.IniFormat)
    assert int(settings.value("window/tab")) == 4
    assert settings.value("holdings/clients") is not None  # column widths and order
    header = w.holdings.clients.horizontalHeader()
    header.resizeSection(1, 333)
    w.save_state()
    header.resizeSection(1, 50)
    w.restore_state()
    assert header.sectionSize(1) == 333


def test_pin_matrix_sends_keypad_positions(qtbot) -> None:
    dialog = PinMatrixDialog("Trezor")
    qtbot.addWidget(dialog)
    assert KEYPAD_ROWS == ((7, 8, 9), (4, 5, 6), (1, 2, 3))
    assert not dialog.ok_button.isEnabled()
    dialog.buttons[7].click()
    dialog.buttons[3].click()
    dialog.buttons[5].click()
    assert dialog.positions() == "735"
    assert dialog.display.text() == "•••"  # never the digits
    dialog.backspace.click()
    assert dialog.positions() == "73"
    assert dialog.ok_button.isEnabled()


def test_passphrase_must_be_typed_twice(qtbot) -> None:
    dialog = PassphraseDialog("Trezor")
    qtbot.addWidget(dialog)
    dialog.first.setText("correct horse")
    dialog.second.setText("correct hors")
    assert not dialog.ok_button.isEnabled()
    dialog.second.setText("correct horse")
    assert dialog.ok_button.isEnabled()
    assert dialog.passphrase() == "correct horse"


def test_an_unexpected_failure_is_shown_not_swallowed(desk, monkeypatch) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.store.errors import StoreError

    async def broken():
        raise StoreError("database is locked")

    def boxes() -> list[QMessageBox]:
        return [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]

    for stale in boxes():  # a window of an earlier test may have left one open
        stale.done(0)
    monkeypatch.setattr(desk.ctx.facade, "audit_entries", broken)
    task = desk.ctx.spawn(desk.window.audit.reload())
    desk.wait_until(task.done)
    desk.wait_until(lambda: bool(boxes()))
    box = next(b for b in boxes() if b.parent() is desk.window)
    assert "database is locked" in box.informativeText()
    box.done(0)


def test_signing_errors_and_column_headers_are_translated(desk) -> None:
    from app.ui.signing_errors import describe
    from signing.errors import UserRejected, WrongPin

    assert i18n.translator().switch("zh_CN")
    try:
        title, advice = describe(UserRejected())
        assert title == "已在设备上拒绝" and "未签署" in advice
        assert describe(WrongPin())[0] == "PIN 错误"
        header = desk.window.holdings.clients_model.headerData(
            ClientColumn.RATIO, Qt.Orientation.Horizontal
        )
        assert header == "抵押率"
    finally:
        i18n.translator().switch("en")


def test_stress_is_valued_off_the_gui_thread_and_a_newer_shock_wins(desk) -> None:
    import threading
    from decimal import Decimal

    stress = desk.window.holdings.stress
    facade = desk.ctx.facade
    threads: list[str] = []
    real = facade.stress

    def recording(shocks):
        threads.append(threading.current_thread().name)
        return real(shocks)

    facade.stress = recording  # type: ignore[method-assign]

    async def shock_twice() -> None:
        stress.apply({"BTC": Decimal("-10")})
        assert stress.summary.text() == "Computing the shock…"  # the window did not wait
        stress.apply({"BTC": Decimal("-25")})  # supersedes the first
        await stress.settled()

    desk.run(shock_twice())
    desk.settle()
    assert threads and threading.main_thread().name not in threads
    rows = {r.client_id: r for r in stress.model.rows}
    assert rows["palm-harbour"].state_after.value in ("margin_call", "liquidation")
    assert "would cross a line" in stress.summary.text()


def test_stress_keeps_the_shares_a_pending_redemption_locks(desk) -> None:
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from app.store.codec import time_to_text

    now = datetime.now(UTC)
    with desk.ctx.facade.store.transaction() as tx:  # a redemption locking 1 BTC
        tx.connection.execute(
            "INSERT INTO redemptions (client_id, asset, quantity, status, locked_at,"
            " settlement_due_at, created_by, updated_at) VALUES (?, ?, ?, 'locked', ?, ?, ?, ?)",
            ("palm-harbour", "BTC", "1", time_to_text(now),
             time_to_text(now + timedelta(days=1)), "test", time_to_text(now)),
        )
    desk.run(desk.window.holdings.reload())
    stress = desk.window.holdings.stress
    stress.apply({"USDC": Decimal("-3")})  # palm-harbour holds no USDC: nothing changes for it
    row = next(r for r in stress.model.rows if r.client_id == "palm-harbour")
    assert row.ratio_after == row.ratio_before
