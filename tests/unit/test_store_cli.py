"""The store's command line: import, holdings, audit verify/log, backup, restore."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from app.paths import DATA_DIR_ENV, STORE_FILE_NAME, data_dir, store_path
from app.services.demo import demo_snapshot_path


def run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


def dump(data: Path) -> list[str]:
    db = sqlite3.connect(data / STORE_FILE_NAME)
    try:
        return list(db.iterdump())
    finally:
        db.close()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    assert run(folder, "import", str(demo_snapshot_path())) == 0
    return folder


def test_import_is_idempotent(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    before = dump(data)
    assert run(data, "import", str(demo_snapshot_path())) == 0
    assert "store unchanged" in capsys.readouterr().out
    assert dump(data) == before


def test_holdings_json_has_the_documented_fields(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(data, "holdings", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    alnoor = next(row for row in rows if row["id"] == "alnoor-quant")
    assert alnoor["collateral_value_usd"] == "78400000.00"
    assert alnoor["credit_line_usd"] == "156800000.00"
    assert alnoor["state"] in {"healthy", "margin_call", "liquidation"}
    assert alnoor["positions"][0]["quantity"] == "80000000"
    assert any(row["eligible"] is False and row["ineligible_reasons"] for row in rows)
    assert run(data, "holdings") == 0
    assert "alnoor-quant" in capsys.readouterr().out


def test_holdings_before_any_snapshot_time_is_empty(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(data, "holdings", "--json", "--as-of", "2020-01-01T00:00:00Z") == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run(data, "holdings", "--as-of", "yesterday") == 2


def good() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(demo_snapshot_path().read_text())
    return document


def _with(change: Any) -> str:
    doc = good()
    change(doc)
    return json.dumps(doc)


BAD_INPUTS = {
    "malformed JSON": ('{"as_of": "2026-11-26T09:00:00Z", "prices": {', "$"),
    "unknown asset": (
        _with(lambda d: d["clients"][0]["positions"][0].update(asset="DOGE")),
        "clients[0].positions[0].asset",
    ),
    "negative amount": (
        _with(lambda d: d["clients"][1]["positions"][0].update(quantity="-1")),
        "clients[1].positions[0].quantity",
    ),
    "float-looking amount": (
        _with(lambda d: d["clients"][0].update(exposure_usd=1.5)),
        "clients[0].exposure_usd",
    ),
    "exponent": (_with(lambda d: d["prices"].update(BTC="9.7e4")), "prices.BTC"),
    "missing field": (_with(lambda d: d["clients"][2].pop("name")), "clients[2].name"),
    "NaN": (
        json.dumps(good()).replace('"exposure_usd": "0.00"', '"exposure_usd": NaN', 1),
        "exposure_usd",
    ),
    "duplicate key": (
        json.dumps(good()).replace('"as_of": ', '"as_of": "2026-01-01T00:00:00Z", "as_of": ', 1),
        "as_of",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_import_exits_non_zero_naming_the_field_and_changes_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    text, field = BAD_INPUTS[case]
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    before = dump(data)
    capsys.readouterr()
    code = run(data, "import", str(bad))
    err = capsys.readouterr().err
    assert code != 0
    assert len(err.strip().splitlines()) == 1, err
    assert field in err
    assert dump(data) == before


def test_missing_file_is_one_line_error(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(data, "import", str(data / "nope.json")) != 0
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_audit_verify_prints_one_line_per_check_and_fails_on_tampering(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(data, "audit", "verify") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0].split(maxsplit=1)[1] for line in lines] == [
        "chain", "head", "checkpoints", "store", "checkpoint signatures", "data",
        "officers and keys", "sign-ins",
    ]
    assert all(line.startswith("ok") for line in lines)

    db = sqlite3.connect(data / STORE_FILE_NAME)
    db.execute("DROP TRIGGER audit_entries_append_only_update")
    db.execute("UPDATE audit_entries SET actor = 'someone-else' WHERE seq = 1")
    db.commit()
    db.close()
    assert run(data, "audit", "verify") == 1
    assert "FAIL chain" in capsys.readouterr().out


def test_audit_log_json(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(data, "audit", "log", "--json") == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["seq"] == 1 and entry["action"] == "snapshot.import"
    assert entry["time"].endswith("Z") and len(entry["entry_hash"]) == 64
    assert run(data, "audit", "checkpoint") == 0
    assert run(data, "audit", "verify") == 0


def test_backup_refuses_to_overwrite_and_restores(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "backup.sqlite3"
    assert run(data, "backup", str(target)) == 0
    assert target.is_file()
    stamp = target.read_bytes()
    assert run(data, "backup", str(target)) == 2
    assert target.read_bytes() == stamp
    capsys.readouterr()

    # Something happens after the backup; restoring brings the store back to it.
    other = tmp_path / "other.json"
    doc = good()
    doc["as_of"] = "2026-11-27T09:00:00Z"
    other.write_text(json.dumps(doc))
    assert run(data, "import", str(other)) == 0
    assert run(data, "restore", str(target)) == 0
    assert "previous store kept as" in capsys.readouterr().out
    assert run(data, "audit", "verify") == 0
    db = sqlite3.connect(data / STORE_FILE_NAME)
    assert db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 1
    db.close()
    assert list(data.glob(f"{STORE_FILE_NAME}.before-restore-*"))


def test_restore_refuses_damaged_or_tampered_backups(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"x" * 4096)
    before = dump(data)
    assert run(data, "restore", str(junk)) == 2
    target = tmp_path / "backup.sqlite3"
    assert run(data, "backup", str(target)) == 0
    db = sqlite3.connect(target)
    db.execute("DROP TRIGGER audit_entries_append_only_update")
    db.execute("UPDATE audit_entries SET payload = '{}' WHERE seq = 1")
    db.commit()
    db.close()
    before = dump(data)
    assert run(data, "restore", str(target)) == 2
    assert "does not verify" in capsys.readouterr().err
    assert dump(data) == before


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert data_dir() == tmp_path / "env"
    assert data_dir(tmp_path / "flag") == tmp_path / "flag"
    assert store_path(tmp_path / "flag") == tmp_path / "flag" / STORE_FILE_NAME
    monkeypatch.delenv(DATA_DIR_ENV)
    assert data_dir().name == "custody-desk"


def test_env_var_selects_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert main(["import", str(demo_snapshot_path())]) == 0
    assert (tmp_path / "env" / STORE_FILE_NAME).is_file()
