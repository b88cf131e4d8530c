"""Every byte of a signed document means what it says (issue 15, property test).

For one real signed document of each kind (attestation bundle, unfreeze order,
one party's share, release instruction, audit checkpoint, reconciliation
report; a checkpoint with a consistency proof too) every byte is flipped, one
bit per byte exhaustively and arbitrary byte values through hypothesis:
whenever the flipped file still parses to different content, ``verify`` must
refuse it. (A flip that does not parse is refused already; one that parses to
the same content changes nothing.)
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_documents_builders import BODIES
from test_documents_vectors import NOW, PATH, build_vectors

from app.documents.builders import new_document, with_signature
from app.documents.envelope import Document, Kind, parse_document
from app.documents.errors import DocumentError
from app.documents.keys import key_id_for, parse_keys
from app.documents.verify import VerifyContext, verify_document
from app.domain.rfc6962 import MerkleTree
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON

VECTORS = build_vectors()
CTX = VerifyContext(keys=parse_keys(VECTORS["keys"]), env="test", now=NOW,
                    exchange_id="EXCH-DEMO")


def _officer_signed(kind: Kind, body: dict[str, Any]) -> bytes:
    doc = new_document(kind, body)
    sig = SoftHsm(TEST_MNEMONIC_ABANDON).sign_message(PATH, doc.statement)
    return with_signature(doc, key_id_for(sig.pubkey), "custodian", sig.signature).to_bytes()


def _extending() -> dict[str, Any]:
    """A checkpoint over 7 entries with its RFC 6962 proof from the one at size 4."""
    leaves = [hashlib.sha256(bytes([i])).digest() for i in range(7)]
    tree = MerkleTree(leaves)
    return {
        **BODIES[Kind.AUDIT_CHECKPOINT], "id": "ckpt-7", "size": 7, "root": tree.root.hex(),
        "consistency": {"from_size": 4, "from_root": MerkleTree(leaves[:4]).root.hex(),
                        "proof": [p.hex() for p in tree.consistency_proof(4)]},
    }


@cache
def documents() -> dict[str, bytes]:
    order = parse_document(VECTORS["unfreeze_order"])
    share = Document(order.kind, order.statement, order.body, order.signatures[:1])
    release = Document(
        Kind.RELEASE_INSTRUCTION, order.statement,
        {"id": "rel-uo-00000001", "order": order.body},
        order.signatures,
    )
    return {
        "attestation_bundle": VECTORS["attestation_bundle"],
        "unfreeze_order": VECTORS["unfreeze_order"],
        "share": share.to_bytes(),
        "release_instruction": release.to_bytes(),
        "audit_checkpoint": _officer_signed(Kind.AUDIT_CHECKPOINT, BODIES[Kind.AUDIT_CHECKPOINT]),
        "audit_checkpoint_with_proof": _officer_signed(Kind.AUDIT_CHECKPOINT, _extending()),
        "reconciliation_report": _officer_signed(
            Kind.RECONCILIATION_REPORT, BODIES[Kind.RECONCILIATION_REPORT]
        ),
    }


# what verify may still report as failing on the untouched copy (a share has one party)
EXPECTED_FAILURES = {"share": ["quorum"]}


def _failures(doc: Document) -> list[str]:
    return [c.name for c in verify_document(doc, CTX).checks if not c.ok]


def _accepted_change(name: str, data: bytes) -> str | None:
    """None when ``data`` is refused or means the same; else why it is a problem."""
    try:
        doc = parse_document(data)
    except DocumentError:
        return None  # refused
    original = json.loads(documents()[name])
    if doc.to_json() == original:
        return None  # the same content (nothing to refuse)
    failures = _failures(doc)
    if failures != EXPECTED_FAILURES.get(name, []) and failures:
        return None  # refused by verify
    return f"verify accepts changed content: {data.decode('utf-8', 'replace')[:400]}"


@pytest.mark.parametrize("name", sorted(documents()))
def test_the_untouched_documents_verify(name: str) -> None:
    assert _failures(parse_document(documents()[name])) == EXPECTED_FAILURES.get(name, [])


@pytest.mark.parametrize("name", sorted(documents()))
def test_every_byte_flipped_is_refused_or_means_the_same(name: str) -> None:
    data = documents()[name]
    problems = []
    for index in range(len(data)):
        flipped = bytearray(data)
        flipped[index] ^= 1 << (index % 8)
        problem = _accepted_change(name, bytes(flipped))
        if problem is not None:
            problems.append(f"byte {index}: {problem}")
    assert not problems, problems[:3]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(documents())), st.data())
def test_any_byte_value_anywhere_is_refused_or_means_the_same(name: str, data: Any) -> None:
    original = documents()[name]
    index = data.draw(st.integers(0, len(original) - 1), label="index")
    value = data.draw(st.integers(0, 255).filter(lambda v: v != original[index]), label="value")
    flipped = bytearray(original)
    flipped[index] = value
    assert _accepted_change(name, bytes(flipped)) is None
