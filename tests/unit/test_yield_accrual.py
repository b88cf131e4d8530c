"""MMF yield: ACT/365 daily accrual, 08:00 UTC distribution, undistributed per client."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.assets import AssetCatalogue
from app.domain.snapshot import ClientRecord, Position
from app.domain.yield_accrual import (
    DailyRecord,
    accrue,
    accrued_by_client,
    accrued_yield,
    daily_yield,
    last_scheduled_distribution,
    next_distribution,
    undistributed_days,
)

CATALOGUE = AssetCatalogue.load_default()
PRICES = {"BENJI": Decimal("1.00"), "BTC": Decimal("97000"), "USDC": Decimal("1.00")}


def holder(benji: str = "80000000") -> ClientRecord:
    return ClientRecord(
        id="q1",
        name="Quant",
        net_assets_usd=Decimal("1e8"),
        dubai_entity=True,
        soc2_type2=True,
        exposure_usd=Decimal(0),
        positions=(Position("BENJI", Decimal(benji)), Position("BTC", Decimal("10"))),
    )


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_one_day_of_80m_benji_at_5_percent_act_365() -> None:
    exact = daily_yield(Decimal("80000000"), Decimal("1.00"), Decimal("0.05"))
    # Kept exact (60 significant digits), not rounded per day.
    assert str(exact).startswith("10958.904109589041095890410958904109")
    # Between midnight and 08:00 one booked day is waiting for distribution.
    result = accrued_yield(holder(), PRICES, CATALOGUE, at(26, 7, 59))
    assert result.accrued_usd == Decimal("10958.90")  # 10,958.9041... rounded DOWN
    assert [a.asset for a in result.assets] == ["BENJI"]  # BTC earns nothing
    assert result.assets[0].days == (date(2026, 11, 25),)


def test_distribution_at_0800_utc_pays_out_the_accrual() -> None:
    assert accrued_yield(holder(), PRICES, CATALOGUE, at(26, 8, 0)).accrued_usd == 0
    assert accrued_yield(holder(), PRICES, CATALOGUE, at(26, 23, 59)).accrued_usd == 0
    result = accrued_yield(holder(), PRICES, CATALOGUE, at(26, 8, 0))
    assert result.next_distribution_at == at(27, 8, 0)
    assert result.last_distribution_at == at(26, 8, 0)


def test_missed_distributions_keep_accumulating() -> None:
    result = accrued_yield(
        holder(), PRICES, CATALOGUE, at(26, 12, 0), last_distribution_at=at(23, 8, 0)
    )
    assert result.assets[0].days == (date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25))
    assert result.accrued_usd == Decimal("32876.71")  # 3 x 10,958.904109... down


def test_schedule_helpers() -> None:
    assert last_scheduled_distribution(at(26, 7, 59)) == at(25, 8, 0)
    assert last_scheduled_distribution(at(26, 8, 0)) == at(26, 8, 0)
    assert next_distribution(at(26, 8, 0)) == at(27, 8, 0)
    assert undistributed_days(at(25, 8, 0), at(25, 23, 59)) == ()
    assert undistributed_days(at(25, 8, 0), at(26, 0, 0)) == (date(2026, 11, 25),)


def test_leap_year_still_divides_by_365() -> None:
    records = [
        DailyRecord(date(2028, 1, 1) + timedelta(days=i), Decimal("365000"), Decimal("1"))
        for i in range(366)
    ]
    # ACT/365 Fixed: a 366-day year pays 366/365 of the annual rate.
    assert accrue(records, Decimal("0.05")) == Decimal("18300.00")


def test_holding_that_changes_day_by_day() -> None:
    records = [
        DailyRecord(date(2026, 11, 1), Decimal("365000"), Decimal("1.00")),
        DailyRecord(date(2026, 11, 2), Decimal("730000"), Decimal("1.00")),
    ]
    assert accrue(records, Decimal("0.05")) == Decimal("150.00")
    with pytest.raises(ValueError, match="two holdings"):
        accrue([records[0], records[0]], Decimal("0.05"))


def test_float_is_refused() -> None:
    with pytest.raises(TypeError):
        daily_yield(80000000.0, Decimal(1), Decimal("0.05"))  # type: ignore[arg-type]


@given(
    quantity=st.decimals(min_value=0, max_value=10**10, places=6),
    days=st.integers(min_value=0, max_value=40),
)
def test_accrual_is_linear_in_days_and_never_overstated(quantity: Decimal, days: int) -> None:
    client = holder(f"{quantity:f}")
    now = at(26, 7, 0)
    result = accrued_yield(
        client, PRICES, CATALOGUE, now, last_distribution_at=now - timedelta(days=days)
    )
    exact = quantity * Decimal("0.05") / 365 * len(result.assets[0].days)
    assert result.accrued_usd <= exact
    assert exact - result.accrued_usd < Decimal("0.01")
    assert len(result.assets[0].days) in (days, days + 1)


def _desk(seed: int) -> list[ClientRecord]:
    rng = random.Random(seed)
    clients = []
    for n in range(300):
        positions = tuple(
            Position(asset, Decimal(rng.randrange(0, 10**12)).scaleb(-rng.randrange(7)))
            for asset in rng.sample(["BENJI", "BTC", "USDC", "BUIDL", "DOGE"], rng.randrange(4))
        )
        clients.append(ClientRecord(f"c{n}", "C", Decimal(1), True, True, Decimal(0), positions))
    return clients


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 11, 26, 3, 0, tzinfo=UTC),  # one booked day, not yet distributed
        datetime(2026, 11, 26, 8, 0, tzinfo=UTC),  # distribution instant: nothing accrued
        datetime(2026, 11, 26, 23, 59, 59, tzinfo=UTC),
        datetime(2026, 11, 27, 0, 0, tzinfo=UTC),
    ],
)
def test_desk_wide_accrual_is_each_clients_accrued_yield(now: datetime) -> None:
    """The window's batch gives accrued_yield's figures; clients it refuses are left out."""
    clients = _desk(int(now.timestamp()))
    prices = dict(PRICES, BENJI=Decimal("1.00012345"))  # no BUIDL price: those are refused
    expected: dict[str, dict[str, Decimal]] = {}
    for client in clients:
        try:
            found = accrued_yield(client, prices, CATALOGUE, now)
        except KeyError:
            continue
        expected[client.id] = {a.asset: a.accrued_usd for a in found.assets}
    got = accrued_by_client(clients, prices, CATALOGUE, now)
    assert got == expected
    assert repr(got) == repr(expected)  # same exponents
    assert len(got) < len(clients)  # the refused ones (DOGE: not in the catalogue) are out
    assert any(v for v in got.values())
