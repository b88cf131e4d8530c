"""Signed audit checkpoints end to end: take, sign on the officer's own device, verify, export.

alice and bob are registered officers, each on their own in-process emulator
(``conftest.py``). Tampering is done the way an attacker with the sqlite3 shell
would: drop the triggers, edit the rows.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import cli, ok, signin
from desk_stores import desk_store
from officer_desk import PATH, SNAPSHOT

from app.documents.keys import key_id_for
from app.domain.rfc6962 import leaf_hash
from app.services.audit import AuditService
from app.services.audit_checkpoints import AuditCheckpointService
from app.services.audit_log import extend_frontier
from app.services.officers import list_officers
from app.store import open_store
from app.store.sqlite_store import SqliteStore
from signing.emulator.main import RunningEmulator
from signing.errors import UserRejected, WrongDevice
from signing.interface import NullInteraction

SIGNATURE_LINE = re.compile(r"^ok   checkpoint signatures: (\d+) signed, all valid$", re.M)


def signed_count(verify_output: str) -> int:
    """N of the ``ok   checkpoint signatures: N signed, all valid`` line (which must be there)."""
    match = SIGNATURE_LINE.search(verify_output)
    assert match, verify_output
    return int(match.group(1))


def take_checkpoint(data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, int]:
    """`audit checkpoint`; returns (id, tree size)."""
    out = ok(data, capsys, "audit", "checkpoint")
    match = re.match(r"checkpoint #(\d+): (\d+) entries", out)
    assert match, out
    return match.group(1), int(match.group(2))


def sign(data: Path, capsys: pytest.CaptureFixture[str], ckpt: str, officer: str,
         device: RunningEmulator) -> str:
    signin(data, capsys, officer, device.trezor_uri)
    return ok(data, capsys, "audit", "sign-checkpoint", ckpt, "--officer", officer,
              "--device", device.trezor_uri)


def tamper(data: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    db = sqlite3.connect(data / "desk.sqlite3", isolation_level=None)
    try:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            db.execute(f"DROP TRIGGER {name}")
        for sql, params in statements:
            db.execute(sql, params)
    finally:
        db.close()


def stored(data: Path, ckpt: str) -> tuple[str | None, str | None, str | None]:
    with desk_store(data) as store, store.read() as tx:
        row = tx.connection.execute(
            "SELECT statement, signature, signer FROM audit_checkpoints WHERE id = ?",
            (int(ckpt),),
        ).fetchone()
    return row[0], row[1], row[2]


@pytest.fixture
def desk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator]
) -> Path:
    data = tmp_path / "desk"
    ok(data, capsys, "import", str(SNAPSHOT))
    for name in ("alice", "bob"):
        ok(data, capsys, "officers", "add", name, "--role", "officer",
           "--device", devices[name].trezor_uri, "--path", PATH)
    return data


@pytest.mark.usefixtures("desk_backend")  # both backends
def test_sign_verify_export_and_chain_two_signed_checkpoints(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    devices: dict[str, RunningEmulator], caplog: pytest.LogCaptureFixture,
) -> None:
    ckpt, size = take_checkpoint(desk, capsys)
    out = ok(desk, capsys, "audit", "verify")
    assert "ok   checkpoint signatures: 0 signed" in out

    with caplog.at_level(logging.INFO, logger="signing.emulator"):
        out = sign(desk, capsys, ckpt, "alice", devices["alice"])
    statement, signature, signer = stored(desk, ckpt)
    assert statement is not None and signature is not None
    assert statement.startswith(f"CDESK-CHECKPOINT/1 cust=CUST-DEMO ex=EXCH-DEMO env=test "
                                f"size={size} at=")
    assert statement in out
    prompts = [r.getMessage() for r in caplog.records if "asks to approve" in r.getMessage()]
    assert any(statement in p for p in prompts), "alice's device showed the whole statement"
    audit_log = json.loads(ok(desk, capsys, "audit", "log", "--json",
                              "--action", "audit.checkpoint_sign"))
    assert [e["payload"]["statement"] for e in audit_log] == [statement]
    assert audit_log[0]["actor"] == "officer:alice"

    assert signed_count(ok(desk, capsys, "audit", "verify")) == 1

    keys = tmp_path / "keys.json"
    first = tmp_path / "ckpt1.json"
    ok(desk, capsys, "keys", "export", "--out", str(keys))
    ok(desk, capsys, "audit", "export-checkpoint", ckpt, "--out", str(first))
    document = json.loads(first.read_text())
    assert document["kind"] == "audit_checkpoint" and document["statement"] == statement
    assert document["body"]["consistency"] is None
    assert document["body"]["signer_key_ids"] == [signer]
    out = ok(desk, capsys, "verify", str(first), "--keys", str(keys))
    assert out.strip().endswith("VALID") and "OK   signature custodian/" in out

    # a second checkpoint later, signed by bob, proves the log only grew since the first
    signin(desk, capsys, "bob", devices["bob"].trezor_uri)
    code, _, err = cli(desk, capsys, "audit", "sign-checkpoint", ckpt, "--officer", "bob",
                       "--device", devices["bob"].trezor_uri)
    assert code == 2 and "already signed" in err
    second_id, second_size = take_checkpoint(desk, capsys)
    assert second_size > size
    sign(desk, capsys, second_id, "bob", devices["bob"])
    assert signed_count(ok(desk, capsys, "audit", "verify")) == 2
    second = tmp_path / "ckpt2.json"
    ok(desk, capsys, "audit", "export-checkpoint", second_id, "--out", str(second))
    body = json.loads(second.read_text())["body"]
    assert body["consistency"]["from_size"] == size
    assert body["consistency"]["from_root"] == document["body"]["root"]
    out = ok(desk, capsys, "verify", str(second), "--keys", str(keys))
    assert f"OK   consistency: extends the checkpoint at size {size}" in out

    # a forged proof (or a root the first checkpoint never had) is refused
    forged = json.loads(second.read_text())
    forged["body"]["consistency"]["from_root"] = "00" * 32
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    code, out, _ = cli(desk, capsys, "verify", str(tmp_path / "forged.json"), "--keys", str(keys))
    assert code == 1 and "FAIL consistency" in out and "bad_proof" in out


def _flip_signature(signature: str) -> str:
    raw = bytearray(base64.b64decode(signature))
    raw[10] ^= 0x01
    return base64.b64encode(bytes(raw)).decode("ascii")


@pytest.mark.parametrize("what", ["signature", "statement expiry", "statement root"])
def test_tampered_signed_checkpoint_fails_verify_naming_it(
    what: str, desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    devices: dict[str, RunningEmulator],
) -> None:
    ckpt, _ = take_checkpoint(desk, capsys)
    sign(desk, capsys, ckpt, "alice", devices["alice"])
    statement, signature, _ = stored(desk, ckpt)
    assert statement is not None and signature is not None
    if what == "signature":
        edit = ("UPDATE audit_checkpoints SET signature = ? WHERE id = ?",
                (_flip_signature(signature), ckpt))
    elif what == "statement expiry":
        later = re.sub(r"exp=(\d{4})", lambda m: f"exp={int(m.group(1)) + 1}", statement)
        edit = ("UPDATE audit_checkpoints SET statement = ? WHERE id = ?", (later, ckpt))
    else:
        other = re.sub(r"root=[0-9a-f]{64}", "root=" + "ab" * 32, statement)
        edit = ("UPDATE audit_checkpoints SET statement = ? WHERE id = ?", (other, ckpt))
    tamper(desk, edit)

    code, out, _ = cli(desk, capsys, "audit", "verify")
    assert code == 1
    [line] = [x for x in out.splitlines() if x.startswith("FAIL checkpoint signatures:")]
    assert f"checkpoint #{ckpt}:" in line
    # a tampered checkpoint is never exported as signed
    code, _, err = cli(desk, capsys, "audit", "export-checkpoint", ckpt,
                       "--out", str(tmp_path / "x.json"))
    assert code == 2 and f"checkpoint #{ckpt}" in err
    assert not (tmp_path / "x.json").exists()


def _snapshot(store: SqliteStore) -> tuple[int, list[tuple[int, str | None]]]:
    with store.read() as tx:
        entries = len(list(tx.audit.iter_all()))
        rows = [(c.id, c.signature) for c in tx.audit.checkpoints()]
    return entries, rows


@pytest.mark.usefixtures("desk_backend")  # both backends
def test_another_officers_device_is_wrong_device_and_nothing_is_stored(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    row = AuditService(store).checkpoint("test")
    before = _snapshot(store)
    service = AuditCheckpointService(store)
    with pytest.raises(WrongDevice):
        asyncio.run(service.sign_checkpoint(row.id, "alice", devices["bob"].trezor_uri,
                                            NullInteraction()))
    assert _snapshot(store) == before
    assert before[1][-1] == (row.id, None)


@pytest.mark.usefixtures("desk_backend")  # both backends
def test_rejected_on_the_device_stores_nothing_and_can_be_retried(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    row = AuditService(store).checkpoint("test")
    before = _snapshot(store)
    service = AuditCheckpointService(store)
    alice = devices["alice"]
    alice.hsm.set_policy("reject")
    try:
        with pytest.raises(UserRejected):
            asyncio.run(service.sign_checkpoint(row.id, "alice", alice.trezor_uri,
                                                NullInteraction()))
    finally:
        alice.hsm.set_policy("auto")
    assert _snapshot(store) == before
    signed = asyncio.run(service.sign_checkpoint(row.id, "alice", alice.trezor_uri,
                                                 NullInteraction()))
    [alice_key] = [o.pubkey for o in list_officers(store) if o.name == "alice"]
    assert signed.signature is not None and signed.signer == key_id_for(alice_key)
    assert AuditService(store).verify_checkpoint_signatures().ok


@pytest.mark.usefixtures("desk_backend")  # both backends
def test_a_revoked_key_no_longer_counts(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    devices: dict[str, RunningEmulator],
) -> None:
    ckpt, _ = take_checkpoint(desk, capsys)
    sign(desk, capsys, ckpt, "alice", devices["alice"])
    exported = tmp_path / "ckpt.json"
    ok(desk, capsys, "audit", "export-checkpoint", ckpt, "--out", str(exported))
    _, _, signer = stored(desk, ckpt)
    assert signer is not None
    ok(desk, capsys, "keys", "revoke", signer)

    code, out, _ = cli(desk, capsys, "audit", "verify")
    assert code == 1
    assert re.search(rf"^FAIL checkpoint signatures: checkpoint #{ckpt}: .*revoked", out, re.M)
    # the trust root handed out after the revocation refuses the exported copy too
    keys = tmp_path / "keys.json"
    ok(desk, capsys, "keys", "export", "--out", str(keys))
    code, out, _ = cli(desk, capsys, "verify", str(exported), "--keys", str(keys))
    assert code == 1 and "revoked_key" in out
    # a revoked officer cannot sign the next one either
    nxt, _ = take_checkpoint(desk, capsys)
    code, _, err = cli(desk, capsys, "audit", "sign-checkpoint", nxt, "--officer", "alice",
                       "--device", devices["alice"].trezor_uri)
    assert code == 2 and "was revoked" in err


def test_truncating_the_log_below_a_signed_checkpoint_is_detected(
    desk: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator],
) -> None:
    ckpt, size = take_checkpoint(desk, capsys)
    sign(desk, capsys, ckpt, "alice", devices["alice"])
    ok(desk, capsys, "audit", "verify")
    keep = size - 2
    # the attacker also rebuilds the head and the AUTOINCREMENT mark, so only the
    # signed checkpoint remembers the longer log
    store = open_store(desk / "desk.sqlite3")
    try:
        with store.read() as tx:
            kept = list(tx.audit.iter_all())[:keep]
    finally:
        store.close()
    frontier: list[bytes] = []
    for n, entry in enumerate(kept):
        frontier = extend_frontier(n, frontier, leaf_hash(bytes.fromhex(entry.entry_hash)))
    tamper(
        desk,
        ("DELETE FROM audit_entries WHERE seq > ?", (keep,)),
        ("UPDATE audit_head SET size = ?, last_hash = ?, frontier = ?",
         (keep, kept[-1].entry_hash, json.dumps([f.hex() for f in frontier]))),
        ("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_entries'", (keep,)),
    )
    code, out, _ = cli(desk, capsys, "audit", "verify")
    assert code == 1
    assert "ok   chain:" in out and "ok   head:" in out, out
    assert re.search(rf"^FAIL checkpoints: checkpoint #{ckpt}: truncated log", out, re.M), out
    # the signing entry went with the truncated tail, but the signed row still names it
    code, _, err = cli(desk, capsys, "audit", "export-checkpoint", ckpt, "--out",
                       str(desk / "x.json"))
    assert code == 2 and f"checkpoint #{ckpt} covers {size} entries" in err


@pytest.mark.usefixtures("desk_backend")  # both backends
def test_refusals_before_the_device(
    desk: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator],
) -> None:
    ckpt, _ = take_checkpoint(desk, capsys)
    signin(desk, capsys, "alice", devices["alice"].trezor_uri)
    signatures_before = devices["alice"].hsm.state()["signatures"]
    for argv, message in (
        (("999", "--officer", "alice"), "no checkpoint #999"),
        (("x1", "--officer", "alice"), "not a checkpoint id"),
        ((ckpt, "--officer", "mallory"), "--officer mallory does not match"),
    ):
        code, _, err = cli(desk, capsys, "audit", "sign-checkpoint", *argv,
                           "--device", devices["alice"].trezor_uri)
        assert code == 2 and message in err, err
    code, _, err = cli(desk, capsys, "audit", "export-checkpoint", ckpt, "--out",
                       str(desk / "x.json"))
    assert code == 2 and "not signed" in err
    assert devices["alice"].hsm.state()["signatures"] == signatures_before, "device never asked"
    assert stored(desk, ckpt) == (None, None, None)


def test_a_checkpoint_the_log_no_longer_backs_is_never_signed(
    desk: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator],
) -> None:
    ckpt, _ = take_checkpoint(desk, capsys)
    signin(desk, capsys, "alice", devices["alice"].trezor_uri)
    tamper(desk, ("UPDATE audit_entries SET actor = 'someone-else' WHERE seq = 1", ()))
    signatures_before = devices["alice"].hsm.state()["signatures"]
    code, _, err = cli(desk, capsys, "audit", "sign-checkpoint", ckpt, "--officer", "alice",
                       "--device", devices["alice"].trezor_uri)
    assert code == 2 and "the audit log does not verify" in err, err
    assert devices["alice"].hsm.state()["signatures"] == signatures_before, "device never asked"
    assert stored(desk, ckpt) == (None, None, None)


def test_a_half_erased_signature_record_is_reported_not_raised(
    desk: Path, capsys: pytest.CaptureFixture[str], devices: dict[str, RunningEmulator],
) -> None:
    ckpt, _ = take_checkpoint(desk, capsys)
    sign(desk, capsys, ckpt, "alice", devices["alice"])
    tamper(desk, ("UPDATE audit_checkpoints SET signer = NULL WHERE id = ?", (ckpt,)))
    code, out, _ = cli(desk, capsys, "audit", "verify")
    assert code == 1
    assert f"FAIL checkpoint signatures: checkpoint #{ckpt}: the stored signature record is " \
        "incomplete" in out
