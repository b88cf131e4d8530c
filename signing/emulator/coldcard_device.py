"""The emulated Coldcard's USB command handler, independent of any socket.

``ColdcardDevice.handle_report`` takes one 64-byte report from the host and
returns the reports to send back (none until a message is complete). It keeps
the state a real device keeps across reports: the partial message, the
encrypted link, and the one request waiting for the human. Behaviour follows
the Coldcard firmware's USB handler: ``okay`` from ``smok`` means "still
waiting", ``busy`` means another approval is on screen, errors are ``err_``
text and framing faults ``fram``.

Keys, signing, approval, PIN and unplug come from a ``ColdcardBackend``
(the SoftHsm, through ``signing.emulator.coldcard_backend``).

The device names itself in its ``vers`` answer (an addition after the five
firmware lines: ``label=EMULATOR <name>``), and ``transcript`` records the
plaintext command and answer kinds it handles (``("in", "smsg")``,
``("out", "okay")``...), where the encrypted link is already opened.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from signing.crypto.addresses import ScriptType
from signing.crypto.bip32 import canonical_path, format_path
from signing.crypto.encoding import segwit_encode
from signing.devices.coldcard_link import EphemeralKey, LinkCipher
from signing.devicetext import check_device_text, mentions_production
from signing.emulator import coldcard_psbt
from signing.errors import InvalidInput, InvalidText, SigningError
from signing.framing import coldcard_messages as msgs
from signing.framing.coldcard import FramingError, Reassembler, Side, frame_message

log = logging.getLogger(__name__)

EMULATOR_HW_LABEL = "emulator"
LABEL_PREFIX = "EMULATOR"  # every label the emulator reports starts with it
TRANSCRIPT_LENGTH = 512
# vers lines as the firmware lays them out: date, version, bootloader, build stamp, hardware.
EMULATOR_VERSION_LINES = (
    "2026-11-26",
    "1.0.0-emulator",
    "none",
    "custody-desk SoftHsm emulator - TEST ONLY",
    EMULATOR_HW_LABEL,
)

SCRIPT_FOR_FORMAT = {
    msgs.AddressFormat.P2PKH: ScriptType.P2PKH,
    msgs.AddressFormat.P2WPKH: ScriptType.P2WPKH,
    msgs.AddressFormat.P2SH_P2WPKH: ScriptType.P2SH_P2WPKH,
}

MSG_SIG_TEMPLATE = (
    "Ok to sign this?\n      --=--\n{msg}\n      --=--\n\n"
    "Using the key associated with address:\n\n{path} =>\n{address}\n\n"
    "Press OK to continue, otherwise X to cancel."
)


# The firmware's address display: the address, then the advice to compare it.
_COMPARE = (
    "\n\nCompare this payment address to the one shown on your other, less-trusted, software."
)
SHOW_ADDRESS_TEMPLATE = "{path} =>\n{address}" + _COMPARE
SHOW_MULTISIG_TEMPLATE = "Multisig {m} of {n} ({path}) =>\n{address}" + _COMPARE


def _multisig_keys(script: bytes) -> list[bytes] | None:
    """The 33-byte keys of ``OP_m <key>... OP_n OP_CHECKMULTISIG``, or None."""
    if len(script) < 3 or script[-1] != 0xAE:
        return None
    keys: list[bytes] = []
    at = 1
    while at < len(script) - 2:
        if script[at] != 33 or at + 34 > len(script) - 2:
            return None
        keys.append(bytes(script[at + 1 : at + 34]))
        at += 34
    if at != len(script) - 2 or script[-2] != 0x50 + len(keys):
        return None
    return keys


class ColdcardBackend(Protocol):
    """What the emulated device needs from the key store and the operator."""

    @property
    def master_fingerprint(self) -> bytes: ...  # 4 bytes

    @property
    def master_xpub(self) -> str: ...

    @property
    def decides_at_once(self) -> bool: ...  # approval never waits (auto, reject)

    @property
    def locked(self) -> bool: ...  # PIN not yet entered

    @property
    def unplugged(self) -> bool: ...

    def xpub(self, path: str) -> str: ...

    def address(self, path: str, script_type: ScriptType) -> str: ...

    def sign_message(self, path: str, text: str, script_type: ScriptType) -> bytes: ...

    def request_approval(self, text: str, cancel_event: threading.Event) -> bool: ...

    def pubkey(self, path: tuple[int, ...]) -> bytes: ...  # compressed, for PSBT review

    def sign_digest(self, path: tuple[int, ...], digest: bytes) -> bytes: ...  # DER

    def display(self, text: str) -> None: ...  # the screen shows it; nobody is asked


@dataclass
class _PsbtJob:
    """One ``stxn``: the reviewed PSBT waiting for (or done with) the human."""

    review: coldcard_psbt.Review
    cancel_event: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    refused: bool = False
    failed: str = ""
    result: bytes = b""


@dataclass
class _Approval:
    """One ``smsg`` waiting for (or done with) the human."""

    text: str
    path: str
    script_type: ScriptType
    address: str
    cancel_event: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    refused: bool = False
    failed: str = ""
    signature: bytes = b""


@dataclass
class _Link:
    """One client's connection: its partial message and its link keys."""

    reassembler: Reassembler = field(default_factory=lambda: Reassembler(Side.DEVICE))
    cipher: LinkCipher | None = None
    bound: bool = False  # ncry v2: encryption required, no re-keying
    last_encrypted: bool = False


class ColdcardDevice:
    """Protocol state of one emulated Coldcard. Thread-safe: one lock guards it all.

    A real Coldcard has one host. The emulator may have several clients (a
    desk and a reference client, say), so each client address gets its own
    link keys and partial message, while the screen (the one request waiting
    for the human) stays shared, as on the device.
    """

    MAX_CLIENTS = 16

    def __init__(self, backend: ColdcardBackend, *, label: str = LABEL_PREFIX) -> None:
        self._backend = backend
        label = " ".join(label.split())  # one line: it travels as a line of ``vers``
        self.label = label if label.startswith(LABEL_PREFIX) else f"{LABEL_PREFIX} {label}"
        # (direction, 4-letter kind) of every command read and answer given, oldest first.
        self.transcript: deque[tuple[str, str]] = deque(maxlen=TRANSCRIPT_LENGTH)
        self._lock = threading.Lock()
        self._links: dict[str, _Link] = {}
        self._approval: _Approval | None = None
        self._unstarted: _Approval | None = None  # prompt to show once "okay" is on its way
        self._addresses: dict[tuple[str, ScriptType], str] = {}
        self._upload = bytearray()  # the one upload area (a PSBT to sign)
        self._psbt: _PsbtJob | None = None
        self._psbt_unstarted: _PsbtJob | None = None
        self._signed_file = b""  # file 1: the last signed PSBT

    # ------------------------------------------------------------ lifecycle

    def power_cycle(self) -> None:
        """What unplugging does: link keys, partial messages and prompts are gone."""
        with self._lock:
            if self._approval is not None:
                self._approval.cancel_event.set()
            self._approval = self._unstarted = None
            if self._psbt is not None:
                self._psbt.cancel_event.set()
            self._psbt = self._psbt_unstarted = None
            self._upload.clear()
            self._signed_file = b""
            self._links.clear()

    @property
    def approval_pending(self) -> bool:
        with self._lock:
            return self._approval is not None and not self._approval.done.is_set()

    # ------------------------------------------------------------- reports

    def _link(self, client: str) -> _Link:
        link = self._links.pop(client, None) or _Link()
        self._links[client] = link  # most recent last
        while len(self._links) > self.MAX_CLIENTS:
            del self._links[next(iter(self._links))]
        return link

    def handle_report(self, report: bytes, client: str = "", *, defer: bool = False) -> list[bytes]:
        """Consume one report from ``client``; return the reports of the reply (maybe none).

        A new prompt starts at once, or, with ``defer``, when the caller has sent
        the reply and calls ``start_deferred()`` (the device answers ``okay``
        before the slow part, as the firmware does).
        """
        replies = self._handle_report(report, client)
        if not defer:
            self.start_deferred()
        return replies

    def start_deferred(self) -> None:
        """Start the approval prompt that the last ``smsg`` queued, if any.

        A policy that decides at once runs right here (on the caller's thread,
        after the ``okay`` went out); one that waits for a person gets a thread.
        """
        with self._lock:
            approval, self._unstarted = self._unstarted, None
            job, self._psbt_unstarted = self._psbt_unstarted, None
        if job is not None:
            if self._backend.decides_at_once:
                self._run_psbt(job)
            else:
                threading.Thread(
                    target=self._run_psbt, args=(job,), name="coldcard-psbt", daemon=True
                ).start()
        if approval is None:
            return
        if self._backend.decides_at_once:
            self._run_approval(approval)
            return
        threading.Thread(
            target=self._run_approval, args=(approval,), name="coldcard-approval", daemon=True
        ).start()

    def _handle_report(self, report: bytes, client: str) -> list[bytes]:
        with self._lock:
            link = self._link(client)
            try:
                message = link.reassembler.feed(report)
            except FramingError as exc:
                return self._reply(link, msgs.respond_framing(exc.reason))
            if message is None:
                return []
            payload = message.payload
            if message.encrypted:
                if link.cipher is None:
                    self._record("in", b"?")  # unreadable without the link key
                    return self._reply(link, msgs.respond_framing("no key"))
                payload = link.cipher.open(payload)
            self._record("in", payload)
            if link.bound and not message.encrypted:
                return self._reply(link, msgs.respond_framing("must encrypt"))
            link.last_encrypted = message.encrypted
            try:
                response = self._dispatch(link, payload, message.encrypted)
            except FramingError as exc:
                response = msgs.respond_framing(exc.reason)
            except InvalidText as exc:
                response = msgs.respond_error(exc.detail or "bad text")
            except SigningError as exc:
                response = msgs.respond_error(exc.detail or exc.code.value)
            return self._reply(link, response)

    def _record(self, direction: str, message: bytes) -> None:
        self.transcript.append((direction, message[:4].decode("ascii", "replace")))

    def _reply(self, link: _Link, response: bytes) -> list[bytes]:
        self._record("out", response)
        # Like the firmware: encrypt when the link is up and the last request was encrypted.
        cipher = link.cipher if link.last_encrypted else None
        body = cipher.seal(response) if cipher is not None else response
        return frame_message(body, encrypted=cipher is not None)

    # ------------------------------------------------------------ commands

    def _dispatch(self, link: _Link, payload: bytes, encrypted: bool) -> bytes:
        request = msgs.parse_request(payload)
        command, args = request.command, request.args
        if command == "ping":
            return msgs.respond_binary(args)
        if command == "vers":
            # The firmware's five lines, then this device's name as an addition.
            lines = (*EMULATOR_VERSION_LINES, f"label={self.label}")
            return msgs.respond_ascii("\n".join(lines))
        if command == "ncry":
            return self._ncry(link, args)
        if self._backend.locked:
            # A real Coldcard keeps USB off until its PIN is entered; the emulator says why.
            return msgs.respond_error("Locked: enter the PIN on the device")
        if command == "xpub":
            if not encrypted:
                return msgs.respond_error("must encrypt")
            return msgs.respond_ascii(self._backend.xpub(self._path(args)))
        if command == "smsg":
            return self._start_sign(args)
        if command == "smok":
            return self._poll_sign()
        if command == "show":
            return self._show(args)
        if command == "p2sh":
            return self._show_p2sh(args)
        if command in self._psbt_commands:
            return self._psbt_commands[command](self, args)
        return msgs.respond_error("Unknown cmd")

    # ------------------------------------------------------------ address display

    def _show(self, args: bytes) -> bytes:
        """``show``: put the address on the screen and answer it; the human answers nothing."""
        addr_fmt, raw_path = msgs.parse_show_address_args(args)
        try:
            script_type = SCRIPT_FOR_FORMAT[msgs.AddressFormat(addr_fmt)]
        except ValueError:
            return msgs.respond_error("Unsupported address format")
        path = self._path(raw_path)
        address = self._backend.address(path, script_type)
        self._backend.display(SHOW_ADDRESS_TEMPLATE.format(path=path, address=address))
        return msgs.respond_ascii(address)

    def _show_p2sh(self, args: bytes) -> bytes:
        """``p2sh``: a P2WSH multisig address, checked against this device's own key.

        The firmware also needs the multisig wallet enrolled and checks every key
        against it; the emulator checks what it can alone: the script is an m-of-n
        CHECKMULTISIG of as many keys as paths, and its own key sits at its own path.
        """
        parsed = msgs.parse_show_p2sh_args(args)
        if parsed.addr_fmt != msgs.AF_P2WSH:
            return msgs.respond_error("Unsupported address format")
        keys = _multisig_keys(parsed.witness_script)
        if keys is None or len(keys) != len(parsed.xfp_paths) or not (
            1 <= parsed.threshold <= len(keys)
        ) or parsed.witness_script[0] != 0x50 + parsed.threshold:
            return msgs.respond_error("Bad multisig script")
        mine = msgs.xfp_from_fingerprint(self._backend.master_fingerprint)
        own = [
            (key, xfp_path[1:])
            for key, xfp_path in zip(keys, parsed.xfp_paths, strict=True)
            if xfp_path[0] == mine
        ]
        if not own or any(self._backend.pubkey(tuple(path)) != key for key, path in own):
            return msgs.respond_error("Multisig wallet with those fingerprints not found")
        path = own[0][1]
        testnet = len(path) > 1 and path[1] == 1 + 0x80000000
        address = segwit_encode(
            "tb" if testnet else "bc", 0, hashlib.sha256(parsed.witness_script).digest()
        )
        self._backend.display(
            SHOW_MULTISIG_TEMPLATE.format(
                m=parsed.threshold, n=len(keys), path=format_path(path), address=address
            )
        )
        return msgs.respond_ascii(address)

    # ------------------------------------------------------------ PSBT signing

    def _upld(self, args: bytes) -> bytes:
        upload = msgs.parse_upload_args(args)
        if upload.total > msgs.MAX_UPLOAD:
            return msgs.respond_error("File too big")
        if upload.offset == 0:
            self._upload.clear()
        if upload.offset != len(self._upload) or upload.offset + len(upload.data) > upload.total:
            return msgs.respond_error("Bad offset")
        self._upload += upload.data
        return msgs.respond_int1(upload.offset)

    def _sha2(self, _args: bytes) -> bytes:
        return msgs.respond_binary(hashlib.sha256(self._upload).digest())

    def _stxn(self, args: bytes) -> bytes:
        length, _flags, sha = msgs.parse_sign_txn_args(args)
        if self._psbt is not None and not self._psbt.done.is_set():
            return msgs.respond_busy()
        data = bytes(self._upload)
        if length != len(data) or hashlib.sha256(data).digest() != sha:
            return msgs.respond_error("Wrong checksum")
        try:
            reviewed = coldcard_psbt.review(
                data, self._backend.master_fingerprint, self._backend.pubkey
            )
        except SigningError as exc:
            return msgs.respond_error(exc.detail or exc.code.value)
        self._psbt = self._psbt_unstarted = _PsbtJob(reviewed)
        return msgs.respond_okay()

    def _run_psbt(self, job: _PsbtJob) -> None:
        try:
            approved = self._backend.request_approval(job.review.story, job.cancel_event)
            if self._backend.unplugged or job.cancel_event.is_set():
                job.failed = "Cancelled"
            elif not approved:
                job.refused = True
            else:
                job.result = coldcard_psbt.sign(job.review, self._backend.sign_digest)
        except SigningError as exc:
            job.failed = exc.detail or exc.code.value
        except Exception as exc:  # the worker must always finish the request
            log.exception("emulated PSBT signing failed")
            job.failed = f"Confused {type(exc).__name__}"
        finally:
            job.done.set()

    def _stok(self, _args: bytes) -> bytes:
        job = self._psbt
        if job is None:
            return msgs.respond_error("No active request")
        if not job.done.is_set():
            return msgs.respond_okay()
        self._psbt = None
        if job.refused:
            return msgs.respond_refused()
        if job.failed:
            return msgs.respond_error(job.failed)
        self._signed_file = job.result
        return msgs.respond_signed_file(len(job.result), hashlib.sha256(job.result).digest())

    def _dwld(self, args: bytes) -> bytes:
        offset, length, file_number = msgs.parse_download_args(args)
        source = self._signed_file if file_number == 1 else bytes(self._upload)
        if offset > len(source) or length > msgs.MAX_DOWNLOAD_BLOCK:
            return msgs.respond_error("Bad offset")
        return msgs.respond_binary(source[offset : offset + length])

    _psbt_commands: ClassVar[dict[str, Callable[[ColdcardDevice, bytes], bytes]]] = {
        "upld": _upld,
        "sha2": _sha2,
        "stxn": _stxn,
        "stok": _stok,
        "dwld": _dwld,
    }

    @staticmethod
    def _path(raw: bytes) -> str:
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError as exc:
            raise InvalidInput("path must be ASCII") from exc
        return canonical_path(text or "m")

    def _ncry(self, link: _Link, args: bytes) -> bytes:
        version, host_pubkey = msgs.parse_ncry_args(args)
        if version not in (msgs.NCRY_V1, msgs.NCRY_V2):
            raise FramingError("bad ncry version")
        if link.bound:
            raise FramingError("crypto already set up")
        mine = EphemeralKey()
        session_key = mine.session_key(host_pubkey)
        link.cipher = LinkCipher(session_key)
        link.bound = version == msgs.NCRY_V2
        xfp = msgs.xfp_from_fingerprint(self._backend.master_fingerprint)
        return msgs.respond_device_pubkey(mine.public_bytes, xfp, self._backend.master_xpub)

    def _start_sign(self, args: bytes) -> bytes:
        parsed = msgs.parse_sign_message_args(args)
        if self._approval is not None:
            if not self._approval.done.is_set():
                return msgs.respond_busy()
            # The previous result was never collected: the firmware drops it too.
            self._approval = None
        try:
            text = check_device_text(parsed.text.decode("ascii"))
        except UnicodeDecodeError as exc:
            raise InvalidText("must be ascii") from exc
        if mentions_production(text):
            return msgs.respond_error("Emulator refuses to sign production statements (env=prod)")
        try:
            script_type = SCRIPT_FOR_FORMAT[msgs.AddressFormat(parsed.addr_fmt)]
        except ValueError as exc:
            raise InvalidInput("Unsupported address format") from exc
        path = self._path(parsed.path)
        address = self._addresses.get((path, script_type))
        if address is None:
            if len(self._addresses) >= 4096:
                self._addresses.clear()
            address = self._addresses[path, script_type] = self._backend.address(path, script_type)
        approval = _Approval(text=text, path=path, script_type=script_type, address=address)
        self._approval = self._unstarted = approval
        return msgs.respond_okay()

    def _run_approval(self, approval: _Approval) -> None:
        story = MSG_SIG_TEMPLATE.format(
            msg=approval.text, path=approval.path, address=approval.address
        )
        try:
            approved = self._backend.request_approval(story, approval.cancel_event)
            if self._backend.unplugged:
                # The cable went mid-prompt: the server sends nothing more, power_cycle() drops it.
                approval.failed = "Unplugged"
            elif approval.cancel_event.is_set():
                approval.failed = "Cancelled"
            elif not approved:
                approval.refused = True
            else:
                approval.signature = self._backend.sign_message(
                    approval.path, approval.text, approval.script_type
                )
        except SigningError as exc:
            approval.failed = exc.detail or exc.code.value
        except Exception as exc:  # the worker must always finish the request
            log.exception("emulated approval failed")
            approval.failed = f"Confused {type(exc).__name__}"
        finally:
            approval.done.set()

    def _poll_sign(self) -> bytes:
        approval = self._approval
        if approval is None:
            return msgs.respond_error("No active request")
        if not approval.done.is_set():
            return msgs.respond_okay()
        self._approval = None
        if approval.refused:
            return msgs.respond_refused()
        if approval.failed:
            return msgs.respond_error(approval.failed)
        return msgs.respond_signed_message(approval.address, approval.signature)
