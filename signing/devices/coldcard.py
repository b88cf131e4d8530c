"""Coldcard driver: the Coldcard USB protocol over any report pipe.

Layers, bottom up: a ``ReportPipe`` (hidapi for hardware, a Unix datagram
socket for the emulator: the only difference between the two), the pure
framing codec (``signing.framing.coldcard``), the encrypted link
(``coldcard_link``) and the commands below.

Flows:

* open: resynchronise (empty report), ``ncry`` (ECDH, AES-256-CTR from then
  on), ``vers``. The master fingerprint in the ``ncry`` answer is checked
  against the expected one, and against the first session's on reconnect.
  The identity's label is what ``vers`` says (``coldcard_answers``).
* ``get_public_key``: ``xpub`` (encrypted, as the device requires).
* ``sign_message``: device-text rules checked here first, then ``smsg`` and
  ``smok`` polls. ``okay`` means the human has not decided yet, ``busy`` to
  ``smsg`` means another prompt is still on the device, ``refu`` is a refusal,
  ``smrx`` carries address and BIP-137 signature, which are verified here.
  ``cancel()`` (any thread) ends the wait between polls; the device keeps
  showing its prompt until the human answers it, as a real Coldcard does.

Any transport or protocol failure drops the session (the CTR streams may be
out of step); the next call reconnects and re-keys. A device that was opened
once and cannot be reached again is ``Disconnected`` on every call until it is
back; ``DeviceNotFound`` is only for a device this signer never reached.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import NoReturn, TypeVar

from signing.bitcoin import multisig_address
from signing.crypto.addresses import (
    ScriptType,
    address_for,
    address_matches,
    decode_address,
    network_for_path,
    script_type_for_path,
)
from signing.crypto.bip32 import format_path, parse_extended_key, parse_path
from signing.devices.coldcard_answers import map_remote_error, parse_version
from signing.devices.coldcard_link import EphemeralKey, LinkCipher
from signing.devicetext import check_device_text
from signing.errors import (
    DeviceBusy,
    DeviceNotFound,
    DeviceTimeout,
    Disconnected,
    InvalidInput,
    InvalidSignature,
    PinRequired,
    ProtocolError,
    SigningError,
    UserRejected,
    WrongDevice,
)
from signing.framing import coldcard_messages as msgs
from signing.framing.coldcard import RESET_REPORT, Reassembler, Side, frame_message
from signing.interface import (
    CancelToken,
    Capability,
    DeviceIdentity,
    DeviceInfo,
    DeviceKind,
    DevicePrompt,
    Interaction,
    MessageSignature,
    MultisigAddressRequest,
    NullInteraction,
    PromptKind,
    PublicKeyInfo,
    Signer,
)
from signing.transport.base import ReportPipe
from signing.transport.hid_enumerate import (
    HidFamily,
)

log = logging.getLogger(__name__)
_T = TypeVar("_T")

FAMILY = HidFamily(name="coldcard", vendor_id=0xD13E, product_id=0xCC10)
CAPABILITIES = frozenset(
    {
        Capability.GET_XPUB,
        Capability.SIGN_MESSAGE,
        Capability.ENCRYPTED_LINK,
        Capability.CANCEL,
        Capability.SIGN_PSBT,
        Capability.SHOW_ADDRESS,
        Capability.SHOW_MULTISIG_ADDRESS,
    }
)
DEFAULT_SIM_SOCKET = "/tmp/ckcc-simulator.sock"
SOCKETS_ENV = "CUSTODY_DESK_COLDCARD_SOCKETS"  # extra emulator sockets, os.pathsep-separated
DEFAULT_IO_TIMEOUT_MS = 3000
DEFAULT_APPROVAL_TIMEOUT_S = 300.0
_FLUSH_LIMIT = 64  # stale reports drained before a request; more means a runaway device
_POLL_START_S = 0.0002  # doubles per poll: fast for an emulator, gentle on hardware
_POLL_MAX_S = 0.1

TrafficHook = Callable[[str, bytes], None]  # ("tx" | "rx", plaintext message)
PipeFactory = Callable[[], ReportPipe]


_FORMAT_FOR_SCRIPT = {
    ScriptType.P2PKH: msgs.AddressFormat.P2PKH,
    ScriptType.P2WPKH: msgs.AddressFormat.P2WPKH,
    ScriptType.P2SH_P2WPKH: msgs.AddressFormat.P2SH_P2WPKH,
}


class _Session:
    """One open pipe with its link keys. Dropped whole on any failure."""

    def __init__(self, pipe: ReportPipe) -> None:
        self.pipe = pipe
        self.cipher: LinkCipher | None = None
        self.master_fingerprint = ""
        self.master_xpub = ""
        self.version_lines: list[str] = []


class ColdcardSigner(Signer):
    """A Coldcard (or the emulator) behind a report pipe. Blocking; device thread only."""

    def __init__(
        self,
        info: DeviceInfo,
        pipe_factory: PipeFactory,
        *,
        io_timeout_ms: int = DEFAULT_IO_TIMEOUT_MS,
        approval_timeout_s: float = DEFAULT_APPROVAL_TIMEOUT_S,
        expected_fingerprint: str | None = None,
        on_traffic: TrafficHook | None = None,
    ) -> None:
        self.info = info
        self._pipe_factory = pipe_factory
        self.io_timeout_ms = io_timeout_ms
        self.approval_timeout_s = approval_timeout_s
        self._expected_fingerprint = expected_fingerprint.lower() if expected_fingerprint else None
        self._on_traffic = on_traffic
        self._interaction: Interaction = NullInteraction()
        self._session: _Session | None = None
        self._identity: DeviceIdentity | None = None
        self._token = CancelToken()
        self._busy = threading.Lock()
        self._pubkeys: dict[str, bytes] = {}  # path -> key, for this device's fingerprint

    # ------------------------------------------------------------ Signer API

    def open(self, interaction: Interaction) -> DeviceIdentity:
        self._interaction = interaction
        with self._exclusive():
            return self._connect()

    def close(self) -> None:
        self._drop_session()

    def cancel(self) -> None:
        self._token.cancel()

    @property
    def identity(self) -> DeviceIdentity | None:
        return self._identity

    def get_public_key(self, path: str) -> PublicKeyInfo:
        self.require(Capability.GET_XPUB)
        indices = parse_path(path)
        canonical = format_path(indices)
        with self._exclusive():
            xpub = self._xpub(canonical)
        pubkey = self._remember_pubkey(canonical, xpub)
        address = address_for(pubkey, script_type_for_path(indices), network_for_path(indices))
        return PublicKeyInfo(path=canonical, xpub=xpub, pubkey=pubkey, address=address)

    def sign_message(self, path: str, text: str) -> MessageSignature:
        self.require(Capability.SIGN_MESSAGE)
        check_device_text(text)
        indices = parse_path(path)
        canonical = format_path(indices)
        script_type = script_type_for_path(indices)
        with self._exclusive():
            self._token.reset()
            pubkey = self._pubkeys.get(canonical)
            if pubkey is None:
                pubkey = self._remember_pubkey(canonical, self._xpub(canonical))
            address, signature = self._sign(canonical, text, script_type)
        return self._checked_signature(
            canonical,
            text,
            script_type=script_type,
            pubkey=pubkey,
            address=address,
            signature=signature,
        )

    def show_address(self, path: str, *, shown: str = "") -> str:
        """``show``: the device displays the address at ``path`` and answers it at once.

        A Coldcard expects no answer from its human for this (the screen stays until
        they dismiss it), so there is nothing to reject and the call does not wait.
        """
        self.require(Capability.SHOW_ADDRESS)
        indices = parse_path(path)
        canonical = format_path(indices)
        addr_fmt = _FORMAT_FOR_SCRIPT[script_type_for_path(indices)]
        with self._exclusive():
            self._token.reset()
            self._require_session()
            return self._shown(msgs.encode_show_address(canonical, addr_fmt), shown)

    def show_multisig_address(
        self, request: MultisigAddressRequest, *, shown: str = ""
    ) -> str:
        """``p2sh``: the device derives and displays the P2WSH multisig address.

        A real Coldcard shows it only for a multisig wallet enrolled on it (it checks
        every key); otherwise it refuses with an error the desk reports as such.
        """
        self.require(Capability.SHOW_MULTISIG_ADDRESS)
        ordered = multisig_address.script_order(request)  # InvalidInput before the device
        script = multisig_address.witness_script(request.threshold, [k for k, _ in ordered])
        xfp_paths = [
            (
                msgs.xfp_from_fingerprint(cosigner.fingerprint),
                *cosigner.account_path,
                *request.suffix,
            )
            for _key, cosigner in ordered
        ]
        request_bytes = msgs.encode_show_p2sh_address(
            request.threshold, xfp_paths, script, msgs.AF_P2WSH
        )
        with self._exclusive():
            self._token.reset()
            session = self._require_session()
            mine = bytes.fromhex(session.master_fingerprint)
            if all(c.fingerprint != mine for _k, c in ordered):
                raise WrongDevice(
                    f"{self._label()} ({session.master_fingerprint}) holds none of the "
                    "multisig's keys"
                )
            return self._shown(request_bytes, shown)

    def _shown(self, request: bytes, shown: str) -> str:
        self._interaction.on_prompt(
            DevicePrompt(
                PromptKind.CONFIRM_ON_DEVICE,
                self._label(),
                shown or "Compare the address the device shows",
            )
        )
        try:
            text = self._expect(self._call(request), msgs.Ascii).text
        finally:
            self._interaction.on_done()
        if not text or not text.isascii() or not text.isprintable():
            raise ProtocolError(f"the device answered {text!r} as an address")
        return text

    def sign_psbt(self, psbt: str) -> str:
        """Upload the PSBT, have the device show the spend and sign, download the result.

        The protocol's ``upld``/``sha2``/``stxn``/``stok``/``dwld``; the upload and the
        download are checked by SHA-256, and the device must sign nothing but the
        uploaded transaction (its unsigned transaction is compared byte for byte).
        """
        self.require(Capability.SIGN_PSBT)
        import base64
        import hashlib

        from signing.bitcoin.spend import parse_psbt

        original = parse_psbt(psbt)
        data = bytes(original.serialize())
        sha = hashlib.sha256(data).digest()
        with self._exclusive():
            self._token.reset()
            self._require_session()
            for offset in range(0, len(data), msgs.UPLOAD_BLOCK):
                block = data[offset : offset + msgs.UPLOAD_BLOCK]
                stored = self._expect(
                    self._call(msgs.encode_upload(offset, len(data), block)), msgs.Int1
                )
                if stored.value != offset:
                    raise ProtocolError(f"device stored block {offset} at {stored.value}")
            if self._expect(self._call(msgs.encode_sha256()), msgs.Binary).data != sha:
                raise ProtocolError("the uploaded PSBT does not hash as sent")
            result = self._sign_file(len(data), sha)
            signed = bytearray()
            while len(signed) < result.length:
                chunk = self._expect(
                    self._call(
                        msgs.encode_download(
                            len(signed), min(msgs.UPLOAD_BLOCK, result.length - len(signed))
                        )
                    ),
                    msgs.Binary,
                ).data
                if not chunk:
                    raise ProtocolError("the device sent an empty download block")
                signed += chunk
        if hashlib.sha256(signed).digest() != result.sha256:
            raise ProtocolError("the signed PSBT does not hash as announced")
        back = parse_psbt(bytes(signed))
        if back.tx.serialize() != original.tx.serialize():
            raise InvalidSignature("the device signed another transaction than the one sent")
        return base64.b64encode(bytes(signed)).decode("ascii")

    def _sign_file(self, length: int, sha: bytes) -> msgs.SignedFile:
        deadline = time.monotonic() + self.approval_timeout_s
        self._expect(self._call(msgs.encode_sign_txn(length, sha)), msgs.Okay)
        self._interaction.on_prompt(
            DevicePrompt(
                PromptKind.CONFIRM_ON_DEVICE,
                self._label(),
                "Check every output, the amount and the fee on the device, then approve",
            )
        )
        try:
            delay = 0.0
            while True:
                delay = self._wait(delay, deadline)
                answer = self._call(msgs.encode_sign_txn_poll())
                if isinstance(answer, msgs.Okay):
                    continue
                return self._expect(answer, msgs.SignedFile)
        finally:
            self._interaction.on_done()

    # ------------------------------------------------------- extra commands

    def ping(self, data: bytes = b"") -> bytes:
        """Round trip ``data`` through the device (over the encrypted link once open)."""
        with self._exclusive():
            response = self._call(msgs.encode_ping(data))
        if not isinstance(response, msgs.Binary) or response.data != data:
            raise ProtocolError("ping answer does not echo the request")
        return response.data

    def version_lines(self) -> list[str]:
        """The ``vers`` answer: date, version, bootloader, build, hardware label."""
        with self._exclusive():
            return list(self._require_session().version_lines)

    # -------------------------------------------------------------- helpers

    def _exclusive(self) -> _Exclusive:
        return _Exclusive(self._busy, self.info.label)

    def _require_session(self) -> _Session:
        if self._session is None:
            self._connect()
        assert self._session is not None
        return self._session

    def _drop_session(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.pipe.close()

    def _connect(self) -> DeviceIdentity:
        self._drop_session()
        try:
            pipe = self._pipe_factory()
        except (DeviceNotFound, OSError) as exc:
            # Once this signer has met its device, its absence is a disconnect.
            if self._identity is not None:
                raise Disconnected(f"{self.info.uri} is gone") from exc
            if isinstance(exc, DeviceNotFound):
                raise
            raise DeviceNotFound(f"{self.info.uri}: {exc}") from exc
        session = _Session(pipe)
        self._session = session
        try:
            self._resync(session)
            self._handshake(session)
            answer = self._expect(self._call(msgs.encode_version()), msgs.Ascii)
            session.version_lines = answer.text.split("\n")
        except BaseException:
            self._drop_session()
            raise
        identity = self._make_identity(session)
        if self._identity is not None and (
            identity.master_fingerprint != self._identity.master_fingerprint
        ):
            self._drop_session()
            raise WrongDevice(
                f"expected {self._identity.master_fingerprint}, found "
                f"{identity.master_fingerprint} after reconnecting"
            )
        if self._identity is None:
            self._pubkeys.clear()
        self._identity = identity
        return identity

    def _make_identity(self, session: _Session) -> DeviceIdentity:
        version = parse_version("\n".join(session.version_lines))
        return DeviceIdentity(
            kind=DeviceKind.COLDCARD,
            label=version.label,
            model=f"Coldcard {version.hardware}",
            firmware_version=version.firmware,
            master_fingerprint=session.master_fingerprint,
            is_emulator=self.info.is_emulator or version.says_emulator,
        )

    def _label(self) -> str:
        """The device's own name once known (what the officer sees on prompts)."""
        return self._identity.label if self._identity is not None else self.info.label

    def _resync(self, session: _Session) -> None:
        self._flush(session.pipe)
        session.pipe.write_report(RESET_REPORT)
        self._flush(session.pipe)

    def _handshake(self, session: _Session) -> None:
        mine = EphemeralKey()
        answer = self._expect(
            self._call(msgs.encode_ncry(mine.public_bytes, msgs.NCRY_V1)), msgs.DevicePubkey
        )
        session.cipher = LinkCipher(mine.session_key(answer.pubkey))
        session.master_xpub = answer.xpub
        session.master_fingerprint = answer.fingerprint_hex
        if not answer.xpub or answer.xfp == 0:
            raise PinRequired("the device has no seed loaded yet")
        expected = self._expected_fingerprint
        if expected and expected != session.master_fingerprint:
            raise WrongDevice(f"expected {expected}, found {session.master_fingerprint}")

    def _flush(self, pipe: ReportPipe) -> None:
        for _ in range(_FLUSH_LIMIT):
            if pipe.read_report(1) is None:
                return
        raise ProtocolError("the device keeps sending unrequested reports")

    def _call(self, request: bytes) -> msgs.Response:
        """Send one request and return the decoded answer; drops the session on failure."""
        session = self._require_session()
        try:
            return self._transact(session, request)
        except SigningError:
            self._drop_session()
            raise

    def _transact(self, session: _Session, request: bytes) -> msgs.Response:
        if self._on_traffic is not None:
            self._on_traffic("tx", request)
        cipher = session.cipher
        wire = cipher.seal(request) if cipher is not None else request
        for outgoing in frame_message(wire, encrypted=cipher is not None):
            session.pipe.write_report(outgoing)
        decoder = Reassembler(Side.HOST)
        message = None
        while message is None:
            report = session.pipe.read_report(self.io_timeout_ms)
            if report is None:
                raise DeviceTimeout(f"no answer within {self.io_timeout_ms} ms")
            message = decoder.feed(report)
        payload = message.payload
        if message.encrypted:
            if cipher is None:
                raise ProtocolError("encrypted answer before the link was set up")
            payload = cipher.open(payload)
        if self._on_traffic is not None:
            self._on_traffic("rx", payload)
        return msgs.decode_response(payload)

    def _expect(self, response: msgs.Response, kind: type[_T]) -> _T:
        if isinstance(response, kind):
            return response
        self._fail(response)

    def _fail(self, response: msgs.Response) -> NoReturn:
        if isinstance(response, msgs.RemoteError):
            raise map_remote_error(response.text)
        if isinstance(response, msgs.Refused):
            raise UserRejected()
        if isinstance(response, msgs.Busy):
            raise DeviceBusy("the device is showing another request")
        if isinstance(response, msgs.FramingComplaint):
            self._drop_session()
            raise ProtocolError(f"device reports a framing error: {response.reason}")
        self._drop_session()
        raise ProtocolError(f"unexpected answer {type(response).__name__}")

    def _remember_pubkey(self, path: str, xpub: str) -> bytes:
        try:
            pubkey = parse_extended_key(xpub).public_key
        except InvalidInput as exc:
            raise ProtocolError(f"device returned an invalid xpub: {exc.detail}") from exc
        if len(self._pubkeys) >= 1024:
            self._pubkeys.clear()
        self._pubkeys[path] = pubkey
        return pubkey

    def _xpub(self, path: str) -> str:
        self._require_session()
        return self._expect(self._call(msgs.encode_xpub(path)), msgs.Ascii).text

    def _sign(self, path: str, text: str, script_type: ScriptType) -> tuple[str, bytes]:
        self._require_session()
        deadline = time.monotonic() + self.approval_timeout_s
        addr_fmt = _FORMAT_FOR_SCRIPT[script_type]
        request = msgs.encode_sign_message(text.encode("ascii"), path, addr_fmt)
        prompt = DevicePrompt(PromptKind.CONFIRM_ON_DEVICE, self._label(), text)
        prompted = False
        try:
            answer = self._call(request)
            delay = _POLL_START_S
            while isinstance(answer, msgs.Busy):
                # An earlier prompt is still on the device: wait for the human to clear it.
                if not prompted:
                    self._interaction.on_prompt(
                        DevicePrompt(
                            PromptKind.CONFIRM_ON_DEVICE,
                            self._label(),
                            "Finish or dismiss the previous request on the device",
                        )
                    )
                    prompted = True
                delay = self._wait(delay, deadline)
                answer = self._call(request)
            self._expect(answer, msgs.Okay)
            self._interaction.on_prompt(prompt)
            prompted = True
            delay = 0.0
            while True:
                delay = self._wait(delay, deadline)
                answer = self._call(msgs.encode_sign_message_poll())
                if isinstance(answer, msgs.Okay):
                    continue
                signed = self._expect(answer, msgs.SignedMessage)
                return signed.address, signed.signature
        finally:
            if prompted:
                self._interaction.on_done()

    def _wait(self, delay: float, deadline: float) -> float:
        """Sleep ``delay`` in slices, honouring cancel and the deadline; return the next delay."""
        end = time.monotonic() + delay
        while True:
            if self._token.cancelled:
                raise _cancelled()
            now = time.monotonic()
            if now >= deadline:
                raise DeviceTimeout(f"no decision on the device within {self.approval_timeout_s} s")
            if now >= end:
                break
            time.sleep(min(0.02, end - now, deadline - now))
        return min(max(delay * 2, _POLL_START_S), _POLL_MAX_S)

    @staticmethod
    def _checked_signature(
        path: str,
        text: str,
        *,
        script_type: ScriptType,
        pubkey: bytes,
        address: str,
        signature: bytes,
    ) -> MessageSignature:
        """Never hand on a signature that would not verify for the path's key and address."""
        from signing.crypto.message import decode_compact
        from signing.verify import verify_message_pubkey

        if len(signature) != 65 or not verify_message_pubkey(pubkey, text, signature):
            raise InvalidSignature("the device's signature does not verify for the path's key")
        if decode_compact(signature).script_type is not script_type:
            raise InvalidSignature("signature header does not match the address type")
        try:
            decoded = decode_address(address)
        except InvalidInput as exc:
            raise ProtocolError(f"device reported a malformed address {address!r}") from exc
        # The device's chain setting picks the network; key and script type must match.
        if decoded.script_type is not script_type or not address_matches(pubkey, decoded):
            raise InvalidSignature("the device's address is not the path's key")
        return MessageSignature(
            path=path, text=text, address=address, signature=signature, pubkey=pubkey
        )


def _cancelled() -> SigningError:
    from signing.errors import CancelledByHost

    return CancelledByHost("the wait for the device was cancelled")


class _Exclusive:
    """One call at a time per device; a second concurrent caller gets DeviceBusy.

    Also the last line of the error contract: anything that is not a
    ``SigningError`` leaving a device call becomes a ``ProtocolError``.
    """

    def __init__(self, lock: threading.Lock, label: str) -> None:
        self._lock = lock
        self._label = label

    def __enter__(self) -> None:
        if not self._lock.acquire(blocking=False):
            raise DeviceBusy(f"{self._label} is handling another request")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release()
        if isinstance(exc, Exception) and not isinstance(exc, SigningError):
            log.exception("unexpected failure talking to %s", self._label)
            raise ProtocolError(f"{self._label}: {type(exc).__name__}: {exc}") from exc


def _enumerate_for_registry() -> list[DeviceInfo]:
    from signing.devices.coldcard_discovery import enumerate_devices

    return enumerate_devices()


def _open_for_registry(uri: str) -> Signer:
    from signing.devices.coldcard_discovery import signer_for_uri

    return signer_for_uri(uri)


def _register() -> None:
    from signing.registry import register_family

    register_family(FAMILY.name, _enumerate_for_registry, _open_for_registry)


_register()
