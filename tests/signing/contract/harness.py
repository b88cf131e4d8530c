"""One harness per device family: the same verbs over each family's emulator.

The contract tests (``test_contract.py``) speak only these verbs and the public
``signing.interface.Signer`` API, so adding a device family to the suite means
adding one ``DriverHarness`` subclass here and listing it in ``HARNESSES``.

Every harness runs one in-process ``SoftHsm`` emulator (``start_emulator``)
serving only its family's endpoint, plus the operator control channel; the
emulated human (approve/reject/delay), the PIN lock, the armed unplug and the
replug go through that channel, exactly as a tester would drive them.

Transcripts are the message kinds the emulated *device* saw and sent, in the
protocol's own names, as ``("in" | "out", name)`` pairs. TEST ONLY: the seed is
the public BIP-39 test mnemonic of twelve times "all".
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar

from signing import registry
from signing.emulator.control import ControlClient
from signing.emulator.main import RunningEmulator, start_emulator
from signing.interface import Signer

Transcript = list[tuple[str, str]]

# Flow names every harness gives an exact device-side transcript for.
FLOW_OPEN = "open"
FLOW_SIGN_NEW_PATH = "sign_new_path"  # first signature at a path: the driver reads its key
FLOW_SIGN_KNOWN_PATH = "sign_known_path"
FLOW_REJECT = "reject"  # key already known
FLOW_HOST_CANCEL = "host_cancel"  # key already known; repeated waiting polls collapsed
FLOW_CONFIRM_TIMEOUT = "confirm_timeout"  # key already known; polls collapsed
FLOW_UNPLUG_AT_PROMPT = "unplug_at_prompt"  # key already known
FLOW_LOCKED = "locked"  # key known, device locked, nobody can enter the PIN on the host
# Only for families with host PIN entry (Capability.PIN_MATRIX); key already known:
FLOW_WRONG_PIN = "wrong_pin"
FLOW_PIN_CANCELLED = "pin_cancelled"
FLOW_UNPLUG_AT_PIN_PROMPT = "unplug_at_pin_prompt"
FLOW_PIN_THEN_SIGN = "pin_then_sign"
# "Show address on device" (every family with Capability.SHOW_ADDRESS):
FLOW_SHOW_ADDRESS = "show_address"
FLOW_SHOW_ADDRESS_REJECTED = "show_address_rejected"  # families whose human confirms
FLOWS = (
    FLOW_OPEN,
    FLOW_SIGN_NEW_PATH,
    FLOW_SIGN_KNOWN_PATH,
    FLOW_REJECT,
    FLOW_HOST_CANCEL,
    FLOW_CONFIRM_TIMEOUT,
    FLOW_UNPLUG_AT_PROMPT,
    FLOW_LOCKED,
)
PIN_FLOWS = (FLOW_WRONG_PIN, FLOW_PIN_CANCELLED, FLOW_UNPLUG_AT_PIN_PROMPT, FLOW_PIN_THEN_SIGN)


def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not in time: {what or condition}")
        time.sleep(0.005)


class DriverHarness(ABC):
    """The verbs a contract test may use on one device family's emulator."""

    family: ClassVar[str]
    # Whether the device waits for its human to confirm a shown address (Trezor) or only
    # displays it and answers at once (Coldcard's ``show``: nothing to reject).
    show_address_asks_human: ClassVar[bool] = True
    # test function name -> the driver bug that makes it fail (marked xfail(strict=True)).
    known_bugs: ClassVar[dict[str, str]] = {}

    def __init__(self, workdir: str) -> None:
        self.workdir = workdir
        self.emu: RunningEmulator = start_emulator(
            **self.emulator_endpoints(workdir),
            approve="auto",
            control=os.path.join(workdir, "ctl.sock"),
        )
        assert self.emu.control_path is not None
        self.control = ControlClient(self.emu.control_path)
        self.install_recorder()

    def close(self) -> None:
        self.control.close()
        self.emu.stop()

    # ---- per-family parts ------------------------------------------------------------

    @staticmethod
    @abstractmethod
    def emulator_endpoints(workdir: str) -> dict[str, Any]:
        """``start_emulator`` keyword arguments serving this family only."""

    @property
    @abstractmethod
    def uri(self) -> str:
        """The emulated device's URI, as the desk's registry opens it."""

    @abstractmethod
    def configure_timeouts(self, signer: Signer, *, confirm_s: float, response_s: float) -> None:
        """Set the driver's own deadlines (for a human's decision; for any answer)."""

    @abstractmethod
    def install_recorder(self) -> None:
        """Start recording the device-side transcript."""

    @abstractmethod
    def transcript(self) -> Transcript:
        """Device-side message kinds since the last ``clear_transcript``."""

    @abstractmethod
    def clear_transcript(self) -> None: ...

    @abstractmethod
    def stall(self, stalled: bool = True) -> None:
        """A hung device: requests are read but never answered."""

    @abstractmethod
    def plugged(self) -> bool:
        """The endpoint is served again (after a replug)."""

    @abstractmethod
    def expected_transcript(self, flow: str) -> Transcript:
        """The exact device-side transcript of ``flow``: one of ``FLOWS``, and of
        ``PIN_FLOWS`` for a family with host PIN entry."""

    def normalised(self, transcript: Transcript) -> Transcript:
        """``transcript`` with timing-dependent repeats removed (default: none)."""
        return transcript

    def host_pin_entry(self, pin: str) -> Callable[[], str]:
        """What the host types when the device asks for ``pin`` (called at ask time)."""
        return lambda: pin

    # ---- shared verbs (the operator control channel) ----------------------------------

    def make_signer(self, *, confirm_s: float = 5.0, response_s: float = 3.0) -> Signer:
        """An unopened signer from the registry, with short deadlines for the suite."""
        signer = registry.open_signer(self.uri)
        self.configure_timeouts(signer, confirm_s=confirm_s, response_s=response_s)
        return signer

    def set_approve(self, mode: str) -> None:
        self.control.request("set_approve", mode=mode)

    def lock_with_pin(self, pin: str) -> None:
        """Set a PIN: the device is locked until it is entered."""
        self.control.request("set_pin", pin=pin)

    def unlock_on_device(self, pin: str) -> None:
        """The officer types the PIN on the device itself (families without host entry)."""
        self.emu.hsm.unlock(pin)

    def arm_unplug_at_next_prompt(self) -> None:
        self.control.request("arm_unplug")

    def unplug(self) -> None:
        self.control.request("unplug")
        wait_until(lambda: not self.plugged(), what="unplugged")

    def replug(self) -> None:
        self.control.request("replug")
        wait_until(self.plugged, what="plugged back in")

    def state(self) -> dict[str, Any]:
        return self.control.state()

    def signatures_made(self) -> int:
        """How many signatures the emulated secure element has produced."""
        return int(self.state()["signatures"])

    def prompts_shown(self) -> int:
        return int(self.state()["prompts"])


class TrezorHarness(DriverHarness):
    family = "trezor"

    @staticmethod
    def emulator_endpoints(workdir: str) -> dict[str, Any]:
        return {"trezor_port": 0, "coldcard_socket": None}

    @property
    def uri(self) -> str:
        return self.emu.trezor_uri

    @property
    def _server(self) -> Any:
        assert self.emu.trezor is not None
        return self.emu.trezor

    def configure_timeouts(self, signer: Signer, *, confirm_s: float, response_s: float) -> None:
        from signing.devices.trezor import TrezorSigner

        # TrezorSigner copies these into its transport at every (re)connect.
        assert isinstance(signer, TrezorSigner), type(signer)
        signer.confirm_timeout = confirm_s
        signer.response_timeout = response_s

    def install_recorder(self) -> None:
        self.clear_transcript()  # the emulated Trezor keeps its own transcript

    def transcript(self) -> Transcript:
        return list(self._server.device.transcript)

    def clear_transcript(self) -> None:
        self._server.device.transcript.clear()

    def stall(self, stalled: bool = True) -> None:
        self._server.stall(stalled)

    def plugged(self) -> bool:
        return bool(self._server.plugged)

    def host_pin_entry(self, pin: str) -> Callable[[], str]:
        # The host sends positions on the scrambled keypad the device shows right now.
        return lambda: str(self._server.device.pin_matrix.positions_for(pin))

    def expected_transcript(self, flow: str) -> Transcript:
        sign = [("in", "SignMessage"), ("out", "ButtonRequest"), ("in", "ButtonAck")]
        pin = [("in", "SignMessage"), ("out", "PinMatrixRequest")]
        cancelled = [("in", "Cancel"), ("out", "Failure")]
        return {
            FLOW_OPEN: [
                ("in", "Cancel"), ("out", "Failure"),  # trezorlib's protocol probe: v1
                ("in", "Initialize"), ("out", "Features"),
                ("in", "Initialize"), ("out", "Features"),
                ("in", "GetPublicKey"), ("out", "PublicKey"),  # root fingerprint
                ("in", "GetFeatures"), ("out", "Features"),
            ],
            FLOW_SIGN_NEW_PATH: [
                ("in", "GetPublicKey"), ("out", "PublicKey"),
                *sign, ("out", "MessageSignature"),
            ],
            FLOW_SIGN_KNOWN_PATH: [*sign, ("out", "MessageSignature")],
            FLOW_REJECT: [*sign, ("out", "Failure")],
            FLOW_HOST_CANCEL: [*sign, *cancelled],
            FLOW_CONFIRM_TIMEOUT: [*sign, *cancelled],  # the driver cancels what it gave up on
            FLOW_UNPLUG_AT_PROMPT: sign,
            FLOW_LOCKED: [*pin, *cancelled],
            FLOW_WRONG_PIN: [*pin, ("in", "PinMatrixAck"), ("out", "Failure")],
            FLOW_PIN_CANCELLED: [*pin, *cancelled],
            FLOW_UNPLUG_AT_PIN_PROMPT: pin,
            FLOW_PIN_THEN_SIGN: [
                *pin, ("in", "PinMatrixAck"), ("out", "ButtonRequest"), ("in", "ButtonAck"),
                ("out", "MessageSignature"),
            ],
            FLOW_SHOW_ADDRESS: [
                ("in", "GetAddress"), ("out", "ButtonRequest"), ("in", "ButtonAck"),
                ("out", "Address"),
            ],
            FLOW_SHOW_ADDRESS_REJECTED: [
                ("in", "GetAddress"), ("out", "ButtonRequest"), ("in", "ButtonAck"),
                ("out", "Failure"),
            ],
        }[flow]  # fmt: skip


class ColdcardHarness(DriverHarness):
    family = "coldcard"
    show_address_asks_human = False

    @staticmethod
    def emulator_endpoints(workdir: str) -> dict[str, Any]:
        return {"trezor_port": None, "coldcard_socket": os.path.join(workdir, "cc.sock")}

    @property
    def uri(self) -> str:
        return self.emu.coldcard_uri

    @property
    def _server(self) -> Any:
        assert self.emu.coldcard is not None
        return self.emu.coldcard

    def configure_timeouts(self, signer: Signer, *, confirm_s: float, response_s: float) -> None:
        from signing.devices.coldcard import ColdcardSigner

        assert isinstance(signer, ColdcardSigner), type(signer)
        signer.approval_timeout_s = confirm_s
        signer.io_timeout_ms = int(response_s * 1000)

    def install_recorder(self) -> None:
        # The link is encrypted (ncry): the emulated device records the plaintext
        # command and answer kinds itself (ColdcardServer.transcript).
        self.clear_transcript()

    def transcript(self) -> Transcript:
        return list(self._server.transcript)

    def clear_transcript(self) -> None:
        self._server.transcript.clear()

    def stall(self, stalled: bool = True) -> None:
        self._server.stall(stalled)

    def plugged(self) -> bool:
        return bool(self._server.plugged)

    def normalised(self, transcript: Transcript) -> Transcript:
        # "smok" -> "okay" means "no decision yet"; how many such polls happen is timing.
        out: Transcript = []
        poll = [("in", "smok"), ("out", "okay")]
        for i in range(0, len(transcript), 2):
            pair = transcript[i : i + 2]
            if pair == poll and out[-2:] == poll:
                continue
            out += pair
        return out

    def expected_transcript(self, flow: str) -> Transcript:
        start = [("in", "smsg"), ("out", "okay")]
        return {
            FLOW_OPEN: [("in", "ncry"), ("out", "mypb"), ("in", "vers"), ("out", "asci")],
            FLOW_SIGN_NEW_PATH: [
                ("in", "xpub"), ("out", "asci"), *start, ("in", "smok"), ("out", "smrx"),
            ],
            FLOW_SIGN_KNOWN_PATH: [*start, ("in", "smok"), ("out", "smrx")],
            FLOW_REJECT: [*start, ("in", "smok"), ("out", "refu")],
            # No cancel command in the protocol: the host stops polling; the prompt stays.
            FLOW_HOST_CANCEL: [*start, ("in", "smok"), ("out", "okay")],
            FLOW_CONFIRM_TIMEOUT: [*start, ("in", "smok"), ("out", "okay")],
            FLOW_UNPLUG_AT_PROMPT: start,
            FLOW_LOCKED: [("in", "smsg"), ("out", "err_")],  # "Locked: enter the PIN on the device"
            FLOW_SHOW_ADDRESS: [("in", "show"), ("out", "asci")],  # shown, answered at once
        }[flow]  # fmt: skip


HARNESSES: dict[str, type[DriverHarness]] = {
    harness.family: harness for harness in (TrezorHarness, ColdcardHarness)
}


def short_workdir() -> str:
    """A private directory with a short path (Unix socket paths max out near 100 bytes)."""
    return tempfile.mkdtemp(prefix="contract-", dir="/tmp" if os.path.isdir("/tmp") else None)


def remove_workdir(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)
