"""Replay protection for documents a desk receives (margin calls, notices, reports).

A file is valid or not on its own; *replay* is a property of the receiver:
an id it has seen before, or a sequence number that does not move forward
for that sender and kind. Receivers call :func:`replay_check` inside the same
transaction that stores the document (the store's ``inbox`` table keeps
``UNIQUE (kind, sender, document_id)``), so a replay is never half-applied.
"""

from __future__ import annotations

from collections.abc import Container

from app.documents.envelope import Document
from app.documents.errors import DocumentError, Reason
from app.documents.header import StatementHeader
from app.documents.report import Check, failed, passed


def statement_header(doc: Document) -> StatementHeader:
    """The id, sequence, exchange, env and expiry ``doc``'s statement commits to."""
    from app.documents.specs import default_specs

    spec = default_specs().get(doc.kind)
    if spec is None:
        raise DocumentError(Reason.UNKNOWN_KIND, f"no rules for {doc.kind}")
    return spec.parse_statement(doc.statement)


def replay_check(
    header: StatementHeader, *, seen_ids: Container[str], last_sequence: int | None
) -> Check:
    """Fail with ``replay`` for a seen id or a sequence at or below the last one accepted."""
    if header.doc_id in seen_ids:
        return failed("replay", Reason.REPLAY, f"{header.kind} {header.doc_id} was seen before")
    sequence = header.sequence
    if sequence is not None and last_sequence is not None and sequence <= last_sequence:
        return failed(
            "replay",
            Reason.REPLAY,
            f"sequence {sequence} does not follow the last accepted {last_sequence}",
        )
    return passed("replay", f"{header.doc_id} is new")
