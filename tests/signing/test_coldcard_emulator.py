"""The Coldcard-protocol emulator on its own: socket convention, safety, protocol rules.

Driven with raw datagrams (no driver), as any client following the Coldcard
simulator convention would. TEST ONLY seed.
"""

from __future__ import annotations

import os
import socket
import tempfile
import uuid
from collections.abc import Iterator

import pytest
from coldcard_helpers import make_hsm, running_server

from signing.devices.coldcard_link import EphemeralKey, LinkCipher
from signing.emulator.coldcard_server import ColdcardServer
from signing.errors import NotAllowed
from signing.framing import coldcard_messages as msgs
from signing.framing.coldcard import (
    RESET_REPORT,
    Reassembler,
    Side,
    frame_message,
)

pytestmark = pytest.mark.timeout(30)


class RawClient:
    """A bare client: binds its own path, sends reports, reads whole answers."""

    def __init__(self, server_path: str, directory: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(os.path.join(directory, f"client-{uuid.uuid4().hex[:12]}.sock"))
        self.sock.connect(server_path)
        self.sock.settimeout(2)
        self.cipher: LinkCipher | None = None

    def send_raw(self, data: bytes) -> None:
        self.sock.send(data)

    def call(self, payload: bytes, *, encrypt: bool | None = None) -> msgs.Response:
        use = self.cipher is not None if encrypt is None else encrypt
        wire = self.cipher.seal(payload) if use and self.cipher else payload
        for report in frame_message(wire, encrypted=use):
            self.sock.send(report)
        return self.answer()

    def answer(self) -> msgs.Response:
        decoder = Reassembler(Side.HOST)
        while True:
            message = decoder.feed(self.sock.recv(1024))
            if message is not None:
                break
        payload = message.payload
        if message.encrypted:
            assert self.cipher is not None
            payload = self.cipher.open(payload)
        return msgs.decode_response(payload)

    def handshake(self, version: int = msgs.NCRY_V1) -> msgs.DevicePubkey:
        mine = EphemeralKey()
        answer = self.call(msgs.encode_ncry(mine.public_bytes, version), encrypt=False)
        assert isinstance(answer, msgs.DevicePubkey)
        self.cipher = LinkCipher(mine.session_key(answer.pubkey))
        return answer

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def served() -> Iterator[tuple[ColdcardServer, RawClient]]:
    with running_server(make_hsm()) as server, tempfile.TemporaryDirectory() as tmp:
        client = RawClient(server.socket_path, tmp)
        yield server, client
        client.close()


def test_plaintext_ping_and_version_report_an_emulator(
    served: tuple[ColdcardServer, RawClient],
) -> None:
    _, client = served
    assert client.call(msgs.encode_ping(b"abc")) == msgs.Binary(b"abc")
    version = client.call(msgs.encode_version())
    assert isinstance(version, msgs.Ascii)
    lines = version.text.split("\n")
    # The firmware's five lines (hardware label last), then the device's name as an addition.
    assert lines[4] == "emulator" and "TEST ONLY" in lines[3]
    assert lines[5:] == ["label=EMULATOR 5c9e228d"]


def test_ncry_answer_carries_master_fingerprint_and_xpub(
    served: tuple[ColdcardServer, RawClient],
) -> None:
    server, client = served
    answer = client.handshake()
    assert answer.fingerprint_hex == "5c9e228d"
    assert answer.xpub == server.backend.master_xpub
    assert client.call(msgs.encode_ping(b"secret")) == msgs.Binary(b"secret")


def test_xpub_needs_the_encrypted_link(served: tuple[ColdcardServer, RawClient]) -> None:
    _, client = served
    assert client.call(msgs.encode_xpub("m/44'/0'/0'")) == msgs.RemoteError("must encrypt")
    client.handshake()
    assert isinstance(client.call(msgs.encode_xpub("m/44'/0'/0'")), msgs.Ascii)
    bad = client.call(msgs.encode_xpub("m/44'/zero"))
    assert isinstance(bad, msgs.RemoteError)


def test_bound_mode_v2_refuses_plaintext_and_rekeying(
    served: tuple[ColdcardServer, RawClient],
) -> None:
    _, client = served
    client.handshake(msgs.NCRY_V2)
    assert client.call(msgs.encode_ping(b"x"), encrypt=False) == msgs.FramingComplaint(
        "must encrypt"
    )
    again = client.call(msgs.encode_ncry(EphemeralKey().public_bytes, msgs.NCRY_V2))
    assert again == msgs.FramingComplaint("crypto already set up")


def test_unknown_ncry_version_and_garbage_keys(served: tuple[ColdcardServer, RawClient]) -> None:
    _, client = served
    key = EphemeralKey().public_bytes
    assert client.call(msgs.encode_ncry(key, 7)) == msgs.FramingComplaint("bad ncry version")
    assert isinstance(client.call(msgs.encode_ncry(bytes(64))), msgs.RemoteError)


def test_poll_without_request_and_unknown_command(
    served: tuple[ColdcardServer, RawClient],
) -> None:
    _, client = served
    assert client.call(b"smok") == msgs.RemoteError("No active request")
    assert client.call(b"dfu_") == msgs.RemoteError("Unknown cmd")


def test_bad_datagrams_get_framing_answers(served: tuple[ColdcardServer, RawClient]) -> None:
    _, client = served
    client.send_raw(b"\x84vers")  # not 64 bytes
    assert client.answer() == msgs.FramingComplaint("short")
    client.send_raw(b"\x84vers".ljust(65, b"\0"))
    assert client.answer() == msgs.FramingComplaint("long")
    client.send_raw(bytes(64))
    assert client.answer() == msgs.FramingComplaint("zero")
    # A partial message, then the resync report: nothing answers, and the next call works.
    client.send_raw(bytes([63]) + bytes(63))
    client.send_raw(RESET_REPORT)
    assert client.call(msgs.encode_ping(b"ok")) == msgs.Binary(b"ok")


def test_sign_needs_device_text_and_a_known_address_format(
    served: tuple[ColdcardServer, RawClient],
) -> None:
    _, client = served
    client.handshake()
    too_short = msgs.encode_sign_message(b"x", "m/44'/0'/0'/0/0", msgs.AddressFormat.P2PKH)
    assert isinstance(client.call(too_short), msgs.RemoteError)
    taproot = msgs.encode_sign_message(b"hello", "m", msgs.AddressFormat.P2PKH)
    taproot = taproot[:4] + (0x23).to_bytes(4, "little") + taproot[8:]
    answer = client.call(taproot)
    assert isinstance(answer, msgs.RemoteError) and "Unsupported" in answer.text


def test_unbound_clients_are_ignored(served: tuple[ColdcardServer, RawClient]) -> None:
    server, client = served
    anonymous = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    anonymous.sendto(frame_message(b"vers", encrypted=False)[0], server.socket_path)
    anonymous.close()
    assert client.call(msgs.encode_ping(b"still here")) == msgs.Binary(b"still here")


# -------------------------------------------------------------- socket safety


def test_stale_socket_file_is_replaced_and_removed_on_stop() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckcc-simulator.sock")
        dead = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        dead.bind(path)
        dead.close()
        server = ColdcardServer(make_hsm(), path)
        server.start()
        assert server.running and oct(os.stat(path).st_mode & 0o777) == "0o600"
        server.stop()
        server.stop()
        assert not os.path.exists(path)


def test_refuses_a_path_already_served() -> None:
    with running_server(make_hsm()) as server:
        with pytest.raises(NotAllowed, match="already serving"):
            ColdcardServer(make_hsm(), server.socket_path).start()
        assert server.running


def test_refuses_to_replace_a_regular_file() -> None:
    with tempfile.NamedTemporaryFile() as existing:
        with pytest.raises(NotAllowed, match="not a socket"):
            ColdcardServer(make_hsm(), existing.name).start()
        assert os.path.isfile(existing.name)


def test_refuses_an_overlong_socket_path() -> None:
    with pytest.raises(NotAllowed):
        ColdcardServer(make_hsm(), "/tmp/" + "x" * 120 + ".sock")


def test_two_emulators_with_different_seeds_side_by_side() -> None:
    from signing.emulator.hsm import SoftHsm
    from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON

    with (
        running_server(make_hsm()) as first,
        running_server(SoftHsm(TEST_MNEMONIC_ABANDON)) as second,
        tempfile.TemporaryDirectory() as tmp,
    ):
        clients = [RawClient(first.socket_path, tmp), RawClient(second.socket_path, tmp)]
        a, b = (client.handshake() for client in clients)
        assert a.fingerprint_hex == "5c9e228d"
        assert b.fingerprint_hex == "73c5da0a"  # BIP-39 vector "abandon ... about"
        for client in clients:
            client.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Locked: enter the PIN on the device", "PinRequired"),
        ("Spending policy in effect", "NotAllowed"),
        ("Not allowed in HSM mode", "NotAllowed"),
        ("Emulator refuses to sign production statements (env=prod)", "NotAllowed"),
        ("msg too long (max. 240)", "InvalidText"),
        ("too many spaces together in msg(max. 3)", "InvalidText"),
        ("must be ascii", "InvalidText"),
        ("Unsupported address format", "Unsupported"),
        ("No active request", "ProtocolError"),
        ("Unknown cmd", "ProtocolError"),
    ],
)
def test_device_error_texts_map_to_typed_errors(text: str, expected: str) -> None:
    from signing.devices.coldcard_answers import map_remote_error

    assert type(map_remote_error(text)).__name__ == expected
