"""The test vectors printed in docs/documents.md are real and stay verifiable.

``build_vectors()`` makes them deterministically (public test seeds, RFC 6979
signatures, fixed salts and times); the test checks the document carries
exactly these bytes and that each verifies (and a tampered copy does not).
Regenerate with ``python tests/unit/test_documents_vectors.py``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from app.documents.canonical import utc
from app.documents.envelope import Document, Kind, SignatureEntry, body_digest, parse_document
from app.documents.header import StatementHeader, render_header
from app.documents.keys import KeyEntry, KeysFile, Party, Role, key_id_for, parse_keys
from app.documents.order_body import order_statement
from app.documents.verify import VerifyContext, verify_document
from app.domain.attestation import ClientHoldings, build_attestation
from app.domain.statement import Environment
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import (
    TEST_MNEMONIC_ABANDON,
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_LEGAL,
    TEST_MNEMONIC_ZOO,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "documents.md"
PATH = "m/44'/0'/0'/0/0"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

SEEDS = {  # TEST-ONLY public mnemonics
    ("custodian", "officer", "alice"): TEST_MNEMONIC_ABANDON,
    ("custodian", "emergency", "custodian-emergency"): TEST_MNEMONIC_ALL,
    ("regulator", "emergency", "vara-emergency"): TEST_MNEMONIC_ZOO,
    ("exchange", "exchange", "exchange-documents"): TEST_MNEMONIC_LEGAL,
}


def _sign(doc: Document, hsm: SoftHsm, party: str) -> Document:
    sig = hsm.sign_message(PATH, doc.statement)
    return doc.with_signature(SignatureEntry(key_id_for(sig.pubkey), party, sig.signature))


def build_vectors() -> dict[str, bytes]:
    """name -> exact file bytes (canonical JSON + newline)."""
    hsms = {name: SoftHsm(seed) for (_, _, name), seed in SEEDS.items()}
    entries = []
    for (party, role, name), _seed in SEEDS.items():
        key = hsms[name].get_public_key(PATH)
        entries.append(KeyEntry(key_id_for(key.pubkey), Party(party), Role(role), name,
                                key.pubkey, key.address, T0, None, False, True,
                                hsms[name].fingerprint(), key.path))
    keys = KeysFile("test", tuple(entries))
    for e in entries:
        keys = keys.with_entry(e)

    mc_body = {
        "id": "mc-0001", "exchange_id": "EXCH-DEMO", "env": "test", "sequence": 1,
        "client_id": "alnoor-quant", "issued_at": "2026-11-26T10:00:00Z",
        "deadline": "2026-11-26T14:00:00Z", "expires_at": "2026-11-27T10:00:00Z",
        "shortfall_usd": "1250000.00", "exposure_usd": "150000000.00",
        "collateral_ratio": "1.045000",
    }
    mc_statement = render_header(StatementHeader(
        "margin_call", 1, "EXCH-DEMO", "test", "mc-0001", 1,
        datetime(2026, 11, 27, 10, tzinfo=UTC), body_digest(mc_body)))
    margin_call = _sign(Document(Kind.MARGIN_CALL, mc_statement, mc_body),
                        hsms["exchange-documents"], "exchange")

    order_body = {
        "id": "uo-00000001", "custodian_id": "CUST-DEMO", "exchange_id": "EXCH-DEMO",
        "env": "test", "client_id": "alnoor-quant",
        "assets": [{"asset": "BENJI", "quantity": "80000000"}],
        "reason": "exchange unreachable for 6 hours",
        "created_at": "2026-11-26T08:00:00Z", "expires_at": "2026-11-28T08:00:00Z",
    }
    order = Document(Kind.UNFREEZE_ORDER, order_statement(order_body).render(), order_body)
    order = _sign(order, hsms["custodian-emergency"], "custodian")
    order = _sign(order, hsms["vara-emergency"], "regulator")
    # the same order signed in format 2 (CDESK-UNFREEZE/2, before the reason was shown):
    # still verifies
    order_v2 = Document(
        Kind.UNFREEZE_ORDER, order_statement(order_body, version=2).render(), order_body
    )
    order_v2 = _sign(order_v2, hsms["custodian-emergency"], "custodian")
    order_v2 = _sign(order_v2, hsms["vara-emergency"], "regulator")

    # alnoor-quant has 1,000,000 BENJI locked by a pending redemption: held, not collateral
    salts = {"alnoor-quant": bytes(range(32)), "palm-harbour": bytes(range(32, 64))}
    att = build_attestation(
        custodian="CUST-DEMO", exchange="EXCH-DEMO", env=Environment.TEST, seq=1,
        as_of=datetime(2026, 11, 26, 8, tzinfo=UTC),
        expires_at=datetime(2026, 11, 27, 8, tzinfo=UTC),
        holdings=[
            ClientHoldings("alnoor-quant", {"BENJI": Decimal("80000000"), "USDC": Decimal(0)},
                           {"BENJI": Decimal("1000000")}),
            ClientHoldings("palm-harbour", {"BTC": Decimal("300")}),
        ],
        decimals={"BENJI": 6, "BTC": 8, "USDC": 6},
        prices={"BENJI": Decimal("1.00"), "BTC": Decimal("58125.00"), "USDC": Decimal("1.00")},
        factors={"BENJI": Decimal("0.98"), "BTC": Decimal("0.80"), "USDC": Decimal("0.95")},
        salt_for=salts.__getitem__,
    )
    alice = key_id_for(hsms["alice"].get_public_key(PATH).pubkey)
    bundle = _sign(Document(Kind.ATTESTATION_BUNDLE, att.text, att.to_body([alice])),
                   hsms["alice"], "custodian")
    return {
        "keys": keys.to_bytes(),
        "margin_call": margin_call.to_bytes(),
        "unfreeze_order": order.to_bytes(),
        "unfreeze_order_v2": order_v2.to_bytes(),
        "attestation_bundle": bundle.to_bytes(),
    }


def _doc_vectors() -> dict[str, bytes]:
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(r"<!-- vector:([a-z0-9_]+) -->\n```json\n(.*?)\n```", text, re.S)
    return {name: body.encode("utf-8") + b"\n" for name, body in found}


def test_docs_carry_exactly_the_vectors() -> None:
    assert _doc_vectors() == build_vectors()


def test_each_vector_verifies_and_a_tampered_one_does_not() -> None:
    vectors = build_vectors()
    keys = parse_keys(vectors["keys"])
    ctx = VerifyContext(keys=keys, env="test", now=NOW, exchange_id="EXCH-DEMO")
    for name in ("margin_call", "unfreeze_order", "unfreeze_order_v2", "attestation_bundle"):
        report = verify_document(parse_document(vectors[name]), ctx)
        assert report.ok, (name, report.lines())
        tampered = vectors[name].replace(b"alnoor-quant", b"alnoor-quanx", 1)
        assert not verify_document(parse_document(tampered), ctx).ok, name
    assert utc(NOW) == "2026-11-26T12:00:00Z"
    shown = parse_document(vectors["unfreeze_order"]).statement
    assert shown.startswith("CDESK-UNFREEZE/3 ")
    assert 'why="exchange unreachable for 6 hours"' in shown
    assert parse_document(vectors["unfreeze_order_v2"]).statement.startswith("CDESK-UNFREEZE/2 ")


if __name__ == "__main__":
    for vector_name, data in build_vectors().items():
        print(f"<!-- vector:{vector_name} -->\n```json\n{data.decode().rstrip()}\n```\n")
