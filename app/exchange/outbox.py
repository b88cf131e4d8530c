"""The outbox: nothing reaches the exchange before the state change that made it commits.

A use case queues its message with :func:`enqueue` *inside* its own unit of
work; :func:`flush` runs afterwards (or after a restart) and sends every due
message through a link, recording each result in its own transaction:

* delivered -> ``sent`` with the exchange's answer, taken only from its signed
  receipt (``app.exchange.receipts``; a repeat of the same idempotency key gets
  the stored answer back, so the exchange books once);
* answered without a valid signed receipt (unsigned, wrong key, not JSON…) ->
  stays ``pending`` exactly like a transient failure, audited
  ``exchange.reply_unverified``: nothing in such a reply changes the desk;
* transient failure (down, slow, 5xx, reset) -> stays ``pending``, ``attempts``
  +1, ``next_attempt_at`` pushed back with exponential back-off + jitter;
* refusal (4xx) -> ``failed`` with the exchange's reason (``push --retry`` may
  requeue it once the cause is fixed).

Every message goes with the desk's audit tree head (``Audit-Head``) and the
newest officer-signed audit checkpoint (``Audit-Checkpoint``,
:func:`newest_checkpoint`): the exchange keeps both outside the desk.

A crash between the exchange booking a message and the desk recording
``sent`` leaves it ``pending``; the next flush sends it again with the same key
and the exchange answers from its idempotency store.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from app.documents.canonical import encode
from app.documents.verify import VerifyContext
from app.exchange.backoff import Backoff
from app.exchange.link import (
    Delivery,
    ExchangeLink,
    LinkRejected,
    LinkUnavailable,
    OutboundMessage,
)
from app.exchange.receipts import ReplyUnverified, verified_receipt
from app.services.data_binding import with_bindings
from app.services.unit_of_work import Clock, UnitOfWork, unit_of_work, utc_now
from app.store.interface import Store
from app.store.repo_exchange import OutboxRecord, SqliteExchangeRepository

logger = logging.getLogger(__name__)

EXCHANGE = "exchange"


def exchange_repo(tx: object) -> SqliteExchangeRepository:
    """The exchange repository bound to an open SQLite transaction."""
    return cast(SqliteExchangeRepository, tx.repository(SqliteExchangeRepository))  # type: ignore[attr-defined]


def idempotency_key(kind: str, document_id: str, payload: bytes) -> str:
    """Deterministic: the same document queued twice is one message."""
    return f"{kind}:{document_id}:{hashlib.sha256(payload).hexdigest()[:16]}"


def enqueue(uow: UnitOfWork, kind: str, document_id: str, payload: bytes, actor: str) -> str:
    """Queue ``payload`` in the caller's transaction; returns its idempotency key."""
    key = idempotency_key(kind, document_id, payload)
    created = exchange_repo(uow.tx).add_outbox(key, kind, EXCHANGE, payload, uow.now)
    if created is not None:
        uow.audit(actor, "exchange.enqueue", with_bindings(
            uow.tx, {"key": key, "kind": kind, "document": document_id}, ("outbox", key)))
    return key


@dataclass
class FlushReport:
    """What one flush did, by idempotency key."""

    sent: dict[str, Delivery] = field(default_factory=dict)
    retrying: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    unverified: dict[str, str] = field(default_factory=dict)  # answered, but not signed

    @property
    def clean(self) -> bool:
        return not self.retrying and not self.failed and not self.unverified


OnDelivered = Callable[[UnitOfWork, OutboxRecord, Delivery], None]


async def flush(
    store: Store,
    link: ExchangeLink,
    *,
    clock: Clock = utc_now,
    backoff: Backoff | None = None,
    on_delivered: OnDelivered | None = None,
    only: str | None = None,
    actor: str = "desk:outbox",
    ignore_schedule: bool = False,
) -> FlushReport:
    """Send every due pending message (or only key ``only``), oldest first, in order.

    The first transient failure stops the round: later messages may depend on
    it (a top-up answer on its attestation bundle) and wait for the next flush.

    ``on_delivered`` runs inside the transaction that marks a message sent, so
    applying the exchange's answer (e.g. a margin call resolved) and recording
    the delivery commit together.
    """
    backoff = backoff or Backoff(base_s=5.0, cap_s=900.0)
    now = clock()
    with store.read() as tx:
        repo = exchange_repo(tx)
        due = repo.outbox("pending") if ignore_schedule else repo.due_outbox(now)
    if only is not None:
        due = [m for m in due if m.idempotency_key == only]
    report = FlushReport()
    ctx: VerifyContext | None = None
    checkpoint: bytes | None = None
    if due:  # read once per flush: building it walks the whole trail
        checkpoint = newest_checkpoint(store)
    for item in due:
        head = encode(current_head(store, clock()))  # handed to the exchange with the message
        message = OutboundMessage(item.idempotency_key, item.kind, item.payload, head,
                                  checkpoint)
        try:
            delivery = await link.send(message)
            if not delivery.local:
                ctx = ctx or receipt_context(store, clock())
                receipt = verified_receipt(delivery, message, ctx)
                answer = {**receipt.body["answer"], "receipt": delivery.body["receipt"]}
                kept = answer.get("audit_checkpoint")
                if isinstance(kept, dict) and kept.get("kept") is False:
                    # the delivery stands; the anchor did not take (expired, unknown key...)
                    logger.warning("the exchange did not keep the desk's signed audit "
                                   "checkpoint: %s", str(kept.get("detail"))[:200])
                delivery = Delivery(delivery.status, answer, delivery.replayed)
        except ReplyUnverified as exc:
            with unit_of_work(store, clock=clock) as uow:
                next_at = uow.now + timedelta(seconds=backoff.delay(item.attempts + 1))
                exchange_repo(uow.tx).mark_retry(item.id, f"reply not verified: {exc}", next_at)
                uow.audit(actor, "exchange.reply_unverified", with_bindings(uow.tx, {
                    "key": item.idempotency_key, "reason": exc.reason,
                    "detail": exc.detail[:200]}, ("outbox", item.idempotency_key)))
            report.unverified[item.idempotency_key] = str(exc)
            logger.warning("outbox %s: the exchange's reply is not a valid signed receipt: %s",
                           item.idempotency_key, exc)
            break  # keep the order, as for an outage
        except LinkUnavailable as exc:
            with unit_of_work(store, clock=clock) as uow:
                next_at = uow.now + timedelta(seconds=backoff.delay(item.attempts + 1))
                exchange_repo(uow.tx).mark_retry(item.id, str(exc), next_at)
                uow.audit(actor, "exchange.send_retry", with_bindings(uow.tx, {
                    "key": item.idempotency_key, "error": str(exc)[:200]},
                    ("outbox", item.idempotency_key)))
            report.retrying[item.idempotency_key] = str(exc)
            logger.warning("outbox %s not delivered, will retry: %s", item.idempotency_key, exc)
            break  # keep the order: a top-up answer never overtakes its bundle
        except LinkRejected as exc:
            with unit_of_work(store, clock=clock) as uow:
                exchange_repo(uow.tx).mark_failed(
                    item.id, str(exc), {"error": exc.reason, "detail": exc.detail}
                )
                uow.audit(actor, "exchange.send_refused", with_bindings(uow.tx, {
                    "key": item.idempotency_key, "reason": exc.reason,
                    "detail": exc.detail[:200]}, ("outbox", item.idempotency_key)))
            report.failed[item.idempotency_key] = str(exc)
            continue
        with unit_of_work(store, clock=clock) as uow:
            if exchange_repo(uow.tx).mark_sent(item.id, delivery.body, uow.now):
                uow.audit(actor, "exchange.sent", with_bindings(uow.tx, {
                    "key": item.idempotency_key, "status": delivery.status,
                    "replayed": delivery.replayed}, ("outbox", item.idempotency_key)))
                if on_delivered is not None:
                    on_delivered(uow, item, delivery)
        report.sent[item.idempotency_key] = delivery
    return report


def current_head(store: Store, now: datetime) -> dict[str, Any]:
    """The desk's audit tree head now (``app.services.audit_anchor``)."""
    from app.services.audit_anchor import current_head as head

    return head(store, now)


def newest_checkpoint(store: Store) -> bytes | None:
    """The newest officer-signed checkpoint document, as every delivery carries it.

    None when none is signed yet, or when it no longer verifies (logged: the
    desk never hands over what an officer's key did not sign).
    """
    from app.services.audit_checkpoints import AuditCheckpointService, CheckpointError

    try:
        doc = AuditCheckpointService(store).export_newest()
    except CheckpointError as exc:
        logger.warning("no signed audit checkpoint goes with this delivery: %s", exc)
        return None
    return None if doc is None else doc.to_bytes()


def receipt_context(store: Store, now: datetime) -> VerifyContext:
    """How receipts are checked: the desk's keys file, environment and exchange id."""
    from app.services.desk_identity import desk_identity
    from app.services.officers import keys_file

    desk = desk_identity(store)
    return VerifyContext(keys=keys_file(store), env=desk.env, now=now,
                         exchange_id=desk.exchange_id)


def pending(store: Store) -> list[OutboxRecord]:
    """Messages not yet delivered (pending and failed), oldest first."""
    with store.read() as tx:
        return [m for m in exchange_repo(tx).outbox() if m.status != "sent"]


def requeue_failed(store: Store, item_id: int, actor: str) -> None:
    """Put a refused message back in the queue (same key: still booked at most once)."""
    with unit_of_work(store) as uow:
        repo = exchange_repo(uow.tx)
        if not repo.requeue(item_id):
            raise ValueError(f"outbox message {item_id} is not failed")
        item = repo.outbox_item(item_id)
        assert item is not None  # requeued just now
        uow.audit(actor, "exchange.requeue", with_bindings(
            uow.tx, {"id": item_id}, ("outbox", item.idempotency_key)))


def response_of(item: OutboxRecord) -> dict[str, Any]:
    return item.response or {}
