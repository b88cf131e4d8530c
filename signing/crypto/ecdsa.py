"""Deterministic (RFC 6979) low-S ECDSA over secp256k1 with a recovery id.

One libsecp256k1 call (``secp256k1_ecdsa_sign_recoverable`` through coincurve):
RFC 6979 nonces, s normalised to the low half, and the recovery id of the
public key, exactly as Bitcoin Core and Trezor's firmware sign. Private-key
signing only happens in the emulator with public test seeds.
"""

from __future__ import annotations

from dataclasses import dataclass

import coincurve

from signing.crypto import secp256k1
from signing.errors import InvalidInput


@dataclass(frozen=True)
class RecoverableSignature:
    """ECDSA (r, s) with s <= n/2 and the recovery id (0..3) of the public key."""

    r: int
    s: int
    recid: int


def sign_digest(secret: int, digest: bytes) -> RecoverableSignature:
    """Sign a 32-byte digest deterministically; s is in the low half."""
    if len(digest) != 32:
        raise InvalidInput("digest must be 32 bytes")
    if not 1 <= secret < secp256k1.N:
        raise InvalidInput("private key out of range")
    raw = coincurve.PrivateKey(secret.to_bytes(32, "big")).sign_recoverable(digest, hasher=None)
    return RecoverableSignature(
        int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:64], "big"), raw[64]
    )
