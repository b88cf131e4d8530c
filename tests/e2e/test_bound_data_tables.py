"""Every table holding business data is bound to the audit chain (issue 15), on both
store engines: edit one row the way a tamperer with access to the store would (SQL,
triggers off), run ``custody-desk audit verify`` as a user would, and it exits 1
with ``FAIL data:`` naming the table and the row.

One desk, built once per engine through the CLI: the demo snapshot, an officer on
duty, the three parties' keys (statement, multisig and Safe owner keys, each from
its own emulator), alnoor-quant's Bitcoin vault funded with two coins and emptied by
an executed 2-of-3 release, and jumeirah-yield's Safe with an open unfreeze order
one owner signed. Each case runs on a fresh copy of that desk (the SQLite file, or
a PostgreSQL database cloned from it). Attestations, margin calls, the exchange
inbox and outbox and reconciliations have their own desks in test_bound_data.py and
test_bound_data_exchange.py.
"""

from __future__ import annotations

import json
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bound_cases import Desk
from btc_support import MULTISIG_PATH, RELEASE_ADDRESS, account_key, funding_tx, utxo_entries
from embit.script import address_to_scriptpubkey
from officer_desk import PATH, SNAPSHOT, running_emulators
from pg_server import PgServer, find_bindir

from signing.emulator.main import RunningEmulator
from signing.emulator.test_seeds import (
    TEST_MNEMONIC_ABANDON,
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_LEGAL,
    TEST_MNEMONIC_ZOO,
)

SEEDS = {"regulator": TEST_MNEMONIC_ZOO, "custodian": TEST_MNEMONIC_ALL,
         "exchange": TEST_MNEMONIC_LEGAL}
ETH_PATH = "m/44'/60'/0'/0/0"
BTC_CLIENT = "alnoor-quant"
SAFE_CLIENT = "jumeirah-yield"
SAFE = "0x5a5A5a5a5A5a5a5a5a5A5a5A5A5a5a5A5A5A5A5A"
TOKEN = "0xdAC17F958D2ee523a2206206994597C13D831ec7"
SAFE_RELEASE = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4"


@pytest.fixture(scope="module")
def emulators() -> Iterator[dict[str, RunningEmulator]]:
    yield from running_emulators({**SEEDS, "officer": TEST_MNEMONIC_ABANDON})


def _build(desk: Desk, emulators: dict[str, RunningEmulator], work: Path) -> None:
    uri = {p: e.trezor_uri for p, e in emulators.items()}
    desk.ok("import", str(SNAPSHOT))
    desk.ok("officers", "add", "olga", "--role", "officer", "--device", uri["officer"],
            "--path", PATH)
    desk.ok("signin", "--officer", "olga", "--device", uri["officer"])
    for party in SEEDS:
        desk.ok("parties", "add", "--party", party, "--device", uri[party], "--path", PATH,
                "--eth-path", ETH_PATH)
    for party in ("regulator", "custodian"):
        desk.ok("parties", "add", "--party", party, "--device", uri[party],
                "--multisig-path", MULTISIG_PATH)
    desk.ok("parties", "add", "--party", "exchange",
            "--multisig-xpub", str(account_key(SEEDS["exchange"])))
    info = json.loads(desk.ok("vault", "descriptor", "--client", BTC_CLIENT, "--json"))
    addresses = [a["address"] for a in info["receive_addresses"]]
    fund = funding_tx([(bytes(address_to_scriptpubkey(addresses[0]).data), 60_000_000),
                       (bytes(address_to_scriptpubkey(addresses[3]).data), 40_000_000)])
    utxos = work / "utxos.json"
    utxos.write_text(json.dumps({"utxos": utxo_entries(fund)}))
    desk.ok("vault", "utxos", "import", str(utxos))
    order = desk.ok("emergency", "create", "--client", BTC_CLIENT, "--reason",
                    "exchange unreachable", "--to", RELEASE_ADDRESS, "--fee-rate", "3").strip()
    for party in ("regulator", "custodian"):
        desk.ok("emergency", "sign", order, "--party", party, "--device", uri[party],
                "--path", PATH, "--out", str(work / f"{party}.json"))
    desk.ok("emergency", "execute", order, "--out", str(work / "release.json"),
            "--tx-out", str(work / "release.tx"))
    for written in ("regulator.json", "custodian.json", "release.json", "release.tx"):
        # signed copies, the release instruction and transaction: owner-only (issue 15)
        assert stat.S_IMODE((work / written).stat().st_mode) == 0o600, written
    # the Safe (no chain node: the officer states the token's decimals)
    desk.ok("vault", "safe", "set", "--client", SAFE_CLIENT, "--chain-id", "1",
            "--safe", SAFE, "--token", f"BENJI={TOKEN}", "--decimals", "BENJI=18",
            "--release", SAFE_RELEASE)
    safe_order = desk.ok("emergency", "create", "--client", SAFE_CLIENT, "--reason",
                         "exchange insolvent", "--asset", "BENJI").splitlines()[0].strip()
    desk.ok("emergency", "safe-sign", safe_order, "--party", "regulator",
            "--device", uri["regulator"])
    # where documents go: the exchange link and the chain node (audited, bound settings)
    desk.ok("exchange-link", "--url", "https://exchange.example.test/")
    desk.ok("vault", "chain", "--rpc-url", "http://127.0.0.1:9")


@dataclass
class Pristine:
    backend: str
    data: Path
    template: str | None  # the PostgreSQL database to clone
    server: PgServer | None


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def pristine(
    request: pytest.FixtureRequest,
    emulators: dict[str, RunningEmulator],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Pristine]:
    work = tmp_path_factory.mktemp(f"bound-{request.param}")
    if request.param == "sqlite":
        desk = Desk(work / "desk")
        _build(desk, emulators, work)
        ok, out, _ = desk.run("audit", "verify")
        assert ok == 0, out
        yield Pristine("sqlite", desk.data, None, None)
        return
    if find_bindir() is None:
        pytest.skip("PostgreSQL server binaries not found")
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.create_database(template=request.getfixturevalue("pg_template"))
    desk = Desk(work / "desk", url)
    _build(desk, emulators, work)
    code, out, _ = desk.run("audit", "verify")
    assert code == 0, out
    yield Pristine("postgresql", desk.data, url.rsplit("/", 1)[1], server)
    server.drop_database(url)


@pytest.fixture
def desk(pristine: Pristine, tmp_path: Path) -> Iterator[Desk]:
    """A fresh copy of the pristine desk."""
    data = tmp_path / "desk"
    shutil.copytree(pristine.data, data, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    if pristine.server is None:
        yield Desk(data)
        return
    url = pristine.server.create_database(template=pristine.template)
    yield Desk(data, url)
    pristine.server.drop_database(url)


# (table, UPDATE/INSERT/DELETE as a tamperer would write it, what `audit verify` names)
CASES = [
    ("positions", "UPDATE positions SET quantity = '999999999' "
     "WHERE client_id = 'alnoor-quant' AND asset = 'BENJI'",
     "positions row (snapshot_id=1, client_id=alnoor-quant, asset=BENJI): quantity is "
     "999999999"),
    ("prices", "UPDATE prices SET price_usd = '2.00' WHERE asset = 'BENJI'",
     "prices row (snapshot_id=1, asset=BENJI): price_usd is 2"),
    ("client_states", "UPDATE client_states SET net_assets_usd = '1' "
     "WHERE client_id = 'palm-harbour'",
     "client_states row (snapshot_id=1, client_id=palm-harbour): net_assets_usd is 1"),
    ("snapshots", "UPDATE snapshots SET as_of = '2099-01-01T00:00:00.000000Z'",
     "snapshots row (id=1): as_of differs"),
    ("clients", "UPDATE clients SET name = 'Someone Else' WHERE id = 'alnoor-quant'",
     "clients row (id=alnoor-quant): name is 'Someone Else'"),
    ("officers", "UPDATE officers SET is_emulator = 0", "officers row (id=1): edited"),
    ("officers", "UPDATE officers SET role = 'admin'", "officers row (id=1): edited"),
    ("party_keys", "UPDATE party_keys SET is_emulator = 0 WHERE party = 'exchange'",
     "party_keys row (id=3): edited"),
    ("party_keys", "UPDATE party_keys SET role = 'exchange' WHERE party = 'regulator'",
     "party_keys row (id=1): edited"),
    ("btc_multisig_keys", "UPDATE btc_multisig_keys SET xpub = xpub || 'x' "
     "WHERE party = 'exchange'", "btc_multisig_keys row (id=3): edited"),
    ("vault_utxos", "UPDATE vault_utxos SET amount_sat = amount_sat + 1 WHERE id = 1",
     "vault_utxos row (id=1): edited"),
    ("vault_utxos", "UPDATE vault_utxos SET spent_by = NULL WHERE id = 2",
     "vault_utxos row (id=2): edited"),
    ("emergency_psbts", "UPDATE emergency_psbts SET destination = 'tb1attacker'",
     "emergency_psbts row (order_id=1): edited"),
    ("emergency_psbts", "UPDATE emergency_psbts SET raw_tx = NULL",
     "emergency_psbts row (order_id=1): edited"),
    ("emergency_orders", "UPDATE emergency_orders SET reason = 'changed' WHERE id = 1",
     "emergency_orders row (public_id="),
    ("emergency_signatures", "UPDATE emergency_signatures SET party = 'exchange' "
     "WHERE party = 'regulator' AND order_id = 1", "emergency_signatures row (id=1): edited"),
    ("eth_owners", "UPDATE eth_owners SET address = '0x" + "66" * 20 + "' "
     "WHERE party = 'exchange'", "eth_owners row (party=exchange): edited"),
    ("vault_safes", f"UPDATE vault_safes SET release_address = '0x{'66' * 20}'",
     f"vault_safes row (client_id={SAFE_CLIENT}): edited"),
    ("vault_safes", "UPDATE vault_safes SET next_nonce = next_nonce + 1",
     f"vault_safes row (client_id={SAFE_CLIENT}): edited"),
    ("vault_safe_tokens", "UPDATE vault_safe_tokens SET decimals = 6",
     f"vault_safe_tokens row (client_id={SAFE_CLIENT},asset=BENJI): edited"),
    ("order_safe_signatures", "UPDATE order_safe_signatures SET shown_in_full = "
     "1 - shown_in_full", "order_safe_signatures row (order_id="),
    ("order_safe_signatures", "DELETE FROM order_safe_signatures",
     "order_safe_signatures row (order_id="),
    ("settings", "UPDATE settings SET value = 'https://attacker.example/' "
     "WHERE key = 'exchange.link'", "settings row (key=exchange.link): edited"),
    ("settings", "UPDATE settings SET value = 'http://127.0.0.1:666' WHERE key = 'chain.rpc_url'",
     "settings row (key=chain.rpc_url): edited"),
    ("settings", "INSERT INTO settings (key, value, updated_at) VALUES ('exchange.tls_ca', "
     "'/tmp/attacker-ca.pem', '2026-11-26T09:00:00.000000Z')",
     "settings row (key=exchange.tls_ca): not in the audit trail"),
    ("revoked_keys", "INSERT INTO revoked_keys (pubkey, revoked_at, revoked_by) SELECT pubkey, "
     "'2026-11-26T09:00:00.000000Z', 'x' FROM party_keys WHERE party = 'exchange'",
     "revoked_keys row (pubkey="),
    # tables no desk use case writes: any row is one the trail never saw
    ("redemptions", "INSERT INTO redemptions (client_id, asset, quantity, status, locked_at, "
     "settlement_due_at, created_by, updated_at) VALUES ('alnoor-quant', 'BENJI', "
     "'80000000', 'locked', '2026-11-26T09:00:00.000000Z', '2026-11-27T09:00:00.000000Z', "
     "'x', '2026-11-26T09:00:00.000000Z')",
     "redemptions row (id=1): not in the audit trail (inserted outside the desk)"),
    ("yield_accruals", "INSERT INTO yield_accruals (client_id, asset, accrual_date, "
     "quantity_basis, amount, created_at) VALUES ('alnoor-quant', 'BENJI', '2026-11-26', "
     "'80000000', '10958.90', '2026-11-26T09:00:00.000000Z')",
     "yield_accruals row (id=1): not in the audit trail"),
    ("attestation_signatures", "INSERT INTO attestation_signatures (attestation_id, purpose, "
     "address, pubkey, signature, signed_at) VALUES (1, 'co-sign', 'a', 'b', 'c', "
     "'2026-11-26T09:00:00.000000Z')", "attestation_signatures row (id=1): not in the audit"),
]


def test_the_untouched_desk_binds_every_table(desk: Desk) -> None:
    code, out, _ = desk.run("audit", "verify")
    assert code == 0, out
    assert "ok   data: 1 snapshots and" in out and "adopted" not in out


@pytest.mark.parametrize(("table", "sql", "named"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_an_edited_row_fails_audit_verify_naming_table_and_row(
    desk: Desk, table: str, sql: str, named: str
) -> None:
    assert desk.sql(sql) >= 1, sql
    line = desk.data_failure()
    assert named in line and table in line, line


def test_the_bound_settings_are_the_link_and_chain_settings_the_desk_reads() -> None:
    from app.exchange.configured import LINK_SETTING, TLS_SETTINGS
    from app.exchange.intake import INBOX_CURSOR
    from app.services.data_binding import BOUND_SETTINGS, LINK_SETTINGS
    from app.services.eth_rpc import RPC_SETTING

    assert {LINK_SETTING, *TLS_SETTINGS, RPC_SETTING} == LINK_SETTINGS
    assert LINK_SETTINGS | {INBOX_CURSOR} == BOUND_SETTINGS


@pytest.mark.parametrize(("sql", "named"), [
    ("UPDATE officers SET active = 0",
     "officer olga is inactive but no key.revoke or officer.revoke entry took them off"),
    ("UPDATE party_keys SET revoked_at = '2026-11-26T09:00:00.000000Z' "
     "WHERE party = 'exchange'", "is marked revoked but no key.revoke entry revoked it"),
])
def test_a_revocation_the_trail_does_not_hold_is_named(desk: Desk, sql: str, named: str) -> None:
    """``active`` and ``revoked_at`` follow the trail's revocations (the officers and keys
    check): a row taken off with SQL, without the entry, is named too."""
    assert desk.sql(sql) >= 1, sql
    code, out, _ = desk.run("audit", "verify")
    assert code == 1 and "FAIL officers and keys: " in out and named in out, out
