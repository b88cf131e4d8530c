"""Stored business data is bound to the audit chain (issue 15, case 3).

A desk with a snapshot, a signed attestation (alice makes, bob signs on his
emulator) and an executed emergency order (regulator and exchange shares from
SoftHsm test keys). Each test edits one table the way an attacker with the
sqlite3 shell would (triggers dropped) and ``audit verify`` must fail its
``data`` check naming the table and the row; before this binding the chain
verified while ``holdings`` showed the edited figures.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bound_cases import Copies
from officer_desk import PATH, desk_with_officers

from app.cli.main import main
from app.documents.envelope import Document, SignatureEntry
from app.documents.keys import Party, key_id_for
from app.services.attestations import AttestationService
from app.services.audit import AuditService
from app.services.emergency import create_order, execute, import_signed
from app.services.holdings import HoldingsService
from app.services.officers import add_party_key
from app.store.sqlite_store import SqliteStore
from signing.emulator.hsm import SoftHsm
from signing.emulator.main import RunningEmulator
from signing.emulator.test_seeds import TEST_MNEMONIC_LEGAL, TEST_MNEMONIC_ZOO
from signing.interface import NullInteraction


@dataclass
class Desk:
    store: SqliteStore
    path: Path
    order_id: str
    attestation_id: int


def _sign(doc: Document, hsm: SoftHsm, party: str) -> bytes:
    sig = hsm.sign_message(PATH, doc.statement)
    entry = SignatureEntry(key_id_for(sig.pubkey), party, sig.signature)
    return doc.with_signature(entry).to_bytes()


@pytest.fixture
def desk(tmp_path: Path, devices: dict[str, RunningEmulator]) -> Iterator[Desk]:
    for store in desk_with_officers(SqliteStore(tmp_path / "desk.sqlite3"), devices):
        service = AttestationService(store)
        att = service.prepare(["alnoor-quant", "palm-harbour"], "alice")
        asyncio.run(service.approve_and_sign(att.id, "bob", devices["bob"].trezor_uri,
                                             NullInteraction()))
        parties = {"regulator": SoftHsm(TEST_MNEMONIC_ZOO),
                   "exchange": SoftHsm(TEST_MNEMONIC_LEGAL)}
        for party, hsm in parties.items():
            key = hsm.get_public_key(PATH)
            add_party_key(store, Party(party), key.pubkey, key.address, actor="test",
                          is_emulator=True)
        order = create_order(store, "alnoor-quant", "exchange unreachable", actor="test")
        for party, hsm in parties.items():
            import_signed(store, _sign(order, hsm, party), actor="test")
        order_id = str(order.body["id"])
        execute(store, order_id, actor="test")
        yield Desk(store, tmp_path / "desk.sqlite3", order_id, att.id)


def _tamper(path: Path, sql: str) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            db.execute(f"DROP TRIGGER {name}")
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute(sql)
    finally:
        db.close()


def _data_check(store: SqliteStore) -> tuple[bool, str]:
    report = AuditService(store).verify()
    [check] = [c for c in report.checks if c.name == "data"]
    others = [c.line() for c in report.checks if not c.ok and c.name != "data"]
    assert not others, others  # the chain itself still verifies: only the data check sees it
    return check.ok, check.detail


def test_the_untouched_desk_verifies_every_bound_row(desk: Desk) -> None:
    ok, detail = _data_check(desk.store)
    assert ok, detail
    assert "1 snapshots and" in detail and "bound rows recompute" in detail


def test_an_edited_position_is_named_while_holdings_show_it(desk: Desk) -> None:
    _tamper(desk.path, "UPDATE positions SET quantity = '999999999' "
                       "WHERE client_id = 'alnoor-quant' AND asset = 'BENJI'")
    [alnoor] = [h for h in HoldingsService(desk.store).holdings() if h.record.id == "alnoor-quant"]
    position = alnoor.record.position("BENJI")
    assert position is not None and str(position.quantity) == "999999999"
    ok, detail = _data_check(desk.store)
    assert not ok
    assert ("positions row (snapshot_id=1, client_id=alnoor-quant, asset=BENJI): quantity is "
            "999999999, the imported snapshot has 80000000") in detail


CASES = [
    ("UPDATE prices SET price_usd = '2.00' WHERE asset = 'BENJI'",
     "prices row (snapshot_id=1, asset=BENJI): price_usd is 2.00"),
    ("UPDATE client_states SET exposure_usd = '1.00' WHERE client_id = 'alnoor-quant'",
     "client_states row (snapshot_id=1, client_id=alnoor-quant): exposure_usd is 1.00"),
    ("DELETE FROM positions WHERE client_id = 'alnoor-quant' AND asset = 'BENJI'",
     "positions row (snapshot_id=1, client_id=alnoor-quant, asset=BENJI): deleted"),
    ("INSERT INTO positions (snapshot_id, client_id, ordinal, asset, quantity) "
     "VALUES (1, 'alnoor-quant', 99, 'USDC', '5000000')",
     "positions row (snapshot_id=1, client_id=alnoor-quant, asset=USDC): not in the imported"),
    ("UPDATE snapshots SET as_of = '2099-01-01T00:00:00.000000Z'",
     "snapshots row (id=1): as_of differs"),
    ("UPDATE snapshots SET raw_json = '{}', as_of = '2099-01-01T00:00:00.000000Z'",
     "snapshot #1: its rows (snapshots, client_states, positions, prices) no longer hash"),
    ("UPDATE emergency_orders SET body_json = replace(body_json, '\"quantity\": \"', "
     "'\"quantity\": \"9')", "emergency_orders row (public_id={order}): edited since audit entry"),
    ("UPDATE emergency_orders SET reason = 'changed'",
     "emergency_orders row (public_id={order}): edited"),
    ("UPDATE emergency_orders SET release_json = replace(release_json, 'test', 'tesT')",
     "emergency_orders row (public_id={order}): edited"),
    ("UPDATE emergency_signatures SET party = 'custodian' WHERE party = 'exchange'",
     "emergency_signatures row (id="),
    ("DELETE FROM emergency_signatures WHERE party = 'exchange'",
     "emergency_signatures row (id=2): deleted"),
    ("INSERT INTO emergency_signatures (order_id, party, pubkey, address, signature, "
     "imported_at) SELECT order_id, 'custodian', 'ab', address, signature, imported_at "
     "FROM emergency_signatures WHERE id = 1",
     "emergency_signatures row (id=3): not bound by audit entry"),
    ("UPDATE attestations SET total_collateral_usd = '1.00'",
     "attestations row (id={att}): edited since audit entry"),
    ("UPDATE attestations SET signer_address = '1Attacker'",
     "attestations row (id={att}): edited"),
    ("UPDATE attestation_clients SET collateral_value_usd = '1.00' "
     "WHERE client_id = 'palm-harbour'",
     "attestation_clients row (attestation_id={att},client_id=palm-harbour): edited"),
    ("DELETE FROM attestation_clients WHERE client_id = 'palm-harbour'",
     "attestation_clients row (attestation_id={att},client_id=palm-harbour): deleted"),
]


@pytest.mark.parametrize(("sql", "named"), CASES, ids=[c[1].split(" ")[0] + f"-{i}"
                                                      for i, c in enumerate(CASES)])
def test_an_edited_business_row_is_named_by_table_and_row(
    desk: Desk, sql: str, named: str
) -> None:
    assert _data_check(desk.store)[0]
    _tamper(desk.path, sql)
    ok, detail = _data_check(desk.store)
    assert not ok
    assert named.format(order=desk.order_id, att=desk.attestation_id) in detail, detail


def test_cli_audit_verify_fails_naming_the_edited_row(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    data = desk.path.parent
    capsys.readouterr()
    _tamper(desk.path, "UPDATE positions SET quantity = '999999999' "
                       "WHERE client_id = 'alnoor-quant' AND asset = 'BENJI'")
    desk.store.close()
    assert main(["--data-dir", str(data), "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "FAIL data: positions row (snapshot_id=1, client_id=alnoor-quant, asset=BENJI)" in out


STATE_CASES = [
    ("UPDATE attestations SET maker_signature = 'Zm9yZ2Vk'",
     "attestations row (id={att}): edited"),
    # workflow state: an attestation shown as rejected, an executed order as cancelled
    ("UPDATE attestations SET status = 'rejected', status_reason = 'x'",
     "attestations row (id={att}): edited"),
    ("UPDATE emergency_orders SET status = 'cancelled'",
     "emergency_orders row (public_id={order}): edited"),
]


def test_every_case_fails_the_cli_audit_verify_on_both_engines(
    desk: Desk, backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The same edits through ``custody-desk audit verify``, on SQLite and on PostgreSQL
    (the desk moved there with ``store migrate``); the maker's signature and the
    workflow state are bound too."""
    desk.store.close()
    copies = Copies(backend, desk.path, tmp_path, request)
    for sql, named in [*CASES, *STATE_CASES]:
        with copies.fresh() as copy:
            assert copy.sql(sql) >= 1, sql
            line = copy.data_failure()
            assert named.format(order=desk.order_id, att=desk.attestation_id) in line, line
