"""Emergency 2-of-3: quorum of distinct parties, key binding, expiry, exactly-once execution.

Signatures are real BIP-137 secp256k1 signatures from keys derived from the
public BIP-39 test mnemonic (TEST ONLY), checked by ``signing.verify``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import multisig as mg
from app.domain.multisig import (
    AlreadyExecuted,
    EmergencyUnfreeze,
    MultisigError,
    OrderExpired,
    Party,
    PartyKey,
    PartyKeys,
    PartySignature,
    QuorumNotReached,
    UnfreezeOrder,
)
from app.domain.statement import Environment
from signing.crypto.addresses import ScriptType
from signing.crypto.bip32 import master_key
from signing.crypto.bip39 import mnemonic_to_seed
from signing.crypto.message import sign_message_digest
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL
from signing.verify import verify_message_pubkey

CREATED = datetime(2026, 11, 26, 9, 0, 0, tzinfo=UTC)


@cache
def _secret(n: int) -> int:
    """TEST-ONLY key number ``n`` from the public 'all all ... all' mnemonic."""
    key = master_key(mnemonic_to_seed(TEST_MNEMONIC_ALL)).derive(f"m/44'/0'/9'/0/{n}")
    assert key.secret is not None
    return key.secret


@cache
def _pub(n: int) -> bytes:
    return master_key(mnemonic_to_seed(TEST_MNEMONIC_ALL)).derive(f"m/44'/0'/9'/0/{n}").public_key


# keys 0,1 regulator; 2 custodian; 3 exchange; 4 unregistered
KEYS = PartyKeys((
    PartyKey(Party.REGULATOR, _pub(0)), PartyKey(Party.REGULATOR, _pub(1)),
    PartyKey(Party.CUSTODIAN, _pub(2)), PartyKey(Party.EXCHANGE, _pub(3)),
))


def _order(env: Environment = Environment.TEST, **changes: object) -> UnfreezeOrder:
    args: dict[str, object] = {
        "order_id": "UF-0001", "client_id": "QF-001",
        "assets": {"BTC": Decimal("300"), "BENJI": Decimal("80000000.00")},
        "reason": "exchange unreachable for 6 hours", "created_at": CREATED, "env": env,
        "exchange": "OKX", "custodian": "SCB-DXB", "body_digest": bytes(range(32)),
    }
    args.update(changes)
    return UnfreezeOrder.create(**args)  # type: ignore[arg-type]


def _sign(order: UnfreezeOrder, party: Party, n: int, text: str | None = None) -> PartySignature:
    sig = sign_message_digest(_secret(n), order.text if text is None else text, ScriptType.P2PKH)
    return PartySignature(party, _pub(n), sig)


def _machine(order: UnfreezeOrder | None = None) -> EmergencyUnfreeze:
    return EmergencyUnfreeze(order or _order(), KEYS, verify_message_pubkey)


def test_order_statement_and_48_hour_expiry() -> None:
    order = _order()
    assert order.expires_at == CREATED + timedelta(hours=48)
    assert order.assets == (("BENJI", Decimal("80000000.00")), ("BTC", Decimal("300")))
    # format 3: the reason readable on the device; body= the same digest in base64url
    assert order.text == (
        "CDESK-UNFREEZE/3 cust=SCB-DXB ex=OKX env=test id=UF-0001 client=QF-001 "
        'assets=BENJI:80000000.00,BTC:300 why="exchange unreachable for 6 hours" '
        "exp=2026-11-28T09:00:00Z body=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
    )
    # an order signed in format 2 keeps its text (no why=, hex body)
    assert _order(statement_version=2).text == (
        "CDESK-UNFREEZE/2 cust=SCB-DXB ex=OKX env=test id=UF-0001 client=QF-001 "
        "assets=BENJI:80000000.00,BTC:300 exp=2026-11-28T09:00:00Z body=" + bytes(range(32)).hex()
    )
    with pytest.raises(MultisigError, match="printable ASCII"):
        _order(reason="caf\u00e9 closed")
    with pytest.raises(MultisigError, match="48 hours"):
        UnfreezeOrder("UF-1", "QF-001", (("BTC", Decimal(1)),), "r", CREATED,
                      CREATED + timedelta(hours=49), Environment.TEST, "OKX", "SCB-DXB",
                      bytes(32))
    with pytest.raises(MultisigError, match="reason"):
        _order(reason="  ")
    assert _order(created_at=CREATED.replace(microsecond=999)).created_at == CREATED


def test_two_distinct_parties_execute_exactly_once() -> None:
    m = _machine()
    status = m.add_signature(_sign(m.order, Party.CUSTODIAN, 2), CREATED)
    assert status.valid_parties == {Party.CUSTODIAN} and not status.executable
    with pytest.raises(QuorumNotReached):
        m.execute(CREATED + timedelta(hours=1))
    status = m.add_signature(_sign(m.order, Party.REGULATOR, 0), CREATED + timedelta(hours=2))
    assert status.quorum_reached and status.executable
    done = m.execute(CREATED + timedelta(hours=3))
    assert done.parties == {Party.CUSTODIAN, Party.REGULATOR}
    assert not m.status(CREATED + timedelta(hours=3)).executable
    with pytest.raises(AlreadyExecuted):
        m.execute(CREATED + timedelta(hours=4))
    with pytest.raises(AlreadyExecuted):
        m.add_signature(_sign(m.order, Party.EXCHANGE, 3), CREATED + timedelta(hours=4))


def test_same_key_twice_counts_once() -> None:
    m = _machine()
    sig = _sign(m.order, Party.REGULATOR, 0)
    m.add_signature(sig, CREATED)
    status = m.add_signature(sig, CREATED)
    assert status.valid_parties == {Party.REGULATOR}
    with pytest.raises(QuorumNotReached):
        m.execute(CREATED)


def test_two_keys_of_the_same_party_count_once() -> None:
    m = _machine()
    m.add_signature(_sign(m.order, Party.REGULATOR, 0), CREATED)
    status = m.add_signature(_sign(m.order, Party.REGULATOR, 1), CREATED)
    assert status.valid_parties == {Party.REGULATOR}
    with pytest.raises(QuorumNotReached):
        m.execute(CREATED)


def test_a_key_cannot_count_for_another_party() -> None:
    m = _machine()
    m.add_signature(_sign(m.order, Party.REGULATOR, 0), CREATED)
    with pytest.raises(MultisigError, match="registered for regulator"):
        m.add_signature(_sign(m.order, Party.EXCHANGE, 1), CREATED)  # regulator key claims exchange
    status = mg.quorum_status(
        m.order, [_sign(m.order, Party.REGULATOR, 0), _sign(m.order, Party.EXCHANGE, 1)],
        KEYS, verify_message_pubkey, now=CREATED,
    )
    assert status.valid_parties == {Party.REGULATOR} and not status.quorum_reached
    with pytest.raises(MultisigError, match="both"):
        PartyKeys((PartyKey(Party.REGULATOR, _pub(0)), PartyKey(Party.EXCHANGE, _pub(0))))


def test_unregistered_forged_and_foreign_signatures_count_for_nothing() -> None:
    order = _order()
    prod = _order(env=Environment.PROD)
    other_exchange = _order(exchange="BINANCE")
    bad = [
        (_sign(order, Party.EXCHANGE, 4), "not registered"),
        (PartySignature(Party.EXCHANGE, _pub(3), b"\x1f" + b"\x01" * 64), "does not verify"),
        (PartySignature(Party.EXCHANGE, _pub(3), b"junk"), "does not verify"),
        (_sign(order, Party.EXCHANGE, 3, text=prod.text), "does not verify"),
        (_sign(order, Party.EXCHANGE, 3, text=other_exchange.text), "does not verify"),
        (_sign(order, Party.EXCHANGE, 3, text=_order(order_id="UF-0002").text), "does not verify"),
    ]
    for sig, reason in bad:
        assert reason in (mg.check_signature(order, sig, KEYS, verify_message_pubkey) or "")
        with pytest.raises(MultisigError):
            _machine(order).add_signature(sig, CREATED)


def test_a_verifier_that_raises_counts_as_invalid() -> None:
    def exploding(pubkey: bytes, text: str, signature: bytes) -> bool:
        raise RuntimeError("boom")

    order = _order()
    reason = mg.check_signature(order, _sign(order, Party.CUSTODIAN, 2), KEYS, exploding)
    assert reason == "signature is malformed"


def test_expiry_closes_collection_and_execution() -> None:
    m = _machine()
    m.add_signature(_sign(m.order, Party.CUSTODIAN, 2), CREATED)
    m.add_signature(_sign(m.order, Party.EXCHANGE, 3), CREATED + timedelta(hours=47))
    deadline = CREATED + timedelta(hours=48)
    assert m.status(deadline - timedelta(seconds=1)).executable
    assert not m.status(deadline).executable
    with pytest.raises(OrderExpired):
        m.execute(deadline)
    with pytest.raises(OrderExpired):
        m.add_signature(_sign(m.order, Party.REGULATOR, 0), deadline)


def test_state_rebuilds_from_stored_signatures() -> None:
    order = _order()
    sigs = [_sign(order, Party.CUSTODIAN, 2), _sign(order, Party.EXCHANGE, 3)]
    first = EmergencyUnfreeze(order, KEYS, verify_message_pubkey, list(sigs))
    done = first.execute(CREATED)
    again = EmergencyUnfreeze(order, KEYS, verify_message_pubkey, list(sigs), done)
    with pytest.raises(AlreadyExecuted):
        again.execute(CREATED)


SIGNERS = [(Party.REGULATOR, 0), (Party.REGULATOR, 1), (Party.CUSTODIAN, 2),
           (Party.EXCHANGE, 3), (Party.EXCHANGE, 4), (Party.CUSTODIAN, 0)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(SIGNERS), max_size=6))
def test_property_quorum_is_two_distinct_registered_parties(picks: list[tuple[Party, int]]) -> None:
    order = _order()
    sigs = [_sign(order, party, n) for party, n in picks]
    status = mg.quorum_status(order, sigs, KEYS, verify_message_pubkey, now=CREATED)
    expected = {party for party, n in picks if KEYS.party_of(_pub(n)) is party}
    assert status.valid_parties == expected
    assert status.executable == (len(expected) >= 2)
