"""Pilot eligibility: net assets, Dubai entity, SOC 2 Type II; ineligible is never attested."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.assets import RiskPolicy
from app.domain.eligibility import (
    IneligibleClient,
    IneligibleCode,
    check_eligibility,
    ensure_eligible,
)
from app.domain.snapshot import ClientRecord


def record(net_assets: str = "5000000.00", dubai: bool = True, soc2: bool = True) -> ClientRecord:
    return ClientRecord(
        id="c1",
        name="Client",
        net_assets_usd=Decimal(net_assets),
        dubai_entity=dubai,
        soc2_type2=soc2,
        exposure_usd=Decimal(0),
        positions=(),
    )


def test_exactly_five_million_is_eligible() -> None:
    result = ensure_eligible(record("5000000.00"))
    assert result.eligible
    assert result.reasons == ()


def test_one_cent_under_five_million_is_not() -> None:
    result = check_eligibility(record("4999999.99"))
    assert not result.eligible
    assert [r.code for r in result.reasons] == [IneligibleCode.NET_ASSETS_BELOW_MINIMUM]
    assert "4,999,999.99" in result.messages[0]
    assert "5,000,000.00" in result.messages[0]


def test_every_failing_rule_is_reported() -> None:
    result = check_eligibility(record("100", dubai=False, soc2=False))
    assert {r.code for r in result.reasons} == set(IneligibleCode)


def test_ensure_eligible_refuses_with_all_reasons() -> None:
    with pytest.raises(IneligibleClient) as info:
        ensure_eligible(record(dubai=False, soc2=False))
    assert info.value.client_id == "c1"
    assert len(info.value.reasons) == 2
    assert "Dubai" in str(info.value)
    assert "SOC 2" in str(info.value)


def test_minimum_comes_from_the_policy() -> None:
    policy = RiskPolicy(min_net_assets_usd=Decimal("10000000"))
    assert not check_eligibility(record("9000000"), policy).eligible


@given(
    net=st.decimals(min_value=0, max_value=10**10, places=2),
    dubai=st.booleans(),
    soc2=st.booleans(),
)
def test_eligible_iff_all_three_rules_hold(net: Decimal, dubai: bool, soc2: bool) -> None:
    result = check_eligibility(record(f"{net:f}", dubai, soc2))
    assert result.eligible == (net >= Decimal("5000000") and dubai and soc2)
    assert len(result.reasons) == (net < 5000000) + (not dubai) + (not soc2)
