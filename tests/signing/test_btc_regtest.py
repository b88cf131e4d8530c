"""A regtest chain built block by block under libbitcoinkernel's chainstate manager:
a coinbase funds the vault, 100 blocks mature it, and the desk's release transaction
(two parties' signatures) is accepted in the next block; a one-signature release is not.

Blocks are assembled here (BIP-34 height, merkle root, BIP-141 witness commitment,
regtest proof of work); everything about validity is Bitcoin Core's decision.
"""

from __future__ import annotations

import contextlib
import hashlib
import struct
from decimal import Decimal
from pathlib import Path

import pbk
from embit.psbt import PSBT
from embit.script import Script, Witness
from embit.transaction import Transaction, TransactionInput, TransactionOutput

from signing.bitcoin import spend
from signing.bitcoin.vault import vault_from_keys
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL, TEST_MNEMONIC_ZOO
from tests.btc_support import account_key, root_of

SEEDS = {"regulator": TEST_MNEMONIC_ZOO, "custodian": TEST_MNEMONIC_ALL,
         "exchange": TEST_MNEMONIC_ABANDON}
GENESIS = bytes.fromhex("0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206")[::-1]
GENESIS_TIME = 1296688602
BITS = 0x207FFFFF
TARGET = 0x7FFFFF << (8 * (0x20 - 3))
SUBSIDY = 50 * 100_000_000
ANYONE = Script(b"\x51")  # OP_TRUE


def sha256d(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def merkle(hashes: list[bytes]) -> bytes:
    level = list(hashes)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [sha256d(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def height_push(height: int) -> bytes:
    if height <= 16:
        return bytes([0x50 + height])
    raw = height.to_bytes((height.bit_length() + 8) // 8, "little")
    return bytes([len(raw)]) + raw


def coinbase(height: int, script: Script, txs: list[Transaction]) -> Transaction:
    vin = TransactionInput(b"\x00" * 32, 0xFFFFFFFF, Script(height_push(height) + b"\x00"))
    outs = [TransactionOutput(SUBSIDY, script)]
    if any(any(i.witness.items for i in tx.vin) for tx in txs):
        wtxids = [b"\x00" * 32] + [sha256d(tx.serialize()) for tx in txs]
        commitment = sha256d(merkle(wtxids) + b"\x00" * 32)
        outs.append(TransactionOutput(0, Script(b"\x6a\x24\xaa\x21\xa9\xed" + commitment)))
        vin.witness = Witness([b"\x00" * 32])
    return Transaction(version=2, vin=[vin], vout=outs, locktime=0)


def block(prev: bytes, height: int, script: Script, txs: list[Transaction]) -> tuple[bytes, bytes]:
    """(raw block, its hash in internal byte order)."""
    cb = coinbase(height, script, txs)
    all_txs = [cb, *txs]
    root = merkle([tx.txid()[::-1] for tx in all_txs])
    for nonce in range(1 << 20):
        header = struct.pack("<I", 0x20000000) + prev + root + struct.pack(
            "<III", GENESIS_TIME + height * 600, BITS, nonce
        )
        digest = sha256d(header)
        if int.from_bytes(digest, "little") <= TARGET:
            break
    body = bytes([len(all_txs)]) + b"".join(tx.serialize() for tx in all_txs)
    return header + body, digest


def test_the_release_is_mined_on_a_regtest_chain(tmp_path: Path) -> None:
    vault = vault_from_keys("regtest", [(p, account_key(m)) for p, m in SEEDS.items()], "test")
    chain = pbk.load_chainman(tmp_path / "regtest", pbk.ChainType.REGTEST)
    where = vault.address(0)
    raw, tip = block(GENESIS, 1, Script(where.script_pubkey), [])
    chain.process_block(pbk.Block(raw))
    funding = coinbase(1, Script(where.script_pubkey), [])
    for height in range(2, 102):  # coinbase maturity: 100 confirmations
        raw, tip = block(tip, height, ANYONE, [])
        chain.process_block(pbk.Block(raw))
    assert chain.get_active_chain().height == 101

    coin = spend.check_coin(vault, funding.txid().hex(), 0, SUBSIDY, funding.serialize())
    psbt = spend.build_spend(
        vault, [coin], "tb1qqzv60m9ajw8drqulta4ld4gfx0rdh82un5s65s", Decimal(2)
    )
    unsigned = psbt.to_string()

    # one party's signature only (finalised by hand): Bitcoin Core refuses the block
    one = PSBT.from_string(unsigned)
    one.sign_with(root_of(SEEDS["regulator"]))
    tx_one = Transaction.parse(psbt.tx.serialize())
    sig = next(iter(one.inputs[0].partial_sigs.values()))
    tx_one.vin[0].witness = Witness([b"", bytes(sig), where.witness_script])
    bad, _ = block(tip, 102, ANYONE, [tx_one])
    with contextlib.suppress(pbk.ProcessBlockException):  # refused, or stored unconnected
        chain.process_block(pbk.Block(bad))
    assert chain.get_active_chain().height == 101

    base = spend.parse_psbt(unsigned)
    for party in ("regulator", "exchange"):
        copy = PSBT.from_string(unsigned)
        copy.sign_with(root_of(SEEDS[party]))
        spend.merge_signatures(base, copy, vault)
    release = Transaction.parse(spend.finalize(base, vault))
    good, _ = block(tip, 102, ANYONE, [release])
    chain.process_block(pbk.Block(good))
    assert chain.get_active_chain().height == 102
