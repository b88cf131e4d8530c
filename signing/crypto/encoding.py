"""Base58Check (BIP-13 style) and bech32 (BIP-173) codecs. Bad input -> InvalidInput."""

from __future__ import annotations

from signing.crypto.hashes import sha256d
from signing.errors import InvalidInput

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
_MAX_B58_LEN = 200  # far above any key or address; bounds the big-int work


def b58encode(data: bytes) -> str:
    num = int.from_bytes(data, "big")
    out = []
    while num:
        num, rem = divmod(num, 58)
        out.append(_B58[rem])
    pad = len(data) - len(data.lstrip(b"\x00"))
    return "1" * pad + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    if len(text) > _MAX_B58_LEN:
        raise InvalidInput("base58 text too long")
    num = 0
    for ch in text:
        digit = _B58_INDEX.get(ch)
        if digit is None:
            raise InvalidInput(f"invalid base58 character {ch!r}")
        num = num * 58 + digit
    body = num.to_bytes((num.bit_length() + 7) // 8, "big") if num else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\x00" * pad + body


def b58check_encode(payload: bytes) -> str:
    return b58encode(payload + sha256d(payload)[:4])


def b58check_decode(text: str) -> bytes:
    raw = b58decode(text)
    if len(raw) < 5:
        raise InvalidInput("base58check text too short")
    payload, checksum = raw[:-4], raw[-4:]
    if sha256d(payload)[:4] != checksum:
        raise InvalidInput("base58check checksum mismatch")
    return payload


# -- bech32 (BIP-173) and bech32m (BIP-350) --
_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONST = 1
_BECH32M_CONST = 0x2BC830A3


def _polymod(values: list[int]) -> int:
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]


def _convertbits(data: bytes | list[int], frombits: int, tobits: int, pad: bool) -> list[int]:
    acc = 0
    bits = 0
    out: list[int] = []
    maxv = (1 << tobits) - 1
    for value in data:
        if value < 0 or value >> frombits:
            raise InvalidInput("bech32 value out of range")
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits or ((acc << (tobits - bits)) & maxv):
        raise InvalidInput("bech32 padding is invalid")
    return out


def segwit_encode(hrp: str, witver: int, program: bytes) -> str:
    """Encode a segwit address (bech32 for v0, bech32m for v1+)."""
    data = [witver, *_convertbits(program, 8, 5, True)]
    const = _BECH32_CONST if witver == 0 else _BECH32M_CONST
    polymod = _polymod(_hrp_expand(hrp) + data + [0] * 6) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[d] for d in data + checksum)


def segwit_decode(address: str) -> tuple[str, int, bytes]:
    """Decode a segwit address into (hrp, witness version, program)."""
    if len(address) > 90 or any(ord(c) < 33 or ord(c) > 126 for c in address):
        raise InvalidInput("bech32 address has invalid length or characters")
    if address.lower() != address and address.upper() != address:
        raise InvalidInput("bech32 address mixes upper and lower case")
    address = address.lower()
    pos = address.rfind("1")
    if pos < 1 or pos + 7 > len(address):
        raise InvalidInput("bech32 separator misplaced")
    hrp = address[:pos]
    try:
        data = [_CHARSET.index(c) for c in address[pos + 1 :]]
    except ValueError as exc:
        raise InvalidInput("invalid bech32 character") from exc
    const = _polymod(_hrp_expand(hrp) + data)
    if const not in (_BECH32_CONST, _BECH32M_CONST):
        raise InvalidInput("bech32 checksum mismatch")
    witver = data[0]
    program = bytes(_convertbits(data[1:-6], 5, 8, False))
    if witver > 16 or not 2 <= len(program) <= 40:
        raise InvalidInput("invalid witness program")
    if witver == 0 and len(program) not in (20, 32):
        raise InvalidInput("invalid v0 witness program length")
    if (witver == 0) != (const == _BECH32_CONST):
        raise InvalidInput("wrong bech32 variant for witness version")
    return hrp, witver, program
