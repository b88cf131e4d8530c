"""Per-client valuation: market value, collateral value, credit line, ratio, state.

Definitions (docs/domain.md, "Valuation"):

* market value      = sum(quantity x price), locked shares included (still held);
* collateral value  = sum((quantity - locked) x price x collateral factor),
  rounded DOWN to cents once, on the total;
* credit line       = collateral value x leverage (pilot cap 2x), rounded DOWN;
* collateral ratio  = collateral value / exposure (None when exposure is 0);
* margin-call line  : ratio below 1 / leverage, i.e. exposure above the credit line;
* liquidation line  : ratio below ``RiskPolicy.liquidation_ratio`` (default 0.45);
* shortfall         = collateral value the client must add to be back on the
  margin-call line: max(0, exposure / leverage - collateral value), rounded UP;
* price drop to a line = the uniform fall of every price (exposure fixed) at
  which the ratio reaches that line, as a fraction (0.25 = prices may fall 25%).

Worked example of the source: 80,000,000 BENJI at 1.00 -> collateral value
78,400,000.00 -> credit line 156,800,000.00.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_UP, Decimal, localcontext
from enum import StrEnum
from typing import NamedTuple

from app.domain.assets import AssetCatalogue, RiskPolicy
from app.domain.eligibility import check_eligibility
from app.domain.money import (
    MONEY_CONTEXT,
    RATIO_SCALE,
    USD_SCALE,
    money_context,
    ratio_down,
    to_base_units,
    usd_display,
    usd_down,
    usd_up,
)
from app.domain.snapshot import ClientRecord, Snapshot

_ZERO = Decimal(0)
_ZERO_USD = Decimal("0.00")
_ONE = Decimal(1)
_CENT = Decimal(1).scaleb(-USD_SCALE)
_RATIO = Decimal(1).scaleb(-RATIO_SCALE)


class CollateralState(StrEnum):
    """Where a client stands against its lines."""

    HEALTHY = "healthy"
    MARGIN_CALL = "margin_call"
    LIQUIDATION = "liquidation"

    @property
    def label(self) -> str:
        """Human label: 'Healthy', 'Margin call', 'Liquidation'."""
        return self.value.replace("_", " ").capitalize()


class MissingPrice(KeyError):
    """A held asset has no price."""

    def __init__(self, asset: str) -> None:
        super().__init__(asset)
        self.asset = asset

    def __str__(self) -> str:
        return f"no price for {self.asset}"


class PositionValuation(NamedTuple):
    """One position valued: what it is worth and what it counts for.

    Immutable like every valuation; a named tuple rather than a frozen dataclass
    because a desk builds 250,000 of them per load and a frozen dataclass's
    ``__init__`` (one ``object.__setattr__`` per field) was a fifth of valuing a
    client (docs/performance.md).
    """

    asset: str
    quantity: Decimal
    locked_quantity: Decimal
    price: Decimal
    market_value_usd: Decimal
    collateral_factor: Decimal
    collateral_value_usd: Decimal

    @property
    def haircut(self) -> Decimal:
        """1 - collateral factor."""
        return _ONE - self.collateral_factor


class ClientValuation(NamedTuple):
    """A client's valuation against the policy's lines (USD amounts at cent scale).

    Immutable; a named tuple for the reason :class:`PositionValuation` is one.
    """

    client_id: str
    name: str
    positions: tuple[PositionValuation, ...]
    market_value_usd: Decimal
    locked_value_usd: Decimal
    collateral_value_usd: Decimal
    credit_line_usd: Decimal
    exposure_usd: Decimal
    available_credit_usd: Decimal
    collateral_ratio: Decimal | None
    state: CollateralState
    margin_call_ratio: Decimal
    liquidation_ratio: Decimal
    margin_call_collateral_usd: Decimal
    liquidation_collateral_usd: Decimal
    headroom_to_margin_call_usd: Decimal
    headroom_to_liquidation_usd: Decimal
    price_drop_to_margin_call: Decimal | None
    price_drop_to_liquidation: Decimal | None
    shortfall_usd: Decimal
    eligible: bool
    ineligible_reasons: tuple[str, ...]

    @property
    def line_standing(self) -> str:
        """``no_exposure`` when nothing is drawn, else the state's value (``healthy``…)."""
        return "no_exposure" if self.collateral_ratio is None else self.state.value

    @property
    def standing_label(self) -> str:
        """What every view (window, CLI) says of the client: ``INELIGIBLE · Healthy``."""
        line = self.line_standing.replace("_", " ").capitalize()
        return line if self.eligible else f"INELIGIBLE · {line}"

    @property
    def usable_credit_line_usd(self) -> Decimal:
        """The credit line the client can use: none while it is ineligible (no
        attestation can be prepared, so the exchange books no line from the desk)."""
        return self.credit_line_usd if self.eligible else Decimal("0.00")

    @property
    def collateral_value_cents(self) -> int:
        """Collateral value as integer cents (what proofs and statements sum)."""
        return to_base_units(self.collateral_value_usd, USD_SCALE)


def value_client(
    client: ClientRecord,
    prices: Mapping[str, Decimal],
    catalogue: AssetCatalogue,
    policy: RiskPolicy | None = None,
    locked: Mapping[str, Decimal] | None = None,
) -> ClientValuation:
    """Value one client at ``prices``.

    ``locked`` adds quantities locked by pending redemptions (per asset) to the
    snapshot's own ``locked_quantity``; locked shares never count as collateral.
    Raises MissingPrice for a held asset without a price, UnknownAsset for an
    asset not in the catalogue.
    """
    policy = policy if policy is not None else catalogue.policy
    with money_context():
        position_values: list[PositionValuation] = []
        market_total = _ZERO
        locked_total = _ZERO
        collateral_total = _ZERO
        for position in client.positions:
            asset = catalogue.get(position.asset)
            price = prices.get(position.asset)
            if price is None:
                raise MissingPrice(position.asset)
            locked_quantity = position.locked_quantity
            if locked:
                locked_quantity += locked.get(position.asset, _ZERO)
            # A lock can never exceed what is held.
            locked_quantity = min(locked_quantity, position.quantity)
            market = position.quantity * price
            locked_value = locked_quantity * price
            collateral = (position.quantity - locked_quantity) * price * asset.collateral_factor
            market_total += market
            locked_total += locked_value
            collateral_total += collateral
            position_values.append(
                PositionValuation(
                    asset=position.asset,
                    quantity=position.quantity,
                    locked_quantity=locked_quantity,
                    price=price,
                    market_value_usd=usd_display(market),
                    collateral_factor=asset.collateral_factor,
                    collateral_value_usd=usd_down(collateral),
                )
            )
        collateral_value = usd_down(collateral_total)
        return _assess(
            client,
            policy,
            tuple(position_values),
            market_value=usd_display(market_total),
            locked_value=usd_display(locked_total),
            collateral_value=collateral_value,
        )


def _assess(
    client: ClientRecord,
    policy: RiskPolicy,
    positions: tuple[PositionValuation, ...],
    *,
    market_value: Decimal,
    locked_value: Decimal,
    collateral_value: Decimal,
) -> ClientValuation:
    exposure = client.exposure_usd
    credit_line = usd_down(collateral_value * policy.leverage)
    margin_ratio = policy.margin_call_ratio
    liquidation_ratio = policy.liquidation_ratio
    # Collateral needed to sit exactly on each line, rounded UP (what we ask for).
    margin_need = usd_up(exposure / policy.leverage)
    liquidation_need = usd_up(exposure * liquidation_ratio)

    # Collateral value is a whole number of cents, so comparing it with the needs
    # rounded up to cents is the same as comparing with the exact lines.
    if collateral_value < liquidation_need:
        state = CollateralState.LIQUIDATION
    elif collateral_value < margin_need:
        state = CollateralState.MARGIN_CALL
    else:
        state = CollateralState.HEALTHY

    ratio = ratio_down(collateral_value / exposure) if exposure > 0 else None
    eligibility = check_eligibility(client, policy)
    return ClientValuation(
        client_id=client.id,
        name=client.name,
        positions=positions,
        market_value_usd=market_value,
        locked_value_usd=locked_value,
        collateral_value_usd=collateral_value,
        credit_line_usd=credit_line,
        exposure_usd=exposure,
        available_credit_usd=max(_ZERO_USD, credit_line - exposure),
        collateral_ratio=ratio,
        state=state,
        margin_call_ratio=margin_ratio,
        liquidation_ratio=liquidation_ratio,
        margin_call_collateral_usd=margin_need,
        liquidation_collateral_usd=liquidation_need,
        headroom_to_margin_call_usd=collateral_value - margin_need,
        headroom_to_liquidation_usd=collateral_value - liquidation_need,
        price_drop_to_margin_call=_price_drop(collateral_value, exposure, margin_need),
        price_drop_to_liquidation=_price_drop(collateral_value, exposure, liquidation_need),
        shortfall_usd=max(_ZERO_USD, margin_need - collateral_value),
        eligible=eligibility.eligible,
        ineligible_reasons=eligibility.messages,
    )


def _price_drop(collateral_value: Decimal, exposure: Decimal, need: Decimal) -> Decimal | None:
    """Uniform price fall (fraction) that brings collateral value down to ``need``.

    None when there is no exposure (no price fall can cross the line); 0 when the
    line is already crossed. Rounded DOWN so the desk never overstates the cushion.
    """
    if exposure <= 0:
        return None
    if collateral_value <= need or collateral_value == 0:
        return _ZERO
    return ratio_down(_ONE - need / collateral_value)


def value_snapshot(
    snapshot: Snapshot,
    catalogue: AssetCatalogue,
    policy: RiskPolicy | None = None,
    locked_by_client: Mapping[str, Mapping[str, Decimal]] | None = None,
    prices: Mapping[str, Decimal] | None = None,
) -> tuple[ClientValuation, ...]:
    """Value every client of ``snapshot`` in order (``prices`` overrides the snapshot's)."""
    effective_prices = snapshot.prices if prices is None else prices
    locks = locked_by_client or {}
    # BatchValuer: value_client's figures (tests/unit/test_valuation_batch.py).
    valuer = BatchValuer(effective_prices, catalogue, policy)
    return tuple(
        valuer.value_many(
            [
                (
                    c.id,
                    c.name,
                    c.net_assets_usd,
                    c.dubai_entity,
                    c.soc2_type2,
                    c.exposure_usd,
                    c.positions,
                    locks.get(c.id),
                )
                for c in snapshot.clients
            ]
        )
    )


ClientParts = tuple[
    str,  # client id
    str,  # name
    Decimal,  # net assets USD
    bool,  # Dubai entity
    bool,  # SOC 2 Type II
    Decimal,  # exposure USD
    Sequence[tuple[str, Decimal, Decimal]],  # positions: (asset, quantity, locked quantity)
    Mapping[str, Decimal] | None,  # quantities locked by pending redemptions, per asset
]
"""One client as :meth:`BatchValuer.value_many` takes it: a record's fields, no objects."""


def client_parts(client: ClientRecord, locked: Mapping[str, Decimal] | None = None) -> ClientParts:
    """``client`` as :data:`ClientParts`: its first seven fields (``Position`` unpacks
    as ``(asset, quantity, locked)``), then the quantities ``locked`` by redemptions."""
    return (*client[:7], locked)


class BatchValuer:
    """:func:`value_client` for many clients at one set of prices, in a tight loop.

    The same rules, the same operations in the same order, the same context
    (:data:`~app.domain.money.MONEY_CONTEXT`) and the same roundings, so every
    figure is identical to :func:`value_client`'s, down to the Decimal exponent
    (``tests/unit/test_valuation_batch.py`` compares the two on generated desks).
    What it saves is per-client overhead, not arithmetic: each asset's price and
    collateral factor are looked up once per batch, the policy's lines computed
    once, the context is entered once per :meth:`value_many` call instead of once
    per client, quantize is called directly, ``min``/``max`` are plain
    comparisons (same winner on ties), and the eligibility messages are only built
    for a client that fails a rule.

    :meth:`value_many` takes each client's fields as plain values
    (:data:`ClientParts`, which :func:`client_parts` makes of a record and its
    locks) and unpacks them in its loop. Prices and catalogue
    are read as they are when first needed, once per asset: a batch is one set of
    prices. Raises what :func:`value_client` raises (UnknownAsset, MissingPrice)
    for the same inputs.
    """

    def __init__(
        self,
        prices: Mapping[str, Decimal],
        catalogue: AssetCatalogue,
        policy: RiskPolicy | None = None,
    ) -> None:
        self._prices = prices
        self._catalogue = catalogue
        self._policy = policy if policy is not None else catalogue.policy
        self._ctx = MONEY_CONTEXT.copy()  # flags set here stay private to this valuer
        self._assets: dict[str, tuple[Decimal, Decimal]] = {}  # asset -> (price, factor)
        self._leverage = self._policy.leverage
        with money_context():  # 1 / leverage, at the precision value_client computes it
            self._margin_ratio = self._policy.margin_call_ratio
        self._liquidation_ratio = self._policy.liquidation_ratio
        self._min_net_assets = self._policy.min_net_assets_usd

    @property
    def policy(self) -> RiskPolicy:
        return self._policy

    def _asset(self, symbol: str) -> tuple[Decimal, Decimal]:
        asset = self._catalogue.get(symbol)  # UnknownAsset first, as value_client
        price = self._prices.get(symbol)
        if price is None:
            raise MissingPrice(symbol)
        entry = self._assets[symbol] = (price, asset.collateral_factor)
        return entry

    def value(
        self, client: ClientRecord, locked: Mapping[str, Decimal] | None = None
    ) -> ClientValuation:
        """The valuation :func:`value_client` gives ``client`` at this batch's prices."""
        return self.value_many([client_parts(client, locked)])[0]

    def value_many(self, clients: Iterable[ClientParts]) -> list[ClientValuation]:
        """Value each client given as fields (:data:`ClientParts`), in order.

        One pass under the batch's context (entered once per call, left before
        returning: a caller streaming a desk values it in chunks).
        """
        assets = self._assets
        leverage = self._leverage
        margin_ratio = self._margin_ratio
        liquidation_ratio = self._liquidation_ratio
        min_net_assets = self._min_net_assets
        quantize = Decimal.quantize
        healthy = CollateralState.HEALTHY
        margin_call = CollateralState.MARGIN_CALL
        liquidation = CollateralState.LIQUIDATION
        result: list[ClientValuation] = []
        append = result.append
        # A named tuple's own __new__ is a Python function that calls this with its
        # arguments as a tuple; calling it directly saves a frame per object.
        new = tuple.__new__
        with localcontext(self._ctx) as ctx:
            for client_id, name, net_assets, dubai, soc2, exposure, positions, locked in clients:
                position_values: list[PositionValuation] = []
                market_total = _ZERO
                locked_total = _ZERO
                collateral_total = _ZERO
                for symbol, quantity, own_locked in positions:
                    entry = assets.get(symbol)
                    if entry is None:
                        entry = self._asset(symbol)
                    price, factor = entry
                    locked_quantity = own_locked
                    if locked:
                        locked_quantity += locked.get(symbol, _ZERO)
                    # min() as a comparison (a builtin call costs ~4 operators here):
                    # a lock never exceeds the holding.
                    if quantity < locked_quantity:  # noqa: PLR1730
                        locked_quantity = quantity
                    market = quantity * price
                    collateral = (quantity - locked_quantity) * price * factor
                    market_total += market
                    locked_total += locked_quantity * price
                    collateral_total += collateral
                    position_values.append(
                        new(
                            PositionValuation,
                            (
                                symbol,
                                quantity,
                                locked_quantity,
                                price,
                                quantize(market, _CENT, ROUND_HALF_EVEN, ctx),
                                factor,
                                quantize(collateral, _CENT, ROUND_DOWN, ctx),
                            ),
                        )
                    )
                collateral_value = quantize(collateral_total, _CENT, ROUND_DOWN, ctx)
                # _assess, with the policy's constants hoisted out of the loop.
                credit_line = quantize(collateral_value * leverage, _CENT, ROUND_DOWN, ctx)
                margin_need = quantize(exposure / leverage, _CENT, ROUND_UP, ctx)
                liquidation_need = quantize(
                    exposure * liquidation_ratio, _CENT, ROUND_UP, ctx
                )
                if collateral_value < liquidation_need:
                    state = liquidation
                elif collateral_value < margin_need:
                    state = margin_call
                else:
                    state = healthy
                ratio: Decimal | None
                reasons: tuple[str, ...]
                drop_margin: Decimal | None
                drop_liquidation: Decimal | None
                if exposure > 0:  # _price_drop's rules, for a client with exposure
                    ratio = quantize(collateral_value / exposure, _RATIO, ROUND_DOWN, ctx)
                    if collateral_value <= margin_need or collateral_value == 0:
                        drop_margin = _ZERO
                    else:
                        drop_margin = quantize(
                            _ONE - margin_need / collateral_value, _RATIO, ROUND_DOWN, ctx
                        )
                    if collateral_value <= liquidation_need or collateral_value == 0:
                        drop_liquidation = _ZERO
                    else:
                        drop_liquidation = quantize(
                            _ONE - liquidation_need / collateral_value, _RATIO, ROUND_DOWN, ctx
                        )
                else:
                    ratio = drop_margin = drop_liquidation = None
                if net_assets >= min_net_assets and dubai and soc2:
                    eligible, reasons = True, ()
                else:
                    record = ClientRecord(client_id, name, net_assets, dubai, soc2, exposure, ())
                    eligibility = check_eligibility(record, self._policy)
                    eligible, reasons = eligibility.eligible, eligibility.messages
                available = credit_line - exposure
                shortfall = margin_need - collateral_value
                append(
                    new(
                        ClientValuation,
                        (
                            client_id,
                            name,
                            tuple(position_values),
                            quantize(market_total, _CENT, ROUND_HALF_EVEN, ctx),
                            quantize(locked_total, _CENT, ROUND_HALF_EVEN, ctx),
                            collateral_value,
                            credit_line,
                            exposure,
                            available if available > _ZERO_USD else _ZERO_USD,  # max()
                            ratio,
                            state,
                            margin_ratio,
                            liquidation_ratio,
                            margin_need,
                            liquidation_need,
                            collateral_value - margin_need,
                            collateral_value - liquidation_need,
                            drop_margin,
                            drop_liquidation,
                            shortfall if shortfall > _ZERO_USD else _ZERO_USD,  # max()
                            eligible,
                            reasons,
                        ),
                    )
                )
        return result




@dataclass(frozen=True, slots=True)
class PortfolioTotals:
    """Desk-wide sums over a set of valuations."""

    clients: int
    market_value_usd: Decimal
    collateral_value_usd: Decimal
    credit_line_usd: Decimal
    exposure_usd: Decimal
    shortfall_usd: Decimal
    by_state: Mapping[CollateralState, int]


def totals(valuations: Sequence[ClientValuation]) -> PortfolioTotals:
    """Sum a set of valuations (cent amounts add exactly)."""
    by_state = dict.fromkeys(CollateralState, 0)
    for item in valuations:
        by_state[item.state] += 1
    return PortfolioTotals(
        clients=len(valuations),
        market_value_usd=sum((v.market_value_usd for v in valuations), _ZERO),
        collateral_value_usd=sum((v.collateral_value_usd for v in valuations), _ZERO),
        credit_line_usd=sum((v.credit_line_usd for v in valuations), _ZERO),
        exposure_usd=sum((v.exposure_usd for v in valuations), _ZERO),
        shortfall_usd=sum((v.shortfall_usd for v in valuations), _ZERO),
        by_state=by_state,
    )
