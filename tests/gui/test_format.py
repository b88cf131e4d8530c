"""How figures look on the desk: Decimal in, text out, never float."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from app.ui import format as fmt


def test_usd_has_cents_and_separators_and_rounds_half_even() -> None:
    assert fmt.usd(Decimal("156800000")) == "156,800,000.00"
    assert fmt.usd(Decimal("0.125")) == "0.12"
    assert fmt.usd(Decimal("0.135")) == "0.14"
    assert fmt.usd(None) == "—"


def test_quantity_keeps_the_asset_scale_and_at_least_two_places() -> None:
    assert fmt.quantity(Decimal("1200.00000000")) == "1,200.00"
    assert fmt.quantity(Decimal("16.10824743")) == "16.10824743"
    assert fmt.quantity(Decimal("80000000")) == "80,000,000.00"


def test_percent_and_ratio() -> None:
    assert fmt.percent(Decimal("0.98")) == "98.00%"
    assert fmt.ratio(Decimal("1.306666")) == "130.67%"
    assert fmt.percent(None) == "—"


def test_countdown_before_and_after_the_deadline() -> None:
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert fmt.countdown(now + timedelta(hours=3, minutes=4, seconds=12), now) == "3h 04m 12s"
    assert fmt.countdown(now - timedelta(minutes=1, seconds=5), now) == "−0h 01m 05s"


def test_utc_and_short_hex() -> None:
    assert fmt.utc(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)) == "2026-11-26 09:00:00 UTC"
    assert fmt.short_hex("ab" * 32, 4) == "abab…abab"
