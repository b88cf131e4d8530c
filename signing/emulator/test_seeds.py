"""TEST-ONLY SEEDS. NEVER USE FOR REAL FUNDS OR REAL ATTESTATIONS.

These are the public BIP-39 test mnemonics used by trezor-firmware's device tests
and by the BIP-39 reference vectors. Anyone can derive every key from them.
They exist so the software HSM emulator and the tests produce reproducible
signatures. No production code path may default to them: only
``signing.emulator`` and ``tests`` import this module.
"""

from __future__ import annotations

from typing import Final

TEST_MNEMONIC_ALL: Final = " ".join(["all"] * 12)
"""trezor-firmware's standard device-test seed (fingerprint 5c9e228d)."""

TEST_MNEMONIC_ABANDON: Final = " ".join(["abandon"] * 11 + ["about"])
"""The first BIP-39 reference vector (entropy all zero)."""

TEST_MNEMONIC_ZOO: Final = " ".join(["zoo"] * 11 + ["wrong"])
"""The BIP-39 reference vector with entropy all 0xff."""

TEST_MNEMONIC_LEGAL: Final = (
    "legal winner thank year wave sausage worth useful legal winner thank yellow"
)
"""The BIP-39 reference vector with entropy 0x7f7f..."""

TEST_MNEMONICS: Final = (
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_ABANDON,
    TEST_MNEMONIC_ZOO,
    TEST_MNEMONIC_LEGAL,
)
