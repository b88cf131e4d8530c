"""`custody-desk self-test`: a headless check that this installation can do its job.

It loads the shipped resources and translations, opens a temporary store and
imports the demo data into it, and runs a signing round trip (Trezor and
Coldcard protocols) against an in-process emulator bound to loopback and a
temporary socket. It prints one line per check and exits 0 only if all passed.
The emulator started here is internal to the check and stops before the command
returns; it never serves as a signing device for the desk.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import __version__, build_info

SELF_TEST_TEXT = "CDESK-SELFTEST/1 env=test purpose=self-test"
SELF_TEST_PATH = "m/44'/0'/0'/0/0"


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "self-test",
        help="check resources, translations, a temporary store and a signing round trip",
    )
    parser.set_defaults(handler=run_self_test)


def check_resources() -> str:
    from app.domain.assets import AssetCatalogue
    from app.domain.snapshot import parse_snapshot
    from app.resources_path import resource_path

    catalogue = AssetCatalogue.load_default()
    snapshot = parse_snapshot(resource_path("demo", "snapshot.json").read_bytes(), catalogue)
    return f"{len(list(catalogue))} assets, demo data with {len(snapshot.clients)} clients"


def check_translations() -> str:
    from app.ui.translations_check import loadable_translations  # Qt stays in app/ui

    loaded = loadable_translations()
    return "languages: en (source), " + ", ".join(code for code in loaded if code != "en")


def check_store(workdir: Path) -> str:
    from app.services.audit import AuditService
    from app.services.demo import load_demo_if_empty
    from app.services.holdings import HoldingsService
    from app.store.sqlite_store import open_store

    store = open_store(workdir / "self-test.sqlite3")
    try:
        load_demo_if_empty(store)
        clients = len(HoldingsService(store).holdings())
        report = AuditService(store).verify()
        if not report.ok:
            raise RuntimeError("the audit chain of a fresh store does not verify")
        if clients == 0:
            raise RuntimeError("the demo data did not load")
        return f"{clients} clients, {report.entry_count} audit entries verified"
    finally:
        store.close()


def check_signing(workdir: Path) -> str:
    from signing.device_thread import DeviceThread

    thread = DeviceThread()
    results: list[str] = []
    try:
        _sign_with_each(thread, workdir, results)
    finally:
        thread.shutdown()
    return "signed and verified: " + ", ".join(results)


def _sign_with_each(thread: Any, workdir: Path, results: list[str]) -> None:
    from signing.emulator.main import start_emulator
    from signing.interface import NullInteraction
    from signing.registry import open_signer
    from signing.verify import verify_message

    with start_emulator(trezor_port=0, coldcard_socket=str(workdir / "cc.sock")) as emu:
        for uri in (emu.trezor_uri, emu.coldcard_uri):
            signer = open_signer(uri)

            def round_trip(signer: Any = signer) -> Any:
                signer.open(NullInteraction())
                try:
                    return signer.sign_message(SELF_TEST_PATH, SELF_TEST_TEXT)
                finally:
                    signer.close()

            started = time.perf_counter()
            signature = thread.submit(round_trip).result(timeout=30)
            elapsed_ms = (time.perf_counter() - started) * 1000
            if not verify_message(signature.address, SELF_TEST_TEXT, signature.signature):
                raise RuntimeError(f"the signature from {uri} does not verify")
            results.append(f"{uri.split(':')[0]} {elapsed_ms:.0f} ms")


# A checksummed address (EIP-55's own example): the self-test's SafeTx goes nowhere.
SELF_TEST_SAFE = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"


def check_chains() -> str:
    """The on-chain libraries load and compute: a frozen build must carry their native parts
    (libsecp256k1 through coincurve, Keccak/EIP-712 through eth-account, embit's descriptors)."""
    import coincurve
    from embit.descriptor import Descriptor
    from embit.networks import NETWORKS

    from app.domain.safe_tx import SafeTx

    keys = [coincurve.PrivateKey() for _ in range(3)]  # throwaway, never stored
    digest = SafeTx(
        chain_id=1, safe=SELF_TEST_SAFE, to=SELF_TEST_SAFE, value=0, data=b"", nonce=0
    ).safe_tx_hash
    signature = keys[0].sign_recoverable(digest, hasher=None)
    if coincurve.PublicKey.from_signature_and_message(signature, digest, hasher=None) != (
        keys[0].public_key
    ):
        raise RuntimeError("a secp256k1 signature over a SafeTx hash does not recover its key")
    pubs = ",".join(k.public_key.format().hex() for k in keys)
    address = Descriptor.from_string(f"wsh(sortedmulti(2,{pubs}))").address(NETWORKS["test"])
    if not address.startswith("tb1q"):
        raise RuntimeError(f"a 2-of-3 vault descriptor gave {address!r}")
    return "SafeTx hash signed and recovered, 2-of-3 P2WSH address derived"


def run_self_test(args: argparse.Namespace) -> int:
    print(f"custody-desk {__version__} ({build_info.build_kind()} build) self-test")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="custody-desk-self-test-") as tmp:
        workdir = Path(tmp)
        checks: list[tuple[str, Callable[[], str]]] = [
            ("resources", check_resources),
            ("translations", check_translations),
            ("store", lambda: check_store(workdir)),
            ("signing", lambda: check_signing(workdir)),
            ("chains", check_chains),
        ]
        for name, check in checks:
            try:
                detail = check()
            except Exception as exc:  # a self-test reports every failure, whatever its type
                failures += 1
                print(f"FAIL {name}: {type(exc).__name__}: {exc}")
            else:
                print(f"ok   {name}: {detail}")
    print("self-test passed" if failures == 0 else f"self-test FAILED ({failures} checks)")
    return 0 if failures == 0 else 1
