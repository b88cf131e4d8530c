"""Running one blocking device operation from a service, off the caller's thread.

Every device call goes through the signing library's device thread when it is
available (``signing.device_thread``), else through one dedicated worker
thread of our own, so the GUI's event loop never blocks on a device. The
signer is opened, used and closed inside that one call.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from signing.interface import DeviceIdentity, Interaction, Signer

logger = logging.getLogger(__name__)
T = TypeVar("T")

SignerFactory = Callable[[str], Signer]

_fallback_executor: ThreadPoolExecutor | None = None


def default_signer_factory(uri: str) -> Signer:
    """Open a signer by URI through the signing library's registry."""
    registry = importlib.import_module("signing.registry")
    signer: Signer = registry.open_signer(uri)
    return signer


def _executor() -> ThreadPoolExecutor:
    global _fallback_executor  # noqa: PLW0603 - one process-wide device worker
    if _fallback_executor is None:
        _fallback_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="device")
    return _fallback_executor


async def run_on_device(
    uri: str,
    operation: Callable[[Signer, DeviceIdentity], T],
    interaction: Interaction,
    signer_factory: SignerFactory | None = None,
) -> T:
    """Open the signer at ``uri``, run ``operation(signer, identity)``, close it.

    Typed ``signing.errors`` propagate unchanged to the caller.
    """
    factory = signer_factory or default_signer_factory
    holder: dict[str, Signer] = {}

    def blocking() -> T:
        signer = factory(uri)
        holder["signer"] = signer
        try:
            identity = signer.open(interaction)
            return operation(signer, identity)
        finally:
            signer.close()

    def on_cancel() -> None:
        signer = holder.get("signer")
        if signer is not None:
            signer.cancel()

    try:
        device_thread: Any = importlib.import_module("signing.device_thread")
    except ImportError:
        device_thread = None
    runner: Any = getattr(device_thread, "shared_device_thread", None)
    if runner is not None:
        result = runner().run(blocking, on_cancel=on_cancel)
        if inspect.isawaitable(result):
            return await result  # type: ignore[no-any-return]
        return result  # type: ignore[no-any-return]
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(_executor(), blocking)
    try:
        return await future
    except asyncio.CancelledError:
        on_cancel()
        raise
