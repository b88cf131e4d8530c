"""Read-only details for the margin-call and emergency panes (no new rules: stored facts
and the owning services' own checks, mapped to facade rows)."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from app.services.desk_facade import (
    BtcReleaseDetail,
    CallEvent,
    DocumentRef,
    EmergencyOrderDetail,
    EmergencyOrderRow,
    MarginCallDetail,
    MarginCallRow,
    MarginCallStatus,
    PartyDetail,
    RefusedError,
    SafeSignatureRow,
    WaterfallLine,
)
from app.store.interface import Store

log = logging.getLogger(__name__)

# The domain's lifecycle states (app.domain.margin.MarginCallState values) as GUI statuses.
_EVENT_STATUS = {
    "received": MarginCallStatus.RECEIVED,
    "acknowledged": MarginCallStatus.ACKNOWLEDGED,
    "resolved_by_topup": MarginCallStatus.TOPPED_UP,
    "escalated_to_liquidation": MarginCallStatus.ESCALATED,
    "liquidated": MarginCallStatus.LIQUIDATED,
    "expired": MarginCallStatus.EXPIRED,
}


def margin_call_detail(
    store: Store, call: MarginCallRow, waterfall: tuple[WaterfallLine, ...]
) -> MarginCallDetail:
    """The call's recorded history and the ids of the signed documents tied to it."""
    from app.exchange.call_records import margin_call
    from app.exchange.outbox import exchange_repo

    try:
        rec = margin_call(store, call.call_id)
    except Exception:  # a call the store lacks (e.g. an injected row): row only
        log.info("no stored margin call %s", call.call_id, exc_info=True)
        return MarginCallDetail(row=call, waterfall=waterfall)
    history = tuple(
        CallEvent(
            _EVENT_STATUS.get(e["state"], MarginCallStatus.RECEIVED),
            datetime.fromisoformat(e["at"]),
            e.get("actor", ""),
            e.get("note", ""),
        )
        for e in rec.history
    )
    documents = [DocumentRef("margin_call", _document_id(rec.document_json, call.call_id))]
    if rec.liquidation_notice_id:
        documents.append(DocumentRef("liquidation_notice", rec.liquidation_notice_id))
    if rec.top_up_attestation_id is not None:
        documents.append(DocumentRef("top_up_attestation", str(rec.top_up_attestation_id)))
    with store.read() as tx:
        instructions = exchange_repo(tx).liquidations_for(rec.id)
    documents.extend(DocumentRef("liquidation_instruction", i.public_id) for i in instructions)
    return MarginCallDetail(call, history, tuple(documents), waterfall)


def _document_id(document_json: str, fallback: str) -> str:
    try:
        body = json.loads(document_json).get("body", {})
    except (ValueError, AttributeError):
        return fallback
    return str(body.get("id", fallback)) if isinstance(body, dict) else fallback


def emergency_order_detail(store: Store, order: EmergencyOrderRow) -> EmergencyOrderDetail:
    """The statement each party signs, and each stored share re-verified by the service."""
    from app.documents.keys import key_id_for
    from app.services.emergency import quorum_status, release_document
    from app.services.officers import desk_repo

    with store.read() as tx:
        repo = desk_repo(tx)
        record = repo.order(order.order_id)
        if record is None:
            raise RefusedError([f"order {order.order_id} does not exist"])
        signatures = {s.party: s for s in repo.order_signatures(record.id)}
    status = quorum_status(store, order.order_id)
    verified = set(status.parties_signed)
    parties = []
    for p in order.parties:
        sig = signatures.get(p.party.value)
        ok = p.party.value in verified
        parties.append(
            PartyDetail(
                party=p.party,
                signed=sig is not None,
                verified=ok,
                key_id=key_id_for(sig.pubkey) if sig is not None else None,
                address=sig.address if sig is not None else None,
                signed_at=sig.imported_at if sig is not None else None,
                problem="" if ok or sig is None else "does not verify against a registered key",
            )
        )
    release = release_document(store, order.order_id)
    release_id = str(release.body.get("id")) if release is not None else None
    safe_rows: tuple[SafeSignatureRow, ...] = ()
    safe_needed: int | None = None
    if order.safe_tx_hash is not None:
        from app.services.safe_orders import safe_signatures

        collected = safe_signatures(store, order.order_id)
        safe_rows = tuple(
            SafeSignatureRow(s.owner, s.party, s.valid, s.problem) for s in collected.signatures
        )
        safe_needed = collected.needed
    return EmergencyOrderDetail(
        order,
        record.statement,
        tuple(parties),
        status.status,
        release_id,
        safe_signatures=safe_rows,
        safe_needed=safe_needed,
        btc_release=_btc_release(store, order.order_id),
    )


def _btc_release(store: Store, order_id: str) -> BtcReleaseDetail | None:
    """The order's release PSBT summary and signatures, re-checked by the service."""
    from app.services.emergency_btc import PsbtRefused, release_status

    try:
        found = release_status(store, order_id)
    except PsbtRefused as exc:
        raise RefusedError([f"the order's release PSBT does not read: {exc}"]) from exc
    if found is None:
        return None
    summary = found.summary
    return BtcReleaseDetail(
        summary.txid,
        summary.inputs,
        found.outputs,
        summary.amount_sat,
        summary.fee_sat,
        summary.destination,
        found.parties_signed,
        found.signers_per_input,
        found.threshold,
    )
