"""What a top-up answer rests on: collateral the client added since the margin call.

A top-up answers a margin call only with *new* collateral: a snapshot newer than
the one the desk held when the margin call arrived, whose positions add at
least the shortfall in collateral value. Both the holdings before and after are
valued at the **same, current** prices, so a price difference between the desk
and the exchange (or stale prices) can never pass for a deposit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app.domain.assets import AssetCatalogue, RiskPolicy
from app.domain.snapshot import ClientRecord, format_utc
from app.domain.valuation import value_client


class NoNewCollateral(ValueError):
    """The top-up is refused: the message names the reason and the way out."""


@dataclass(frozen=True, slots=True)
class TopUpBasis:
    """The client's record when the call was issued and the record now."""

    before: ClientRecord
    before_as_of: datetime
    after: ClientRecord
    after_as_of: datetime


def new_collateral_usd(
    basis: TopUpBasis,
    prices: Mapping[str, Decimal],
    catalogue: AssetCatalogue,
    policy: RiskPolicy | None = None,
    locked: Mapping[str, Decimal] | None = None,
) -> Decimal:
    """Collateral value added between ``basis.before`` and ``basis.after``, at ``prices``."""
    after = value_client(basis.after, prices, catalogue, policy, locked)
    before = value_client(basis.before, prices, catalogue, policy, locked)
    return after.collateral_value_usd - before.collateral_value_usd


def check_top_up(
    basis: TopUpBasis | None,
    shortfall_usd: Decimal,
    prices: Mapping[str, Decimal],
    catalogue: AssetCatalogue,
    *,
    client_id: str,
    called_at: datetime,
    policy: RiskPolicy | None = None,
    locked: Mapping[str, Decimal] | None = None,
) -> Decimal:
    """The new collateral (USD) if it covers ``shortfall_usd``; else :class:`NoNewCollateral`."""
    if basis is None or basis.after_as_of <= basis.before_as_of:
        seen = f" (its latest snapshot is from {format_utc(basis.after_as_of)})" if basis else ""
        raise NoNewCollateral(
            f"no new collateral for {client_id} since the margin call of "
            f"{format_utc(called_at)}{seen}: a top-up must rest on a newer snapshot showing the "
            "deposit. Import the snapshot that shows it, then try again"
        )
    added = new_collateral_usd(basis, prices, catalogue, policy, locked)
    if added < shortfall_usd:
        raise NoNewCollateral(
            f"the snapshot of {format_utc(basis.after_as_of)} adds USD {added:,.2f} of collateral"
            f" at current prices; the call needs USD {shortfall_usd:,.2f}. Import a snapshot"
            " with the full deposit, or let the call escalate"
        )
    return added
