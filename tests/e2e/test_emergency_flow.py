"""Emergency 2-of-3 end to end through the CLI, with three emulators (own seeds).

Regulator, custodian and exchange each hold a key on a separate in-process
SoftHsm emulator served as a Trezor on loopback UDP and reached through the
real Trezor driver. Every step is its own command: the store is closed and
re-opened between steps (a restart), so state must live in the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import cli, officer_on_duty, ok
from desk_stores import open_desk_store
from officer_desk import PATH, SNAPSHOT, running_emulators

from signing.emulator.main import RunningEmulator
from signing.emulator.test_seeds import (
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_LEGAL,
    TEST_MNEMONIC_ZOO,
)

pytestmark = pytest.mark.usefixtures("desk_backend")  # both backends (tests/desk_stores.py)

PATH_2 = "m/44'/0'/2'/0/0"


@pytest.fixture(scope="module")
def emulators() -> Iterator[dict[str, RunningEmulator]]:
    """The regulator's, the custodian's and the exchange's emulators, each on its own seed."""
    yield from running_emulators({
        "regulator": TEST_MNEMONIC_ZOO,
        "custodian": TEST_MNEMONIC_ALL,
        "exchange": TEST_MNEMONIC_LEGAL,
    })


def status(data: Path, capsys: pytest.CaptureFixture[str], order: str) -> dict[str, object]:
    result: dict[str, object] = json.loads(ok(data, capsys, "emergency", "status", order, "--json"))
    return result


def test_two_of_three_unfreeze_survives_restarts_and_executes_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator],
    devices: dict[str, RunningEmulator],
) -> None:
    desk = tmp_path / "desk"
    uri = {p: e.trezor_uri for p, e in emulators.items()}
    ok(desk, capsys, "import", str(SNAPSHOT))
    # creating and executing orders are an officer's acts: alice (her own device) is on duty
    officer_on_duty(desk, capsys, "alice", devices["alice"].trezor_uri)
    for party in ("regulator", "custodian", "exchange"):
        ok(desk, capsys, "parties", "add", "--party", party, "--device", uri[party], "--path", PATH)
    # a second custodian key: two custodian signatures must still count as one party
    ok(desk, capsys, "parties", "add", "--party", "custodian", "--device", uri["custodian"],
       "--path", PATH_2)
    keys = tmp_path / "keys.json"
    ok(desk, capsys, "keys", "export", "--out", str(keys))

    order = ok(desk, capsys, "emergency", "create", "--client", "alnoor-quant",
               "--reason", "exchange unreachable for 6 hours").strip()
    assert order.startswith("uo-")
    st = status(desk, capsys, order)
    assert st["parties_signed"] == [] and st["quorum_reached"] is False

    # custodian's share, on the custodian officer's device; recorded on the desk
    cust = tmp_path / "custodian.json"
    ok(desk, capsys, "emergency", "sign", order, "--party", "custodian",
       "--device", uri["custodian"], "--path", PATH, "--out", str(cust))
    # one share per party: a second custodian key is refused, on the copy and on import
    cust2 = tmp_path / "custodian2.json"
    code, _, err = cli(desk, capsys, "emergency", "sign", str(cust), "--party", "custodian",
                       "--device", uri["custodian"], "--path", PATH_2, "--out", str(cust2),
                       "--keys", str(keys))
    assert code == 2 and "already signed" in err and not cust2.exists()
    ok(desk, capsys, "emergency", "sign", str(cust), "--party", "custodian",
       "--device", uri["custodian"], "--path", PATH_2, "--out", str(cust2), "--keys", str(keys),
       "--replace", "--reason", "second key")
    code, _, err = cli(desk, capsys, "emergency", "import", str(cust2))
    assert code == 2 and "one share per party" in err
    st = status(desk, capsys, order)
    assert st["parties_signed"] == ["custodian"], "a repeated party counts once"
    assert st["quorum_reached"] is False and st["executable"] is False
    code, _, err = cli(desk, capsys, "emergency", "execute", order)
    assert code == 2 and "no_quorum" in err

    # the regulator signs the exported copy with its own tool and device
    exported = tmp_path / "export.json"
    ok(desk, capsys, "emergency", "export", order, "--out", str(exported))
    reg = tmp_path / "regulator.json"
    reg_desk = tmp_path / "regulator-desk"
    ok(reg_desk, capsys, "emergency", "sign", str(exported), "--party", "regulator",
       "--device", uri["regulator"], "--path", PATH, "--out", str(reg), "--keys", str(keys))
    ok(desk, capsys, "emergency", "import", str(reg))
    ok(desk, capsys, "emergency", "import", str(reg))  # importing twice changes nothing
    st = status(desk, capsys, order)
    assert st["parties_signed"] == ["custodian", "regulator"]
    assert st["quorum_reached"] is True and st["executable"] is True and st["executed"] is False

    exch = tmp_path / "exchange.json"
    ok(tmp_path / "exchange-desk", capsys, "emergency", "sign", str(exported), "--party",
       "exchange", "--device", uri["exchange"], "--path", PATH, "--out", str(exch),
       "--keys", str(keys))
    ok(desk, capsys, "emergency", "import", str(exch))
    assert status(desk, capsys, order)["parties_signed"] == ["custodian", "exchange", "regulator"]

    release = tmp_path / "release.json"
    ok(desk, capsys, "emergency", "execute", order, "--out", str(release))
    code, _, err = cli(desk, capsys, "emergency", "execute", order)
    assert code == 2 and "already executed" in err
    st = status(desk, capsys, order)
    assert st["executed"] is True and st["executable"] is False
    code, _, err = cli(desk, capsys, "emergency", "import", str(exch))
    assert code == 2 and "replay" in err

    out = ok(desk, capsys, "verify", str(release), "--keys", str(keys))
    assert "OK   quorum: 3 of 2 distinct parties" in out and out.strip().endswith("VALID")
    out = ok(desk, capsys, "verify", str(exch), "--keys", str(keys))
    assert "VALID" in out
    code, out, _ = cli(desk, capsys, "verify", str(cust), "--keys", str(keys))
    assert code == 1 and "no_quorum" in out  # one party alone is not an unfreeze

    # after a last restart: exactly one release and one execute entry in the audit log
    store = open_desk_store(desk)
    try:
        with store.read() as tx:
            rows = tx.connection.execute(
                "SELECT COUNT(*) FROM emergency_orders WHERE release_json IS NOT NULL"
            ).fetchone()
            executes = tx.audit.entries(action="emergency.execute")
        assert rows[0] == 1
        assert len(executes) == 1
    finally:
        store.close()


def test_custodian_share_on_an_officers_own_device_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], emulators: dict[str, RunningEmulator]
) -> None:
    desk = tmp_path / "desk"
    uri = {p: e.trezor_uri for p, e in emulators.items()}
    ok(desk, capsys, "import", str(SNAPSHOT))
    officer_on_duty(desk, capsys, "carol", uri["custodian"])
    ok(desk, capsys, "parties", "add", "--party", "exchange", "--device", uri["exchange"],
       "--path", PATH)
    order = ok(desk, capsys, "emergency", "create", "--client", "palm-harbour",
               "--reason", "custodian cold wallet migration").strip()
    ok(desk, capsys, "emergency", "sign", order, "--party", "custodian",
       "--device", uri["custodian"], "--path", PATH, "--out", str(tmp_path / "c.json"))
    # the exchange's key cannot pass for the regulator
    code, _, err = cli(desk, capsys, "emergency", "sign", order, "--party", "regulator",
                       "--device", uri["exchange"], "--path", PATH, "--out", str(tmp_path / "r"))
    assert code == 2 and "unknown_key" in err
    ok(desk, capsys, "emergency", "sign", order, "--party", "exchange",
       "--device", uri["exchange"], "--path", PATH, "--out", str(tmp_path / "e.json"))
    st = status(desk, capsys, order)
    assert st["parties_signed"] == ["custodian", "exchange"] and st["executable"] is True
