"""The emergency order's reason, readable on the device, from the Emergency tab.

The create dialog refuses a reason no device could show (non-ASCII, over 100
characters) before anything is made; a reason that fits the cap but not this order's
240-character statement is refused by the desk naming how many characters fit; the
custodian officer's device screen shows the order statement with ``why="..."``.
Public test seeds only.
"""

from __future__ import annotations

from message_boxes import close_messages

from signing.emulator.test_seeds import TEST_MNEMONIC_ALL

REASON = 'Exchange "EXCH-DEMO" unreachable'


def test_the_reason_is_on_the_device_screen_or_refused_before_any_device(desk) -> None:
    custodian_emu = desk.start_emulator(TEST_MNEMONIC_ALL)
    desk.register("alice", custodian_emu)
    desk.add_officer_emergency_key("alice")
    desk.sign_in("alice")
    view = desk.window.emergency
    desk.window.tabs.setCurrentWidget(view)

    dialog = view.open_create_dialog()
    desk.wait_until(lambda: dialog.client.count() > 0)
    dialog.reason.setPlainText("x" * 101)
    assert not dialog.ok_button.isEnabled()
    assert "at most 100" in dialog.problem.text()
    dialog.reject()

    prompts = custodian_emu.hsm.state()["prompts"]
    too_long = "Exchange unreachable since 02:00 UTC: no prices, no margin calls, no way to"
    assert desk.run(view.create_order("alnoor-quant", too_long)) is None
    refusal = close_messages()
    assert "leaves room for" in refusal and "shorten it" in refusal, refusal
    assert view.model.rowCount() == 0 and custodian_emu.hsm.state()["prompts"] == prompts

    created = desk.run(view.create_order("alnoor-quant", REASON))
    assert created is not None, close_messages()
    signed = desk.run(view.sign_selected())
    assert signed is not None, close_messages()
    screen = custodian_emu.hsm.screen
    assert "CDESK-UNFREEZE/3 " in screen
    assert 'why="Exchange \\"EXCH-DEMO\\" unreachable"' in screen, screen
    desk.settle()
    close_messages()
