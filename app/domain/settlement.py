"""Settlement limit: a client can be in at most N attestations per UTC day (pilot: 2).

The count is per client and per UTC calendar day of the attestation's signing
time. When the limit is reached, :class:`SettlementLimitReached` says when the
next slot opens: the next UTC midnight.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from app.domain.assets import RiskPolicy
from app.domain.utc import next_utc_midnight, require_utc, utc_day


class SettlementLimitReached(Exception):
    """The client already used every attestation slot of this UTC day."""

    def __init__(self, client_id: str, limit: int, next_slot_at: datetime) -> None:
        self.client_id = client_id
        self.limit = limit
        self.next_slot_at = next_slot_at
        super().__init__(
            f"client {client_id} already has {limit} attestation(s) today (UTC); "
            f"the next slot opens at {next_slot_at.strftime('%Y-%m-%d %H:%M')} UTC"
        )


@dataclass(frozen=True, slots=True)
class SettlementSlots:
    """How many attestation slots a client has used and has left on ``now``'s UTC day."""

    client_id: str
    used: int
    limit: int
    next_reset_at: datetime

    @property
    def remaining(self) -> int:
        """Slots left today (never negative)."""
        return max(0, self.limit - self.used)


def settlement_slots(
    client_id: str,
    attested_at: Iterable[datetime],
    now: datetime,
    policy: RiskPolicy | None = None,
) -> SettlementSlots:
    """Count ``client_id``'s attestations (their times) on ``now``'s UTC day."""
    policy = policy if policy is not None else RiskPolicy()
    today = utc_day(now)
    used = sum(1 for moment in attested_at if utc_day(require_utc(moment)) == today)
    return SettlementSlots(client_id, used, policy.settlements_per_utc_day, next_utc_midnight(now))


def ensure_settlement_slot(
    client_id: str,
    attested_at: Iterable[datetime],
    now: datetime,
    policy: RiskPolicy | None = None,
) -> SettlementSlots:
    """Return the slots if one is free; raise SettlementLimitReached otherwise."""
    slots = settlement_slots(client_id, attested_at, now, policy)
    if slots.remaining == 0:
        raise SettlementLimitReached(client_id, slots.limit, slots.next_reset_at)
    return slots


def ensure_settlement_slots(
    history: Mapping[str, Iterable[datetime]],
    client_ids: Iterable[str],
    now: datetime,
    policy: RiskPolicy | None = None,
) -> None:
    """Check every client of one attestation; raise for the first one at its limit.

    ``history`` maps client id -> times of that client's earlier attestations.
    """
    for client_id in client_ids:
        ensure_settlement_slot(client_id, history.get(client_id, ()), now, policy)
