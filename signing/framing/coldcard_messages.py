"""Coldcard USB command and response encodings. Pure, bytes in and out.

Every message starts with a 4-byte ASCII code. Requests name the command;
responses name the *shape* of the answer (``okay``, ``biny``, ``asci``,
``mypb``, ``smrx``, ``refu``, ``busy``, ``err_``, ``fram``...). Integers are
little-endian. Written from the protocol description (ckcc-protocol's
PROTOCOL.md and the firmware's USB handler), not copied from either.

Both ends use this module: ``encode_*`` / ``decode_response`` on the host,
``parse_request`` / ``respond_*`` in the emulator.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

from signing.errors import InvalidInput, ProtocolError
from signing.framing.coldcard import MAX_MSG_LEN

NCRY_V1 = 0x01  # shared AES-CTR key for the session; may be re-keyed
NCRY_V2 = 0x02  # as V1, but every later command must be encrypted and re-keying is refused

PUBKEY_LEN = 64  # uncompressed secp256k1 point without its 0x04 prefix
SIGNATURE_LEN = 65
MAX_PATH_LEN = 200  # 12 steps of "2147483647'/" fit easily


class AddressFormat(IntEnum):
    """The ``addr_fmt`` values of ``smsg`` (single-key formats only)."""

    P2PKH = 0x01  # AFC_PUBKEY
    P2WPKH = 0x01 | 0x02 | 0x04  # AFC_PUBKEY | AFC_SEGWIT | AFC_BECH32
    P2SH_P2WPKH = 0x10 | 0x01 | 0x02  # AFC_WRAPPED | AFC_PUBKEY | AFC_SEGWIT


# ---------------------------------------------------------------- requests


def encode_ping(data: bytes) -> bytes:
    return b"ping" + bytes(data)


def encode_version() -> bytes:
    return b"vers"


def encode_ncry(host_pubkey: bytes, version: int = NCRY_V1) -> bytes:
    if len(host_pubkey) != PUBKEY_LEN:
        raise InvalidInput("ncry wants a 64-byte uncompressed public key without prefix")
    return struct.pack("<4sI64s", b"ncry", version, host_pubkey)


def encode_xpub(path: str) -> bytes:
    return b"xpub" + path.encode("ascii")


def encode_sign_message(text: bytes, path: str, addr_fmt: AddressFormat) -> bytes:
    subpath = path.encode("ascii")
    return struct.pack("<4sIII", b"smsg", int(addr_fmt), len(subpath), len(text)) + subpath + text


def encode_sign_message_poll() -> bytes:
    return b"smok"


AF_P2WSH = 0x08 | 0x02 | 0x04  # AFC_SCRIPT | AFC_SEGWIT | AFC_BECH32: segwit multisig
MAX_SCRIPT_LEN = 520  # ckcc: 30 <= len(witness script) <= 520
MAX_P2SH_KEYS = 15


def encode_show_address(path: str, addr_fmt: AddressFormat) -> bytes:
    """``show``: the device displays the address at ``path`` and answers it (``asci``)."""
    return struct.pack("<4sI", b"show", int(addr_fmt)) + path.encode("ascii")


def encode_show_p2sh_address(
    threshold: int, xfp_paths: list[tuple[int, ...]], witness_script: bytes, addr_fmt: int
) -> bytes:
    """``p2sh``: a multisig address from its script and each key's ``(xfp, *path)``, in
    script order (``xfp`` the master fingerprint as a little-endian u32)."""
    if not 30 <= len(witness_script) <= MAX_SCRIPT_LEN:
        raise InvalidInput("a multisig witness script is 30 to 520 bytes")
    if not 1 <= len(xfp_paths) <= MAX_P2SH_KEYS:
        raise InvalidInput("a multisig has 1 to 15 keys")
    out = struct.pack(
        "<4sIBBH", b"p2sh", addr_fmt, threshold, len(xfp_paths), len(witness_script)
    )
    out += witness_script
    for xfp_path in xfp_paths:
        out += struct.pack(f"<B{len(xfp_path)}I", len(xfp_path), *xfp_path)
    return out


def encode_mitm() -> bytes:
    return b"mitm"


# PSBT signing: upload the file in blocks, start signing, poll, download the result.
UPLOAD_BLOCK = 1024  # ckcc's default block (the protocol allows up to MAX_BLOCK_LEN)
MAX_DOWNLOAD_BLOCK = 2048  # bytes per dwld answer (fits one message)
MAX_UPLOAD = 1024 * 1024  # the emulator's upload area (a Coldcard Mk4 has about 2 MB)
STXN_FINALIZE = 0x01
STXN_VISUALIZE = 0x02
STXN_SIGNED = 0x04


def encode_upload(offset: int, total: int, data: bytes) -> bytes:
    return struct.pack("<4sII", b"upld", offset, total) + data


def encode_sha256() -> bytes:
    return b"sha2"


def encode_sign_txn(length: int, sha: bytes, flags: int = 0) -> bytes:
    if len(sha) != 32:
        raise InvalidInput("a PSBT digest is 32 bytes")
    return struct.pack("<4sII32s", b"stxn", length, flags, sha)


def encode_sign_txn_poll() -> bytes:
    return b"stok"


def encode_download(offset: int, length: int, file_number: int = 1) -> bytes:
    return struct.pack("<4sIII", b"dwld", offset, length, file_number)


# --------------------------------------------------------------- responses


@dataclass(frozen=True)
class Okay:
    """``okay``: done, nothing to return (for ``smok``: still waiting for the human)."""


@dataclass(frozen=True)
class Binary:
    data: bytes


@dataclass(frozen=True)
class Ascii:
    text: str


@dataclass(frozen=True)
class DevicePubkey:
    """``mypb``: the answer to ``ncry``."""

    pubkey: bytes  # 64 bytes, the device's one-time ECDH key
    xfp: int  # master fingerprint as a little-endian u32 (0 when no seed)
    xpub: str  # master xpub ('' when no seed)

    @property
    def fingerprint_hex(self) -> str:
        return struct.pack("<I", self.xfp).hex()


@dataclass(frozen=True)
class SignedMessage:
    """``smrx``: the address signed for and the 65-byte BIP-137 signature."""

    address: str
    signature: bytes


@dataclass(frozen=True)
class Int1:
    """``int1``: one little-endian u32 (``upld`` answers the offset it stored)."""

    value: int


@dataclass(frozen=True)
class SignedFile:
    """``strx``: the signed PSBT is ready: its length and SHA-256."""

    length: int
    sha256: bytes


@dataclass(frozen=True)
class Refused:
    """``refu``: the human said no on the device."""


@dataclass(frozen=True)
class Busy:
    """``busy``: the device is handling another request that needs the human."""


@dataclass(frozen=True)
class RemoteError:
    """``err_``: the device refused the request; ``text`` says why."""

    text: str


@dataclass(frozen=True)
class FramingComplaint:
    """``fram``: the device could not reassemble what we sent."""

    reason: str


Response = (
    Okay
    | Binary
    | Ascii
    | DevicePubkey
    | SignedMessage
    | Int1
    | SignedFile
    | Refused
    | Busy
    | RemoteError
    | FramingComplaint
)


def _ascii(data: bytes, what: str) -> str:
    try:
        return data.decode("ascii")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"{what} is not ASCII") from exc


def decode_response(message: bytes) -> Response:
    """Turn one whole response into a value; malformed input raises ProtocolError."""
    if len(message) < 4:
        raise ProtocolError(f"response of {len(message)} bytes")
    if len(message) > MAX_MSG_LEN:
        raise ProtocolError(f"response of {len(message)} bytes is over the limit")
    code, body = message[:4], message[4:]
    if code == b"okay":
        if body:
            raise ProtocolError("okay with a body")
        return Okay()
    if code == b"biny":
        return Binary(body)
    if code == b"asci":
        return Ascii(_ascii(body, "asci response"))
    if code == b"mypb":
        return _decode_mypb(body)
    if code == b"smrx":
        return _decode_smrx(body)
    if code == b"int1":
        if len(body) != 4:
            raise ProtocolError("int1 response of the wrong length")
        return Int1(struct.unpack("<I", body)[0])
    if code == b"strx":
        if len(body) != 36:
            raise ProtocolError("strx response of the wrong length")
        length, sha = struct.unpack("<I32s", body)
        return SignedFile(length, sha)
    if code == b"refu":
        return Refused()
    if code == b"busy":
        return Busy()
    if code == b"err_":
        return RemoteError(body.decode("ascii", "replace"))
    if code == b"fram":
        return FramingComplaint(body.decode("ascii", "replace"))
    raise ProtocolError(f"unknown response code {code!r}")


def _decode_mypb(body: bytes) -> DevicePubkey:
    fixed = PUBKEY_LEN + 8
    if len(body) < fixed:
        raise ProtocolError("mypb response too short")
    pubkey = body[:PUBKEY_LEN]
    xfp, xpub_len = struct.unpack_from("<II", body, PUBKEY_LEN)
    if len(body) != fixed + xpub_len:
        raise ProtocolError("mypb xpub length does not match the message")
    return DevicePubkey(pubkey, xfp, _ascii(body[fixed:], "master xpub"))


def _decode_smrx(body: bytes) -> SignedMessage:
    if len(body) < 4:
        raise ProtocolError("smrx response too short")
    (addr_len,) = struct.unpack_from("<I", body, 0)
    if len(body) != 4 + addr_len + SIGNATURE_LEN:
        raise ProtocolError("smrx lengths do not match the message")
    address = _ascii(body[4 : 4 + addr_len], "signed address")
    return SignedMessage(address, body[4 + addr_len :])


# ------------------------------------------------------------- device side


@dataclass(frozen=True)
class Request:
    command: str  # 4 ASCII characters
    args: bytes


@dataclass(frozen=True)
class SignMessageArgs:
    addr_fmt: int
    path: bytes
    text: bytes


def parse_request(message: bytes) -> Request:
    """Split a request into command and arguments; a non-ASCII command raises ProtocolError."""
    if len(message) < 4:
        raise ProtocolError(f"request of {len(message)} bytes")
    return Request(_ascii(message[:4], "command"), message[4:])


@dataclass(frozen=True)
class ShowP2shArgs:
    addr_fmt: int
    threshold: int
    witness_script: bytes
    xfp_paths: tuple[tuple[int, ...], ...]  # (xfp, *path) per key, in script order


def parse_show_address_args(args: bytes) -> tuple[int, bytes]:
    """``show`` arguments: ``(addr_fmt, path bytes)``."""
    if len(args) < 4 or len(args) - 4 > MAX_PATH_LEN:
        raise ProtocolError("badlen")
    (addr_fmt,) = struct.unpack_from("<I", args, 0)
    return addr_fmt, args[4:]


def parse_show_p2sh_args(args: bytes) -> ShowP2shArgs:
    if len(args) < 8:
        raise ProtocolError("p2sh arguments too short")
    addr_fmt, threshold, count, script_len = struct.unpack_from("<IBBH", args, 0)
    offset = 8
    if not 30 <= script_len <= MAX_SCRIPT_LEN or not 1 <= count <= MAX_P2SH_KEYS:
        raise ProtocolError("badlen")
    script = args[offset : offset + script_len]
    offset += script_len
    paths: list[tuple[int, ...]] = []
    for _ in range(count):
        if offset >= len(args):
            raise ProtocolError("badlen")
        length = args[offset]
        offset += 1
        if not 1 <= length <= 16 or offset + 4 * length > len(args):
            raise ProtocolError("badlen")
        paths.append(struct.unpack_from(f"<{length}I", args, offset))
        offset += 4 * length
    if len(script) != script_len or offset != len(args):
        raise ProtocolError("badlen")
    return ShowP2shArgs(addr_fmt, threshold, bytes(script), tuple(paths))


def parse_ncry_args(args: bytes) -> tuple[int, bytes]:
    if len(args) != 4 + PUBKEY_LEN:
        raise ProtocolError("ncry wants a version and a 64-byte key")
    (version,) = struct.unpack_from("<I", args, 0)
    return version, args[4:]


def parse_sign_message_args(args: bytes) -> SignMessageArgs:
    if len(args) < 12:
        raise ProtocolError("smsg arguments too short")
    addr_fmt, path_len, text_len = struct.unpack_from("<III", args, 0)
    if path_len > MAX_PATH_LEN or 12 + path_len + text_len != len(args):
        raise ProtocolError("badlen")
    return SignMessageArgs(addr_fmt, args[12 : 12 + path_len], args[12 + path_len :])


@dataclass(frozen=True)
class UploadArgs:
    offset: int
    total: int
    data: bytes


def parse_upload_args(args: bytes) -> UploadArgs:
    if len(args) < 8:
        raise ProtocolError("upld arguments too short")
    offset, total = struct.unpack_from("<II", args, 0)
    return UploadArgs(offset, total, args[8:])


def parse_sign_txn_args(args: bytes) -> tuple[int, int, bytes]:
    """(length, flags, sha256) of ``stxn`` (a miniscript wallet name after it is ignored)."""
    if len(args) < 40:
        raise ProtocolError("stxn arguments too short")
    length, flags, sha = struct.unpack_from("<II32s", args, 0)
    return length, flags, sha


def parse_download_args(args: bytes) -> tuple[int, int, int]:
    if len(args) != 12:
        raise ProtocolError("dwld wants offset, length and file number")
    offset, length, file_number = struct.unpack("<III", args)
    return offset, length, file_number


def respond_int1(value: int) -> bytes:
    return struct.pack("<4sI", b"int1", value)


def respond_signed_file(length: int, sha: bytes) -> bytes:
    return struct.pack("<4sI32s", b"strx", length, sha)


def respond_okay() -> bytes:
    return b"okay"


def respond_binary(data: bytes) -> bytes:
    return b"biny" + data


def respond_ascii(text: str) -> bytes:
    return b"asci" + text.encode("ascii")


def respond_device_pubkey(pubkey: bytes, xfp: int, xpub: str) -> bytes:
    raw_xpub = xpub.encode("ascii")
    return b"mypb" + pubkey + struct.pack("<II", xfp, len(raw_xpub)) + raw_xpub


def respond_signed_message(address: str, signature: bytes) -> bytes:
    raw = address.encode("ascii")
    return struct.pack("<4sI", b"smrx", len(raw)) + raw + signature


def respond_refused() -> bytes:
    return b"refu"


def respond_busy() -> bytes:
    return b"busy"


def respond_error(text: str) -> bytes:
    return b"err_" + text.encode("ascii", "replace")[:80]


def respond_framing(reason: str) -> bytes:
    return b"fram" + reason.encode("ascii", "replace")


def xfp_from_fingerprint(fingerprint: bytes) -> int:
    """The u32 the protocol carries for a 4-byte BIP-32 fingerprint."""
    (value,) = struct.unpack("<I", fingerprint)
    return int(value)
