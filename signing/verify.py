"""Signature verification on secp256k1: ``cryptography`` (OpenSSL) and libsecp256k1.

Bitcoin signed messages (BIP-137) against a registered public key
(``verify_message_pubkey``): libsecp256k1 (coincurve) recovers the key from the
signature over the double-SHA-256 message digest and it must be the registered
one; that one step checks the ECDSA equation and that the header's recovery id
names the nonce point. Against an address (``verify_message``): the public key
is recovered (libsecp256k1), checked again by OpenSSL's verification, and bound
to the address. High-S signatures are rejected: every device we drive signs
low-S, so a high-S one was altered.

The boolean functions return False for any signature that does not verify,
including a malformed one; a malformed address or public key (a caller
mistake) raises ``InvalidInput``. Nothing but ``SigningError`` subclasses
escapes.

``verify_der_sha256`` is the plain "ECDSA over SHA-256, DER, low-S" check
used against Wycheproof's ``ecdsa_secp256k1_sha256_bitcoin`` vectors. It is
strict: only canonical DER is accepted, so Wycheproof cases marked
"acceptable" (BER-ish but benign encodings in other files) are rejected; the
Bitcoin file has none.
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache

import coincurve
from cryptography.exceptions import InvalidSignature as _CryptoInvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, encode_dss_signature

from signing.crypto import secp256k1
from signing.crypto.addresses import ScriptType, address_matches, decode_address
from signing.crypto.message import CompactSignature, decode_compact, message_digest
from signing.devicetext import PRODUCTION_TOKEN, declares_production
from signing.errors import InvalidInput, InvalidSignature, NotAllowed, SigningError

log = logging.getLogger(__name__)

_PREHASHED = ec.ECDSA(Prehashed(hashes.SHA256()))
_CURVE = ec.SECP256K1()


def _load_public_key(pubkey: bytes) -> ec.EllipticCurvePublicKey:
    if not isinstance(pubkey, bytes | bytearray | memoryview):
        raise InvalidInput("a public key is bytes")
    return _load_public_key_cached(bytes(pubkey))


@lru_cache(maxsize=256)  # registered keys are verified again and again
def _load_public_key_cached(pubkey: bytes) -> ec.EllipticCurvePublicKey:
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(_CURVE, bytes(pubkey))
    except (ValueError, TypeError) as exc:
        raise InvalidInput("not a secp256k1 public key") from exc


def verify_digest(public_key: ec.EllipticCurvePublicKey, digest: bytes, r: int, s: int) -> bool:
    """ECDSA check of (r, s) over a 32-byte digest; high-S is invalid."""
    if not (1 <= r < secp256k1.N and 1 <= s <= secp256k1.HALF_N) or len(digest) != 32:
        return False
    try:
        public_key.verify(encode_dss_signature(r, s), digest, _PREHASHED)
    except _CryptoInvalidSignature:
        return False
    return True


def _decode(signature: bytes) -> CompactSignature | None:
    try:
        return decode_compact(signature)
    except SigningError:
        return None


def recover_pubkey(text: str | bytes, signature: bytes) -> bytes:
    """The public key (33 bytes, or 65 for an uncompressed-key header) that made ``signature``.

    Raises ``InvalidSignature`` when the signature is malformed, high-S, or
    does not verify against the key it recovers to.
    """
    decoded = decode_compact(signature)
    if decoded.s > secp256k1.HALF_N:
        raise InvalidSignature("high-S signature")
    digest = message_digest(text)
    try:
        point = secp256k1.recover_public_point(digest, decoded.r, decoded.s, decoded.recid)
    except InvalidInput as exc:
        raise InvalidSignature("no public key recovers from this signature") from exc
    pubkey = secp256k1.encode_point(point, decoded.compressed)
    # Belt and braces: the recovered key must pass OpenSSL's own verification.
    if not verify_digest(_load_public_key(pubkey), digest, decoded.r, decoded.s):
        raise InvalidSignature("recovered key does not verify")
    return pubkey


def verify_message_pubkey(pubkey: bytes, text: str | bytes, signature: bytes) -> bool:
    """True when ``signature`` is a valid BIP-137 signature of ``text`` by ``pubkey``.

    libsecp256k1 (Bitcoin Core's library, through coincurve) recovers the public
    key from (r, s) and the header's recovery id over the double-SHA-256 message
    digest; the signature is valid exactly when that key is ``pubkey``. This is
    the ECDSA check itself (s*R = z*G + r*Q, so R.x = r) and, in the same step,
    the check that the recovery id names the nonce point R, as Bitcoin Core and
    Trezor require, so the bytes verify by address too. High-S is refused before
    recovery (libsecp256k1's recovery would accept it); the header's compression
    flag must match the key's encoding. One recovery costs about as much as one
    verification (~60 us), where the former OpenSSL verify plus a separate
    nonce-point computation cost ~4x that.
    """
    if not isinstance(pubkey, bytes | bytearray | memoryview):
        raise InvalidInput("a public key is bytes")
    key = bytes(pubkey)
    expected = _registered_key(key)  # InvalidInput for a malformed key
    decoded = _decode(signature)
    if decoded is None or decoded.compressed != (len(key) == 33):
        return False
    if decoded.s > secp256k1.HALF_N:
        return False
    compact = bytes(signature)[1:65] + bytes([decoded.recid])
    try:
        recovered = coincurve.PublicKey.from_signature_and_message(
            compact, message_digest(text), hasher=None
        )
    except (ValueError, TypeError):  # no key recovers: not a signature
        return False
    return recovered.format(compressed=True) == expected


@lru_cache(maxsize=256)  # registered keys are verified again and again
def _registered_key(pubkey: bytes) -> bytes:
    """``pubkey`` as libsecp256k1's compressed encoding (InvalidInput if not a key)."""
    try:
        return coincurve.PublicKey(pubkey).format(compressed=True)
    except (ValueError, TypeError) as exc:
        raise InvalidInput("not a secp256k1 public key") from exc


def verify_message(
    address: str, text: str | bytes, signature: bytes, *, legacy_segwit_header: bool = False
) -> bool:
    """True when ``signature`` is a valid BIP-137 signature of ``text`` for ``address``.

    The header's script type must match the address type (P2PKH, P2SH-P2WPKH,
    P2WPKH), as BIP-137 requires. ``legacy_segwit_header=True`` also accepts a
    compressed-P2PKH header (31..34) for a segwit address, as Electrum and
    Trezor's ``no_script_type`` signatures use; the key must still own the address.
    """
    target = decode_address(address)
    decoded = _decode(signature)
    if decoded is None:
        return False
    legacy = (
        legacy_segwit_header
        and decoded.compressed
        and decoded.script_type is ScriptType.P2PKH
        and target.script_type is not ScriptType.P2PKH
    )
    if decoded.script_type != target.script_type and not legacy:
        return False
    try:
        pubkey = recover_pubkey(text, signature)
    except InvalidSignature:
        return False
    return address_matches(pubkey, target)


def require_valid(
    address: str,
    text: str,
    signature: bytes,
    *,
    environment: str | None = None,
    legacy_segwit_header: bool = False,
) -> None:
    """Raise ``InvalidSignature`` unless ``signature`` is valid for ``address``.

    With ``environment="prod"`` the statement must also carry the ``env=prod``
    token (``NotAllowed`` otherwise): the emulator refuses to sign such text, so
    emulator signatures never pass in production.
    """
    if environment == "prod" and not declares_production(text):
        raise NotAllowed(f"a production statement must carry {PRODUCTION_TOKEN}")
    if not verify_message(address, text, signature, legacy_segwit_header=legacy_segwit_header):
        raise InvalidSignature(f"for address {address}")


def require_valid_pubkey(
    pubkey: bytes, text: str, signature: bytes, *, environment: str | None = None
) -> None:
    """As ``require_valid`` but against a registered public key."""
    if environment == "prod" and not declares_production(text):
        raise NotAllowed(f"a production statement must carry {PRODUCTION_TOKEN}")
    if not verify_message_pubkey(pubkey, text, signature):
        raise InvalidSignature(f"for public key {bytes(pubkey).hex()}")


# -- plain ECDSA / DER (Wycheproof) --


def parse_der_signature(der: bytes) -> tuple[int, int]:
    """Strict DER ``SEQUENCE { INTEGER r, INTEGER s }`` (no BER, minimal, positive)."""
    if len(der) < 8 or len(der) > 72 or der[0] != 0x30 or der[1] != len(der) - 2:
        raise InvalidSignature("not a DER signature")
    values: list[int] = []
    pos = 2
    for _ in range(2):
        if pos + 2 > len(der) or der[pos] != 0x02:
            raise InvalidSignature("DER integer expected")
        length = der[pos + 1]
        body = der[pos + 2 : pos + 2 + length]
        if length == 0 or length > 33 or len(body) != length:
            raise InvalidSignature("bad DER integer length")
        if body[0] & 0x80:
            raise InvalidSignature("negative DER integer")
        if length > 1 and body[0] == 0 and not body[1] & 0x80:
            raise InvalidSignature("non-minimal DER integer")
        values.append(int.from_bytes(body, "big"))
        pos += 2 + length
    if pos != len(der):
        raise InvalidSignature("trailing bytes after DER signature")
    return values[0], values[1]


def verify_der_sha256(pubkey: bytes, message: bytes, der: bytes) -> bool:
    """ECDSA/SHA-256 with a strict-DER, low-S signature (the Bitcoin rules)."""
    try:
        public_key = _load_public_key(pubkey)
        r, s = parse_der_signature(bytes(der))
    except SigningError:
        return False
    return verify_digest(public_key, hashlib.sha256(message).digest(), r, s)
