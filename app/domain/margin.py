"""Margin calls: the exchange's top-up instruction and its lifecycle.

::

    RECEIVED --acknowledge--> ACKNOWLEDGED --top up--> RESOLVED_BY_TOPUP
        |                          |
        +--------escalate----------+--> ESCALATED_TO_LIQUIDATION --> LIQUIDATED
                                                                 \\-> EXPIRED

* ``shortfall_usd`` is what the exchange asks for, in USD. For a top-up it is
  collateral value to add (see valuation: exposure / leverage - collateral value);
  once escalated it is the cash the pre-authorised liquidation must raise
  (see waterfall).
* ``deadline_at`` defaults to ``received_at + RiskPolicy.margin_call_deadline_hours``.
* A call can be escalated from RECEIVED or ACKNOWLEDGED (the exchange decides,
  typically at the deadline or at the liquidation line). An escalated call ends
  LIQUIDATED (the waterfall was executed) or EXPIRED (the liquidation
  instruction lapsed unexecuted, e.g. withdrawn by the exchange).
* Any other move raises :class:`InvalidMarginTransition`; terminal states stay put.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from app.domain.assets import RiskPolicy
from app.domain.money import decimal_places, to_decimal
from app.domain.utc import require_utc


class MarginCallState(StrEnum):
    """Lifecycle states of a margin call."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED_BY_TOPUP = "resolved_by_topup"
    ESCALATED_TO_LIQUIDATION = "escalated_to_liquidation"
    LIQUIDATED = "liquidated"
    EXPIRED = "expired"

    @property
    def is_terminal(self) -> bool:
        """No move leaves a terminal state."""
        return self in _TERMINAL

    @property
    def label(self) -> str:
        """Human label, e.g. 'Escalated to liquidation'."""
        return self.value.replace("_", " ").replace("topup", "top-up").capitalize()


_TERMINAL = frozenset(
    {MarginCallState.RESOLVED_BY_TOPUP, MarginCallState.LIQUIDATED, MarginCallState.EXPIRED}
)

ALLOWED_TRANSITIONS: dict[MarginCallState, frozenset[MarginCallState]] = {
    MarginCallState.RECEIVED: frozenset(
        {MarginCallState.ACKNOWLEDGED, MarginCallState.ESCALATED_TO_LIQUIDATION}
    ),
    MarginCallState.ACKNOWLEDGED: frozenset(
        {MarginCallState.RESOLVED_BY_TOPUP, MarginCallState.ESCALATED_TO_LIQUIDATION}
    ),
    MarginCallState.ESCALATED_TO_LIQUIDATION: frozenset(
        {MarginCallState.LIQUIDATED, MarginCallState.EXPIRED}
    ),
    MarginCallState.RESOLVED_BY_TOPUP: frozenset(),
    MarginCallState.LIQUIDATED: frozenset(),
    MarginCallState.EXPIRED: frozenset(),
}


class MarginCallError(ValueError):
    """A margin call cannot be created or changed as asked."""


class InvalidMarginTransition(MarginCallError):
    """The move is not allowed from the call's current state."""

    def __init__(self, call_id: str, current: MarginCallState, target: MarginCallState) -> None:
        self.call_id = call_id
        self.current = current
        self.target = target
        allowed = ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[current])) or "none"
        super().__init__(
            f"margin call {call_id} is {current.value}; it cannot become {target.value} "
            f"(allowed: {allowed})"
        )


@dataclass(frozen=True, slots=True)
class MarginCallEvent:
    """One recorded move of a margin call."""

    state: MarginCallState
    at: datetime
    actor: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class MarginCall:
    """A margin call on one client. Immutable: each move returns a new value."""

    id: str
    client_id: str
    shortfall_usd: Decimal
    received_at: datetime
    deadline_at: datetime
    state: MarginCallState
    history: tuple[MarginCallEvent, ...]
    topup_usd: Decimal | None = None
    liquidation_reference: str | None = None

    def is_overdue(self, now: datetime) -> bool:
        """Still open for a top-up (RECEIVED/ACKNOWLEDGED) after the deadline."""
        open_states = (MarginCallState.RECEIVED, MarginCallState.ACKNOWLEDGED)
        return self.state in open_states and require_utc(now, "now") > self.deadline_at

    def time_left(self, now: datetime) -> timedelta:
        """Time until the deadline (negative once past)."""
        return self.deadline_at - require_utc(now, "now")

    def can_become(self, target: MarginCallState) -> bool:
        """Whether ``target`` is a legal next state."""
        return target in ALLOWED_TRANSITIONS[self.state]


def receive_margin_call(
    call_id: str,
    client_id: str,
    shortfall_usd: Decimal,
    received_at: datetime,
    *,
    deadline_at: datetime | None = None,
    actor: str = "exchange",
    policy: RiskPolicy | None = None,
) -> MarginCall:
    """A new margin call in RECEIVED state; refuses a non-positive shortfall."""
    policy = policy if policy is not None else RiskPolicy()
    received_at = require_utc(received_at, "received_at")
    shortfall = _usd(shortfall_usd, "shortfall")
    if shortfall <= 0:
        raise MarginCallError("a margin call needs a shortfall greater than 0")
    deadline = (
        received_at + timedelta(hours=policy.margin_call_deadline_hours)
        if deadline_at is None
        else require_utc(deadline_at, "deadline_at")
    )
    if deadline <= received_at:
        raise MarginCallError("the deadline must be after the time the call was received")
    event = MarginCallEvent(MarginCallState.RECEIVED, received_at, actor)
    return MarginCall(
        id=call_id,
        client_id=client_id,
        shortfall_usd=shortfall,
        received_at=received_at,
        deadline_at=deadline,
        state=MarginCallState.RECEIVED,
        history=(event,),
    )


def acknowledge(call: MarginCall, at: datetime, actor: str, note: str = "") -> MarginCall:
    """RECEIVED -> ACKNOWLEDGED (the desk has seen it and told the client)."""
    return _move(call, MarginCallState.ACKNOWLEDGED, at, actor, note)


def resolve_by_topup(
    call: MarginCall, topup_usd: Decimal, at: datetime, actor: str, note: str = ""
) -> MarginCall:
    """ACKNOWLEDGED -> RESOLVED_BY_TOPUP; the top-up must cover the shortfall."""
    topup = _usd(topup_usd, "top-up")
    if topup < call.shortfall_usd:
        raise MarginCallError(
            f"top-up USD {topup} does not cover the shortfall USD {call.shortfall_usd}"
        )
    moved = _move(call, MarginCallState.RESOLVED_BY_TOPUP, at, actor, note)
    return replace(moved, topup_usd=topup)


def escalate(call: MarginCall, at: datetime, actor: str, note: str = "") -> MarginCall:
    """RECEIVED/ACKNOWLEDGED -> ESCALATED_TO_LIQUIDATION."""
    return _move(call, MarginCallState.ESCALATED_TO_LIQUIDATION, at, actor, note)


def mark_liquidated(
    call: MarginCall, at: datetime, actor: str, reference: str, note: str = ""
) -> MarginCall:
    """ESCALATED_TO_LIQUIDATION -> LIQUIDATED; ``reference`` names the executed plan."""
    if not reference.strip():
        raise MarginCallError("a liquidation needs the reference of the executed plan")
    moved = _move(call, MarginCallState.LIQUIDATED, at, actor, note)
    return replace(moved, liquidation_reference=reference)


def expire(call: MarginCall, at: datetime, actor: str, note: str = "") -> MarginCall:
    """ESCALATED_TO_LIQUIDATION -> EXPIRED (the instruction lapsed unexecuted)."""
    return _move(call, MarginCallState.EXPIRED, at, actor, note)


def record_note(call: MarginCall, at: datetime, actor: str, note: str) -> MarginCall:
    """Add an event that keeps the state (e.g. the answer sent, the exchange's reply)."""
    at = require_utc(at, "at")
    if at < call.history[-1].at:
        raise MarginCallError("a margin-call event cannot be earlier than the previous one")
    if not actor.strip() or not note.strip():
        raise MarginCallError("a margin-call note needs an actor and a text")
    return replace(call, history=(*call.history, MarginCallEvent(call.state, at, actor, note)))


def _move(
    call: MarginCall, target: MarginCallState, at: datetime, actor: str, note: str
) -> MarginCall:
    at = require_utc(at, "at")
    if not call.can_become(target):
        raise InvalidMarginTransition(call.id, call.state, target)
    if at < call.history[-1].at:
        raise MarginCallError("a margin-call event cannot be earlier than the previous one")
    if not actor.strip():
        raise MarginCallError("every margin-call action needs an actor")
    event = MarginCallEvent(target, at, actor, note)
    return replace(call, state=target, history=(*call.history, event))


def _usd(value: Decimal, what: str) -> Decimal:
    amount = to_decimal(value)
    if amount < 0 or decimal_places(amount) > 2:
        raise MarginCallError(f"{what} must be a non-negative USD amount in cents")
    return amount
