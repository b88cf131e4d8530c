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
from dataclasses import dataclass
from typing import TypeVar

from signing.device_thread import shared_device_thread
from signing.errors import InvalidSignature, WrongDevice
from signing.interface import DeviceIdentity, Interaction, Signer
from signing.registry import open_signer
from signing.verify import verify_message_pubkey

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


@dataclass(frozen=True)
class DeviceSignature:
    """A signature made on a device, already checked against the expected key."""

    pubkey: bytes
    address: str
    signature: bytes


async def sign_on_device(
    uri: str,
    path: str,
    text: str,
    interaction: Interaction,
    *,
    expected_pubkey: bytes | None = None,
    signer_factory: SignerFactory | None = None,
) -> DeviceSignature:
    """Have the device at ``uri`` show and sign ``text`` with its key at ``path``.

    With ``expected_pubkey`` the device must hold exactly that key (else
    ``WrongDevice`` before anything is signed). The result is returned only if
    the device signed exactly ``text`` and the signature verifies (else
    ``InvalidSignature``), so a caller may store it as is.
    """

    def sign(signer: Signer, identity: DeviceIdentity) -> tuple[bytes, str, str, bytes]:
        key = signer.get_public_key(path)
        if expected_pubkey is not None and key.pubkey != expected_pubkey:
            raise WrongDevice(f"{identity.label} does not hold the registered key at {path}")
        made = signer.sign_message(path, text)
        return key.pubkey, key.address, made.text, made.signature

    pubkey, address, signed_text, signature = await run_on_device(
        uri, sign, interaction, signer_factory
    )
    if signed_text != text or not verify_message_pubkey(pubkey, text, signature):
        raise InvalidSignature("the device's signature does not verify against its key")
    return DeviceSignature(pubkey, address, signature)
