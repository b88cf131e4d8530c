"""BIP-39 mnemonic checking and seed derivation."""

from __future__ import annotations

import hashlib
import unicodedata

from mnemonic import Mnemonic

from signing.errors import InvalidInput

_ENGLISH = Mnemonic("english")


def normalize_mnemonic(mnemonic: str) -> str:
    """NFKD-normalised words joined by single spaces."""
    return " ".join(unicodedata.normalize("NFKD", mnemonic).split())


def validate_mnemonic(mnemonic: str) -> str:
    """Return the normalised mnemonic, or raise InvalidInput (wrong word or checksum)."""
    words = normalize_mnemonic(mnemonic)
    if len(words.split()) not in (12, 15, 18, 21, 24):
        raise InvalidInput("a BIP-39 mnemonic has 12, 15, 18, 21 or 24 words")
    if not _ENGLISH.check(words):
        raise InvalidInput("mnemonic has an unknown word or a bad checksum")
    return words


def mnemonic_to_seed(mnemonic: str, passphrase: str = "", *, check: bool = True) -> bytes:
    """The 64-byte BIP-39 seed: PBKDF2-HMAC-SHA512, 2048 rounds, salt "mnemonic"+passphrase."""
    words = validate_mnemonic(mnemonic) if check else normalize_mnemonic(mnemonic)
    salt = "mnemonic" + unicodedata.normalize("NFKD", passphrase)
    return hashlib.pbkdf2_hmac("sha512", words.encode(), salt.encode(), 2048)
