"""Checking one message signature against a public key from the keys file.

Thin wrapper over ``signing.verify`` (BIP-137, low-S only, recovery id must
point at the key) that never raises: a malformed key or signature is simply
not a valid signature.
"""

from __future__ import annotations

from signing.crypto.addresses import decode_address
from signing.crypto.message import decode_compact
from signing.errors import SigningError
from signing.verify import verify_message_pubkey


def verify_message(pubkey: bytes, text: str, signature: bytes) -> bool:
    """True if ``signature`` (65 bytes, BIP-137) signs ``text`` under ``pubkey``."""
    try:
        return verify_message_pubkey(pubkey, text, signature)
    except SigningError:
        return False


def header_problem(address: str, signature: bytes) -> str | None:
    """Why the header byte does not fit ``address`` (``None`` if it does).

    BIP-137 headers 27..42 encode the recovery id (checked by
    :func:`verify_message`) and the address type: 31..34 compressed P2PKH, 35..38
    P2SH-P2WPKH, 39..42 P2WPKH. The header must name the registered address's type,
    so exactly one byte is valid for a given signature and key (the same r, s under
    another address type is refused).
    """
    try:
        decoded = decode_compact(signature)
        registered = decode_address(address).script_type
    except SigningError as exc:
        return str(exc)
    if not decoded.compressed:
        return f"header byte {signature[0]} is for an uncompressed key"
    if decoded.script_type is not registered:
        return (f"header byte {signature[0]} is for a {decoded.script_type.value} address, "
                f"the key is registered as {registered.value}")
    return None
