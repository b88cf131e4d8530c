"""Adapts the software HSM to what the emulated Coldcard needs (``ColdcardBackend``)."""

from __future__ import annotations

import threading
from typing import Any, cast

from signing.crypto.addresses import ScriptType, address_for
from signing.crypto.bip32 import ExtendedKey, parse_path
from signing.emulator.coldcard_device import ColdcardBackend


class SoftHsmColdcardBackend:
    """A ``ColdcardBackend`` over ``signing.emulator.hsm.SoftHsm``."""

    def __init__(self, hsm: Any) -> None:
        self._hsm = hsm

    def _node(self, path: str) -> ExtendedKey:
        return cast(ExtendedKey, self._hsm.public_node(parse_path(path)))

    @property
    def master_fingerprint(self) -> bytes:
        return bytes(self._hsm.master_fingerprint())

    @property
    def master_xpub(self) -> str:
        return self._node("m").to_xpub()

    @property
    def locked(self) -> bool:
        for name in ("locked", "is_locked"):
            value = getattr(self._hsm, name, None)
            if value is not None:
                return bool(value() if callable(value) else value)
        return False

    @property
    def unplugged(self) -> bool:
        for name in ("unplugged", "is_unplugged"):
            value = getattr(self._hsm, name, None)
            if value is not None:
                flag = value() if callable(value) else value
                if isinstance(flag, threading.Event):
                    return flag.is_set()
                return bool(flag)
        return False

    def xpub(self, path: str) -> str:
        return self._node(path).to_xpub()

    def address(self, path: str, script_type: ScriptType) -> str:
        return address_for(self._node(path).public_key, script_type)

    def sign_message(self, path: str, text: str, script_type: ScriptType) -> bytes:
        return bytes(self._hsm.sign(parse_path(path), text.encode("ascii"), script_type))

    def request_approval(self, text: str, cancel_event: threading.Event) -> bool:
        return bool(self._hsm.request_approval(text, cancel_event))


def as_coldcard_backend(hsm: object) -> ColdcardBackend:
    """``hsm`` itself if it already is a ``ColdcardBackend``, else the SoftHsm adapter."""
    if all(hasattr(hsm, name) for name in ("master_xpub", "xpub", "address", "sign_message")):
        return cast(ColdcardBackend, hsm)
    return SoftHsmColdcardBackend(hsm)
