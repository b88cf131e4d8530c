"""Attestation bundles: built from holdings, verified end to end, tampering caught."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal, localcontext
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import attestation as at
from app.domain.attestation import AttestationError, ClientHoldings
from app.domain.statement import Environment

ASOF = datetime(2026, 11, 26, 8, 0, 0, tzinfo=UTC)
EXP = ASOF + timedelta(hours=24)
DECIMALS = {"BENJI": 6, "BTC": 8, "USDC": 6}
PRICES = {"BENJI": Decimal("1.00"), "BTC": Decimal("91000.00"), "USDC": Decimal("1.00")}
FACTORS = {"BENJI": Decimal("0.98"), "BTC": Decimal("0.80"), "USDC": Decimal("0.95")}


def _salt(client_id: str) -> bytes:
    """Deterministic test salts (production uses secrets.token_bytes)."""
    return hashlib.sha256(b"test-salt:" + client_id.encode()).digest()


HOLDINGS = [
    ClientHoldings("QF-001", {"BENJI": Decimal("80000000")}),
    ClientHoldings("MM-002", {"BTC": Decimal("120.5"), "USDC": Decimal("25000000.25")}),
    ClientHoldings("MM-003", {"BTC": Decimal("0.00000001")}),
]


def _build(holdings: list[ClientHoldings] | None = None, **changes: Any) -> at.Attestation:
    args: dict[str, Any] = {
        "custodian": "SCB-DXB", "exchange": "OKX", "env": Environment.TEST, "seq": 42,
        "as_of": ASOF, "expires_at": EXP, "holdings": HOLDINGS if holdings is None else holdings,
        "decimals": DECIMALS, "prices": PRICES, "factors": FACTORS, "salt_for": _salt,
    }
    args.update(changes)
    return at.build_attestation(**args)


def test_worked_example_from_the_brief() -> None:
    att = _build([ClientHoldings("QF-001", {"BENJI": Decimal("80000000")})])
    assert att.clients[0].collateral_value_usd == Decimal("78400000.00")
    assert att.statement.collateral_value_usd == Decimal("78400000.00")
    assert att.totals == (80_000_000 * 10**6,)
    assert "cv=USD78400000.00 " in att.text
    at.verify_attestation(att, now=ASOF)


def test_bundle_verifies_and_figures_add_up() -> None:
    att = _build()
    at.verify_attestation(att, now=ASOF + timedelta(hours=1))
    assert att.schema.assets == ("BENJI", "BTC", "USDC")
    assert att.totals == (80_000_000 * 10**6, 12_050_000_001, 25_000_000_250_000)
    mm = att.figures_for("MM-002")
    # 120.5 x 91000 x 0.80 + 25,000,000.25 x 0.95 = 8,772,400 + 23,750,000.2375 -> down to cents
    assert mm.collateral_value_usd == Decimal("32522400.23")
    assert att.statement.collateral_value_usd == sum(c.collateral_value_usd for c in att.clients)
    assert att.statement.client_count == 3


def test_body_round_trip_through_json() -> None:
    att = _build()
    body = json.loads(json.dumps(att.to_body()))
    again = at.Attestation.from_body(body)
    assert again == att
    at.verify_attestation(again)
    assert body["statement"] == att.text
    assert body["clients"][0]["positions"]  # only non-zero positions are listed


def test_one_client_can_be_checked_alone() -> None:
    att = _build()
    at.verify_client(att.statement, att.terms, att.totals, att.figures_for("MM-003"))


def _tampered(att: at.Attestation) -> list[tuple[str, at.Attestation]]:
    c0 = att.clients[0]
    more = tuple(a + (1 if j == 0 else 0) for j, a in enumerate(c0.amounts))
    s = att.statement
    return [
        ("amounts in figures", replace(att, clients=(replace(c0, amounts=more), *att.clients[1:]))),
        ("amounts in figures and proof", replace(att, clients=(
            replace(c0, amounts=more, proof=replace(c0.proof, amounts=more)), *att.clients[1:]))),
        ("collateral value", replace(att, clients=(
            replace(c0, collateral_value_usd=c0.collateral_value_usd + Decimal("0.01")),
            *att.clients[1:]))),
        ("client dropped", replace(att, clients=att.clients[1:])),
        ("client renamed", replace(att, clients=(replace(c0, client_id="XX-999"),
                                                 *att.clients[1:]))),
        ("salt", replace(att, clients=(replace(c0, salt=bytes(32)), *att.clients[1:]))),
        ("statement total", replace(att, statement=replace(
            s, collateral_value_usd=s.collateral_value_usd + 1))),
        ("statement root", replace(att, statement=replace(s, root=bytes(32)))),
        ("statement count", replace(att, statement=replace(s, client_count=4))),
        ("totals", replace(att, totals=(att.totals[0] - 1, *att.totals[1:]))),
        ("price", replace(att, terms=(replace(att.terms[0], price_usd=Decimal("1.01")),
                                      *att.terms[1:]))),
        ("factor", replace(att, terms=(replace(att.terms[0], collateral_factor=Decimal("1")),
                                       *att.terms[1:]))),
        ("duplicate client", replace(att, clients=(c0, c0, *att.clients[2:]))),
    ]


TAMPER_CASES = [name for name, _ in _tampered(_build())]


@pytest.mark.parametrize("case", TAMPER_CASES)
def test_tampering_is_caught(case: str) -> None:
    bad = dict(_tampered(_build()))[case]
    with pytest.raises(AttestationError):
        at.verify_attestation(bad)


def test_time_window() -> None:
    att = _build()
    with pytest.raises(AttestationError, match="future"):
        at.verify_attestation(att, now=ASOF - timedelta(seconds=1))
    with pytest.raises(AttestationError, match="expired"):
        at.verify_attestation(att, now=EXP)


@pytest.mark.parametrize(
    ("holdings", "match"),
    [
        ([ClientHoldings("A", {"BTC": 1.5})], "Decimal"),  # type: ignore[dict-item]
        ([ClientHoldings("A", {"BTC": Decimal("0.000000001")})], "decimal places"),
        ([ClientHoldings("A", {"BTC": Decimal("-1")})], "negative"),
        ([ClientHoldings("A", {"ETH": Decimal("1")})], "ETH"),
        ([ClientHoldings("A", {"BTC": Decimal("1")}), ClientHoldings("A", {})], "twice"),
        ([], "at least one"),
        ([ClientHoldings("A", {})], "no positions"),
        ([ClientHoldings("A", {"BTC": Decimal("184467440737.09551616")})], "2\\*\\*64"),
    ],
)
def test_bad_inputs_are_refused(holdings: list[ClientHoldings], match: str) -> None:
    with pytest.raises(AttestationError, match=match):
        _build(holdings)


def test_bad_prices_and_factors_are_refused() -> None:
    with pytest.raises(AttestationError, match="factor"):
        _build(factors={**FACTORS, "BTC": Decimal("1.2")})
    with pytest.raises(AttestationError, match="price"):
        _build(prices={**PRICES, "BTC": Decimal("-1")})
    with pytest.raises(AttestationError, match="price"):
        _build(prices={k: v for k, v in PRICES.items() if k != "BTC"})


def test_malformed_bodies_are_refused() -> None:
    body = _build().to_body()
    for key, value in [("statement", "nonsense"), ("root", "00" * 32), ("totals", {})]:
        with pytest.raises(AttestationError):
            at.Attestation.from_body({**body, key: value})
    bad_clients = json.loads(json.dumps(body["clients"]))
    bad_clients[0]["positions"][0]["quantity"] = "1e3"
    with pytest.raises(AttestationError):
        at.Attestation.from_body({**body, "clients": bad_clients})


def test_random_salts_make_commitments_unlinkable() -> None:
    a = _build(salt_for=at.random_salt)
    b = _build(salt_for=at.random_salt)
    assert {c.proof.commitment for c in a.clients}.isdisjoint(
        {c.proof.commitment for c in b.clients})
    at.verify_attestation(a)


quantity = st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(quantity, quantity), min_size=1, max_size=25))
def test_property_any_valid_holdings_verify(rows: list[tuple[Decimal, Decimal]]) -> None:
    holdings = [ClientHoldings(f"C{i}", {"BENJI": b, "USDC": u}) for i, (b, u) in enumerate(rows)]
    att = _build(holdings)
    at.verify_attestation(att)
    assert att.totals == (sum(int(b * 10**6) for b, _ in rows),
                          sum(int(u * 10**6) for _, u in rows))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), min_size=3, max_size=3),
       st.decimals(min_value=0, max_value=10**6, places=8, allow_nan=False),
       st.decimals(min_value=0, max_value=1, places=4, allow_nan=False))
def test_property_collateral_value_is_quantity_times_price_times_factor(
    units: list[int], price: Decimal, factor: Decimal
) -> None:
    terms = [at.AssetTerms(a, DECIMALS[a], price, factor) for a in ("BENJI", "BTC", "USDC")]
    with localcontext(prec=100):  # exact reference
        expected = sum(
            (Decimal(u).scaleb(-t.decimals) * price * factor
             for u, t in zip(units, terms, strict=True)),
            Decimal(0),
        )
    got = at.client_collateral_value(terms, units)
    assert got == expected.quantize(Decimal("0.01"), rounding="ROUND_DOWN")
