"""Liquidation waterfall: cover a shortfall, accrued yield first, then assets in order.

Rules (docs/domain.md, "Liquidation waterfall"):

* The shortfall here is a **cash amount in USD** the liquidation must raise for
  the exchange (the escalated margin call). It is *not* expressed as exposure
  reduction: with 2x leverage, selling collateral to pay exposure down removes
  more credit line (2 x factor per dollar) than it repays (1 per dollar), so no
  sale could ever "restore" the line; what a liquidation can do is pay the claim.
* Step 1, yield right honoured first: accrued-but-undistributed yield is applied
  at face value (it is cash-like), up to the shortfall.
* Then the assets in the client's **pre-authorised order** only; an asset not in
  that order is never sold. Locked (redeeming) shares are never sold.
* Haircut-aware: one unit sold is credited at ``price x collateral factor`` (the
  haircut is the assumed worst-case forced-sale discount), so the plan covers the
  claim even if the sale only realises the haircut value. Any surplus realised
  above that goes back to the client, not to the exchange.
* Rounding: the quantity of each sale is the exact need rounded UP to the asset's
  scale (one base unit at most above the need), never more than the free
  quantity held. So the plan never sells more than needed: removing one base unit
  from the last sale would leave the shortfall uncovered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal
from enum import StrEnum

from app.domain.assets import AssetCatalogue
from app.domain.money import (
    decimal_places,
    format_decimal,
    format_usd,
    money_context,
    quantize,
    to_decimal,
    usd_display,
    usd_down,
    usd_up,
)
from app.domain.snapshot import ClientRecord

_ZERO = Decimal(0)


class WaterfallError(ValueError):
    """The waterfall cannot be planned (bad shortfall, missing price...)."""


class StepKind(StrEnum):
    """What an instruction line does."""

    APPLY_YIELD = "apply_yield"
    SELL = "sell"


@dataclass(frozen=True, slots=True)
class InstructionLine:
    """One step of a liquidation plan.

    For SELL: ``quantity`` of ``asset`` at ``price``; ``cover_usd`` is what it
    counts toward the shortfall (quantity x price x factor, exact) and
    ``expected_proceeds_usd`` the market value of the sale. For APPLY_YIELD:
    ``asset`` is None and ``cover_usd`` the yield applied.
    """

    step: int
    kind: StepKind
    asset: str | None
    quantity: Decimal | None
    price: Decimal | None
    collateral_factor: Decimal | None
    cover_usd: Decimal
    expected_proceeds_usd: Decimal
    sells_entire_position: bool = False

    def describe(self) -> str:
        """One human line, e.g. ``2. Sell 6.31443299 BTC at 97,000.00 (...)``."""
        if self.kind is StepKind.APPLY_YIELD:
            return (
                f"{self.step}. Apply accrued yield USD {format_usd(self.cover_usd)} "
                "(yield right honoured first)"
            )
        assert self.quantity is not None and self.price is not None
        factor = self.collateral_factor or _ZERO
        whole = ", entire free position" if self.sells_entire_position else ""
        return (
            f"{self.step}. Sell {format_decimal(self.quantity)} {self.asset} at "
            f"{format_usd(self.price)} (counted at {format_decimal((factor * 100).normalize())}%:"
            f" covers USD {format_usd(usd_down(self.cover_usd))}{whole})"
        )


@dataclass(frozen=True, slots=True)
class LiquidationPlan:
    """The instruction lines covering ``shortfall_usd`` for one client."""

    client_id: str
    shortfall_usd: Decimal
    lines: tuple[InstructionLine, ...]
    covered_exact_usd: Decimal

    @property
    def fully_covered(self) -> bool:
        """True when the lines cover the whole shortfall."""
        return self.covered_exact_usd >= self.shortfall_usd

    @property
    def covered_usd(self) -> Decimal:
        """Covered amount in cents, rounded DOWN."""
        return usd_down(self.covered_exact_usd)

    @property
    def uncovered_usd(self) -> Decimal:
        """What the pre-authorised path cannot raise, in cents, rounded UP."""
        return usd_up(max(_ZERO, self.shortfall_usd - self.covered_exact_usd))

    @property
    def yield_applied_usd(self) -> Decimal:
        """Accrued yield used by the plan."""
        return sum(
            (ln.cover_usd for ln in self.lines if ln.kind is StepKind.APPLY_YIELD), Decimal("0.00")
        )

    def sold(self, asset: str) -> Decimal:
        """Total quantity of ``asset`` the plan sells."""
        return sum((ln.quantity or _ZERO for ln in self.lines if ln.asset == asset), _ZERO)


def plan_liquidation(
    client: ClientRecord,
    shortfall_usd: Decimal,
    prices: Mapping[str, Decimal],
    catalogue: AssetCatalogue,
    *,
    accrued_yield_usd: Decimal = Decimal("0.00"),
    order: Sequence[str] | None = None,
    locked: Mapping[str, Decimal] | None = None,
) -> LiquidationPlan:
    """Plan the yield-first, pre-authorised, haircut-aware liquidation of ``client``.

    ``order`` overrides the client's ``liquidation_order`` (it must still be the
    client's pre-authorised order, e.g. as stored). ``locked`` adds redemption
    locks to the snapshot's own. Never raises for an uncoverable shortfall: the
    plan reports ``uncovered_usd`` instead.
    """
    shortfall = to_decimal(shortfall_usd)
    accrued = to_decimal(accrued_yield_usd)
    if shortfall < 0 or decimal_places(shortfall) > 2:
        raise WaterfallError("shortfall must be a non-negative USD amount in cents")
    if accrued < 0:
        raise WaterfallError("accrued yield must not be negative")
    sale_order = tuple(client.liquidation_order if order is None else order)
    if len(set(sale_order)) != len(sale_order):
        raise WaterfallError("the liquidation order lists an asset twice")

    lines: list[InstructionLine] = []
    covered = _ZERO
    with money_context():
        if shortfall > 0 and accrued > 0:
            applied = min(accrued, shortfall)
            covered += applied
            lines.append(
                InstructionLine(
                    step=1,
                    kind=StepKind.APPLY_YIELD,
                    asset=None,
                    quantity=None,
                    price=None,
                    collateral_factor=None,
                    cover_usd=applied,
                    expected_proceeds_usd=usd_display(applied),
                )
            )
        for symbol in sale_order:
            remaining = shortfall - covered
            if remaining <= 0:
                break
            line = _sell_line(
                client,
                symbol,
                remaining,
                prices=prices,
                catalogue=catalogue,
                locked=locked,
                step=len(lines) + 1,
            )
            if line is not None:
                covered += line.cover_usd
                lines.append(line)
    return LiquidationPlan(client.id, shortfall, tuple(lines), covered)


def _sell_line(
    client: ClientRecord,
    symbol: str,
    remaining: Decimal,
    *,
    prices: Mapping[str, Decimal],
    catalogue: AssetCatalogue,
    locked: Mapping[str, Decimal] | None,
    step: int,
) -> InstructionLine | None:
    position = client.position(symbol)
    if position is None:
        return None
    asset = catalogue.get(symbol)
    price = prices.get(symbol)
    if price is None:
        raise WaterfallError(f"no price for {symbol}")
    extra_lock = locked.get(symbol, _ZERO) if locked else _ZERO
    free = max(_ZERO, position.free_quantity - extra_lock)
    unit_cover = price * asset.collateral_factor
    if free <= 0 or unit_cover <= 0:
        return None
    need = quantize(remaining / unit_cover, asset.decimals, ROUND_UP)
    # Guard against the division's last-digit rounding: the need must truly cover.
    step_unit = Decimal(1).scaleb(-asset.decimals)
    if need * unit_cover < remaining:
        need += step_unit
    quantity = min(need, free)
    return InstructionLine(
        step=step,
        kind=StepKind.SELL,
        asset=symbol,
        quantity=quantity,
        price=price,
        collateral_factor=asset.collateral_factor,
        cover_usd=quantity * unit_cover,
        expected_proceeds_usd=usd_display(quantity * price),
        sells_entire_position=quantity == free,
    )
