"""A stored attestation edited behind the desk's back is never exported or shown as proven.

Export and the GUI's proof check run the one bundle verifier over the stored rows,
so a moved value, an unlocked share or an edited price is caught by name.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from app.services.attestations import AttestationError, AttestationService
from app.store.sqlite_store import SqliteStore
from app.ui.backend.workflows import verify_proof
from signing.emulator.main import RunningEmulator
from signing.interface import NullInteraction

CLIENTS = ["alnoor-quant", "palm-harbour", "jumeirah-yield"]


def _signed(store: SqliteStore, devices: dict[str, RunningEmulator]) -> int:
    service = AttestationService(store)
    rec = service.prepare(CLIENTS, "alice")
    asyncio.run(service.approve_and_sign(rec.id, "bob", devices["bob"].trezor_uri,
                                         NullInteraction()))
    return rec.id


def test_export_and_proof_check_refuse_a_moved_value(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    att_id = _signed(store, devices)
    service = AttestationService(store)
    assert service.export_bundle(att_id).body["client_count"] == 3
    assert all(verify_proof(store, str(att_id), c) for c in CLIENTS)
    before = {c.client_id: c.collateral_value_usd for c in service.detail(att_id).clients}
    with store.transaction() as tx:  # 1,000,000.00 USD moved, the total unchanged
        for client, delta in (("alnoor-quant", -1000000), ("palm-harbour", 1000000)):
            tx.connection.execute(
                "UPDATE attestation_clients SET collateral_value_usd = ?"
                " WHERE attestation_id = ? AND client_id = ?",
                (f"{before[client] + delta:.2f}", att_id, client))
    after = {c.client_id: c.collateral_value_usd for c in service.detail(att_id).clients}
    assert sum(after.values()) == sum(before.values()) and after != before
    with pytest.raises(AttestationError, match="values: client"):
        service.export_bundle(att_id)
    assert not verify_proof(store, str(att_id), "palm-harbour")


def test_export_refuses_unlocked_shares(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    att_id = _signed(store, devices)
    service = AttestationService(store)
    with store.transaction() as tx:
        row = tx.connection.execute(
            "SELECT leaf_json FROM attestation_clients WHERE attestation_id = ? AND client_id = ?",
            (att_id, "jumeirah-yield")).fetchone()
        leaf = json.loads(row[0])
        benji = next(p for p in leaf["positions"] if p["asset"] == "BENJI")
        assert benji["locked_quantity"] == "2000000"
        benji["locked_quantity"] = "0"
        tx.connection.execute(
            "UPDATE attestation_clients SET leaf_json = ?"
            " WHERE attestation_id = ? AND client_id = ?",
            (json.dumps(leaf), att_id, "jumeirah-yield"))
    with pytest.raises(AttestationError, match="values: client jumeirah-yield"):
        service.export_bundle(att_id)


def test_an_attestation_stored_before_format_2_is_refused_by_version(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    att_id = _signed(store, devices)
    with store.transaction() as tx:  # what a store written by the format-1 desk holds
        tree = json.loads(tx.connection.execute(
            "SELECT tree_json FROM attestations WHERE id = ?", (att_id,)).fetchone()[0])
        del tree["format"]
        tx.connection.execute("UPDATE attestations SET tree_json = ? WHERE id = ?",
                              (json.dumps(tree), att_id))
    with pytest.raises(AttestationError, match="prepared in bundle format 1"):
        AttestationService(store).export_bundle(att_id)
    assert not verify_proof(store, str(att_id), "alnoor-quant")
