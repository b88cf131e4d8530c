"""The one thread that talks to signing devices.

hidapi (and trezorlib's transports above it) is not thread-safe, so every
device call in the process runs on a single worker thread, in order. Async
callers ``await device_thread.run(fn, on_cancel=signer.cancel)``; blocking
callers use ``submit(fn).result()``.

Cancellation: when the awaiting asyncio task is cancelled, ``run`` calls
``on_cancel`` (which must be thread-safe, e.g. ``Signer.cancel``) so the device
flow really stops, waits briefly for the device call to unwind (so the next
call finds the thread free), drops its result, and re-raises
``asyncio.CancelledError``. It deliberately does not turn the cancellation into
``CancelledByHost``: asyncio's own machinery (TaskGroup, ``asyncio.timeout``)
needs CancelledError to propagate. ``CancelledByHost`` is what the device call
itself raises on the device thread, and what a caller sees when something else
(e.g. the GUI's modal Cancel calling ``signer.cancel()``) stops a flow it is
still awaiting.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from signing.errors import DeviceBusy

log = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_SETTLE_SECONDS = 5.0


class DeviceThread:
    """A single worker thread running device calls one at a time, in submission order."""

    def __init__(self, name: str = "signing-device") -> None:
        self._name = name
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix=name
        )
        self._thread_ident: int | None = None
        self._closed = False
        self._lock = threading.Lock()
        self._executor.submit(self._remember_thread).result()

    def _remember_thread(self) -> None:
        self._thread_ident = threading.get_ident()

    @property
    def name(self) -> str:
        return self._name

    def in_device_thread(self) -> bool:
        """True when called from the device thread itself."""
        return threading.get_ident() == self._thread_ident

    def submit(self, fn: Callable[[], T]) -> concurrent.futures.Future[T]:
        """Queue ``fn`` for the device thread. Raises DeviceBusy after ``shutdown``."""
        with self._lock:
            if self._closed:
                raise DeviceBusy("the device thread has shut down")
            return self._executor.submit(fn)

    def call(self, fn: Callable[[], T], timeout: float | None = None) -> T:
        """Run ``fn`` on the device thread and wait (inline when already on it)."""
        if self.in_device_thread():
            return fn()
        return self.submit(fn).result(timeout)

    async def run(
        self,
        fn: Callable[[], T],
        *,
        on_cancel: Callable[[], None] | None = None,
        settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    ) -> T:
        """Await ``fn`` run on the device thread; see the module docstring for cancellation."""
        future = self.submit(fn)
        wrapped = asyncio.wrap_future(future)
        try:
            return await asyncio.shield(wrapped)
        except asyncio.CancelledError:
            if future.done() or future.cancel():  # finished, or never started: nothing to stop
                if future.done() and not future.cancelled():
                    future.exception()  # outcome dropped on purpose
                raise
            if on_cancel is not None:
                try:
                    on_cancel()
                except Exception:
                    log.exception("on_cancel failed")
            await self._settle(wrapped, settle_seconds)
            raise

    @staticmethod
    async def _settle(wrapped: asyncio.Future[T], seconds: float) -> None:
        """Wait for a cancelled device call to unwind; its outcome is dropped."""
        with contextlib.suppress(asyncio.CancelledError):  # cancelled again: stop waiting
            await asyncio.wait({wrapped}, timeout=seconds)
        if wrapped.done():
            if not wrapped.cancelled() and wrapped.exception() is not None:
                log.debug("cancelled device call ended with %r", wrapped.exception())
        else:
            log.warning("device call still running %.1f s after cancel", seconds)
            wrapped.add_done_callback(_consume)

    def shutdown(self, wait: bool = True) -> None:
        """Refuse new calls, drop queued ones, and (if ``wait``) let the current one end."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._executor.shutdown(wait=wait, cancel_futures=True)


def _consume(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()  # mark retrieved: no "exception never retrieved" noise


_shared: DeviceThread | None = None
_shared_lock = threading.Lock()


def shared_device_thread() -> DeviceThread:
    """The process-wide device thread (created on first use)."""
    global _shared  # noqa: PLW0603 - the one instance per process
    with _shared_lock:
        if _shared is None:
            _shared = DeviceThread()
            atexit.register(shutdown_shared_device_thread)
        return _shared


def shutdown_shared_device_thread(wait: bool = True) -> None:
    """Stop the process-wide device thread; the next ``shared_device_thread()`` makes a new one."""
    global _shared
    with _shared_lock:
        thread, _shared = _shared, None
    if thread is not None:
        thread.shutdown(wait=wait)
