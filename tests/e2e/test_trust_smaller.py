"""The smaller findings of issue 17, item 6: names, the data folder, the emulator PIN,
an impossible snapshot date."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cli_helpers import cli, ok
from officer_desk import PATH, SNAPSHOT

from app.cli.main import main
from app.domain.names import InvalidName, check_name


@pytest.mark.parametrize(
    "name",
    [
        "bob\n   1 2026-12-03T07:00:00Z officer:alice attest.approve",  # forges a log line
        "\u202eecila",  # right-to-left override: reads as "alice"
        "al\u200bice",  # zero-width space
        "tab\there",
        " alice",
        "",
        "x" * 65,
    ],
)
def test_an_officer_name_must_be_one_line_of_printable_text(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = tmp_path / "desk"
    code, _, err = cli(desk, capsys, "officers", "add", name, "--role", "officer",
                       "--device", "trezor:udp:127.0.0.1:1", "--path", PATH)
    assert code == 2 and err.count("\n") == 1
    assert "officer name" in err
    assert "(no officers)" in ok(desk, capsys, "officers", "list") or \
        ok(desk, capsys, "officers", "list", "--json").strip() in ("[]", "")


def test_names_of_every_script_are_fine() -> None:
    for name in ("alice", "张伟", "José Ñúñez", "O'Brien-Smith"):
        assert check_name(name) == name
    with pytest.raises(InvalidName, match="U\\+202E"):
        check_name("\u202eecila")


def test_a_party_key_name_is_checked_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from signing.emulator.hsm import SoftHsm
    from signing.emulator.test_seeds import TEST_MNEMONIC_ZOO

    key = SoftHsm(TEST_MNEMONIC_ZOO).get_public_key(PATH)
    code, _, err = cli(tmp_path / "desk", capsys, "parties", "add", "--party", "regulator",
                       "--pubkey", key.pubkey.hex(), "--emulator", "--name", "reg\nulator")
    assert code == 2 and "key name" in err


def test_an_existing_open_data_folder_is_tightened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = tmp_path / "desk"
    desk.mkdir(mode=0o755)
    desk.chmod(0o755)
    ok(desk, capsys, "holdings", "--json")
    assert stat.S_IMODE(desk.stat().st_mode) == 0o700


def test_a_folder_named_in_a_sqlite_url_is_left_as_the_user_set_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `--store sqlite:///desk.sqlite3` puts the file in the current folder: the desk must
    # not turn the user's working folder owner-only; the file itself is still 0600
    shared = tmp_path / "work"
    shared.mkdir()
    shared.chmod(0o755)
    monkeypatch.chdir(shared)
    code, _, err = cli(tmp_path / "desk", capsys, "--store", "sqlite:///desk.sqlite3",
                       "holdings", "--json")
    assert code == 0, err
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "desk.sqlite3").stat().st_mode) == 0o600


def test_the_emulator_pin_never_appears_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["emulator", "--trezor-port", "0", "--coldcard-socket", ""]
    assert main([*base, "--pin", "1234"]) == 2
    err = capsys.readouterr().err
    assert "ps" in err and "--pin-file" in err and err.count("\n") == 1
    pin_file = tmp_path / "pin"
    pin_file.write_text("1230\n")
    assert main([*base, "--pin-file", str(pin_file)]) == 2  # read from the file, checked
    assert "1 to 9" in capsys.readouterr().err
    monkeypatch.setenv("CUSTODY_DESK_EMULATOR_PIN", "12ab")
    assert main(base) == 2
    assert "PIN" in capsys.readouterr().err


@pytest.mark.parametrize("as_of", ["0001-01-01T00:00:00Z", "0999-06-30T12:00:00Z"])
def test_an_impossible_snapshot_date_is_a_one_line_input_error(
    as_of: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(SNAPSHOT.read_text())
    doc["as_of"] = as_of
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(json.dumps(doc))
    code, _, err = cli(tmp_path / "desk", capsys, "import", str(snapshot))
    assert code == 2, err
    assert "as_of" in err and "CHECK" not in err and err.count("\n") == 1
