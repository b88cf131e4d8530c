"""Adapts ``SoftHsm`` to what the emulated Coldcard needs (``ColdcardBackend``)."""

from __future__ import annotations

import threading

from signing.crypto.addresses import ScriptType
from signing.emulator.coldcard_device import ColdcardBackend
from signing.emulator.hsm import ApprovalMode, SoftHsm


class SoftHsmColdcardBackend:
    """A ``ColdcardBackend`` over a ``SoftHsm``: keys, approval, PIN lock and cable."""

    def __init__(self, hsm: SoftHsm) -> None:
        self.hsm = hsm

    @property
    def master_fingerprint(self) -> bytes:
        return self.hsm.master_fingerprint()

    @property
    def master_xpub(self) -> str:
        return self.hsm.master_xpub

    @property
    def decides_at_once(self) -> bool:
        """Auto-approve and reject answer without waiting for anyone."""
        return self.hsm.policy.mode in (ApprovalMode.AUTO, ApprovalMode.REJECT)

    @property
    def locked(self) -> bool:
        return self.hsm.locked

    @property
    def unplugged(self) -> bool:
        return self.hsm.unplugged

    def xpub(self, path: str) -> str:
        return self.hsm.public_node(path).to_xpub()

    def address(self, path: str, script_type: ScriptType) -> str:
        return self.hsm.get_public_key(path, script_type).address

    def sign_message(self, path: str, text: str, script_type: ScriptType) -> bytes:
        return self.hsm.sign_message(path, text, script_type).signature

    def request_approval(self, text: str, cancel_event: threading.Event) -> bool:
        return self.hsm.request_approval(text, cancel_event)

    def pubkey(self, path: tuple[int, ...]) -> bytes:
        return self.hsm.public_node(path).public_key

    def display(self, text: str) -> None:
        self.hsm.display(text)

    def sign_digest(self, path: tuple[int, ...], digest: bytes) -> bytes:
        return self.hsm.sign_digest(path, digest)


def as_coldcard_backend(hsm: SoftHsm | ColdcardBackend) -> ColdcardBackend:
    """Wrap a ``SoftHsm``; pass anything else (a test double) through unchanged."""
    if isinstance(hsm, SoftHsm):
        return SoftHsmColdcardBackend(hsm)
    return hsm
