"""The shipped list of published test-seed keys equals what the seeds derive."""

from __future__ import annotations

from published_test_keys import eth_addresses, published

from app.documents import testseed_keys as test_keys
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONICS


def test_the_shipped_list_is_the_derivation() -> None:
    fingerprints, digests = published()
    assert frozenset(fingerprints) == test_keys.TEST_FINGERPRINTS
    assert frozenset(digests) == test_keys.TEST_KEY_DIGESTS
    assert frozenset(a.lower() for a in eth_addresses()) == test_keys.TEST_ETH_ADDRESSES


def test_every_seed_safe_owner_address_is_caught_typed_in() -> None:
    for words in TEST_MNEMONICS:
        for path in ("m/44'/60'/0'/0/0", "m/44'/60'/0'/0/9"):
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
