"""The window's sign-in: asked at start, switch officer, one-click Lock and Sign out, idle
lock, and nothing done in an officer's name without their live session.

alice and bob each have their own emulator (public test seeds), approving automatically.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from message_boxes import close_messages
from PySide6.QtCore import Qt

from app.services.attestations import AttestationService
from app.services.audit import AuditService
from app.services.signin_errors import NotSignedIn
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL


def two_officers(desk: Any) -> tuple[Any, Any]:
    alice = desk.start_emulator(TEST_MNEMONIC_ALL)
    bob = desk.start_emulator(TEST_MNEMONIC_ABANDON)
    desk.register("alice", alice)
    desk.register("bob", bob)
    return alice, bob


def audit(desk: Any, action: str) -> list[dict[str, Any]]:
    rows = AuditService(desk.ctx.facade.store).entries(action=action)
    return [json.loads(r.payload) for r in rows]


def prepare(desk: Any) -> Any:
    """Prepare an attestation of alnoor-quant from the window (None when refused)."""
    holdings = desk.window.holdings
    proxy = holdings.clients.proxy
    row = next(
        r for r in range(proxy.rowCount()) if proxy.row_object(r).client_id == "alnoor-quant"
    )
    holdings.clients.selectRow(row)
    return desk.run(desk.window.attestations.prepare())


def test_start_asks_for_sign_in_and_the_dialog_signs_in_on_the_device(
    desk: Any, qtbot: Any
) -> None:
    alice, _ = two_officers(desk)
    bar = desk.window.signin_bar
    assert bar.dialog is not None and bar.dialog.isVisible()  # asked at start
    assert bar.who.text() == "Nobody signed in" and not bar.lock_button.isEnabled()
    assert not hasattr(desk.window, "officer_combo")  # nobody picks an officer from a list
    dialog = bar.ask("start")
    dialog.select("alice")
    assert dialog.device.currentData() == alice.trezor_uri  # the device holding her key
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    desk.wait_until(lambda: desk.ctx.officer == "alice")
    session = bar.controller.session
    assert session is not None and session.officer == "alice"
    assert bar.who.text() == "Signed in: alice (TEST)"
    status = bar.status_label.text()
    assert status.startswith("Signed in: alice (TEST) until ") and session.workstation in status
    assert session.expires_at.strftime("%H:%M UTC") in status
    assert not dialog.isVisible() and bar.lock_button.isEnabled()
    [entry] = audit(desk, "officer.signin")
    assert entry["statement"].startswith("CDESK-SIGNIN/1 cust=CUST-DEMO officer=alice ws=")
    assert entry["session"]["signin"] == session.signin
    # the device showed exactly the challenge
    flow = bar.controller.last_flow
    assert flow is not None and flow.dialog.statement.toPlainText() == entry["statement"]


def test_switch_officer_ends_the_first_session(desk: Any, qtbot: Any) -> None:
    two_officers(desk)
    desk.sign_in("alice")
    att = prepare(desk)
    assert att is not None, close_messages()
    first = desk.window.signin_bar.controller.session
    bar = desk.window.signin_bar
    assert bar.switch_button.text() == "&Switch officer…"
    qtbot.mouseClick(bar.switch_button, Qt.MouseButton.LeftButton)
    dialog = bar.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.select("bob")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    desk.wait_until(lambda: desk.ctx.officer == "bob")
    signouts = audit(desk, "officer.signout")
    assert [e["session"]["signin"] for e in signouts] == [first.signin]
    # acting as alice now needs her own sign-in again: the store refuses it
    store = desk.ctx.facade.store
    before = len(AuditService(store).entries())
    with pytest.raises(NotSignedIn, match="alice"):
        AttestationService(store).prepare(["gulf-meridian-mm"], "alice")
    assert len(AuditService(store).entries()) == before
    prepared = audit(desk, "attestation.prepare")
    assert prepared[0]["session"]["officer"] == "alice"


def test_lock_and_sign_out_are_one_click_and_stop_every_act(desk: Any, qtbot: Any) -> None:
    two_officers(desk)
    desk.sign_in("alice")
    bar = desk.window.signin_bar
    qtbot.mouseClick(bar.lock_button, Qt.MouseButton.LeftButton)
    desk.wait_until(lambda: len(audit(desk, "officer.lock")) == 1)
    assert desk.ctx.officer == ""
    assert bar.dialog is not None and bar.dialog.isVisible()
    assert bar.dialog.reason.text() == "The desk was locked. Sign in again."
    assert [e["reason"] for e in audit(desk, "officer.lock")] == ["lock"]
    assert prepare(desk) is None  # nobody on duty: nothing prepared
    close_messages()
    assert desk.run(desk.ctx.facade.attestations()) == []
    desk.sign_in("alice")
    qtbot.mouseClick(bar.sign_out_button, Qt.MouseButton.LeftButton)
    desk.wait_until(lambda: len(audit(desk, "officer.signout")) == 1)
    assert desk.ctx.officer == ""
    assert bar.dialog is not None and bar.dialog.reason.text().startswith("Signed out.")
    assert bar.who.text() == "Nobody signed in" and bar.status_label.text() == "Not signed in"


def test_idle_lock_after_the_idle_timeout_and_input_keeps_it_open(desk: Any, qtbot: Any) -> None:
    two_officers(desk)
    desk.sign_in("alice")
    controller = desk.window.signin_bar.controller
    assert controller.idle_ms == 15 * 60 * 1000  # the default setting
    controller.set_idle_timeout(600)
    for _ in range(4):  # typing keeps the desk open past the idle delay
        desk.run(_sleep(0.25))
        qtbot.keyClick(desk.window.holdings, Qt.Key.Key_Down)
    assert desk.ctx.officer == "alice"
    desk.wait_until(lambda: len(audit(desk, "officer.lock")) == 1, timeout=5)
    assert desk.ctx.officer == ""
    bar = desk.window.signin_bar
    assert bar.dialog is not None
    assert bar.dialog.reason.text() == "The desk locked itself after being idle. Sign in again."
    [locked] = audit(desk, "officer.lock")
    assert locked["session"]["officer"] == "alice"


def test_idle_lock_setting_is_read_at_sign_in(desk: Any) -> None:
    two_officers(desk)
    store = desk.ctx.facade.store
    from datetime import UTC, datetime

    with store.transaction() as tx:
        tx.settings.put("signin.idle_lock_minutes", "5", datetime.now(UTC))
    desk.sign_in("bob")
    assert desk.window.signin_bar.controller.idle_ms == 5 * 60 * 1000


def test_a_refused_sign_in_says_why_and_signs_nobody_in(desk: Any) -> None:
    _, bob = two_officers(desk)
    controller = desk.window.signin_bar.controller
    row = desk.run(controller.sign_in("alice", bob.trezor_uri))  # bob's device, alice's name
    assert row is None and desk.ctx.officer == ""
    assert "does not match the key registered" in close_messages()
    assert audit(desk, "officer.signin") == []


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)
