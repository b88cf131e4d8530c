"""Shared pieces of the Coldcard tests: an emulated human, emulator servers, signers.

TEST ONLY: keys come from the public BIP-39 test mnemonic of twelve times "all".
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from signing.devices.coldcard import ColdcardSigner
from signing.devices.coldcard_discovery import signer_for_uri
from signing.emulator.coldcard_server import ColdcardServer
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL
from signing.interface import DevicePrompt

ALL_FINGERPRINT = "5c9e228d"  # trezor-firmware's device-test seed
SIGN_PATH = "m/44'/0'/0'/0/0"
SIGN_TEXT = "This is an example of a signed message."
# trezor-firmware tests/device_tests/bitcoin/test_signmessage.py, seed "all" x12, same path/text.
SIGN_ADDRESS = "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL"
SIGN_SIGNATURE_HEX = (
    "20fd8f2f7db5238fcdd077d5204c3e6949c261d700269cefc1d9d2dcef6b9502"
    "3630ee617f6c8acf9eb40c8edd704c9ca74ea4afc393f43f35b4e8958324cbdd1c"
)


class Human:
    """The person at the emulator's terminal: answers prompts when the test says so."""

    def __init__(self) -> None:
        read_fd, write_fd = os.pipe()
        self.terminal_in = os.fdopen(read_fd, "r")
        self._writer = os.fdopen(write_fd, "w")
        self.terminal_out = io.StringIO()

    def answer(self, approve: bool) -> None:
        self._writer.write("y\n" if approve else "n\n")
        self._writer.flush()

    def close(self) -> None:
        self._writer.close()
        self.terminal_in.close()


def make_hsm(approve: str = "auto", pin: str | None = None, human: Human | None = None) -> SoftHsm:
    return SoftHsm(
        TEST_MNEMONIC_ALL,
        pin=pin,
        approve=approve,
        terminal_in=human.terminal_in if human else None,
        terminal_out=human.terminal_out if human else None,
    )


def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


@contextmanager
def running_server(hsm: SoftHsm) -> Iterator[ColdcardServer]:
    """An emulator on a fresh socket path in a private temp dir."""
    with tempfile.TemporaryDirectory(prefix="cc-test-") as tmp:
        server = ColdcardServer(hsm, os.path.join(tmp, "ckcc-simulator.sock"))
        server.start()
        try:
            yield server
        finally:
            server.stop()


class RecordingInteraction:
    """Records prompts and completions; PIN and passphrase are never asked of it."""

    def __init__(self) -> None:
        self.prompts: list[DevicePrompt] = []
        self.done = 0

    def on_prompt(self, prompt: DevicePrompt) -> None:
        self.prompts.append(prompt)

    def on_done(self) -> None:
        self.done += 1

    def request_pin(self, device_label: str) -> str:
        raise AssertionError("a Coldcard never asks the host for its PIN")

    def request_passphrase(self, device_label: str) -> str:
        raise AssertionError("not used")


def open_signer(
    server: ColdcardServer,
    interaction: RecordingInteraction | None = None,
    **options: object,
) -> ColdcardSigner:
    signer = signer_for_uri(server.uri, **options)  # type: ignore[arg-type]
    signer.open(interaction or RecordingInteraction())
    return signer
