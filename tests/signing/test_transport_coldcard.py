"""Report pipes: hidapi behaviour through a fake ``hid.device``, the emulator socket, memory."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from coldcard_helpers import make_hsm, running_server

from signing.devices.coldcard import FAMILY
from signing.devices.coldcard_discovery import enumerate_devices, parse_uri, signer_for_uri
from signing.errors import (
    DeviceNotFound,
    DeviceTimeout,
    Disconnected,
    InvalidInput,
)
from signing.interface import DeviceInfo, DeviceKind, NullInteraction
from signing.transport.base import REPORT_SIZE
from signing.transport.hid_enumerate import enumerate_family, path_to_text
from signing.transport.hidapi_pipe import HidReportPipe
from signing.transport.memory import memory_pipe_pair
from signing.transport.unix_socket import UnixDatagramPipe

REPORT = bytes([0x84]) + b"vers" + bytes(59)


class FakeHid:
    """Behaves like hidapi's ``hid.device`` as documented: -1, [], OSError."""

    def __init__(self, reads: list[Any] | None = None, write_result: int | None = None) -> None:
        self.reads = list(reads or [])
        self.write_result = write_result
        self.written: list[bytes] = []
        self.read_calls: list[tuple[int, int]] = []
        self.closed = 0

    def write(self, buff: bytes) -> int:
        self.written.append(bytes(buff))
        return len(buff) if self.write_result is None else self.write_result

    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]:
        self.read_calls.append((max_length, timeout_ms))
        if not self.reads:
            return []
        item = self.reads.pop(0)
        if isinstance(item, BaseException):
            raise item
        return list(item)

    def close(self) -> None:
        self.closed += 1


# ------------------------------------------------------------------ hidapi


def test_hid_write_prepends_report_id_zero() -> None:
    fake = FakeHid()
    HidReportPipe(fake).write_report(REPORT)
    assert fake.written == [b"\x00" + REPORT]
    assert len(fake.written[0]) == REPORT_SIZE + 1


def test_hid_write_minus_one_is_disconnected() -> None:
    with pytest.raises(Disconnected, match="-1"):
        HidReportPipe(FakeHid(write_result=-1)).write_report(REPORT)


def test_hid_write_oserror_is_disconnected() -> None:
    class Broken(FakeHid):
        def write(self, buff: bytes) -> int:
            raise OSError("device gone")

    with pytest.raises(Disconnected):
        HidReportPipe(Broken()).write_report(REPORT)


def test_hid_write_of_a_wrong_sized_report_is_refused_before_the_device() -> None:
    fake = FakeHid()
    with pytest.raises(InvalidInput):
        HidReportPipe(fake).write_report(REPORT[:10])
    assert fake.written == []


def test_hid_read_empty_list_is_a_timeout_and_zero_timeout_never_blocks() -> None:
    fake = FakeHid(reads=[[]])
    assert HidReportPipe(fake).read_report(0) is None
    assert fake.read_calls == [(REPORT_SIZE, 1)]  # 0 would block forever in hidapi


def test_hid_read_returns_bytes() -> None:
    assert HidReportPipe(FakeHid(reads=[list(REPORT)])).read_report(50) == REPORT


def test_hid_read_oserror_is_disconnected() -> None:
    with pytest.raises(Disconnected, match="read error"):
        HidReportPipe(FakeHid(reads=[OSError("read error")])).read_report(50)


def test_hid_close_is_idempotent_and_later_io_is_disconnected() -> None:
    fake = FakeHid()
    pipe = HidReportPipe(fake)
    pipe.close()
    pipe.close()
    assert fake.closed == 1
    with pytest.raises(Disconnected):
        pipe.read_report(10)
    with pytest.raises(Disconnected):
        pipe.write_report(REPORT)


def _hid_signer(fake: FakeHid, io_timeout_ms: int = 30) -> Any:
    from signing.devices.coldcard import CAPABILITIES, ColdcardSigner

    info = DeviceInfo(
        "coldcard:hid:fake", DeviceKind.COLDCARD, "Coldcard fake", "hid", False, CAPABILITIES
    )
    return ColdcardSigner(info, lambda: HidReportPipe(fake), io_timeout_ms=io_timeout_ms)


def test_driver_over_silent_hid_device_times_out_with_one_typed_error() -> None:
    with pytest.raises(DeviceTimeout):
        _hid_signer(FakeHid()).open(NullInteraction())


def test_driver_over_unplugged_hid_device_is_disconnected() -> None:
    with pytest.raises(Disconnected):
        _hid_signer(FakeHid(reads=[OSError("read error")])).open(NullInteraction())


def test_driver_over_hid_device_refusing_writes_is_disconnected() -> None:
    with pytest.raises(Disconnected):
        _hid_signer(FakeHid(write_result=-1)).open(NullInteraction())


# ------------------------------------------------------------ enumeration


def _entries() -> list[Mapping[str, Any]]:
    return [
        {
            "vendor_id": 0xD13E,
            "product_id": 0xCC10,
            "path": b"/dev/hidraw3",
            "serial_number": "F1F1F1F1F1F1",
            "product_string": "Coldcard",
            "usage_page": 0xFF00,
        },
        {"vendor_id": 0xD13E, "product_id": 0xCC10, "path": b"/dev/hidraw3"},  # duplicate
        {"vendor_id": 0x1209, "product_id": 0x53C1, "path": b"/dev/hidraw1"},  # a Trezor
    ]


def test_enumeration_lists_coldcards_without_opening(monkeypatch: pytest.MonkeyPatch) -> None:
    import hid

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("enumeration opened a device")

    monkeypatch.setattr(hid, "device", refuse)
    asked: list[tuple[int, int]] = []

    def fake_enumerate(vid: int, pid: int) -> list[Mapping[str, Any]]:
        asked.append((vid, pid))
        return _entries()

    infos = enumerate_devices(socket_paths=[], enumerate_fn=fake_enumerate)
    assert asked == [(0xD13E, 0xCC10)]
    assert [i.uri for i in infos] == ["coldcard:hid:/dev/hidraw3"]
    assert infos[0].transport == "hid" and not infos[0].is_emulator
    assert "F1F1F1F1F1F1" in infos[0].label


def test_enumeration_survives_a_broken_backend() -> None:
    def broken(vid: int, pid: int) -> list[Mapping[str, Any]]:
        raise OSError("no backend")

    assert enumerate_family(FAMILY, broken) == []


def test_hid_paths_round_trip_through_uris() -> None:
    raw = b"\\\\?\\hid#vid_d13e&pid_cc10#7&1\xff{x}"
    uri = f"coldcard:hid:{path_to_text(raw)}"
    assert parse_uri(uri) == ("hid", path_to_text(raw))


@pytest.mark.parametrize("uri", ["trezor:udp:x", "coldcard:usb:x", "coldcard:sock:", "coldcard"])
def test_bad_uris_are_invalid_input(uri: str) -> None:
    with pytest.raises(InvalidInput):
        signer_for_uri(uri)


def test_enumeration_finds_live_emulator_sockets_and_skips_stale_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with running_server(make_hsm()) as server, tempfile.TemporaryDirectory() as tmp:
        stale = os.path.join(tmp, "stale.sock")
        dead = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        dead.bind(stale)
        dead.close()  # the file stays, nobody listens
        extra = os.pathsep.join([stale, server.socket_path])
        monkeypatch.setenv("CUSTODY_DESK_COLDCARD_SOCKETS", extra)
        infos = enumerate_devices(enumerate_fn=lambda v, p: [])
        uris = [i.uri for i in infos]
        assert server.uri in uris and f"coldcard:sock:{stale}" not in uris
        mine = next(i for i in infos if i.uri == server.uri)
        assert mine.is_emulator and mine.transport == "sock"
        assert server.device.approval_pending is False  # nothing was sent to it


# ------------------------------------------------------------ unix socket


@pytest.fixture
def echo_server() -> Iterator[tuple[socket.socket, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "dev.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        sock.settimeout(1)
        yield sock, path
        sock.close()


def test_socket_pipe_sends_bare_reports_from_a_bound_address(
    echo_server: tuple[socket.socket, str],
) -> None:
    sock, path = echo_server
    pipe = UnixDatagramPipe(path)
    pipe.write_report(REPORT)
    data, sender = sock.recvfrom(1024)
    assert data == REPORT  # no hidapi report id on the socket
    assert sender == pipe.client_path
    sock.sendto(REPORT, sender)
    assert pipe.read_report(500) == REPORT
    assert pipe.read_report(20) is None
    pipe.close()
    assert not os.path.exists(pipe.client_path)


def test_socket_pipe_to_nothing_is_device_not_found() -> None:
    with pytest.raises(DeviceNotFound):
        UnixDatagramPipe("/nonexistent/ckcc-simulator.sock")


def test_socket_pipe_notices_the_device_going_away(
    echo_server: tuple[socket.socket, str],
) -> None:
    _, path = echo_server
    pipe = UnixDatagramPipe(path)
    os.unlink(path)
    with pytest.raises(Disconnected):
        pipe.read_report(1000)
    with pytest.raises(Disconnected):
        pipe.write_report(REPORT)
    pipe.close()


# ------------------------------------------------------------------ memory


def test_memory_pipe_pair_moves_reports_and_reports_closure() -> None:
    host, device = memory_pipe_pair()
    host.write_report(REPORT)
    assert device.read_report(10) == REPORT
    assert device.read_report(1) is None
    device.close()
    with pytest.raises(Disconnected):
        host.read_report(10)


def test_unexpected_failure_below_the_driver_is_a_protocol_error() -> None:
    from signing.errors import ProtocolError

    class Buggy(FakeHid):
        def read(self, max_length: int, timeout_ms: int = 0) -> list[int]:
            raise RuntimeError("backend bug")

    with pytest.raises(ProtocolError, match="RuntimeError"):
        _hid_signer(Buggy()).open(NullInteraction())


def test_driver_runs_unchanged_over_an_in_memory_pipe() -> None:
    """Only the pipe differs between hardware, emulator socket and memory."""
    import threading

    from coldcard_helpers import ALL_FINGERPRINT, SIGN_PATH, SIGN_SIGNATURE_HEX, SIGN_TEXT

    from signing.devices.coldcard import CAPABILITIES, ColdcardSigner
    from signing.emulator.coldcard_backend import as_coldcard_backend
    from signing.emulator.coldcard_device import ColdcardDevice

    host, device_end = memory_pipe_pair()
    device = ColdcardDevice(as_coldcard_backend(make_hsm()))
    stop = threading.Event()

    def pump() -> None:
        while not stop.is_set():
            try:
                report = device_end.read_report(20)
            except Disconnected:
                return
            if report is not None:
                for reply in device.handle_report(report, "memory"):
                    device_end.write_report(reply)

    worker = threading.Thread(target=pump, daemon=True)
    worker.start()
    info = DeviceInfo("coldcard:mem:test", DeviceKind.COLDCARD, "Coldcard in memory", "memory",
                      True, CAPABILITIES)  # fmt: skip
    signer = ColdcardSigner(info, lambda: host)
    try:
        assert signer.open(NullInteraction()).master_fingerprint == ALL_FINGERPRINT
        assert signer.sign_message(SIGN_PATH, SIGN_TEXT).signature.hex() == SIGN_SIGNATURE_HEX
    finally:
        stop.set()
        worker.join(2)
        signer.close()
