"""The offline verifier: each way a document or key can be wrong, with its reason."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from test_documents_vectors import NOW, build_vectors

from app.documents.envelope import Document, Kind, SignatureEntry, body_digest, parse_document
from app.documents.errors import DocumentError, Reason
from app.documents.header import StatementHeader, render_header
from app.documents.keys import KeyEntry, KeysFile, Party, Role, key_id_for, parse_keys
from app.documents.verify import VerifyContext, verify_document
from signing.crypto import bip32, bip39
from signing.crypto.addresses import ScriptType
from signing.crypto.message import sign_message_digest
from signing.emulator.test_seeds import TEST_MNEMONIC_LEGAL

VECTORS = build_vectors()


def ctx(keys: KeysFile | None = None, **kw: object) -> VerifyContext:
    base = VerifyContext(keys=keys or parse_keys(VECTORS["keys"]), env="test", now=NOW,
                         exchange_id="EXCH-DEMO")
    return replace(base, **kw)  # type: ignore[arg-type]


def failure(doc: Document, context: VerifyContext | None = None) -> Reason | None:
    report = verify_document(doc, context or ctx())
    bad = report.first_failure()
    return None if bad is None else bad.reason


def vector(name: str) -> Document:
    return parse_document(VECTORS[name])


def test_vectors_verify() -> None:
    for name in ("margin_call", "unfreeze_order", "attestation_bundle"):
        assert failure(vector(name)) is None, name


def test_expired_wrong_env_wrong_exchange() -> None:
    doc = vector("margin_call")
    assert failure(doc, ctx(now=NOW + timedelta(days=2))) is Reason.EXPIRED
    assert failure(doc, ctx(env="prod")) is Reason.WRONG_ENV
    assert failure(doc, ctx(exchange_id="EXCH-OTHER")) is Reason.WRONG_EXCHANGE


def test_a_signature_never_verifies_as_another_kind() -> None:
    order, call = vector("unfreeze_order"), vector("margin_call")
    # the regulator's signature over the order, pasted onto the margin call
    stolen = replace(call, signatures=(replace(order.signatures[-1], party="exchange"),))
    assert failure(stolen) in (Reason.KEY_NOT_VALID, Reason.BAD_SIGNATURE)
    # the same statement relabelled as another kind
    relabelled = replace(call, kind=Kind.RECONCILIATION_REPORT)
    assert failure(relabelled) is Reason.MISMATCH


def test_body_edits_are_caught() -> None:
    call = vector("margin_call")
    edited = replace(call, body={**call.body, "shortfall_usd": "1.00"})
    assert failure(edited) is Reason.MISMATCH
    bundle = vector("attestation_bundle")
    body = json.loads(json.dumps(bundle.body))
    body["clients"][1]["collateral_value_usd"] = "1.00"
    assert failure(replace(bundle, body=body)) is Reason.BAD_SUM
    body = json.loads(json.dumps(bundle.body))
    body["clients"][0]["positions"][0]["quantity"] = "301"  # its value no longer follows
    assert failure(replace(bundle, body=body)) is Reason.BAD_SUM
    body["clients"][0]["collateral_value_usd"] = "13996500.00"  # ... and now it does
    assert failure(replace(bundle, body=body)) is Reason.BAD_PROOF
    body = json.loads(json.dumps(bundle.body))
    del body["clients"][1]
    assert failure(replace(bundle, body=body)) is Reason.MISMATCH


def _keys_with(change: dict[str, object], name: str) -> KeysFile:
    keys = parse_keys(VECTORS["keys"])
    entry = next(e for e in keys if e.name == name)
    return keys.with_entry(replace(entry, **change))  # type: ignore[arg-type]


def test_revoked_unknown_and_out_of_window_keys() -> None:
    call = vector("margin_call")
    assert failure(call, ctx(_keys_with({"revoked": True}, "exchange-documents"))) is (
        Reason.REVOKED_KEY
    )
    past = datetime(2026, 6, 1, tzinfo=UTC)
    assert failure(call, ctx(_keys_with({"valid_until": past}, "exchange-documents"))) is (
        Reason.KEY_NOT_VALID
    )
    keys = parse_keys(VECTORS["keys"])
    without = KeysFile(keys.env, tuple(e for e in keys if e.name != "exchange-documents"))
    assert failure(call, ctx(without)) is Reason.UNKNOWN_KEY


def test_a_key_signs_only_for_its_role() -> None:
    # the exchange's document key may not sign an attestation bundle
    bundle = vector("attestation_bundle")
    keys = _keys_with({"party": Party.CUSTODIAN}, "exchange-documents")
    call_sig = vector("margin_call").signatures[0]
    body = {**bundle.body, "signer_key_ids": [call_sig.key_id]}
    forged = replace(bundle, body=body, signatures=(replace(call_sig, party="custodian"),))
    assert failure(forged, ctx(keys)) is Reason.KEY_NOT_VALID


def test_one_party_is_not_a_quorum() -> None:
    order = vector("unfreeze_order")
    alone = replace(order, signatures=order.signatures[:1])
    assert failure(alone) is Reason.NO_QUORUM
    twice = replace(order, signatures=(order.signatures[0], order.signatures[0]))
    assert failure(twice) is Reason.NO_QUORUM


# a key no published test seed derives (the desk's own test material, never a real key)
_UNPUBLISHED = bip32.master_key(hashlib.sha256(b"custody-desk unit test key").digest())


def _prod_margin_call(node: bip32.ExtendedKey | None = None) -> Document:
    """A prod statement signed with a test key (the emulator itself would refuse to sign it)."""
    if node is None:
        node = bip32.master_key(bip39.mnemonic_to_seed(TEST_MNEMONIC_LEGAL)).derive(
            "m/44'/0'/0'/0/0"
        )
    assert node.secret is not None
    body = {"id": "mc-9", "exchange_id": "EXCH-DEMO", "env": "prod", "sequence": 9,
            "expires_at": "2026-11-27T10:00:00Z", "shortfall_usd": "5.00"}
    statement = render_header(StatementHeader("margin_call", 1, "EXCH-DEMO", "prod", "mc-9", 9,
                                              datetime(2026, 11, 27, 10, tzinfo=UTC),
                                              body_digest(body)))
    sig = sign_message_digest(node.secret, statement, ScriptType.P2PKH)
    return Document(Kind.MARGIN_CALL, statement, body,
                    (SignatureEntry(key_id_for(node.public_key), "exchange", sig),))


def _unpublished_keys() -> KeysFile:
    keys = parse_keys(VECTORS["keys"])
    entry = next(e for e in keys if e.name == "exchange-documents")
    pubkey = _UNPUBLISHED.public_key
    return KeysFile(keys.env, (replace(entry, key_id=key_id_for(pubkey), pubkey=pubkey,
                                       is_emulator=False, fingerprint=""),))


def test_emulator_keys_are_refused_in_prod() -> None:
    doc = _prod_margin_call()
    keys = replace(parse_keys(VECTORS["keys"]), env="prod")
    assert failure(doc, ctx(keys, env="prod")) is Reason.EMULATOR_KEY
    # the emulator flag removed: still a published test-seed key (issue 17, item 3)
    unflagged = _keys_with({"is_emulator": False}, "exchange-documents")
    assert failure(doc, ctx(replace(unflagged, env="prod"), env="prod")) is Reason.EMULATOR_KEY
    honest = _unpublished_keys()
    own = _prod_margin_call(_UNPUBLISHED)
    assert failure(own, ctx(replace(honest, env="prod"), env="prod")) is None


def test_a_production_keys_file_listing_a_test_key_is_refused() -> None:
    unflagged = replace(_keys_with({"is_emulator": False}, "exchange-documents"), env="prod")
    with pytest.raises(DocumentError) as caught:
        parse_keys(unflagged.to_bytes())
    assert caught.value.reason is Reason.EMULATOR_KEY
    assert parse_keys(replace(_unpublished_keys(), env="prod").to_bytes()).env == "prod"


def test_a_test_keys_file_never_vouches_for_production() -> None:
    """Security review 2026-11-26: the trust root's environment must be the verifier's."""
    doc = _prod_margin_call(_UNPUBLISHED)
    honest = _unpublished_keys()
    assert honest.env == "test"
    report = verify_document(doc, ctx(honest, env="prod"))
    assert not report.ok
    assert [c.reason for c in report.checks if not c.ok] == [Reason.WRONG_ENV]


def test_keys_file_is_strict() -> None:
    data = VECTORS["keys"]
    assert parse_keys(data).to_bytes() == data
    obj = json.loads(data)
    obj["keys"].append(obj["keys"][0])
    with pytest.raises(DocumentError) as info:
        parse_keys(json.dumps(obj).encode())
    assert info.value.reason is Reason.DUPLICATE_KEY
    obj = json.loads(data)
    obj["keys"][0]["key_id"] = "k-0000000000000000"
    with pytest.raises(DocumentError, match="does not match"):
        parse_keys(json.dumps(obj).encode())
    with pytest.raises(DocumentError) as info:
        parse_keys(data.replace(b'"version":1', b'"version":1.0'))
    assert info.value.reason is Reason.FLOAT


def test_keyentry_round_trip() -> None:
    keys = parse_keys(VECTORS["keys"])
    entry: KeyEntry = keys.entries[0]
    assert KeyEntry.from_json(entry.to_json(), "$") == entry
    assert entry.role in set(Role)
