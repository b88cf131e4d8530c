"""Stress shocks: parsing, application, and who crosses which line."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.assets import AssetCatalogue
from app.domain.snapshot import ClientRecord, Position, Snapshot
from app.domain.stress import (
    ShockError,
    ShockKind,
    lines_crossed,
    parse_shock,
    run_stress,
    shocked_prices,
)
from app.domain.valuation import CollateralState

CATALOGUE = AssetCatalogue.load_default()
H, M, L = CollateralState.HEALTHY, CollateralState.MARGIN_CALL, CollateralState.LIQUIDATION


def rec(cid: str, btc: str, usdc: str, exposure: str) -> ClientRecord:
    return ClientRecord(
        id=cid,
        name=cid,
        net_assets_usd=Decimal("1e7"),
        dubai_entity=True,
        soc2_type2=True,
        exposure_usd=Decimal(exposure),
        positions=(Position("BTC", Decimal(btc)), Position("USDC", Decimal(usdc))),
    )


SNAP = Snapshot(
    as_of=datetime(2026, 11, 26, 9, tzinfo=UTC),
    prices={"BTC": Decimal("100000"), "USDC": Decimal("1.00")},
    clients=(
        rec("calm", "0", "1000000", "100000"),
        rec("edge", "10", "0", "1600000"),  # CV 800,000 = exactly on its line
        rec("deep", "10", "0", "1000000"),
    ),
)


def test_parse_relative_and_absolute_shocks() -> None:
    btc = parse_shock("BTC=-25%", CATALOGUE)
    assert (btc.kind, btc.value) == (ShockKind.RELATIVE, Decimal("-0.25"))
    assert btc.apply(Decimal("97000")) == Decimal("72750")
    usdc = parse_shock("USDC=0.97", CATALOGUE)
    assert (usdc.kind, usdc.value) == (ShockKind.ABSOLUTE, Decimal("0.97"))
    assert parse_shock("BTC=+10%", CATALOGUE).apply(Decimal("100")) == Decimal("110")
    assert parse_shock("BTC=-100%", CATALOGUE).apply(Decimal("100")) == 0


@pytest.mark.parametrize(
    "text", ["BTC", "BTC=", "BTC=abc", "ETH=-5%", "BTC=-101%", "USDC=-1", "BTC=1e3"]
)
def test_bad_shocks_are_refused(text: str) -> None:
    with pytest.raises(ShockError):
        parse_shock(text, CATALOGUE)


def test_shocked_prices_need_a_price() -> None:
    with pytest.raises(ShockError, match="no price"):
        shocked_prices({"BTC": Decimal(1)}, [parse_shock("USDC=0.97", CATALOGUE)])


def test_who_crosses_which_line() -> None:
    report = run_stress(
        SNAP, [parse_shock("BTC=-25%", CATALOGUE), parse_shock("USDC=0.97", CATALOGUE)], CATALOGUE
    )
    by_id = {line.client_id: line for line in report.lines}
    assert by_id["calm"].crossed == ()
    # edge: CV 600,000 vs need 800,000 (MC) and 720,000 (liq): crosses both
    assert by_id["edge"].crossed == (M, L)
    assert by_id["edge"].shortfall_usd == Decimal("200000.00")
    # deep: CV 600,000 vs need 500,000: still healthy
    assert by_id["deep"].after.state is H
    assert by_id["edge"].collateral_change_usd == Decimal("-200000.00")
    assert report.count(L) == 1
    assert report.total_shortfall_usd == Decimal("200000.00")
    assert [line.client_id for line in report.crossing] == ["edge"]


def test_lines_crossed() -> None:
    assert lines_crossed(H, H) == ()
    assert lines_crossed(H, M) == (M,)
    assert lines_crossed(M, L) == (L,)
    assert lines_crossed(L, H) == ()


@given(drop=st.integers(min_value=0, max_value=100))
def test_a_bigger_fall_never_improves_anyone(drop: int) -> None:
    mild = run_stress(SNAP, [parse_shock(f"BTC=-{drop}%", CATALOGUE)], CATALOGUE)
    worse = run_stress(SNAP, [parse_shock(f"BTC=-{min(100, drop + 5)}%", CATALOGUE)], CATALOGUE)
    for a, b in zip(mild.lines, worse.lines, strict=True):
        assert b.shortfall_usd >= a.shortfall_usd
        assert b.after.collateral_value_usd <= a.after.collateral_value_usd


def test_a_negative_price_without_percent_hints_at_the_relative_form() -> None:
    with pytest.raises(ShockError, match=r"for a relative move add % \(BTC=-25%\)"):
        parse_shock("BTC=-25", CATALOGUE)
