"""PostgreSQL streams the holdings rows (the server reads while the desk values):
a stream left unread must not keep the connection busy past its transaction."""

from __future__ import annotations

import json
from collections.abc import Callable

import psycopg
import pytest

from app.services.holdings import HoldingsService
from app.services.unit_of_work import utc_now
from app.store.interface import Store
from app.store.pg_connection import _STREAM_CHUNK

CLIENTS = _STREAM_CHUNK * 2 + 7  # more than one chunk: a partly read stream is still open


@pytest.fixture
def pg_store(pg_desk_url: str) -> Callable[[], Store]:
    from app.store.url import open_store_url

    opened: list[Store] = []

    def make() -> Store:
        opened.append(open_store_url(pg_desk_url))
        return opened[-1]

    service = HoldingsService(make())
    text = json.dumps({
        "as_of": "2026-11-20T09:00:00Z", "prices": {"USDC": "1.00"},
        "clients": [
            {"id": f"c{n:05d}", "name": f"Client {n}", "net_assets_usd": "9000000.00",
             "dubai_entity": True, "soc2_type2": True, "exposure_usd": "10.00",
             "positions": [{"asset": "USDC", "quantity": f"{n}"}]}
            for n in range(CLIENTS)
        ],
    })
    service.import_snapshot(service.parse(text), "test", raw_json=text)
    yield make
    for store in opened:
        store.close()


def test_the_holdings_read_streams_every_row_in_order(pg_store: Callable[[], Store]) -> None:
    assert psycopg.pq.version() >= 170000  # the wheel's libpq: the chunked path runs
    store = pg_store()
    with store.read() as tx:
        ids = [state.client_id for state in tx.holdings.iter_client_states()]
    assert ids == [f"c{n:05d}" for n in range(CLIENTS)]


@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_a_stream_left_unread_ends_with_its_transaction(
    pg_store: Callable[[], Store], write: bool
) -> None:
    store = pg_store()
    scope = store.transaction if write else store.read
    with scope() as tx:
        states = tx.holdings.iter_client_states()
        first = next(states)  # the first chunk read, the rest still on the wire
    assert first.client_id == "c00000"
    # the connection is free again: the next transaction reads and writes on it
    with store.transaction() as tx:
        tx.settings.put("test.after-stream", "1", utc_now())
    with store.read() as tx:
        assert tx.settings.get("test.after-stream") == "1"
        assert tx.holdings.client_count() == CLIENTS


def test_a_use_case_failing_mid_stream_rolls_back_and_frees_the_connection(
    pg_store: Callable[[], Store],
) -> None:
    store = pg_store()
    with pytest.raises(RuntimeError, match="refused mid-way"), store.transaction() as tx:
        tx.settings.put("test.lost", "1", utc_now())
        for state in tx.holdings.iter_client_states():
            if state.client_id == "c00010":
                raise RuntimeError("refused mid-way")  # the traceback keeps the stream alive
    with store.read() as tx:
        assert tx.settings.get("test.lost") is None  # rolled back
        assert len(list(tx.holdings.iter_client_states())) == CLIENTS
