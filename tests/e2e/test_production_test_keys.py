"""A production desk refuses every published test-seed key (issue 17, item 3).

Before the fix a prod desk accepted ``parties add --pubkey`` of a test-seed key
(no ``--emulator`` flag), exported it as ``is_emulator: false`` and verified a
margin call signed with it for ``--env prod``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import cli, ok
from desk_stores import open_desk_store
from officer_desk import PATH

from app.documents.keys import Party, Role, key_id_for
from app.services.officers import OfficerError, add_party_key
from app.services.unit_of_work import utc_now
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONICS

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)

PATHS = (PATH, "m/84'/0'/0'/0/0", "m/49'/1'/0'/0/3", "m/44'/0'/5'/1/2",
         # the widened list (issue 17): far indices, BIP-48 script 1', Ethereum, the master's
         # depth-1 keys
         "m/86'/1'/9'/1/19", "m/48'/0'/3'/1'/0/12", "m/44'/60'/0'/0/57", "m/0'")


def _prod_desk(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(desk, capsys, "holdings", "--json")  # creates the store
    store = open_desk_store(desk)
    try:
        with store.transaction() as tx:
            tx.settings.put("desk.environment", "prod", utc_now())
    finally:
        store.close()


@pytest.mark.parametrize("words", TEST_MNEMONICS, ids=lambda w: w.split()[0])
def test_a_production_desk_refuses_each_published_test_seed_key(
    words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = tmp_path / "desk"
    _prod_desk(desk, capsys)
    hsm = SoftHsm(words)
    for path in PATHS:
        key = hsm.get_public_key(path)
        for party, role in (("exchange", "exchange"), ("regulator", "emergency")):
            code, _, err = cli(desk, capsys, "parties", "add", "--party", party, "--role", role,
                               "--pubkey", key.pubkey.hex(), "--address", key.address)
            assert code == 2, f"{path}: {err}"
            assert "production desk" in err and "published test seed" in err
    # a key at a path nobody listed is still refused by its device's fingerprint
    odd = hsm.get_public_key("m/44'/0'/77'/0/0")
    code, _, err = cli(desk, capsys, "parties", "add", "--party", "exchange", "--role",
                       "exchange", "--pubkey", odd.pubkey.hex(),
                       "--fingerprint", hsm.fingerprint())
    assert code == 2 and "runs a published test seed" in err
    keys = tmp_path / "keys.json"
    ok(desk, capsys, "keys", "export", "--out", str(keys))
    assert json.loads(keys.read_text())["keys"] == []  # nothing stored


def test_the_service_refuses_test_keys_for_every_party(tmp_path: Path) -> None:
    store = open_desk_store(tmp_path)
    try:
        with store.transaction() as tx:
            tx.settings.put("desk.environment", "prod", utc_now())
        for words in TEST_MNEMONICS:
            key = SoftHsm(words).get_public_key(PATH)
            for party in Party:
                with pytest.raises(OfficerError, match="published test seed"):
                    add_party_key(store, party, key.pubkey, key.address, actor="test",
                                  role=Role.EXCHANGE if party is Party.EXCHANGE
                                  else Role.EMERGENCY)
    finally:
        store.close()


def test_verify_for_prod_refuses_a_keys_file_listing_a_test_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = SoftHsm(TEST_MNEMONICS[1]).get_public_key(PATH)
    keys = {
        "document": "custody-desk/keys", "version": 1, "env": "prod",
        "keys": [{"key_id": key_id_for(key.pubkey), "party": "exchange", "role": "exchange",
                  "name": "exchange-documents", "pubkey": key.pubkey.hex(),
                  "address": key.address, "valid_from": "2026-01-01T00:00:00Z",
                  "valid_until": None, "revoked": False, "is_emulator": False,
                  "fingerprint": "", "path": ""}],
    }
    keys_path = tmp_path / "keys.json"
    keys_path.write_text(json.dumps(keys, sort_keys=True, separators=(",", ":")))
    doc = tmp_path / "doc.json"
    doc.write_text("{}")
    code, _, err = cli(tmp_path / "desk", capsys, "verify", str(doc), "--keys", str(keys_path))
    assert code == 2 and "test key" in err and "published test seed" in err


def test_a_production_desk_refuses_a_test_emulator_as_safe_owner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from signing.emulator.main import start_emulator

    desk = tmp_path / "desk"
    _prod_desk(desk, capsys)
    with start_emulator(trezor_port=0) as emu:
        code, _, err = cli(desk, capsys, "parties", "add", "--party", "regulator",
                           "--device", emu.trezor_uri, "--eth-path")
    assert code == 2 and "production desk" in err
    # typed in with the test seed's device fingerprint: refused as well
    code, _, err = cli(desk, capsys, "parties", "add", "--party", "regulator", "--eth-address",
                       SoftHsm(TEST_MNEMONICS[0]).eth_address("m/44'/60'/0'/0/0"),
                       "--fingerprint", SoftHsm(TEST_MNEMONICS[0]).fingerprint())
    assert code == 2 and "published test seed" in err
    # typed in without a fingerprint: the address itself is a published test seed's
    for words in TEST_MNEMONICS:
        address = SoftHsm(words).eth_address("m/44'/60'/0'/0/0")
        code, _, err = cli(desk, capsys, "parties", "add", "--party", "regulator",
                           "--eth-address", address)
        assert code == 2 and "production desk" in err, address
        assert f"{address} is a published test seed's Ethereum address" in err
    store = open_desk_store(desk)
    try:
        from app.services.vault_safes import eth_owners

        assert eth_owners(store) == {}
    finally:
        store.close()

