"""Verification of documents the exchange sends the desk, before anything is stored.

Order of checks (the first failure is the result's reason):

1. strict parse (canonical-JSON rules: duplicate keys, floats, truncation...);
2. it is a ``margin_call`` document (a margin call, or a liquidation notice:
   ``body.notice == "liquidation"``);
3. ``app.documents.verify``: statement, environment, exchange id, expiry, body
   binding, the exchange's signature against the keys file (revoked keys drop);
4. replay: the document id was stored before;
5. monotonic sequence: above the last sequence stored from this exchange;
6. the body's own fields (client, amounts, times) are well-formed.

Nothing here writes: the caller stores an accepted notice in one transaction,
or audits a rejection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.documents.canonical import field, parse_amount, parse_utc
from app.documents.envelope import Document, Kind, parse_document
from app.documents.errors import DocumentError, Reason
from app.documents.verify import VerifyContext, verify_document


@dataclass(frozen=True)
class MarginNotice:
    """A verified margin call or liquidation notice."""

    document_id: str
    notice: str  # "margin_call" | "liquidation"
    sequence: int
    client_id: str
    issued_at: datetime
    deadline_at: datetime
    shortfall_usd: Decimal
    exposure_usd: Decimal
    collateral_value_usd: Decimal
    collateral_ratio: Decimal | None
    margin_call_id: str | None  # for a liquidation notice: the call it escalates
    document: Document
    raw: bytes


@dataclass(frozen=True)
class InboundAccepted:
    notice: MarginNotice
    ok: bool = True


@dataclass(frozen=True)
class InboundRejected:
    reason: Reason
    detail: str
    document_id: str | None = None
    ok: bool = False


InboundResult = InboundAccepted | InboundRejected


def _notice(doc: Document, data: bytes) -> MarginNotice:
    b: dict[str, Any] = doc.body
    notice = field(b, "notice", str, "body")
    if notice not in ("margin_call", "liquidation"):
        raise DocumentError(Reason.MALFORMED, f"body.notice {notice!r} is unknown")
    ratio = b.get("collateral_ratio")
    sequence = field(b, "sequence", int, "body")
    call_id = b.get("margin_call_id")
    if notice == "liquidation" and not isinstance(call_id, str):
        raise DocumentError(Reason.MALFORMED, "a liquidation notice names its margin_call_id")
    shortfall = parse_amount(b.get("shortfall_usd"), "body.shortfall_usd")
    if shortfall <= 0:
        raise DocumentError(Reason.BAD_AMOUNT, "body.shortfall_usd must be above 0")
    return MarginNotice(
        document_id=field(b, "id", str, "body"),
        notice=notice,
        sequence=sequence,
        client_id=field(b, "client_id", str, "body"),
        issued_at=parse_utc(b.get("issued_at"), "body.issued_at"),
        deadline_at=parse_utc(b.get("deadline_at"), "body.deadline_at"),
        shortfall_usd=shortfall,
        exposure_usd=parse_amount(b.get("exposure_usd"), "body.exposure_usd"),
        collateral_value_usd=parse_amount(b.get("collateral_value_usd"), "body.collateral"),
        collateral_ratio=None if ratio is None else parse_amount(ratio, "body.collateral_ratio"),
        margin_call_id=call_id if isinstance(call_id, str) else None,
        document=doc,
        raw=data,
    )


def check_inbound(
    data: bytes,
    ctx: VerifyContext,
    *,
    seen: Callable[[str], bool] | None = None,
    last_sequence: int | None = None,
) -> InboundResult:
    """Verify one inbound document; never raises for a bad document."""
    doc_id: str | None = None
    try:
        doc = parse_document(data)
        if doc.kind is not Kind.MARGIN_CALL:
            return InboundRejected(
                Reason.UNKNOWN_KIND, f"the exchange may not send {doc.kind.value} documents"
            )
        raw_id = doc.body.get("id")
        doc_id = raw_id if isinstance(raw_id, str) else None
        report = verify_document(doc, ctx)
        failure = report.first_failure()
        if failure is not None or not report.ok:
            reason = failure.reason if failure and failure.reason else Reason.MALFORMED
            detail = f"{failure.name}: {failure.detail}" if failure else "nothing checked"
            return InboundRejected(reason, detail, doc_id)
        notice = _notice(doc, data)
    except DocumentError as exc:
        return InboundRejected(exc.reason, exc.message, doc_id)
    if seen is not None and seen(notice.document_id):
        return InboundRejected(
            Reason.REPLAY, f"{notice.document_id} was received before", notice.document_id
        )
    if last_sequence is not None and notice.sequence <= last_sequence:
        return InboundRejected(
            Reason.REPLAY,
            f"sequence {notice.sequence} is not above the last received ({last_sequence})",
            notice.document_id,
        )
    return InboundAccepted(notice)
