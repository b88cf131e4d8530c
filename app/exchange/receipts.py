"""The exchange's signed receipts: the only replies that may change the desk's state.

Every answer of the exchange to a delivered message carries ``receipt``: an
``exchange_receipt`` document (generic statement, ``docs/documents.md``)
signed with the exchange's registered document key, whose body names the
message it answers and repeats the answer::

    {"id": "rc-…", "exchange_id": "EXCH-DEMO", "env": "test", "sequence": null,
     "expires_at": "…", "idempotency_key": "attestation_bundle:…",
     "payload_sha256": "<hex of the bytes delivered>", "http_status": 201,
     "answer": {"status": "booked", …}}

The desk checks it like an inbound document (kind, environment, exchange id,
expiry, signature against the keys file: revoked, unknown and — in production —
test keys refused) and that it answers *this* message (idempotency key and
SHA-256 of the exact bytes sent: a receipt for one message can never be
replayed for another; the same receipt again for the same message changes
nothing, because a message is marked sent once). Only the receipt's
``answer`` is used; everything else in the reply is ignored. A reply without
a valid receipt changes nothing: the message stays pending and the refusal is
audited (``exchange.reply_unverified``).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from app.documents.canonical import utc
from app.documents.envelope import Document, Kind, parse_document
from app.documents.errors import DocumentError
from app.documents.verify import VerifyContext, verify_document
from app.exchange.link import Delivery, LinkError, OutboundMessage

RECEIPT_VALIDITY = timedelta(hours=1)


class ReplyUnverified(LinkError):
    """The exchange's reply is not a valid signed receipt for this message."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def receipt_id(idempotency_key: str) -> str:
    return "rc-" + hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:24]


def receipt_body(
    *,
    exchange_id: str,
    env: str,
    now: datetime,
    idempotency_key: str,
    payload: bytes,
    http_status: int,
    answer: dict[str, Any],
) -> dict[str, Any]:
    """The body of the receipt the exchange signs for one answer."""
    return {
        "id": receipt_id(idempotency_key),
        "exchange_id": exchange_id,
        "env": env,
        "sequence": None,
        "expires_at": utc(now.replace(microsecond=0) + RECEIPT_VALIDITY),
        "idempotency_key": idempotency_key,
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
        "http_status": http_status,
        "answer": answer,
    }


def verified_receipt(delivery: Delivery, message: OutboundMessage, ctx: VerifyContext) -> Document:
    """The verified receipt of ``delivery`` for ``message``; :class:`ReplyUnverified` if none."""
    raw = delivery.body.get("receipt")
    if not isinstance(raw, str):
        raise ReplyUnverified("unsigned", "the reply carries no signed receipt")
    try:
        doc = parse_document(raw.encode("utf-8"))
    except DocumentError as exc:
        raise ReplyUnverified(exc.reason.value, f"receipt: {exc.message}") from exc
    if doc.kind is not Kind.EXCHANGE_RECEIPT:
        raise ReplyUnverified("unknown_kind", f"the receipt is a {doc.kind.value}")
    report = verify_document(doc, ctx)
    failure = report.first_failure()
    if failure is not None or not report.ok:
        reason = failure.reason.value if failure and failure.reason else "invalid"
        detail = f"{failure.name}: {failure.detail}" if failure else "nothing checked"
        raise ReplyUnverified(reason, f"receipt {detail}")
    body = doc.body
    if (
        body.get("idempotency_key") != message.idempotency_key
        or body.get("payload_sha256") != hashlib.sha256(message.payload).hexdigest()
    ):
        raise ReplyUnverified("replay", "the receipt answers another message")
    if body.get("http_status") != delivery.status:
        raise ReplyUnverified("mismatch", "the receipt states another HTTP status")
    if not isinstance(body.get("answer"), dict):
        raise ReplyUnverified("malformed", "the receipt carries no answer")
    return doc


__all__ = [
    "RECEIPT_VALIDITY",
    "ReplyUnverified",
    "receipt_body",
    "receipt_id",
    "verified_receipt",
]
