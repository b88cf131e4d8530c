"""`custody-desk devices / sign / verify-message` end to end over an in-process SoftHsm."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from softhsm_fake_signer import HsmSigner

from app.cli.main import main
from signing import registry
from signing.emulator.hsm import SoftHsm
from signing.interface import DeviceInfo, Signer

PATH = "m/44'/0'/0'/0/0"
ADDRESS = "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL"
VECTOR_TEXT = "This is an example of a signed message."
VECTOR_SIG = base64.b64encode(
    bytes.fromhex(
        "20fd8f2f7db5238fcdd077d5204c3e6949c261d700269cefc1d9d2dcef6b95023630ee617f6c8acf9eb40c"
        "8edd704c9ca74ea4afc393f43f35b4e8958324cbdd1c"
    )
).decode()


@pytest.fixture
def hsm() -> Iterator[SoftHsm]:
    device = SoftHsm()

    def enumerate_fn() -> list[DeviceInfo]:
        return [HsmSigner("clihsm:1", device).info]

    def open_fn(uri: str) -> Signer:
        return HsmSigner(uri, device)

    registry.register_family("clihsm", enumerate_fn, open_fn)
    yield device
    registry.unregister_family("clihsm")


def test_sign_json_matches_trezor_vector(hsm: SoftHsm, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sign", "--device", "clihsm:1", "--path", PATH, "--text", VECTOR_TEXT, "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    result = json.loads(out)
    assert result["address"] == ADDRESS
    assert result["signature"] == VECTOR_SIG
    assert result["pubkey"] == hsm.get_public_key(PATH).pubkey.hex()
    assert result["device"]["is_emulator"] is True
    assert "Confirm on your device" in err and VECTOR_TEXT in err


def test_signed_output_verifies_with_verify_message(
    hsm: SoftHsm, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "attest ACME 2026-11-26 env=test"
    assert main(["sign", "--device", "clihsm:1", "--path", PATH, "--text", text, "--json"]) == 0
    signed = json.loads(capsys.readouterr().out)
    args = ["verify-message", "--address", signed["address"], "--signature", signed["signature"]]
    assert main([*args, "--text", text]) == 0
    assert main([*args, "--text", text + "!"]) == 1
    assert main([*args, "--text", text, "--environment", "prod"]) == 1


@pytest.mark.parametrize(
    "text",
    ["x", "two  lines\nhere", "trailing ", "tab\there", "triple   space", "é" * 5, "a" * 241],
)
def test_bad_text_is_refused_before_the_device(
    hsm: SoftHsm, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert main(["sign", "--device", "clihsm:1", "--path", PATH, "--text", text]) == 2
    err = capsys.readouterr().err
    assert "invalid_text" in err
    assert hsm.state()["prompts"] == 0


def test_rejection_on_device_is_a_typed_error(
    hsm: SoftHsm, capsys: pytest.CaptureFixture[str]
) -> None:
    hsm.set_policy("reject")
    assert main(["sign", "--device", "clihsm:1", "--path", PATH, "--text", "no thanks"]) == 1
    err = capsys.readouterr().err
    assert "rejected on the device" in err and "user_rejected" in err


def test_production_text_is_refused_by_the_emulator(
    hsm: SoftHsm, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sign", "--device", "clihsm:1", "--path", PATH, "--text", "go env=prod"]) == 1
    assert "not_allowed" in capsys.readouterr().err


def test_pin_is_asked_with_getpass(
    hsm: SoftHsm, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hsm.set_pin("1234")
    monkeypatch.setattr("getpass.getpass", lambda prompt: "1234")
    assert main(["sign", "--device", "clihsm:1", "--path", PATH, "--text", "with pin"]) == 0
    monkeypatch.setattr("getpass.getpass", lambda prompt: "0000")
    hsm.lock()
    assert main(["sign", "--device", "clihsm:1", "--path", PATH, "--text", "with pin"]) == 1
    assert "wrong_pin" in capsys.readouterr().err


def test_unknown_device_and_bad_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sign", "--device", "nope:1", "--path", PATH, "--text", "hello"]) == 1
    assert "device_not_found" in capsys.readouterr().err
    assert main(["sign", "--device", "nope:1", "--path", "m/x", "--text", "hello"]) == 2


def test_devices_lists_the_emulator(hsm: SoftHsm, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["devices", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    mine = [r for r in rows if r["uri"] == "clihsm:1"]
    assert mine and mine[0]["is_emulator"] and mine[0]["label"].startswith("EMULATOR")
    assert main(["devices"]) == 0
    assert "[EMULATOR]" in capsys.readouterr().out


def test_verify_message_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["verify-message", "--address", ADDRESS, "--text", VECTOR_TEXT]
    assert main([*base, "--signature", VECTOR_SIG]) == 0
    other = "3L6TyTisPBmrDAj6RoKmDzNnj4eQi54gD2"
    sig = ["--signature", VECTOR_SIG, "--text", VECTOR_TEXT]
    assert main(["verify-message", "--address", other, *sig]) == 1
    assert main([*base, "--signature", "not base64!"]) == 2
    assert main([*base, "--signature", base64.b64encode(b"\x20" * 64).decode()]) == 2
    assert main([*base, "--signature", base64.b64encode(b"\x00" * 65).decode()]) == 2
    assert main(["verify-message", "--address", "1notanaddress", *sig]) == 2
    err = capsys.readouterr().err
    assert "malformed input" in err and "NOT VALID" in err


def test_verify_message_legacy_header_flag() -> None:
    sig = base64.b64encode(
        bytes.fromhex(
            "1f744de4516fac5c140808015664516a32fead94de89775cec7e24dbc24fe133075ac09301c4cc8e"
            "197bea4b6481661d5b8e9bf19d8b7b8a382ecdb53c2ee0750d"
        )
    ).decode()
    args = ["verify-message", "--address", "3L6TyTisPBmrDAj6RoKmDzNnj4eQi54gD2"]
    args += ["--signature", sig, "--text", VECTOR_TEXT]
    assert main(args) == 1
    assert main([*args, "--allow-legacy-header"]) == 0
