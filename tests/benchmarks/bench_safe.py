"""A SafeTx signed through the desk vs bare trezorlib; the Safe's execution on a local EVM.

    python tests/benchmarks/bench_safe.py [--rounds N]

One run, one emulator (in-process threads, auto-approve), one local chain:

* trezorlib sign_typed_data: stock ``trezorlib.ethereum.sign_typed_data`` of the
  SafeTx's EIP-712 data on an open session (the baseline: 2 struct requests, 12 value
  requests and the button, ~16 round trips);
* desk sign (driver): ``TrezorSigner.sign_typed_data`` on the same open link: typed
  data checked, hashes computed (eth-account), the device's address read, the
  flow, the signature recovered and compared;
* desk sign (service): ``safe_orders.sign_safe_tx``'s device part as the CLI runs it
  (``run_on_device``: open, handshake, sign, close on the device thread) — reported,
  not the goal (it includes connecting);
* execTransaction on the EVM: the desk's calldata sent as a transaction to the real
  Safe v1.4.1 on eth-tester/py-evm (signature checks, nonce, token transfer, mining);
* eth_call of the same calldata: the bare EVM execution without a transaction.

Goal (issue 11): desk sign (driver) <= 1.5 x trezorlib sign_typed_data.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for extra in (ROOT, ROOT / "tests" / "e2e"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

ETH_PATH = "m/44'/60'/0'/0/0"
ADDRESS_N = [0x8000002C, 0x8000003C, 0x80000000, 0, 0]
RELEASE = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4"
GOAL = 1.5


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def row(name: str, times: list[float]) -> float:
    median = statistics.median(times)
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    print(f"{name:<34} {median:>8.2f} {p95:>8.2f} {len(times):>6}")
    return median


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()

    from safe_chain import SafeChain
    from trezorlib import ethereum
    from trezorlib.client import AppManifest, get_client
    from trezorlib.transport import get_transport

    from app.domain.safe_tx import SafeTx, token_units, unfreeze_safe_tx
    from app.services.device_access import run_on_device
    from signing.devices.trezor import TrezorSigner
    from signing.emulator.hsm import SoftHsm
    from signing.emulator.main import start_emulator
    from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ZOO
    from signing.interface import NullInteraction

    with start_emulator(trezor_port=0) as emu:
        others = [SoftHsm(TEST_MNEMONIC_ABANDON), SoftHsm(TEST_MNEMONIC_ZOO)]
        owners = [emu.hsm.eth_address(ETH_PATH)] + [h.eth_address(ETH_PATH) for h in others]
        chain = SafeChain(owners, decimals=6, supply=Decimal("1000000"))

        def safe_tx(quantity: str, nonce: int) -> SafeTx:
            return unfreeze_safe_tx(
                chain_id=chain.chain_id,
                safe=chain.safe_address,
                token=chain.token.address,
                recipient=RELEASE,
                units=token_units(Decimal(quantity), 6),
                nonce=nonce,
            )

        data = safe_tx("1.5", 0).typed_data()

        transport = get_transport(emu.trezor_uri.removeprefix("trezor:"), prefix_search=False)
        transport.open()
        session = get_client(AppManifest(app_name="bench"), transport).get_session()
        signer = TrezorSigner.from_uri(emu.trezor_uri)
        signer.open(NullInteraction())

        def bare() -> None:
            ethereum.sign_typed_data(session, ADDRESS_N, data)

        def desk() -> None:
            signer.sign_typed_data(ETH_PATH, data, shown="bench")

        def service() -> None:
            asyncio.run(
                run_on_device(
                    emu.trezor_uri,
                    lambda s, _i: s.sign_typed_data(ETH_PATH, data, shown="bench"),
                    NullInteraction(),
                )
            )

        for fn in (bare, desk):  # warm up both paths
            fn()
        # interleave the two so that machine noise hits both alike
        bare_times: list[float] = []
        desk_times: list[float] = []
        for _ in range(args.rounds):
            bare_times += timed(bare, 1)
            desk_times += timed(desk, 1)
        service_times = timed(service, max(10, args.rounds // 5))
        signer.close()
        transport.close()

        # the EVM: one fully signed SafeTx per nonce, prepared before timing
        calls = []
        for nonce in range(args.rounds):
            at = safe_tx("0.01", nonce)
            sigs = {
                owners[0]: emu.hsm.sign_eth_digest(ETH_PATH, at.safe_tx_hash),
                owners[1]: others[0].sign_eth_digest(ETH_PATH, at.safe_tx_hash),
            }
            calls.append(at.exec_transaction(sigs, owners, 2)["calldata"])
        call_times = []
        exec_times = []
        for calldata in calls:
            call_times += timed(lambda c=calldata: chain.eth_call(c), 1)  # type: ignore[misc]
            start = time.perf_counter()
            if not chain.broadcast(calldata):
                raise SystemExit("execTransaction reverted")
            exec_times.append((time.perf_counter() - start) * 1000)
        moved = chain.balance(RELEASE)
        chain.close()

    print(f"{'operation':<34} {'median':>8} {'p95':>8} {'n':>6}   (ms)")
    base = row("trezorlib sign_typed_data", bare_times)
    mine = row("desk sign (driver)", desk_times)
    row("desk sign (service, connects)", service_times)
    row("execTransaction on the EVM", exec_times)
    row("eth_call of the same calldata", call_times)
    ratio = mine / base
    print(
        f"\ndesk / trezorlib: {ratio:.2f} (goal <= {GOAL}); {len(calls)} executions moved "
        f"{moved} units ({len(calls)} x 10000 expected)"
    )
    return 0 if ratio <= GOAL and moved == len(calls) * 10000 else 1


if __name__ == "__main__":
    raise SystemExit(main())
