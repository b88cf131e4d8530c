"""The published test-seed keys: what a production desk refuses whatever a device says.

The emulator's seeds (``signing.emulator.test_seeds``: trezor-firmware's
``all all …`` and the BIP-39 reference vectors ``abandon …``, ``legal winner …``,
``zoo …``) are public, so every key derived from them is anyone's. Production
refuses them by three marks besides the emulator flag a device reports:

* the master fingerprint of a device (``TEST_FINGERPRINTS``);
* the public key itself, for keys typed in as hex or carried by a keys file:
  the first 6 bytes of SHA-256 of the compressed key, for every key at these
  paths of each seed (``tests/unit/published_test_keys.py`` derives them):

  - the master key ``m`` and the depth-1 keys ``m/0…9`` and ``m/0'…9'``;
  - BIP-44, BIP-49, BIP-84, BIP-86 on coins 0 (Bitcoin) and 1 (every testnet),
    and BIP-44 on coins 2 (Litecoin) and 3 (Dogecoin): accounts ``0'…9'``, each
    account key, its chain keys ``…/0`` and ``…/1``, and addresses ``0…19`` on both;
  - BIP-48 multisig on coins 0 and 1, script types ``1'`` and ``2'``, accounts
    ``0'…9'``: the same account, chain and address keys (the emergency vaults');
  - Ethereum (EIP-44, coin 60): ``m/44'/60'/0'``, ``m/44'/60'/0'/0``, addresses
    ``m/44'/60'/0'/0/0…99`` (MetaMask, Trezor Suite, the desk's Safe owners),
    ``m/44'/60'/0…19'/0/0`` (Ledger Live) and ``m/44'/60'/0'/0…19`` (legacy MEW);

  which is every path the desk, its demo and the emulator's tests use
  (``m/44'/0'/0'/0/0`` for officers and the exchange simulator, ``m/44'/60'/0'/0/0``
  for Safe owners, the BIP-48 vault paths). A 48-bit prefix makes a false match
  of someone's real key about 1 in 10^10 (24,724 listed keys / 2^48);
* the Ethereum address, for a Safe owner typed in as an address
  (``TEST_ETH_ADDRESSES``: the Ethereum address paths above; addresses are
  public, listed as they are).

**Why the list cannot be complete for raw hex keys.** A BIP-32 seed has 2^31
hardened and 2^31 normal children at every level, to any depth: a test seed's
key at ``m/44'/0'/12345'/0/7`` or ``m/7'/1/2`` is as public as the listed ones,
but deciding whether a bare public key comes from a given seed means searching
its whole tree, which no list or computation can do. So a hex key from a test
seed at a path outside the ranges above is *not* recognised by its bytes. What
still catches it: a key read from a device carries the device's master
fingerprint (a test seed's is refused) and the emulator's flag; a production
desk should register keys from the device, not as typed-in hex. Widening the
ranges is a regeneration (``--write``) and costs about 10 bytes per key here.

Generated data: :mod:`app.documents.testseed_data` (only digests of public keys
and public addresses; no seed is carried); ``tests/unit/test_published_test_keys.py``
checks it still equals the derivation and that every covered path is caught.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Final

from app.documents import testseed_data

DIGEST_BYTES: Final = testseed_data.DIGEST_BYTES

TEST_FINGERPRINTS: Final = frozenset(testseed_data.FINGERPRINTS)


def _digests() -> frozenset[bytes]:
    packed = base64.b64decode("".join(testseed_data.KEY_DIGESTS_B64), validate=True)
    size = DIGEST_BYTES
    return frozenset(packed[i : i + size] for i in range(0, len(packed), size))


TEST_KEY_DIGESTS: Final = _digests()
TEST_ETH_ADDRESSES: Final = frozenset(a.lower() for a in testseed_data.ETH_ADDRESSES)


def is_test_fingerprint(fingerprint: str) -> bool:
    """True for the master fingerprint of a published test seed."""
    return fingerprint.strip().lower() in TEST_FINGERPRINTS


def is_published_test_key(pubkey: bytes) -> bool:
    """True for a compressed public key of a published test seed at a covered path."""
    return hashlib.sha256(pubkey).digest()[:DIGEST_BYTES] in TEST_KEY_DIGESTS


def is_published_test_address(address: str) -> bool:
    """True for a test seed's Ethereum address at a covered path (any case)."""
    return address.strip().lower() in TEST_ETH_ADDRESSES


def why_test_key(
    pubkey: bytes, fingerprint: str = "", is_emulator: bool = False, *, eth_address: str = ""
) -> str | None:
    """Why this key (or Ethereum owner address) is test material (None: nothing marks it so)."""
    if is_emulator:
        return "it is flagged as a test emulator key"
    if fingerprint and is_test_fingerprint(fingerprint):
        return f"its device (fingerprint {fingerprint}) runs a published test seed"
    if pubkey and is_published_test_key(pubkey):
        return "it is derived from a published test seed"
    if eth_address and is_published_test_address(eth_address):
        return f"{eth_address} is a published test seed's Ethereum address"
    return None
