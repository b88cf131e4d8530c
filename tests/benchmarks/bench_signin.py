"""Officer sign-in round trip on the emulator vs a bare trezorlib ``sign_message`` of the
same challenge against the same emulator, in one run, like for like.

    python tests/benchmarks/bench_signin.py [--rounds N] [--in-process]

Two pairs, each desk row against the bare row that opens the device the same way:

* connection opened per call: bare = stock trezorlib ``get_client`` + ``get_session`` +
  ``btc.sign_message`` + close, per call; desk = ``SigninService.sign_in`` as
  ``custody-desk signin`` runs it (``asyncio.run``; ``run_on_device`` opens, uses and
  closes the device);
* connection kept open: bare = ``btc.sign_message`` on one open session; desk =
  ``sign_in`` over a device connection opened once, on one running event loop (as the
  window runs it).

A desk sign-in = make the challenge (a read transaction: officer active, key not
revoked), check on the device thread that the officer's device holds the registered
key, sign, verify (libsecp256k1), then one durable transaction: nonce used once,
session row, audit entry. Goal (issue 13): desk <= 1.5 x bare. Rounds alternate
so all rows see the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
for extra in (ROOT, ROOT / "tests" / "benchmarks"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from bench_signing import emulator_process, emulator_threads  # noqa: E402

PATH = "m/44'/0'/0'/0/0"
GOAL = 1.5


class KeptOpen:
    """A signer opened once: ``open`` returns its identity again, ``close`` keeps it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.identity: Any = None

    def open(self, interaction: Any) -> Any:
        if self.identity is None:
            self.identity = self.inner.open(interaction)
        return self.identity

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--in-process", action="store_true", help="emulator in threads")
    parser.add_argument("--store-dir", type=Path, default=None,
                        help="where the desk store goes (default: the temp dir); /dev/shm "
                             "shows the desk's own cost without the disk's fsync")
    args = parser.parse_args(sys.argv[1:])

    from trezorlib import btc, tools
    from trezorlib import client as trezor_client
    from trezorlib.transport import get_transport

    from app.services.officers import register_officer
    from app.services.signin import SigninService
    from app.store import open_store
    from signing.interface import NullInteraction
    from signing.registry import open_signer

    with tempfile.TemporaryDirectory(prefix="bench-signin-") as tmp:
        start = emulator_threads if args.in_process else emulator_process
        with start(Path(tmp)) as endpoints:
            store_dir = Path(tempfile.mkdtemp(dir=args.store_dir)) if args.store_dir else Path(tmp)
            store = open_store(store_dir / "desk.sqlite3")
            uri = endpoints.trezor_uri
            asyncio.run(register_officer(store, "alice", "officer", uri, PATH,
                                         interaction=NullInteraction(), actor="bench"))
            service = SigninService(store, workstation="ws-bench")
            line = service.issue_challenge("alice").render()  # the same text, signed bare

            client = trezor_client.get_client(
                trezor_client.AppManifest(app_name="bench"),
                get_transport(uri.removeprefix("trezor:")),
            )
            session = client.get_session()
            address_n = tools.parse_path(PATH)

            def bare_kept() -> None:
                btc.sign_message(session, "Bitcoin", address_n, line)

            def bare_per_call() -> None:
                fresh = trezor_client.get_client(
                    trezor_client.AppManifest(app_name="bench"),
                    get_transport(uri.removeprefix("trezor:")),
                )
                try:
                    btc.sign_message(fresh.get_session(), "Bitcoin", address_n, line)
                finally:
                    fresh.transport.close()

            def sign_in_per_call() -> None:  # as the CLI: one asyncio.run, device opened
                opened = asyncio.run(service.sign_in("alice", uri, NullInteraction()))
                assert opened.live.officer == "alice"

            kept = KeptOpen(open_signer(uri))
            kept_service = SigninService(store, workstation="ws-bench",
                                         signer_factory=lambda _uri: kept)
            loop = asyncio.new_event_loop()  # as the window: one loop, running throughout

            def sign_in_kept() -> None:
                opened = loop.run_until_complete(
                    kept_service.sign_in("alice", uri, NullInteraction()))
                assert opened.live.officer == "alice"

            rows = (
                ("bare trezorlib, client opened per call", bare_per_call),
                ("desk sign-in, device opened per call", sign_in_per_call),
                ("bare trezorlib btc.sign_message, session open", bare_kept),
                ("desk sign-in, device connection kept open", sign_in_kept),
            )
            samples: dict[str, list[float]] = {name: [] for name, _ in rows}
            # each pair alternates its two rows; the pairs run one after the other, as a
            # per-call client's handshake (Initialize) ends the emulator's open sessions
            for pair in (rows[:2], rows[2:]):
                for _ in range(5):  # warm-up: imports, first connections
                    for _name, fn in pair:
                        fn()
                for _ in range(args.rounds):
                    for name, fn in pair:
                        t0 = time.perf_counter()
                        fn()
                        samples[name].append((time.perf_counter() - t0) * 1000)
            loop.close()
            kept.inner.close()
            client.transport.close()
            store.close()
            if args.store_dir:
                shutil.rmtree(store_dir)

    where = "in-process threads" if args.in_process else "separate process"
    print(f"Sign-in round trip, emulator in a {where} (auto-approve), {args.rounds} rounds each")
    print(f"challenge: {len(line)} characters: {line}")
    where_store = args.store_dir or "the temp dir"
    print(f"store: SQLite in {where_store} (WAL, synchronous=FULL)")
    print(f"{'round trip':<48} {'median ms':>9} {'p90 ms':>8}  ratio")
    names = [name for name, _ in rows]
    for index, name in enumerate(names):
        median = statistics.median(samples[name])
        p90 = sorted(samples[name])[int(len(samples[name]) * 0.9) - 1]
        ratio = ""
        if index % 2:  # a desk row: against the bare row just above it
            r = median / statistics.median(samples[names[index - 1]])
            ratio = f"{r:.2f}x" + ("" if r <= GOAL else f" (goal <= {GOAL}x: missed)")
        print(f"{name:<48} {median:>9.3f} {p90:>8.3f}  {ratio}")


if __name__ == "__main__":
    main()
