"""The fast holdings path (streamed ``holdings --json``, BatchValuer in ``holdings()``)
gives exactly the figures of the reference domain valuation, on both backends.

The desk is generated with the cases a desk has: clients with no positions, shares
locked by the snapshot and by pending redemptions (some locks larger than the
holding), each eligibility rule failing, no exposure, names that JSON must escape,
and stale prices: a later snapshot re-prices only some assets and re-states only
some clients, so others keep an older record and older prices.

The reference is what the code did before the fast path: ``value_client`` per
client, and ``json.dumps`` of the object ``holdings --json`` has always printed
(its field list is kept here, as the command's documented output).
"""

from __future__ import annotations

import json
import os
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from app.domain.snapshot import format_utc
from app.domain.valuation import ClientValuation, value_client
from app.services.holdings import HoldingsService, _to_record
from app.services.unit_of_work import utc_now
from app.store.interface import Store

ASSETS = ("BENJI", "BTC", "USDC", "BUIDL")
NAMES = ('Alpha "Quant" Fund', "Société Générale · Dubai", "Back\\slash / slash", "日本 Trust")


def _client(n: int, rng: random.Random, assets: tuple[str, ...]) -> dict[str, Any]:
    positions = []
    for asset in rng.sample(assets, rng.randrange(0, len(assets) + 1)):
        places = 8 if asset == "BTC" else 6
        quantity = Decimal(rng.randrange(0, 10**10)).scaleb(-rng.randrange(places + 1))
        position: dict[str, Any] = {"asset": asset, "quantity": f"{quantity:f}"}
        if rng.random() < 0.3:
            position["locked_quantity"] = f"{min(quantity, Decimal(rng.randrange(0, 10**6))):f}"
        positions.append(position)
    return {
        "id": f"c{n:05d}",
        "name": NAMES[n % len(NAMES)] + f" {n}",
        "net_assets_usd": rng.choice(["5000000.00", "4999999.99", "250000000.00", "0"]),
        "dubai_entity": rng.random() > 0.15,
        "soc2_type2": rng.random() > 0.15,
        "exposure_usd": rng.choice(["0.00", "0", "1000000.00", "0.01", "98000.00",
                                    f"{rng.randrange(0, 10**9)}.{rng.randrange(100):02d}"]),
        "positions": positions,
    }


def generated_desk(store: Store, clients: int = 300) -> None:
    rng = random.Random(14)
    service = HoldingsService(store)
    older = {
        "as_of": "2026-11-20T09:00:00Z",
        "prices": {"BENJI": "1.00", "BTC": "97000.12345678", "USDC": "0.9999", "BUIDL": "1.00"},
        "clients": [_client(n, rng, ASSETS) for n in range(clients)] + [
            {  # on, just above and just below each line (BENJI 1,000,000 -> 980,000.00)
                "id": f"line{n}", "name": "On the line", "net_assets_usd": "9000000.00",
                "dubai_entity": True, "soc2_type2": True, "exposure_usd": exposure,
                "positions": [{"asset": "BENJI", "quantity": "1000000"}],
            }
            for n, exposure in enumerate(["1960000.00", "1960000.01", "1959999.99", "2000000.00",
                                          "2177777.77", "2177777.78", "2177777.79"])
        ],
    }
    newer = {  # re-prices BTC and USDC only; re-states a third of the clients
        "as_of": "2026-11-21T09:00:00Z",
        "prices": {"BTC": "64000.00000001", "USDC": "1.00"},
        "clients": [_client(n, rng, ("BTC", "USDC")) for n in range(0, clients, 3)],
    }
    for document in (older, newer):
        text = json.dumps(document)
        service.import_snapshot(service.parse(text), "test:generator", raw_json=text)
    with store.transaction() as tx:
        for n, (client, asset, quantity) in enumerate(
            [("c00001", "BENJI", "1"), ("c00002", "BTC", "999999999999"),
             ("c00004", "BUIDL", "0.5"), ("c00004", "BUIDL", "2.25"), ("c00007", "USDC", "10")]
        ):
            tx.connection.execute(
                "INSERT INTO redemptions (client_id, asset, quantity, status, locked_at,"
                " settlement_due_at, created_by, updated_at) VALUES (?, ?, ?, 'locked',"
                " '2026-11-21T10:00:00.000000Z', '2026-11-22T10:00:00.000000Z', 't',"
                " '2026-11-21T10:00:00.000000Z')",
                (client, asset, quantity),
            )
            assert n < 5


def reference(store: Store) -> list[tuple[Any, ClientValuation]]:
    """Each client's stored record and its ``value_client`` valuation (the old path)."""
    service = HoldingsService(store)
    with store.read() as tx:
        states = tx.holdings.client_states(None)
        prices = {a: p.price_usd for a, p in tx.holdings.prices(None).items()}
        locks = tx.holdings.locked_quantities()
    return [
        (s, value_client(_to_record(s), prices, service.catalogue, None, locks.get(s.client_id)))
        for s in states
    ]


def _dec(value: Decimal) -> str:
    return format(value, "f")


def reference_json(state: Any, v: ClientValuation) -> str:
    """The line ``holdings --json`` printed per client before the fast path."""
    return json.dumps({
        "id": state.client_id,
        "name": state.name,
        "as_of": format_utc(state.as_of),
        "snapshot_id": state.snapshot_id,
        "market_value_usd": _dec(v.market_value_usd),
        "collateral_value_usd": _dec(v.collateral_value_usd),
        "credit_line_usd": _dec(v.credit_line_usd),
        "exposure_usd": _dec(v.exposure_usd),
        "collateral_ratio": None if v.collateral_ratio is None else _dec(v.collateral_ratio),
        "state": v.state.value,
        "standing": v.standing_label,
        "usable_credit_line_usd": _dec(v.usable_credit_line_usd),
        "shortfall_usd": _dec(v.shortfall_usd),
        "eligible": v.eligible,
        "ineligible_reasons": list(v.ineligible_reasons),
        "positions": [
            {
                "asset": p.asset,
                "quantity": _dec(p.quantity),
                "locked_quantity": _dec(p.locked_quantity),
                "price_usd": _dec(p.price),
                "market_value_usd": _dec(p.market_value_usd),
                "collateral_factor": _dec(p.collateral_factor),
                "collateral_value_usd": _dec(p.collateral_value_usd),
            }
            for p in v.positions
        ],
    })


@pytest.fixture
def desk(any_store: Store) -> Store:
    generated_desk(any_store)
    return any_store


def test_the_generated_desk_has_the_edge_cases(desk: Store) -> None:
    rows = reference(desk)
    valuations = [v for _, v in rows]
    assert len(rows) == 307
    assert any(not v.positions for v in valuations)
    assert any(not v.eligible for v in valuations)
    assert any(v.collateral_ratio is None for v in valuations)
    assert any(v.locked_value_usd > 0 for v in valuations)
    assert {s.snapshot_id for s, _ in rows} == {1, 2}  # some records are the older ones
    prices = {p.price for v in valuations for p in v.positions if p.asset in ("BTC", "BENJI")}
    assert Decimal("64000.00000001") in prices and Decimal("1.00") in prices  # BENJI: stale
    assert len({v.state for v in valuations}) == 3


def test_holdings_values_exactly_as_the_reference(desk: Store) -> None:
    expected = reference(desk)
    got = HoldingsService(desk).holdings()
    assert [h.record.id for h in got] == [s.client_id for s, _ in expected]
    for holding, (state, valuation) in zip(got, expected, strict=True):
        assert holding.valuation == valuation, state.client_id
        assert repr(holding.valuation) == repr(valuation), state.client_id  # same exponents
        assert (holding.snapshot_id, holding.record_as_of) == (state.snapshot_id, state.as_of)


def test_holdings_json_is_byte_for_byte_the_reference(
    desk: Store, store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = reference(desk)
    lines = ",\n".join("  " + reference_json(state, v) for state, v in expected)
    assert main(["--data-dir", str(tmp_path), "--store", store_url, "holdings", "--json"]) == 0
    out = capsys.readouterr().out
    assert out == f"[\n{lines}\n]\n"
    assert len(json.loads(out)) == 307


@pytest.mark.parametrize("other_commit", [False, True], ids=["two-cores", "desk-moved"])
def test_holdings_json_on_two_processes_is_the_same_bytes(
    desk: Store, store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, other_commit: bool,
) -> None:
    # A large desk is valued in two processes (a forked child takes the second half);
    # the output must be the one-process bytes. If the desk moved between the two
    # reads (here: the child sees another audit head), this process values the
    # second half itself, from its own transaction: still the same bytes.
    import itertools
    import logging

    from app.cli import holdings_json

    expected = reference(desk)
    lines = ",\n".join("  " + reference_json(state, v) for state, v in expected)
    monkeypatch.setattr(holdings_json, "PARALLEL_FROM", 2)
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    if other_commit:
        heads = itertools.count()  # the parent reads 0; the forked child reads 1
        monkeypatch.setattr(holdings_json, "_head", lambda tx: next(heads))
    with caplog.at_level(logging.INFO, logger="app.cli.holdings_json"):
        assert main(["--data-dir", str(tmp_path), "--store", store_url, "holdings",
                     "--json"]) == 0
    assert capsys.readouterr().out == f"[\n{lines}\n]\n"
    assert forks == [1]  # the second half was (or was to be) valued by a child
    fell_back = "second half valued here" in caplog.text
    assert fell_back == other_commit


def test_holdings_json_of_an_empty_desk(
    any_store: Store, store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "--store", store_url, "holdings", "--json"]) == 0
    assert capsys.readouterr().out == "[]\n"


def test_window_stress_rows_are_value_clients_figures(desk: Store) -> None:
    """The holdings view's what-if (StoreDesk.stress, recomputed after every load) gives
    value_client's figures at the shocked prices (as before: without redemption locks)."""
    import asyncio

    from app.ui.backend.store_desk import StoreDesk, line_state

    facade = StoreDesk(desk)

    async def load() -> int:
        return len((await facade.holdings()).clients)

    assert asyncio.run(load()) == 307
    shocks = {"BENJI": Decimal("-0.05"), "BTC": Decimal("-0.25"), "USDC": Decimal("-0.03")}
    rows = facade.stress(shocks)
    catalogue = facade.holdings_service.catalogue
    with desk.read() as tx:
        prices = {a: p.price_usd for a, p in tx.holdings.prices(None).items()}
    shocked = {
        a: (p * (1 + shocks.get(a, Decimal(0)))).quantize(Decimal("0.00000001"))
        for a, p in prices.items()
    }
    expected = [value_client(_to_record(s), shocked, catalogue) for s, _ in reference(desk)]
    assert [r.client_id for r in rows] == [v.client_id for v in expected]
    for row, after in zip(rows, expected, strict=True):
        assert (repr(row.ratio_after), row.state_after, repr(row.shortfall)) == (
            repr(after.collateral_ratio), line_state(after), repr(after.shortfall_usd)
        ), row.client_id
    assert any(r.state_after != r.state_before for r in rows)


def test_window_reload_reuses_valuations_only_while_their_inputs_are_unchanged(
    desk: Store,
) -> None:
    """A reload after a change that moves no figure (another workstation's attestation,
    call or share) keeps the valued clients; a new redemption lock or snapshot is
    valued again, and every reload shows value_client's figures."""
    import asyncio

    from app.ui.backend.store_desk import StoreDesk

    facade = StoreDesk(desk)

    def load() -> dict[str, Decimal]:
        async def run() -> dict[str, Decimal]:
            return {c.client_id: c.collateral_value for c in (await facade.holdings()).clients}

        return asyncio.run(run())

    def expected() -> dict[str, Decimal]:
        return {v.client_id: v.collateral_value_usd for _, v in reference(desk)}

    first = load()
    assert first == expected()
    valued = facade._cache.holdings if facade._cache else None
    with desk.transaction() as tx:  # a change the valuation does not read
        tx.settings.put("test.unrelated", "1", utc_now())
    assert load() == first
    assert facade._cache is not None and facade._cache.holdings is valued  # not re-valued

    holder = next(v.client_id for _, v in reference(desk)
                  if any(p.asset == "BTC" and p.collateral_value_usd > 0 for p in v.positions))
    with desk.transaction() as tx:  # another workstation locks a holder's BTC
        tx.connection.execute(
            "INSERT INTO redemptions (client_id, asset, quantity, status, locked_at,"
            " settlement_due_at, created_by, updated_at) VALUES (?, 'BTC', ?, 'locked',"
            " '2026-11-21T10:00:00.000000Z', '2026-11-22T10:00:00.000000Z', 't',"
            " '2026-11-21T10:00:00.000000Z')",
            (holder, "999999999999"),
        )
    after_lock = load()
    assert after_lock == expected() and after_lock[holder] < first[holder]

    service = HoldingsService(desk)  # and a newer snapshot re-states a client
    text = json.dumps({"as_of": "2026-11-22T09:00:00Z", "prices": {"USDC": "1.00"},
                       "clients": [{"id": "c00003", "name": "Restated", "net_assets_usd":
                                    "9000000.00", "dubai_entity": True, "soc2_type2": True,
                                    "exposure_usd": "0.00",
                                    "positions": [{"asset": "USDC", "quantity": "7"}]}]})
    service.import_snapshot(service.parse(text), "test:other-desk", raw_json=text)
    after_import = load()
    assert after_import == expected() and after_import["c00003"] != first["c00003"]


def test_window_rows_are_built_from_the_valuations_and_kept_while_nothing_moves(
    desk: Store,
) -> None:
    """The positions the window reads (built when a client is selected) are each
    client's valued positions; the desk-wide collateral per asset is their sum; a
    reload after a change that moves no figure hands back the same client rows."""
    import asyncio

    from app.ui.backend.store_desk import StoreDesk

    facade = StoreDesk(desk)
    first = asyncio.run(facade.holdings())
    valued = {v.client_id: v for _, v in reference(desk)}
    assert len(first.positions) == len(valued) == len(first.clients)
    by_asset: dict[str, Decimal] = {}
    for client_id, v in valued.items():
        rows = first.positions[client_id]
        assert [(r.asset, r.quantity, r.price, r.market_value, r.haircut, r.collateral_value,
                 r.locked_quantity) for r in rows] == [
            (p.asset, p.quantity, p.price, p.market_value_usd, p.collateral_factor,
             p.collateral_value_usd, p.locked_quantity) for p in v.positions
        ], client_id
        for p in v.positions:
            by_asset[p.asset] = by_asset.get(p.asset, Decimal(0)) + p.collateral_value_usd
    assert dict(first.collateral_by_asset) == by_asset
    assert first.positions.get("nobody") is None and "nobody" not in first.positions

    with desk.transaction() as tx:  # a change the valuation does not read
        tx.settings.put("test.unrelated", "1", utc_now())
    again = asyncio.run(facade.holdings())
    assert all(a is b for a, b in zip(again.clients, first.clients, strict=True))
    before, now = first.positions["c00001"][0], again.positions["c00001"][0]
    assert (now.asset, now.collateral_value) == (before.asset, before.collateral_value)
    assert now.price_age is not None and before.price_age is not None
    assert now.price_age.age > before.price_age.age  # the price's age as of this reload


def test_one_clients_holdings_are_its_row_of_the_whole_desk_at_each_snapshot(
    desk: Store,
) -> None:
    """A client's history reads only that client: the same record, figures and snapshot
    as its row among every client's, as of each snapshot (a client the later snapshot
    re-states, and one it does not)."""
    service = HoldingsService(desk)
    for snap in service.snapshots():
        whole = {h.record.id: h for h in service.holdings(snap.as_of)}
        for client_id in ("c00003", "c00004", "line2"):
            [one] = service.holdings(snap.as_of, client_id)
            assert (one.record, one.valuation, one.snapshot_id, one.record_as_of) == (
                whole[client_id].record, whole[client_id].valuation,
                whole[client_id].snapshot_id, whole[client_id].record_as_of,
            )
    assert service.holdings(None, "nobody") == []


def test_window_client_rows_and_records_are_the_reference_field_by_field(
    desk: Store,
) -> None:
    """The holdings table's rows and each client's record are built positionally (a
    load builds 100,000 of each): every field is still the one its name says, as
    keyword-built rows from value_client's figures have it."""
    import asyncio
    from datetime import UTC, datetime

    from app.domain.snapshot import ClientRecord
    from app.domain.yield_accrual import accrued_yield
    from app.services.desk_facade import ClientRow
    from app.ui.backend.store_desk import StoreDesk, line_state

    facade = StoreDesk(desk)
    catalogue = facade.holdings_service.catalogue
    before = datetime.now(UTC)
    snapshot = asyncio.run(facade.holdings())
    after = datetime.now(UTC)
    assert facade._cache is not None
    prices = facade._cache.prices

    def accrued(record: ClientRecord, now: datetime) -> Decimal:
        return accrued_yield(record, prices, catalogue, now).accrued_usd

    expected = reference(desk)
    assert len(snapshot.clients) == len(expected)
    for row, holding, (state, v) in zip(
        snapshot.clients, facade._cache.holdings, expected, strict=True
    ):
        record = ClientRecord(
            id=state.client_id, name=state.name, net_assets_usd=state.net_assets_usd,
            dubai_entity=state.dubai_entity, soc2_type2=state.soc2_type2,
            exposure_usd=state.exposure_usd, positions=state.positions,
            liquidation_order=state.liquidation_order,
        )
        assert holding.record == record and len(holding.record) == len(record)
        # the accrual moves only at midnight and at the distribution time: either side
        yields = {accrued(record, before), accrued(record, after)}
        assert row.accrued_yield in yields, state.client_id
        assert row == ClientRow(
            client_id=v.client_id, name=v.name, market_value=v.market_value_usd,
            collateral_value=v.collateral_value_usd, credit_line=v.usable_credit_line_usd,
            exposure=v.exposure_usd, collateral_ratio=v.collateral_ratio, state=line_state(v),
            to_margin_call=v.price_drop_to_margin_call,
            to_liquidation=v.price_drop_to_liquidation, eligible=v.eligible,
            ineligible_reasons=tuple(v.ineligible_reasons), accrued_yield=row.accrued_yield,
        ), state.client_id
    assert any(not row.eligible and row.credit_line == 0 for row in snapshot.clients)


def test_a_stored_client_state_has_each_field_where_its_name_says(any_store: Store) -> None:
    """The holdings read builds each client's state positionally (100,000 per load):
    two clients whose every field differs from the other's come back field by field."""
    from datetime import UTC, datetime

    service = HoldingsService(any_store)
    text = json.dumps({
        "as_of": "2026-11-20T09:00:00Z", "prices": {"USDC": "1.00", "BENJI": "1.00"},
        "clients": [
            {"id": "a-first", "name": "Dubai only", "net_assets_usd": "7000000.00",
             "dubai_entity": True, "soc2_type2": False, "exposure_usd": "12.34",
             "liquidation_order": ["USDC", "BENJI"],
             "positions": [{"asset": "USDC", "quantity": "5", "locked_quantity": "2"},
                           {"asset": "BENJI", "quantity": "3.5"}]},
            {"id": "b-second", "name": "SOC 2 only", "net_assets_usd": "6000000.00",
             "dubai_entity": False, "soc2_type2": True, "exposure_usd": "0.00",
             "positions": []},
        ],
    })
    service.import_snapshot(service.parse(text), "test", raw_json=text)
    with any_store.read() as tx:
        first, second = tx.holdings.client_states()
    as_of = datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert (first.client_id, first.name, first.net_assets_usd, first.exposure_usd) == (
        "a-first", "Dubai only", Decimal("7000000.00"), Decimal("12.34"))
    assert (first.dubai_entity, first.soc2_type2) == (True, False)
    assert (second.dubai_entity, second.soc2_type2) == (False, True)
    assert first.liquidation_order == ("USDC", "BENJI") and second.liquidation_order == ()
    assert [tuple(p) for p in first.positions] == [
        ("USDC", Decimal("5"), Decimal("2")), ("BENJI", Decimal("3.5"), Decimal("0"))]
    assert [(p.asset, p.quantity, p.locked_quantity) for p in first.positions] == [
        ("USDC", Decimal("5"), Decimal("2")), ("BENJI", Decimal("3.5"), Decimal("0"))]
    assert second.positions == ()
    assert first.snapshot_id == second.snapshot_id == 1 and first.as_of == as_of
    assert json.loads(first.extra_json) == json.loads(second.extra_json) == {}
    assert len(first) == len(second) == len(type(first)._fields)


def test_holdings_json_on_two_processes_to_a_text_only_stream(
    desk: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child's half is copied as bytes into a stream with a byte buffer (stdout);
    a text-only stream gets the same text."""
    import io

    from app.cli import holdings_json

    expected = reference(desk)
    lines = ",\n".join("  " + reference_json(state, v) for state, v in expected)
    monkeypatch.setattr(holdings_json, "PARALLEL_FROM", 2)
    out = io.StringIO()
    holdings_json.write_holdings_json(HoldingsService(desk), desk, None, out)
    assert out.getvalue() == f"[\n{lines}\n]\n"
