"""Benchmark: the signing library's crypto core (SoftHsm signing and verification).

Run: ``.venv/bin/python tests/benchmarks/bench_crypto.py [N]``.
Prints a table of median microseconds per operation; a figure to record, not a test.
"""

from __future__ import annotations

import hashlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from signing.crypto import bip32, bip39, secp256k1  # noqa: E402
from signing.emulator.hsm import SoftHsm  # noqa: E402
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL  # noqa: E402
from signing.verify import verify_der_sha256, verify_message, verify_message_pubkey  # noqa: E402

PATH = "m/44'/0'/0'/0/0"


def _median_us(fn: Callable[[int], object], n: int) -> float:
    samples = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    hsm = SoftHsm()
    info = hsm.get_public_key(PATH)
    signed = [hsm.sign_message(PATH, f"statement {i}") for i in range(n)]
    master = bip32.master_key(bip39.mnemonic_to_seed(TEST_MNEMONIC_ALL))
    der_key = secp256k1.encode_point(secp256k1.decode_point(info.pubkey), compressed=False)
    text = [f"statement {i}" for i in range(n)]
    tiny_der = b"0\x06\x02\x01\x01\x02\x01\x01"
    digest = hashlib.sha256(b"x").digest()
    words = TEST_MNEMONIC_ALL
    rows = [
        ("BIP-39 seed (PBKDF2 2048)", _median_us(lambda i: bip39.mnemonic_to_seed(words), 20)),
        ("BIP-32 derive m/0/i (from master)", _median_us(lambda i: master.derive(f"m/0/{i}"), n)),
        ("SoftHsm sign_message", _median_us(lambda i: hsm.sign_message(PATH, f"s {i}"), n)),
        (
            "verify_message_pubkey",
            _median_us(
                lambda i: verify_message_pubkey(info.pubkey, text[i], signed[i].signature), n
            ),
        ),
        (
            "verify_message (address, recovery)",
            _median_us(lambda i: verify_message(info.address, text[i], signed[i].signature), n),
        ),
        (
            "verify_der_sha256 (rejects)",
            _median_us(lambda i: verify_der_sha256(der_key, digest, tiny_der), n),
        ),
    ]
    print(f"crypto benchmark, N={n} (median per operation)")
    print(f"{'operation':<40} {'us':>10}")
    for name, micros in rows:
        print(f"{name:<40} {micros:>10.1f}")


if __name__ == "__main__":
    main()
