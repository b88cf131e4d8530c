"""An exchange receipt is checked like an inbound document (issue 17, item 2).

Kind, environment, exchange id, expiry, the signing key (unknown, revoked) and the
message it answers (key, payload digest, HTTP status) are each refused with their
own reason; only a receipt passing all of them lets a reply change the desk.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.documents.builders import new_document
from app.documents.envelope import Kind, SignatureEntry
from app.documents.keys import KeyEntry, KeysFile, Party, Role, key_id_for
from app.documents.verify import VerifyContext
from app.exchange.link import Delivery, OutboundMessage
from app.exchange.receipts import ReplyUnverified, receipt_body, verified_receipt
from app.exchange.sim.state import SIM_KEY_PATH
from signing.crypto import bip32, bip39
from signing.crypto.addresses import script_type_for_path
from signing.crypto.message import sign_message_digest
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_LEGAL, TEST_MNEMONIC_ZOO

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
EXCHANGE = SoftHsm(TEST_MNEMONIC_ZOO)
MESSAGE = OutboundMessage("attestation_bundle:att-1:abcd", "attestation_bundle", b'{"x":1}')


def _keys(*, revoked: bool = False) -> KeysFile:
    key = EXCHANGE.get_public_key(SIM_KEY_PATH)
    entry = KeyEntry(key_id_for(key.pubkey), Party.EXCHANGE, Role.EXCHANGE, "exchange",
                     key.pubkey, key.address, NOW - timedelta(days=1), None, revoked, True)
    return KeysFile("test", (entry,))


def _reply(*, words: str = TEST_MNEMONIC_ZOO, kind: Kind = Kind.EXCHANGE_RECEIPT, env: str = "test",
           exchange_id: str = "EXCH-DEMO", at: datetime = NOW, status: int = 201,
           message: OutboundMessage = MESSAGE) -> Delivery:
    body = receipt_body(exchange_id=exchange_id, env=env, now=at,
                        idempotency_key=message.idempotency_key, payload=message.payload,
                        http_status=status, answer={"status": "booked"})
    if kind is Kind.MARGIN_CALL:
        body = {**body, "notice": "margin_call"}
    doc = new_document(kind, body)
    pubkey = SoftHsm(words).get_public_key(SIM_KEY_PATH).pubkey
    # the raw test key signs (the emulator itself refuses any text declaring env=prod)
    node = bip32.master_key(bip39.mnemonic_to_seed(words)).derive(SIM_KEY_PATH)
    assert node.secret is not None
    signature = sign_message_digest(node.secret, doc.statement.encode(),
                                    script_type_for_path(bip32.parse_path(SIM_KEY_PATH)))
    signed = doc.with_signature(SignatureEntry(key_id_for(pubkey), "exchange", signature))
    return Delivery(201, {"status": "booked", "receipt": signed.to_bytes().decode()})


def _ctx(keys: KeysFile | None = None, now: datetime = NOW) -> VerifyContext:
    return VerifyContext(keys=keys or _keys(), env="test", now=now, exchange_id="EXCH-DEMO")


def test_a_good_receipt_passes() -> None:
    doc = verified_receipt(_reply(), MESSAGE, _ctx())
    assert doc.body["answer"] == {"status": "booked"}


@pytest.mark.parametrize(
    ("delivery", "ctx", "reason"),
    [
        (_reply(kind=Kind.MARGIN_CALL), _ctx(), "unknown_kind"),
        (_reply(env="prod"), _ctx(), "wrong_env"),
        (_reply(exchange_id="EXCH-OTHER"), _ctx(), "wrong_exchange"),
        (_reply(at=NOW - timedelta(hours=2)), _ctx(), "expired"),
        (_reply(words=TEST_MNEMONIC_LEGAL), _ctx(), "unknown_key"),
        (_reply(), _ctx(_keys(revoked=True)), "revoked_key"),
        (_reply(message=replace(MESSAGE, payload=b'{"x":2}')), _ctx(), "replay"),
        (_reply(status=200), _ctx(), "mismatch"),
        (Delivery(201, {"status": "booked"}), _ctx(), "unsigned"),
        (Delivery(201, {"receipt": "not json"}), _ctx(), "malformed"),
    ],
)
def test_each_bad_receipt_is_refused_with_its_reason(
    delivery: Delivery, ctx: VerifyContext, reason: str
) -> None:
    with pytest.raises(ReplyUnverified) as caught:
        verified_receipt(delivery, MESSAGE, ctx)
    assert caught.value.reason == reason, caught.value
