"""Network faults between the desk and the exchange: nothing lost, nothing sent twice.

Each case pushes one signed attestation through the outbox while the simulator
misbehaves (down, slow, 500, connection reset after it booked), then lets the
desk retry (sometimes after a restart). The simulator counts bookings per
idempotency key: exactly one, and the outbox ends with the message sent.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from test_exchange_support import Desk, open_desk

from app.exchange.outbox import exchange_repo, flush, pending
from app.exchange.push import queue_attestation
from app.exchange.sim.server import start_sim
from app.services import margin_calls as mc
from signing.emulator.main import RunningEmulator

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)


def outbox_states(desk: Desk) -> list[tuple[str, int]]:
    with desk.store.read() as tx:
        return [(m.status, m.attempts) for m in exchange_repo(tx).outbox()]


async def queued(desk: Desk) -> str:
    att = await desk.attest("alnoor-quant")
    return queue_attestation(desk.store, att, actor="test")


def assert_booked_once(desk: Desk, key: str) -> None:
    stats = desk.sim.stats()
    assert stats["bookings_per_key"] == {key: 1}
    assert stats["bookings_per_attestation"] == {"1": 1}
    assert outbox_states(desk)[0][0] == "sent"
    assert pending(desk.store) == []


@pytest.mark.parametrize("mode", ["error500", "reset", "down"])
def test_transient_fault_is_retried_with_the_same_key(
    tmp_path: Path, devices: dict[str, RunningEmulator], mode: str
) -> None:
    async def flow() -> None:
        async with open_desk(tmp_path, devices) as desk:
            link = desk.link(attempts=3)
            key = await queued(desk)
            desk.sim.faults.mode, desk.sim.faults.count = mode, 2  # two failures, then fine
            report = await flush(desk.store, link, on_delivered=mc.apply_delivery)
            assert report.clean and key in report.sent
            # after a reset the exchange had booked: the retry got the stored answer back
            assert report.sent[key].replayed is (mode == "reset")
            assert_booked_once(desk, key)

    asyncio.run(flow())


def test_slow_exchange_times_out_then_the_retry_books_once(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    async def flow() -> None:
        async with open_desk(tmp_path, devices) as desk:
            link = desk.link(timeout_s=0.3, attempts=4)
            key = await queued(desk)
            desk.sim.faults.mode, desk.sim.faults.count = "slow", 1
            desk.sim.faults.delay_s = 0.8
            report = await flush(desk.store, link, on_delivered=mc.apply_delivery)
            assert report.clean
            await asyncio.sleep(0.8)  # let the slow request finish on the exchange's side
            assert_booked_once(desk, key)

    asyncio.run(flow())


def test_exchange_down_then_desk_restart_sends_from_the_store(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    async def flow() -> None:
        async with open_desk(tmp_path, devices) as desk:
            port = desk.running.port
            link = desk.link(timeout_s=0.5, attempts=2)
            key = await queued(desk)
            desk.running.stop()  # the exchange is gone: connection refused
            report = await flush(desk.store, link)
            assert key in report.retrying and not report.sent
            assert outbox_states(desk) == [("pending", 1)]
            # the desk restarts while the exchange is still down: nothing is lost
            desk.reopen()
            assert [m.idempotency_key for m in pending(desk.store)] == [key]
            # the exchange is back on the same port, with its books intact
            desk.running = start_sim(desk.sim, port=port)
            report = await flush(desk.store, link)
            assert report.sent == {}, "the back-off schedule holds the retry"
            report = await flush(desk.store, link, ignore_schedule=True,
                                 on_delivered=mc.apply_delivery)
            assert report.clean and key in report.sent
            assert_booked_once(desk, key)
            # flushing again sends nothing
            assert (await flush(desk.store, link, ignore_schedule=True)).sent == {}
            assert desk.sim.stats()["bookings_per_key"] == {key: 1}

    asyncio.run(flow())


def test_refusal_is_not_retried_and_never_half_applied(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    async def flow() -> None:
        async with open_desk(tmp_path, devices) as desk:
            link = desk.link()
            key = await queued(desk)
            desk.sim._keys_source = desk.sim.keys().__class__("test", ())  # forgets our keys
            report = await flush(desk.store, link)
            assert key in report.failed and "unknown_key" in report.failed[key]
            assert outbox_states(desk) == [("failed", 1)]
            assert desk.sim.stats()["bookings_per_key"] == {}

    asyncio.run(flow())


def test_booked_but_unacknowledged_then_restart_is_booked_once(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    """The exchange books, the connection drops before its answer, the desk stops:
    after the restart the outbox sends again and gets the stored answer."""

    async def flow() -> None:
        async with open_desk(tmp_path, devices) as desk:
            link = desk.link(attempts=1)
            key = await queued(desk)
            desk.sim.faults.mode, desk.sim.faults.count = "reset", 1
            report = await flush(desk.store, link)
            assert key in report.retrying
            assert desk.sim.stats()["bookings_per_key"] == {key: 1}  # booked, unanswered
            desk.reopen()
            report = await flush(desk.store, link, ignore_schedule=True,
                                 on_delivered=mc.apply_delivery)
            assert report.sent[key].replayed and report.sent[key].status == 201
            assert_booked_once(desk, key)

    asyncio.run(flow())


def test_two_desk_processes_flushing_at_once_book_once(
    tmp_path: Path, devices: dict[str, RunningEmulator]
) -> None:
    """The GUI's timer and a CLI `outbox --send` race on the same message."""

    async def flow() -> None:
        async with open_desk(tmp_path, devices) as desk:
            links = [desk.link(), desk.link()]
            key = await queued(desk)
            desk.sim.faults.mode, desk.sim.faults.count = "slow", 2
            desk.sim.faults.delay_s = 0.2  # both requests are in flight together
            reports = await asyncio.gather(*(flush(desk.store, link) for link in links))
            assert all(key in r.sent for r in reports)
            assert sorted(r.sent[key].replayed for r in reports) == [False, True]
            assert_booked_once(desk, key)

    asyncio.run(flow())
