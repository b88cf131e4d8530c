"""Margin calls in the store: the domain lifecycle (``app.domain.margin``) mapped
to the ``margin_calls`` rows, with one typed refusal for every service error."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain import margin as dm
from app.exchange.outbox import exchange_repo
from app.services.unit_of_work import UnitOfWork
from app.store.interface import Store
from app.store.repo_exchange import MarginCallRecord

TO_DOMAIN = {
    "received": dm.MarginCallState.RECEIVED,
    "acknowledged": dm.MarginCallState.ACKNOWLEDGED,
    "resolved": dm.MarginCallState.RESOLVED_BY_TOPUP,
    "escalated": dm.MarginCallState.ESCALATED_TO_LIQUIDATION,
    "liquidated": dm.MarginCallState.LIQUIDATED,
    "expired": dm.MarginCallState.EXPIRED,
}
TO_STORE = {v: k for k, v in TO_DOMAIN.items()}


class MarginCallServiceError(Exception):
    """A margin-call action was refused; the store is unchanged."""


def domain_of(rec: MarginCallRecord) -> dm.MarginCall:
    """The stored row as the domain's immutable margin call (history included)."""
    history = tuple(
        dm.MarginCallEvent(
            dm.MarginCallState(e["state"]), datetime.fromisoformat(e["at"]), e["actor"],
            e.get("note", ""),
        )
        for e in rec.history
    )
    return dm.MarginCall(
        id=rec.external_id,
        client_id=rec.client_id,
        shortfall_usd=rec.shortfall_usd,
        received_at=rec.received_at,
        deadline_at=rec.deadline,
        state=TO_DOMAIN[rec.status],
        history=history,
    )


def history_of(call: dm.MarginCall) -> list[dict[str, str]]:
    """The call's events as stored JSON."""
    return [
        {"state": e.state.value, "at": e.at.isoformat(), "actor": e.actor, "note": e.note}
        for e in call.history
    ]


def save_call(uow: UnitOfWork, call: dm.MarginCall, **extra: Any) -> None:
    """Write the call's state and history (and ``extra`` columns) in ``uow``."""
    exchange_repo(uow.tx).update_margin_call(
        call.id, status=TO_STORE[call.state], history=history_of(call), at=uow.now, **extra
    )


def get_call(uow_or_tx: Any, call_id: str) -> MarginCallRecord:
    """The row of ``call_id`` (a typed refusal when there is none)."""
    tx = uow_or_tx.tx if isinstance(uow_or_tx, UnitOfWork) else uow_or_tx
    rec = exchange_repo(tx).margin_call(call_id)
    if rec is None:
        raise MarginCallServiceError(f"no margin call {call_id}")
    return rec


def move(fn: Any, *args: Any, **kwargs: Any) -> dm.MarginCall:
    """Run a domain transition; its refusal becomes MarginCallServiceError."""
    try:
        result: dm.MarginCall = fn(*args, **kwargs)
    except dm.MarginCallError as exc:
        raise MarginCallServiceError(str(exc)) from exc
    return result


def margin_calls(store: Store) -> list[MarginCallRecord]:
    """Every margin call, oldest first."""
    with store.read() as tx:
        return exchange_repo(tx).margin_calls()


def margin_call(store: Store, call_id: str) -> MarginCallRecord:
    with store.read() as tx:
        return get_call(tx, call_id)
