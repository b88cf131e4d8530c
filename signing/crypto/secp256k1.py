"""secp256k1 point operations, on Bitcoin Core's libsecp256k1 (through coincurve).

The desk needs a few public-key operations the signature APIs do not cover:
point decompression and validation, point addition (BIP-32 public derivation),
public-key recovery (BIP-137) and the nonce point of a signature (its recovery
id). Each is one libsecp256k1 call; nothing here is hand-written curve
arithmetic any more. Points are affine ``(x, y)`` tuples; the point at
infinity is ``None``. Scalars are public (keys, tweaks, signature values).
"""

from __future__ import annotations

import coincurve

from signing.errors import InvalidInput

P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
GX = 0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798
GY = 0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8
G: tuple[int, int] = (GX, GY)
HALF_N = N // 2

Point = tuple[int, int] | None


def is_on_curve(point: Point) -> bool:
    """True when ``point`` is a finite point of the curve."""
    if point is None:
        return False
    x, y = point
    return 0 <= x < P and 0 <= y < P and (y * y - x * x * x - 7) % P == 0


def _key(point: tuple[int, int]) -> coincurve.PublicKey:
    x, y = point
    if not is_on_curve(point):
        raise InvalidInput("not a point on secp256k1")
    return coincurve.PublicKey(b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big"))


def _point(key: coincurve.PublicKey) -> tuple[int, int]:
    x, y = key.point()
    return int(x), int(y)


def lift_x(x: int, odd: bool) -> Point:
    """The curve point with abscissa ``x`` and the given y parity, or None if none exists."""
    if not 0 <= x < P:
        return None
    try:
        return _point(coincurve.PublicKey(bytes([3 if odd else 2]) + x.to_bytes(32, "big")))
    except ValueError:
        return None


def decode_point(data: bytes) -> tuple[int, int]:
    """Parse a SEC1 compressed (33 bytes) or uncompressed (65 bytes) public key."""
    if len(data) not in (33, 65) or data[0] not in ((2, 3) if len(data) == 33 else (4,)):
        raise InvalidInput("public key must be 33 (compressed) or 65 (uncompressed) bytes")
    try:
        return _point(coincurve.PublicKey(bytes(data)))
    except ValueError as exc:
        raise InvalidInput("public key is not a point on secp256k1") from exc


def encode_point(point: Point, compressed: bool = True) -> bytes:
    """SEC1 encoding of a finite point."""
    if point is None:
        raise InvalidInput("cannot encode the point at infinity")
    return bytes(_key(point).format(compressed=compressed))


def _scalar(k: int) -> bytes | None:
    k %= N
    return None if k == 0 else k.to_bytes(32, "big")


def multiply(k: int, point: Point) -> Point:
    """``k * point`` (public scalars only)."""
    scalar = _scalar(k)
    if point is None or scalar is None:
        return None
    if point == G:
        return _point(coincurve.PublicKey.from_secret(scalar))
    return _point(_key(point).multiply(scalar))


def add(p1: Point, p2: Point) -> Point:
    """``p1 + p2``."""
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    if p1[0] == p2[0] and (p1[1] + p2[1]) % P == 0:
        return None  # p2 = -p1
    return _point(coincurve.PublicKey.combine_keys([_key(p1), _key(p2)]))


def negate(point: Point) -> Point:
    """``-point``."""
    if point is None:
        return None
    x, y = point
    return (x, (P - y) % P)


def multiply_add(a: int, p1: Point, b: int, p2: Point) -> Point:
    """``a * p1 + b * p2`` (public scalars only)."""
    return add(multiply(a, p1), multiply(b, p2))


def recover_public_point(digest: bytes, r: int, s: int, recid: int) -> tuple[int, int]:
    """The public key for which ``(r, s)`` over ``digest`` is valid with recovery id ``recid``.

    ``recid`` bit 0 is the parity of R.y, bit 1 says R.x = r + n. Raises
    ``InvalidInput`` when no such key exists.
    """
    if not (1 <= r < N and 1 <= s < N):
        raise InvalidInput("signature scalar out of range")
    if not 0 <= recid <= 3:
        raise InvalidInput("recovery id must be 0..3")
    if len(digest) != 32:
        raise InvalidInput("digest must be 32 bytes")
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big") + bytes([recid])
    try:
        key = coincurve.PublicKey.from_signature_and_message(signature, digest, hasher=None)
    except ValueError as exc:
        raise InvalidInput("no public key recovers from this signature") from exc
    return _point(key)
