"""Redemptions: shares lock at once (no longer collateral), fiat due in 24h, overdue flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.domain.assets import AssetCatalogue
from app.domain.redemption import (
    RedemptionError,
    RedemptionState,
    cancel,
    locked_by_client,
    locked_quantities,
    overdue,
    request_redemption,
    settle,
)
from app.domain.snapshot import ClientRecord, Position, Snapshot
from app.domain.valuation import value_client, value_snapshot

CATALOGUE = AssetCatalogue.load_default()
PRICES = {"BENJI": Decimal("1.00"), "USDC": Decimal("1.00")}
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def client() -> ClientRecord:
    return ClientRecord(
        id="q1",
        name="Quant",
        net_assets_usd=Decimal("100000000"),
        dubai_entity=True,
        soc2_type2=True,
        exposure_usd=Decimal("100000000"),
        positions=(Position("BENJI", Decimal("80000000")), Position("USDC", Decimal("1000"))),
    )


def test_redeeming_locks_shares_and_they_stop_counting_at_once() -> None:
    rec = client()
    before = value_client(rec, PRICES, CATALOGUE)
    r = request_redemption("r1", rec, "BENJI", Decimal("30000000"), NOW, catalogue=CATALOGUE)
    assert r.state is RedemptionState.LOCKED
    assert r.due_at == NOW + timedelta(hours=24)
    after = value_client(rec, PRICES, CATALOGUE, locked=locked_quantities([r], "q1"))
    assert before.collateral_value_usd - after.collateral_value_usd == Decimal("29400000.00")
    # 100M exposure needs 50M of collateral; 49,000,950 is left: now in margin call.
    assert before.state.value == "healthy"
    assert after.state.value == "margin_call"
    assert after.market_value_usd == before.market_value_usd  # still held until settled


def test_locks_flow_through_value_snapshot() -> None:
    rec = client()
    snap = Snapshot(as_of=NOW, prices=PRICES, clients=(rec,))
    r = request_redemption("r1", rec, "BENJI", Decimal("1"), NOW, catalogue=CATALOGUE)
    (v,) = value_snapshot(snap, CATALOGUE, locked_by_client=locked_by_client([r]))
    assert v.collateral_value_usd == Decimal("78400000.00") - Decimal("0.98") + Decimal("950.00")


def test_settled_or_cancelled_redemptions_no_longer_lock() -> None:
    rec = client()
    r1 = request_redemption("r1", rec, "BENJI", Decimal("10"), NOW, catalogue=CATALOGUE)
    r2 = request_redemption("r2", rec, "BENJI", Decimal("5"), NOW, catalogue=CATALOGUE)
    assert locked_quantities([r1, r2], "q1") == {"BENJI": Decimal("15")}
    done = settle(r1, NOW + timedelta(hours=3), Decimal("10.00"))
    gone = cancel(r2, NOW + timedelta(hours=1))
    assert done.state is RedemptionState.SETTLED
    assert gone.state is RedemptionState.CANCELLED
    assert locked_quantities([done, gone], "q1") == {}


def test_overdue_after_24_hours_until_settled() -> None:
    r = request_redemption("r1", client(), "BENJI", Decimal("10"), NOW, catalogue=CATALOGUE)
    assert not r.is_overdue(NOW + timedelta(hours=24))
    late = NOW + timedelta(hours=24, seconds=1)
    assert r.is_overdue(late)
    assert overdue([r], late) == (r,)
    assert r.time_left(late) < timedelta(0)
    settled = settle(r, late, Decimal("10.00"))  # late fiat still settles
    assert not settled.is_overdue(late + timedelta(days=3))


def test_cannot_redeem_more_than_free_shares() -> None:
    rec = client()
    first = request_redemption("r1", rec, "BENJI", Decimal("79999999"), NOW, catalogue=CATALOGUE)
    with pytest.raises(RedemptionError, match="only 1 free"):
        request_redemption(
            "r2", rec, "BENJI", Decimal("2"), NOW, catalogue=CATALOGUE, already_locked=[first]
        )


@pytest.mark.parametrize(
    ("asset", "quantity", "words"),
    [
        ("USDC", "10", "not a fund share"),
        ("BENJI", "0", "greater than 0"),
        ("BENJI", "-1", "greater than 0"),
        ("BENJI", "0.0000001", "at most 6"),
        ("BUIDL", "1", "only 0 free"),
    ],
)
def test_bad_requests_are_refused(asset: str, quantity: str, words: str) -> None:
    with pytest.raises(RedemptionError, match=words):
        request_redemption("r", client(), asset, Decimal(quantity), NOW, catalogue=CATALOGUE)


def test_terminal_redemptions_cannot_move() -> None:
    r = request_redemption("r1", client(), "BENJI", Decimal("10"), NOW, catalogue=CATALOGUE)
    done = settle(r, NOW, Decimal("10.00"))
    with pytest.raises(RedemptionError):
        cancel(done, NOW)
    with pytest.raises(RedemptionError):
        settle(done, NOW, Decimal("10.00"))
