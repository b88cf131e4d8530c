"""A shared desk's database stops right after an officer's device has signed.

A real PostgreSQL server (tests/pg_server.py) is stopped the moment the device
returns its signature, and started again only once the window has said, in its
status bar, that the act is not committed yet and is being retried (the signature
kept). Once the server is back the act is stored exactly once (one row, one audit
entry, the chain verifying). Shown for the maker's prepare signature and
for a custodian's emergency share; every other signed act takes the same path
(``app.services.signed_commit``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from message_boxes import message_texts
from pg_server import PgServer

from app.services import device_access
from app.services.audit import AuditService
from app.services.desk_facade import AttestationStatus
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL
from signing.interface import Signer
from signing.registry import open_signer

pytestmark = pytest.mark.parametrize("gui_backend", ["postgresql"], indirect=True)

class _SignThenOutage:
    """The real (emulated) device; once it has signed, the database goes down."""

    def __init__(self, inner: Signer, server: PgServer, outage: dict[str, Any]) -> None:
        self._inner = inner
        self._server = server
        self._outage = outage

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def sign_message(self, path: str, text: str) -> Any:
        made = self._inner.sign_message(path, text)
        if self._outage["armed"]:
            self._outage["armed"] = False
            self._server.stop("fast")
            self._outage["down"] = True
        return made


@pytest.fixture
def outage(monkeypatch: pytest.MonkeyPatch, pg_server: PgServer) -> Iterator[dict[str, Any]]:
    """Arm it (``outage["armed"] = True``): the next device signature stops the server;
    ``back()`` starts it again (also done at the end of the test, whatever happened)."""
    state: dict[str, Any] = {"armed": False, "down": False}

    def back() -> None:
        if state["down"]:
            pg_server.start()
            state["down"] = False

    state["back"] = back
    monkeypatch.setattr(
        device_access, "open_signer",
        lambda uri: _SignThenOutage(open_signer(uri), pg_server, state),
    )
    yield state
    back()


def _retrying(desk: Any, what: str) -> bool:
    text = desk.window.store_status.text()
    return "not committed yet" in text and what in text and "retrying" in text


def _entries(desk: Any, action: str) -> int:
    return len(AuditService(desk.ctx.facade.store).entries(action=action))


def _alice_on_duty_with_a_client_selected(desk: Any) -> Any:
    """alice registered and signed in on the emulator, alnoor-quant selected in
    Holdings (what Prepare attests); returns the window."""
    alice = desk.start_emulator(TEST_MNEMONIC_ALL)
    desk.register("alice", alice)
    desk.sign_in("alice")
    w = desk.window
    proxy = w.holdings.clients.proxy
    row = next(r for r in range(proxy.rowCount())
               if proxy.row_object(r).client_id == "alnoor-quant")
    w.holdings.clients.selectRow(row)
    return w


def test_the_makers_signature_survives_a_database_restart_and_is_stored_once(
    desk: Any, outage: dict[str, Any]
) -> None:
    w = _alice_on_duty_with_a_client_selected(desk)

    outage["armed"] = True
    task = desk.ctx.spawn(w.attestations.prepare())
    desk.wait_until(lambda: _retrying(desk, "the maker's signature of attestation"), 45)
    assert outage["down"] and not task.done()  # kept and retried, not dropped with an error
    outage["back"]()
    desk.wait_until(task.done, 60)
    prepared = task.result()
    assert prepared is not None, message_texts()
    assert prepared.status == AttestationStatus.AWAITING_APPROVAL
    assert prepared.prepared_by == "alice"
    desk.wait_until(lambda: "not committed yet" not in w.store_status.text(), 10)
    assert any("committed after" in m.text for m in desk.ctx.messages.entries)
    assert _entries(desk, "attestation.prepared_by") == 1
    assert _entries(desk, "attestation.prepare") == 1
    detail = desk.run(desk.ctx.facade.attestation_detail(prepared.att_id))
    assert detail.statement.startswith("CDESK-ATTEST/3 ")
    assert AuditService(desk.ctx.facade.store).verify().ok


def test_an_emergency_share_survives_a_database_restart_and_is_stored_once(
    desk: Any, outage: dict[str, Any]
) -> None:
    custodian = desk.start_emulator(TEST_MNEMONIC_ALL)
    desk.register("alice", custodian)
    desk.add_officer_emergency_key("alice")
    desk.sign_in("alice")
    view = desk.window.emergency
    desk.window.tabs.setCurrentWidget(view)
    dialog = view.open_create_dialog()
    desk.wait_until(lambda: dialog.client.count() > 0)
    dialog.client.setCurrentText("alnoor-quant")
    dialog.reason.setPlainText("Exchange outage: release collateral")
    dialog.ok_button.click()
    try:
        desk.wait_until(lambda: view.model.rowCount() == 1)
    except AssertionError:
        raise AssertionError(message_texts()) from None
    order_id = view.model.row_at(0).order_id
    view.select(order_id)

    outage["armed"] = True
    task = desk.ctx.spawn(view.sign_selected())
    desk.wait_until(lambda: _retrying(desk, f"emergency order {order_id}"), 45)
    assert outage["down"] and not task.done()
    outage["back"]()
    desk.wait_until(task.done, 60)
    signed = task.result()
    assert signed is not None, message_texts()
    assert signed.valid_signatures == 1
    desk.wait_until(lambda: "not committed yet" not in desk.window.store_status.text(), 10)
    assert _entries(desk, "emergency.import") == 1
    with desk.ctx.facade.store.read() as tx:
        [count] = tx.connection.execute(
            "SELECT COUNT(*) FROM emergency_signatures"
        ).fetchone()
    assert count == 1
    assert AuditService(desk.ctx.facade.store).verify().ok


def test_a_signature_kept_through_a_long_outage_is_committed_when_the_link_is_back(
    desk: Any, outage: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Longer than the back-off: the act is kept (the status bar says so), the window
    asks before it is closed with it, and commits it once the connection is back."""
    from message_boxes import messages

    from app.services import signed_commit
    from app.store import pg_store

    monkeypatch.setattr(signed_commit, "SIGNED_RETRY_S", (0.2, 0.2))
    monkeypatch.setattr(pg_store, "RECONNECT_BACKOFF_S", (0.1,))
    monkeypatch.setattr(signed_commit, "_kept", [])
    w = _alice_on_duty_with_a_client_selected(desk)

    outage["armed"] = True
    task = desk.ctx.spawn(w.attestations.prepare())
    desk.wait_until(task.done, 45)  # the flow ended, saying not committed (its dialog)
    act = next(a for a in desk.ctx.kept_acts if "the maker's signature of attestation" in a)
    status = w.store_status.text()
    assert "kept in this window" in status and act in status
    assert any("kept in this window" in m.text and m.important
               for m in desk.ctx.messages.entries)

    w.quit_action.trigger()  # the officer quits: asked first, the act is not dropped
    desk.wait_until(lambda: any(m.objectName() == "keptActsOnClose" for m in messages()))
    box = next(m for m in messages() if m.objectName() == "keptActsOnClose")
    assert act in box.informativeText()
    assert box.informativeText().startswith("The store has not got the act below")  # one act
    keep = next(b for b in box.buttons()
                if box.buttonRole(b) == box.ButtonRole.RejectRole)
    keep.click()
    desk.wait_until(lambda: not box.isVisible())
    assert w.isVisible() and not w.closed and desk.ctx.kept_acts

    outage["back"]()  # the listener reconnects; the window commits what it kept
    desk.wait_until(lambda: not desk.ctx.kept_acts, 60)
    desk.wait_until(lambda: "kept in this window" not in w.store_status.text(), 10)
    assert any("committed after" in m.text and act in m.text
               for m in desk.ctx.messages.entries)
    assert _entries(desk, "attestation.prepared_by") == 1
    [record] = [a for a in desk.run(desk.ctx.facade.attestations())
                if a.prepared_by == "alice"]
    assert record.status == AttestationStatus.AWAITING_APPROVAL
    assert AuditService(desk.ctx.facade.store).verify().ok
