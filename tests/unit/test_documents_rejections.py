"""Every bad signed copy is refused with its reason, and the store is unchanged.

The signatures come from in-process SoftHsm secure elements (test seeds) with
no transport; the happy path through the real driver is in tests/e2e.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.documents.envelope import Document, SignatureEntry, parse_document
from app.documents.errors import DocumentError, Reason
from app.documents.keys import Party, key_id_for
from app.documents.order_body import order_statement
from app.services.emergency import create_order, execute, import_signed, quorum_status
from app.services.holdings import HoldingsService
from app.services.officers import add_party_key, revoke_key
from app.services.unit_of_work import utc_now
from app.store.interface import Store
from app.store.sqlite_store import SqliteStore
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import (
    TEST_MNEMONIC_ABANDON,
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_LEGAL,
    TEST_MNEMONIC_ZOO,
)

SNAPSHOT = Path(__file__).resolve().parents[2] / "resources" / "demo" / "snapshot.json"
PATH = "m/44'/0'/0'/0/0"
ACTOR = "test"


@dataclass
class Desk:
    store: SqliteStore
    hsm: dict[str, SoftHsm]
    order: Document


def sign(doc: Document, hsm: SoftHsm, party: str) -> Document:
    sig = hsm.sign_message(PATH, doc.statement)
    return doc.with_signature(SignatureEntry(key_id_for(sig.pubkey), party, sig.signature))


def state(store: SqliteStore) -> tuple[object, ...]:
    with store.read() as tx:
        db = tx.connection
        return (
            db.execute("SELECT COUNT(*) FROM audit_entries").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM emergency_signatures").fetchone()[0],
            tuple(db.execute("SELECT status, release_json FROM emergency_orders").fetchall()[0]),
            db.execute("SELECT COUNT(*) FROM party_keys WHERE revoked_at IS NULL").fetchone()[0],
        )


@pytest.fixture
def desk(store_factory: Callable[[], Store]) -> Iterator[Desk]:
    store = store_factory()  # both backends
    HoldingsService(store).import_file(SNAPSHOT, ACTOR)
    hsm = {
        "regulator": SoftHsm(TEST_MNEMONIC_ZOO),
        "custodian": SoftHsm(TEST_MNEMONIC_ALL),
        "exchange": SoftHsm(TEST_MNEMONIC_LEGAL),
    }
    for party, device in hsm.items():
        key = device.get_public_key(PATH)
        add_party_key(store, Party(party), key.pubkey, key.address, actor=ACTOR, is_emulator=True)
    order = create_order(store, "alnoor-quant", "exchange down", actor=ACTOR)
    import_signed(store, sign(order, hsm["custodian"], "custodian").to_bytes(), actor=ACTOR)
    try:
        yield Desk(store, hsm, order)
    finally:
        store.close()


def rejected(desk: Desk, data: bytes, reason: Reason, **kw: Callable[[], datetime]) -> str:
    before = state(desk.store)
    with pytest.raises(DocumentError) as info:
        import_signed(desk.store, data, actor=ACTOR, **kw)
    assert info.value.reason is reason, str(info.value)
    assert state(desk.store) == before, "a refused import must leave the store unchanged"
    return str(info.value)


def test_forged_signature(desk: Desk) -> None:
    good = sign(desk.order, desk.hsm["regulator"], "regulator")
    sig = good.signatures[-1]
    forged = bytearray(sig.signature)
    forged[40] ^= 0x01
    bad = desk.order.with_signature(SignatureEntry(sig.key_id, "regulator", bytes(forged)))
    rejected(desk, bad.to_bytes(), Reason.BAD_SIGNATURE)


def test_signature_by_an_unregistered_key(desk: Desk) -> None:
    stranger = sign(desk.order, SoftHsm(TEST_MNEMONIC_ABANDON), "regulator")
    rejected(desk, stranger.to_bytes(), Reason.UNKNOWN_KEY)


def test_signature_claiming_another_party(desk: Desk) -> None:
    wrong = sign(desk.order, desk.hsm["exchange"], "regulator")
    rejected(desk, wrong.to_bytes(), Reason.KEY_NOT_VALID)


def test_replayed_copy_after_execution(desk: Desk) -> None:
    copy = sign(desk.order, desk.hsm["regulator"], "regulator").to_bytes()
    import_signed(desk.store, copy, actor=ACTOR)
    execute(desk.store, str(desk.order.body["id"]), actor=ACTOR)
    rejected(desk, copy, Reason.REPLAY)


def test_expired_copy(desk: Desk) -> None:
    copy = sign(desk.order, desk.hsm["regulator"], "regulator").to_bytes()
    later = utc_now() + timedelta(hours=49)
    rejected(desk, copy, Reason.EXPIRED, clock=lambda: later)
    order_id = str(desk.order.body["id"])
    status = quorum_status(desk.store, order_id, clock=lambda: later)
    assert status.status == "expired" and not status.executable


def _reissued(desk: Desk, **changes: str) -> Document:
    body = {**desk.order.body, **changes}
    doc = Document(desk.order.kind, order_statement(body).render(), body)
    return sign(doc, desk.hsm["regulator"], "regulator")


def test_wrong_environment(desk: Desk) -> None:
    # the emulator never signs env=prod, so the prod copy carries a test signature
    body = {**desk.order.body, "env": "prod"}
    doc = Document(desk.order.kind, order_statement(body).render(), body)
    test_sig = sign(desk.order, desk.hsm["regulator"], "regulator").signatures[-1]
    rejected(desk, doc.with_signature(test_sig).to_bytes(), Reason.WRONG_ENV)


def test_wrong_exchange_id(desk: Desk) -> None:
    rejected(desk, _reissued(desk, exchange_id="EXCH-OTHER").to_bytes(), Reason.WRONG_EXCHANGE)


def test_revoked_key(desk: Desk) -> None:
    copy = sign(desk.order, desk.hsm["regulator"], "regulator").to_bytes()
    import_signed(desk.store, copy, actor=ACTOR)
    order_id = str(desk.order.body["id"])
    assert quorum_status(desk.store, order_id).quorum_reached
    revoke_key(desk.store, key_id_for(desk.hsm["regulator"].get_public_key(PATH).pubkey),
               actor=ACTOR)
    status = quorum_status(desk.store, order_id)
    assert status.parties_signed == ("custodian",), "revocation drops the key's signatures"
    with pytest.raises(DocumentError) as info:
        execute(desk.store, order_id, actor=ACTOR)
    assert info.value.reason is Reason.NO_QUORUM
    rejected(desk, copy, Reason.REVOKED_KEY)


def test_duplicate_json_keys(desk: Desk) -> None:
    data = sign(desk.order, desk.hsm["regulator"], "regulator").to_bytes()
    dup = data.replace(b'"reason":', b'"reason":"x","reason":', 1)
    rejected(desk, dup, Reason.DUPLICATE_KEY)


def test_float_amounts(desk: Desk) -> None:
    data = sign(desk.order, desk.hsm["regulator"], "regulator").to_bytes()
    obj = json.loads(data)
    quantity = obj["body"]["assets"][0]["quantity"]
    floaty = data.replace(f'"quantity":"{quantity}"'.encode(), f'"quantity":{quantity}.0'.encode())
    assert floaty != data
    rejected(desk, floaty, Reason.FLOAT)


def test_truncated_file(desk: Desk) -> None:
    data = sign(desk.order, desk.hsm["regulator"], "regulator").to_bytes()
    for cut in (1, len(data) // 2, len(data) - 3):
        assert "truncated" in rejected(desk, data[:cut], Reason.MALFORMED)


def test_a_repeated_party_counts_once(desk: Desk) -> None:
    again = sign(desk.order, desk.hsm["custodian"], "custodian").to_bytes()
    result = import_signed(desk.store, again, actor=ACTOR)
    assert result.new_parties == () and result.already_known == 1
    assert result.status.parties_signed == ("custodian",)
    assert not result.status.quorum_reached


def test_document_round_trip_is_byte_exact(desk: Desk) -> None:
    data = sign(desk.order, desk.hsm["regulator"], "regulator").to_bytes()
    assert parse_document(data).to_bytes() == data
