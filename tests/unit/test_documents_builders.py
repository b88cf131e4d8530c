"""Documents built from a body carry the right statement and verify once signed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from test_documents_vectors import NOW, build_vectors

from app.documents.builders import new_document, with_signature
from app.documents.envelope import Kind, parse_document
from app.documents.errors import DocumentError, Reason
from app.documents.keys import key_id_for, parse_keys
from app.documents.verify import VerifyContext, verify_document
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_LEGAL

PATH = "m/44'/0'/0'/0/0"
COMMON = {"exchange_id": "EXCH-DEMO", "env": "test", "expires_at": "2026-11-27T10:00:00Z"}
BODIES: dict[Kind, dict[str, Any]] = {
    Kind.TOPUP_ANSWER: {**COMMON, "id": "tu-1", "margin_call_id": "mc-0001",
                        "client_id": "alnoor-quant", "amount_usd": "1250000.00",
                        "attestation_seq": 7},
    Kind.LIQUIDATION_INSTRUCTION: {
        **COMMON, "id": "liq-1", "margin_call_id": "mc-0001", "client_id": "palm-harbour",
        "amount_usd": "500000.00",
        "lines": [{"source": "accrued_yield", "asset": "BENJI", "quantity": "1200.00"},
                  {"source": "position", "asset": "BTC", "quantity": "5.25000000"}],
    },
    Kind.AUDIT_CHECKPOINT: {**COMMON, "id": "ckpt-1024", "custodian_id": "CUST-DEMO",
                            "size": 1024, "at": "2026-11-26T09:00:00Z", "root": "ab" * 32,
                            "signer_key_ids": ["k-a41ac9373b9868ec"],  # alice, who signs
                            "consistency": None},
    Kind.RECONCILIATION_REPORT: {**COMMON, "id": "rec-20261126-1200", "sequence": 3,
                                 "breaks": [{"client_id": "x", "difference_usd": "10.00"}]},
}


def test_custodian_kinds_verify_once_signed_by_an_officer() -> None:
    keys = parse_keys(build_vectors()["keys"])
    ctx = VerifyContext(keys=keys, env="test", now=NOW, exchange_id="EXCH-DEMO")
    alice = SoftHsm(TEST_MNEMONIC_ABANDON)
    for kind, body in BODIES.items():
        doc = new_document(kind, body)
        sig = alice.sign_message(PATH, doc.statement)
        signed = with_signature(doc, key_id_for(sig.pubkey), "custodian", sig.signature)
        report = verify_document(parse_document(signed.to_bytes()), ctx)
        assert report.ok, (kind, report.lines())
        # the exchange's key cannot sign the custodian's documents
        exch = SoftHsm(TEST_MNEMONIC_LEGAL).sign_message(PATH, doc.statement)
        foreign = with_signature(doc, key_id_for(exch.pubkey), "exchange", exch.signature)
        assert not verify_document(foreign, ctx).ok


def test_liquidation_lines_are_bound() -> None:
    doc = new_document(Kind.LIQUIDATION_INSTRUCTION, BODIES[Kind.LIQUIDATION_INSTRUCTION])
    body = {**doc.body, "lines": list(reversed(doc.body["lines"]))}
    edited = replace(doc, body=body)
    keys = parse_keys(build_vectors()["keys"])
    report = verify_document(edited, VerifyContext(keys=keys, env="test", now=NOW))
    assert report.first_failure() is not None
    assert report.first_failure().reason is Reason.MISMATCH  # type: ignore[union-attr]


def test_bad_bodies_are_refused_with_a_reason() -> None:
    with pytest.raises(DocumentError) as info:
        new_document(Kind.TOPUP_ANSWER, {**BODIES[Kind.TOPUP_ANSWER], "amount_usd": "1.234"})
    assert info.value.reason is Reason.MALFORMED
    with pytest.raises(DocumentError):
        new_document(Kind.MARGIN_CALL, {**COMMON, "id": "has space", "sequence": 1})
    with pytest.raises(DocumentError) as info:
        new_document(Kind.RELEASE_INSTRUCTION, {})
    assert info.value.reason is Reason.UNKNOWN_KIND
