"""Signing round trips against the emulator, compared with a bare trezorlib ping.

    python tests/benchmarks/bench_signing.py [--rounds N] [--in-process]

By default the emulator runs as its own process (``custody-desk emulator``), as a
tester runs it; ``--in-process`` uses ``start_emulator`` threads instead. Figures:

* trezor ping: ``client.ping()`` of stock trezorlib (one round trip), the baseline;
* trezor ping, button-protected: the same with ButtonRequest/ButtonAck (two round
  trips, the minimum any confirmed operation needs on protocol v1);
* trezor sign: the desk's ``TrezorSigner.sign_message`` -> trezorlib -> emulator with
  auto-approve (two round trips + the emulator's ECDSA + the driver's checks).

Goal (issue 3): sign <= 1.5 x the bare ping. The Coldcard path (``bench_coldcard``
below) measures the desk's Coldcard driver the same way; ``bench_coldcard.py`` breaks
its sign time down further.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PATH = "m/44'/0'/0'/0/0"
TEXT = "ATTEST client=BENCH total=1000 USD"
GOAL = 1.5


@dataclass(frozen=True)
class Endpoints:
    trezor_uri: str  # trezor:udp:127.0.0.1:PORT
    coldcard_uri: str | None  # coldcard:sock:/path


@dataclass(frozen=True)
class Row:
    name: str
    rounds: int
    median_ms: float
    p90_ms: float
    baseline: str | None = None  # the row this one is compared with


def measure(fn: Callable[[], object], rounds: int, warmup: int = 20) -> tuple[float, float]:
    """Median and 90th percentile in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


@contextmanager
def emulator_process(workdir: Path) -> Iterator[Endpoints]:
    """``custody-desk emulator`` on a free port and a private socket path."""
    socket_path = workdir / "cc.sock"
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "emulator", "--trezor-port", "0",
         "--coldcard-socket", str(socket_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        text=True, encoding="utf-8",
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        banner = ""
        while not banner.endswith("Stop with Ctrl-C or SIGTERM.\n"):
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("the emulator did not start")
            banner += line
        trezor = re.search(r"trezor:udp:\S+", banner)
        coldcard = re.search(r"coldcard:sock:\S+", banner)
        assert trezor is not None
        yield Endpoints(trezor.group(0), coldcard.group(0) if coldcard else None)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def emulator_threads(workdir: Path) -> Iterator[Endpoints]:
    from signing.emulator.main import start_emulator

    try:
        emu = start_emulator(trezor_port=0, coldcard_socket=str(workdir / "cc.sock"))
    except ImportError:
        emu = start_emulator(trezor_port=0)
    with emu:
        yield Endpoints(emu.trezor_uri, emu.coldcard_uri if emu.coldcard else None)


# ---- Trezor section ------------------------------------------------------------------


def bench_trezor(endpoints: Endpoints, rounds: int) -> list[Row]:
    """Bare trezorlib ping vs the desk's sign round trip on the same emulator."""
    from trezorlib import client as trezor_client
    from trezorlib.transport import get_transport

    from signing.devices.trezor import TrezorSigner
    from signing.interface import NullInteraction

    udp_path = endpoints.trezor_uri.removeprefix("trezor:")
    client = trezor_client.get_client(
        trezor_client.AppManifest(app_name="bench"), get_transport(udp_path)
    )
    client.get_session()
    ping = measure(lambda: client.ping("bench"), rounds)
    guarded = measure(lambda: client.ping("bench", button_protection=True), rounds)
    client.transport.close()

    signer = TrezorSigner.from_uri(endpoints.trezor_uri)
    signer.open(NullInteraction())
    signer.get_public_key(PATH)  # the desk caches the key after its first use
    sign = measure(lambda: signer.sign_message(PATH, TEXT), rounds)
    signer.close()
    return [
        Row("trezor ping (trezorlib, 1 round trip)", rounds, *ping),
        Row("trezor ping, button-protected (2 round trips)", rounds, *guarded,
            baseline="trezor ping (trezorlib, 1 round trip)"),
        Row("trezor sign (desk -> trezorlib -> emulator)", rounds, *sign,
            baseline="trezor ping (trezorlib, 1 round trip)"),
        Row("trezor sign vs button-protected ping", rounds, *sign,
            baseline="trezor ping, button-protected (2 round trips)"),
    ]  # fmt: skip


# ---- Coldcard section ------------------------------------------------------------------


def bench_coldcard(endpoints: Endpoints, rounds: int) -> list[Row]:
    """Coldcard path: desk ``sign_message`` vs a bare ``ping`` on ``endpoints.coldcard_uri``.

    Both go through the desk's Coldcard driver over the encrypted link (``ncry``). A sign
    is at least two round trips (``smsg``, then ``smok`` polls until the signature) plus
    the emulator's ECDSA and the driver's check of the returned signature, so a second
    baseline is two pings back to back.
    """
    if endpoints.coldcard_uri is None:
        return []
    from signing.devices.coldcard_discovery import signer_for_uri
    from signing.interface import NullInteraction

    signer = signer_for_uri(endpoints.coldcard_uri)
    signer.open(NullInteraction())
    try:
        signer.get_public_key(PATH)  # the driver caches the path's key after its first use
        ping = measure(lambda: signer.ping(b"bench"), rounds)
        two_pings = measure(lambda: (signer.ping(b"bench"), signer.ping(b"bench")), rounds)
        sign = measure(lambda: signer.sign_message(PATH, TEXT), rounds)
    finally:
        signer.close()
    base = "coldcard ping (encrypted, 1 round trip)"
    pair = "coldcard 2 pings (the round trips a sign needs)"
    return [
        Row(base, rounds, *ping),
        Row(pair, rounds, *two_pings, baseline=base),
        Row("coldcard sign (desk -> emulator, smsg + smok)", rounds, *sign, baseline=base),
        Row("coldcard sign vs 2 pings", rounds, *sign, baseline=pair),
    ]


# ---- table -----------------------------------------------------------------------------


def render(rows: list[Row]) -> str:
    by_name = {row.name: row for row in rows}
    width = max(len(row.name) for row in rows)
    lines = [f"{'round trip':<{width}}  {'n':>5}  {'median ms':>9}  {'p90 ms':>8}  ratio"]
    for row in rows:
        ratio = ""
        if row.baseline is not None:
            value = row.median_ms / by_name[row.baseline].median_ms
            ratio = f"{value:.2f}x" + ("" if value <= GOAL else f" (goal <= {GOAL}x: missed)")
        figures = f"{row.rounds:>5}  {row.median_ms:>9.3f}  {row.p90_ms:>8.3f}"
        lines.append(f"{row.name:<{width}}  {figures}  {ratio}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--in-process", action="store_true", help="emulator in threads")
    args = parser.parse_args(sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="bench-signing-") as tmp:
        start = emulator_threads if args.in_process else emulator_process
        with start(Path(tmp)) as endpoints:
            rows = bench_trezor(endpoints, args.rounds)
            rows += bench_coldcard(endpoints, args.rounds)
    where = "in-process threads" if args.in_process else "separate process"
    print(f"Signing round trips, emulator in a {where} (auto-approve), {args.rounds} rounds")
    print(render(rows))


if __name__ == "__main__":
    main()
