"""Running one blocking device operation from a service, on the device thread.

Every device call goes through the signing library's single device thread
(``signing.device_thread``), so the GUI's event loop never blocks on a device
and hidapi is never used from two threads. The signer is opened, used and
closed inside that one call; cancelling the awaiting task cancels the device
flow (``Signer.cancel``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from signing.device_thread import shared_device_thread
from signing.interface import DeviceIdentity, Interaction, Signer
from signing.registry import open_signer

logger = logging.getLogger(__name__)
T = TypeVar("T")

SignerFactory = Callable[[str], Signer]


async def run_on_device(
    uri: str,
    operation: Callable[[Signer, DeviceIdentity], T],
    interaction: Interaction,
    signer_factory: SignerFactory | None = None,
) -> T:
    """Open the signer at ``uri``, run ``operation(signer, identity)``, close it.

    Typed ``signing.errors`` propagate unchanged to the caller.
    """
    factory = signer_factory or open_signer
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

    return await shared_device_thread().run(blocking, on_cancel=on_cancel)
