"""The single device thread and its cancellation contract."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest

from signing.device_thread import DeviceThread, shared_device_thread, shutdown_shared_device_thread
from signing.errors import CancelledByHost, DeviceBusy


@pytest.fixture
def device_thread() -> Iterator[DeviceThread]:
    thread = DeviceThread("test-device")
    yield thread
    thread.shutdown()


def test_all_calls_run_on_one_thread_in_order(device_thread: DeviceThread) -> None:
    seen: list[tuple[int, int]] = []
    futures = [
        device_thread.submit(lambda i=i: seen.append((i, threading.get_ident()))) for i in range(50)
    ]
    for f in futures:
        f.result(timeout=5)
    assert [i for i, _ in seen] == list(range(50))
    assert len({ident for _, ident in seen}) == 1
    assert seen[0][1] != threading.get_ident()


def test_run_returns_values_and_raises_typed_errors(device_thread: DeviceThread) -> None:
    async def main() -> None:
        assert await device_thread.run(lambda: 42) == 42

        def fail() -> None:
            raise DeviceBusy("held by another app")

        with pytest.raises(DeviceBusy):
            await device_thread.run(fail)

    asyncio.run(main())


def test_cancelling_the_task_calls_on_cancel_and_raises_cancelled_error(
    device_thread: DeviceThread,
) -> None:
    """A blocking device flow (waiting for a button) is stopped through on_cancel.

    The await raises asyncio.CancelledError (documented choice); the device call
    itself ends with CancelledByHost on the device thread, and the thread is free
    again right after.
    """
    stop = threading.Event()
    started = threading.Event()
    outcome: list[str] = []

    def wait_for_button() -> str:
        started.set()
        if stop.wait(10):
            outcome.append("cancelled")
            raise CancelledByHost("button wait aborted")
        outcome.append("timed out")
        return "signed"

    async def main() -> None:
        task = asyncio.create_task(device_thread.run(wait_for_button, on_cancel=stop.set))
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 5)
        t0 = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - t0 < 2
        assert outcome == ["cancelled"]  # the device flow really stopped
        assert await device_thread.run(lambda: "next call") == "next call"

    asyncio.run(main())


def test_wait_for_timeout_cancels_the_device_flow(device_thread: DeviceThread) -> None:
    stop = threading.Event()

    def slow() -> None:
        if stop.wait(10):
            raise CancelledByHost()

    async def main() -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(device_thread.run(slow, on_cancel=stop.set), 0.1)

    asyncio.run(main())
    assert stop.is_set()


def test_queued_call_cancelled_before_start_never_runs(device_thread: DeviceThread) -> None:
    gate = threading.Event()
    ran: list[str] = []

    async def main() -> None:
        blocker = asyncio.create_task(device_thread.run(lambda: gate.wait(5)))
        queued = asyncio.create_task(
            device_thread.run(lambda: ran.append("queued"), on_cancel=lambda: ran.append("x"))
        )
        await asyncio.sleep(0.05)
        queued.cancel()
        with pytest.raises(asyncio.CancelledError):
            await queued
        gate.set()
        await blocker

    asyncio.run(main())
    assert ran == []  # neither the call nor on_cancel: there was nothing to stop


def test_call_inline_on_the_device_thread_does_not_deadlock(device_thread: DeviceThread) -> None:
    result = device_thread.call(lambda: device_thread.call(lambda: "nested"), timeout=5)
    assert result == "nested"


def test_shutdown_refuses_new_calls() -> None:
    thread = DeviceThread()
    thread.shutdown()
    with pytest.raises(DeviceBusy):
        thread.submit(lambda: None)
    thread.shutdown()  # twice is fine


def test_shared_instance_is_one_until_shut_down() -> None:
    first = shared_device_thread()
    assert shared_device_thread() is first
    shutdown_shared_device_thread()
    second = shared_device_thread()
    assert second is not first
    assert second.call(lambda: 1) == 1
