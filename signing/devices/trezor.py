"""The Trezor driver: the only module of the desk that imports trezorlib (pinned 0.20.x).

It speaks to every transport trezorlib has for a desk workstation: WebUSB and HID for
real devices, UDP for the official emulator and for the desk's own SoftHsm emulator
(``trezor:udp:127.0.0.1:21324``). It uses the public API only (``get_transport``,
``get_client`` with an ``AppManifest`` carrying the button and PIN callbacks,
``get_session``, ``btc.get_public_node``, ``btc.sign_message``, ``client.cancel``).

Between trezorlib and the real transport sits ``GuardedTransport``: it checks each
chunk trezorlib reads with the desk's framing codec (trezorlib alone would wait for
ever on a declared length of 0xFFFFFFFF), enforces response and confirmation
deadlines, notices an unplugged UDP emulator while a prompt is open, and sends the
``Cancel`` (through ``client.cancel``) on the device thread when another thread calls
``TrezorSigner.cancel``. Every trezorlib exception is mapped to ``signing.errors`` with
``raise ... from``. The coin follows the path (SLIP-44 coin type 1' is ``Testnet``), as
the firmware's path checks require; xpubs are reported in the desk's ``xpub`` form.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from trezorlib import btc, ethereum, exceptions, messages
from trezorlib import client as trezor_client
from trezorlib.transport import DeviceIsBusy, Timeout, Transport, TransportException
from trezorlib.transport import get_transport as trezor_get_transport

from signing import errors
from signing.bitcoin import multisig_address
from signing.crypto.addresses import address_for
from signing.crypto.bip32 import canonical_path, parse_path
from signing.devices.trezor_uri import (
    CAPABILITIES,
    DEFAULT_UDP_HOST,
    DEFAULT_UDP_PORT,
    URI_PREFIX,
    coin_for_path,
    desk_xpub,
    device_info_for,
    looks_like_emulator,
    script_for_path,
    trezorlib_path,
    udp_device_present,
    udp_ports_to_probe,
    udp_probe,
)
from signing.devicetext import check_device_text
from signing.ethereum import (
    check_typed_data,
    checksum_address,
    recover_address,
    typed_data_digest,
    typed_data_hashes,
)
from signing.framing import trezor_v1
from signing.interface import (
    Capability,
    DeviceIdentity,
    DeviceInfo,
    DeviceKind,
    DevicePrompt,
    Interaction,
    MessageSignature,
    MultisigAddressRequest,
    PromptKind,
    PublicKeyInfo,
    Signer,
    TypedDataSignature,
)
from signing.registry import register_family

log = logging.getLogger(__name__)

APP_NAME = "Custody Desk"
RESPONSE_TIMEOUT = 10.0  # seconds for a device to answer a request that needs no human
CONFIRM_TIMEOUT = 300.0  # seconds an officer has to confirm on the device
POLL_INTERVAL = 0.05  # how often a blocked read looks at the cancel flag
LIVENESS_INTERVAL = 0.5  # how often a waiting read checks that a UDP device is still there
# trezorlib's @workflow decorator erases the signatures of btc.* for mypy.
_btc: Any = btc
_eth: Any = ethereum
_WIRE_NAMES = {int(t): t.name for t in messages.MessageType}
_KNOWN_TYPES = frozenset(_WIRE_NAMES)
# ---- enumeration (never opens a device) ------------------------------------------------


def enumerate_devices(udp_ports: Sequence[int] = (DEFAULT_UDP_PORT,)) -> list[DeviceInfo]:
    """Every Trezor found on HID, WebUSB and the given loopback UDP ports."""
    found: list[DeviceInfo] = []
    for port in udp_ports:
        if udp_device_present(DEFAULT_UDP_HOST, port):
            found.append(
                DeviceInfo(
                    uri=f"{URI_PREFIX}udp:{DEFAULT_UDP_HOST}:{port}",
                    kind=DeviceKind.TREZOR,
                    label=f"Trezor emulator (UDP {port})",
                    transport="udp",
                    is_emulator=True,
                    capabilities=CAPABILITIES,
                )
            )
    found.extend(_enumerate_hid())
    found.extend(_enumerate_webusb())
    return found


def _enumerate_hid() -> list[DeviceInfo]:
    try:
        from trezorlib.transport.hid import HidTransport

        if not HidTransport.ENABLED:
            return []
        transports = list(HidTransport.enumerate())  # hid.enumerate(): reads no device
    except Exception as exc:  # a missing or broken hidapi must not break the device list
        log.info("HID enumeration unavailable: %s", exc)
        return []
    return [
        DeviceInfo(
            uri=URI_PREFIX + t.get_path(),
            kind=DeviceKind.TREZOR,
            label="Trezor One (HID)",
            transport="hid",
            is_emulator=False,
            capabilities=CAPABILITIES,
        )
        for t in transports
    ]


def _enumerate_webusb() -> list[DeviceInfo]:
    # trezorlib's WebUsbTransport.enumerate() opens each device to read its product
    # string; list the bus ourselves from descriptors libusb already holds.
    try:
        import usb1  # type: ignore[import-untyped]
        from trezorlib.models import ALL_MODELS
        from trezorlib.transport.webusb import dev_to_str, is_vendor_class
    except Exception as exc:
        log.info("WebUSB enumeration unavailable: %s", exc)
        return []
    usb_ids = {usb_id for model in ALL_MODELS for usb_id in model.usb_ids}
    found = []
    try:
        with usb1.USBContext() as context:
            for dev in context.getDeviceIterator(skip_on_error=True):
                if (dev.getVendorID(), dev.getProductID()) not in usb_ids:
                    continue
                if not is_vendor_class(dev):
                    continue
                found.append(
                    DeviceInfo(
                        uri=f"{URI_PREFIX}webusb:{dev_to_str(dev)}",
                        kind=DeviceKind.TREZOR,
                        label="Trezor (WebUSB)",
                        transport="webusb",
                        is_emulator=False,
                        capabilities=CAPABILITIES,
                    )
                )
    except Exception as exc:
        log.info("WebUSB enumeration failed: %s", exc)
    return found


# ---- the guarded transport -----------------------------------------------------------


class GuardedTransport(Transport):
    """Wraps a trezorlib transport: frame checks, deadlines, cancel and liveness."""

    PATH_PREFIX = "guarded"
    CHUNK_SIZE = 64
    ENABLED = True

    def __init__(self, inner: Transport) -> None:
        super().__init__()
        self.inner = inner
        self.validate = False  # off while trezorlib's probe skips stale chunks
        self.decoder = trezor_v1.Reassembler(known_types=_KNOWN_TYPES)
        self.transcript: deque[tuple[str, str]] = deque(maxlen=512)
        self.response_timeout = RESPONSE_TIMEOUT
        self.confirm_timeout = CONFIRM_TIMEOUT
        self.awaiting_human = False
        self.cancel_requested = threading.Event()
        self.cancel_sent = False
        self.send_cancel: Any = None  # set by the signer to client.cancel
        self._udp_address: tuple[str, int] | None = None
        if inner.PATH_PREFIX == "udp":
            _, host, port = inner.get_path().split(":")
            self._udp_address = (host, int(port))

    def get_path(self) -> str:
        return self.inner.get_path()

    def is_open(self) -> bool:
        return self.inner.is_open()

    def _open(self) -> None:
        self.inner.open()

    def _close(self) -> None:
        self.inner.close()

    def write_chunk(self, chunk: bytes, /) -> None:
        if chunk.startswith(trezor_v1.START_MAGIC):
            msg_type = trezor_v1.HEADER.unpack_from(chunk, 3)[0]
            self.transcript.append(("out", _WIRE_NAMES.get(msg_type, f"#{msg_type}")))
        self.inner.write_chunk(chunk)

    def read_chunk(self, *, timeout: float | None = None) -> bytes:
        if timeout is not None:  # trezorlib's own short reads (the v1 probe)
            return self.inner.read_chunk(timeout=timeout)
        chunk = self._wait_for_chunk()
        if self.validate:
            frame = self.decoder.feed(chunk)  # raises FramingError (a ProtocolError)
            if frame is not None:
                self.awaiting_human = False
                self.transcript.append(("in", _WIRE_NAMES.get(frame.msg_type, "?")))
        elif chunk.startswith(trezor_v1.START_MAGIC):  # the probe: record, do not judge
            msg_type = trezor_v1.HEADER.unpack_from(chunk, 3)[0]
            self.transcript.append(("in", _WIRE_NAMES.get(msg_type, f"#{msg_type}")))
        return chunk

    def _wait_for_chunk(self) -> bytes:
        start = time.monotonic()
        last_liveness = start
        silent = 0
        while True:
            # Cancel only once the device waits for its human (after ButtonAck): a Cancel
            # racing the ButtonRequest would leave a stray reply for the next call.
            if (
                self.cancel_requested.is_set()
                and self.awaiting_human
                and not self.cancel_sent
                and self.send_cancel
            ):
                self.cancel_sent = True
                log.info("sending Cancel to %s", self.get_path())
                self.send_cancel()
            try:
                return self.inner.read_chunk(timeout=POLL_INTERVAL)
            except Timeout:
                pass
            now = time.monotonic()
            limit = self.confirm_timeout if self.awaiting_human else self.response_timeout
            if now - start > limit:
                raise errors.DeviceTimeout(f"no answer from {self.get_path()} in {limit:g} s")
            if self._udp_address is not None and now - last_liveness >= LIVENESS_INTERVAL:
                last_liveness = now
                state = udp_probe(*self._udp_address, timeout=0.3)
                silent = silent + 1 if state == "silent" else 0
                # refused: nothing listens any more; silent twice: a hung or vanished peer
                if state == "refused" or silent >= 2:
                    raise errors.Disconnected(f"{self.get_path()} stopped answering ({state})")

    def drain(self, seconds: float = 0.3) -> None:
        """Discard whatever the device still sends (after a timeout or an error)."""
        deadline = time.monotonic() + seconds
        self.decoder.reset()
        while time.monotonic() < deadline:
            try:
                self.inner.read_chunk(timeout=POLL_INTERVAL)
            except Exception:
                return


# ---- the signer ----------------------------------------------------------------------


class TrezorSigner(Signer):
    """A Trezor (or emulator) behind trezorlib. Use from the device thread only."""

    def __init__(
        self,
        info: DeviceInfo,
        *,
        response_timeout: float = RESPONSE_TIMEOUT,
        confirm_timeout: float = CONFIRM_TIMEOUT,
    ) -> None:
        self.info = info
        self.response_timeout = response_timeout
        self.confirm_timeout = confirm_timeout
        self._interaction: Interaction | None = None
        self._transport: GuardedTransport | None = None
        self._client: Any = None
        self._session: Any = None
        self._identity: DeviceIdentity | None = None
        self._pubkeys: dict[str, PublicKeyInfo] = {}
        self._prompt_text = ""
        self._cancel = threading.Event()
        self._host_cancelled = False
        self._pin_missing = False

    @classmethod
    def from_uri(cls, uri: str, **kwargs: float) -> TrezorSigner:
        return cls(device_info_for(uri), **kwargs)

    @property
    def identity(self) -> DeviceIdentity | None:
        return self._identity

    @property
    def transcript(self) -> list[tuple[str, str]]:
        """Message types seen on the wire since the last ``clear_transcript``."""
        return list(self._transport.transcript) if self._transport else []

    def clear_transcript(self) -> None:
        if self._transport is not None:
            self._transport.transcript.clear()

    # ---- lifecycle -------------------------------------------------------------------

    def open(self, interaction: Interaction) -> DeviceIdentity:
        self._begin()
        return self._connect(interaction)

    def _connect(self, interaction: Interaction) -> DeviceIdentity:
        self._interaction = interaction
        self._drop()
        with self._mapped("connecting"):
            try:
                inner = trezor_get_transport(trezorlib_path(self.info.uri), prefix_search=False)
            except TransportException as exc:
                # Once this signer has met its device, its absence is a disconnect.
                if self._identity is not None:
                    raise errors.Disconnected(f"{self.info.uri} is gone") from exc
                raise errors.DeviceNotFound(self.info.uri) from exc
            guard = GuardedTransport(inner)
            guard.response_timeout = self.response_timeout
            guard.confirm_timeout = self.confirm_timeout
            guard.cancel_requested = self._cancel
            self._transport = guard
            app = trezor_client.AppManifest(
                app_name=APP_NAME,
                button_callback=self._on_button,
                pin_callback=self._on_pin,
            )
            guard.open()
            client = trezor_client.get_client(app, guard)
            guard.validate = True
            guard.send_cancel = client.cancel
            self._client = client
            session = client.get_session()
            self._session = session
            features = client.features
            fingerprint = session.get_root_fingerprint().hex()
        identity = DeviceIdentity(
            kind=DeviceKind.TREZOR,
            label=features.label or "Trezor",
            model=f"Trezor {features.model or '?'}",
            firmware_version=f"{features.major_version}.{features.minor_version}."
            f"{features.patch_version}",
            master_fingerprint=fingerprint,
            is_emulator=looks_like_emulator(
                features.label, getattr(features, "fw_vendor", None), self.info.transport
            ),
        )
        if self._identity is not None and self._identity.master_fingerprint != fingerprint:
            self._drop()
            raise errors.WrongDevice(
                f"expected {self._identity.master_fingerprint}, found {fingerprint}"
            )
        self._identity = identity
        return identity

    def close(self) -> None:
        self._drop()

    def _drop(self) -> None:
        transport, self._transport = self._transport, None
        self._client = None
        self._session = None
        self._pubkeys.clear()
        if transport is not None:
            try:
                transport.close()
            except Exception as exc:
                log.debug("closing %s: %s", self.info.uri, exc)

    def _ensure_open(self) -> None:
        """Reconnect after a disconnect, timeout or protocol error dropped the link."""
        if self._session is not None:
            return
        if self._interaction is None:
            raise errors.InvalidInput("open() the device before using it")
        self._connect(self._interaction)

    # ---- operations ------------------------------------------------------------------

    def get_public_key(self, path: str) -> PublicKeyInfo:
        self.require(Capability.GET_XPUB)
        self._begin()
        return self._public_key(path)

    def _public_key(self, path: str) -> PublicKeyInfo:
        indices = parse_path(path)
        canonical = canonical_path(path)
        cached = self._pubkeys.get(canonical)
        if cached is not None and self._session is not None:
            return cached
        self._ensure_open()
        script, trezor_script = script_for_path(indices)
        coin, network = coin_for_path(indices)
        with self._mapped("reading a public key"):
            node = _btc.get_public_node(
                self._session,
                list(indices),
                coin_name=coin,
                script_type=trezor_script,
                ignore_xpub_magic=True,
            )
        pubkey = bytes(node.node.public_key)
        xpub = desk_xpub(node.xpub, pubkey)
        info = PublicKeyInfo(canonical, xpub, pubkey, address_for(pubkey, script, network))
        self._pubkeys[canonical] = info
        return info

    def sign_message(self, path: str, text: str) -> MessageSignature:
        self.require(Capability.SIGN_MESSAGE)
        self._begin()
        check_device_text(text)
        indices = parse_path(path)
        key = self._public_key(path)
        _script, trezor_script = script_for_path(indices)
        coin, _network = coin_for_path(indices)
        self._prompt_text = text
        with self._mapped("signing"):
            result = _btc.sign_message(
                self._session, coin, list(indices), text, script_type=trezor_script
            )
        signature = bytes(result.signature)
        if result.address != key.address or len(signature) != 65:
            raise errors.ProtocolError(
                f"device signed for {result.address}, expected {key.address} at {key.path}"
            )
        return MessageSignature(key.path, text, result.address, signature, key.pubkey)

    # ---- show address on device (btc.get_address / ethereum.get_address, show_display) --

    def show_address(self, path: str, *, shown: str = "") -> str:
        """``GetAddress(show_display=True)``: the officer confirms (or rejects) on the device."""
        self.require(Capability.SHOW_ADDRESS)
        self._begin()
        indices = parse_path(path)
        self._ensure_open()
        _script, trezor_script = script_for_path(indices)
        coin, _network = coin_for_path(indices)
        self._prompt_text = shown or f"Compare the address shown for {canonical_path(path)}"
        with self._mapped("showing an address"):
            address = _btc.get_address(
                self._session, coin, list(indices), show_display=True, script_type=trezor_script
            )
        return _device_text(address)

    def show_multisig_address(
        self, request: MultisigAddressRequest, *, shown: str = ""
    ) -> str:
        """``GetAddress`` with the multisig (P2WSH), shown on the device for this device's key."""
        self.require(Capability.SHOW_MULTISIG_ADDRESS)
        self._begin()
        ordered = multisig_address.script_order(request)  # InvalidInput before the device
        self._ensure_open()
        identity = self._identity
        assert identity is not None
        mine = bytes.fromhex(identity.master_fingerprint)
        own = next((c for _k, c in ordered if c.fingerprint == mine), None)
        if own is None:
            raise errors.WrongDevice(
                f"{self._label()} ({identity.master_fingerprint}) holds none of the multisig's keys"
            )
        from embit import bip32 as ebip32

        multisig = messages.MultisigRedeemScriptType(
            pubkeys=[
                messages.HDNodePathType(
                    node=_hd_node(ebip32.HDKey.from_string(c.account_xpub)),
                    address_n=list(request.suffix),
                )
                for _k, c in ordered
            ],
            signatures=[b""] * len(ordered),
            m=request.threshold,
        )
        self._prompt_text = shown or "Compare the multisig address the device shows"
        with self._mapped("showing a multisig address"):
            address = _btc.get_address(
                self._session,
                "Testnet" if request.testnet else "Bitcoin",
                [*own.account_path, *request.suffix],
                show_display=True,
                multisig=multisig,
                script_type=messages.InputScriptType.SPENDWITNESS,
            )
        return _device_text(address)

    def show_eth_address(self, path: str, *, shown: str = "") -> str:
        """``EthereumGetAddress(show_display=True)``; the result in EIP-55 form."""
        self.require(Capability.SHOW_ETH_ADDRESS)
        self._begin()
        indices = parse_path(path)
        self._ensure_open()
        self._prompt_text = shown or f"Compare the address shown for {canonical_path(path)}"
        with self._mapped("showing an Ethereum address"):
            answer = _eth.get_address(self._session, list(indices), show_display=True)
        address = _device_text(answer)
        try:
            return checksum_address(address)
        except errors.InvalidInput as exc:
            raise errors.ProtocolError(f"device returned {address!r}: {exc}") from exc

    # ---- Ethereum (trezorlib.ethereum) -------------------------------------------------

    def get_eth_address(self, path: str) -> str:
        self.require(Capability.ETH_ADDRESS)
        self._begin()
        return self._eth_address(path)

    def _eth_address(self, path: str) -> str:
        indices = parse_path(path)
        self._ensure_open()
        with self._mapped("reading an Ethereum address"):
            address = str(_eth.get_address(self._session, list(indices)))
        try:
            return checksum_address(address)
        except errors.InvalidInput as exc:
            raise errors.ProtocolError(f"device returned {address!r}: {exc}") from exc

    def sign_typed_data(
        self, path: str, data: dict[str, Any], *, shown: str = ""
    ) -> TypedDataSignature:
        self.require(Capability.ETH_TYPED_DATA)
        self._begin()
        check_typed_data(data)  # InvalidTypedData before anything reaches the device
        domain_hash, message_hash = typed_data_hashes(data)
        address = self._eth_address(path)
        self._prompt_text = shown
        with self._mapped("signing typed data"):
            try:
                result = _eth.sign_typed_data(
                    self._session, list(parse_path(path)), data, metamask_v4_compat=True
                )
            except exceptions.TrezorFailure as exc:
                if exc.code == messages.FailureType.UnexpectedMessage:
                    raise errors.Unsupported(
                        f"{self._label()} cannot show EIP-712 typed data (a Trezor One): "
                        "sign its hashes instead"
                    ) from exc
                raise
        return self._typed_result(path, address, result, domain_hash, message_hash, full=True)

    def sign_typed_hash(
        self, path: str, domain_hash: bytes, message_hash: bytes | None, *, shown: str = ""
    ) -> TypedDataSignature:
        self.require(Capability.ETH_TYPED_HASH)
        self._begin()
        if len(domain_hash) != 32 or (message_hash is not None and len(message_hash) != 32):
            raise errors.InvalidInput("EIP-712 hashes are 32 bytes")
        address = self._eth_address(path)
        self._prompt_text = shown
        with self._mapped("signing a typed-data hash"):
            result = _eth.sign_typed_data_hash(
                self._session, list(parse_path(path)), domain_hash, message_hash
            )
        return self._typed_result(path, address, result, domain_hash, message_hash, full=False)

    def _typed_result(
        self,
        path: str,
        address: str,
        result: Any,
        domain_hash: bytes,
        message_hash: bytes | None,
        *,
        full: bool,
    ) -> TypedDataSignature:
        signature = bytes(result.signature)
        digest = typed_data_digest(domain_hash, message_hash)
        if result.address != address or recover_address(digest, signature) != address:
            raise errors.InvalidSignature(
                f"device signature is not {address}'s over 0x{digest.hex()}"
            )
        return TypedDataSignature(
            canonical_path(path), address, signature, domain_hash, message_hash, full
        )

    def sign_psbt(self, psbt: str) -> str:
        """Sign this device's inputs of a 2-of-3 P2WSH PSBT through ``btc.sign_tx``.

        The multisig is rebuilt from the PSBT's global xpubs and each input's BIP-32
        derivations, cosigners in the script's (sorted) order; the previous
        transactions come from the non-witness UTXOs. The device shows every output,
        the amount and the fee before it signs.
        """
        self.require(Capability.SIGN_PSBT)
        self._begin()
        self._ensure_open()
        identity = self._identity
        assert identity is not None
        request = trezor_sign_request(psbt, bytes.fromhex(identity.master_fingerprint))
        self._prompt_text = request.shown
        with self._mapped("signing the release transaction"):
            signatures, _tx = _btc.sign_tx(
                self._session,
                request.coin,
                request.inputs,
                request.outputs,
                prev_txes=request.prev_txes,
                version=request.version,
                lock_time=request.lock_time,
            )
        return request.with_signatures([bytes(s) for s in signatures])

    def ping(self, message: str = "ping") -> str:
        """A bare round trip (benchmarks, health checks)."""
        self._begin()
        self._ensure_open()
        with self._mapped("ping"):
            answer: str = self._client.ping(message)
        return answer

    def cancel(self) -> None:
        """From any thread: the pending device flow is cancelled within ~0.1 s."""
        self._host_cancelled = True
        self._cancel.set()

    # ---- callbacks from trezorlib (device thread) -------------------------------------

    def _on_button(self, _request: Any) -> None:
        if self._transport is not None:
            self._transport.awaiting_human = True
        if self._interaction is not None:
            prompt = DevicePrompt(PromptKind.CONFIRM_ON_DEVICE, self._label(), self._prompt_text)
            self._interaction.on_prompt(prompt)

    def _on_pin(self, _request: Any) -> str:
        if self._interaction is None:
            raise exceptions.Cancelled("no one can enter the PIN")
        try:
            pin = self._interaction.request_pin(self._label())
        except errors.CancelledByHost as exc:
            self._host_cancelled = True
            raise exceptions.Cancelled("PIN entry cancelled") from exc
        except errors.PinRequired:
            self._pin_missing = True
            raise exceptions.Cancelled("no PIN available") from None
        if self._cancel.is_set():
            raise exceptions.Cancelled("cancelled by host during PIN entry")
        return pin

    def _label(self) -> str:
        return self._identity.label if self._identity else self.info.label

    # ---- error mapping ---------------------------------------------------------------

    def _begin(self) -> None:
        self._cancel.clear()
        self._host_cancelled = False
        self._pin_missing = False
        self._prompt_text = ""
        if self._transport is not None:
            self._transport.cancel_sent = False
            self._transport.awaiting_human = False

    @contextmanager
    def _mapped(self, doing: str) -> Iterator[None]:
        """Run a trezorlib call; whatever it raises leaves as one typed error."""
        try:
            yield
        except errors.SigningError as exc:
            if isinstance(exc, errors.DeviceTimeout) and self._transport is not None:
                self._cancel_after_timeout()
            if isinstance(exc, errors.Disconnected | errors.DeviceTimeout | errors.ProtocolError):
                self._drop()
            raise
        except Exception as exc:
            mapped = self._map(exc, doing)
            if isinstance(
                mapped, errors.Disconnected | errors.ProtocolError | errors.DeviceTimeout
            ):
                self._drop()
            raise mapped from exc
        finally:
            if self._transport is not None:
                self._transport.awaiting_human = False
            if self._interaction is not None:
                self._interaction.on_done()

    def _cancel_after_timeout(self) -> None:
        transport = self._transport
        if transport is None or self._client is None:
            return
        try:
            self._client.cancel()
            transport.drain()
        except Exception as exc:
            log.debug("cancel after timeout failed: %s", exc)

    def _map(self, exc: Exception, doing: str) -> errors.SigningError:
        detail = f"{doing} on {self.info.uri}: {exc}"
        if isinstance(exc, exceptions.Cancelled):
            if self._pin_missing:
                return errors.PinRequired(detail)
            if self._host_cancelled:
                return errors.CancelledByHost(detail)
            return errors.UserRejected(detail)
        if isinstance(exc, exceptions.PinException):
            code = exc.args[0] if exc.args else None
            if code == messages.FailureType.PinCancelled:
                return errors.CancelledByHost(detail)
            if code == messages.FailureType.PinExpected:
                return errors.PinRequired(detail)
            return errors.WrongPin(detail)
        if isinstance(exc, exceptions.TrezorFailure):
            return _map_failure(exc, detail)
        if isinstance(exc, exceptions.DeviceLockedError):
            return errors.PinRequired(detail)
        if isinstance(exc, exceptions.OutdatedFirmwareError | exceptions.MissingCapability):
            return errors.Unsupported(detail)
        if isinstance(exc, exceptions.PassphraseError):
            return errors.Unsupported(detail)
        if isinstance(exc, exceptions.InvalidSessionError):
            return errors.Disconnected(detail)
        if isinstance(exc, DeviceIsBusy):
            return errors.DeviceBusy(detail)
        if isinstance(exc, Timeout):
            return errors.DeviceTimeout(detail)
        if isinstance(exc, TransportException | OSError):
            return errors.Disconnected(detail)
        if isinstance(exc, exceptions.TrezorException):
            return errors.ProtocolError(detail)
        if isinstance(exc, ValueError) and "PIN" in str(exc):
            return errors.InvalidInput(detail)
        return errors.ProtocolError(f"{detail} ({type(exc).__name__})")


def _device_text(value: object) -> str:
    """An address as the device sent it: a non-empty ASCII string, or ProtocolError."""
    if not isinstance(value, str) or not value or not value.isascii():
        raise errors.ProtocolError(f"the device returned {value!r} as an address")
    return value


def _map_failure(exc: exceptions.TrezorFailure, detail: str) -> errors.SigningError:
    code = exc.code
    failure = messages.FailureType
    text = str(exc.message or "")
    if "env=prod" in text:
        return errors.NotAllowed(detail)
    if code == failure.PinInvalid:
        return errors.WrongPin(detail)
    if code == failure.PinExpected:
        return errors.PinRequired(detail)
    if code == failure.Busy:
        return errors.DeviceBusy(detail)
    if code == failure.DataError:
        return errors.InvalidInput(detail)
    if code == failure.InvalidSignature:
        return errors.InvalidSignature(detail)
    if code == failure.NotInitialized:
        return errors.Unsupported(detail)
    return errors.ProtocolError(detail)


# ---- registration ----------------------------------------------------------------------


@dataclass
class TrezorSignRequest:
    """A PSBT turned into ``btc.sign_tx`` arguments, and the way back."""

    psbt: Any  # embit.psbt.PSBT
    coin: str
    inputs: list[messages.TxInputType]
    outputs: list[messages.TxOutputType]
    prev_txes: dict[bytes, messages.TransactionType]
    version: int
    lock_time: int
    own_pubkeys: list[bytes]
    shown: str

    def with_signatures(self, signatures: list[bytes]) -> str:
        from embit import ec

        for i, (sig, pubkey) in enumerate(zip(signatures, self.own_pubkeys, strict=True)):
            if not sig:
                raise errors.ProtocolError(f"the device returned no signature for input {i}")
            self.psbt.inputs[i].partial_sigs[ec.PublicKey.parse(pubkey)] = sig + b"\x01"
        return str(self.psbt.to_string())


def _hd_node(key: Any) -> messages.HDNodeType:
    return messages.HDNodeType(
        depth=key.depth,
        fingerprint=int.from_bytes(key.fingerprint, "big"),
        child_num=key.child_number,
        chain_code=bytes(key.chain_code),
        public_key=bytes(key.key.sec()),
    )


def trezor_sign_request(psbt_text: str, fingerprint: bytes) -> TrezorSignRequest:
    """``btc.sign_tx`` arguments for the inputs of a vault PSBT the device ``fingerprint`` holds."""
    from embit.networks import NETWORKS

    from signing.bitcoin.spend import parse_psbt

    psbt = parse_psbt(psbt_text)
    accounts = {
        (bytes(der.fingerprint), tuple(der.derivation)): key for key, der in psbt.xpubs.items()
    }
    if not accounts:
        raise errors.InvalidInput("the PSBT carries no global xpubs to rebuild the multisig")
    version = next(iter(accounts.values())).version
    coin = "Bitcoin" if version == NETWORKS["main"]["xpub"] else "Testnet"
    network = NETWORKS["main" if coin == "Bitcoin" else "test"]
    inputs: list[messages.TxInputType] = []
    own: list[bytes] = []
    prev_txes: dict[bytes, messages.TransactionType] = {}
    for i, inp in enumerate(psbt.inputs):
        cosigners: list[tuple[bytes, messages.HDNodePathType]] = []
        mine: tuple[bytes, list[int]] | None = None
        for pub, der in inp.bip32_derivations.items():
            path = list(der.derivation)
            account = accounts.get((bytes(der.fingerprint), tuple(path[:-2])))
            if account is None:
                raise errors.InvalidInput(f"input {i}: a key without its account xpub")
            node = messages.HDNodePathType(node=_hd_node(account), address_n=path[-2:])
            cosigners.append((bytes(pub.sec()), node))
            if bytes(der.fingerprint) == fingerprint:
                mine = (bytes(pub.sec()), path)
        if mine is None or inp.non_witness_utxo is None or inp.witness_utxo is None:
            raise errors.InvalidInput(f"input {i} is not this device's to sign")
        cosigners.sort(key=lambda c: c[0])  # sortedmulti order, on any firmware
        multisig = messages.MultisigRedeemScriptType(
            pubkeys=[c[1] for c in cosigners], signatures=[b""] * len(cosigners), m=2
        )
        inputs.append(
            messages.TxInputType(
                address_n=mine[1],
                prev_hash=bytes(inp.txid),
                prev_index=inp.vout,
                amount=inp.witness_utxo.value,
                sequence=inp.sequence if inp.sequence is not None else 0xFFFFFFFF,
                script_type=messages.InputScriptType.SPENDWITNESS,
                multisig=multisig,
            )
        )
        own.append(mine[0])
        prev = inp.non_witness_utxo
        prev_txes[bytes(prev.txid())] = messages.TransactionType(
            version=prev.version,
            lock_time=prev.locktime,
            inputs=[
                messages.TxInputType(
                    prev_hash=bytes(v.txid),
                    prev_index=v.vout,
                    script_sig=bytes(v.script_sig.data),
                    sequence=v.sequence,
                )
                for v in prev.vin
            ],
            bin_outputs=[
                messages.TxOutputBinType(amount=o.value, script_pubkey=bytes(o.script_pubkey.data))
                for o in prev.vout
            ],
        )
    tx = psbt.tx
    outputs = [
        messages.TxOutputType(
            address=o.script_pubkey.address(network),
            amount=o.value,
            script_type=messages.OutputScriptType.PAYTOADDRESS,
        )
        for o in tx.vout
    ]
    shown = "; ".join(f"send {o.amount} sat to {o.address}" for o in outputs)
    return TrezorSignRequest(
        psbt,
        coin,
        inputs,
        outputs,
        prev_txes,
        tx.version,
        tx.locktime,
        own,
        f"Confirm on the device: {shown}, fee {psbt.fee()} sat",
    )


def _enumerate_for_registry() -> list[DeviceInfo]:
    return enumerate_devices(udp_ports_to_probe())


def open_signer(uri: str) -> TrezorSigner:
    """An unopened signer for a ``trezor:...`` URI (the registry's open function)."""
    return TrezorSigner.from_uri(uri)


register_family("trezor", _enumerate_for_registry, open_signer)
