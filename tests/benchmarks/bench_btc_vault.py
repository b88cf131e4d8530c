"""A 50-input vault release: build, sign by two parties on the emulator, finalise, verify.

    python tests/benchmarks/bench_btc_vault.py [--inputs N] [--rounds N]

Each step is timed beside its bare library floor, the same PSBT operation called
directly:

* build: the desk's ``check_coin`` for every coin + ``build_spend`` (checks, BIP-69
  order, fee, witness scripts, derivations) vs embit's ``PSBT`` filled by hand;
* sign: the desk's ``TrezorSigner.sign_psbt`` (PSBT -> trezorlib arguments, stock
  ``btc.sign_tx``, signatures back into the PSBT) vs a bare trezorlib ``btc.sign_tx``
  with the same prepared arguments against the same emulator; goal <= 1.5x;
* merge: ``merge_signatures`` (transaction and metadata compared, every signature
  verified) vs embit's ``PSBT.parse`` + one ``PublicKey.verify`` per signature;
* finalise: the desk's ``finalize`` (every signature re-verified) vs embit's
  ``finalize_psbt``;
* consensus: libbitcoinkernel's script check of every input (no desk floor: it
  is the floor).

Emulators run in-process (threads), each party on its own public test seed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from embit import ec  # noqa: E402
from embit.finalizer import finalize_psbt  # noqa: E402
from embit.psbt import PSBT, DerivationPath  # noqa: E402
from embit.script import Script  # noqa: E402
from embit.transaction import SIGHASH, Transaction, TransactionInput  # noqa: E402
from embit.transaction import TransactionOutput as TxOut  # noqa: E402
from trezorlib import btc as trezor_btc  # noqa: E402

from signing.bitcoin import spend  # noqa: E402
from signing.bitcoin.vault import vault_from_keys  # noqa: E402
from signing.devices.trezor import TrezorSigner, trezor_sign_request  # noqa: E402
from signing.emulator.main import start_emulator  # noqa: E402
from signing.emulator.test_seeds import (  # noqa: E402
    TEST_MNEMONIC_ABANDON,
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_ZOO,
)
from signing.interface import NullInteraction  # noqa: E402
from tests.btc_support import (  # noqa: E402
    RELEASE_ADDRESS,
    account_key,
    funding_tx,
    kernel_verify,
    spent_outputs,
)

GOAL = 1.5
SEEDS = {"regulator": TEST_MNEMONIC_ZOO, "custodian": TEST_MNEMONIC_ALL,
         "exchange": TEST_MNEMONIC_ABANDON}


def timed(fn: Callable[[], Any], rounds: int) -> tuple[float, Any]:
    """Median wall time in milliseconds and the last result."""
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    n, rounds = args.inputs, args.rounds
    vault = vault_from_keys("bench", [(p, account_key(m)) for p, m in SEEDS.items()], "test")
    funds = [funding_tx([(vault.address(i).script_pubkey, 100_000 + i)], b"b%d" % i)
             for i in range(n)]
    entries = [(f.txid().hex(), 0, f.vout[0].value, bytes(f.serialize())) for f in funds]
    rows: list[tuple[str, float, float]] = []

    def build() -> PSBT:
        coins = [spend.check_coin(vault, t, v, a, p) for t, v, a, p in entries]
        return spend.build_spend(vault, coins, RELEASE_ADDRESS, Decimal(2))

    def bare_build() -> PSBT:
        tx = Transaction(
            version=2,
            vin=[TransactionInput(bytes.fromhex(t), v) for t, v, _a, _p in entries],
            vout=[TxOut(sum(a for _t, _v, a, _p in entries) - 20_000,
                        Script(spend.destination_script(RELEASE_ADDRESS, vault)))],
        )
        psbt = PSBT(tx)
        for i, inp in enumerate(psbt.inputs):
            where = vault.address(i)
            inp.non_witness_utxo = funds[i]
            inp.witness_utxo = funds[i].vout[0]
            inp.witness_script = Script(where.witness_script)
            for pubkey, fp, path in where.keys.values():
                inp.bip32_derivations[ec.PublicKey.parse(pubkey)] = DerivationPath(fp, list(path))
        return psbt

    desk_ms, psbt = timed(build, rounds)
    bare_ms, _ = timed(bare_build, rounds)
    rows.append(("build", desk_ms, bare_ms))
    unsigned = psbt.to_string()

    signed: dict[str, str] = {}
    sign_desk: list[float] = []
    sign_bare: list[float] = []
    for party in ("regulator", "custodian"):
        with start_emulator(trezor_port=0, mnemonic=SEEDS[party], name=party) as emu:
            assert emu.trezor is not None
            signer = TrezorSigner.from_uri("trezor:" + emu.trezor.endpoint)
            identity = signer.open(NullInteraction())
            try:
                ms, signed[party] = timed(lambda s=signer: s.sign_psbt(unsigned), rounds)
                sign_desk.append(ms)
                request = trezor_sign_request(unsigned, bytes.fromhex(identity.master_fingerprint))
                session: Any = signer._session

                def bare(req: Any = request, sess: Any = session) -> Any:
                    return trezor_btc.sign_tx(sess, req.coin, req.inputs, req.outputs,
                                              prev_txes=req.prev_txes, version=req.version,
                                              lock_time=req.lock_time)

                ms, _ = timed(bare, rounds)
                sign_bare.append(ms)
            finally:
                signer.close()
    rows.append(("sign (2 parties)", sum(sign_desk), sum(sign_bare)))

    def merge() -> PSBT:
        base = spend.parse_psbt(unsigned)
        for text in signed.values():
            spend.merge_signatures(base, spend.parse_psbt(text), vault)
        return base

    def bare_merge() -> int:
        count = 0
        for text in signed.values():
            copy = PSBT.from_string(text)
            for i, inp in enumerate(copy.inputs):
                digest = copy.tx.sighash_segwit(i, inp.witness_script, inp.witness_utxo.value,
                                                SIGHASH.ALL)
                for key, sig in inp.partial_sigs.items():
                    count += key.verify(ec.Signature.parse(sig[:-1]), digest)
        return count

    desk_ms, merged = timed(merge, rounds)
    bare_ms, _ = timed(bare_merge, rounds)
    rows.append(("merge + verify sigs", desk_ms, bare_ms))

    desk_ms, raw = timed(lambda: spend.finalize(merged, vault), rounds)
    bare_ms, _ = timed(lambda: finalize_psbt(merged), rounds)
    rows.append(("finalise", desk_ms, bare_ms))

    spent = spent_outputs(merged)
    kernel_ms, verdicts = timed(lambda: kernel_verify(raw, spent), rounds)
    assert verdicts == [True] * n, verdicts
    rows.append(("consensus check", kernel_ms, kernel_ms))

    print(f"{n}-input 2-of-3 P2WSH release, {rounds} rounds, median ms")
    print(f"{'step':<22} {'desk':>10} {'floor':>10} {'ratio':>7}")
    for name, desk, floor in rows:
        print(f"{name:<22} {desk:>10.1f} {floor:>10.1f} {desk / floor:>6.2f}x")
    ratio = sum(sign_desk) / sum(sign_bare)
    print(f"\nsign through the desk / bare trezorlib sign_tx: {ratio:.2f}x (goal <= {GOAL}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
