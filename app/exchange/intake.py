"""Intake of the exchange's margin calls and liquidation notices.

Each document is verified (``app.exchange.inbound``) before anything is
written; an accepted one is stored in the inbox and applied (a new call, or
the call a liquidation notice escalates) in one transaction; a rejected one is
only audited (``exchange.inbound_rejected``) with its reason.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from app.documents.canonical import amount
from app.documents.envelope import Kind
from app.documents.errors import Reason
from app.documents.verify import VerifyContext
from app.domain import margin as dm
from app.exchange.call_records import TO_STORE, domain_of, history_of, move, save_call
from app.exchange.inbound import InboundAccepted, InboundRejected, InboundResult, check_inbound
from app.exchange.link import ExchangeLink
from app.exchange.outbox import exchange_repo
from app.services.data_binding import with_bindings
from app.services.desk_identity import desk_identity
from app.services.officers import keys_file
from app.services.unit_of_work import Clock, UnitOfWork, unit_of_work, utc_now
from app.store.interface import Store
from app.store.repo_exchange import MarginCallRecord

logger = logging.getLogger(__name__)

INBOX_CURSOR = "exchange.inbox_cursor"
_RETRYABLE = frozenset({Reason.UNKNOWN_KEY, Reason.KEY_NOT_VALID})


def receive(
    store: Store, data: bytes, *, actor: str = "exchange", clock: Clock = utc_now
) -> InboundResult:
    """Verify one document from the exchange and store it, or audit its rejection."""
    desk = desk_identity(store)
    keys = keys_file(store)
    with unit_of_work(store, clock=clock) as uow:
        repo = exchange_repo(uow.tx)
        ctx = VerifyContext(keys=keys, env=desk.env, now=uow.now, exchange_id=desk.exchange_id)
        result = check_inbound(
            data,
            ctx,
            seen=lambda doc_id: repo.inbox_has(
                Kind.MARGIN_CALL.value, desk.exchange_id, doc_id
            ),
            last_sequence=repo.last_inbox_sequence(desk.exchange_id),
        )
        if isinstance(result, InboundAccepted):
            notice = result.notice
            holders = {s.client_id for s in uow.tx.holdings.client_states(None)}
            if notice.client_id not in holders:
                result = InboundRejected(
                    Reason.MISMATCH, f"unknown client {notice.client_id}", notice.document_id
                )
        if isinstance(result, InboundRejected):
            uow.audit(actor, "exchange.inbound_rejected", {
                "reason": result.reason.value, "detail": result.detail[:300],
                "document_id": result.document_id,
            })
            logger.warning("inbound document rejected: %s %s", result.reason, result.detail)
            return result
        _store_notice(uow, result, desk.exchange_id, actor)
    return result


def _deadline(deadline: datetime, now: datetime) -> datetime:
    # a notice read after its deadline still needs a deadline after its receipt
    return deadline if deadline > now else now + timedelta(seconds=1)


def _store_notice(uow: UnitOfWork, accepted: InboundAccepted, sender: str, actor: str) -> None:
    notice = accepted.notice
    repo = exchange_repo(uow.tx)
    repo.add_inbox(Kind.MARGIN_CALL.value, sender, notice.document_id,
                   sequence=notice.sequence, at=uow.now, body=notice.raw.decode("utf-8"))
    if notice.notice == "margin_call":
        call = move(dm.receive_margin_call, notice.document_id, notice.client_id,
                     notice.shortfall_usd, uow.now,
                     deadline_at=_deadline(notice.deadline_at, uow.now), actor=actor)
        repo.add_margin_call(_record(call, notice, uow.now))
        uow.audit(actor, "margin_call.received", with_bindings(uow.tx, {
            "id": notice.document_id, "client_id": notice.client_id,
            "shortfall_usd": amount(notice.shortfall_usd), "sequence": notice.sequence,
        }, ("margin_calls", notice.document_id), ("inbox", notice.document_id)))
        return
    assert notice.margin_call_id is not None
    rec = repo.margin_call(notice.margin_call_id)
    if rec is None:  # the notice arrives without its call: create the call from it
        call = move(dm.receive_margin_call, notice.margin_call_id, notice.client_id,
                     notice.shortfall_usd, uow.now,
                     deadline_at=_deadline(notice.deadline_at, uow.now), actor=actor)
        repo.add_margin_call(_record(call, notice, uow.now))
        rec = repo.margin_call(notice.margin_call_id)
        assert rec is not None
    call = domain_of(rec)
    if call.can_become(dm.MarginCallState.ESCALATED_TO_LIQUIDATION):
        call = move(dm.escalate, call, uow.now, actor, f"liquidation notice {notice.document_id}")
    save_call(uow, call, liquidation_usd=notice.shortfall_usd,
          liquidation_notice_id=notice.document_id)
    uow.audit(actor, "margin_call.liquidation_notice", with_bindings(uow.tx, {
        "id": notice.document_id, "margin_call_id": notice.margin_call_id,
        "client_id": notice.client_id, "amount_usd": amount(notice.shortfall_usd),
    }, ("margin_calls", notice.margin_call_id), ("inbox", notice.document_id)))


def _record(call: dm.MarginCall, notice: Any, now: datetime) -> MarginCallRecord:
    return MarginCallRecord(
        id=0, external_id=call.id, client_id=call.client_id, status=TO_STORE[call.state],
        notice="margin_call", sequence=notice.sequence, issued_at=notice.issued_at,
        received_at=now, deadline=call.deadline_at, shortfall_usd=call.shortfall_usd,
        exposure_usd=notice.exposure_usd, collateral_value_usd=notice.collateral_value_usd,
        collateral_ratio=notice.collateral_ratio, document_json=notice.raw.decode("utf-8"),
        resolution=None, top_up_attestation_id=None, history=history_of(call),
        liquidation_usd=None, liquidation_notice_id=None, updated_at=now,
    )


async def pull(store: Store, link: ExchangeLink, *, clock: Clock = utc_now) -> list[InboundResult]:
    """Fetch everything new from the exchange and receive each document in turn.

    The feed cursor (setting ``exchange.inbox_cursor``) moves past accepted
    documents and past documents rejected for good (forged, replayed,
    malformed...), so a bad document is audited once, not at every pull. It
    stops before a document refused for a key the desk may not know *yet*
    (unknown or not-yet-valid key): after ``parties add`` the next pull
    accepts it.
    """
    desk = desk_identity(store)
    with store.read() as tx:
        stored = exchange_repo(tx).last_inbox_sequence(desk.exchange_id)
        cursor_text = tx.settings.get(INBOX_CURSOR)
    cursor = int(cursor_text) if cursor_text and cursor_text.isdigit() else None
    after = max((s for s in (stored, cursor) if s is not None), default=None)
    results: list[InboundResult] = []
    advance: int | None = None
    blocked = False
    for item in await link.fetch_inbound(after):
        result = receive(store, item.data, clock=clock)
        results.append(result)
        await link.done(item)
        retryable = isinstance(result, InboundRejected) and result.reason in _RETRYABLE
        blocked = blocked or retryable
        if not blocked and item.sequence is not None:
            advance = item.sequence
    if advance is not None and (after is None or advance > after):
        with unit_of_work(store, clock=clock) as uow:
            uow.tx.settings.put(INBOX_CURSOR, str(advance), uow.now)
            uow.audit("exchange", "exchange.inbox_cursor", with_bindings(
                uow.tx, {"after": advance}, ("settings", INBOX_CURSOR)))
    return results
