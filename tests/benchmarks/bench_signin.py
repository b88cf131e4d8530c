"""Officer sign-in round trip on the emulator vs a bare trezorlib ``sign_message`` of the
same challenge against the same emulator, in one run.

    python tests/benchmarks/bench_signin.py [--rounds N] [--in-process]

* bare: stock trezorlib ``btc.sign_message`` (one open session) of a rendered
  ``CDESK-SIGNIN/1`` line, auto-approved: the device work a sign-in cannot avoid;
* sign-in, connection kept open: ``SigninService.sign_in`` — issue the challenge (one
  store transaction), check on the device thread that the officer's device holds the
  registered key, sign, verify, open the session (a second transaction with its audit
  entry) — over a device connection opened once, like the bare call's;
* sign-in, end to end: the same, opening the device through the desk's driver as the
  desk does for every device operation (``run_on_device``: open, use, close).

Goal (issue 13): sign-in <= 1.5 x bare. Rounds alternate so all see the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
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
            store = open_store(Path(tmp) / "desk.sqlite3")
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

            def bare() -> None:
                btc.sign_message(session, "Bitcoin", address_n, line)

            def sign_in() -> None:
                opened = asyncio.run(service.sign_in("alice", uri, NullInteraction()))
                assert opened.live.officer == "alice"

            kept = KeptOpen(open_signer(uri))
            kept_service = SigninService(store, workstation="ws-bench",
                                         signer_factory=lambda _uri: kept)

            def sign_in_kept() -> None:
                opened = asyncio.run(kept_service.sign_in("alice", uri, NullInteraction()))
                assert opened.live.officer == "alice"

            for _ in range(5):  # warm-up: imports, first connections
                bare()
                sign_in()
                sign_in_kept()
            bare_ms: list[float] = []
            signin_ms: list[float] = []
            kept_ms: list[float] = []
            for _ in range(args.rounds):
                for fn, samples in ((bare, bare_ms), (sign_in_kept, kept_ms),
                                    (sign_in, signin_ms)):
                    t0 = time.perf_counter()
                    fn()
                    samples.append((time.perf_counter() - t0) * 1000)
            kept.inner.close()
            client.transport.close()
            store.close()

    where = "in-process threads" if args.in_process else "separate process"
    print(f"Sign-in round trip, emulator in a {where} (auto-approve), {args.rounds} rounds each")
    print(f"challenge: {len(line)} characters: {line}")
    b = statistics.median(bare_ms)
    print(f"{'round trip':<52} {'median ms':>9} {'p90 ms':>8}  ratio")
    for name, samples in (("trezorlib btc.sign_message (bare, session open)", bare_ms),
                          ("sign-in, device connection kept open", kept_ms),
                          ("sign-in end to end (desk opens the device)", signin_ms)):
        median = statistics.median(samples)
        p90 = sorted(samples)[int(len(samples) * 0.9) - 1]
        ratio = "" if samples is bare_ms else f"{median / b:.2f}x" + (
            "" if median / b <= GOAL else f" (goal <= {GOAL}x: missed)")
        print(f"{name:<52} {median:>9.3f} {p90:>8.3f}  {ratio}")


if __name__ == "__main__":
    main()
