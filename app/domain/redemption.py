"""Redemptions of fund shares: lock first, fiat within 24 hours, overdue flagged.

Lifecycle (docs/domain.md, "Redemptions")::

    LOCKED --settle(fiat received)--> SETTLED
    LOCKED --cancel---------------->  CANCELLED (shares unlocked)

A redemption is LOCKED the moment it is requested: the shares stop counting as
collateral at once (:func:`locked_by_client` feeds ``value_snapshot``). Fiat is
due ``RiskPolicy.redemption_settlement_hours`` (24) after the request; a LOCKED
redemption past that time is *overdue* (a flag, not a state: it can still settle).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from app.domain.assets import AssetCatalogue, AssetKind, RiskPolicy
from app.domain.money import decimal_places, to_decimal
from app.domain.snapshot import ClientRecord
from app.domain.utc import require_utc

REDEEMABLE_KINDS = frozenset({AssetKind.TOKENIZED_MMF, AssetKind.TOKENIZED_TREASURY})
"""Only fund shares are redeemed for fiat; coins are sold, not redeemed."""


class RedemptionState(StrEnum):
    """Where a redemption is in its lifecycle."""

    LOCKED = "locked"
    SETTLED = "settled"
    CANCELLED = "cancelled"


class RedemptionError(ValueError):
    """A redemption request or transition is not allowed; the message says why."""


@dataclass(frozen=True, slots=True)
class Redemption:
    """One redemption of fund shares by a client."""

    id: str
    client_id: str
    asset: str
    quantity: Decimal
    requested_at: datetime
    due_at: datetime
    state: RedemptionState = RedemptionState.LOCKED
    settled_at: datetime | None = None
    fiat_amount_usd: Decimal | None = None
    cancelled_at: datetime | None = None

    def is_overdue(self, now: datetime) -> bool:
        """True when still LOCKED after its fiat due time."""
        return self.state is RedemptionState.LOCKED and require_utc(now, "now") > self.due_at

    def time_left(self, now: datetime) -> timedelta:
        """Time until the fiat is due (negative once overdue)."""
        return self.due_at - require_utc(now, "now")


def request_redemption(
    redemption_id: str,
    client: ClientRecord,
    asset: str,
    quantity: Decimal,
    now: datetime,
    *,
    catalogue: AssetCatalogue,
    already_locked: Iterable[Redemption] = (),
    policy: RiskPolicy | None = None,
) -> Redemption:
    """Lock ``quantity`` of ``asset`` for redemption; the result is LOCKED.

    Refuses non-fund assets, non-positive or over-precise quantities, and more
    than the client's free quantity (held minus snapshot locks minus
    ``already_locked`` redemptions of this client).
    """
    policy = policy if policy is not None else catalogue.policy
    now = require_utc(now, "now")
    quantity = to_decimal(quantity)
    spec = catalogue.get(asset)
    if spec.kind not in REDEEMABLE_KINDS:
        raise RedemptionError(f"{asset} is not a fund share and cannot be redeemed for fiat")
    if quantity <= 0:
        raise RedemptionError("quantity to redeem must be greater than 0")
    if decimal_places(quantity) > spec.decimals:
        raise RedemptionError(f"{asset} has at most {spec.decimals} decimal places")
    position = client.position(asset)
    held_free = position.free_quantity if position is not None else Decimal(0)
    pending = sum(
        (
            r.quantity
            for r in already_locked
            if r.client_id == client.id and r.asset == asset and r.state is RedemptionState.LOCKED
        ),
        Decimal(0),
    )
    available = held_free - pending
    if quantity > available:
        raise RedemptionError(
            f"cannot redeem {quantity} {asset}: only {max(available, Decimal(0))} free "
            f"(held and not already locked)"
        )
    return Redemption(
        id=redemption_id,
        client_id=client.id,
        asset=asset,
        quantity=quantity,
        requested_at=now,
        due_at=now + timedelta(hours=policy.redemption_settlement_hours),
    )


def settle(redemption: Redemption, now: datetime, fiat_amount_usd: Decimal) -> Redemption:
    """Record the fiat received: LOCKED -> SETTLED (late settlements are allowed)."""
    now = require_utc(now, "now")
    fiat = to_decimal(fiat_amount_usd)
    if redemption.state is not RedemptionState.LOCKED:
        raise RedemptionError(f"redemption {redemption.id} is {redemption.state}, not locked")
    if fiat < 0 or decimal_places(fiat) > 2:
        raise RedemptionError("fiat amount must be a non-negative USD amount in cents")
    if now < redemption.requested_at:
        raise RedemptionError("settlement time is before the request")
    return replace(redemption, state=RedemptionState.SETTLED, settled_at=now, fiat_amount_usd=fiat)


def cancel(redemption: Redemption, now: datetime) -> Redemption:
    """Cancel a LOCKED redemption: the shares count as collateral again."""
    now = require_utc(now, "now")
    if redemption.state is not RedemptionState.LOCKED:
        raise RedemptionError(f"redemption {redemption.id} is {redemption.state}, not locked")
    return replace(redemption, state=RedemptionState.CANCELLED, cancelled_at=now)


def locked_quantities(redemptions: Iterable[Redemption], client_id: str) -> dict[str, Decimal]:
    """Per-asset quantities a client has LOCKED in redemptions."""
    return locked_by_client(redemptions).get(client_id, {})


def locked_by_client(redemptions: Iterable[Redemption]) -> dict[str, dict[str, Decimal]]:
    """client id -> asset -> LOCKED quantity (pass to ``value_snapshot``)."""
    result: dict[str, dict[str, Decimal]] = {}
    for item in redemptions:
        if item.state is not RedemptionState.LOCKED:
            continue
        per_asset = result.setdefault(item.client_id, {})
        per_asset[item.asset] = per_asset.get(item.asset, Decimal(0)) + item.quantity
    return result


def overdue(redemptions: Iterable[Redemption], now: datetime) -> tuple[Redemption, ...]:
    """LOCKED redemptions whose fiat is past due, oldest due first."""
    late = [r for r in redemptions if r.is_overdue(now)]
    return tuple(sorted(late, key=lambda r: (r.due_at, r.id)))
