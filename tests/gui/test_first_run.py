"""First run for testers: window size, demo officers on two emulators, the device screen."""

from __future__ import annotations

from pathlib import Path

from message_boxes import close_messages, message_texts
from PySide6.QtCore import QRect, QSettings, QSize

from app.services.desk_facade import AttestationStatus
from app.ui.backend.emulator import emulator_host
from app.ui.main_window import MainWindow
from app.ui.window_size import default_window_geometry, default_window_size
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL, TEST_MNEMONICS


def prepare_as(desk, officer: str) -> str:
    w = desk.window
    desk.sign_in(officer)
    proxy = w.holdings.clients.proxy
    row = next(
        r for r in range(proxy.rowCount()) if proxy.row_object(r).client_id == "alnoor-quant"
    )
    w.holdings.clients.selectRow(row)
    prepared = desk.run(w.attestations.prepare())
    assert prepared is not None, message_texts()
    return prepared.att_id


# --- window size ---------------------------------------------------------------------


def test_default_window_size_fills_most_of_the_screen_within_bounds() -> None:
    assert default_window_size(QSize(1920, 1080)) == QSize(1600, 972)
    assert default_window_size(QSize(2560, 1440)) == QSize(1600, 1000)  # capped
    assert default_window_size(QSize(1440, 900)) == QSize(1296, 810)
    assert default_window_size(QSize(1366, 768)) == QSize(1280, 768)  # floor, screen-bound
    assert default_window_size(QSize(1024, 700)) == QSize(1024, 700)  # never off-screen
    rect = default_window_geometry(QRect(0, 0, 1920, 1080))
    assert rect.size() == QSize(1600, 972) and rect.center() == QRect(0, 0, 1920, 1080).center()


def test_first_window_uses_the_default_size_and_saved_geometry_wins(desk, tmp_path: Path) -> None:
    fresh = QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat)
    window = MainWindow(desk.ctx, fresh)
    screen = window.screen().availableGeometry()
    assert window.size() == default_window_size(screen.size())
    if screen.width() >= 1280 and screen.height() >= 800:
        assert window.width() >= 1280 and window.height() >= 800
    window.resize(800, 700)  # within the screen, above the minimum
    window.save_state()
    window.close()
    again = MainWindow(desk.ctx, fresh)
    assert again.size() == QSize(800, 700)
    again.close()


# --- demo officers ---------------------------------------------------------------------


def test_first_run_demo_officers_run_maker_checker_on_two_emulators(desk) -> None:
    w = desk.window
    assert not desk.ctx.officers
    assert desk.ctx.officer == ""  # nobody on duty: the window asks for sign-in
    assert w.signin_bar.dialog is not None and w.signin_bar.dialog.isVisible()
    assert w.signin_bar.who.text() == "Nobody signed in"
    dialog = desk.app.emulators.open_offer(no_device=True)
    assert dialog.demo_officers is not None and dialog.demo_officers.isChecked()
    dialog.start_button.click()
    desk.wait_until(lambda: desk.app.emulators.demo_task is not None)
    desk.wait_until(desk.app.emulators.demo_task.done, timeout=20)
    assert desk.app.emulators.demo_task.result() is not None, message_texts()
    officers = {o.name: o for o in desk.ctx.officers}
    assert set(officers) == {"alice", "bob"}
    assert officers["alice"].fingerprint != officers["bob"].fingerprint
    assert all(o.is_emulator and o.role == "custody officer (demo)" for o in officers.values())
    desk.wait_until(lambda: desk.ctx.officer == "alice")  # signed in on her emulator
    assert w.signin_bar.who.text() == "Signed in: alice (TEST)"
    assert len(emulator_host().running) == 2 and w.banner.isVisible()
    # maker alice prepares; checker bob approves and signs on his own emulator
    att_id = prepare_as(desk, "alice")
    desk.sign_in("bob")
    w.attestations.select(att_id)
    desk.run(w.attestations.show_detail())
    signed = desk.run(w.attestations.approve_selected())
    assert signed is not None, message_texts()
    assert signed.status == AttestationStatus.SIGNED and signed.approved_by == "bob"
    bob_emulator = emulator_host().running[1]
    assert bob_emulator.hsm.fingerprint() == officers["bob"].fingerprint
    # bob's device: his sign-in and his approval; alice's: two sign-ins and her
    # prepared-by signature as the maker
    assert bob_emulator.hsm.state()["signatures"] == 3  # and the audit checkpoint after it
    assert emulator_host().running[0].hsm.state()["signatures"] == 3


def test_devices_tab_offers_demo_officers_only_while_none_is_registered(desk) -> None:
    devices = desk.window.devices
    devices.emulator_action.trigger()
    offer = desk.app.offer
    assert offer is not None and offer.isVisible() and offer.demo_officers is not None
    offer.demo_officers.setChecked(False)
    offer.start_button.click()
    desk.wait_until(lambda: len(emulator_host().running) == 1)
    desk.settle()
    assert not desk.ctx.officers  # unticked: no officer registered
    devices.emulator_action.trigger()  # stop
    assert not emulator_host().active
    emulator = desk.start_emulator(TEST_MNEMONIC_ALL)
    desk.register("carol", emulator)
    desk.app.stop_emulator()
    previous = desk.app.offer
    devices.emulator_action.trigger()  # officers exist: starts at once, no offer
    assert desk.app.offer is previous and len(emulator_host().running) == 1


def test_start_another_emulator_uses_the_next_test_seed_then_refuses(desk) -> None:
    devices = desk.window.devices
    for _ in TEST_MNEMONICS:
        devices.another_emulator_action.trigger()
    fingerprints = {e.hsm.fingerprint() for e in emulator_host().running}
    assert len(fingerprints) == len(TEST_MNEMONICS)  # every seed once, all different
    assert desk.ctx.emulator_running
    devices.another_emulator_action.trigger()
    assert len(emulator_host().running) == len(TEST_MNEMONICS)
    assert "No test seed left" in message_texts()
    close_messages()


# --- the emulator's device screen ----------------------------------------------------


def _two_officers_and_prepared(desk):
    alice = desk.start_emulator(TEST_MNEMONIC_ALL)
    bob = desk.start_emulator(TEST_MNEMONIC_ABANDON)
    desk.register("alice", alice)
    desk.register("bob", bob)
    att_id = prepare_as(desk, "alice")
    w = desk.window
    desk.sign_in("bob")
    w.attestations.select(att_id)
    desk.run(w.attestations.show_detail())
    return bob, att_id


def _approve_on_screen(desk, bob, approve: bool):
    w = desk.window
    w.devices.ask_on_screen_action.setChecked(True)
    assert str(bob.hsm.policy) == "interactive"
    task = desk.ctx.spawn(w.attestations.approve_selected())
    screens = desk.app.emulators.screens
    desk.wait_until(
        lambda: (
            (s := screens.window_for(bob.trezor_uri)) is not None
            and s.isVisible()
            and s.approve_button.isEnabled()
        )
    )
    screen = screens.window_for(bob.trezor_uri)
    assert screen.windowTitle() == "EMULATOR — device screen (TEST ONLY)"
    # the device's own screen text: what it signs with which key, then the exact statement
    shown = screen.display.toPlainText()
    assert shown.startswith("Sign message with ")
    assert shown.endswith(w.attestations.statement.toPlainText())
    assert not task.done()  # the device waits for the tester; the GUI keeps running
    (screen.approve_button if approve else screen.reject_button).click()
    if approve:  # the same device then signs the audit checkpoint over the approval
        desk.wait_until(lambda: screen.approve_button.isEnabled()
                        and "CDESK-CHECKPOINT/1 " in screen.display.toPlainText(), timeout=20)
        screen.approve_button.click()
    desk.wait_until(task.done, timeout=20)
    assert not screen.approve_button.isEnabled()
    return task.result()


def test_device_screen_approve_completes_the_signing(desk) -> None:
    bob, _ = _two_officers_and_prepared(desk)
    signed = _approve_on_screen(desk, bob, approve=True)
    assert signed is not None, message_texts()
    assert signed.status == AttestationStatus.SIGNED and signed.approved_by == "bob"


def test_device_screen_reject_fails_with_the_rejected_message(desk) -> None:
    bob, att_id = _two_officers_and_prepared(desk)
    result = _approve_on_screen(desk, bob, approve=False)
    assert result is None
    assert "Rejected on the device" in message_texts()
    close_messages()
    detail = desk.run(desk.ctx.facade.attestation_detail(att_id))
    assert detail.signature_b64 is None


def test_device_screen_follows_a_cancel_from_the_desk(desk) -> None:
    bob, _ = _two_officers_and_prepared(desk)
    w = desk.window
    w.devices.ask_on_screen_action.setChecked(True)
    task = desk.ctx.spawn(w.attestations.approve_selected())
    screens = desk.app.emulators.screens
    desk.wait_until(lambda: (s := screens.window_for(bob.trezor_uri)) is not None and s.isVisible())
    screen = screens.window_for(bob.trezor_uri)
    desk.wait_until(screen.approve_button.isEnabled)
    w.attestations.last_flow.dialog.cancel_button.click()
    desk.wait_until(task.done, timeout=20)
    assert task.result() is None
    desk.wait_until(lambda: not screen.approve_button.isEnabled())
    assert "cancelled" in screen.status.text()
    close_messages()
    # switching back to automatic approves the next request at once
    w.devices.ask_on_screen_action.setChecked(False)
    assert str(bob.hsm.policy) == "auto"
    signed = desk.run(w.attestations.approve_selected())
    assert signed is not None, message_texts()
