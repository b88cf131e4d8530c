"""Minimal secp256k1 point arithmetic in pure Python.

Used only where ``cryptography`` offers no API: point decompression, point
addition (BIP-32 public derivation) and public-key recovery (BIP-137). Nothing
here handles secret scalars: signing and key generation go through
``cryptography`` (constant-time C). Points are affine ``(x, y)`` tuples; the
point at infinity is ``None``. Internally Jacobian coordinates avoid an
inversion per step.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from signing.errors import InvalidInput

P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
GX = 0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798
GY = 0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8
G: tuple[int, int] = (GX, GY)
HALF_N = N // 2

Point = tuple[int, int] | None
_Jacobian = tuple[int, int, int]  # z == 0 means infinity
_INF: _Jacobian = (1, 1, 0)


def is_on_curve(point: Point) -> bool:
    """True when ``point`` is a finite point of the curve."""
    if point is None:
        return False
    x, y = point
    return 0 <= x < P and 0 <= y < P and (y * y - x * x * x - 7) % P == 0


def lift_x(x: int, odd: bool) -> Point:
    """The curve point with abscissa ``x`` and the given y parity, or None if none exists."""
    if not 0 <= x < P:
        return None
    y_sq = (pow(x, 3, P) + 7) % P
    y = pow(y_sq, (P + 1) // 4, P)
    if y * y % P != y_sq:
        return None
    if (y & 1) != int(odd):
        y = P - y
    return (x, y)


def decode_point(data: bytes) -> tuple[int, int]:
    """Parse a SEC1 public key (33-byte compressed or 65-byte uncompressed)."""
    if len(data) == 33 and data[0] in (2, 3):
        point = lift_x(int.from_bytes(data[1:], "big"), data[0] == 3)
        if point is None:
            raise InvalidInput("public key is not on secp256k1")
        return point
    if len(data) == 65 and data[0] == 4:
        point = (int.from_bytes(data[1:33], "big"), int.from_bytes(data[33:], "big"))
        if not is_on_curve(point):
            raise InvalidInput("public key is not on secp256k1")
        return point
    raise InvalidInput(f"public key must be 33 or 65 SEC1 bytes, got {len(data)}")


def encode_point(point: Point, compressed: bool = True) -> bytes:
    """SEC1 encoding of a finite point."""
    if point is None:
        raise InvalidInput("the point at infinity has no encoding")
    x, y = point
    if compressed:
        return bytes([2 + (y & 1)]) + x.to_bytes(32, "big")
    return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")


def _to_jacobian(point: Point) -> _Jacobian:
    return _INF if point is None else (point[0], point[1], 1)


def _to_affine(point: _Jacobian) -> Point:
    x, y, z = point
    if z == 0:
        return None
    z_inv = pow(z, -1, P)
    z_inv2 = z_inv * z_inv % P
    return (x * z_inv2 % P, y * z_inv2 * z_inv % P)


def _double(point: _Jacobian) -> _Jacobian:
    x, y, z = point
    if z == 0 or y == 0:
        return _INF
    yy = y * y % P
    s = 4 * x * yy % P
    m = 3 * x * x % P  # a == 0 on secp256k1
    nx = (m * m - 2 * s) % P
    ny = (m * (s - nx) - 8 * yy * yy) % P
    return (nx, ny, 2 * y * z % P)


def _add(p1: _Jacobian, p2: _Jacobian) -> _Jacobian:
    x1, y1, z1 = p1
    x2, y2, z2 = p2
    if z1 == 0:
        return p2
    if z2 == 0:
        return p1
    z1z1 = z1 * z1 % P
    z2z2 = z2 * z2 % P
    u1 = x1 * z2z2 % P
    u2 = x2 * z1z1 % P
    s1 = y1 * z2 * z2z2 % P
    s2 = y2 * z1 * z1z1 % P
    if u1 == u2:
        return _double(p1) if s1 == s2 else _INF
    h = (u2 - u1) % P
    r = (s2 - s1) % P
    hh = h * h % P
    hhh = h * hh % P
    v = u1 * hh % P
    nx = (r * r - hhh - 2 * v) % P
    ny = (r * (v - nx) - s1 * hhh) % P
    return (nx, ny, h * z1 * z2 % P)


def _naf(k: int, width: int = 5) -> list[int]:
    digits: list[int] = []
    half = 1 << (width - 1)
    full = 1 << width
    while k:
        if k & 1:
            d = k & (full - 1)
            if d >= half:
                d -= full
            k -= d
        else:
            d = 0
        digits.append(d)
        k >>= 1
    return digits


def _multiply_jacobian(k: int, point: Point) -> _Jacobian:
    if point is None or k % N == 0:
        return _INF
    base = _to_jacobian(point)
    # odd multiples 1P, 3P, ... 15P for the width-5 NAF
    twice = _double(base)
    table = [base]
    for _ in range(7):
        table.append(_add(table[-1], twice))
    acc = _INF
    for digit in reversed(_naf(k % N)):
        acc = _double(acc)
        if digit > 0:
            acc = _add(acc, table[digit >> 1])
        elif digit < 0:
            px, py, pz = table[(-digit) >> 1]
            acc = _add(acc, (px, P - py, pz))
    return acc


def _add_affine(p1: _Jacobian, x2: int, y2: int) -> _Jacobian:
    """Jacobian + affine ("mixed") addition: cheaper than a full Jacobian add."""
    x1, y1, z1 = p1
    if z1 == 0:
        return (x2, y2, 1)
    z1z1 = z1 * z1 % P
    u2 = x2 * z1z1 % P
    s2 = y2 * z1 * z1z1 % P
    if x1 == u2:
        return _double(p1) if y1 == s2 else _INF
    h = (u2 - x1) % P
    r = (s2 - y1) % P
    hh = h * h % P
    hhh = h * hh % P
    v = x1 * hh % P
    nx = (r * r - hhh - 2 * v) % P
    ny = (r * (v - nx) - y1 * hhh) % P
    return (nx, ny, h * z1 % P)


def _batch_to_affine(points: list[_Jacobian]) -> list[tuple[int, int]]:
    """Affine forms of finite points with one modular inversion (Montgomery's trick)."""
    prefix = [1]
    for _, _, z in points:
        prefix.append(prefix[-1] * z % P)
    inv = pow(prefix[-1], -1, P)
    out: list[tuple[int, int]] = [(0, 0)] * len(points)
    for i in range(len(points) - 1, -1, -1):
        x, y, z = points[i]
        z_inv = inv * prefix[i] % P
        inv = inv * z % P
        z_inv2 = z_inv * z_inv % P
        out[i] = (x * z_inv2 % P, y * z_inv2 * z_inv % P)
    return out


class FixedBaseTable:
    """Comb table for fast multiples of one point: row i holds j * 2^(w*i) * base.

    Multiplying is then one mixed addition per w-bit digit. Used for G (w=8,
    built once) and for public keys verified again and again (w=4).
    """

    def __init__(self, base: tuple[int, int], window: int) -> None:
        self.window = window
        self._rows: list[list[tuple[int, int]]] = []
        row_base = base
        for _ in range((256 + window - 1) // window):
            multiples = [_to_jacobian(row_base)]
            for _ in range(2, 1 << window):
                multiples.append(_add_affine(multiples[-1], *row_base))
            row = _batch_to_affine(multiples)
            self._rows.append([(0, 0), *row])
            nxt = _to_affine(_add_affine(_to_jacobian(row[-1]), *row_base))
            assert nxt is not None
            row_base = nxt

    def multiply_jacobian(self, k: int) -> _Jacobian:
        k %= N
        acc = _INF
        mask = (1 << self.window) - 1
        for row in self._rows:
            if not k:
                break
            digit = k & mask
            if digit:
                acc = _add_affine(acc, *row[digit])
            k >>= self.window
        return acc

    def multiply(self, k: int) -> Point:
        return _to_affine(self.multiply_jacobian(k))


_generator_comb: FixedBaseTable | None = None
_comb_lock = threading.Lock()


def generator_table() -> FixedBaseTable:
    """The 8-bit comb for G (~8k points, built once on first use, ~40 ms)."""
    global _generator_comb  # noqa: PLW0603 - built once, then read-only
    table = _generator_comb
    if table is not None:
        return table
    with _comb_lock:  # several emulated HSMs may start signing at once
        if _generator_comb is None:
            _generator_comb = FixedBaseTable(G, 8)  # published whole, never partially
        return _generator_comb


def _multiply_generator(k: int) -> _Jacobian:
    return generator_table().multiply_jacobian(k)


@lru_cache(maxsize=64)
def public_key_table(point: tuple[int, int]) -> FixedBaseTable:
    """A 4-bit comb for a public key that is verified repeatedly (~8 ms to build)."""
    return FixedBaseTable(point, 4)


HOT_KEY_USES = 4  # a key checked this often (an officer's, a device's) earns the big table
_key_uses: dict[tuple[int, int], int] = {}


@lru_cache(maxsize=8)
def _hot_key_table(point: tuple[int, int]) -> FixedBaseTable:
    """An 8-bit comb (~50 ms, ~1.5 MB): half the additions of the 4-bit one."""
    return FixedBaseTable(point, 8)


def key_table(point: tuple[int, int]) -> FixedBaseTable:
    """The comb for ``point``: 4-bit at first, 8-bit once the key is in steady use."""
    uses = _key_uses.get(point, 0) + 1
    if uses >= HOT_KEY_USES:
        return _hot_key_table(point)
    if len(_key_uses) >= 4096:  # bounded: forget counts rather than grow
        _key_uses.clear()
    _key_uses[point] = uses
    return public_key_table(point)


def multiply(k: int, point: Point) -> Point:
    """``k * point`` (variable time: only for public scalars)."""
    if point == G:
        return _to_affine(_multiply_generator(k))
    return _to_affine(_multiply_jacobian(k, point))


def add(p1: Point, p2: Point) -> Point:
    """``p1 + p2``."""
    return _to_affine(_add(_to_jacobian(p1), _to_jacobian(p2)))


def negate(point: Point) -> Point:
    if point is None:
        return None
    return (point[0], (P - point[1]) % P)


def multiply_add(a: int, p1: Point, b: int, p2: Point) -> Point:
    """``a * p1 + b * p2`` (public scalars only)."""
    first = _multiply_generator(a) if p1 == G else _multiply_jacobian(a, p1)
    second = _multiply_generator(b) if p2 == G else _multiply_jacobian(b, p2)
    return _to_affine(_add(first, second))


def recover_public_point(digest: bytes, r: int, s: int, recid: int) -> tuple[int, int]:
    """The public key for which ``(r, s)`` over ``digest`` is valid with recovery id ``recid``.

    ``recid`` bit 0 is the parity of R.y, bit 1 says R.x = r + n. Raises
    ``InvalidInput`` when no such key exists.
    """
    if not (1 <= r < N and 1 <= s < N):
        raise InvalidInput("signature scalar out of range")
    if not 0 <= recid <= 3:
        raise InvalidInput("recovery id must be 0..3")
    x = r + N if recid & 2 else r
    big_r = lift_x(x, bool(recid & 1))
    if big_r is None:
        raise InvalidInput("no curve point for this signature and recovery id")
    z = int.from_bytes(digest, "big") % N
    r_inv = pow(r, -1, N)
    q = multiply_add(s * r_inv % N, big_r, (-z * r_inv) % N, G)
    if q is None:
        raise InvalidInput("signature recovers to the point at infinity")
    return q


def nonce_point_for(digest: bytes, r: int, s: int, public_point: tuple[int, int]) -> Point:
    """R = (z/s)*G + (r/s)*Q: the nonce point a valid (r, s) by Q must have.

    ECDSA holds when R.x = r (mod n); the recovery id of the signature is then
    R.y's parity plus 2 if R.x >= n. Uses cached comb tables: fast when the
    same key is checked repeatedly.
    """
    if not (1 <= r < N and 1 <= s < N):
        return None
    s_inv = pow(s, -1, N)
    z = int.from_bytes(digest, "big") % N
    first = _multiply_generator(z * s_inv % N)
    second = key_table(public_point).multiply_jacobian(r * s_inv % N)
    return _to_affine(_add(first, second))
