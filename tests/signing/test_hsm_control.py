"""The emulator control channel (JSON lines over loopback)."""

from __future__ import annotations

import json
import socket
import stat
from pathlib import Path

import pytest

from signing.emulator.control import ControlClient, ControlServer, parse_control_address
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON
from signing.errors import Disconnected, InvalidInput, NotAllowed


@pytest.fixture
def unix_address(tmp_path: Path) -> str:
    return f"unix:{tmp_path / 'ctl.sock'}"


def test_commands_change_the_hsm(unix_address: str) -> None:
    hsm = SoftHsm()
    with ControlServer(hsm, unix_address), ControlClient(unix_address) as client:
        assert client.state()["approve"] == "auto"
        assert client.request("set_approve", mode="delay:3")["state"]["approve"] == "delay:3"
        assert str(hsm.policy) == "delay:3"
        state = client.request("set_pin", pin="1234")["state"]
        assert state["pin_set"] and state["locked"] and "1234" not in json.dumps(state)
        assert not client.request("clear_pin")["state"]["locked"]
        assert client.request("arm_unplug")["state"]["unplug_armed"]
        assert client.request("unplug")["state"]["unplugged"]
        assert not client.request("replug")["state"]["unplugged"]


def test_socket_file_is_private_and_removed(unix_address: str) -> None:
    path = Path(unix_address.removeprefix("unix:"))
    with ControlServer(SoftHsm(), unix_address):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
    assert not path.exists()


def test_errors_are_answers_not_crashes(unix_address: str) -> None:
    with ControlServer(SoftHsm(), unix_address), ControlClient(unix_address) as client:
        with pytest.raises(InvalidInput):
            client.request("explode")
        with pytest.raises(InvalidInput):
            client.request("set_approve", mode="sometimes")
        with pytest.raises(InvalidInput):
            client.request("set_pin", pin=1234)
        # raw garbage on the same connection, then a good request still works
        client._sock.sendall(b"{not json\n[1,2]\n")
        for _ in range(2):
            assert json.loads(client._file.readline())["ok"] is False
        assert client.state()["label"].startswith("EMULATOR")


def test_several_hsms_behind_one_channel(unix_address: str) -> None:
    hsms = {"regulator": SoftHsm(name="regulator"), "custodian": SoftHsm(TEST_MNEMONIC_ABANDON)}
    with ControlServer(hsms, unix_address), ControlClient(unix_address) as client:
        client.request("set_approve", hsm="regulator", mode="reject")
        assert str(hsms["regulator"].policy) == "reject"
        assert str(hsms["custodian"].policy) == "auto"
        with pytest.raises(InvalidInput):
            client.request("state")  # ambiguous
        with pytest.raises(InvalidInput):
            client.request("state", hsm="nobody")
        listing = client.request("list")["hsms"]
        assert set(listing) == {"regulator", "custodian"}


def test_tcp_loopback_with_ephemeral_port() -> None:
    with ControlServer(SoftHsm(), "tcp:127.0.0.1:0") as server:
        assert server.address.startswith("tcp:127.0.0.1:")
        with ControlClient(server.address) as client:
            assert client.state()["is_emulator"] is True


@pytest.mark.parametrize("address", ["tcp:0.0.0.0:0", "tcp:192.168.1.5:7000", "tcp:example.com:1"])
def test_non_loopback_is_refused(address: str) -> None:
    with pytest.raises((NotAllowed, InvalidInput)):
        ControlServer(SoftHsm(), address)


@pytest.mark.parametrize("address", ["", "udp:127.0.0.1:1", "tcp:127.0.0.1:x", "unix:"])
def test_bad_addresses(address: str) -> None:
    with pytest.raises(InvalidInput):
        parse_control_address(address)


def test_client_to_nothing_is_disconnected(tmp_path: Path) -> None:
    with pytest.raises(Disconnected):
        ControlClient(f"unix:{tmp_path / 'none.sock'}")


def test_oversized_line_is_refused(unix_address: str) -> None:
    with ControlServer(SoftHsm(), unix_address):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(unix_address.removeprefix("unix:"))
        sock.settimeout(5)
        sock.sendall(b"x" * (70 * 1024))
        answer = json.loads(sock.makefile("rb").readline())
        assert answer["ok"] is False and "too long" in answer["error"]
        sock.close()
