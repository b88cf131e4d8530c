"""Stress: apply price shocks to every client and report who crosses which line.

A shock is written ``ASSET=-25%`` (relative: the price moves by that percentage)
or ``ASSET=0.97`` (absolute: the price becomes 0.97, e.g. a stablecoin depeg).
Exposure is held fixed (it is what the exchange reports); only prices move.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.domain.assets import AssetCatalogue, RiskPolicy
from app.domain.money import decimal_places, money_context, parse_decimal_string
from app.domain.snapshot import PRICE_MAX_DECIMALS, Snapshot
from app.domain.valuation import ClientValuation, CollateralState, value_snapshot

_SHOCK = re.compile(r"^(?P<asset>[A-Za-z0-9]+)=(?P<value>[+-]?[0-9][0-9.]*)(?P<pct>%?)$")
_SEVERITY = {
    CollateralState.HEALTHY: 0,
    CollateralState.MARGIN_CALL: 1,
    CollateralState.LIQUIDATION: 2,
}


class ShockError(ValueError):
    """A shock is malformed or names an asset the snapshot has no price for."""


class ShockKind(StrEnum):
    """Relative (percentage move) or absolute (new price)."""

    RELATIVE = "relative"
    ABSOLUTE = "absolute"


@dataclass(frozen=True, slots=True)
class Shock:
    """One price shock. For RELATIVE, ``value`` is a fraction (-0.25 = -25%)."""

    asset: str
    kind: ShockKind
    value: Decimal

    def apply(self, price: Decimal) -> Decimal:
        """The shocked price (exact; never below 0)."""
        with money_context():
            if self.kind is ShockKind.ABSOLUTE:
                return self.value
            return max(Decimal(0), price * (Decimal(1) + self.value))

    def describe(self) -> str:
        """``BTC -25%`` or ``USDC -> 0.97``."""
        if self.kind is ShockKind.ABSOLUTE:
            return f"{self.asset} -> {self.value}"
        pct = (self.value * 100).normalize()
        return f"{self.asset} {pct:+f}%"


def parse_shock(text: str, catalogue: AssetCatalogue) -> Shock:
    """Parse ``BTC=-25%`` / ``USDC=0.97``; raises ShockError naming the problem."""
    match = _SHOCK.match(text.strip())
    if match is None:
        raise ShockError(f"shock {text!r} must look like ASSET=-25% or ASSET=0.97")
    asset = match["asset"]
    if asset not in catalogue:
        raise ShockError(f"shock {text!r}: unknown asset {asset!r}")
    raw = match["value"]
    negative = raw.startswith("-")
    try:
        magnitude = parse_decimal_string(raw.lstrip("+-"))
    except ValueError:
        raise ShockError(f"shock {text!r}: {raw!r} is not a plain decimal") from None
    if match["pct"]:
        fraction = (-magnitude if negative else magnitude) / 100
        if fraction < -1:
            raise ShockError(f"shock {text!r}: a price cannot fall more than 100%")
        return Shock(asset, ShockKind.RELATIVE, fraction)
    if negative:
        raise ShockError(
            f"shock {text!r}: a price cannot be negative; for a relative move add %"
            f" ({asset}={raw}%)"
        )
    if decimal_places(magnitude) > PRICE_MAX_DECIMALS:
        raise ShockError(f"shock {text!r}: a price has at most {PRICE_MAX_DECIMALS} decimals")
    return Shock(asset, ShockKind.ABSOLUTE, magnitude)


def shocked_prices(prices: Mapping[str, Decimal], shocks: Sequence[Shock]) -> dict[str, Decimal]:
    """``prices`` with every shock applied in order; a shocked asset must be priced."""
    result = dict(prices)
    for shock in shocks:
        if shock.asset not in result:
            raise ShockError(f"shock on {shock.asset}: the snapshot has no price for it")
        result[shock.asset] = shock.apply(result[shock.asset])
    return result


@dataclass(frozen=True, slots=True)
class StressLine:
    """One client before and after the shocks."""

    before: ClientValuation
    after: ClientValuation
    crossed: tuple[CollateralState, ...]

    @property
    def client_id(self) -> str:
        return self.after.client_id

    @property
    def shortfall_usd(self) -> Decimal:
        """Shortfall the client would face after the shocks."""
        return self.after.shortfall_usd

    @property
    def collateral_change_usd(self) -> Decimal:
        """Change in collateral value (negative for a loss)."""
        return self.after.collateral_value_usd - self.before.collateral_value_usd


@dataclass(frozen=True, slots=True)
class StressReport:
    """The outcome of one stress scenario over every client."""

    shocks: tuple[Shock, ...]
    prices_before: Mapping[str, Decimal]
    prices_after: Mapping[str, Decimal]
    lines: tuple[StressLine, ...]

    @property
    def crossing(self) -> tuple[StressLine, ...]:
        """Clients that cross at least one line."""
        return tuple(line for line in self.lines if line.crossed)

    @property
    def total_shortfall_usd(self) -> Decimal:
        return sum((line.shortfall_usd for line in self.lines), Decimal("0.00"))

    def count(self, state: CollateralState) -> int:
        """Clients in ``state`` after the shocks."""
        return sum(1 for line in self.lines if line.after.state is state)


def lines_crossed(before: CollateralState, after: CollateralState) -> tuple[CollateralState, ...]:
    """The lines newly crossed going from ``before`` to ``after`` (worst last)."""
    order = (CollateralState.MARGIN_CALL, CollateralState.LIQUIDATION)
    return tuple(s for s in order if _SEVERITY[before] < _SEVERITY[s] <= _SEVERITY[after])


def run_stress(
    snapshot: Snapshot,
    shocks: Sequence[Shock],
    catalogue: AssetCatalogue,
    policy: RiskPolicy | None = None,
    locked_by_client: Mapping[str, Mapping[str, Decimal]] | None = None,
) -> StressReport:
    """Value every client at the snapshot prices and at the shocked prices."""
    after_prices = shocked_prices(snapshot.prices, shocks)
    before = value_snapshot(snapshot, catalogue, policy, locked_by_client)
    after = value_snapshot(snapshot, catalogue, policy, locked_by_client, prices=after_prices)
    lines = tuple(
        StressLine(b, a, lines_crossed(b.state, a.state))
        for b, a in zip(before, after, strict=True)
    )
    return StressReport(tuple(shocks), dict(snapshot.prices), after_prices, lines)
