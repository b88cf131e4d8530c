"""Valuation: the source's worked example, the lines, distances and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.assets import AssetCatalogue, RiskPolicy
from app.domain.money import format_decimal
from app.domain.snapshot import ClientRecord, Position, load_snapshot
from app.domain.valuation import (
    CollateralState,
    MissingPrice,
    totals,
    value_client,
    value_snapshot,
)
from app.resources_path import resource_path

CATALOGUE = AssetCatalogue.load_default()
PRICES = {"BENJI": Decimal("1.00"), "USDC": Decimal("1.00"), "BTC": Decimal("97000.00")}


def client(
    positions: list[tuple[str, str]] | list[tuple[str, str, str]],
    exposure: str = "0",
    net_assets: str = "10000000",
) -> ClientRecord:
    built = tuple(
        Position(p[0], Decimal(p[1]), Decimal(p[2]) if len(p) > 2 else Decimal(0))  # type: ignore[misc]
        for p in positions
    )
    return ClientRecord(
        id="c1",
        name="Client One",
        net_assets_usd=Decimal(net_assets),
        dubai_entity=True,
        soc2_type2=True,
        exposure_usd=Decimal(exposure),
        positions=built,
    )


def test_source_worked_example_holds_exactly() -> None:
    v = value_client(client([("BENJI", "80000000")]), PRICES, CATALOGUE)
    assert format_decimal(v.market_value_usd) == "80000000.00"
    assert format_decimal(v.collateral_value_usd) == "78400000.00"
    assert format_decimal(v.credit_line_usd) == "156800000.00"
    assert v.collateral_value_cents == 7_840_000_000
    assert v.state is CollateralState.HEALTHY
    assert v.collateral_ratio is None  # no exposure: no ratio, no line to cross
    assert v.price_drop_to_margin_call is None


def test_default_factors_are_the_documented_ones() -> None:
    assert CATALOGUE.get("BENJI").collateral_factor == Decimal("0.98")
    assert CATALOGUE.get("USDC").collateral_factor == Decimal("0.95")
    assert CATALOGUE.get("BTC").collateral_factor == Decimal("0.80")
    assert CATALOGUE.get("BUIDL").collateral_factor == Decimal("0.97")


def test_mixed_holding_with_haircuts() -> None:
    v = value_client(
        client([("BTC", "1.5"), ("USDC", "1000.000001")], exposure="100000"), PRICES, CATALOGUE
    )
    # 1.5 x 97,000 = 145,500 ; 1,000.000001 USDC
    assert v.market_value_usd == Decimal("146500.00")
    # 145,500 x 0.80 + 1,000.000001 x 0.95 = 116,400 + 950.00000095 -> down to cents
    assert v.collateral_value_usd == Decimal("117350.00")
    assert v.credit_line_usd == Decimal("234700.00")
    assert v.collateral_ratio == Decimal("1.173500")
    assert v.available_credit_usd == Decimal("134700.00")


def test_margin_call_when_exposure_exceeds_credit_line() -> None:
    # CV = 10,000,000 x 0.95 = 9,500,000 ; credit line 19,000,000
    on_line = value_client(client([("USDC", "10000000")], exposure="19000000"), PRICES, CATALOGUE)
    assert on_line.state is CollateralState.HEALTHY
    assert on_line.shortfall_usd == 0
    assert on_line.price_drop_to_margin_call == 0
    over = value_client(client([("USDC", "10000000")], exposure="19000000.01"), PRICES, CATALOGUE)
    assert over.state is CollateralState.MARGIN_CALL
    assert over.shortfall_usd == Decimal("0.01")  # 9,500,000.005 rounded UP
    assert over.collateral_ratio == Decimal("0.499999")  # rounded DOWN, never flattering


def test_liquidation_below_the_liquidation_line() -> None:
    # CV 9,500,000 ; liquidation when CV < exposure x 0.45 -> exposure > 21,111,111.11
    at = value_client(client([("USDC", "10000000")], exposure="21111111.11"), PRICES, CATALOGUE)
    assert at.state is CollateralState.MARGIN_CALL
    past = value_client(client([("USDC", "10000000")], exposure="21111111.12"), PRICES, CATALOGUE)
    assert past.state is CollateralState.LIQUIDATION
    assert past.shortfall_usd == Decimal("1055555.56")  # 21,111,111.12 / 2 - 9,500,000
    assert past.headroom_to_liquidation_usd < 0


def test_distance_to_lines_is_the_uniform_price_fall() -> None:
    # CV 78,400,000 ; exposure 120,000,000 -> margin line needs 60,000,000
    v = value_client(client([("BENJI", "80000000")], exposure="120000000"), PRICES, CATALOGUE)
    assert v.margin_call_collateral_usd == Decimal("60000000.00")
    assert v.headroom_to_margin_call_usd == Decimal("18400000.00")
    assert v.price_drop_to_margin_call == Decimal("0.234693")  # 1 - 60/78.4
    assert v.price_drop_to_liquidation == Decimal("0.311224")  # 1 - 54/78.4
    # Apply exactly that fall (rounded up a hair) and the client is in margin call.
    fallen = {"BENJI": Decimal("1.00") * (1 - Decimal("0.234694"))}
    assert (
        value_client(client([("BENJI", "80000000")], exposure="120000000"), fallen, CATALOGUE).state
        is CollateralState.MARGIN_CALL
    )


def test_locked_redemption_shares_do_not_count_as_collateral() -> None:
    rec = client([("BENJI", "10000000", "2000000")], exposure="1")
    v = value_client(rec, PRICES, CATALOGUE)
    assert v.market_value_usd == Decimal("10000000.00")
    assert v.locked_value_usd == Decimal("2000000.00")
    assert v.collateral_value_usd == Decimal("7840000.00")
    # A lock passed in (pending redemption in the store) adds to the snapshot's own.
    more = value_client(rec, PRICES, CATALOGUE, locked={"BENJI": Decimal("1000000")})
    assert more.collateral_value_usd == Decimal("6860000.00")
    # A lock bigger than the holding clamps to the holding.
    all_locked = value_client(rec, PRICES, CATALOGUE, locked={"BENJI": Decimal("99000000")})
    assert all_locked.collateral_value_usd == 0


def test_zero_collateral_with_exposure_is_liquidation() -> None:
    v = value_client(client([], exposure="1.00"), PRICES, CATALOGUE)
    assert v.state is CollateralState.LIQUIDATION
    assert v.collateral_ratio == 0
    assert v.price_drop_to_margin_call == 0
    assert v.shortfall_usd == Decimal("0.50")


def test_missing_price_is_a_typed_error() -> None:
    with pytest.raises(MissingPrice, match="BUIDL"):
        value_client(client([("BUIDL", "1")]), PRICES, CATALOGUE)


def test_policy_leverage_is_capped_at_two() -> None:
    from app.domain.assets import ConfigError

    with pytest.raises(ConfigError):
        RiskPolicy(leverage=Decimal("2.5"))
    lower = RiskPolicy(leverage=Decimal("1.5"), liquidation_ratio=Decimal("0.6"))
    v = value_client(client([("BENJI", "80000000")]), PRICES, CATALOGUE, policy=lower)
    assert v.credit_line_usd == Decimal("117600000.00")


def test_demo_snapshot_covers_each_state_of_the_brief() -> None:
    snap = load_snapshot(resource_path("demo", "snapshot.json"), CATALOGUE)
    by_id = {v.client_id: v for v in value_snapshot(snap, CATALOGUE)}
    assert by_id["alnoor-quant"].credit_line_usd == Decimal("156800000.00")
    assert not by_id["creekside-digital"].eligible
    assert by_id["palm-harbour"].state is CollateralState.HEALTHY
    assert by_id["palm-harbour"].price_drop_to_margin_call is not None
    assert by_id["palm-harbour"].price_drop_to_margin_call < Decimal("0.10")
    assert by_id["sandstone-arb"].state is CollateralState.MARGIN_CALL
    summary = totals(list(by_id.values()))
    assert summary.clients == len(by_id)
    assert summary.by_state[CollateralState.MARGIN_CALL] == 1


amounts = st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False)
prices = st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2)


@given(
    quantity=amounts,
    low=prices,
    high=prices,
    exposure=st.decimals(min_value=0, max_value=10**10, places=2),
)
def test_valuation_is_monotone_in_price(
    quantity: Decimal, low: Decimal, high: Decimal, exposure: Decimal
) -> None:
    low, high = min(low, high), max(low, high)
    rec = client([("BTC", f"{quantity:f}"), ("USDC", "1000")], exposure=f"{exposure:f}")
    a = value_client(rec, {**PRICES, "BTC": low}, CATALOGUE)
    b = value_client(rec, {**PRICES, "BTC": high}, CATALOGUE)
    assert a.collateral_value_usd <= b.collateral_value_usd
    assert a.credit_line_usd <= b.credit_line_usd
    assert a.shortfall_usd >= b.shortfall_usd
    severity = list(CollateralState)
    assert severity.index(a.state) >= severity.index(b.state)


@given(
    quantity=amounts, price=prices, exposure=st.decimals(min_value=0, max_value=10**10, places=2)
)
def test_credit_line_is_twice_collateral_value_and_states_agree(
    quantity: Decimal, price: Decimal, exposure: Decimal
) -> None:
    rec = client([("BENJI", f"{quantity:f}")], exposure=f"{exposure:f}")
    v = value_client(rec, {"BENJI": price}, CATALOGUE)
    assert v.credit_line_usd == 2 * v.collateral_value_usd
    assert v.collateral_value_usd <= quantity * price * Decimal("0.98")
    assert quantity * price * Decimal("0.98") - v.collateral_value_usd < Decimal("0.01")
    assert (v.state is CollateralState.HEALTHY) == (v.exposure_usd <= v.credit_line_usd)
    assert (v.shortfall_usd > 0) == (v.state is not CollateralState.HEALTHY)
    # Topping up exactly the shortfall restores the margin-call line.
    assert v.collateral_value_usd + v.shortfall_usd >= v.exposure_usd / 2
