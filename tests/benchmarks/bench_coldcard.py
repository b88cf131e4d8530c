"""Coldcard path: sign round trip vs a bare ``ping`` round trip on the emulator.

Desk driver -> Unix datagram socket -> Coldcard-protocol emulator (auto-approve)
in its own process, as testers run it, both over the encrypted link. Prints
medians, p90 and the ratio; also what the emulator's key store alone spends per
signature and what the driver's check of the returned signature costs, to show
where the time goes: a sign needs at least two round trips (``smsg``, ``smok``),
one ECDSA signature on the device and one verification on the host.

Run: ``.venv/bin/python tests/benchmarks/bench_coldcard.py [--rounds N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from signing.devices.coldcard_discovery import signer_for_uri  # noqa: E402
from signing.emulator.coldcard_server import ColdcardServer  # noqa: E402
from signing.emulator.hsm import SoftHsm  # noqa: E402
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL  # noqa: E402
from signing.interface import NullInteraction  # noqa: E402
from signing.verify import verify_message_pubkey  # noqa: E402

PATH = "m/44'/0'/0'/0/0"
TEXT = "Attest client C-001 total 80000000 USDC as of 2026-11-26T08:00Z"


def _timed(fn: Callable[[], object], rounds: int) -> list[float]:
    samples: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def _row(name: str, samples: list[float]) -> str:
    median, p90 = summary_ms(samples)
    return f"{name:<48} {median:>10.3f} {p90:>10.3f} {len(samples):>7}"


_EMULATOR = """
import sys
from signing.emulator.coldcard_server import ColdcardServer
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL
server = ColdcardServer(SoftHsm(TEST_MNEMONIC_ALL, approve="auto"), sys.argv[1])
server.start()
print("ready", flush=True)
sys.stdin.readline()
server.stop()
"""


def summary_ms(samples: list[float]) -> tuple[float, float]:
    """Median and 90th percentile of ``samples`` (seconds), in milliseconds."""
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.9) - 1] * 1000


def measure_uri(uri: str, rounds: int) -> tuple[list[float], list[float]]:
    """Ping and sign round-trip samples (seconds) against the Coldcard at ``uri``.

    Used by ``bench_signing.py``'s Coldcard section too.
    """
    signer = signer_for_uri(uri)
    signer.open(NullInteraction())
    try:
        for _ in range(20):  # warm caches (derived keys, comb tables)
            signer.ping(b"warm")
            signer.sign_message(PATH, TEXT)
        ping = _timed(lambda: signer.ping(b"custody-desk"), rounds)
        sign = _timed(lambda: signer.sign_message(PATH, TEXT), rounds)
    finally:
        signer.close()
    return ping, sign


def run(rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as tmp:
        path = os.path.join(tmp, "ckcc-simulator.sock")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        emulator = subprocess.Popen(
            [sys.executable, "-c", _EMULATOR, path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            assert emulator.stdout is not None and emulator.stdout.readline().strip() == "ready"
            ping, sign = measure_uri(f"coldcard:sock:{path}", rounds)
        finally:
            if emulator.stdin is not None:
                emulator.stdin.close()
            emulator.wait(timeout=10)
        # The same emulator in a thread of this process (as the test suite runs it).
        hsm = SoftHsm(TEST_MNEMONIC_ALL, approve="auto")  # TEST ONLY seed
        server = ColdcardServer(hsm, os.path.join(tmp, "in-process.sock"))
        server.start()
        try:
            ping_in, sign_in = measure_uri(server.uri, rounds)
        finally:
            server.stop()
        hsm_only = _timed(lambda: hsm.sign_message(PATH, TEXT), rounds)
        signed = hsm.sign_message(PATH, TEXT)
        check_only = _timed(
            lambda: verify_message_pubkey(signed.pubkey, TEXT, signed.signature), rounds
        )
    print(f"{'Coldcard emulator (ms)':<48} {'median':>10} {'p90':>10} {'rounds':>7}")
    print(_row("ping round trip (encrypted), emulator process", ping))
    print(_row("sign_message round trip (auto-approve), same", sign))
    print(_row("ping round trip, emulator in-process thread", ping_in))
    print(_row("sign_message round trip, emulator in-process", sign_in))
    print(_row("SoftHsm.sign_message alone (no I/O)", hsm_only))
    print(_row("driver's signature check alone (no I/O)", check_only))
    ratio = statistics.median(sign) / statistics.median(ping)
    print(f"{'ratio sign / ping (medians, emulator process)':<48} {ratio:>10.1f}x  (goal <= 1.5x)")
    return {
        "ping_ms": statistics.median(ping) * 1000,
        "sign_ms": statistics.median(sign) * 1000,
        "ratio": ratio,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args(sys.argv[1:] if __name__ == "__main__" else [])
    run(args.rounds)


if __name__ == "__main__":
    main()
