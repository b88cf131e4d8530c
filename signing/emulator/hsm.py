"""The software HSM behind the emulated devices: keys, operator approval, PIN, unplug.

One ``SoftHsm`` is one emulated device's secure element plus its human: the
BIP-32 key tree of a BIP-39 *test* mnemonic, the approval policy that stands in
for the button press, the PIN lock, and a simulated unplug. The Trezor and
Coldcard emulator servers put their wire protocols in front of it. Several
instances with different seeds can live in one process (the three emergency
parties in tests); they share nothing mutable.

Safety: it is always labelled ``EMULATOR ...``, reports ``is_emulator=True``,
and refuses to sign any text containing ``env=prod`` (see ``signing.devicetext``).
"""

from __future__ import annotations

import hmac
import logging
import os
import select
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TextIO

from signing.crypto import bip32, bip39
from signing.crypto.addresses import (
    ScriptType,
    address_for,
    network_for_path,
    script_type_for_path,
)
from signing.crypto.message import MAX_MESSAGE_BYTES, sign_message_digest
from signing.devicetext import PRODUCTION_TOKEN, mentions_production
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL, TEST_MNEMONICS
from signing.errors import (
    Disconnected,
    InvalidInput,
    NotAllowed,
    PinRequired,
    WrongPin,
)
from signing.ethereum import address_from_pubkey, sign_digest
from signing.interface import DeviceIdentity, DeviceKind, MessageSignature, PublicKeyInfo

log = logging.getLogger(__name__)

EMULATOR_MODEL = "SoftHsm emulator"
EMULATOR_FIRMWARE = "0.1.0-emulator"
_POLL_SECONDS = 0.05  # how often a waiting approval looks at cancel/unplug
_TERMINAL_LOCK = threading.Lock()  # HSMs of one process share the tester's terminal


class ApprovalMode(StrEnum):
    AUTO = "auto"
    REJECT = "reject"
    INTERACTIVE = "interactive"
    DELAY = "delay"


@dataclass(frozen=True)
class ApprovalPolicy:
    """How the emulated human answers "confirm on device".

    ``auto`` approves at once, ``reject`` refuses, ``delay`` approves after
    ``delay_seconds`` unless cancelled first, ``interactive`` asks on the terminal.
    """

    mode: ApprovalMode = ApprovalMode.AUTO
    delay_seconds: float = 0.0

    @classmethod
    def parse(cls, text: str) -> ApprovalPolicy:
        """Parse ``auto``, ``reject``, ``interactive`` or ``delay:SECONDS``."""
        value = text.strip().lower()
        if value.startswith("delay:"):
            try:
                seconds = float(value.split(":", 1)[1])
            except ValueError as exc:
                raise InvalidInput(f"bad delay in approval policy {text!r}") from exc
            if not 0 <= seconds <= 3600:
                raise InvalidInput("approval delay must be 0..3600 seconds")
            return cls(ApprovalMode.DELAY, seconds)
        try:
            mode = ApprovalMode(value)
        except ValueError as exc:
            raise InvalidInput(
                f"approval policy {text!r} is not auto, reject, interactive or delay:SECONDS"
            ) from exc
        if mode is ApprovalMode.DELAY:
            raise InvalidInput("write the delay as delay:SECONDS")
        return cls(mode)

    def __str__(self) -> str:
        if self.mode is ApprovalMode.DELAY:
            return f"delay:{self.delay_seconds:g}"
        return self.mode.value


class SoftHsm:
    """An emulated secure element with its operator. Thread-safe."""

    def __init__(
        self,
        mnemonic: str = TEST_MNEMONIC_ALL,
        passphrase: str = "",
        pin: str | None = None,
        approve: ApprovalPolicy | str = ApprovalPolicy(),
        *,
        name: str | None = None,
        terminal_in: TextIO | None = None,
        terminal_out: TextIO | None = None,
    ) -> None:
        words = bip39.validate_mnemonic(mnemonic)
        if words not in TEST_MNEMONICS:
            log.warning("emulator seeded with a custom mnemonic: it must be a test seed")
        self._master = bip32.master_key(bip39.mnemonic_to_seed(words, passphrase, check=False))
        self._lock = threading.RLock()
        self._nodes: dict[tuple[int, ...], bip32.ExtendedKey] = {(): self._master}
        self._policy = (
            approve if isinstance(approve, ApprovalPolicy) else ApprovalPolicy.parse(approve)
        )
        self._pin = _check_pin_format(pin)
        self._unlocked = pin is None
        self._wrong_pins = 0
        self._unplugged = False
        self._unplug_armed = False
        self._unplug_listeners: list[Callable[[], None]] = []
        self._state_changed = threading.Condition(self._lock)
        self._signatures = 0
        self._prompts_shown = 0
        self._pending = 0
        self._screen = ""  # what the device screen shows (or last showed)
        self._terminal_in = terminal_in
        self._terminal_out = terminal_out
        suffix = name or self._master.fingerprint().hex()
        self.label = f"EMULATOR {suffix}"

    def __repr__(self) -> str:
        return f"SoftHsm(label={self.label!r})"

    # ---- identity and keys -----------------------------------------------------------

    def fingerprint(self) -> str:
        """Master key fingerprint, 8 lowercase hex characters."""
        return self._master.fingerprint().hex()

    def master_fingerprint(self) -> bytes:
        """Master key fingerprint, 4 bytes."""
        return self._master.fingerprint()

    @property
    def master_xpub(self) -> str:
        return self._master.to_xpub()

    def identity(self, kind: DeviceKind) -> DeviceIdentity:
        """Who this emulator says it is when emulating ``kind``: always an emulator."""
        return DeviceIdentity(
            kind=kind,
            label=self.label,
            model=EMULATOR_MODEL,
            firmware_version=EMULATOR_FIRMWARE,
            master_fingerprint=self.fingerprint(),
            is_emulator=True,
        )

    def public_node(self, path: str | tuple[int, ...]) -> bip32.ExtendedKey:
        """The public BIP-32 node at ``path`` (no secret in the result)."""
        return self._node(path).neuter()

    def get_public_key(
        self, path: str | tuple[int, ...], script_type: ScriptType | None = None
    ) -> PublicKeyInfo:
        """Public key, xpub and message address at ``path``."""
        indices = _indices(path)
        node = self._node(indices)
        script = script_type or script_type_for_path(indices)
        return PublicKeyInfo(
            path=bip32.format_path(indices),
            xpub=node.to_xpub(),
            pubkey=node.public_key,
            address=address_for(node.public_key, script, network_for_path(indices)),
        )

    def _node(self, path: str | tuple[int, ...]) -> bip32.ExtendedKey:
        indices = _indices(path)
        with self._lock:
            node = self._nodes.get(indices)
            if node is None:
                parent = self._nodes.get(indices[:-1]) or self._master.derive(indices[:-1])
                node = parent.child(indices[-1])
                if len(self._nodes) < 10_000:  # bounded: paths come from the wire
                    self._nodes[indices] = node
            return node

    # ---- signing ---------------------------------------------------------------------

    def sign_message(
        self,
        path: str | tuple[int, ...],
        text: str | bytes,
        script_type: ScriptType | None = None,
    ) -> MessageSignature:
        """Sign ``text`` as a BIP-137 message at ``path`` (approval is the caller's step).

        Raises ``Disconnected`` when unplugged, ``PinRequired`` when locked and
        ``NotAllowed`` when the text declares a production environment.
        """
        indices = _indices(path)
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        if len(data) > MAX_MESSAGE_BYTES:
            raise InvalidInput("message too long")
        shown = data.decode("utf-8", errors="replace")
        with self._lock:
            self._require_ready()
        if mentions_production(shown):
            log.warning("%s refused a statement declaring %s", self.label, PRODUCTION_TOKEN)
            raise NotAllowed(f"the emulator never signs text containing {PRODUCTION_TOKEN}")
        script = script_type or script_type_for_path(indices)
        node = self._node(indices)
        secret = node.secret
        assert secret is not None  # every cached node descends from the private master
        signature = sign_message_digest(secret, data, script)
        with self._lock:
            self._signatures += 1
        return MessageSignature(
            path=bip32.format_path(indices),
            text=shown,
            address=address_for(node.public_key, script, network_for_path(indices)),
            signature=signature,
            pubkey=node.public_key,
        )

    def sign_digest(self, path: str | tuple[int, ...], digest: bytes) -> bytes:
        """A DER ECDSA signature of a 32-byte transaction digest (BIP-143 sighash).

        libsecp256k1 through coincurve: RFC 6979 nonces and low-s, as Trezor's
        firmware signs, so test vectors match byte for byte. Approval is the caller's
        step (the device flow shows outputs, amount and fee first).
        """
        import coincurve

        if len(digest) != 32:
            raise InvalidInput("a transaction digest is 32 bytes")
        with self._lock:
            self._require_ready()
        secret = self._node(_indices(path)).secret
        assert secret is not None  # every cached node descends from the private master
        signature = coincurve.PrivateKey(secret.to_bytes(32, "big")).sign(digest, hasher=None)
        with self._lock:
            self._signatures += 1
        return bytes(signature)

    def sign(self, path: tuple[int, ...], message: bytes, script_type: ScriptType) -> bytes:
        """The 65-byte signature only (the shape the Trezor emulator wants)."""
        return self.sign_message(path, message, script_type).signature

    def eth_address(self, path: str | tuple[int, ...]) -> str:
        """The EIP-55 Ethereum address at ``path``."""
        return address_from_pubkey(self._node(_indices(path)).public_key)

    def sign_eth_digest(self, path: str | tuple[int, ...], digest: bytes) -> bytes:
        """``r || s || v`` over a 32-byte EIP-712 digest at ``path`` (approval is the caller's).

        Raises ``Disconnected`` when unplugged and ``PinRequired`` when locked.
        """
        indices = _indices(path)
        with self._lock:
            self._require_ready()
        secret = self._node(indices).secret
        assert secret is not None  # every cached node descends from the private master
        signature = sign_digest(secret, digest)
        with self._lock:
            self._signatures += 1
        return signature

    def _require_ready(self) -> None:
        if self._unplugged:
            raise Disconnected(f"{self.label} is unplugged")
        if not self._unlocked:
            raise PinRequired(f"{self.label} is locked")

    # ---- approval --------------------------------------------------------------------

    @property
    def policy(self) -> ApprovalPolicy:
        with self._lock:
            return self._policy

    def set_policy(self, policy: ApprovalPolicy | str) -> None:
        """Change the policy; prompts already waiting follow it (auto/reject decide them)."""
        parsed = policy if isinstance(policy, ApprovalPolicy) else ApprovalPolicy.parse(policy)
        with self._state_changed:
            self._policy = parsed
            self._state_changed.notify_all()
        log.info("%s approval policy is now %s", self.label, parsed)

    def request_approval(self, text: str, cancel: threading.Event) -> bool:
        """Show ``text`` to the emulated human and wait for their answer.

        Returns False when they refuse, when ``cancel`` is set while waiting, or
        when the device is unplugged (armed unplug fires here: the servers then
        see ``unplugged``). A policy change while waiting applies at once: auto
        approves, reject refuses, a new delay counts from when the prompt
        appeared. Blocks the calling (server) thread only.
        """
        with self._lock:
            self._prompts_shown += 1
            self._screen = text
            fire = self._unplug_armed
            self._unplug_armed = False
        if fire:
            log.info("%s: armed unplug fires at the prompt", self.label)
            self.unplug()
            return False
        if self.unplugged or cancel.is_set():
            return False
        log.info("%s asks to approve %r (policy %s)", self.label, text, self.policy)
        with self._lock:
            self._pending += 1
        try:
            return self._decide(text, cancel)
        finally:
            with self._lock:
                self._pending -= 1

    def display(self, text: str) -> None:
        """Put ``text`` on the device screen without asking anything (a Coldcard's
        address display: the human only looks at it)."""
        with self._lock:
            self._screen = text
        log.info("%s shows %r", self.label, text)

    @property
    def screen(self) -> str:
        """What the device screen shows (the last prompt or display), for tests."""
        with self._lock:
            return self._screen

    def _decide(self, text: str, cancel: threading.Event) -> bool:
        shown_at = time.monotonic()
        while True:
            policy = self.policy
            if policy.mode is ApprovalMode.AUTO:
                return True
            if policy.mode is ApprovalMode.REJECT:
                return False
            if policy.mode is ApprovalMode.DELAY:
                outcome = self._wait_delay(policy, shown_at, cancel)
            else:
                outcome = self._ask_terminal(policy, text, cancel)
            if outcome is not None:
                return outcome  # None: the policy changed while waiting, decide again

    def _wait_delay(
        self, policy: ApprovalPolicy, shown_at: float, cancel: threading.Event
    ) -> bool | None:
        with self._state_changed:
            while True:
                if cancel.is_set() or self._unplugged:
                    return False
                if self._policy != policy:
                    return None
                remaining = shown_at + policy.delay_seconds - time.monotonic()
                if remaining <= 0:
                    return True
                # Woken early by unplug or a policy change; cancel is polled (a bare Event).
                self._state_changed.wait(min(remaining, _POLL_SECONDS))

    def _ask_terminal(
        self, policy: ApprovalPolicy, text: str, cancel: threading.Event
    ) -> bool | None:
        stream_in = self._terminal_in or sys.stdin
        stream_out = self._terminal_out or sys.stdout
        # One question on the terminal at a time, across all HSMs; still cancellable.
        while not _TERMINAL_LOCK.acquire(timeout=_POLL_SECONDS):
            if cancel.is_set() or self.unplugged:
                return False
            if self.policy != policy:
                return None
        try:
            stream_out.write(
                f"\n=== {self.label} (TEST EMULATOR) asks you to approve ===\n"
                f"{text}\n=== approve? [y/N] "
            )
            stream_out.flush()
            while True:
                if cancel.is_set() or self.unplugged:
                    stream_out.write("\n(cancelled by the host)\n")
                    stream_out.flush()
                    return False
                if self.policy != policy:
                    stream_out.write("\n(decided by the operator's policy change)\n")
                    stream_out.flush()
                    return None
                if not _readable(stream_in, _POLL_SECONDS):
                    continue
                answer = stream_in.readline()
                if not answer:  # end of input: nobody is there to approve
                    return False
                return answer.strip().lower() in ("y", "yes")
        finally:
            _TERMINAL_LOCK.release()

    # ---- PIN -------------------------------------------------------------------------

    def has_pin(self) -> bool:
        with self._lock:
            return self._pin is not None

    @property
    def locked(self) -> bool:
        with self._lock:
            return not self._unlocked

    @property
    def wrong_pin_count(self) -> int:
        with self._lock:
            return self._wrong_pins

    def check_pin(self, pin: str) -> bool:
        """Unlock with ``pin``; a wrong one is counted. Never logs the PIN."""
        with self._lock:
            if self._pin is None:
                self._unlocked = True
                return True
            if hmac.compare_digest(pin.encode(), self._pin.encode()):
                self._unlocked = True
                self._wrong_pins = 0
                return True
            self._wrong_pins += 1
            log.info("%s: wrong PIN (%d so far)", self.label, self._wrong_pins)
            return False

    def unlock(self, pin: str) -> None:
        """As ``check_pin`` but raising ``WrongPin``."""
        if not self.check_pin(pin):
            raise WrongPin(f"{self.label}: attempt {self.wrong_pin_count}")

    def set_pin(self, pin: str | None) -> None:
        """Set (locks the device) or clear (unlocks it) the PIN."""
        checked = _check_pin_format(pin)
        with self._lock:
            self._pin = checked
            self._unlocked = checked is None
            self._wrong_pins = 0

    def lock(self) -> None:
        with self._lock:
            self._unlocked = self._pin is None

    # ---- unplug ----------------------------------------------------------------------

    @property
    def unplugged(self) -> bool:
        with self._lock:
            return self._unplugged

    def arm_unplug(self) -> None:
        """Unplug when the next approval prompt shows ("unplug in the middle of a flow")."""
        with self._lock:
            self._unplug_armed = True

    def add_unplug_listener(self, callback: Callable[[], None]) -> None:
        """Called (from the unplugging thread) each time the device is unplugged."""
        with self._lock:
            self._unplug_listeners.append(callback)

    def unplug(self) -> None:
        """Simulate pulling the cable: waits end, the PIN unlock is lost."""
        with self._state_changed:
            self._unplugged = True
            self._unplug_armed = False
            self._unlocked = self._pin is None
            listeners = list(self._unplug_listeners)
            self._state_changed.notify_all()
        for callback in listeners:
            try:
                callback()
            except Exception:
                log.exception("unplug listener failed")

    def replug(self) -> None:
        with self._lock:
            self._unplugged = False

    # ---- state for the control channel ----------------------------------------------

    def state(self) -> dict[str, Any]:
        """A JSON-safe snapshot (no secrets, no PIN)."""
        with self._lock:
            return {
                "label": self.label,
                "fingerprint": self.fingerprint(),
                "is_emulator": True,
                "approve": str(self._policy),
                "pin_set": self._pin is not None,
                "locked": not self._unlocked,
                "wrong_pin_count": self._wrong_pins,
                "unplugged": self._unplugged,
                "unplug_armed": self._unplug_armed,
                "signatures": self._signatures,
                "prompts": self._prompts_shown,
                "pending_prompts": self._pending,
                "screen": self._screen,
            }


def _indices(path: str | tuple[int, ...]) -> tuple[int, ...]:
    return bip32.parse_path(path) if isinstance(path, str) else tuple(path)


def _check_pin_format(pin: str | None) -> str | None:
    if pin is None:
        return None
    if not (1 <= len(pin) <= 50 and pin.isascii() and pin.isdigit()):
        raise InvalidInput("an emulator PIN is 1 to 50 digits")
    return pin


def _readable(stream: TextIO, timeout: float) -> bool:
    """Wait up to ``timeout`` for a line; streams without a descriptor are always ready."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return True
    if os.name == "nt":  # no select() on console handles: block (no cancel on Windows)
        return True
    ready, _, _ = select.select([fd], [], [], timeout)
    return bool(ready)
