"""Margin calls: verified intake from the exchange, and the desk's lifecycle actions.

API (module functions; ``store`` is the desk store, ``call_id`` the exchange's id
such as ``mc-000001``; every write is one transaction with its audit entry)::

    rows = list_margin_call_rows(store)           # list[MarginCallRow] for the GUI table
    result = receive(store, data, actor="exchange")   # InboundAccepted | InboundRejected
    results = await pull(store, link)             # fetch + receive everything new
    acknowledge(store, call_id, officer="alice")  # RECEIVED -> ACKNOWLEDGED
    att = await top_up(store, call_id, officer="alice", device_uri=uri,
                       interaction=ui)            # the client's new attestation, format 3:
    #   the maker's device signs it (prepared-by), as for any attestation
    #   ... a different officer approves and signs it (AttestationService) ...
    key = await answer_top_up(store, call_id, officer="bob", device_uri=uri,
                              interaction=ui)     # signs the TOPUP answer, queues bundle+answer
    escalate(store, call_id, officer="alice", note="deadline passed")
    lines = waterfall_lines(store, call_id)       # list[WaterfallLine], yield first
    instruction_id = await sign_liquidation(store, call_id, "bob", uri, ui)
    report = await sync(store, link)              # flush the outbox (answers applied) + pull
    expired = expire_lapsed(store)                # escalated calls whose instruction lapsed

Errors: :class:`MarginCallServiceError` (unknown call, wrong state, top-up too
small...) and ``signing.errors.SigningError`` from the device; either way the
store is unchanged. Inbound documents are verified by
``app.exchange.inbound.check_inbound`` before anything is written; a rejected
one is only audited (``exchange.inbound_rejected`` with its reason).

Lifecycle (``app.domain.margin``): received -> acknowledged -> resolved by a
top-up (when the exchange answers ``resolved``), or -> escalated (by the
officer, or by the exchange's liquidation notice) -> liquidated (when the
exchange answers ``executed`` to the signed instruction) or -> expired (the
signed instruction lapsed unexecuted, e.g. refused by the exchange).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from app.documents.builders import new_document
from app.documents.canonical import amount, parse_utc, utc
from app.documents.envelope import Document, Kind, SignatureEntry, parse_document
from app.documents.errors import DocumentError
from app.documents.keys import Party, key_id_for
from app.domain import margin as dm
from app.domain.top_up import NoNewCollateral, TopUpBasis, check_top_up
from app.domain.waterfall import LiquidationPlan, StepKind, WaterfallError, plan_liquidation
from app.domain.yield_accrual import accrued_yield
from app.exchange.call_records import (
    MarginCallServiceError,
    domain_of,
    get_call,
    margin_call,
    margin_calls,
    move,
    save_call,
)
from app.exchange.inbound import InboundRejected, InboundResult
from app.exchange.intake import pull, receive
from app.exchange.link import Delivery, ExchangeLink, LinkError
from app.exchange.outbox import FlushReport, enqueue, exchange_repo, flush, idempotency_key
from app.services.attestations import AttestationService
from app.services.data_binding import with_bindings
from app.services.desk_facade import MarginCallRow, MarginCallStatus, WaterfallLine
from app.services.desk_identity import desk_identity
from app.services.device_access import SignerFactory, sign_on_device
from app.services.holdings import ClientHolding, HoldingsService, current_cutoff
from app.services.officers import desk_repo
from app.services.signed_commit import commit_signed
from app.services.unit_of_work import Clock, UnitOfWork, unit_of_work, utc_now
from app.store.interface import Store
from app.store.repo_desk import AttestationRecord
from app.store.repo_exchange import MarginCallRecord, OutboxRecord
from signing.interface import Interaction

logger = logging.getLogger(__name__)

INSTRUCTION_VALIDITY = timedelta(hours=24)
_LIQUIDATABLE = ("received", "acknowledged", "escalated")

_TO_ROW = {
    "received": MarginCallStatus.RECEIVED,
    "acknowledged": MarginCallStatus.ACKNOWLEDGED,
    "resolved": MarginCallStatus.TOPPED_UP,
    "escalated": MarginCallStatus.ESCALATED,
    "liquidated": MarginCallStatus.LIQUIDATED,
    "expired": MarginCallStatus.EXPIRED,
}

_domain, _save, _get, _move = domain_of, save_call, get_call, move

__all__ = [
    "MarginCallServiceError", "SyncReport", "acknowledge", "answer_top_up", "apply_delivery",
    "escalate", "expire_lapsed", "list_margin_call_rows", "margin_call", "margin_calls",
    "plan", "pull", "receive", "sign_liquidation", "sync", "top_up", "waterfall_lines",
]


# -- reading --------------------------------------------------------------------------


def list_margin_call_rows(store: Store) -> list[MarginCallRow]:
    """The GUI's margin-call table, oldest first."""
    calls = margin_calls(store)
    holdings = _called_clients(store, {rec.client_id for rec in calls})
    names = {cid: h.record.name for cid, h in holdings.items()}
    rows = []
    for rec in calls:
        desk = holdings.get(rec.client_id)
        rows.append(
            MarginCallRow(
                call_id=rec.external_id,
                client_id=rec.client_id,
                client_name=names.get(rec.client_id, rec.client_id),
                received_at=rec.received_at,
                deadline=rec.deadline,
                shortfall=rec.liquidation_usd or rec.shortfall_usd,
                exposure=rec.exposure_usd,
                ratio=rec.collateral_ratio,
                status=_TO_ROW[rec.status],
                past_liquidation=rec.liquidation_notice_id is not None,
                call_shortfall=rec.shortfall_usd,
                desk_ratio=desk.valuation.collateral_ratio if desk else None,
                desk_standing=desk.valuation.standing_label if desk else "",
            )
        )
    return rows


def _called_clients(store: Store, client_ids: set[str]) -> dict[str, ClientHolding]:
    """The desk's valued holdings of the clients with a call (one read transaction).

    Only those clients are valued: on a 100,000-client desk valuing everyone for a
    table of a few calls took seconds on every reload. Past a few hundred called
    clients one pass over the desk is cheaper than one read each.
    """
    service = HoldingsService(store)
    with store.read() as tx:
        if len(client_ids) > _ONE_BY_ONE:
            return {h.record.id: h for h in service.holdings_in(tx)
                    if h.record.id in client_ids}
        return {h.record.id: h for client_id in sorted(client_ids)
                for h in service.holdings_in(tx, None, client_id)}


_ONE_BY_ONE = 200


# -- lifecycle actions ---------------------------------------------------------------


def acknowledge(store: Store, call_id: str, *, officer: str, clock: Clock = utc_now) -> None:
    """RECEIVED -> ACKNOWLEDGED: the desk has seen the call and told the client."""
    with unit_of_work(store, clock=clock) as uow:
        call = _move(dm.acknowledge, _domain(_get(uow, call_id)), uow.now, f"officer:{officer}")
        _save(uow, call)
        uow.audit(f"officer:{officer}", "margin_call.acknowledge", {"id": call_id})


def escalate(
    store: Store, call_id: str, *, officer: str, note: str = "", clock: Clock = utc_now
) -> None:
    """RECEIVED/ACKNOWLEDGED -> ESCALATED: the pre-authorised liquidation path will run."""
    with unit_of_work(store, clock=clock) as uow:
        call = _move(dm.escalate, _domain(_get(uow, call_id)), uow.now, f"officer:{officer}", note)
        _save(uow, call)
        uow.audit(f"officer:{officer}", "margin_call.escalate", {"id": call_id, "note": note})


def new_collateral(store: Store, rec: MarginCallRecord) -> Decimal:
    """USD of collateral the client added since the call was issued, at current prices.

    The client's record as the desk held it when the call arrived (latest
    snapshot at or before ``received_at``, the desk's own clock) is compared with its latest
    record, both valued at today's prices. Raises :class:`MarginCallServiceError`
    naming the reason when there is no newer snapshot or it does not cover the
    shortfall (``app.domain.top_up``).
    """
    holdings = HoldingsService(store)
    with store.read() as tx:
        before = _holding_of(holdings.holdings_in(tx, rec.received_at), rec.client_id)
        after = _holding_of(holdings.holdings_in(tx), rec.client_id)
        cutoff = current_cutoff(tx, utc_now())
        prices = {asset: p.price_usd for asset, p in tx.holdings.prices(cutoff).items()}
        locked = tx.holdings.locked_quantities().get(rec.client_id)
    basis = None
    if before is not None and after is not None:
        basis = TopUpBasis(before.record, before.record_as_of, after.record, after.record_as_of)
    try:
        return check_top_up(
            basis, rec.shortfall_usd, prices, holdings.catalogue,
            client_id=rec.client_id, called_at=rec.received_at, locked=locked,
        )
    except NoNewCollateral as exc:
        raise MarginCallServiceError(str(exc)) from exc


def _holding_of(rows: list[ClientHolding], client_id: str) -> ClientHolding | None:
    return next((h for h in rows if h.record.id == client_id), None)


async def top_up(
    store: Store,
    call_id: str,
    *,
    officer: str,
    device_uri: str,
    interaction: Interaction,
    signer_factory: SignerFactory | None = None,
    clock: Clock = utc_now,
) -> AttestationRecord:
    """Prepare the client's new attestation for a top-up; ``officer`` (the maker) signs it.

    The client's added collateral must already be in the store: a snapshot newer
    than the call whose new positions cover the shortfall at current prices
    (:func:`new_collateral`), else the top-up is refused with the reason. The
    attestation is format 3 like any other (``AttestationService.prepare_signed``):
    the maker's own device at ``device_uri`` signs its statement (``prepared-by``);
    if it refuses or is not the maker's, nothing awaits approval and the call is
    untouched. A different officer then approves and signs it, and
    :func:`answer_top_up` sends it with the signed answer.
    """
    rec = margin_call(store, call_id)
    if rec.status not in ("received", "acknowledged"):
        raise MarginCallServiceError(f"margin call {call_id} is {rec.status}: no top-up now")
    new_collateral(store, rec)
    # prepare (and sign) first: a refused attestation (limit, eligibility, device) leaves
    # the call as it was
    service = AttestationService(store, clock=clock, signer_factory=signer_factory)
    att = await service.prepare_signed([rec.client_id], officer, device_uri, interaction)
    with unit_of_work(store, clock=clock) as uow:
        call = _domain(_get(uow, call_id))
        if call.state is dm.MarginCallState.RECEIVED:
            call = _move(dm.acknowledge, call, uow.now, f"officer:{officer}", "top-up")
        elif call.state is not dm.MarginCallState.ACKNOWLEDGED:
            raise MarginCallServiceError(f"margin call {call_id} changed meanwhile")
        _save(uow, call, top_up_attestation_id=att.id)
        uow.audit(f"officer:{officer}", "margin_call.topup_prepare",
                  {"id": call_id, "attestation_id": att.id})
    return att


async def answer_top_up(
    store: Store,
    call_id: str,
    *,
    officer: str,
    device_uri: str,
    interaction: Interaction,
    signer_factory: SignerFactory | None = None,
    clock: Clock = utc_now,
) -> str:
    """Sign the TOPUP answer on ``officer``'s device and queue the bundle and the answer.

    Returns the answer's idempotency key. Nothing is sent here: :func:`sync`
    sends after this commit.
    """
    rec = margin_call(store, call_id)
    if rec.status != "acknowledged" or rec.top_up_attestation_id is None:
        raise MarginCallServiceError(f"margin call {call_id} has no top-up attestation prepared")
    service = AttestationService(store, clock=clock, signer_factory=signer_factory)
    detail = service.detail(rec.top_up_attestation_id)
    if detail.record.status not in ("signed", "sent"):
        raise MarginCallServiceError(
            f"attestation {detail.record.id} is {detail.record.status}: it must be signed first"
        )
    bundle = service.export_bundle(detail.record.id)
    if rec.client_id not in {c.client_id for c in detail.clients}:
        raise MarginCallServiceError(
            f"attestation {detail.record.id} does not attest {rec.client_id}"
        )
    added = new_collateral(store, rec).quantize(Decimal("0.01"))
    desk = desk_identity(store)
    with store.read() as tx:
        signer = desk_repo(tx).officer_by_name(officer)
    if signer is None or not signer.active:
        raise MarginCallServiceError(f"no active officer named {officer}")
    now = clock().replace(microsecond=0)
    body = {
        "id": f"tu-{call_id}", "exchange_id": desk.exchange_id, "env": desk.env,
        "margin_call_id": call_id, "client_id": rec.client_id, "amount_usd": amount(added),
        "attestation_seq": detail.record.sequence,
        "expires_at": utc(now + INSTRUCTION_VALIDITY),
    }
    doc = new_document(Kind.TOPUP_ANSWER, body)
    made = await sign_on_device(device_uri, signer.path, doc.statement, interaction,
                                expected_pubkey=signer.pubkey, signer_factory=signer_factory)
    doc = doc.with_signature(SignatureEntry(key_id_for(signer.pubkey), Party.CUSTODIAN.value,
                                            made.signature))

    def attempt() -> str:
        with unit_of_work(store, clock=clock) as uow:
            current = _get(uow, call_id)
            if current.status != "acknowledged":
                raise MarginCallServiceError(f"margin call {call_id} changed while signing")
            actor = f"officer:{officer}"
            enqueue(uow, Kind.ATTESTATION_BUNDLE.value, str(bundle.body["id"]), bundle.to_bytes(),
                    actor)
            key = enqueue(uow, Kind.TOPUP_ANSWER.value, str(body["id"]), doc.to_bytes(), actor)
            _save(uow, dm.record_note(
                _domain(current), uow.now, actor,
                f"top-up answer {body['id']} signed: USD {amount(added)} of new collateral"
                f" (attestation #{detail.record.sequence}); queued for the exchange",
            ))
            uow.audit(actor, "margin_call.topup_answer", {
                "id": call_id, "attestation_id": detail.record.id, "amount_usd": amount(added),
                "statement": doc.statement,
            })
        return key

    answer_key = idempotency_key(Kind.TOPUP_ANSWER.value, str(body["id"]), doc.to_bytes())
    # The device has signed: kept across an outage and queued exactly once.
    return await commit_signed(
        f"{officer}'s top-up answer to margin call {call_id}", attempt,
        already=lambda: _queued(store, answer_key),
    )


def _queued(store: Store, key: str) -> str | None:
    """``key`` if the outbox already holds it (an earlier try committed)."""
    with store.read() as tx:
        return key if any(m.idempotency_key == key for m in exchange_repo(tx).outbox()) else None


def plan(store: Store, call_id: str, *, clock: Clock = utc_now) -> LiquidationPlan:
    """The yield-first, pre-authorised waterfall for an escalated (or open) call."""
    rec = margin_call(store, call_id)
    holdings = HoldingsService(store)
    match = [h for h in holdings.holdings() if h.record.id == rec.client_id]
    if not match:
        raise MarginCallServiceError(f"client {rec.client_id} has no holdings in the store")
    holding = match[0]
    prices = {p.asset: p.price for p in holding.positions}
    catalogue = holdings.catalogue
    accrued = accrued_yield(holding.record, prices, catalogue, clock()).accrued_usd
    try:
        return plan_liquidation(
            holding.record, rec.liquidation_usd or rec.shortfall_usd, prices, catalogue,
            accrued_yield_usd=accrued,
        )
    except WaterfallError as exc:
        raise MarginCallServiceError(str(exc)) from exc


def waterfall_lines(store: Store, call_id: str, *, clock: Clock = utc_now) -> list[WaterfallLine]:
    """The plan as GUI rows: yield first, then each sale, with what is left to cover."""
    result = plan(store, call_id, clock=clock)
    remaining = result.shortfall_usd
    rows = []
    for line in result.lines:
        remaining = max(Decimal("0.00"), remaining - line.cover_usd)
        rows.append(
            WaterfallLine(
                step=line.step,
                source="accrued yield" if line.kind is StepKind.APPLY_YIELD else str(line.asset),
                quantity=line.quantity if line.quantity is not None else line.cover_usd,
                usd=line.cover_usd.quantize(Decimal("0.01")),
                remaining_shortfall=remaining.quantize(Decimal("0.01")),
            )
        )
    return rows


def _lines_json(result: LiquidationPlan) -> list[dict[str, Any]]:
    def text(value: Decimal | None) -> str | None:
        return None if value is None else amount(value)

    return [
        {
            "step": ln.step, "kind": ln.kind.value, "asset": ln.asset,
            "quantity": text(ln.quantity), "price": text(ln.price),
            "collateral_factor": text(ln.collateral_factor),
            "cover_usd": amount(ln.cover_usd.quantize(Decimal("0.00000001"))),
            "expected_proceeds_usd": amount(ln.expected_proceeds_usd),
        }
        for ln in result.lines
    ]


async def sign_liquidation(
    store: Store,
    call_id: str,
    officer: str,
    uri: str,
    interaction: Interaction,
    *,
    signer_factory: SignerFactory | None = None,
    clock: Clock = utc_now,
) -> str:
    """Sign the liquidation instruction (the waterfall) on ``officer``'s device and queue it.

    An open call (received/acknowledged) is escalated by this signature, in the
    same transaction; an escalated one keeps the exchange's amount. One
    instruction per call. Returns the instruction id (``li-<call id>``).
    """
    rec = margin_call(store, call_id)
    if rec.status not in _LIQUIDATABLE:
        raise MarginCallServiceError(f"margin call {call_id} is {rec.status}: no liquidation")
    with store.read() as tx:
        if exchange_repo(tx).liquidations_for(rec.id):
            raise MarginCallServiceError(f"margin call {call_id} already has an instruction")
        signer = desk_repo(tx).officer_by_name(officer)
    if signer is None or not signer.active:
        raise MarginCallServiceError(f"no active officer named {officer}")
    result = plan(store, call_id, clock=clock)
    if not result.lines:
        raise MarginCallServiceError(f"client {rec.client_id} has nothing to liquidate")
    desk = desk_identity(store)
    now = clock().replace(microsecond=0)
    raised = min(result.shortfall_usd, result.covered_usd)
    lines = _lines_json(result)
    instruction_id = f"li-{call_id}"
    body: dict[str, Any] = {
        "id": instruction_id, "exchange_id": desk.exchange_id, "env": desk.env,
        "margin_call_id": call_id, "client_id": rec.client_id, "amount_usd": amount(raised),
        "expires_at": utc(now + INSTRUCTION_VALIDITY), "lines": lines,
    }
    doc = new_document(Kind.LIQUIDATION_INSTRUCTION, body)
    made = await sign_on_device(uri, signer.path, doc.statement, interaction,
                                expected_pubkey=signer.pubkey, signer_factory=signer_factory)
    doc = doc.with_signature(SignatureEntry(key_id_for(signer.pubkey), Party.CUSTODIAN.value,
                                            made.signature))

    def attempt() -> str:
        with unit_of_work(store, clock=clock) as uow:
            repo = exchange_repo(uow.tx)
            current = _get(uow, call_id)
            if current.status not in _LIQUIDATABLE or repo.liquidations_for(current.id):
                raise MarginCallServiceError(f"margin call {call_id} changed while signing")
            if current.status != "escalated":  # the officer's signature is the decision
                _save(uow, _move(dm.escalate, _domain(current), uow.now, f"officer:{officer}",
                                 f"liquidation {instruction_id} signed"))
            repo.add_liquidation(instruction_id, current.id, lines=lines, statement=doc.statement,
                                 document_json=doc.to_bytes().decode("utf-8"),
                                 officer_id=signer.id, at=uow.now)
            actor = f"officer:{officer}"
            enqueue(uow, Kind.LIQUIDATION_INSTRUCTION.value, instruction_id, doc.to_bytes(), actor)
            uow.audit(actor, "margin_call.liquidation_signed", with_bindings(uow.tx, {
                "id": call_id, "instruction_id": body["id"], "amount_usd": amount(raised),
                "yield_applied_usd": amount(result.yield_applied_usd),
                "uncovered_usd": amount(result.uncovered_usd), "statement": doc.statement,
            }, ("liquidation_instructions", instruction_id),
                ("liquidation_instructions.signature", instruction_id)))
        return instruction_id

    def already() -> str | None:
        with store.read() as tx:
            done = exchange_repo(tx).liquidations_for(rec.id)
        return instruction_id if any(i.statement == doc.statement for i in done) else None

    # The device has signed: kept across an outage and stored exactly once.
    return await commit_signed(
        f"{officer}'s liquidation instruction for margin call {call_id}", attempt,
        already=already,
    )


def expire_lapsed(store: Store, *, clock: Clock = utc_now) -> list[str]:
    """ESCALATED -> EXPIRED for calls whose signed instruction lapsed unexecuted.

    The instruction is marked ``cancelled``; a new one can then be signed only
    after the exchange sends a new call. Returns the expired call ids.
    """
    expired: list[str] = []
    with unit_of_work(store, clock=clock) as uow:
        repo = exchange_repo(uow.tx)
        for rec in repo.margin_calls():
            if rec.status != "escalated":
                continue
            for instruction in repo.liquidations_for(rec.id):
                if instruction.status not in ("signed", "sent") or not instruction.document_json:
                    continue
                body = parse_document(instruction.document_json.encode("utf-8")).body
                if parse_utc(body.get("expires_at"), "expires_at") > uow.now:
                    continue
                call = _move(dm.expire, _domain(rec), uow.now, "desk",
                             f"instruction {instruction.public_id} lapsed")
                _save(uow, call)
                repo.set_liquidation_status(instruction.public_id, "cancelled", uow.now)
                uow.audit("desk", "margin_call.expired",
                          {"id": rec.external_id, "instruction_id": instruction.public_id})
                expired.append(rec.external_id)
                break
    return expired


# -- the exchange's answers -----------------------------------------------------------


def apply_delivery(uow: UnitOfWork, item: OutboxRecord, delivery: Delivery) -> None:
    """Apply the exchange's answer to a delivered message (runs in the 'sent' transaction).

    An answer that cannot be applied is audited, never raised: the delivery is
    recorded either way, so the outbox never re-sends for a local problem.
    """
    try:
        _apply(uow, item, delivery)
    except (MarginCallServiceError, DocumentError) as exc:
        logger.error("answer to %s not applied: %s", item.idempotency_key, exc)
        uow.audit("exchange", "exchange.answer_not_applied",
                  {"key": item.idempotency_key, "error": str(exc)[:300]})


def _apply(uow: UnitOfWork, item: OutboxRecord, delivery: Delivery) -> None:
    doc: Document = parse_document(item.payload)
    answer = delivery.body.get("status")
    if doc.kind is Kind.ATTESTATION_BUNDLE:
        repo = desk_repo(uow.tx)
        for att in repo.attestations():
            if att.sequence == doc.body.get("sequence") and att.status == "signed":
                repo.set_attestation_status(att.id, "sent", uow.now)
        return
    call_id = doc.body.get("margin_call_id")
    if not isinstance(call_id, str):
        return
    rec = exchange_repo(uow.tx).margin_call(call_id)
    if rec is None:
        return
    call = _domain(rec)
    if doc.kind is Kind.TOPUP_ANSWER:
        reply = " ".join(
            str(delivery.body[k]) for k in ("status", "reason", "message") if delivery.body.get(k)
        )
        call = dm.record_note(call, uow.now, "exchange",
                              f"exchange replied to {doc.body.get('id')}: {reply or 'no status'}")
        _save(uow, call)
    if (
        doc.kind is Kind.TOPUP_ANSWER
        and answer == "resolved"
        and call.can_become(dm.MarginCallState.RESOLVED_BY_TOPUP)
    ):
        added = Decimal(str(doc.body["amount_usd"]))
        call = _move(dm.resolve_by_topup, call, added, uow.now, "exchange", "top-up booked")
        _save(uow, call, resolution="top_up")
        uow.audit("exchange", "margin_call.resolved", {"id": call_id})
    elif (
        doc.kind is Kind.LIQUIDATION_INSTRUCTION
        and answer == "executed"
        and call.can_become(dm.MarginCallState.LIQUIDATED)
    ):
        call = _move(dm.mark_liquidated, call, uow.now, "exchange", str(doc.body["id"]))
        _save(uow, call, resolution="liquidation")
        exchange_repo(uow.tx).set_liquidation_status(str(doc.body["id"]), "executed", uow.now)
        uow.audit("exchange", "margin_call.liquidated",
                  {"id": call_id, "instruction_id": doc.body["id"]})


@dataclass
class SyncReport:
    """One round with the exchange: what was sent, what came in."""

    outbox: FlushReport
    inbound: list[InboundResult] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)  # calls whose instruction lapsed
    inbound_error: str | None = None  # the feed could not be fetched (transient)

    @property
    def rejected(self) -> list[InboundRejected]:
        return [r for r in self.inbound if isinstance(r, InboundRejected)]


async def sync(store: Store, link: ExchangeLink, *, clock: Clock = utc_now,
               ignore_schedule: bool = False) -> SyncReport:
    """Send the outbox (applying each answer) and receive everything new.

    Never raises for an unreachable exchange: undelivered messages are in
    ``outbox.retrying`` and a feed that could not be read is ``inbound_error``.
    """
    sent = await flush(store, link, clock=clock, on_delivered=apply_delivery,
                       ignore_schedule=ignore_schedule)
    inbound: list[InboundResult] = []
    inbound_error: str | None = None
    try:
        inbound = await pull(store, link, clock=clock)
    except LinkError as exc:  # the exchange is down: the next round fetches it all
        inbound_error = str(exc)
        logger.warning("could not fetch from the exchange: %s", exc)
    return SyncReport(sent, inbound, expire_lapsed(store, clock=clock), inbound_error)


def call_document(store: Store, call_id: str) -> dict[str, Any]:
    """The signed document of a call, as received (for display and export)."""
    result: dict[str, Any] = json.loads(margin_call(store, call_id).document_json)
    return result
