"""The link's transports and the outbox, without a network: httpx MockTransport,
a drop folder in tmp, and the simulator's idempotent books."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.documents.keys import KeysFile
from app.exchange.backoff import Backoff
from app.exchange.drop_folder import DropFolderLink
from app.exchange.link import LinkRejected, LinkUnavailable, OutboundMessage
from app.exchange.rest import RestLink
from app.exchange.sim.factory import make_sim
from app.exchange.sim.price_path import PricePathError, parse_price_path

MESSAGE = OutboundMessage("attestation_bundle:att-1:abc", "attestation_bundle", b'{"x":"1"}\n')


def rest(handler: Any, attempts: int = 3) -> tuple[RestLink, list[float]]:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    link = RestLink("http://exchange.test", client=client, max_attempts=attempts,
                    backoff=Backoff(base_s=1.0, cap_s=3.0, rng=lambda: 1.0), sleep=sleep)
    return link, slept


def test_backoff_grows_is_capped_and_jittered() -> None:
    fixed = Backoff(base_s=1.0, cap_s=5.0, rng=lambda: 1.0)
    assert [fixed.delay(n) for n in (1, 2, 3, 4, 5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    low = Backoff(base_s=1.0, cap_s=5.0, rng=lambda: 0.0)
    assert [low.delay(n) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]  # never below half


def test_rest_sends_idempotency_key_and_retries_5xx_then_succeeds() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) < 3:
            return httpx.Response(503, json={"error": "busy"})
        return httpx.Response(201, json={"status": "booked"}, headers={
            "Idempotent-Replayed": "true"})

    link, slept = rest(handler)
    delivery = asyncio.run(link.send(MESSAGE))
    assert delivery.status == 201 and delivery.body == {"status": "booked"} and delivery.replayed
    assert {r.headers["Idempotency-Key"] for r in seen} == {MESSAGE.idempotency_key}
    assert all(r.url.path == "/v1/attestations" and r.content == MESSAGE.payload for r in seen)
    assert slept == [1.0, 2.0]


def test_rest_gives_up_after_bounded_attempts() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    link, slept = rest(handler, attempts=4)
    with pytest.raises(LinkUnavailable, match="after 4 attempts"):
        asyncio.run(link.send(MESSAGE))
    assert slept == [1.0, 2.0, 3.0]


def test_rest_refusal_is_not_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(422, json={"error": "bad_signature", "detail": "nope"})

    link, _ = rest(handler)
    with pytest.raises(LinkRejected) as err:
        asyncio.run(link.send(MESSAGE))
    assert err.value.reason == "bad_signature" and calls == [1]


def test_drop_folder_writes_once_and_reads_inbound(tmp_path: Path) -> None:
    link = DropFolderLink(tmp_path)
    first = asyncio.run(link.send(MESSAGE))
    again = asyncio.run(link.send(MESSAGE))
    assert first.status == 202 and not first.replayed and again.replayed
    [written] = list((tmp_path / "out").iterdir())
    assert written.read_bytes() == MESSAGE.payload and not written.name.endswith(".part")
    other = OutboundMessage(MESSAGE.idempotency_key, MESSAGE.kind, b"{}")
    with pytest.raises(LinkRejected, match="idempotency_conflict"):
        asyncio.run(link.send(other))

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "002.json").write_bytes(b"two")
    (tmp_path / "in" / "001.json").write_bytes(b"one")
    (tmp_path / "in" / "ledger-1.json").write_bytes(b"ledger")
    items = asyncio.run(link.fetch_inbound(None))
    assert [i.data for i in items] == [b"one", b"two"]
    asyncio.run(link.done(items[0]))
    assert [i.data for i in asyncio.run(link.fetch_inbound(None))] == [b"two"]
    assert asyncio.run(link.fetch_ledger()) == b"ledger"


def test_drop_folder_without_ledger_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(LinkUnavailable):
        asyncio.run(DropFolderLink(tmp_path).fetch_ledger())


def test_price_paths() -> None:
    path = parse_price_path("BTC:-25%:3600s")
    assert (path.asset, path.change, path.duration_s) == ("BTC", Decimal("-0.25"), 3600)
    assert path.factor(0) == 1 and path.factor(1800) == Decimal("0.875")
    assert path.factor(7200) == Decimal("0.75")  # flat after the end
    for bad in ("BTC-25", "btc:-25%:1s", "BTC:-100%:10s", "BTC:-25%:10"):
        with pytest.raises(PricePathError):
            parse_price_path(bad)


def test_sim_idempotency_store() -> None:
    sim = make_sim(KeysFile("test", ()))
    status, answer, replayed = sim.post("/v1/attestations", "k1", b"not json")
    assert status == 422 and answer["error"] == "malformed" and not replayed
    again = sim.post("/v1/attestations", "k1", b"not json")
    assert again == (422, answer, True)
    status, answer, _ = sim.post("/v1/attestations", "k1", b"other bytes")
    assert status == 422 and answer["error"] == "idempotency_conflict"
    assert sim.post("/v1/attestations", None, b"{}")[0] == 400
    assert sim.post("/v1/nowhere", "k2", b"{}")[0] == 404
    assert sim.stats()["bookings_per_key"] == {}


def test_openapi_lists_every_route_of_the_simulator() -> None:
    import re

    root = Path(__file__).resolve().parents[2]
    spec = (root / "docs" / "exchange-api.yaml").read_text()
    server = (root / "app" / "exchange" / "sim" / "server.py").read_text()
    state = (root / "app" / "exchange" / "sim" / "state.py").read_text()
    routes = {r for r in re.findall(r'"(/v1/[a-z/]+)"', server + state) if not r.endswith("/")}
    assert routes and all(f"  {route}:" in spec for route in routes), routes


def test_sim_keys_file_missing_is_transient(tmp_path: Path) -> None:
    sim = make_sim(tmp_path / "keys.json")  # not written yet
    status, answer, _ = sim.post("/v1/attestations", "k1", b'{"document":"custody-desk/document",'
                                 b'"version":1,"kind":"attestation_bundle","statement":"x",'
                                 b'"body":{},"signatures":[]}')
    assert status == 503 and answer["error"] == "keys_unavailable"
    (tmp_path / "keys.json").write_bytes(KeysFile("test", ()).to_bytes())
    status, answer, replayed = sim.post("/v1/attestations", "k1", b'{"document":"custody-desk/'
                                        b'document","version":1,"kind":"attestation_bundle",'
                                        b'"statement":"x","body":{},"signatures":[]}')
    assert status == 422 and not replayed  # the retry was really run, not answered from store
