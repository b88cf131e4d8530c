"""Derive the published test-seed keys the desk refuses in production.

``PYTHONPATH=. .venv/bin/python tests/unit/published_test_keys.py`` prints the body of
``app/documents/test_keys.py``; ``test_published_test_keys.py`` checks the
shipped module still equals what this derives.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator

from signing.crypto import bip32, bip39
from signing.emulator.test_seeds import TEST_MNEMONICS
from signing.ethereum import address_from_pubkey

DIGEST_HEX = 12


def _paths() -> Iterator[tuple[str, list[int]]]:
    """(account path, children) pairs: the usual single-sig, multisig and Ethereum paths."""
    for purpose in (44, 49, 84, 86):
        for coin in (0, 1):
            for account in range(10):
                yield f"m/{purpose}'/{coin}'/{account}'", [
                    *((0 << 8) | i for i in range(10)), *((1 << 8) | i for i in range(10))
                ]
    for coin in (0, 1):
        for account in range(10):
            yield f"m/48'/{coin}'/{account}'/2'", [i for i in range(10)]
    yield "m/44'/60'/0'", [i for i in range(10)]


def published() -> tuple[list[str], list[str]]:
    """(master fingerprints, digest prefixes of the compressed public keys), sorted."""
    fingerprints: list[str] = []
    digests: set[str] = set()
    for words in TEST_MNEMONICS:
        master = bip32.master_key(bip39.mnemonic_to_seed(words))
        fingerprints.append(master.fingerprint().hex())
        for account_path, children in _paths():
            account = master.derive(account_path)
            branches: dict[int, bip32.ExtendedKey] = {}
            for code in children:
                change, index = code >> 8, code & 0xFF
                branch = branches.get(change)
                if branch is None:
                    branch = branches[change] = account.child(change)
                digests.add(hashlib.sha256(branch.child(index).public_key).hexdigest()[:DIGEST_HEX])
    return sorted(fingerprints), sorted(digests)


def eth_addresses() -> list[str]:
    """The Ethereum (Safe owner) addresses m/44'/60'/0'/0/0-9 of every test seed, sorted."""
    addresses: set[str] = set()
    for words in TEST_MNEMONICS:
        branch = bip32.master_key(bip39.mnemonic_to_seed(words)).derive("m/44'/60'/0'/0")
        addresses.update(address_from_pubkey(branch.child(i).public_key) for i in range(10))
    return sorted(addresses, key=str.lower)


def render() -> str:
    fingerprints, digests = published()
    lines = [" ".join(digests[i : i + 6]) for i in range(0, len(digests), 6)]
    return (
        "TEST_FINGERPRINTS: Final = frozenset({"
        + ", ".join(f'"{f}"' for f in fingerprints)
        + "})\n\n_DIGESTS = \"\"\"\n"
        + "\n".join(lines)
        + '\n"""\n\n_ETH_ADDRESSES = """\n'
        + "\n".join(eth_addresses())
        + '\n"""\n'
    )


if __name__ == "__main__":
    sys.stdout.write(render())
