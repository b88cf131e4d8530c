"""Malformed PSBTs: every truncation, every bit flip of a real release PSBT, and 10,000
generated inputs are each refused with ``PsbtError`` (never another exception), and a
copy that still parses never adds a signature that does not verify or changes the
transaction."""

from __future__ import annotations

import base64
import random
from decimal import Decimal

import pytest
from embit.psbt import PSBT

from signing.bitcoin import spend
from signing.bitcoin.errors import PsbtError
from signing.bitcoin.vault import Vault, vault_from_keys
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL, TEST_MNEMONIC_ZOO
from tests.btc_support import RELEASE_ADDRESS, account_key, funding_tx, root_of

SEEDS = {"regulator": TEST_MNEMONIC_ZOO, "custodian": TEST_MNEMONIC_ALL,
         "exchange": TEST_MNEMONIC_ABANDON}


@pytest.fixture(scope="module")
def signed() -> tuple[Vault, bytes, bytes]:
    vault = vault_from_keys("fuzz", [(p, account_key(m)) for p, m in SEEDS.items()], "test")
    fund = funding_tx([(vault.address(0).script_pubkey, 50_000)])
    coin = spend.check_coin(vault, fund.txid().hex(), 0, 50_000, fund.serialize())
    psbt = spend.build_spend(vault, [coin], RELEASE_ADDRESS, Decimal(2))
    base = bytes(psbt.serialize())
    psbt.sign_with(root_of(SEEDS["custodian"]))
    return vault, base, bytes(psbt.serialize())


def _check(vault: Vault, base: bytes, data: bytes | str) -> str:
    """'refused' or 'accepted'; anything but PsbtError fails the test."""
    try:
        copy = spend.parse_psbt(data)
        target = PSBT.parse(base)
        added = spend.merge_signatures(target, copy, vault)
    except PsbtError:
        return "refused"
    assert target.tx.serialize() == PSBT.parse(base).tx.serialize()
    where = spend.check_release(target, vault)
    for new in added:
        assert spend.signature_ok(target, new.input_index, new.pubkey, new.signature,
                                  where[new.input_index])
    return "accepted"


def test_every_truncation_is_refused(signed: tuple[Vault, bytes, bytes]) -> None:
    vault, base, data = signed
    for n in range(len(data)):
        assert _check(vault, base, data[:n]) == "refused", n
    assert _check(vault, base, data) == "accepted"


def test_every_bit_flip_is_refused_or_harmless(signed: tuple[Vault, bytes, bytes]) -> None:
    vault, base, data = signed
    outcomes = {"refused": 0, "accepted": 0}
    for i in range(len(data)):
        for bit in range(8):
            flipped = bytearray(data)
            flipped[i] ^= 1 << bit
            outcomes[_check(vault, base, bytes(flipped))] += 1
    # a flip in a signature, a script, an amount, a txid: refused; only a few
    # flips in fields the desk does not use (BIP-32 paths of others, say) pass
    assert outcomes["refused"] > 0.9 * 8 * len(data), outcomes


def test_ten_thousand_generated_inputs_are_typed_errors(
    signed: tuple[Vault, bytes, bytes],
) -> None:
    vault, base, data = signed
    rng = random.Random(1212)
    for _ in range(10_000):
        mode = rng.random()
        if mode < 0.3:
            sample = b"psbt\xff" + rng.randbytes(rng.randint(0, 300))
        elif mode < 0.6:  # splice: a real prefix, random middle, a real suffix
            a, b = sorted(rng.sample(range(len(data)), 2))
            sample = data[:a] + rng.randbytes(rng.randint(0, 40)) + data[b:]
        elif mode < 0.8:
            sample = base64.b64encode(rng.randbytes(rng.randint(0, 200)))
        else:
            sample = bytes(rng.choice(b"cHNidP8/+=AZaz09\n ") for _ in range(rng.randint(0, 80)))
        result = _check(vault, base, sample.decode("latin-1") if mode >= 0.6 else sample)
        assert result in ("refused", "accepted")
