"""The Bitcoin emergency vault end to end through the CLI, checked by Bitcoin Core's code.

Regulator, custodian and exchange each hold their keys on their own emulator
(own public test seed). The regulator and the custodian register their multisig
account keys from their devices; the exchange gives its xpub with its key origin
and signs elsewhere (embit's own PSBT signer: a second implementation). The
vault is funded by a transaction paying two of its addresses; the release
transaction the desk finalises must verify input by input under
libbitcoinkernel's script interpreter (P2SH | WITNESS | NULLDUMMY).
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import cli, officer_on_duty, ok
from embit import ec
from embit.psbt import PSBT
from embit.script import Script, address_to_scriptpubkey
from embit.transaction import Transaction
from officer_desk import PATH, SNAPSHOT, running_emulators

from signing.bitcoin.spend import parse_psbt
from signing.emulator.main import RunningEmulator
from signing.emulator.test_seeds import (
    TEST_MNEMONIC_ABANDON,
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_LEGAL,
    TEST_MNEMONIC_ZOO,
)
from tests.btc_support import (
    MULTISIG_PATH,
    RELEASE_ADDRESS,
    account_key,
    funding_tx,
    kernel_verify,
    root_of,
    spent_outputs,
    utxo_entries,
)

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)

CLIENT = "alnoor-quant"
SEEDS = {"regulator": TEST_MNEMONIC_ZOO, "custodian": TEST_MNEMONIC_ALL,
         "exchange": TEST_MNEMONIC_LEGAL}


@pytest.fixture(scope="module")
def emulators() -> Iterator[dict[str, RunningEmulator]]:
    # the parties' devices, and the officer on duty's own (creating orders is an officer's act)
    yield from running_emulators({**SEEDS, "officer": TEST_MNEMONIC_ABANDON})


def set_up_vault(desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                 emulators: dict[str, RunningEmulator]) -> tuple[dict[str, object], Transaction]:
    """Keys registered, descriptor read, the vault funded with two coins and imported."""
    uri = {p: e.trezor_uri for p, e in emulators.items()}
    ok(desk, capsys, "import", str(SNAPSHOT))
    officer_on_duty(desk, capsys, "olga", uri["officer"])
    for party in SEEDS:
        ok(desk, capsys, "parties", "add", "--party", party, "--device", uri[party], "--path", PATH)
    for party in ("regulator", "custodian"):
        out = ok(desk, capsys, "parties", "add", "--party", party, "--device", uri[party],
                 "--multisig-path", MULTISIG_PATH)
        assert "(TEST EMULATOR)" in out
    ok(desk, capsys, "parties", "add", "--party", "exchange",
       "--multisig-xpub", str(account_key(SEEDS["exchange"])))
    info = json.loads(ok(desk, capsys, "vault", "descriptor", "--client", CLIENT, "--json"))
    addresses = [a["address"] for a in info["receive_addresses"]]
    fund = funding_tx([(bytes(address_to_scriptpubkey(addresses[0]).data), 60_000_000),
                       (bytes(address_to_scriptpubkey(addresses[3]).data), 40_000_000)])
    utxos = tmp_path / "utxos.json"
    utxos.write_text(json.dumps({"utxos": utxo_entries(fund)}))
    assert "imported 2 UTXOs (100000000 sat)" in ok(desk, capsys, "vault", "utxos", "import",
                                                     str(utxos))
    return info, fund


def test_descriptor_is_the_three_registered_keys_with_checksum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator]
) -> None:
    from embit.descriptor import Descriptor
    from embit.descriptor.checksum import add_checksum

    desk = tmp_path / "desk"
    info, _fund = set_up_vault(desk, tmp_path, capsys, emulators)
    text = str(info["descriptor"])
    assert text.startswith("wsh(sortedmulti(2,")
    assert text == add_checksum(text.split("#", maxsplit=1)[0])
    for party, seed in SEEDS.items():
        assert f"{account_key(seed)}/{info['branch']}/*" in text, party
    first = Descriptor.from_string(text).derive(0).address(
        __import__("embit.networks", fromlist=["NETWORKS"]).NETWORKS["test"])
    assert info["receive_addresses"][0]["address"] == first
    # a descriptor naming a key that is not the registered one is refused
    stranger = str(account_key(TEST_MNEMONIC_ALL, account=5))
    forged = text.split("#", maxsplit=1)[0].replace(str(account_key(SEEDS["exchange"])), stranger)
    code, _, err = cli(desk, capsys, "vault", "descriptor", "--client", CLIENT,
                       "--check", add_checksum(forged))
    assert code == 2 and "not a registered multisig key" in err
    # a party registering a second multisig key, or another party's key, is refused
    code, _, err = cli(desk, capsys, "parties", "add", "--party", "exchange",
                       "--multisig-xpub", stranger)
    assert code == 2 and "already has a multisig key" in err


def test_lying_utxo_files_store_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator]
) -> None:
    desk = tmp_path / "desk"
    info, fund = set_up_vault(desk, tmp_path, capsys, emulators)
    addresses = [a["address"] for a in info["receive_addresses"]]
    good = funding_tx([(bytes(address_to_scriptpubkey(addresses[1]).data), 5_000)], b"good")
    elsewhere = funding_tx([(bytes(address_to_scriptpubkey(RELEASE_ADDRESS).data), 7_000)], b"x")
    cases = {
        "pays": [*utxo_entries(good), {**utxo_entries(good)[0], "vout": 0, "amount_sat": 5_001}],
        "hashes": [*utxo_entries(good), {**utxo_entries(good)[0], "txid": "00" * 32}],
        "vault": [*utxo_entries(good), *utxo_entries(elsewhere)],
        "output": [*utxo_entries(good), {**utxo_entries(good)[0], "vout": 4}],
    }
    for expected, entries in cases.items():
        lie = tmp_path / f"lie-{expected}.json"
        lie.write_text(json.dumps({"utxos": entries}))
        code, _, err = cli(desk, capsys, "vault", "utxos", "import", str(lie))
        assert code == 2 and expected in err, (expected, err)
    balance = json.loads(ok(desk, capsys, "vault", "balance", "--json"))
    assert balance == {CLIENT: "1.00000000"}  # the first good coin was not stored either
    del fund


def _create(desk: Path, capsys: pytest.CaptureFixture[str]) -> str:
    return ok(desk, capsys, "emergency", "create", "--client", CLIENT, "--reason",
              "exchange unreachable", "--to", RELEASE_ADDRESS, "--fee-rate", "3").strip()


def test_two_devices_sign_the_release_and_bitcoin_core_accepts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator]
) -> None:
    desk = tmp_path / "desk"
    _info, fund = set_up_vault(desk, tmp_path, capsys, emulators)
    uri = {p: e.trezor_uri for p, e in emulators.items()}
    order = _create(desk, capsys)
    exported = tmp_path / "order.json"
    ok(desk, capsys, "emergency", "export", order, "--out", str(exported))
    doc = json.loads(exported.read_text())
    named = doc["body"]["btc_release"]
    assert f"tx={named['txid'][:16]}" in doc["statement"]  # the device shows the txid
    assert named["destination"] == RELEASE_ADDRESS and named["inputs"] == 2
    assert named["amount_sat"] + named["fee_sat"] == 100_000_000 and named["fee_sat"] > 0

    for party in ("regulator", "custodian"):
        share = tmp_path / f"{party}.json"
        out = ok(desk, capsys, "emergency", "sign", order, "--party", party,
                 "--device", uri[party], "--path", PATH, "--out", str(share))
        assert share.with_suffix(".psbt").exists() and ".psbt" in out
    release, tx_out = tmp_path / "release.json", tmp_path / "release.tx"
    out = ok(desk, capsys, "emergency", "execute", order, "--out", str(release),
             "--tx-out", str(tx_out))
    assert named["txid"] in out
    raw = bytes.fromhex(tx_out.read_text().strip())
    assert Transaction.parse(raw).txid().hex() == named["txid"]
    combined = tmp_path / "combined.psbt"
    ok(desk, capsys, "emergency", "psbt", order, "--out", str(combined))
    psbt = parse_psbt(combined.read_text())
    assert kernel_verify(raw, spent_outputs(psbt)) == [True, True]
    assert {bytes(o.script_pubkey.data) for o in fund.vout} == {s for s, _ in spent_outputs(psbt)}
    # executed once: the second call is refused and writes nothing
    again = tmp_path / "again.tx"
    code, _, err = cli(desk, capsys, "emergency", "execute", order, "--tx-out", str(again))
    assert code == 2 and "already executed" in err and not again.exists()
    assert json.loads(ok(desk, capsys, "vault", "balance", "--json")) == {}


def _sign_outside(psbt_text: str, mnemonic: str) -> str:
    """embit's own signer with the party's test seed: the PSBT wallet 'elsewhere'."""
    psbt = PSBT.from_string(psbt_text)
    assert psbt.sign_with(root_of(mnemonic)) == len(psbt.inputs)
    return str(psbt.to_string())


def test_outside_signer_round_trip_and_every_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator]
) -> None:
    desk = tmp_path / "desk"
    set_up_vault(desk, tmp_path, capsys, emulators)
    uri = {p: e.trezor_uri for p, e in emulators.items()}
    order = _create(desk, capsys)
    ok(desk, capsys, "emergency", "sign", order, "--party", "regulator",
       "--device", uri["regulator"], "--path", PATH, "--out", str(tmp_path / "reg.json"))
    # the exchange's statement share, signed on its device from an exported copy
    copy, share = tmp_path / "order.json", tmp_path / "exchange.json"
    ok(desk, capsys, "emergency", "export", order, "--out", str(copy))
    ok(desk, capsys, "emergency", "sign", str(copy), "--party", "exchange",
       "--device", uri["exchange"], "--path", PATH, "--out", str(share))
    ok(desk, capsys, "emergency", "import", str(share))
    assert not share.with_suffix(".psbt").exists()  # no --psbt given: the statement only

    # one party's signatures: refused, nothing written
    release, tx_out = tmp_path / "release.json", tmp_path / "release.tx"
    code, _, err = cli(desk, capsys, "emergency", "execute", order, "--out", str(release),
                       "--tx-out", str(tx_out))
    assert code == 2 and "1 of 2" in err and not release.exists() and not tx_out.exists()

    exported = tmp_path / "unsigned.psbt"
    ok(desk, capsys, "emergency", "psbt", order, "--out", str(exported))
    base = exported.read_text().strip()
    # the same party twice (the regulator's signatures again, re-imported): still one party
    again = tmp_path / "again.psbt"
    again.write_text(base)
    assert "new none" in ok(desk, capsys, "emergency", "import", str(again))
    # a stranger's signature (a key outside the vault), an altered output, bit flips
    stranger = PSBT.from_string(base)
    key = ec.PrivateKey(b"\x11" * 32)
    digest = stranger.sighash(0)
    stranger.inputs[0].partial_sigs[key.get_public_key()] = key.sign(digest).serialize() + b"\x01"
    altered = PSBT.from_string(_sign_outside(base, SEEDS["exchange"]))
    altered.outputs[0].value -= 1_000  # a bigger fee, after the order was made
    for name, text in {"stranger": stranger.to_string(), "altered": altered.to_string(),
                       "garbage": base[:-40]}.items():
        bad = tmp_path / f"{name}.psbt"
        bad.write_text(text)
        code, _, err = cli(desk, capsys, "emergency", "import", str(bad))
        assert code == 2, (name, err)
    code, _, err = cli(desk, capsys, "emergency", "execute", order, "--tx-out", str(tx_out))
    assert code == 2 and not tx_out.exists()
    # truncated and bit-flipped signed copies: refused, the stored PSBT unchanged
    good = base64.b64decode(_sign_outside(base, SEEDS["exchange"]))
    rng = random.Random(12)
    for n in range(40):
        mutated = bytearray(good[: rng.randrange(len(good))] if n % 2 else good)
        if n % 2 == 0:
            mutated[rng.randrange(len(mutated))] ^= 1 << rng.randrange(8)
        bad = tmp_path / f"mutated-{n}.psbt"
        bad.write_bytes(bytes(mutated))
        assert cli(desk, capsys, "emergency", "import", str(bad))[0] == 2, n
    after = tmp_path / "after.psbt"
    ok(desk, capsys, "emergency", "psbt", order, "--out", str(after))
    assert after.read_text().strip() == base

    signed = tmp_path / "exchange.psbt"
    signed.write_text(_sign_outside(base, SEEDS["exchange"]))
    out = ok(desk, capsys, "emergency", "import", str(signed))
    assert "new exchange" in out and "exchange,regulator" in out
    ok(desk, capsys, "emergency", "execute", order, "--out", str(release), "--tx-out", str(tx_out))
    raw = bytes.fromhex(tx_out.read_text().strip())
    psbt = parse_psbt(base)
    spent = spent_outputs(psbt)
    assert kernel_verify(raw, spent) == [True, True]

    # the same engine refuses one signature, a stranger's signature, a tampered output
    tx = Transaction.parse(raw)
    one = Transaction.parse(raw)
    for vin in one.vin:
        vin.witness.items = [vin.witness.items[0], vin.witness.items[1], vin.witness.items[3]]
    assert kernel_verify(bytes(one.serialize()), spent) == [False, False]
    forged = Transaction.parse(raw)
    for i, vin in enumerate(forged.vin):
        sig = key.sign(psbt.sighash(i)).serialize() + b"\x01"
        vin.witness.items[1] = sig
    assert kernel_verify(bytes(forged.serialize()), spent) == [False, False]
    tampered = Transaction.parse(raw)
    tampered.vout[0].script_pubkey = Script(b"\x00\x14" + b"\x22" * 20)
    assert kernel_verify(bytes(tampered.serialize()), spent) == [False, False]
    del tx


def test_a_device_holding_a_partys_multisig_key_cannot_speak_for_another_party(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator]
) -> None:
    desk = tmp_path / "desk"
    uri = {p: e.trezor_uri for p, e in emulators.items()}
    ok(desk, capsys, "import", str(SNAPSHOT))
    ok(desk, capsys, "parties", "add", "--party", "regulator", "--device", uri["regulator"],
       "--multisig-path", MULTISIG_PATH)
    code, _, err = cli(desk, capsys, "parties", "add", "--party", "exchange",
                       "--device", uri["regulator"], "--path", PATH)
    assert code == 2 and "regulator (multisig key)" in err
    code, _, err = cli(desk, capsys, "parties", "add", "--party", "custodian",
                       "--device", uri["regulator"], "--multisig-path", "m/48'/1'/1'/2'")
    assert code == 2 and "regulator (multisig key)" in err
