"""Building unsigned documents of every kind from their bodies.

The statement is always derived from the body (never written by hand), so a
document built here binds its body by construction; signers then add
signatures over ``document.statement``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.documents.canonical import field, parse_utc
from app.documents.envelope import Document, Kind, SignatureEntry, body_digest
from app.documents.errors import DocumentError, Reason
from app.documents.header import VERSION, StatementHeader, render_header
from app.documents.order_body import order_statement
from app.documents.statement_adapter import (
    checkpoint_from_body,
    liquidation_from_body,
    topup_from_body,
)
from app.domain.statement import Statement, StatementError

_DOMAIN: dict[Kind, Callable[[dict[str, Any]], Statement]] = {
    Kind.UNFREEZE_ORDER: order_statement,
    Kind.TOPUP_ANSWER: topup_from_body,
    Kind.LIQUIDATION_INSTRUCTION: liquidation_from_body,
    Kind.AUDIT_CHECKPOINT: checkpoint_from_body,
}
_GENERIC = (Kind.MARGIN_CALL, Kind.RECONCILIATION_REPORT, Kind.EXCHANGE_RECEIPT)


def statement_for(kind: Kind, body: dict[str, Any]) -> str:
    """The exact text to sign for a ``kind`` document with ``body``.

    Generic kinds (margin call, reconciliation report) need ``id``,
    ``exchange_id``, ``env``, ``expires_at`` and ``sequence`` (int or null) in
    the body; the statement carries the SHA-256 of the canonical body.
    """
    if kind in _DOMAIN:
        try:
            return _DOMAIN[kind](body).render()
        except (StatementError, ValueError) as exc:
            raise DocumentError(Reason.MALFORMED, f"{kind.value}: {exc}") from exc
    if kind in _GENERIC:
        sequence = body.get("sequence")
        if sequence is not None and (isinstance(sequence, bool) or not isinstance(sequence, int)):
            raise DocumentError(Reason.MALFORMED, "body.sequence must be an integer or null")
        return render_header(
            StatementHeader(
                kind=kind.value,
                version=VERSION,
                exchange_id=field(body, "exchange_id", str, "body"),
                env=field(body, "env", str, "body"),
                doc_id=field(body, "id", str, "body"),
                sequence=sequence,
                expires_at=parse_utc(body.get("expires_at"), "body.expires_at"),
                binding=body_digest(body),
            )
        )
    if kind is Kind.ATTESTATION_BUNDLE:  # its statement follows from the tree, not the body
        raise DocumentError(Reason.UNKNOWN_KIND, "attestation bundles are built by "
                            "app.domain.attestation.build_attestation")
    raise DocumentError(Reason.UNKNOWN_KIND, f"{kind.value} documents are not built from a body")


def new_document(kind: Kind, body: dict[str, Any]) -> Document:
    """An unsigned document whose statement is derived from ``body``."""
    return Document(kind=kind, statement=statement_for(kind, body), body=body)


def with_signature(doc: Document, key_id: str, party: str, signature: bytes) -> Document:
    """``doc`` with one more signature (a key that signed before is replaced)."""
    return doc.with_signature(SignatureEntry(key_id, party, signature))
