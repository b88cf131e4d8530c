"""An open sign-in dialog offers a device plugged in (or an emulator started) after it
opened: under Xvfb the restarted desk's dialog said "No signing device found" beside a
status bar listing both emulators."""

from __future__ import annotations

from signing.emulator.test_seeds import TEST_MNEMONIC_ALL


def test_the_open_sign_in_dialog_offers_a_device_that_appears(desk) -> None:
    emulator = desk.start_emulator(TEST_MNEMONIC_ALL)
    desk.register("alice", emulator)
    desk.app.stop_emulator()
    desk.run(desk.ctx.reload_devices())
    assert desk.ctx.devices == []
    bar = desk.window.signin_bar
    dialog = bar.ask("start")
    assert not dialog.sign_in_button.isEnabled()
    assert "No signing device found" in dialog.error.text()
    again = desk.start_emulator(TEST_MNEMONIC_ALL)  # alice's seed, back on a new port
    desk.wait_until(lambda: bar.dialog is not None and bar.dialog.device.count() == 1)
    dialog = bar.dialog
    assert dialog.isVisible() and dialog.device.currentData() == again.trezor_uri
    assert dialog.sign_in_button.isEnabled() and not dialog.error.isVisible()
    assert dialog.officer.currentData() == "alice"
    assert "Sign in to act" in dialog.reason.text()  # the reason it was asked for is kept
