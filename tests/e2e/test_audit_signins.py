"""``audit verify`` proves, from the trail alone, that every officer act rests on a
sign-in the officer's own device signed.

The attacker here has write access to the store and uses the desk's own hashing
(``append_entry``), so the chain, the head and the tree all recompute: only the
sign-ins check can tell an act nobody signed in for from a real one.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from officer_desk import PATH, desk_with_officers
from signin_support import sign_in

from app.documents.keys import key_id_for
from app.services.audit import AuditReport, AuditService
from app.services.audit_log import append_entry
from app.services.device_access import sign_on_device
from app.services.signin import SigninService
from app.store import open_store
from app.store.interface import Store
from signing.emulator.main import RunningEmulator
from signing.interface import NullInteraction


@pytest.fixture
def store(tmp_path: Path, devices: dict[str, RunningEmulator]) -> Iterator[Store]:
    """alice and bob registered and signed in on their own emulators."""
    yield from desk_with_officers(open_store(tmp_path / "desk.sqlite3"), devices)


def signins_check(store: Store) -> tuple[bool, str]:
    report: AuditReport = AuditService(store).verify()
    check = next(c for c in report.checks if c.name == "sign-ins")
    return check.ok, check.detail


def forge(store: Store, actor: str, action: str, payload: dict[str, Any],
          at: datetime | None = None) -> int:
    """Append an entry with the desk's own functions (chain and head stay consistent)."""
    with store.transaction() as tx:
        row = append_entry(tx, actor=actor, action=action, payload=payload,
                           at=at or datetime.now(UTC))
    return row.seq


def alice_session(store: Store) -> dict[str, Any]:
    entry = AuditService(store).entries(action="officer.signin")[0]
    session: dict[str, Any] = json.loads(entry.payload)["session"]
    assert session["officer"] == "alice"
    return session


def test_real_sign_ins_and_the_acts_on_them_verify(store: Store) -> None:
    ok, detail = signins_check(store)
    assert ok, detail
    assert detail.startswith("2 sign-in(s) verify")


def test_an_act_on_a_nonce_no_device_signed_is_reported(store: Store) -> None:
    seq = forge(store, "officer:alice", "attestation.approve", {
        "attestation_id": 1,
        "session": {"officer": "alice", "workstation": "ws", "signin": "si-99",
                    "nonce": "f" * 32},
    })
    ok, detail = signins_check(store)
    assert not ok
    assert f"entry #{seq} (attestation.approve by alice)" in detail
    assert "no verified sign-in" in detail
    assert not AuditService(store).verify().ok


def test_an_act_with_no_session_after_sign_in_is_reported(store: Store) -> None:
    seq = forge(store, "officer:bob", "key.revoke", {"key_id": "x"})
    ok, detail = signins_check(store)
    assert not ok and f"entry #{seq} (key.revoke by bob) rests on no sign-in" in detail


def test_an_act_on_another_officers_sign_in_is_reported(store: Store) -> None:
    session = alice_session(store)
    seq = forge(store, "officer:bob", "attestation.approve",
                {"session": {**session, "officer": "bob"}})
    ok, detail = signins_check(store)
    assert not ok and f"entry #{seq}" in detail and "rests on alice's sign-in" in detail


def test_an_act_after_its_session_expired_is_reported(store: Store) -> None:
    session = alice_session(store)
    late = datetime.now(UTC) + timedelta(hours=9)  # sessions last 8 h by default
    seq = forge(store, "officer:alice", "attestation.approve", {"session": session}, at=late)
    ok, detail = signins_check(store)
    assert not ok and f"entry #{seq}" in detail and "after its session expired" in detail


def test_a_sign_in_signed_by_another_officers_device_is_reported(
    store: Store, devices: dict[str, RunningEmulator]
) -> None:
    service = SigninService(store)
    challenge = service.issue_challenge("alice")
    line = challenge.render()
    made = asyncio.run(sign_on_device(devices["bob"].trezor_uri, PATH, line, NullInteraction()))
    alice_key = next(o.pubkey for o in _officers(store) if o.name == "alice")
    nonce = challenge.nonce
    seq = forge(store, "officer:alice", "officer.signin", {
        "key_id": key_id_for(alice_key),
        "statement": line,
        "signature": base64.b64encode(made.signature).decode(),
        "expires_at": (datetime.now(UTC) + timedelta(hours=8)).isoformat(),
        "session": {"officer": "alice", "workstation": "ws", "signin": "si-98",
                    "nonce": nonce},
    })
    act = forge(store, "officer:alice", "attestation.approve",
                {"session": {"officer": "alice", "nonce": nonce}})
    ok, detail = signins_check(store)
    assert not ok
    assert f"entry #{seq} (officer.signin by alice): the challenge's signature does not " \
        "verify under alice's registered key" in detail
    assert "(and 1 more)" in detail  # the act resting on it is reported too
    assert act == seq + 1


def test_a_real_sign_in_still_verifies_after_the_officer_signs_out(
    store: Store, devices: dict[str, RunningEmulator]
) -> None:
    opened = sign_in(store, "alice", devices["alice"].trezor_uri)
    assert SigninService(store).end(opened.live)
    ok, detail = signins_check(store)
    assert ok, detail
    assert detail.startswith("3 sign-in(s) verify")


def _officers(store: Store) -> list[Any]:
    from app.services.officers import desk_repo

    with store.read() as tx:
        return list(desk_repo(tx).officers_as_stored())
