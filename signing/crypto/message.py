"""Bitcoin signed messages: the message digest and BIP-137 compact signatures.

Header byte: 27 + recid uncompressed P2PKH, 31 + recid compressed P2PKH,
35 + recid P2SH-P2WPKH, 39 + recid native P2WPKH (BIP-137).
"""

from __future__ import annotations

from dataclasses import dataclass

from signing.crypto import secp256k1
from signing.crypto.addresses import ScriptType
from signing.crypto.ecdsa import sign_digest
from signing.crypto.hashes import sha256d
from signing.errors import InvalidInput, InvalidSignature

MAGIC = b"\x18Bitcoin Signed Message:\n"
_HEADER_BASE = {ScriptType.P2PKH: 31, ScriptType.P2SH_P2WPKH: 35, ScriptType.P2WPKH: 39}
MAX_MESSAGE_BYTES = 1 << 20  # a signed statement, not a file


def varint(n: int) -> bytes:
    """Bitcoin CompactSize."""
    if n < 0xFD:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfd" + n.to_bytes(2, "little")
    if n <= 0xFFFFFFFF:
        return b"\xfe" + n.to_bytes(4, "little")
    return b"\xff" + n.to_bytes(8, "little")


def message_bytes(text: str | bytes) -> bytes:
    if isinstance(text, str):
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidInput("text is not valid Unicode") from exc
    elif isinstance(text, bytes | bytearray | memoryview):
        data = bytes(text)
    else:
        raise InvalidInput("a message is text or bytes")
    if len(data) > MAX_MESSAGE_BYTES:
        raise InvalidInput("message too long")
    return data


def message_digest(text: str | bytes) -> bytes:
    """SHA-256d of "\\x18Bitcoin Signed Message:\\n" || varint(len) || message (UTF-8)."""
    data = message_bytes(text)
    return sha256d(MAGIC + varint(len(data)) + data)


@dataclass(frozen=True)
class CompactSignature:
    """A decoded 65-byte BIP-137 signature."""

    recid: int
    r: int
    s: int
    compressed: bool
    script_type: ScriptType  # P2PKH for headers 27..34


def encode_compact(recid: int, r: int, s: int, script_type: ScriptType) -> bytes:
    """65 bytes: header || r || s (compressed key)."""
    if not 0 <= recid <= 3:
        raise InvalidInput("recovery id must be 0..3")
    if not (1 <= r < secp256k1.N and 1 <= s < secp256k1.N):
        raise InvalidInput("signature scalar out of range")
    header = _HEADER_BASE[script_type] + recid
    return bytes([header]) + r.to_bytes(32, "big") + s.to_bytes(32, "big")


def decode_compact(signature: bytes) -> CompactSignature:
    """Parse a 65-byte BIP-137 signature; malformed input raises InvalidSignature."""
    if not isinstance(signature, bytes | bytearray | memoryview) or len(signature) != 65:
        raise InvalidSignature("a message signature is 65 bytes")
    signature = bytes(signature)
    header = signature[0]
    if not 27 <= header <= 42:
        raise InvalidSignature(f"header byte {header} is not 27..42")
    r = int.from_bytes(signature[1:33], "big")
    s = int.from_bytes(signature[33:], "big")
    if not (1 <= r < secp256k1.N and 1 <= s < secp256k1.N):
        raise InvalidSignature("signature scalar out of range")
    if header < 31:
        return CompactSignature(header - 27, r, s, False, ScriptType.P2PKH)
    if header < 35:
        return CompactSignature(header - 31, r, s, True, ScriptType.P2PKH)
    if header < 39:
        return CompactSignature(header - 35, r, s, True, ScriptType.P2SH_P2WPKH)
    return CompactSignature(header - 39, r, s, True, ScriptType.P2WPKH)


def sign_message_digest(secret: int, text: str | bytes, script_type: ScriptType) -> bytes:
    """Sign ``text`` as a Bitcoin message; returns the 65-byte BIP-137 signature."""
    sig = sign_digest(secret, message_digest(text))
    return encode_compact(sig.recid, sig.r, sig.s, script_type)
