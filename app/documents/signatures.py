"""Checking one message signature against a public key from the keys file.

Thin wrapper over ``signing.verify`` (BIP-137, low-S only, recovery id must
point at the key) that never raises: a malformed key or signature is simply
not a valid signature.
"""

from __future__ import annotations

from signing.errors import SigningError
from signing.verify import verify_message_pubkey


def verify_message(pubkey: bytes, text: str, signature: bytes) -> bool:
    """True if ``signature`` (65 bytes, BIP-137) signs ``text`` under ``pubkey``."""
    try:
        return verify_message_pubkey(pubkey, text, signature)
    except SigningError:
        return False
