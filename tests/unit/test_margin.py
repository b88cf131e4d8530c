"""Margin-call lifecycle: legal moves, typed refusals, deadline and shortfall."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.margin import (
    ALLOWED_TRANSITIONS,
    InvalidMarginTransition,
    MarginCall,
    MarginCallError,
    MarginCallState,
    acknowledge,
    escalate,
    expire,
    mark_liquidated,
    receive_margin_call,
    resolve_by_topup,
)

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
S = MarginCallState


def new_call() -> MarginCall:
    return receive_margin_call("mc-1", "sandstone-arb", Decimal("610000.00"), T0)


def test_new_call_has_a_24h_deadline_and_is_received() -> None:
    call = new_call()
    assert call.state is S.RECEIVED
    assert call.deadline_at == T0 + timedelta(hours=24)
    assert call.shortfall_usd == Decimal("610000.00")
    assert [e.state for e in call.history] == [S.RECEIVED]


def test_happy_path_top_up() -> None:
    call = acknowledge(new_call(), T0 + timedelta(minutes=5), "officer.amira")
    done = resolve_by_topup(call, Decimal("610000.00"), T0 + timedelta(hours=3), "officer.amira")
    assert done.state is S.RESOLVED_BY_TOPUP
    assert done.topup_usd == Decimal("610000.00")
    assert [e.state for e in done.history] == [S.RECEIVED, S.ACKNOWLEDGED, S.RESOLVED_BY_TOPUP]
    assert done.history[1].actor == "officer.amira"


def test_too_small_top_up_is_refused() -> None:
    call = acknowledge(new_call(), T0, "officer")
    with pytest.raises(MarginCallError, match="does not cover"):
        resolve_by_topup(call, Decimal("609999.99"), T0, "officer")


def test_escalation_then_liquidated_or_expired() -> None:
    escalated = escalate(acknowledge(new_call(), T0, "o"), T0 + timedelta(hours=24), "exchange")
    done = mark_liquidated(escalated, T0 + timedelta(hours=25), "o", reference="plan-7")
    assert done.state is S.LIQUIDATED
    assert done.liquidation_reference == "plan-7"
    lapsed = expire(escalated, T0 + timedelta(hours=72), "exchange")
    assert lapsed.state is S.EXPIRED
    # An unacknowledged call can be escalated by the exchange.
    assert (
        escalate(new_call(), T0 + timedelta(hours=25), "exchange").state
        is S.ESCALATED_TO_LIQUIDATION
    )


@pytest.mark.parametrize(
    ("steps", "target"),
    [
        ([], S.RESOLVED_BY_TOPUP),  # must acknowledge first
        ([], S.LIQUIDATED),
        ([], S.EXPIRED),
        (["ack"], S.ACKNOWLEDGED),
        (["ack"], S.LIQUIDATED),
        (["ack", "topup"], S.ESCALATED_TO_LIQUIDATION),
        (["ack", "escalate"], S.RESOLVED_BY_TOPUP),
    ],
)
def test_invalid_transitions_raise_a_typed_error(steps: list[str], target: MarginCallState) -> None:
    call = new_call()
    for step in steps:
        if step == "ack":
            call = acknowledge(call, T0, "o")
        elif step == "topup":
            call = resolve_by_topup(call, Decimal("610000.00"), T0, "o")
        else:
            call = escalate(call, T0, "o")
    moves = {
        S.ACKNOWLEDGED: lambda c: acknowledge(c, T0, "o"),
        S.RESOLVED_BY_TOPUP: lambda c: resolve_by_topup(c, Decimal("1e7"), T0, "o"),
        S.ESCALATED_TO_LIQUIDATION: lambda c: escalate(c, T0, "o"),
        S.LIQUIDATED: lambda c: mark_liquidated(c, T0, "o", "ref"),
        S.EXPIRED: lambda c: expire(c, T0, "o"),
    }
    with pytest.raises(InvalidMarginTransition) as info:
        moves[target](call)
    assert info.value.current is call.state
    assert info.value.target is target
    assert target.value in str(info.value)


def test_overdue_only_while_open() -> None:
    call = new_call()
    late = T0 + timedelta(hours=24, seconds=1)
    assert not call.is_overdue(T0 + timedelta(hours=24))
    assert call.is_overdue(late)
    assert not escalate(call, late, "exchange").is_overdue(late)
    assert call.time_left(late) < timedelta(0)


@pytest.mark.parametrize("shortfall", ["0", "-1", "1.001"])
def test_bad_shortfall_is_refused(shortfall: str) -> None:
    with pytest.raises(MarginCallError):
        receive_margin_call("mc", "c", Decimal(shortfall), T0)


def test_events_cannot_go_back_in_time_or_lack_an_actor() -> None:
    with pytest.raises(MarginCallError, match="earlier"):
        acknowledge(new_call(), T0 - timedelta(seconds=1), "o")
    with pytest.raises(MarginCallError, match="actor"):
        acknowledge(new_call(), T0, " ")


def test_terminal_states_have_no_way_out() -> None:
    for state in S:
        assert state.is_terminal == (not ALLOWED_TRANSITIONS[state])


@given(st.lists(st.sampled_from(list(S)), max_size=8))
def test_random_walks_only_follow_allowed_edges(targets: list[MarginCallState]) -> None:
    call = new_call()
    moves = {
        S.ACKNOWLEDGED: lambda c: acknowledge(c, T0, "o"),
        S.RESOLVED_BY_TOPUP: lambda c: resolve_by_topup(c, Decimal("1e7"), T0, "o"),
        S.ESCALATED_TO_LIQUIDATION: lambda c: escalate(c, T0, "o"),
        S.LIQUIDATED: lambda c: mark_liquidated(c, T0, "o", "ref"),
        S.EXPIRED: lambda c: expire(c, T0, "o"),
        S.RECEIVED: None,
    }
    for target in targets:
        move = moves[target]
        if move is None:
            continue
        if target in ALLOWED_TRANSITIONS[call.state]:
            call = move(call)
            assert call.state is target
        else:
            with pytest.raises(InvalidMarginTransition):
                move(call)
    for before, after in zip(call.history, call.history[1:], strict=False):
        assert after.state in ALLOWED_TRANSITIONS[before.state]
