"""The signed documents a view can export, as the exact bytes stored or re-built.

Attestation bundles (signed or sent), an emergency order's release instruction
(once executed), an emergency order with every share, a margin call as the
exchange signed it, a signed reconciliation report, a signed audit checkpoint
(:func:`signed_records` lists the last two for the Audit tab). Each function
returns the document's bytes; the view writes them where the officer chose
(``app.ui.file_dialogs.choose_file``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.services.desk_facade import RefusedError
from app.store.interface import Store


def attestation_bundle(store: Store, att_id: str) -> bytes:
    """The signed attestation bundle (the exchange's input): refused before signing."""
    from app.services.attestations import AttestationService

    try:
        return AttestationService(store).export_bundle(int(att_id)).to_bytes()
    except Exception as exc:
        raise RefusedError([f"attestation {att_id}: {exc}"]) from exc


def release_instruction(store: Store, order_id: str) -> bytes:
    """The release instruction an executed emergency order produced."""
    from app.services.emergency import release_document

    document = release_document(store, order_id)
    if document is None:
        raise RefusedError([f"order {order_id} has not been executed: no release instruction"])
    return document.to_bytes()


def margin_call(store: Store, call_id: str) -> bytes:
    """The margin call exactly as the exchange signed and sent it."""
    from app.exchange.call_records import margin_call as record

    try:
        text = record(store, call_id).document_json
    except Exception as exc:
        raise RefusedError([f"margin call {call_id}: {exc}"]) from exc
    json.loads(text)  # stored verified; still a JSON document
    return text.encode("utf-8")


@dataclass(frozen=True)
class SignedRecord:
    """A signed reconciliation report or audit checkpoint the window can export."""

    kind: str  # "reconciliation" | "checkpoint"
    record_id: int
    label: str
    file_name: str
    root: str  # the audit root the document anchors (the checkpoint's, the report's head)
    signature: str


def signed_records(store: Store) -> list[SignedRecord]:
    """Every signed reconciliation report and signed audit checkpoint, newest first."""
    from app.services.reconciliation import runs

    records: list[SignedRecord] = []
    for rec in runs(store):
        if rec.document_json is None or rec.signature is None:
            continue
        head = rec.report.get("audit_head") or {}
        records.append(
            SignedRecord(
                "reconciliation",
                rec.id,
                f"reconciliation {rec.id} ({rec.status}, {rec.report.get('run_at', '')})",
                f"reconciliation-{rec.id}.json",
                str(head.get("root", "")),
                rec.signature,
            )
        )
    with store.read() as tx:
        checkpoints = [c for c in tx.audit.checkpoints() if c.signature is not None]
    for row in checkpoints:
        records.append(
            SignedRecord(
                "checkpoint",
                row.id,
                f"checkpoint #{row.id} ({row.tree_size} entries)",
                f"audit-checkpoint-{row.id}.json",
                row.root_hash,
                row.signature or "",
            )
        )
    return sorted(records, key=lambda r: (r.kind, -r.record_id))


def reconciliation_report(store: Store, rec_id: int) -> bytes:
    """The signed reconciliation report as stored: refused before it is signed."""
    from app.services.reconciliation import ReconciliationError, export_json, runs

    if not any(r.id == rec_id and r.document_json is not None for r in runs(store)):
        raise RefusedError([f"reconciliation {rec_id} is not signed: nothing to export"])
    try:
        return export_json(store, rec_id)
    except ReconciliationError as exc:
        raise RefusedError([str(exc)]) from exc


def audit_checkpoint(store: Store, checkpoint_id: int) -> bytes:
    """The signed audit checkpoint with its consistency proof (refused if it no longer counts)."""
    from app.services.audit_checkpoints import AuditCheckpointService, CheckpointError

    try:
        return AuditCheckpointService(store).export_checkpoint(checkpoint_id).to_bytes()
    except CheckpointError as exc:
        raise RefusedError([str(exc)]) from exc


def signed_record(store: Store, record: SignedRecord) -> bytes:
    """The document of ``record`` (one of :func:`signed_records`)."""
    if record.kind == "reconciliation":
        return reconciliation_report(store, record.record_id)
    return audit_checkpoint(store, record.record_id)
