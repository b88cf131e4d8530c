"""The audit trail anchored outside the desk (issue 17, item 4).

An attacker with the store file drops the triggers, deletes ``key.revoke``
entries, recomputes every hash with the desk's own functions and puts the rows
back in step: ``audit verify`` alone passes. A tree head the exchange received
with a push (its signed receipt, its list of heads) or a signed checkpoint
exported earlier catches it. An edited ``officers`` row is reported and does
not bring a revoked officer back; ``restore`` refuses another desk's store.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import cli, ok, signin
from officer_desk import PATH, SNAPSHOT, fresh_snapshot
from test_exchange_support import open_desk

from app.documents.keys import Party, key_id_for
from app.exchange.outbox import exchange_repo
from app.exchange.push import queue_attestation
from app.paths import store_path
from app.services import margin_calls as mc
from app.services.audit import AuditService
from app.services.audit_anchor import anchors_in, verify_against
from app.services.audit_log import append_entry
from app.services.officers import add_party_key, desk_repo, revoke_key
from app.store import open_store
from app.store.codec import text_to_time
from signing.emulator.hsm import SoftHsm
from signing.emulator.main import RunningEmulator
from signing.emulator.test_seeds import TEST_MNEMONIC_LEGAL


def rewrite_trail(path: Path, drop_actions: set[str], *extra_sql: str) -> None:
    """What the attacker did: drop the triggers, remove entries, re-hash the rest with the
    desk's own append, and put the rows back in step."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            db.execute(f"DROP TRIGGER {name}")
        rows = db.execute(
            "SELECT time, actor, action, payload FROM audit_entries ORDER BY seq"
        ).fetchall()
        for statement in ("DELETE FROM audit_entries", "DELETE FROM audit_checkpoints",
                          "DELETE FROM audit_head",
                          "UPDATE sqlite_sequence SET seq = 0 WHERE name = 'audit_entries'",
                          *extra_sql):
            db.execute(statement)
    finally:
        db.close()
    store = open_store(path)
    try:
        with store.transaction() as tx:
            for time, actor, action, payload in rows:
                if action not in drop_actions:
                    append_entry(tx, actor=actor, action=action, payload=json.loads(payload),
                                 at=text_to_time(time), checkpoint_every=0)
    finally:
        store.close()


def test_a_rewritten_and_rehashed_trail_is_caught_by_the_exchanges_copy(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    regulator = SoftHsm(TEST_MNEMONIC_LEGAL).get_public_key(PATH)

    async def flow() -> tuple[Path, bytes, bytes]:
        async with open_desk(tmp_path, devices) as desk:
            add_party_key(desk.store, Party.REGULATOR, regulator.pubkey, regulator.address,
                          actor="test", is_emulator=True)
            revoke_key(desk.store, key_id_for(regulator.pubkey), actor="test")
            queue_attestation(desk.store, await desk.attest("alnoor-quant"), actor="test")
            report = await mc.sync(desk.store, desk.link())
            assert report.outbox.clean and len(report.outbox.sent) == 1
            with desk.store.read() as tx:
                [sent] = [m for m in exchange_repo(tx).outbox() if m.status == "sent"]
            assert sent.response is not None and "audit_head" in sent.response
            heads = json.dumps(desk.sim.audit_heads_json()).encode()
            return store_path(desk.path), heads, str(sent.response["receipt"]).encode()

    path, heads, receipt = asyncio.run(flow())
    anchors = anchors_in(heads, "exchange-heads.json") + anchors_in(receipt, "receipt.json")
    assert len(anchors) == 2 and anchors[0].size == anchors[1].size > 0
    store = open_store(path)
    try:
        assert all(c.ok for c in verify_against(store, anchors))  # untouched: extends both
    finally:
        store.close()

    # the revocation goes (its revoked_keys row too: a revocation row without its
    # key.revoke entry fails `data`), and the signed checkpoints with their entries
    # (approving the attestation signed one), every hash recomputed
    rewrite_trail(path, {"key.revoke", "audit.checkpoint", "audit.checkpoint_sign"},
                  "UPDATE party_keys SET revoked_at = NULL", "DELETE FROM revoked_keys")
    store = open_store(path)
    try:
        assert AuditService(store).verify().ok  # the local checks alone are fooled
        checks = verify_against(store, anchors)
    finally:
        store.close()
    assert [c.ok for c in checks] == [False, False]
    assert all("rewritten after it was shared" in c.detail for c in checks)
    assert "exchange receipt" in checks[1].line()


def _cli_desk(desk: Path, capsys: pytest.CaptureFixture[str],
              devices: dict[str, RunningEmulator]) -> None:
    ok(desk, capsys, "import", str(fresh_snapshot(desk.parent)))
    for name in ("alice", "bob"):
        ok(desk, capsys, "officers", "add", name, "--role", "officer",
           "--device", devices[name].trezor_uri, "--path", PATH)
    signin(desk, capsys, "alice", devices["alice"].trezor_uri)  # alice on duty


def test_audit_verify_against_an_exported_signed_checkpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator]
) -> None:
    desk = tmp_path / "desk"
    _cli_desk(desk, capsys, devices)
    ok(desk, capsys, "audit", "checkpoint")
    ok(desk, capsys, "audit", "sign-checkpoint", "1", "--officer", "alice",
       "--device", devices["alice"].trezor_uri)
    checkpoint = tmp_path / "checkpoint.json"
    ok(desk, capsys, "audit", "export-checkpoint", "1", "--out", str(checkpoint))
    head = tmp_path / "head.json"
    ok(desk, capsys, "audit", "export-head", "--out", str(head))
    out = ok(desk, capsys, "audit", "verify", "--against", str(checkpoint),
             "--against", str(head))
    assert "ok   anchor checkpoint.json (signed checkpoint): the trail extends it" in out

    # bob's registration disappears and alice is renamed, every hash recomputed
    rewrite_trail(store_path(desk), {"officer.register"},
                  "UPDATE officers SET name = 'carol' WHERE name = 'alice'")
    code, out, _ = cli(desk, capsys, "audit", "verify", "--against", str(checkpoint),
                       "--against", str(head))
    assert code != 0
    assert "FAIL anchor checkpoint.json (signed checkpoint): " in out
    assert "FAIL anchor head.json: " in out
    assert "FAIL officers and keys: officer bob" in out and "officer carol" in out


def test_an_edited_officer_row_is_reported_and_does_not_bring_the_officer_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator]
) -> None:
    desk = tmp_path / "desk"
    _cli_desk(desk, capsys, devices)
    store = open_store(store_path(desk))
    try:
        with store.read() as tx:
            bob = desk_repo(tx).officer_by_name("bob")
        assert bob is not None
    finally:
        store.close()
    ok(desk, capsys, "keys", "revoke", key_id_for(bob.pubkey))
    db = sqlite3.connect(store_path(desk), isolation_level=None)
    try:
        db.execute("UPDATE officers SET active = 1 WHERE name = 'bob'")
    finally:
        db.close()
    code, out, _ = cli(desk, capsys, "audit", "verify")
    assert code != 0
    assert (f"FAIL officers and keys: officer bob is active but key {key_id_for(bob.pubkey)} "
            "was revoked") in out
    # the trail has the last word: bob stays revoked in the trust root and cannot approve
    keys = tmp_path / "keys.json"
    ok(desk, capsys, "keys", "export", "--out", str(keys))
    [entry] = [k for k in json.loads(keys.read_text())["keys"] if k["name"] == "bob"]
    assert entry["revoked"] is True
    att = ok(desk, capsys, "attest", "prepare", "--clients", "alnoor-quant",
             "--officer", "alice", "--device", devices["alice"].trezor_uri).strip()
    code, _, err = cli(desk, capsys, "signin", "--officer", "bob",
                       "--device", devices["bob"].trezor_uri)
    assert code != 0 and f"bob's key {key_id_for(bob.pubkey)} was revoked" in err
    code, _, err = cli(desk, capsys, "attest", "sign", att, "--officer", "bob",
                       "--device", devices["bob"].trezor_uri)
    assert code != 0 and "--officer bob does not match the signed-in officer alice" in err


def test_restore_refuses_another_desks_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for desk in (ours, theirs):
        ok(desk, capsys, "import", str(SNAPSHOT))
    backup = tmp_path / "theirs.sqlite3"
    ok(theirs, capsys, "backup", str(backup))
    before = ok(ours, capsys, "audit", "log")
    code, _, err = cli(ours, capsys, "restore", str(backup))
    assert code != 0 and "another desk's store" in err
    assert ok(ours, capsys, "audit", "log") == before  # nothing changed
    # our own backup still restores
    own = tmp_path / "ours.sqlite3"
    ok(ours, capsys, "backup", str(own))
    ok(ours, capsys, "restore", str(own))


def test_restore_refuses_a_store_whose_checkpoint_history_differs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = tmp_path / "desk"
    ok(desk, capsys, "import", str(SNAPSHOT))
    ok(desk, capsys, "audit", "checkpoint")  # at size 1
    ok(desk, capsys, "audit", "checkpoint")  # at size 2
    forged = tmp_path / "forged.sqlite3"
    ok(desk, capsys, "backup", str(forged))
    # same first entry (same desk), another history after it, every hash recomputed
    rewrite_trail(forged, {"audit.checkpoint", "store.backup"})
    store = open_store(forged)
    try:
        with store.transaction() as tx:
            append_entry(tx, actor="forger", action="note", payload={"x": 1},
                         at=text_to_time("2026-11-26T10:00:00Z"), checkpoint_every=0)
        assert AuditService(store).verify().ok  # the copy is consistent on its own
    finally:
        store.close()
    before = ok(desk, capsys, "audit", "log")
    code, _, err = cli(desk, capsys, "restore", str(forged))
    assert code != 0 and "checkpoint history differs" in err, err
    assert "checkpoint #2 at size 2" in err
    assert ok(desk, capsys, "audit", "log") == before
