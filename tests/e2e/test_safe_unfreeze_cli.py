"""The tokenized-asset unfreeze through the CLI, decided by the real Safe contract.

Three parties register their Safe owner addresses from their own emulated Trezors
(three public test seeds); the client's Safe v1.4.1 (2-of-3, safe-eth-py's bytecode on
eth-tester) holds the test BENJI token and is reached through the desk's
``chain.rpc_url`` setting (JSON-RPC over loopback HTTP). ``emergency create`` builds
the SafeTx beside the order, the parties sign it on their devices (one as a Trezor One,
by hashes) or import it, and ``emergency execute --safe-tx-out`` writes the
``execTransaction`` call; broadcasting it moves exactly the order's amount. Every
refusal exits 2 with one message and writes nothing.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import cli, officer_on_duty, ok
from desk_stores import open_desk_store
from officer_desk import PATH, SNAPSHOT, running_emulators
from safe_chain import SafeChain

from app.domain.parties import Party
from app.services import emergency
from app.services.emergency import EmergencyError
from app.services.officers import desk_repo
from app.services.safe_orders import exec_call, safe_order, safe_section_for
from app.services.unit_of_work import utc_now
from app.services.vault_safes import VaultError, eth_owners, register_eth_owner
from signing.emulator.main import RunningEmulator
from signing.emulator.test_seeds import (
    TEST_MNEMONIC_ABANDON,
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_LEGAL,
    TEST_MNEMONIC_ZOO,
)

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)

ETH_PATH = "m/44'/60'/0'/0/0"


@contextmanager
def _store(desk: Path) -> Iterator[Any]:
    store = open_desk_store(desk)
    try:
        yield store
    finally:
        store.close()


CLIENT = "alnoor-quant"  # holds 80,000,000 BENJI in the demo snapshot
RELEASE = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4"
PARTIES = ("regulator", "custodian", "exchange")


@pytest.fixture(scope="module")
def emulators() -> Iterator[dict[str, RunningEmulator]]:
    yield from running_emulators(
        {
            "regulator": TEST_MNEMONIC_ZOO,
            "custodian": TEST_MNEMONIC_ALL,
            "exchange": TEST_MNEMONIC_LEGAL,
            "outsider": TEST_MNEMONIC_ABANDON,
        }
    )


@pytest.fixture
def chain(emulators: dict[str, RunningEmulator]) -> Iterator[SafeChain]:
    owners = [emulators[p].hsm.eth_address(ETH_PATH) for p in PARTIES]
    chain = SafeChain(owners, decimals=18, supply=Decimal("100000000"))
    yield chain
    chain.close()


def _desk(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    emulators: dict[str, RunningEmulator],
    chain: SafeChain,
) -> Path:
    desk = tmp_path / "desk"
    ok(desk, capsys, "import", str(SNAPSHOT))
    # the officer on duty (creating and executing orders are an officer's acts), on the
    # custodian's device: an officer's key belongs to the custodian only
    officer_on_duty(desk, capsys, "olga", emulators["custodian"].trezor_uri)
    for party in PARTIES:
        out = ok(
            desk,
            capsys,
            "parties",
            "add",
            "--party",
            party,
            "--device",
            emulators[party].trezor_uri,
            "--path",
            PATH,
            "--eth-path",
            ETH_PATH,
        )
        assert f"Safe owner {emulators[party].hsm.eth_address(ETH_PATH)}" in out
    ok(desk, capsys, "vault", "chain", "--rpc-url", chain.serve())
    out = ok(
        desk,
        capsys,
        "vault",
        "safe",
        "set",
        "--client",
        CLIENT,
        "--chain-id",
        str(chain.chain_id),
        "--safe",
        chain.safe_address,
        "--token",
        f"BENJI={chain.token.address}",
        "--release",
        RELEASE,
    )
    assert "checked on chain" in out and "(18 decimals)" in out and "next nonce 0" in out
    return desk


def _order(desk: Path, capsys: pytest.CaptureFixture[str]) -> str:
    out = ok(
        desk,
        capsys,
        "emergency",
        "create",
        "--client",
        CLIENT,
        "--reason",
        "exchange insolvent",  # an on-chain order leaves ~27 characters for it
    )
    return out.splitlines()[0]


def _statement_shares(
    desk: Path,
    capsys: pytest.CaptureFixture[str],
    emulators: dict[str, RunningEmulator],
    order: str,
    tmp_path: Path,
    parties: tuple[str, ...] = ("regulator", "exchange"),
) -> None:
    for party in parties:
        ok(
            desk,
            capsys,
            "emergency",
            "sign",
            order,
            "--party",
            party,
            "--device",
            emulators[party].trezor_uri,
            "--path",
            PATH,
            "--out",
            str(tmp_path / f"{order}-{party}.json"),
        )


def test_safe_unfreeze_end_to_end(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    emulators: dict[str, RunningEmulator],
    chain: SafeChain,
) -> None:
    desk = _desk(tmp_path, capsys, emulators, chain)
    order = _order(desk, capsys)
    with _store(desk) as store:
        made = safe_order(store, order)
        statement = store_statement(store, order)
    # the statement every party signs shows the SafeTx hash (its first 8 bytes)
    assert f" tx={made.tx.safe_tx_hash.hex()[:16]} " in f" {statement} "
    assert made.section["units"] == str(80_000_000 * 10**18)

    # the regulator on its Trezor (typed data shown field by field) ...
    out = ok(
        desk,
        capsys,
        "emergency",
        "safe-sign",
        order,
        "--party",
        "regulator",
        "--device",
        emulators["regulator"].trezor_uri,
    )
    assert "Token: BENJI at " + chain.token.address in out
    assert f"Amount: 80000000 BENJI ({80_000_000 * 10**18} units, 18 decimals)" in out
    assert f"Destination: {RELEASE}" in out and "nonce 0" in out
    assert "(shown in full)" in out

    _statement_shares(desk, capsys, emulators, order, tmp_path)
    exec_file = tmp_path / "exec.json"
    # one owner's signature: refused, nothing written
    code, _, err = cli(desk, capsys, "emergency", "execute", order, "--safe-tx-out", str(exec_file))
    assert code == 2 and "1 of 2 distinct owner signatures" in err and not exec_file.exists()
    # the same owner again is not a second owner
    code, _, err = cli(
        desk,
        capsys,
        "emergency",
        "safe-sign",
        order,
        "--party",
        "regulator",
        "--device",
        emulators["regulator"].trezor_uri,
    )
    assert code == 2 and "already signed" in err

    # ... and the exchange on a Trezor One: the desk shows both hashes to compare
    exchange = emulators["exchange"].trezor.device.ethereum  # type: ignore[union-attr]
    exchange.typed_data_full = False
    try:
        out = ok(
            desk,
            capsys,
            "emergency",
            "safe-sign",
            order,
            "--party",
            "exchange",
            "--device",
            emulators["exchange"].trezor_uri,
        )
    finally:
        exchange.typed_data_full = True
    assert "(by its two hashes)" in out

    release_before = chain.balance(RELEASE)
    safe_before = chain.balance(chain.safe_address)
    out = ok(desk, capsys, "emergency", "execute", order, "--safe-tx-out", str(exec_file))
    assert stat.S_IMODE(exec_file.stat().st_mode) == 0o600  # an order's release: owner-only
    call = json.loads(exec_file.read_text())
    for field in (
        "to",
        "value",
        "data",
        "operation",
        "safeTxGas",
        "baseGas",
        "gasPrice",
        "gasToken",
        "refundReceiver",
        "nonce",
        "signatures",
        "calldata",
    ):
        assert field in call, field
    assert call["signers"] == sorted(call["signers"], key=lambda a: int(a, 16))
    assert set(call["signers"]) == {
        emulators[p].hsm.eth_address(ETH_PATH) for p in ("regulator", "exchange")
    }
    assert call["safe_tx_hash"] == "0x" + made.tx.safe_tx_hash.hex()

    # any broadcaster: the contract checks the signatures and moves exactly the amount
    assert chain.broadcast(call["calldata"])
    moved = 80_000_000 * 10**18
    assert chain.balance(RELEASE) - release_before == moved
    assert safe_before - chain.balance(chain.safe_address) == moved
    assert chain.nonce() == 1

    # executed once: a second execute writes nothing
    exec_file.unlink()
    code, _, err = cli(desk, capsys, "emergency", "execute", order, "--safe-tx-out", str(exec_file))
    assert code == 2 and "already executed" in err and not exec_file.exists()


def store_statement(store: object, order: str) -> str:
    from app.services.officers import desk_repo

    with store.read() as tx:  # type: ignore[attr-defined]
        record = desk_repo(tx).order(order)
    assert record is not None
    return str(record.statement)


def test_signatures_from_elsewhere_are_checked_by_recovery(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    emulators: dict[str, RunningEmulator],
    chain: SafeChain,
) -> None:
    desk = _desk(tmp_path, capsys, emulators, chain)
    order = _order(desk, capsys)
    with _store(desk) as store:
        tx = safe_order(store, order).tx
    # the outsider signs the right SafeTx: not the exchange's owner
    outsider = emulators["outsider"].hsm.sign_eth_digest(ETH_PATH, tx.safe_tx_hash)
    code, _, err = cli(
        desk,
        capsys,
        "emergency",
        "safe-import",
        order,
        "--party",
        "exchange",
        "--signature",
        "0x" + outsider.hex(),
    )
    assert code == 2 and "not the exchange's owner" in err
    # the exchange signs a SafeTx with one field changed (another recipient)
    from dataclasses import replace

    from app.domain.safe_tx import erc20_transfer_data

    changed = replace(tx, data=erc20_transfer_data("0x000000000000000000000000000000000000dEaD", 1))
    wrong = emulators["exchange"].hsm.sign_eth_digest(ETH_PATH, changed.safe_tx_hash)
    code, _, err = cli(
        desk,
        capsys,
        "emergency",
        "safe-import",
        order,
        "--party",
        "exchange",
        "--signature",
        "0x" + wrong.hex(),
    )
    assert code == 2 and "changed field" in err
    for bad in ("0x1234", "0x" + "zz" * 65, "0x" + outsider.hex()[:-2] + "1f"):
        code, _, err = cli(
            desk,
            capsys,
            "emergency",
            "safe-import",
            order,
            "--party",
            "exchange",
            "--signature",
            bad,
        )
        assert code == 2, bad
    # emergency status lists what is collected: nothing yet, two more needed
    out = ok(desk, capsys, "emergency", "status", order)
    assert f"safe_tx_hash: 0x{tx.safe_tx_hash.hex()}" in out
    assert "safe_signature:" not in out and "0 valid of 2 needed, 2 more needed" in out
    # the real one: 65 bytes r||s||v from the exchange's key
    good = emulators["exchange"].hsm.sign_eth_digest(ETH_PATH, tx.safe_tx_hash)
    ok(
        desk,
        capsys,
        "emergency",
        "safe-import",
        order,
        "--party",
        "exchange",
        "--signature",
        "0x" + good.hex(),
    )
    exchange_owner = emulators["exchange"].hsm.eth_address(ETH_PATH)
    custodian_owner = emulators["custodian"].hsm.eth_address(ETH_PATH)
    out = ok(desk, capsys, "emergency", "status", order)
    assert f"safe_signature: {exchange_owner} exchange valid" in out.splitlines()
    assert "1 valid of 2 needed, 1 more needed" in out
    ok(
        desk,
        capsys,
        "emergency",
        "safe-sign",
        order,
        "--party",
        "custodian",
        "--device",
        emulators["custodian"].trezor_uri,
    )
    status = json.loads(ok(desk, capsys, "emergency", "status", order, "--json"))
    assert status["safe"]["needed"] == 0 and status["safe"]["valid"] == 2
    assert {(s["owner"], s["party"], s["valid"]) for s in status["safe"]["signatures"]} == {
        (exchange_owner, "exchange", True),
        (custodian_owner, "custodian", True),
    }
    with _store(desk) as store:
        assert exec_call(store, order)["nonce"] == "0"
        with pytest.raises(EmergencyError, match="through a Safe"):  # not without its call
            emergency.execute(store, order, actor="test")
        with pytest.raises(VaultError, match="expired"):  # after the 48 h window
            exec_call(store, order, clock=lambda: utc_now() + timedelta(hours=49))
        # the exchange's owner is replaced: its stored signature no longer counts
        outsider_owner = emulators["outsider"].hsm.eth_address(ETH_PATH)
        register_eth_owner(store, Party.EXCHANGE, outsider_owner, actor="test")
    out = ok(desk, capsys, "emergency", "status", order)
    assert (
        f"safe_signature: {exchange_owner} exchange invalid "
        "(not a registered owner of this order's Safe)"
    ) in out.splitlines()
    assert f"safe_signature: {custodian_owner} custodian valid" in out.splitlines()
    assert "1 valid of 2 needed, 1 more needed" in out


def test_one_open_order_per_safe_nonce_and_a_stale_nonce_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    emulators: dict[str, RunningEmulator],
    chain: SafeChain,
) -> None:
    desk = _desk(tmp_path, capsys, emulators, chain)
    first = _order(desk, capsys)
    # a second open order on the Safe would get nonce 0 too: refused, naming the first
    again = ("emergency", "create", "--client", CLIENT, "--reason", "second order")
    code, _, err = cli(desk, capsys, *again)
    assert code == 2 and f"already has open order {first} at nonce 0" in err
    with _store(desk) as store, store.read() as tx:
        assert desk_repo(tx).order_ids() == [first]  # nothing stored
    _statement_shares(desk, capsys, emulators, first, tmp_path)
    for party in ("regulator", "custodian"):
        ok(
            desk,
            capsys,
            "emergency",
            "safe-sign",
            first,
            "--party",
            party,
            "--device",
            emulators[party].trezor_uri,
        )
    # someone else broadcasts the same SafeTx: the Safe moves to nonce 1 outside the desk
    with _store(desk) as store:
        assert chain.broadcast(exec_call(store, first)["calldata"])
    late = tmp_path / "late.json"
    code, _, err = cli(desk, capsys, "emergency", "execute", first, "--safe-tx-out", str(late))
    assert code == 2 and "stale nonce" in err and not late.exists()
    code, _, err = cli(desk, capsys, "emergency", "status", first, "--json")
    assert json.loads(_)["executed"] is False
    # the stale order does not hold the Safe: the next order gets nonce 1
    second = ok(desk, capsys, *again).splitlines()[0]
    with _store(desk) as store:
        assert safe_order(store, second).tx.nonce == 1


def test_safe_and_owner_refusals(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    emulators: dict[str, RunningEmulator],
    chain: SafeChain,
) -> None:
    desk = tmp_path / "desk"
    ok(desk, capsys, "import", str(SNAPSHOT))
    regulator = emulators["regulator"].hsm.eth_address(ETH_PATH)
    for bad in (
        regulator.lower(),
        regulator[:-1] + ("a" if regulator[-1] != "a" else "b"),
        regulator[:-2],
    ):
        code, _, err = cli(
            desk, capsys, "parties", "add", "--party", "regulator", "--eth-address", bad
        )
        assert code == 2, bad
    with _store(desk) as store:
        assert eth_owners(store) == {}
    # one address (or one device) cannot be two parties' owner
    ok(desk, capsys, "parties", "add", "--party", "regulator", "--eth-address", regulator)
    code, _, err = cli(
        desk, capsys, "parties", "add", "--party", "exchange", "--eth-address", regulator
    )
    assert code == 2 and "regulator" in err
    for party in ("custodian", "exchange"):
        ok(
            desk,
            capsys,
            "parties",
            "add",
            "--party",
            party,
            "--device",
            emulators[party].trezor_uri,
            "--eth-path",
        )
    # the custodian's Safe-owner device cannot hold the exchange's statement key
    code, _, err = cli(
        desk,
        capsys,
        "parties",
        "add",
        "--party",
        "exchange",
        "--device",
        emulators["custodian"].trezor_uri,
        "--path",
        PATH,
    )
    assert code == 2 and "custodian" in err
    ok(desk, capsys, "vault", "chain", "--rpc-url", chain.serve())
    base = [
        "vault",
        "safe",
        "set",
        "--client",
        CLIENT,
        "--chain-id",
        str(chain.chain_id),
        "--token",
        f"BENJI={chain.token.address}",
        "--release",
        RELEASE,
    ]
    # a Safe whose owners are not the three parties, and one with threshold 1
    other = chain.deploy_safe(
        [
            regulator,
            emulators["outsider"].hsm.eth_address(ETH_PATH),
            emulators["exchange"].hsm.eth_address(ETH_PATH),
        ],
        2,
    )
    code, _, err = cli(desk, capsys, *base, "--safe", other)
    assert code == 2 and "not the three registered parties" in err
    owners = [emulators[p].hsm.eth_address(ETH_PATH) for p in PARTIES]
    code, _, err = cli(desk, capsys, *base, "--safe", chain.deploy_safe(owners, 1))
    assert code == 2 and "threshold 1" in err
    code, _, err = cli(
        desk,
        capsys,
        "vault",
        "safe",
        "set",
        "--client",
        CLIENT,
        "--chain-id",
        "5",
        "--safe",
        chain.safe_address,
        "--token",
        f"BENJI={chain.token.address}",
        "--release",
        RELEASE,
    )
    assert code == 2 and "not 5" in err
    code, _, err = cli(desk, capsys, *base, "--safe", chain.safe_address, "--decimals", "BENJI=6")
    assert code == 2 and "18 decimals, not 6" in err
    code, _, err = cli(desk, capsys, "vault", "safe", "show", "--client", CLIENT)
    assert code == 2  # nothing was stored
    # without a chain the officer states decimals(); amounts past them are refused at create
    ok(desk, capsys, "vault", "chain", "--rpc-url", "")
    code, _, err = cli(desk, capsys, *base, "--safe", chain.safe_address)
    assert code == 2 and "--decimals" in err
    ok(desk, capsys, *base, "--safe", chain.safe_address, "--decimals", "BENJI=0")
    officer_on_duty(desk, capsys, "olga", emulators["custodian"].trezor_uri)  # creates orders
    code, _, err = cli(
        desk, capsys, "emergency", "create", "--client", "gulf-meridian-mm", "--reason", "r"
    )
    assert code == 0  # no Safe for that client: an ordinary order
    with _store(desk) as store:
        # 80,000,000 BENJI at 0 decimals is fine; half a token of a 0-decimal token is not
        assert safe_section_for(store, CLIENT, {"BENJI": Decimal("80000000")}) is not None
        with pytest.raises(VaultError, match="more decimal places"):
            safe_section_for(store, CLIENT, {"BENJI": Decimal("0.5")})
