"""The envelope every signed document shares.

Wire form (canonical JSON, ``docs/documents.md``)::

    {"document": "custody-desk/document", "version": 1, "kind": "<kind>",
     "statement": "<the exact one-line text the device showed and signed>",
     "body": {...kind-specific, amounts as decimal strings...},
     "signatures": [{"key_id": "k-…", "party": "custodian",
                     "signature": "<base64, 65-byte BIP-137>"}]}

The signatures cover ``statement`` only. The statement binds the body either
through its Merkle root (attestations) or through ``body=<sha256 hex>`` of the
canonical encoding of ``body`` (every other kind), so any edit of the body is
detected without re-signing anything.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from app.documents.canonical import decode, encode, exact_fields
from app.documents.canonical import field as get_field
from app.documents.errors import DocumentError, Reason

DOCUMENT_FORMAT = "custody-desk/document"
DOCUMENT_VERSION = 1
# The envelope's top-level keys, exactly: any other key is refused by name.
ENVELOPE_KEYS: frozenset[str] = frozenset(
    {"document", "version", "kind", "statement", "body", "signatures"}
)
SIGNATURE_FIELDS: dict[str, type] = {"key_id": str, "party": str, "signature": str}


class Kind(StrEnum):
    ATTESTATION_BUNDLE = "attestation_bundle"
    MARGIN_CALL = "margin_call"
    TOPUP_ANSWER = "topup_answer"
    LIQUIDATION_INSTRUCTION = "liquidation_instruction"
    UNFREEZE_ORDER = "unfreeze_order"
    RELEASE_INSTRUCTION = "release_instruction"
    RECONCILIATION_REPORT = "reconciliation_report"
    AUDIT_CHECKPOINT = "audit_checkpoint"
    EXCHANGE_RECEIPT = "exchange_receipt"  # the exchange's signed answer to a delivery


@dataclass(frozen=True)
class SignatureEntry:
    """One party's signature over the document's statement."""

    key_id: str
    party: str
    signature: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "party": self.party,
            "signature": base64.b64encode(self.signature).decode("ascii"),
        }

    @classmethod
    def from_json(cls, obj: object, where: str) -> SignatureEntry:
        exact_fields(obj, SIGNATURE_FIELDS, where)
        raw = get_field(obj, "signature", str, where)
        try:
            signature = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise DocumentError(Reason.MALFORMED, f"{where}.signature is not base64") from exc
        if base64.b64encode(signature).decode("ascii") != raw:  # unused bits set, or padding
            raise DocumentError(Reason.MALFORMED, f"{where}.signature is not canonical base64")
        return cls(
            key_id=get_field(obj, "key_id", str, where),
            party=get_field(obj, "party", str, where),
            signature=signature,
        )


@dataclass(frozen=True)
class Document:
    """A parsed signed document. Immutable: adding a signature returns a copy."""

    kind: Kind
    statement: str
    body: dict[str, Any]
    signatures: tuple[SignatureEntry, ...] = field(default_factory=tuple)
    version: int = DOCUMENT_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "document": DOCUMENT_FORMAT,
            "version": self.version,
            "kind": self.kind.value,
            "statement": self.statement,
            "body": self.body,
            "signatures": [s.to_json() for s in self.signatures],
        }

    def to_bytes(self) -> bytes:
        """Canonical bytes plus one trailing newline (how files are written)."""
        return encode(self.to_json()) + b"\n"

    def with_signature(self, entry: SignatureEntry) -> Document:
        """A copy with ``entry`` added; a key that already signed is replaced, not doubled."""
        kept = tuple(s for s in self.signatures if s.key_id != entry.key_id)
        return replace(self, signatures=(*kept, entry))


def body_digest(body: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical encoding of ``body``: what statements bind."""
    return hashlib.sha256(encode(body)).hexdigest()


def parse_document(data: bytes) -> Document:
    """Parse document bytes (strict canonical-JSON rules); semantics are checked by verify."""
    obj = decode(data)
    if not isinstance(obj, dict) or obj.get("document") != DOCUMENT_FORMAT:
        raise DocumentError(Reason.MALFORMED, "not a custody-desk document")
    extra = sorted(set(obj) - ENVELOPE_KEYS)
    if extra:
        raise DocumentError(Reason.MALFORMED, f"$.{extra[0]}: unknown top-level key")
    version = get_field(obj, "version", int)
    if version != DOCUMENT_VERSION:
        raise DocumentError(Reason.UNSUPPORTED_VERSION, f"document version {version}")
    try:
        kind = Kind(get_field(obj, "kind", str))
    except ValueError as exc:
        raise DocumentError(Reason.UNKNOWN_KIND, f"unknown kind {obj.get('kind')!r}") from exc
    raw_signatures = get_field(obj, "signatures", list)
    signatures = tuple(
        SignatureEntry.from_json(item, f"$.signatures[{i}]")
        for i, item in enumerate(raw_signatures)
    )
    return Document(
        kind=kind,
        statement=get_field(obj, "statement", str),
        body=get_field(obj, "body", dict),
        signatures=signatures,
        version=version,
    )
