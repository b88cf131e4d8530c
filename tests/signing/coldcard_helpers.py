"""Shared pieces of the Coldcard tests: a scriptable key store, servers, signers.

TEST ONLY: keys come from the public BIP-39 test mnemonic of twelve times "all".
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from signing.crypto.addresses import ScriptType, address_for
from signing.crypto.bip32 import ExtendedKey, master_key, parse_path
from signing.crypto.bip39 import mnemonic_to_seed
from signing.crypto.message import sign_message_digest
from signing.emulator.coldcard_server import ColdcardServer
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL

ALL_FINGERPRINT = "5c9e228d"  # trezor-firmware's device-test seed


@dataclass
class ScriptedHsm:
    """A ``ColdcardBackend`` whose human and cable the test controls.

    ``policy``: "auto" approves, "reject" refuses, "hold" waits until the test
    calls ``decide(True|False)`` or the device cancels the prompt.
    """

    mnemonic: str = TEST_MNEMONIC_ALL
    policy: str = "auto"
    locked: bool = False
    unplugged: bool = False
    prompts: list[str] = field(default_factory=list)
    prompt_shown: threading.Event = field(default_factory=threading.Event)
    _decision: bool | None = None
    _decided: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._root: ExtendedKey = master_key(mnemonic_to_seed(self.mnemonic))
        self._cache: dict[str, ExtendedKey] = {}

    def _node(self, path: str) -> ExtendedKey:
        if path not in self._cache:
            self._cache[path] = self._root.derive(parse_path(path))
        return self._cache[path]

    @property
    def master_fingerprint(self) -> bytes:
        return self._root.fingerprint()

    @property
    def master_xpub(self) -> str:
        return self._root.neuter().to_xpub()

    def xpub(self, path: str) -> str:
        return self._node(path).neuter().to_xpub()

    def address(self, path: str, script_type: ScriptType) -> str:
        return address_for(self._node(path).public_key, script_type)

    def sign_message(self, path: str, text: str, script_type: ScriptType) -> bytes:
        secret = self._node(path).secret
        assert secret is not None
        return sign_message_digest(secret, text, script_type)

    def decide(self, approve: bool) -> None:
        self._decision = approve
        self._decided.set()

    def request_approval(self, text: str, cancel_event: threading.Event) -> bool:
        self.prompts.append(text)
        self.prompt_shown.set()
        if self.policy == "auto":
            return True
        if self.policy == "reject":
            return False
        while not cancel_event.is_set():
            if self._decided.wait(0.01):
                self._decided.clear()
                return bool(self._decision)
        return False


@contextmanager
def running_server(hsm: object) -> Iterator[ColdcardServer]:
    """An emulator on a fresh socket path in a private temp dir."""
    with tempfile.TemporaryDirectory(prefix="cc-test-") as tmp:
        server = ColdcardServer(hsm, os.path.join(tmp, "ckcc-simulator.sock"))
        server.start()
        try:
            yield server
        finally:
            server.stop()
