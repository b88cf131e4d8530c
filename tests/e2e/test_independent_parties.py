"""Independent parties (issue 17, item 1) and one share per party (issue 10, item 2).

One device can never be two parties of the 2-of-3: registration refuses a second
party on a known device, and the quorum counts distinct devices as well as
distinct parties (so a store that already holds three parties on one device
cannot execute). A party's share cannot be silently re-signed by another key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_helpers import cli, officer_on_duty, ok, signin
from desk_stores import open_desk_store
from officer_desk import PATH, SNAPSHOT, running_emulators

from app.services.officers import desk_repo
from app.store.repo_desk import PartyKeyRecord
from signing.emulator.hsm import SoftHsm
from signing.emulator.main import RunningEmulator
from signing.emulator.test_seeds import (
    TEST_MNEMONIC_ABANDON,
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_LEGAL,
    TEST_MNEMONIC_ZOO,
)

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)

PATHS = {
    "regulator": "m/44'/0'/1'/0/0",
    "custodian": "m/44'/0'/2'/0/0",
    "exchange": "m/44'/0'/3'/0/0",
}


@pytest.fixture(scope="module")
def emulators() -> Iterator[dict[str, RunningEmulator]]:
    yield from running_emulators({
        "one": TEST_MNEMONIC_ZOO,
        "exchange": TEST_MNEMONIC_LEGAL,
        "carol": TEST_MNEMONIC_ALL,
        "dave": TEST_MNEMONIC_ABANDON,
    })


def _status(desk: Path, capsys: pytest.CaptureFixture[str], order: str) -> dict[str, object]:
    result: dict[str, object] = json.loads(
        ok(desk, capsys, "emergency", "status", order, "--json")
    )
    return result


def test_one_device_cannot_register_as_two_parties(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator]
) -> None:
    desk = tmp_path / "desk"
    uri = emulators["one"].trezor_uri
    ok(desk, capsys, "parties", "add", "--party", "regulator", "--device", uri,
       "--path", PATHS["regulator"])
    for party in ("exchange", "custodian"):
        code, _, err = cli(desk, capsys, "parties", "add", "--party", party, "--device", uri,
                           "--path", PATHS[party])
        assert code == 2, err
        assert "the regulator" in err and f"cannot hold the {party}'s key" in err
    # a typed-in key with the device's fingerprint is refused the same way
    key = SoftHsm(TEST_MNEMONIC_ZOO).get_public_key(PATHS["exchange"])
    fingerprint = SoftHsm(TEST_MNEMONIC_ZOO).fingerprint()
    code, _, err = cli(desk, capsys, "parties", "add", "--party", "exchange", "--pubkey",
                       key.pubkey.hex(), "--fingerprint", fingerprint, "--emulator")
    assert code == 2 and "the regulator" in err
    keys = tmp_path / "keys.json"
    ok(desk, capsys, "keys", "export", "--out", str(keys))
    exported = json.loads(keys.read_text())["keys"]
    assert [(k["party"], k["fingerprint"]) for k in exported] == [("regulator", fingerprint)]


def test_three_parties_on_one_device_never_reach_quorum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator]
) -> None:
    """A store registered before the rule (three parties on one seed) cannot execute,
    and the verifier reports one device."""
    desk = tmp_path / "desk"
    ok(desk, capsys, "import", str(SNAPSHOT))
    hsm = SoftHsm(TEST_MNEMONIC_ZOO)
    store = open_desk_store(desk)
    try:
        with store.transaction() as tx:
            repo = desk_repo(tx)
            for party, path in PATHS.items():
                key = hsm.get_public_key(path)
                repo.add_party_key(
                    PartyKeyRecord(0, party, "emergency", f"{party}-legacy", key.pubkey,
                                   key.address, True, datetime(2026, 1, 1, tzinfo=UTC), None,
                                   None, fingerprint=hsm.fingerprint(), path=path),
                    added_at=datetime(2026, 1, 1, tzinfo=UTC),
                )
    finally:
        store.close()
    officer_on_duty(desk, capsys, "carol", emulators["carol"].trezor_uri)  # creates the order
    keys = tmp_path / "keys.json"
    ok(desk, capsys, "keys", "export", "--out", str(keys))
    order = ok(desk, capsys, "emergency", "create", "--client", "alnoor-quant",
               "--reason", "one device, three names").strip()
    copy = tmp_path / "order.json"
    ok(desk, capsys, "emergency", "export", order, "--out", str(copy))
    for party, path in PATHS.items():
        signed = tmp_path / f"{party}.json"
        ok(tmp_path / f"{party}-desk", capsys, "emergency", "sign", str(copy), "--party",
           party, "--device", emulators["one"].trezor_uri, "--path", path, "--out",
           str(signed), "--keys", str(keys))
        ok(desk, capsys, "emergency", "import", str(signed))
        copy = signed
    st = _status(desk, capsys, order)
    assert st["parties_signed"] == ["custodian", "exchange", "regulator"]
    assert st["devices_signed"] == 1
    assert st["quorum_reached"] is False and st["executable"] is False
    code, _, err = cli(desk, capsys, "emergency", "execute", order)
    assert code == 2 and "no_quorum" in err and "1 distinct device" in err
    code, out, _ = cli(desk, capsys, "verify", str(copy), "--keys", str(keys))
    assert code == 1
    assert "FAIL quorum: 3 of 2 distinct parties (custodian, exchange, regulator) on 1 " \
           "distinct device" in out
    assert out.strip().endswith("INVALID")


def test_a_custodian_share_cannot_be_silently_re_signed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator]
) -> None:
    desk = tmp_path / "desk"
    uri = {n: e.trezor_uri for n, e in emulators.items()}
    ok(desk, capsys, "import", str(SNAPSHOT))
    for officer in ("carol", "dave"):
        ok(desk, capsys, "officers", "add", officer, "--role", "officer",
           "--device", uri[officer], "--path", PATH)
    ok(desk, capsys, "parties", "add", "--party", "exchange", "--device", uri["exchange"],
       "--path", PATH)
    signin(desk, capsys, "carol", uri["carol"])
    order = ok(desk, capsys, "emergency", "create", "--client", "palm-harbour",
               "--reason", "exchange key ceremony").strip()
    first = tmp_path / "carol.json"
    ok(desk, capsys, "emergency", "sign", order, "--party", "custodian",
       "--device", uri["carol"], "--path", PATH, "--out", str(first))
    held = _status(desk, capsys, order)

    # dave presses "sign custodian share" again: refused before the device is asked
    second = tmp_path / "dave.json"
    code, _, err = cli(desk, capsys, "emergency", "sign", order, "--party", "custodian",
                       "--device", uri["dave"], "--path", PATH, "--out", str(second))
    assert code == 2 and "already signed" in err and "one share per party" in err
    assert not second.exists()
    # a copy carrying dave's share, signed elsewhere, is refused on import too
    blank = tmp_path / "order.json"
    ok(desk, capsys, "emergency", "export", order, "--out", str(blank))
    assert json.loads(blank.read_text())["signatures"]  # carol's share travels with it
    code, _, err = cli(tmp_path / "elsewhere", capsys, "emergency", "sign", str(blank),
                       "--party", "custodian", "--device", uri["dave"], "--path", PATH,
                       "--out", str(second))
    assert code == 2 and "already signed" in err and not second.exists()
    ok(tmp_path / "elsewhere", capsys, "emergency", "sign", str(blank),
       "--party", "custodian", "--device", uri["dave"], "--path", PATH, "--out", str(second),
       "--replace", "--reason", "carol's device is lost")
    keys_before = _share_keys(desk)
    code, _, err = cli(desk, capsys, "emergency", "import", str(second))
    assert code == 2 and "already signed" in err
    assert _share_keys(desk) == keys_before and _status(desk, capsys, order) == held
    code, _, err = cli(desk, capsys, "emergency", "import", str(second), "--replace")
    assert code == 2 and "--reason" in err

    # an explicit, audited replacement
    ok(desk, capsys, "emergency", "import", str(second), "--replace",
       "--reason", "carol's device is lost")
    assert len(_share_keys(desk)) == 1 and _share_keys(desk) != keys_before
    store = open_desk_store(desk)
    try:
        with store.read() as tx:
            entries = tx.audit.entries(action="emergency.share_replace")
    finally:
        store.close()
    assert len(entries) == 1
    payload = json.loads(entries[0].payload)
    assert payload["party"] == "custodian" and payload["reason"] == "carol's device is lost"
    assert payload["old_key_id"] == keys_before[0] and payload["new_key_id"] != keys_before[0]


def _share_keys(desk: Path) -> list[str]:
    from app.documents.keys import key_id_for

    store = open_desk_store(desk)
    try:
        with store.read() as tx:
            repo = desk_repo(tx)
            ids = repo.order_ids()
            order = repo.order(ids[-1])
            assert order is not None
            return [key_id_for(s.pubkey) for s in repo.order_signatures(order.id)]
    finally:
        store.close()
