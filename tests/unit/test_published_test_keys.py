"""The shipped list of published test-seed keys equals what the seeds derive."""

from __future__ import annotations

from published_test_keys import published

from app.documents import testseed_keys as test_keys
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONICS


def test_the_shipped_list_is_the_derivation() -> None:
    fingerprints, digests = published()
    assert frozenset(fingerprints) == test_keys.TEST_FINGERPRINTS
    assert frozenset(digests) == test_keys.TEST_KEY_DIGESTS


def test_every_seed_is_caught_by_fingerprint_and_key() -> None:
    for words in TEST_MNEMONICS:
        hsm = SoftHsm(words)
        assert test_keys.is_test_fingerprint(hsm.fingerprint())
        for path in ("m/44'/0'/0'/0/0", "m/84'/0'/3'/1/7", "m/48'/1'/2'/2'/0/4"):
            key = hsm.get_public_key(path)
            assert test_keys.why_test_key(key.pubkey) == "it is derived from a published test seed"
    # a key nobody published is not test material
    assert test_keys.why_test_key(bytes.fromhex("02" + "79be667e" * 8)) is None
