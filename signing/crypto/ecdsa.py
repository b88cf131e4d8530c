"""Deterministic (RFC 6979) low-S ECDSA over secp256k1 with a recovery id.

The signature itself comes from ``cryptography`` (OpenSSL's RFC 6979). The
recovery id needs the y parity of the nonce point R, which OpenSSL does not
expose, so the RFC 6979 nonce is recomputed here and R = k*G derived; the
result is cross-checked against OpenSSL's r (and recovered by trial if they
ever disagree). Private-key signing only happens in the emulator with public
test seeds: the nonce point uses variable-time Python arithmetic.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature

from signing.crypto import secp256k1
from signing.crypto.bip32 import private_to_public
from signing.errors import InvalidInput

_DETERMINISTIC = ec.ECDSA(Prehashed(hashes.SHA256()), deterministic_signing=True)


@dataclass(frozen=True)
class RecoverableSignature:
    """ECDSA (r, s) with s <= n/2 and the recovery id (0..3) of the public key."""

    r: int
    s: int
    recid: int


@lru_cache(maxsize=256)
def _private_key(secret: int) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(secret, ec.SECP256K1())


def rfc6979_nonce(secret: int, digest: bytes) -> int:
    """The RFC 6979 (HMAC-SHA256) nonce for a 32-byte digest, as in section 3.2."""
    n = secp256k1.N
    x = secret.to_bytes(32, "big")
    h1 = (int.from_bytes(digest, "big") % n).to_bytes(32, "big")
    v = b"\x01" * 32
    k = b"\x00" * 32
    k = hmac.new(k, v + b"\x00" + x + h1, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    k = hmac.new(k, v + b"\x01" + x + h1, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    while True:
        v = hmac.new(k, v, hashlib.sha256).digest()
        candidate = int.from_bytes(v, "big")
        if 1 <= candidate < n:
            return candidate
        k = hmac.new(k, v + b"\x00", hashlib.sha256).digest()
        v = hmac.new(k, v, hashlib.sha256).digest()


def sign_digest(secret: int, digest: bytes) -> RecoverableSignature:
    """Sign a 32-byte digest deterministically; s is normalised to the low half."""
    if len(digest) != 32:
        raise InvalidInput("digest must be 32 bytes")
    if not 1 <= secret < secp256k1.N:
        raise InvalidInput("private key out of range")
    der = _private_key(secret).sign(digest, _DETERMINISTIC)
    r, s = decode_dss_signature(der)
    recid = _recovery_id(secret, digest, r, s)
    if s > secp256k1.HALF_N:
        # (r, n - s) is the same signature for the point -R: flip the parity bit
        s = secp256k1.N - s
        recid ^= 1
    return RecoverableSignature(r, s, recid)


def _recovery_id(secret: int, digest: bytes, r: int, s: int) -> int:
    nonce_point = secp256k1.multiply(rfc6979_nonce(secret, digest), secp256k1.G)
    if nonce_point is not None and nonce_point[0] % secp256k1.N == r:
        return (nonce_point[1] & 1) | (2 if nonce_point[0] >= secp256k1.N else 0)
    # Not expected: OpenSSL used another nonce. Find the id by recovery instead.
    expected = secp256k1.decode_point(private_to_public(secret))
    for recid in range(4):
        try:
            if secp256k1.recover_public_point(digest, r, s, recid) == expected:
                return recid
        except InvalidInput:
            continue
    raise InvalidInput("could not compute the recovery id")
