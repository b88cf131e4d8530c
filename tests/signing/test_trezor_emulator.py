"""Stock trezorlib and trezorctl drive the emulator as they drive the official one.

The signing cases are trezor-firmware's device-test vectors
(tests/device_tests/bitcoin/test_signmessage.py, seed "all all ... all"): the
emulator's signatures must equal them byte for byte.
"""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from trezorlib import btc as trezor_btc
from trezorlib import client as trezor_client
from trezorlib import exceptions, messages
from trezorlib.protocol_v1 import TrezorClientV1
from trezorlib.tools import parse_path
from trezorlib.transport import get_transport

from signing.emulator.hsm import SoftHsm
from signing.emulator.main import RunningEmulator, start_emulator
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON
from signing.emulator.trezor_messages import MessageType
from signing.emulator.trezor_server import TrezorUdpServer
from signing.errors import NotAllowed
from signing.framing import trezor_v1

# trezorlib's @workflow decorator hides btc.* signatures from mypy
btc: Any = trezor_btc
S = messages.InputScriptType
MESSAGE = "This is an example of a signed message."
MESSAGE_NFKD = (
    "Pr\u030ci\u0301s\u030cerne\u030c z\u030clut\u030couc\u030cky\u0301 ku\u030an\u030c "
    "u\u0301pe\u030cl d\u030ca\u0301belske\u0301 o\u0301dy za\u0301ker\u030cny\u0301 "
    "uc\u030cen\u030c be\u030cz\u030ci\u0301 pode\u0301l zo\u0301ny u\u0301lu\u030a"
)
MESSAGE_NFC = (
    "P\u0159\xed\u0161ern\u011b \u017elu\u0165ou\u010dk\xfd k\u016f\u0148 \xfap\u011bl "
    "\u010f\xe1belsk\xe9 \xf3dy z\xe1ke\u0159n\xfd u\u010de\u0148 b\u011b\u017e\xed "
    "pod\xe9l z\xf3ny \xfal\u016f"
)
NFKD_NFC_SIGNATURE = (
    "2046a0b46e81492f82e0412c73701b9740e6462c603575ee2d36c7d7b4c20f0f"
    "33763ca8cb3027ea8e1ce5e83fda8b6746fea8f5c82655d78fd419e7c766a5e17a"
)
LONG = "VeryLongMessage!" * 64

# coin, path, script type, no_script_type, address, message, signature (hex)
VECTORS = [
    pytest.param("Bitcoin", "m/44h/0h/0h/0/0", S.SPENDADDRESS, False,
        "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL", MESSAGE,
        "20fd8f2f7db5238fcdd077d5204c3e6949c261d700269cefc1d9d2dcef6b9502"
        "3630ee617f6c8acf9eb40c8edd704c9ca74ea4afc393f43f35b4e8958324cbdd1c", id="p2pkh"),
    pytest.param("Bitcoin", "m/49h/0h/0h/0/0", S.SPENDP2SHWITNESS, False,
        "3L6TyTisPBmrDAj6RoKmDzNnj4eQi54gD2", MESSAGE,
        "23744de4516fac5c140808015664516a32fead94de89775cec7e24dbc24fe133"
        "075ac09301c4cc8e197bea4b6481661d5b8e9bf19d8b7b8a382ecdb53c2ee0750d", id="segwit-p2sh"),
    pytest.param("Bitcoin", "m/84h/0h/0h/0/0", S.SPENDWITNESS, False,
        "bc1qannfxke2tfd4l7vhepehpvt05y83v3qsf6nfkk", MESSAGE,
        "28b55d7600d9e9a7e2a49155ddf3cfdb8e796c207faab833010fa41fb7828889"
        "bc47cf62348a7aaa0923c0832a589fab541e8f12eb54fb711c90e2307f0f66b194", id="segwit-native"),
    pytest.param("Bitcoin", "m/44h/0h/0h/0/0", S.SPENDADDRESS, True,
        "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL", MESSAGE,
        "20fd8f2f7db5238fcdd077d5204c3e6949c261d700269cefc1d9d2dcef6b9502"
        "3630ee617f6c8acf9eb40c8edd704c9ca74ea4afc393f43f35b4e8958324cbdd1c",
        id="p2pkh-no-script-type"),
    pytest.param("Bitcoin", "m/49h/0h/0h/0/0", S.SPENDP2SHWITNESS, True,
        "3L6TyTisPBmrDAj6RoKmDzNnj4eQi54gD2", MESSAGE,
        "1f744de4516fac5c140808015664516a32fead94de89775cec7e24dbc24fe133"
        "075ac09301c4cc8e197bea4b6481661d5b8e9bf19d8b7b8a382ecdb53c2ee0750d",
        id="segwit-p2sh-no-script-type"),
    pytest.param("Bitcoin", "m/84h/0h/0h/0/0", S.SPENDWITNESS, True,
        "bc1qannfxke2tfd4l7vhepehpvt05y83v3qsf6nfkk", MESSAGE,
        "20b55d7600d9e9a7e2a49155ddf3cfdb8e796c207faab833010fa41fb7828889"
        "bc47cf62348a7aaa0923c0832a589fab541e8f12eb54fb711c90e2307f0f66b194",
        id="segwit-native-no-script-type"),
    pytest.param("Bitcoin", "m/44h/0h/0h/0/1", S.SPENDADDRESS, False,
        "1GWFxtwWmNVqotUPXLcKVL2mUKpshuJYo", MESSAGE_NFKD, NFKD_NFC_SIGNATURE, id="NFKD"),
    pytest.param("Bitcoin", "m/44h/0h/0h/0/1", S.SPENDADDRESS, False,
        "1GWFxtwWmNVqotUPXLcKVL2mUKpshuJYo", MESSAGE_NFC, NFKD_NFC_SIGNATURE, id="NFC"),
    pytest.param("Bitcoin", "m/10026'/826421588'/2'/0'", S.SPENDADDRESS, False,
        "1FoHjQT6bAEu2FQGzTgqj4PBneoiCAk4ZN", b"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
        "1f40ae58dd68480a2f39eecf4decfe79ceacde3f865502db67c083b8465b3353"
        "5c0750d5377b7ac62e534f71c922cd029f659761f8ac99e859df36322c5b320eff", id="t1-fw-path"),
    pytest.param("Testnet", "m/44h/1h/0h/0/0", S.SPENDADDRESS, False,
        "mvbu1Gdy8SUjTenqerxUaZyYjmveZvt33q", MESSAGE,
        "2030cd7f116c0481d1936cfef48137fd23ee56aaf00787bfa08a94837466ec99"
        "09390c3efacfc56bae5782f1db4cf49ae05f242b5f62a47f871ec46bf1a3253e7f", id="testnet-p2pkh"),
    pytest.param("Testnet", "m/49h/1h/0h/0/0", S.SPENDP2SHWITNESS, False,
        "2N4Q5FhU2497BryFfUgbqkAJE87aKHUhXMp", MESSAGE,
        "23ef39fd388c3425d6aaa04274dcd5c7dd4c283a411b616443474fbcde5dd966"
        "050d91bc7c57e9578f28efdd84c9a9bcba415f93c5727b5d3f2bf3de46d7084896",
        id="testnet-segwit-p2sh"),
    pytest.param("Testnet", "m/84h/1h/0h/0/0", S.SPENDWITNESS, False,
        "tb1qkvwu9g3k2pdxewfqr7syz89r3gj557l3uuf9r9", MESSAGE,
        "27758b3393396ad9fe48f6ce81f63410145e7b2b69a5dfc1d48b5e6e623e91e0"
        "8e3afb60bda1546f9c6f9fb5bd0a41887b784c266036dd4b4015a0abc1137daa1d",
        id="testnet-segwit-native"),
    pytest.param("Bitcoin", "m/44h/0h/0h/0/0", S.SPENDADDRESS, False,
        "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL", LONG,
        "200a46476ceb84d06ef5784828026f922c8815f57aac837b8c013007ca8a8460"
        "db63ef917dbebaebd108b1c814bbeea6db1f2b2241a958e53fe715cc86b199d9c3", id="p2pkh-long"),
    pytest.param("Bitcoin", "m/49h/0h/0h/0/0", S.SPENDP2SHWITNESS, False,
        "3L6TyTisPBmrDAj6RoKmDzNnj4eQi54gD2", LONG,
        "236eadee380684f70749c52141c8aa7c3b6afd84d0e5f38cfa71823f3b1105a5"
        "f34e23834a5bb6f239ff28ad87f409f44e4ce6269754adc00388b19507a5d9386f",
        id="segwit-p2sh-long"),
    pytest.param("Bitcoin", "m/84h/0h/0h/0/0", S.SPENDWITNESS, False,
        "bc1qannfxke2tfd4l7vhepehpvt05y83v3qsf6nfkk", LONG,
        "28c6f86e255eaa768c447d635d91da01631ac54af223c2c182d4fa3676cfecae"
        "4a199ad33a74fe04fb46c39432acb8d83de74da90f5f01123b3b7d8bc252bc7f71",
        id="segwit-native-long"),
]  # fmt: skip

# trezor-firmware tests/device_tests/bitcoin/test_getpublickey.py
XPUB_44_0_0 = (
    "xpub6BiVtCpG9fQPxnPmHXG8PhtzQdWC2Su4qWu6XW9tpWFYhxydCLJGrWBJZ5H6qTAHdPQ7pQht"
    "pjiYZVZARo14qHiay2fvrX996oEP42u8wZy"
)
XPUB_44_0_10 = (
    "xpub6BiVtCpG9fQQR6cSuFeDaSvCDgNvNme499JUGX4RHDiZVWwZy9NwNieWKXHLe8XRbdrEmY87"
    "aqztBCbRJkXWV7VJB96XBT5cpkqYMHwvLWB"
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(trezor_port=0) as emu:
        yield emu


def stock_session(emu: RunningEmulator, **manifest: object) -> Any:
    assert emu.trezor is not None
    transport = get_transport(emu.trezor.endpoint)
    app = trezor_client.AppManifest(app_name="stock-trezorlib-test", **manifest)  # type: ignore[arg-type]
    client = trezor_client.get_client(app, transport)
    assert isinstance(client, TrezorClientV1)  # protocol v1 chosen, not THP
    return client.get_session()


@pytest.mark.parametrize(
    ("coin", "path", "script_type", "no_script_type", "address", "message", "signature"), VECTORS
)
def test_signatures_equal_trezor_device_test_vectors(
    emulator: RunningEmulator,
    coin: str,
    path: str,
    script_type: int,
    no_script_type: bool,
    address: str,
    message: str | bytes,
    signature: str,
) -> None:
    session = stock_session(emulator)
    result = btc.sign_message(
        session,
        coin_name=coin,
        n=parse_path(path),
        script_type=script_type,
        no_script_type=no_script_type,
        message=message,
    )
    assert result.address == address
    assert result.signature.hex() == signature


def test_public_nodes_equal_trezor_device_test_vectors(emulator: RunningEmulator) -> None:
    session = stock_session(emulator)
    assert btc.get_public_node(session, parse_path("m/44h/0h/0h")).xpub == XPUB_44_0_0
    assert btc.get_public_node(session, parse_path("m/44h/0h/10h")).xpub == XPUB_44_0_10
    assert session.get_root_fingerprint().hex() == "5c9e228d"
    node = btc.get_public_node(session, parse_path("m/84h/0h/0h"), script_type=S.SPENDWITNESS)
    assert node.xpub.startswith("zpub")


def test_features_say_emulator(emulator: RunningEmulator) -> None:
    session = stock_session(emulator)
    features = session.features
    assert features.label is not None and features.label.startswith("EMULATOR")
    assert features.fw_vendor is not None and "EMULATOR" in features.fw_vendor
    assert features.model == "1" and features.initialized
    assert features.session_id is not None and len(features.session_id) == 32
    assert features.device_id is not None and features.device_id.startswith("EMULATOR-")


def test_ping_verify_flags_and_end_session(emulator: RunningEmulator) -> None:
    session = stock_session(emulator)
    assert session.client.ping("hello") == "hello"
    assert session.client.ping("guarded", button_protection=True) == "guarded"
    sig = btc.sign_message(session, "Bitcoin", parse_path("m/44h/0h/0h/0/0"), MESSAGE)
    assert btc.verify_message(session, "Bitcoin", sig.address, sig.signature, MESSAGE)
    assert not btc.verify_message(session, "Bitcoin", sig.address, sig.signature, MESSAGE + "!")
    session.ensure_unlocked()  # ApplyFlags(0)
    session.close()  # EndSession


def test_unknown_coin_and_curve_are_device_failures(emulator: RunningEmulator) -> None:
    session = stock_session(emulator)
    with pytest.raises(exceptions.TrezorFailure) as info:
        btc.sign_message(session, "Dogecoin", parse_path("m/44h/3h/0h/0/0"), MESSAGE)
    assert info.value.code == messages.FailureType.DataError
    with pytest.raises(exceptions.TrezorFailure):
        btc.get_public_node(session, parse_path("m/44h/0h/0h"), ecdsa_curve_name="ed25519")


@pytest.mark.parametrize(
    ("coin", "path"),
    [("Bitcoin", "m/44h/1h/0h/0/0"), ("Testnet", "m/84h/0h/0h/0/0"), ("Testnet", "m/1/0")],
)
def test_a_key_path_of_another_coin_is_forbidden(
    emulator: RunningEmulator, coin: str, path: str
) -> None:
    """Strict safety checks, as the firmware's default: no testnet signature as Bitcoin
    (nor the reverse), and no address shown for it; reading the xpub stays allowed."""
    session = stock_session(emulator)
    with pytest.raises(exceptions.TrezorFailure, match="Forbidden key path") as signing:
        btc.sign_message(session, coin, parse_path(path), MESSAGE)
    with pytest.raises(exceptions.TrezorFailure, match="Forbidden key path") as showing:
        btc.get_address(session, coin, parse_path(path))
    assert signing.value.code == showing.value.code == messages.FailureType.DataError
    assert btc.get_public_node(session, parse_path(path), coin_name=coin).xpub


def test_regtest_uses_testnet_xpub_versions(emulator: RunningEmulator) -> None:
    session = stock_session(emulator)
    node = btc.get_public_node(
        session, parse_path("m/84h/1h/0h"), coin_name="Regtest", script_type=S.SPENDWITNESS
    )
    assert node.xpub.startswith("vpub")


def test_emulator_refuses_production_statements(emulator: RunningEmulator) -> None:
    session = stock_session(emulator)
    with pytest.raises(exceptions.TrezorFailure, match="env=prod"):
        btc.sign_message(session, "Bitcoin", parse_path("m/44h/0h/0h/0/0"), "attest env=prod")


def test_reject_on_device_is_cancelled_for_trezorlib() -> None:
    with start_emulator(trezor_port=0, approve="reject") as emu:
        session = stock_session(emu)
        with pytest.raises(exceptions.Cancelled):
            btc.sign_message(session, "Bitcoin", parse_path("m/44h/0h/0h/0/0"), MESSAGE)


def test_pin_matrix_with_stock_trezorlib() -> None:
    with start_emulator(trezor_port=0, pin="4321") as emu:
        assert emu.trezor is not None
        device = emu.trezor.device
        shown: list[list[str]] = []

        def pin_callback(_request: messages.PinMatrixRequest) -> str:
            assert device.pin_matrix is not None
            shown.append(device.pin_matrix.rows())
            return device.pin_matrix.positions_for("4321")

        session = stock_session(emu, pin_callback=pin_callback)
        result = btc.sign_message(session, "Bitcoin", parse_path("m/44h/0h/0h/0/0"), MESSAGE)
        assert result.address == "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL"
        assert len(shown) == 1 and sorted("".join(shown[0]).replace(" ", "")) == list("123456789")

        emu.hsm.lock()
        with pytest.raises(exceptions.PinException):
            stock_session(emu, pin_callback=lambda _r: "1")


def test_raw_wire_ping_idle_cancel_and_unknown_type(emulator: RunningEmulator) -> None:
    assert emulator.trezor is not None
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        sock.connect(("127.0.0.1", emulator.trezor.port))
        sock.send(b"PINGPING")
        assert sock.recv(64) == b"PONGPONG"
        for msg_type, expected in ((MessageType.Cancel, b"\x08\x04"), (4242, b"\x08\x01")):
            for chunk in trezor_v1.encode(int(msg_type), b""):
                sock.send(chunk)
            reply = trezor_v1.decode([sock.recv(64)])
            assert reply.msg_type == MessageType.Failure
            assert reply.payload.startswith(expected)  # code ActionCancelled / UnexpectedMessage


def test_two_instances_with_different_seeds_side_by_side() -> None:
    with (
        start_emulator(trezor_port=0) as first,
        start_emulator(trezor_port=0, mnemonic=TEST_MNEMONIC_ABANDON) as second,
    ):
        prints = {stock_session(e).get_root_fingerprint().hex() for e in (first, second)}
    assert prints == {"5c9e228d", "73c5da0a"}


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.com"])
def test_binds_loopback_only(host: str) -> None:
    with pytest.raises(NotAllowed):
        start_emulator(trezor_port=0, host=host)
    with pytest.raises(NotAllowed):
        TrezorUdpServer(SoftHsm(), host=host, port=0)


def trezorctl(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("trezorctl")
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_trezorctl_signs_like_the_device(emulator: RunningEmulator) -> None:
    assert emulator.trezor is not None
    path = emulator.trezor.endpoint
    done = trezorctl("-p", path, "btc", "sign-message", "-n", "m/44h/0h/0h/0/0", MESSAGE)
    assert done.returncode == 0, done.stderr
    assert "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL" in done.stdout
    expected = base64.b64encode(bytes.fromhex(VECTORS[0].values[-1])).decode()  # type: ignore[arg-type]
    assert expected in done.stdout
    features = trezorctl("-p", path, "get-features")
    assert features.returncode == 0 and "EMULATOR" in features.stdout
    pong = trezorctl("-p", path, "ping", "hello")
    assert pong.returncode == 0 and "hello" in pong.stdout


def test_trezorctl_sees_a_rejection() -> None:
    with start_emulator(trezor_port=0, approve="reject") as emu:
        assert emu.trezor is not None
        done = trezorctl(
            "-p", emu.trezor.endpoint, "btc", "sign-message", "-n", "m/44h/0h/0h/0/0", "x"
        )
    assert done.returncode != 0
    assert "cancelled" in (done.stdout + done.stderr).lower()
