"""Inbound margin calls: each bad document is rejected with its reason, the store's
margin calls and inbox stay unchanged, and the rejection is audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.documents.builders import new_document
from app.documents.canonical import utc
from app.documents.envelope import Document, Kind
from app.documents.errors import Reason
from app.documents.keys import Party, Role, key_id_for
from app.exchange.inbound import InboundAccepted, InboundRejected
from app.exchange.outbox import exchange_repo
from app.exchange.sim.factory import make_sim
from app.exchange.sim.state import ExchangeSim
from app.services import margin_calls as mc
from app.services.audit import AuditService
from app.services.holdings import HoldingsService
from app.services.officers import add_party_key, revoke_key
from app.store.sqlite_store import SqliteStore
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_LEGAL

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "resources" / "demo" / "snapshot.json"


@pytest.fixture
def store(any_store: SqliteStore) -> SqliteStore:
    """The demo desk, once on SQLite and once on PostgreSQL."""
    HoldingsService(any_store).import_file(SNAPSHOT, actor="test")
    return any_store


@pytest.fixture
def sim(store: SqliteStore) -> ExchangeSim:
    from app.documents.keys import KeysFile

    exchange = make_sim(KeysFile("test", ()))
    add_party_key(store, Party.EXCHANGE, exchange.pubkey, exchange.address, actor="test",
                  role=Role.EXCHANGE, is_emulator=True)
    return exchange


def body(seq: int, **changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0)
    b: dict[str, Any] = {
        "id": f"mc-{seq:06d}", "exchange_id": "EXCH-DEMO", "env": "test", "sequence": seq,
        "expires_at": utc(now + timedelta(hours=24)), "notice": "margin_call",
        "client_id": "palm-harbour", "issued_at": utc(now),
        "deadline_at": utc(now + timedelta(hours=24)), "exposure_usd": "44000000.00",
        "collateral_value_usd": "20952000.00", "collateral_ratio": "0.4761",
        "shortfall_usd": "1048000.00", "prices": {"BTC": "87300.00"},
    }
    b.update(changes)
    return b


def signed(sim: ExchangeSim, b: dict[str, Any]) -> bytes:
    return sim.sign(new_document(Kind.MARGIN_CALL, b)).to_bytes()


def state(store: SqliteStore) -> tuple[int, int]:
    with store.read() as tx:
        repo = exchange_repo(tx)
        return len(repo.margin_calls()), repo.inbox_count()


def last_audit(store: SqliteStore) -> dict[str, Any]:
    entry = AuditService(store).entries()[-1]
    assert entry.action == "exchange.inbound_rejected"
    payload: dict[str, Any] = json.loads(entry.payload)
    return payload


def rejected(store: SqliteStore, data: bytes, reason: Reason) -> None:
    before = state(store)
    result = mc.receive(store, data)
    assert isinstance(result, InboundRejected), result
    assert result.reason is reason, result.detail
    assert state(store) == before
    assert last_audit(store)["reason"] == reason.value


def test_a_valid_call_is_stored_once(store: SqliteStore, sim: ExchangeSim) -> None:
    data = signed(sim, body(1))
    assert isinstance(mc.receive(store, data), InboundAccepted)
    assert state(store) == (1, 1)
    rejected(store, data, Reason.REPLAY)  # the very same document again


def test_lower_sequence_is_a_replay(store: SqliteStore, sim: ExchangeSim) -> None:
    assert mc.receive(store, signed(sim, body(5))).ok
    rejected(store, signed(sim, body(4)), Reason.REPLAY)


def test_forged_signature(store: SqliteStore, sim: ExchangeSim) -> None:
    genuine = sim.sign(new_document(Kind.MARGIN_CALL, body(1)))
    other = SoftHsm(TEST_MNEMONIC_LEGAL).sign_message("m/44'/0'/0'/0/0", genuine.statement)
    entry = genuine.signatures[0]
    doc = genuine.with_signature(type(entry)(entry.key_id, "exchange", other.signature))
    rejected(store, doc.to_bytes(), Reason.BAD_SIGNATURE)
    # signed by a key the desk does not know at all
    unknown = genuine.with_signature(type(entry)(key_id_for(other.pubkey), "exchange",
                                                 other.signature))
    rejected(store, Document(unknown.kind, unknown.statement, unknown.body,
                             unknown.signatures[1:]).to_bytes(), Reason.UNKNOWN_KEY)


def test_edited_body_breaks_the_binding(store: SqliteStore, sim: ExchangeSim) -> None:
    doc = json.loads(signed(sim, body(1)))
    doc["body"]["shortfall_usd"] = "1.00"
    rejected(store, json.dumps(doc).encode(), Reason.MISMATCH)


def test_expired(store: SqliteStore, sim: ExchangeSim) -> None:
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    rejected(store, signed(sim, body(1, expires_at=utc(past))), Reason.EXPIRED)


def test_wrong_environment(store: SqliteStore, sim: ExchangeSim) -> None:
    doc = new_document(Kind.MARGIN_CALL, body(1, env="prod"))
    # the emulator never signs prod text: a copied test signature stands in
    sig = sim.sign(new_document(Kind.MARGIN_CALL, body(1))).signatures[0]
    rejected(store, doc.with_signature(sig).to_bytes(), Reason.WRONG_ENV)


def test_wrong_exchange(store: SqliteStore, sim: ExchangeSim) -> None:
    rejected(store, signed(sim, body(1, exchange_id="EXCH-OTHER")), Reason.WRONG_EXCHANGE)


def test_revoked_exchange_key(store: SqliteStore, sim: ExchangeSim) -> None:
    revoke_key(store, sim.key_id, actor="test")
    rejected(store, signed(sim, body(1)), Reason.REVOKED_KEY)


def test_unknown_client(store: SqliteStore, sim: ExchangeSim) -> None:
    rejected(store, signed(sim, body(1, client_id="nobody")), Reason.MISMATCH)


def test_duplicate_keys_floats_truncation(store: SqliteStore, sim: ExchangeSim) -> None:
    data = signed(sim, body(1))
    text = data.decode()
    duplicated = text.replace('"notice":"margin_call"', '"notice":"margin_call","notice":"x"')
    rejected(store, duplicated.encode(), Reason.DUPLICATE_KEY)
    rejected(store, text.replace('"sequence":1', '"sequence":1.0').encode(), Reason.FLOAT)
    rejected(store, data[: len(data) // 2], Reason.MALFORMED)
    assert "truncated" in last_audit(store)["detail"]


def test_another_kind_is_refused(store: SqliteStore, sim: ExchangeSim) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    report = new_document(Kind.RECONCILIATION_REPORT, {
        "id": "r-1", "exchange_id": "EXCH-DEMO", "env": "test", "sequence": None,
        "expires_at": utc(now + timedelta(hours=1))})
    rejected(store, sim.sign(report).to_bytes(), Reason.UNKNOWN_KIND)
