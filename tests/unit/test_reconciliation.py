"""Reconciliation rules: the schedule's slots and every kind of break."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal

import pytest

from app.exchange.ledger import Ledger, LedgerLine
from app.services.reconciliation import (
    DEFAULT_TIMES,
    DeskLine,
    ReconciliationError,
    Tolerance,
    compare,
    current_slot,
    parse_times,
)

NOW = datetime(2026, 11, 26, 13, 5, tzinfo=UTC)


def ledger(*lines: LedgerLine) -> Ledger:
    return Ledger("EXCH-DEMO", "test", 7, NOW, NOW, lines)


def line(client: str, seq: int, btc: str, value: str) -> LedgerLine:
    return LedgerLine(client, seq, {"BTC": Decimal(btc)}, Decimal(value), Decimal(value),
                      Decimal(value) * 2, Decimal(0))


def desk(client: str, seq: int, btc: str, value: str) -> DeskLine:
    return DeskLine(client, seq, {"BTC": Decimal(btc)}, Decimal(value))


def test_slots_default_twice_a_day() -> None:
    assert (time(0, 0), time(12, 0)) == DEFAULT_TIMES
    assert current_slot(NOW, DEFAULT_TIMES) == "2026-11-26T12:00Z"
    assert current_slot(NOW.replace(hour=11), DEFAULT_TIMES) == "2026-11-26T00:00Z"
    assert current_slot(NOW.replace(hour=0, minute=0), DEFAULT_TIMES) == "2026-11-26T00:00Z"
    # a single late slot: before it, the slot is yesterday's
    assert current_slot(NOW.replace(hour=1), (time(18, 30),)) == "2026-11-25T18:30Z"


def test_times_are_configurable_and_checked() -> None:
    assert parse_times("06:00, 18:00") == (time(6), time(18))
    with pytest.raises(ReconciliationError):
        parse_times("6pm")
    with pytest.raises(ReconciliationError):
        parse_times(" , ")


def test_clean_when_everything_matches() -> None:
    assert compare({"a": desk("a", 3, "1.5", "100.00")}, ledger(line("a", 3, "1.5", "100.00")),
                   Tolerance()) == []


def test_every_break_kind() -> None:
    mine = {
        "only-desk": desk("only-desk", 3, "1", "10.00"),
        "qty": desk("qty", 3, "2.00000000", "10.00"),
        "value": desk("value", 3, "1", "10.00"),
        "stale": desk("stale", 2, "1", "10.00"),
    }
    theirs = ledger(
        line("only-exchange", 3, "1", "10.00"),
        line("qty", 3, "1.99999999", "10.00"),
        line("value", 3, "1", "10.02"),
        line("stale", 3, "1", "10.00"),
    )
    breaks = {(b.client_id, b.kind): b for b in compare(mine, theirs, Tolerance())}
    assert set(breaks) == {
        ("only-desk", "missing_at_exchange"), ("only-exchange", "missing_at_desk"),
        ("qty", "quantity"), ("value", "value"), ("stale", "stale_attestation"),
    }
    assert breaks[("qty", "quantity")].difference == Decimal("-0.00000001")
    assert breaks[("qty", "quantity")].asset == "BTC"
    assert breaks[("value", "value")].to_json()["difference_amount"] == "0.02"
    assert breaks[("only-desk", "missing_at_exchange")].to_json()["exchange_amount"] is None


def test_tolerance_absorbs_small_differences() -> None:
    mine = {"a": desk("a", 3, "1.0", "10.00")}
    theirs = ledger(line("a", 3, "1.00000001", "10.01"))
    assert len(compare(mine, theirs, Tolerance())) == 1  # value within 0.01, quantity not
    assert compare(mine, theirs, Tolerance(quantity=Decimal("0.0001"))) == []
