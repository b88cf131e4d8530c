"""Settlement limit: at most 2 attestations per client per UTC day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.assets import RiskPolicy
from app.domain.settlement import (
    SettlementLimitReached,
    ensure_settlement_slot,
    ensure_settlement_slots,
    settlement_slots,
)
from app.domain.utc import NaiveTime

NOW = datetime(2026, 11, 26, 15, 30, tzinfo=UTC)


def test_two_attestations_fill_the_day() -> None:
    history = [datetime(2026, 11, 26, 0, 5, tzinfo=UTC), datetime(2026, 11, 26, 9, 0, tzinfo=UTC)]
    with pytest.raises(SettlementLimitReached) as info:
        ensure_settlement_slot("alnoor", history, NOW)
    error = info.value
    assert error.client_id == "alnoor"
    assert error.next_slot_at == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    assert "2026-11-27 00:00 UTC" in str(error)


def test_yesterdays_attestations_do_not_count() -> None:
    history = [datetime(2026, 11, 25, 23, 59, 59, tzinfo=UTC)] * 5 + [
        datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    ]
    slots = ensure_settlement_slot("alnoor", history, NOW)
    assert slots.used == 1
    assert slots.remaining == 1


def test_day_boundary_is_utc_not_local() -> None:
    dubai = timezone(timedelta(hours=4))
    # 02:00 in Dubai on the 27th is 22:00 UTC on the 26th: same UTC day as NOW.
    history = [datetime(2026, 11, 27, 2, 0, tzinfo=dubai), datetime(2026, 11, 26, 8, 0, tzinfo=UTC)]
    assert settlement_slots("c", history, NOW).remaining == 0


def test_limit_is_configurable() -> None:
    history = [NOW - timedelta(minutes=m) for m in (1, 2)]
    policy = RiskPolicy(settlements_per_utc_day=3)
    assert ensure_settlement_slot("c", history, NOW, policy).remaining == 1


def test_every_client_of_one_attestation_is_checked() -> None:
    history = {"a": [NOW], "b": [NOW, NOW]}
    with pytest.raises(SettlementLimitReached) as info:
        ensure_settlement_slots(history, ["a", "b", "c"], NOW)
    assert info.value.client_id == "b"
    ensure_settlement_slots(history, ["a", "c"], NOW)


def test_naive_times_are_refused() -> None:
    with pytest.raises(NaiveTime):
        settlement_slots("c", [], datetime(2026, 11, 26, 12, 0))


@given(
    offsets=st.lists(st.integers(min_value=-3 * 86400, max_value=3 * 86400), max_size=12),
    now_offset=st.integers(min_value=0, max_value=86399),
)
def test_slot_granted_iff_fewer_than_two_today(offsets: list[int], now_offset: int) -> None:
    day_start = datetime(2026, 11, 26, tzinfo=UTC)
    now = day_start + timedelta(seconds=now_offset)
    history = [now + timedelta(seconds=o) for o in offsets]
    today = sum(1 for t in history if t.date() == now.date())
    if today < 2:
        assert ensure_settlement_slot("c", history, now).remaining == 2 - today
    else:
        with pytest.raises(SettlementLimitReached) as info:
            ensure_settlement_slot("c", history, now)
        assert info.value.next_slot_at == day_start + timedelta(days=1)
        assert info.value.next_slot_at > now
