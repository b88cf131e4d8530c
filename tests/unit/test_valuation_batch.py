"""BatchValuer (the fast path of ``holdings`` and the window) gives value_client's figures.

Every figure is compared as written (``repr`` keeps the Decimal exponent, so
``1.0`` and ``1.00`` differ), on a generated desk with the edge cases a desk has:
no positions, locked shares (the snapshot's own and pending redemptions, more
than held), each eligibility rule failing, no exposure, clients on and around
each line, 8-decimal quantities, 40-digit amounts that overflow the 60-digit
context, and a policy whose 1 / leverage does not terminate.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.assets import AssetCatalogue, RiskPolicy, UnknownAsset
from app.domain.snapshot import ClientRecord, Position
from app.domain.valuation import BatchValuer, MissingPrice, value_client

CATALOGUE = AssetCatalogue.load_default()
PRICES = {
    "BENJI": Decimal("1.00"),
    "USDC": Decimal("0.99987654"),
    "BTC": Decimal("97000.12345678"),
    "BUIDL": Decimal("1.00000000"),
}
ASSETS = tuple(PRICES)


def _amount(rng: random.Random, places: int) -> Decimal:
    kind = rng.randrange(6)
    if kind == 0:
        return Decimal(0)
    if kind == 1:
        return Decimal("0").scaleb(-places)  # 0.000000: a zero with an exponent
    if kind == 2:  # 40 significant digits: products overflow the 60-digit context
        return Decimal(f"{rng.randrange(10**30, 10**31)}.{rng.randrange(10**places):0{places}d}")
    return Decimal(rng.randrange(0, 10**12)).scaleb(-rng.randrange(places + 1))


def generated_desk(seed: int, count: int = 400) -> list[tuple[ClientRecord, dict[str, Decimal]]]:
    """``count`` clients and their redemption locks (asset -> locked quantity)."""
    rng = random.Random(seed)
    desk = []
    for n in range(count):
        held = rng.sample(ASSETS, rng.randrange(0, 5))  # 0: no positions at all
        positions = []
        for asset in held:
            places = 8 if asset == "BTC" else 6
            quantity = _amount(rng, places)
            own_locked = rng.choice([Decimal(0), quantity, quantity * 2, Decimal("0.5")])
            positions.append(Position(asset, quantity, own_locked))
        locks = {
            asset: rng.choice([Decimal("1"), Decimal("0.5"), Decimal("999999999999")])
            for asset in held
            if rng.random() < 0.2
        }
        exposure = rng.choice(
            [Decimal("0.00"), Decimal("0"), Decimal("1000000.00"), Decimal("0.01"),
             _amount(rng, 2)]
        )
        record = ClientRecord(
            id=f"c{n:05d}",
            name=f"Client {n}",
            net_assets_usd=rng.choice(
                [Decimal("5000000.00"), Decimal("4999999.99"), Decimal("250000000.00")]
            ),
            dubai_entity=rng.random() > 0.1,
            soc2_type2=rng.random() > 0.1,
            exposure_usd=exposure,
            positions=tuple(positions),
        )
        desk.append((record, locks))
    return desk + [(line, {}) for line in _on_the_lines()]


def _on_the_lines() -> list[ClientRecord]:
    """Collateral exactly on, a cent above and a cent below each line."""
    clients = []
    for collateral in ("450000.00", "449999.99", "450000.01", "500000.00", "499999.99"):
        quantity = Decimal(collateral) / Decimal("0.98")  # BENJI at 1.00, factor 0.98
        clients.append(
            ClientRecord(f"line-{collateral}", "On the line", Decimal("10000000.00"), True, True,
                         Decimal("1000000.00"), (Position("BENJI", quantity),))
        )
    return clients


def assert_same(records: list[tuple[ClientRecord, dict[str, Decimal]]],
                prices: dict[str, Decimal], policy: RiskPolicy | None = None) -> None:
    valuer = BatchValuer(prices, CATALOGUE, policy)
    for record, locks in records:
        reference = value_client(record, prices, CATALOGUE, policy, locks or None)
        fast = valuer.value(record, locks or None)
        assert fast == reference, record.id
        assert repr(fast) == repr(reference), record.id  # same exponents, figure by figure


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_desk_values_exactly_as_value_client(seed: int) -> None:
    desk = generated_desk(seed)
    assert_same(desk, PRICES)
    # the generated desk really has the edge cases
    reference = [value_client(r, PRICES, CATALOGUE, None, lk or None) for r, lk in desk]
    assert any(not r.positions for r, _ in desk)
    assert any(not v.eligible for v in reference)
    assert any(v.collateral_ratio is None for v in reference)
    assert any(v.locked_value_usd > 0 for v in reference)
    assert len({v.state for v in reference}) == 3


def test_clients_on_each_line_and_a_non_terminating_leverage() -> None:
    lines = [(c, {}) for c in _on_the_lines()]
    assert_same(lines, PRICES)
    odd = RiskPolicy(leverage=Decimal("1.5"), liquidation_ratio=Decimal("0.3"))
    assert_same(lines + generated_desk(7, 100), PRICES, odd)


def test_older_prices_value_the_same_as_the_reference() -> None:
    """A stale price (an older snapshot's) is just another price: same figures."""
    stale = dict(PRICES, BTC=Decimal("64000.00000001"), BENJI=Decimal("0.99"))
    assert_same(generated_desk(11, 200), stale)


@given(
    quantity=st.decimals(min_value=0, max_value=10**15, places=8, allow_nan=False),
    locked=st.decimals(min_value=0, max_value=10**15, places=8, allow_nan=False),
    exposure=st.decimals(min_value=0, max_value=10**15, places=2, allow_nan=False),
    price=st.decimals(min_value=0, max_value=10**6, places=8, allow_nan=False),
)
@settings(max_examples=300, deadline=None)
def test_any_single_position_client(
    quantity: Decimal, locked: Decimal, exposure: Decimal, price: Decimal
) -> None:
    record = ClientRecord("h", "H", Decimal("6000000.00"), True, True, exposure,
                          (Position("BTC", quantity, locked),))
    assert_same([(record, {})], dict(PRICES, BTC=price))


def test_errors_are_the_reference_errors() -> None:
    valuer = BatchValuer({"BENJI": Decimal(1)}, CATALOGUE)
    missing = ClientRecord("m", "M", Decimal(1), True, True, Decimal(0),
                           (Position("BTC", Decimal(1)),))
    unknown = ClientRecord("u", "U", Decimal(1), True, True, Decimal(0),
                           (Position("DOGE", Decimal(1)),))
    with pytest.raises(MissingPrice):
        valuer.value(missing)
    with pytest.raises(UnknownAsset):
        valuer.value(unknown)
    with pytest.raises(MissingPrice):
        value_client(missing, {"BENJI": Decimal(1)}, CATALOGUE)


def test_amounts_past_the_context_precision_round_as_the_reference() -> None:
    """quantity x price x factor beyond 60 digits rounds: the batch rounds in the same order."""
    huge = dict(PRICES, BTC=Decimal("12345678901234567890.12345679"))
    rng = random.Random(5)
    records = [
        (ClientRecord(f"x{n}", "X", Decimal("9000000.00"), True, True, Decimal("1.00"),
                      (Position("BTC", Decimal(f"{rng.randrange(10**24, 10**25)}.{n + 1:08d}"),
                                Decimal(f"{n}.12345677")),)), {})
        for n in range(50)
    ]
    assert_same(records, huge)
