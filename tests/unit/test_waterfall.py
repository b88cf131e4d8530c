"""Liquidation waterfall: yield first, pre-authorised order, haircut-aware, never over-sells."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.assets import AssetCatalogue
from app.domain.snapshot import ClientRecord, Position
from app.domain.waterfall import StepKind, WaterfallError, plan_liquidation

CATALOGUE = AssetCatalogue.load_default()
PRICES = {"BENJI": Decimal("1.00"), "USDC": Decimal("1.00"), "BTC": Decimal("97000.00")}


def client(
    btc: str = "150",
    usdc: str = "5000000",
    benji: str = "0",
    order: tuple[str, ...] = ("USDC", "BTC"),
    benji_locked: str = "0",
) -> ClientRecord:
    return ClientRecord(
        id="sandstone",
        name="Sandstone",
        net_assets_usd=Decimal("3.8e7"),
        dubai_entity=True,
        soc2_type2=True,
        exposure_usd=Decimal("34000000"),
        positions=(
            Position("BTC", Decimal(btc)),
            Position("USDC", Decimal(usdc)),
            Position("BENJI", Decimal(benji), Decimal(benji_locked)),
        ),
        liquidation_order=order,
    )


def test_yield_first_then_assets_in_order_with_haircuts() -> None:
    plan = plan_liquidation(
        client(), Decimal("6000000.00"), PRICES, CATALOGUE, accrued_yield_usd=Decimal("1234.56")
    )
    kinds = [(line.kind, line.asset) for line in plan.lines]
    assert kinds == [(StepKind.APPLY_YIELD, None), (StepKind.SELL, "USDC"), (StepKind.SELL, "BTC")]
    assert plan.lines[0].cover_usd == Decimal("1234.56")
    usdc = plan.lines[1]
    assert usdc.quantity == Decimal("5000000") and usdc.sells_entire_position
    assert usdc.cover_usd == Decimal("4750000.00")  # counted at 95%
    btc = plan.lines[2]
    # remaining 1,248,765.44 / (97,000 x 0.80) = 16.0923381443... -> UP to 8 dp
    assert btc.quantity == Decimal("16.09233815")
    assert btc.expected_proceeds_usd == Decimal("1560956.80")
    assert plan.fully_covered
    assert plan.covered_usd == Decimal("6000000.00")
    assert plan.uncovered_usd == 0
    assert "Sell 16.09233815 BTC at 97,000.00 (counted at 80%" in btc.describe()
    assert "yield right honoured first" in plan.lines[0].describe()


def test_yield_alone_covers_a_small_shortfall() -> None:
    plan = plan_liquidation(
        client(), Decimal("100.00"), PRICES, CATALOGUE, accrued_yield_usd=Decimal("500.00")
    )
    assert len(plan.lines) == 1
    assert plan.yield_applied_usd == Decimal("100.00")
    assert plan.sold("BTC") == 0


def test_assets_outside_the_pre_authorised_order_are_never_sold() -> None:
    plan = plan_liquidation(client(order=("BTC",)), Decimal("20000000.00"), PRICES, CATALOGUE)
    assert plan.sold("USDC") == 0
    assert plan.sold("BTC") == Decimal("150")
    assert not plan.fully_covered
    assert plan.uncovered_usd == Decimal("8360000.00")  # 20M - 150 x 77,600


def test_locked_redemption_shares_are_never_sold() -> None:
    rec = client(benji="1000", benji_locked="400", order=("BENJI",))
    plan = plan_liquidation(rec, Decimal("10000.00"), PRICES, CATALOGUE)
    assert plan.sold("BENJI") == Decimal("600")
    plan2 = plan_liquidation(
        rec, Decimal("10000.00"), PRICES, CATALOGUE, locked={"BENJI": Decimal("100")}
    )
    assert plan2.sold("BENJI") == Decimal("500")


def test_zero_shortfall_plans_nothing() -> None:
    plan = plan_liquidation(client(), Decimal("0"), PRICES, CATALOGUE, accrued_yield_usd=Decimal(5))
    assert plan.lines == ()
    assert plan.fully_covered


@pytest.mark.parametrize("shortfall", ["-1", "1.001"])
def test_bad_shortfall_is_refused(shortfall: str) -> None:
    with pytest.raises(WaterfallError):
        plan_liquidation(client(), Decimal(shortfall), PRICES, CATALOGUE)


def test_order_listing_an_asset_twice_is_refused() -> None:
    with pytest.raises(WaterfallError, match="twice"):
        plan_liquidation(client(), Decimal(1), PRICES, CATALOGUE, order=("BTC", "BTC"))


@given(
    btc=st.decimals(min_value=0, max_value=500, places=8),
    usdc=st.decimals(min_value=0, max_value=10**8, places=6),
    benji=st.decimals(min_value=0, max_value=10**8, places=6),
    btc_price=st.decimals(min_value=Decimal("0.01"), max_value=200000, places=2),
    accrued=st.decimals(min_value=0, max_value=10**6, places=2),
    shortfall=st.decimals(min_value=0, max_value=10**9, places=2),
    order=st.permutations(["BTC", "USDC", "BENJI"]),
)
def test_waterfall_properties(
    btc: Decimal,
    usdc: Decimal,
    benji: Decimal,
    btc_price: Decimal,
    accrued: Decimal,
    shortfall: Decimal,
    order: list[str],
) -> None:
    rec = client(f"{btc:f}", f"{usdc:f}", f"{benji:f}", tuple(order[:2]))
    prices = {**PRICES, "BTC": btc_price}
    plan = plan_liquidation(rec, shortfall, prices, CATALOGUE, accrued_yield_usd=accrued)
    held = {"BTC": btc, "USDC": usdc, "BENJI": benji}
    factor = {a.symbol: a.collateral_factor for a in CATALOGUE}

    # Yield first, and never more yield than the shortfall.
    yield_lines = [ln for ln in plan.lines if ln.kind is StepKind.APPLY_YIELD]
    if shortfall > 0 and accrued > 0:
        assert plan.lines[0].kind is StepKind.APPLY_YIELD
        assert plan.lines[0].cover_usd == min(accrued, shortfall)
    else:
        assert yield_lines == []
    sells = [ln for ln in plan.lines if ln.kind is StepKind.SELL]
    # Only pre-authorised assets, in that order; never more than held.
    assert [ln.asset for ln in sells] == [a for a in order[:2] if a in {ln.asset for ln in sells}]
    for ln in sells:
        assert ln.asset is not None and ln.quantity is not None
        assert 0 < ln.quantity <= held[ln.asset]
    assert plan.sold(order[2]) == 0

    available = min(accrued, shortfall) + sum(
        (held[a] * prices[a] * factor[a] for a in order[:2]), Decimal(0)
    )
    if available >= shortfall:
        # Covers exactly when possible ...
        assert plan.fully_covered
        assert plan.covered_exact_usd >= shortfall
        # ... and never sells more than needed: one base unit less from the last
        # sale would leave the shortfall uncovered.
        if sells:
            last = sells[-1]
            assert last.asset is not None and last.quantity is not None and last.price is not None
            unit = Decimal(1).scaleb(-CATALOGUE.get(last.asset).decimals)
            one_less = plan.covered_exact_usd - unit * last.price * factor[last.asset]
            assert one_less < shortfall
            for ln in sells[:-1]:
                assert ln.sells_entire_position
    else:
        assert not plan.fully_covered
        assert plan.uncovered_usd > 0
        for ln in sells:
            assert ln.sells_entire_position
