"""Base58Check (BIP-13 style) and bech32/bech32m (BIP-173/350) codecs, on embit.

embit's reference codecs do the work; this module bounds the input, turns their
``ValueError``/``None`` answers into ``InvalidInput`` and keeps the desk's one
calling convention (``segwit_decode`` finds the human-readable part itself).
"""

from __future__ import annotations

from embit import base58, bech32

from signing.errors import InvalidInput

_MAX_B58_LEN = 200  # far above any key or address; bounds the big-int work


def b58encode(data: bytes) -> str:
    return str(base58.encode(data))


def b58decode(text: str) -> bytes:
    if len(text) > _MAX_B58_LEN:
        raise InvalidInput("base58 text too long")
    try:
        return bytes(base58.decode(text))
    except ValueError as exc:
        raise InvalidInput(f"invalid base58 text: {exc}") from None


def b58check_encode(payload: bytes) -> str:
    return str(base58.encode_check(payload))


def b58check_decode(text: str) -> bytes:
    raw = b58decode(text)
    if len(raw) < 5:
        raise InvalidInput("base58check text too short")
    try:
        return bytes(base58.decode_check(text))
    except ValueError:
        raise InvalidInput("base58check checksum mismatch") from None


def segwit_encode(hrp: str, witver: int, program: bytes) -> str:
    """Encode a segwit address (bech32 for v0, bech32m for v1+)."""
    address = bech32.encode(hrp, witver, program)
    if address is None:
        raise InvalidInput("invalid witness version or program")
    return str(address)


def segwit_decode(address: str) -> tuple[str, int, bytes]:
    """Decode a segwit address into (hrp, witness version, program)."""
    if len(address) > 90:
        raise InvalidInput("bech32 address too long")
    encoding, hrp, _data = bech32.bech32_decode(address)
    if encoding is None or hrp is None:
        raise InvalidInput("not a valid bech32 address (characters, case, checksum)")
    witver, program = bech32.decode(hrp, address.lower())
    if witver is None or program is None:
        raise InvalidInput("invalid witness program or wrong bech32 variant for its version")
    return str(hrp), int(witver), bytes(program)
