"""The emulated Trezor One: a protocol-v1 message state machine over a test HSM.

It behaves like the legacy firmware as far as trezorlib 0.20.2 and trezorctl can tell:
an idle ``Cancel`` gets ``Failure(ActionCancelled)`` (so trezorlib picks protocol v1,
not THP), ``Initialize`` opens or resumes a session, a locked device asks for its PIN
through a scrambled ``PinMatrixRequest``, and a signature waits behind
``ButtonRequest``/``ButtonAck`` for the operator's approval, which a ``Cancel`` from the
host interrupts. Outgoing messages go through the ``send`` callback; the UDP server
owns the socket. Every record of what crossed the wire is kept in ``transcript``.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import secrets
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from trezorlib import messages, protobuf

from signing.crypto.addresses import Network, ScriptType, address_for
from signing.crypto.bip32 import ExtendedKey, format_path
from signing.crypto.encoding import segwit_encode
from signing.crypto.message import decode_compact, encode_compact
from signing.devicetext import mentions_production
from signing.emulator import trezor_codec, trezor_ethereum, trezor_signtx
from signing.emulator.trezor_codec import CodecError, Record
from signing.emulator.trezor_messages import (
    ButtonRequestType,
    Capability,
    FailureType,
    InputScriptType,
    MessageType,
    PinMatrixRequestType,
)
from signing.emulator.trezor_requests import (
    SCRIPT_TYPES,
    DeviceFailure,
    PinMatrix,
    check_coin_path,
    request_coin,
    request_path,
    request_script,
)
from signing.emulator.trezor_signtx import Screen, SignTxFlow, TransactionType, TxSigner
from signing.errors import SigningError
from signing.framing.trezor_v1 import Frame

log = logging.getLogger(__name__)

FIRMWARE_VERSION = (1, 12, 1)
# trezorlib refuses any vendor outside ("bitcointrezor.com", "trezor.io"), so the
# emulator says what it is in label, device_id and fw_vendor instead.
VENDOR = "trezor.io"
FW_VENDOR = "Custody Desk SoftHsm EMULATOR - TEST ONLY, NOT FOR PRODUCTION"
LABEL_PREFIX = "EMULATOR"
MAX_SIGN_MESSAGE = 8 * 1024
TRANSCRIPT_LENGTH = 512
RAW = "_payload"
RAW_MESSAGES = frozenset((MessageType.SignTx, MessageType.TxAck))


class TrezorHsm(Protocol):
    """What the emulated Trezor needs from the software HSM."""

    def master_fingerprint(self) -> bytes: ...

    def public_node(self, path: tuple[int, ...]) -> ExtendedKey: ...

    def sign(self, path: tuple[int, ...], message: bytes, script_type: ScriptType) -> bytes: ...

    def sign_digest(self, path: tuple[int, ...], digest: bytes) -> bytes: ...
    def sign_eth_digest(self, path: tuple[int, ...], digest: bytes) -> bytes: ...

    def request_approval(self, text: str, cancel_event: threading.Event) -> bool: ...

    def has_pin(self) -> bool: ...

    def check_pin(self, pin: str) -> bool: ...

    @property
    def locked(self) -> bool: ...

    def lock(self) -> None: ...

    @property
    def label(self) -> str: ...


@dataclass
class _Wait:
    """A request parked behind a prompt: what to expect and what to do next."""

    expect: int  # ButtonAck, PinMatrixAck, or an Ethereum app's ack
    resume: Callable[[Any], None]
    cancel_code: FailureType = FailureType.ActionCancelled


_Approval = tuple[str, threading.Event, int, Callable[[], None]]


class TrezorDevice:
    """One emulated Trezor One. ``handle`` is called from the server's receive thread."""

    def __init__(
        self,
        hsm: TrezorHsm,
        send: Callable[[MessageType, Record], None],
        *,
        send_encoded: Callable[[int, bytes], None] | None = None,
        typed_data_full: bool = True,
    ) -> None:
        self.hsm = hsm
        self._send_raw = send
        self._send_encoded = send_encoded
        self.ethereum = trezor_ethereum.EthereumApp(self, typed_data_full=typed_data_full)
        self._lock = threading.RLock()
        self._session_id: bytes | None = None
        self._flags = 0
        self._wait: _Wait | None = None
        self._approval_cancel: threading.Event | None = None
        self._generation = 0  # bumps whenever a flow ends, so late approvals are dropped
        self._approvals: queue.SimpleQueue[_Approval | None] = queue.SimpleQueue()
        self._approval_worker: threading.Thread | None = None
        self.pin_matrix: PinMatrix | None = None
        self.transcript: deque[tuple[str, str]] = deque(maxlen=TRANSCRIPT_LENGTH)
        # The device's screen for a human tester (the foreground emulator prints it).
        self.screen: Callable[[str], None] | None = None
        fingerprint = hsm.master_fingerprint().hex()
        label = hsm.label
        self.label = label if label.startswith(LABEL_PREFIX) else f"{LABEL_PREFIX} {label}"
        self.device_id = f"EMULATOR-{fingerprint.upper()}"

    # ---- wire ------------------------------------------------------------------------

    def _send(self, msg_type: MessageType, record: Record) -> None:
        self.transcript.append(("out", msg_type.name))
        self._send_raw(msg_type, record)

    def _fail(self, code: FailureType, message: str) -> None:
        self._send(MessageType.Failure, {"code": int(code), "message": message})

    def send_message(self, message: Any) -> None:
        """Send one of trezorlib's message objects (the Ethereum app's replies)."""
        wire, payload = trezor_ethereum.encode(message)
        self.transcript.append(("out", type(message).__name__))
        if self._send_encoded is None:
            raise DeviceFailure(FailureType.FirmwareError, "no encoded channel")
        self._send_encoded(wire, payload)

    def expect(self, wire_type: int, resume: Callable[[Any], None]) -> None:
        """Park the flow until the host sends ``wire_type`` (Cancel still interrupts)."""
        self._wait = _Wait(wire_type, resume)

    def confirm(self, code: ButtonRequestType, text: str, on_approved: Callable[[], None]) -> None:
        self._confirm(code, text, on_approved)

    def with_pin(self, then: Callable[[], None]) -> None:
        self._with_pin(then)

    def handle(self, frame: Frame) -> None:
        """Process one complete message from the host."""
        with self._lock:
            wait = self._wait
            if (
                wait is not None
                and wait.expect in trezor_ethereum.WIRE_TYPES
                and frame.msg_type not in (wait.expect, MessageType.Cancel, MessageType.Initialize)
            ):
                # a new request aborts an Ethereum flow the host walked away from, as the
                # Model T firmware restarts its workflow (trezorlib stops mid typed-data
                # flow on types it cannot encode)
                self._end_flow()
            if frame.msg_type in trezor_ethereum.WIRE_TYPES:
                self._handle_ethereum(frame)
                return
            try:
                msg_type = MessageType(frame.msg_type)
                if not trezor_codec.known(msg_type) and msg_type not in RAW_MESSAGES:
                    raise ValueError(msg_type)  # a device-to-host type sent by the host
            except ValueError:
                self.transcript.append(("in", f"#{frame.msg_type}"))
                self._fail(FailureType.UnexpectedMessage, "Unexpected message")
                return
            self.transcript.append(("in", msg_type.name))
            if msg_type in RAW_MESSAGES:  # decoded by trezorlib's classes in the flow itself
                record: Record = {RAW: frame.payload}
            else:
                try:
                    record = trezor_codec.decode(msg_type, frame.payload)
                except CodecError as exc:
                    self._fail(FailureType.DataError, f"Invalid message: {exc.detail}")
                    return
            try:
                self._dispatch(msg_type, record)
            except DeviceFailure as exc:
                self._end_flow()
                self._fail(exc.code, exc.message)

    def _handle_ethereum(self, frame: Frame) -> None:
        try:
            message = trezor_ethereum.decode(frame.msg_type, frame.payload)
            self.transcript.append(("in", type(message).__name__))
            if self._wait is not None or self._approval_cancel is not None:
                self._while_waiting(frame.msg_type, message)
                return
            handler = self.ethereum.handlers().get(frame.msg_type)
            if handler is None:
                self._fail(FailureType.UnexpectedMessage, "Unexpected message")
                return
            handler(message)
        except DeviceFailure as exc:
            self._end_flow()
            self._fail(exc.code, exc.message)

    def _dispatch(self, msg_type: MessageType, record: Record) -> None:
        if self._wait is not None or self._approval_cancel is not None:
            self._while_waiting(msg_type, record)
            return
        handler = self._handlers().get(msg_type)
        if handler is None:
            self._fail(FailureType.UnexpectedMessage, "Unexpected message")
            return
        handler(record)

    def _while_waiting(self, msg_type: int, record: Any) -> None:
        wait = self._wait
        if msg_type is MessageType.Cancel:
            code = wait.cancel_code if wait else FailureType.ActionCancelled
            self._end_flow()
            self._fail(code, "PIN cancelled" if code is FailureType.PinCancelled else "Cancelled")
        elif msg_type is MessageType.Initialize:
            self._end_flow()
            self._initialize(record)
        elif wait is not None and msg_type == wait.expect:
            self._wait = None
            wait.resume(record)
        else:
            self._fail(FailureType.UnexpectedMessage, "Unexpected message")

    def _end_flow(self) -> None:
        self._wait = None
        self.pin_matrix = None
        if self._approval_cancel is not None:
            self._approval_cancel.set()
            self._approval_cancel = None
        self._generation += 1

    def _handlers(self) -> dict[MessageType, Callable[[Record], None]]:
        return {
            MessageType.Initialize: self._initialize,
            MessageType.GetFeatures: lambda _r: self._send(MessageType.Features, self.features()),
            MessageType.Cancel: lambda _r: self._fail(FailureType.ActionCancelled, "Cancelled"),
            MessageType.Ping: self._ping,
            MessageType.GetPublicKey: self._get_public_key,
            MessageType.GetAddress: self._get_address,
            MessageType.SignMessage: self._sign_message,
            MessageType.SignTx: self._sign_tx,
            MessageType.VerifyMessage: self._verify_message,
            MessageType.ApplyFlags: self._apply_flags,
            MessageType.LockDevice: self._lock_device,
            MessageType.EndSession: self._end_session,
        }

    # ---- state changes from the operator ---------------------------------------------

    def unplug(self) -> None:
        """Power loss: the flow in progress dies, the session and the unlock are lost."""
        with self._lock:
            self._end_flow()
            self._session_id = None
            self.hsm.lock()

    @property
    def unlocked(self) -> bool:
        return not self.hsm.locked

    # ---- prompts ---------------------------------------------------------------------

    def _with_pin(self, then: Callable[[], None]) -> None:
        """Run ``then`` once the device is unlocked, asking for the PIN if needed."""
        if not self.hsm.locked:
            then()
            return
        self.pin_matrix = PinMatrix()
        if self.screen is not None:
            self.screen(
                f"{self.label} asks for its PIN. Keypad:\n" + "\n".join(self.pin_matrix.rows())
            )

        def on_pin(record: Record) -> None:
            matrix = self.pin_matrix
            self.pin_matrix = None
            pin = matrix.decode(str(record.get("pin", ""))) if matrix else None
            if pin is None or not self.hsm.check_pin(pin):
                self._generation += 1
                self._fail(FailureType.PinInvalid, "Invalid PIN")
                return
            then()

        self._wait = _Wait(MessageType.PinMatrixAck, on_pin, FailureType.PinCancelled)
        self._send(MessageType.PinMatrixRequest, {"type": int(PinMatrixRequestType.Current)})

    def _confirm(self, code: ButtonRequestType, text: str, on_approved: Callable[[], None]) -> None:
        """ButtonRequest, wait for ButtonAck, then for the operator's decision."""

        def on_ack(_record: Record) -> None:
            cancel = threading.Event()
            self._approval_cancel = cancel
            job = (text, cancel, self._generation, on_approved)
            if self._answers_at_once():
                self._await_approval(*job)  # no thread hand-off when nobody deliberates
            else:
                self._approvals.put(job)
                self._ensure_approval_worker()

        self._wait = _Wait(MessageType.ButtonAck, on_ack)
        self._send(MessageType.ButtonRequest, {"code": int(code), "pages": 1})

    def _answers_at_once(self) -> bool:
        policy = getattr(self.hsm, "policy", None)
        return str(policy) in ("auto", "reject")

    def _ensure_approval_worker(self) -> None:
        # One long-lived worker per device (the human): the receive thread keeps serving
        # Cancel and PINGPING while it waits, and no thread is spawned per signature.
        if self._approval_worker is None or not self._approval_worker.is_alive():
            self._approval_worker = threading.Thread(
                target=self._approval_loop, name="trezor-emulator-approval", daemon=True
            )
            self._approval_worker.start()

    def _approval_loop(self) -> None:
        while True:
            job = self._approvals.get()
            if job is None:
                return
            self._await_approval(*job)

    def close(self) -> None:
        """End the approval worker (the server calls this when it stops)."""
        with self._lock:
            self._end_flow()
        self._approvals.put(None)

    def _await_approval(
        self, text: str, cancel: threading.Event, generation: int, on_approved: Callable[[], None]
    ) -> None:
        try:
            approved = self.hsm.request_approval(text, cancel)
        except SigningError as exc:
            log.info("approval failed: %s", exc)
            approved = False
        with self._lock:
            if generation != self._generation or cancel.is_set():
                return  # the host cancelled, re-initialised, or the device was unplugged
            self._approval_cancel = None
            self._generation += 1
            if not approved:
                self._fail(FailureType.ActionCancelled, "Cancelled")
                return
            try:
                on_approved()
            except DeviceFailure as exc:
                self._fail(exc.code, exc.message)

    # ---- handlers --------------------------------------------------------------------

    def features(self) -> Record:
        record: Record = {
            "vendor": VENDOR,
            "major_version": FIRMWARE_VERSION[0],
            "minor_version": FIRMWARE_VERSION[1],
            "patch_version": FIRMWARE_VERSION[2],
            "bootloader_mode": False,
            "device_id": self.device_id,
            "pin_protection": self.hsm.has_pin(),
            "passphrase_protection": False,
            "language": "en-US",
            "label": self.label,
            "initialized": True,
            "revision": b"custody-desk-emulator",
            "imported": False,
            "unlocked": not self.hsm.locked,
            "firmware_present": True,
            "flags": self._flags,
            "model": "1",
            "fw_vendor": FW_VENDOR,
            "unfinished_backup": False,
            "no_backup": False,
            "capabilities": [
                int(Capability.Bitcoin),
                int(Capability.Crypto),
                int(Capability.Ethereum),
            ],
            "busy": False,
            "internal_model": "T1B1",
        }
        if self._session_id is not None:
            record["session_id"] = self._session_id
        return record

    def _initialize(self, record: Record) -> None:
        requested = record.get("session_id")
        if not (isinstance(requested, bytes) and requested == self._session_id):
            self._session_id = secrets.token_bytes(32)
        self._send(MessageType.Features, self.features())

    def _ping(self, record: Record) -> None:
        message = str(record.get("message", ""))

        def reply() -> None:
            self._send(MessageType.Success, {"message": message})

        if record.get("button_protection"):
            self._confirm(ButtonRequestType.ProtectCall, message, reply)
        else:
            reply()

    def _end_session(self, _record: Record) -> None:
        self._session_id = None
        self._send(MessageType.Success, {"message": "Session ended"})

    def _lock_device(self, _record: Record) -> None:
        self.hsm.lock()
        self._send(MessageType.Success, {"message": "Session cleared"})

    def _apply_flags(self, record: Record) -> None:
        def apply() -> None:
            flags = record.get("flags", 0)
            self._flags |= flags if isinstance(flags, int) else 0
            self._send(MessageType.Success, {"message": "Flags applied"})

        self._with_pin(apply)

    def _get_public_key(self, record: Record) -> None:
        path = request_path(record)
        curve = record.get("ecdsa_curve_name")
        if curve not in (None, "secp256k1"):
            raise DeviceFailure(FailureType.DataError, "Unsupported curve")
        network, versions = request_coin(record)
        script = request_script(record, allow_taproot=True)
        version = versions[InputScriptType.SPENDADDRESS]
        if not record.get("ignore_xpub_magic"):
            version = versions.get(script, version)

        def reply() -> None:
            node = self.hsm.public_node(path)
            xpub = node.to_xpub(version)
            result: Record = {
                "node": {
                    "depth": node.depth,
                    "fingerprint": int.from_bytes(node.parent_fingerprint, "big"),
                    "child_num": node.child_number,
                    "chain_code": node.chain_code,
                    "public_key": node.public_key,
                },
                "xpub": xpub,
                "root_fingerprint": int.from_bytes(self.hsm.master_fingerprint(), "big"),
            }
            if record.get("show_display"):
                self._confirm(
                    ButtonRequestType.PublicKey,
                    f"Public key {format_path(path)}: {xpub}",
                    lambda: self._send(MessageType.PublicKey, result),
                )
            else:
                self._send(MessageType.PublicKey, result)

        del network
        self._with_pin(reply)

    def _get_address(self, record: Record) -> None:
        path = request_path(record)
        network, _versions = request_coin(record)
        check_coin_path(record, path)
        if record.get("multisig") is not None:
            self._get_multisig_address(record, path, network)
            return
        script = SCRIPT_TYPES[request_script(record, allow_taproot=False)]

        def reply() -> None:
            address = address_for(self.hsm.public_node(path).public_key, script, network)
            if record.get("show_display"):
                self._confirm(
                    ButtonRequestType.Address,
                    f"Address {format_path(path)}: {address}",
                    lambda: self._send(MessageType.Address, {"address": address}),
                )
            else:
                self._send(MessageType.Address, {"address": address})

        self._with_pin(reply)

    def _get_multisig_address(
        self, record: Record, path: tuple[int, ...], network: Network
    ) -> None:
        """A P2WSH multisig address, as the firmware derives it: the device's own key at
        ``address_n`` must be one of the multisig's keys."""
        if record.get("script_type") != int(InputScriptType.SPENDWITNESS):
            raise DeviceFailure(FailureType.DataError, "Unsupported multisig script type")
        try:
            multisig = protobuf.dict_to_proto(
                messages.MultisigRedeemScriptType, record["multisig"]
            )
        except Exception:
            raise DeviceFailure(FailureType.DataError, "Invalid multisig parameters") from None
        keys = trezor_signtx.multisig_pubkeys(multisig)
        script = trezor_signtx.multisig_script(multisig.m, keys)

        def reply() -> None:
            if self.hsm.public_node(path).public_key not in keys:
                raise DeviceFailure(FailureType.DataError, "Pubkey not found in multisig script")
            address = segwit_encode(network.hrp, 0, hashlib.sha256(script).digest())
            self._confirm(
                ButtonRequestType.Address,
                f"Multisig {multisig.m} of {len(keys)} address {format_path(path)}: {address}",
                lambda: self._send(MessageType.Address, {"address": address}),
            )

        self._with_pin(reply)

    def _sign_message(self, record: Record) -> None:
        path = request_path(record)
        network, _versions = request_coin(record)
        check_coin_path(record, path)
        script = SCRIPT_TYPES[request_script(record, allow_taproot=False)]
        raw = record.get("message", b"")
        assert isinstance(raw, bytes)
        if len(raw) > MAX_SIGN_MESSAGE:
            raise DeviceFailure(FailureType.DataError, "Message too long")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DeviceFailure(FailureType.DataError, "Message is not UTF-8 text") from exc
        no_script_type = bool(record.get("no_script_type"))

        def sign() -> None:
            try:
                signature = self.hsm.sign(path, raw, script)
            except SigningError as exc:
                raise DeviceFailure(FailureType.ProcessError, str(exc)) from exc
            if no_script_type:
                parsed = decode_compact(signature)
                signature = encode_compact(parsed.recid, parsed.r, parsed.s, ScriptType.P2PKH)
            address = address_for(self.hsm.public_node(path).public_key, script, network)
            self._send(MessageType.MessageSignature, {"address": address, "signature": signature})

        if mentions_production(text):
            raise DeviceFailure(
                FailureType.ProcessError,
                "Emulator refuses to sign production statements (env=prod)",
            )

        def show() -> None:
            address = address_for(self.hsm.public_node(path).public_key, script, network)
            self._confirm(
                ButtonRequestType.ProtectCall,
                f"Sign message with {address} ({format_path(path)}): {text}",
                sign,
            )

        self._with_pin(show)

    def _sign_tx(self, record: Record) -> None:
        if self._send_encoded is None:
            raise DeviceFailure(FailureType.UnexpectedMessage, "Unexpected message")
        payload = record[RAW]
        assert isinstance(payload, bytes)
        signer = TxSigner(lambda path: self.hsm.public_node(path).public_key, self._sign_tx_digest)
        flow = SignTxFlow(trezor_signtx.decode_signtx(payload), signer).run()
        self._with_pin(lambda: self._tx_step(flow, None))

    def _sign_tx_digest(self, path: tuple[int, ...], digest: bytes) -> bytes:
        try:
            return self.hsm.sign_digest(path, digest)
        except SigningError as exc:
            raise DeviceFailure(FailureType.ProcessError, str(exc)) from exc

    def _tx_step(self, flow: trezor_signtx.Flow, answer: TransactionType | None) -> None:
        """Advance the SignTx flow by one step: a screen, or the next TxRequest."""
        try:
            step = flow.send(answer)
        except StopIteration:
            return
        if isinstance(step, Screen):
            self._confirm(step.code, step.text, lambda: self._tx_step(flow, None))
            return
        assert self._send_encoded is not None
        self.transcript.append(("out", MessageType.TxRequest.name))
        self._send_encoded(int(MessageType.TxRequest), trezor_signtx.encode(step))
        if step.request_type == trezor_signtx.R.TXFINISHED:
            flow.close()
            self._generation += 1
            return

        def on_ack(ack: Record) -> None:
            payload = ack[RAW]
            assert isinstance(payload, bytes)
            self._tx_step(flow, trezor_signtx.decode_txack(payload))

        self._wait = _Wait(MessageType.TxAck, on_ack)

    def _verify_message(self, record: Record) -> None:
        from signing.errors import InvalidInput, InvalidSignature
        from signing.verify import verify_message

        address = str(record.get("address", ""))
        signature = record.get("signature", b"")
        message = record.get("message", b"")
        assert isinstance(signature, bytes) and isinstance(message, bytes)
        try:
            ok = verify_message(address, message, signature)
        except (InvalidInput, InvalidSignature):
            ok = False
        if not ok:
            raise DeviceFailure(FailureType.InvalidSignature, "Invalid signature")
        self._send(MessageType.Success, {"message": "Message verified"})


__all__ = ["DeviceFailure", "PinMatrix", "TrezorDevice", "TrezorHsm"]
