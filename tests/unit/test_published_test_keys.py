"""The shipped list of published test-seed keys equals what the seeds derive."""

from __future__ import annotations

from published_test_keys import TARGET, published, render

from app.documents import testseed_keys as test_keys
from signing.crypto import bip32, bip39
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONICS


def test_the_shipped_list_is_the_derivation() -> None:
    assert TARGET.read_text() == render()  # regenerate with: published_test_keys.py --write
    fingerprints, digests, addresses = published()
    assert frozenset(fingerprints) == test_keys.TEST_FINGERPRINTS
    assert frozenset(digests) == test_keys.TEST_KEY_DIGESTS
    assert frozenset(addresses) == test_keys.TEST_ETH_ADDRESSES
    assert len(digests) > 24_000 and len(addresses) > 500


# the edges of every covered range (tests/unit/published_test_keys.py), for every seed
COVERED = (
    "m/0'", "m/9", "m/44'/0'/0'/0/0", "m/44'/0'/9'/1/19", "m/49'/1'/9'/0/19",
    "m/84'/0'/0'", "m/84'/1'/5'/1", "m/86'/0'/9'/1/19", "m/44'/2'/9'/0/19",
    "m/44'/3'/0'/0/0", "m/48'/0'/9'/1'/1/19", "m/48'/1'/0'/2'", "m/48'/1'/2'/2'/0/4",
    "m/44'/60'/0'", "m/44'/60'/0'/0/99", "m/44'/60'/19'/0/0", "m/44'/60'/0'/19",
)
# just outside them: documented as not recognised by the key's bytes alone
OUTSIDE = ("m/44'/0'/10'/0/0", "m/84'/0'/0'/0/20", "m/48'/0'/0'/3'/0/0", "m/44'/5'/0'/0/0",
           "m/44'/60'/0'/0/100", "m/10'", "m/7'/1/2")


def test_every_covered_path_of_every_seed_is_refused_as_typed_in_hex() -> None:
    for words in TEST_MNEMONICS:
        hsm = SoftHsm(words)
        for path in COVERED:
            key = hsm.get_public_key(path)
            assert test_keys.why_test_key(key.pubkey) == (
                "it is derived from a published test seed"), (words[:12], path)
        for path in OUTSIDE:
            key = hsm.get_public_key(path)
            assert test_keys.why_test_key(key.pubkey) is None, path  # the documented gap
            # ...which the device's fingerprint (read with the key) still closes
            assert test_keys.why_test_key(key.pubkey, hsm.fingerprint()) is not None


def test_master_keys_are_refused_too() -> None:
    for words in TEST_MNEMONICS:
        master = bip32.master_key(bip39.mnemonic_to_seed(words))
        assert test_keys.is_published_test_key(master.public_key)


def test_every_seed_safe_owner_address_is_caught_typed_in() -> None:
    for words in TEST_MNEMONICS:
        for path in ("m/44'/60'/0'/0/0", "m/44'/60'/0'/0/99", "m/44'/60'/19'/0/0",
                     "m/44'/60'/0'/19"):
            address = SoftHsm(words).eth_address(path)
            for typed in (address, address.lower()):
                assert test_keys.why_test_key(b"", eth_address=typed) == (
                    f"{typed} is a published test seed's Ethereum address"
                )
    nobody = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4"  # not a test seed's
    assert test_keys.why_test_key(b"", eth_address=nobody) is None


def test_every_seed_is_caught_by_fingerprint_and_key() -> None:
    for words in TEST_MNEMONICS:
        hsm = SoftHsm(words)
        assert test_keys.is_test_fingerprint(hsm.fingerprint())
        for path in ("m/44'/0'/0'/0/0", "m/84'/0'/3'/1/7", "m/48'/1'/2'/2'/0/4"):
            key = hsm.get_public_key(path)
            assert test_keys.why_test_key(key.pubkey) == "it is derived from a published test seed"
    # a key nobody published is not test material
    assert test_keys.why_test_key(bytes.fromhex("02" + "79be667e" * 8)) is None
