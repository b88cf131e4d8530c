"""Framing fuzz, host side and emulator side.

Inputs: frames recorded from a live trezorlib <-> emulator session (every truncation
and every single-bit flip of each), 12,000 generated chunk sequences, and the named
nasty cases. Every input must end, within 100 ms, either as a well-formed frame or as
one typed ``SigningError``; nothing hangs and memory stays bounded.

Host side = what the Trezor driver runs: its ``GuardedTransport`` under trezorlib's own
``protocol_v1.read``. Emulator side = the UDP server's decoder fed directly, and the
emulated device handling whatever frames come out.
"""

from __future__ import annotations

import random
import struct
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
from trezorlib import btc as trezor_btc
from trezorlib import client as trezor_client
from trezorlib import protocol_v1
from trezorlib.tools import parse_path
from trezorlib.transport import Timeout
from trezorlib.transport.udp import UdpTransport

from signing.devices.trezor import _KNOWN_TYPES as HOST_TYPES
from signing.devices.trezor import GuardedTransport
from signing.emulator.hsm import SoftHsm
from signing.emulator.main import RunningEmulator, start_emulator
from signing.emulator.trezor_device import TrezorDevice
from signing.emulator.trezor_messages import KNOWN_TYPES, MessageType
from signing.emulator.trezor_server import MAX_INCOMING_MESSAGE, ServerDecoder, make_decoder
from signing.errors import SigningError
from signing.framing import trezor_v1

# trezorlib's @workflow decorator hides btc.* signatures from mypy
btc: Any = trezor_btc
LIMIT_S = 0.1


class RecordingUdp(UdpTransport):
    def __init__(self, device: str) -> None:
        super().__init__(device)
        self.sent: list[bytes] = []
        self.received: list[bytes] = []

    def write_chunk(self, chunk: bytes, /) -> None:
        self.sent.append(chunk)
        super().write_chunk(chunk)

    def read_chunk(self, *, timeout: float | None = None) -> bytes:
        chunk = super().read_chunk(timeout=timeout)
        self.received.append(chunk)
        return chunk


def split_messages(chunks: list[bytes]) -> list[list[bytes]]:
    out: list[list[bytes]] = []
    for chunk in chunks:
        if chunk.startswith(b"?##"):
            out.append([chunk])
        elif out:
            out[-1].append(chunk)
    return out


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(trezor_port=0) as emu:
        yield emu


@pytest.fixture(scope="module")
def recorded(emulator: RunningEmulator) -> dict[str, list[list[bytes]]]:
    """Frames of a real session: host->device and device->host."""
    assert emulator.trezor is not None
    transport = RecordingUdp(f"127.0.0.1:{emulator.trezor.port}")
    client = trezor_client.get_client(trezor_client.AppManifest(app_name="fuzz"), transport)
    session = client.get_session()
    btc.get_public_node(session, parse_path("m/44h/0h/0h"), coin_name="Bitcoin")
    btc.sign_message(session, "Bitcoin", parse_path("m/44h/0h/0h/0/0"), "fuzz me " * 20)
    client.ping("hello")
    transport.close()
    frames = {"host": split_messages(transport.received), "device": split_messages(transport.sent)}
    assert len(frames["host"]) >= 8 and any(len(f) > 1 for f in frames["device"])
    return frames


# ---- the two decoders under test -----------------------------------------------------


class ScriptedInner(UdpTransport):
    """A transport replaying chunks, then silent (Timeout at once)."""

    PATH_PREFIX = "scripted"

    def __init__(self, chunks: list[bytes]) -> None:
        super().__init__("127.0.0.1:9")
        self.script = list(chunks)

    def _open(self) -> None:
        pass

    def _close(self) -> None:
        pass

    def is_open(self) -> bool:
        return True

    def get_path(self) -> str:
        return "scripted:0"

    def read_chunk(self, *, timeout: float | None = None) -> bytes:
        if not self.script:
            time.sleep(0.002)  # a silent line blocks a little, as a real read would
            raise Timeout("silent")
        return self.script.pop(0)


def host_decode(chunks: list[bytes]) -> tuple[int, bytes] | SigningError:
    """trezorlib's reader through the driver's guard; silence costs at most 20 ms."""
    guard = GuardedTransport(ScriptedInner([c for c in chunks]))
    guard.validate = True
    guard.response_timeout = 0.02
    try:
        return protocol_v1.read(guard)
    except SigningError as exc:
        return exc


def host_decode_pure(chunks: list[bytes]) -> trezor_v1.Frame | SigningError:
    try:
        return trezor_v1.decode(chunks, known_types=HOST_TYPES)
    except SigningError as exc:
        return exc


def emulator_decode(chunks: list[bytes]) -> list[trezor_v1.Frame] | SigningError:
    decoder = make_decoder()
    frames = []
    try:
        for chunk in chunks:
            frame = decoder.feed(chunk)
            if frame is not None:
                frames.append(frame)
        if decoder.in_progress:
            raise trezor_v1.FramingError(trezor_v1.FramingFault.TRUNCATED, "input ended")
    except SigningError as exc:
        return exc
    return frames


def timed(fn: object, *args: object) -> object:
    """Run ``fn(*args)`` within LIMIT_S. A slow run is repeated once: on a loaded CI box
    the scheduler can steal 100 ms; a decoder that really hangs is slow both times."""
    for _attempt in (1, 2):
        start = time.perf_counter()
        result = fn(*args)  # type: ignore[operator]
        elapsed = time.perf_counter() - start
        if elapsed < LIMIT_S:
            return result
    raise AssertionError(f"{getattr(fn, '__name__', fn)} took {elapsed:.3f} s, twice")


def mutations(frame: list[bytes]) -> Iterator[list[bytes]]:
    data = b"".join(frame)
    for cut in range(len(data)):
        yield list(_chunks_of(data[:cut]))
    for bit in range(len(data) * 8):
        flipped = bytearray(data)
        flipped[bit // 8] ^= 1 << (bit % 8)
        yield list(_chunks_of(bytes(flipped)))


def _chunks_of(data: bytes) -> Iterator[bytes]:
    for i in range(0, len(data), 64):
        yield data[i : i + 64]


# ---- recorded frames -----------------------------------------------------------------


def test_recorded_frames_decode_cleanly(recorded: dict[str, list[list[bytes]]]) -> None:
    for frame in recorded["host"]:
        assert isinstance(host_decode(frame), tuple)
    for frame in recorded["device"]:
        decoded = emulator_decode(frame)
        assert isinstance(decoded, list) and len(decoded) == 1


def test_every_truncation_and_bit_flip_host_side(recorded: dict[str, list[list[bytes]]]) -> None:
    typed = 0
    for frame in recorded["host"]:
        for mutated in mutations(frame):
            result = timed(host_decode, mutated)
            if isinstance(result, SigningError):
                typed += 1
            else:
                assert isinstance(result, tuple)  # a flip inside the payload stays a frame
                _msg_type, payload = result
                assert len(payload) <= trezor_v1.DEFAULT_MAX_MESSAGE_SIZE
    assert typed > 1000


def test_every_truncation_and_bit_flip_emulator_side(
    recorded: dict[str, list[list[bytes]]],
) -> None:
    hsm = SoftHsm()
    sent: list[MessageType] = []
    device = TrezorDevice(hsm, lambda t, _r: sent.append(t))
    typed = 0
    for frame in recorded["device"]:
        for mutated in mutations(frame):
            result = timed(emulator_decode, mutated)
            if isinstance(result, SigningError):
                typed += 1
                continue
            assert isinstance(result, list)
            for decoded in result:
                before = len(sent)
                timed(device.handle, decoded)  # never raises; always answers
                assert len(sent) > before or decoded.msg_type in (
                    MessageType.ButtonAck,
                    MessageType.PinMatrixAck,
                    MessageType.PassphraseAck,
                )
            device.handle(trezor_v1.Frame(int(MessageType.Cancel), b""))
    assert typed > 1000


# ---- generated inputs ----------------------------------------------------------------


def generated_cases(count: int, seed: int = 1337) -> Iterator[list[bytes]]:
    rng = random.Random(seed)
    types = sorted(KNOWN_TYPES)
    for _ in range(count):
        mode = rng.random()
        if mode < 0.25:  # raw noise, sometimes wearing a valid magic
            chunks = [rng.randbytes(64) for _ in range(rng.randint(1, 4))]
            if rng.random() < 0.5:
                chunks[0] = b"?##" + chunks[0][3:]
            yield chunks
            continue
        payload = rng.randbytes(rng.choice([0, 1, 10, 54, 55, 56, 117, 118, 300]))
        chunks = trezor_v1.encode(rng.choice(types), payload)
        action = rng.randrange(9)
        if action == 0:  # bit flip anywhere
            i = rng.randrange(len(chunks))
            flipped = bytearray(chunks[i])
            flipped[rng.randrange(64)] ^= 1 << rng.randrange(8)
            chunks[i] = bytes(flipped)
        elif action == 1:  # declared length anything, up to 0xFFFFFFFF
            length = rng.choice(
                [0xFFFFFFFF, 0x7FFFFFFF, MAX_INCOMING_MESSAGE + 1, rng.randrange(1 << 32)]
            )
            chunks[0] = chunks[0][:5] + struct.pack(">L", length) + chunks[0][9:]
        elif action == 2:  # chunk dropped
            del chunks[rng.randrange(len(chunks))]
        elif action == 3:  # start packet in the middle
            chunks.insert(rng.randint(1, len(chunks)), trezor_v1.encode(rng.choice(types), b"x")[0])
        elif action == 4:  # all-zero report
            chunks.insert(rng.randint(0, len(chunks)), b"\x00" * 64)
        elif action == 5:  # trailing garbage
            chunks[-1] = chunks[-1][:-1] + bytes([rng.randrange(1, 256)])
        elif action == 6:  # wrong size
            i = rng.randrange(len(chunks))
            chunks[i] = (
                chunks[i][: rng.randrange(64)] if rng.random() < 0.5 else chunks[i] + b"\x00"
            )
        elif action == 7:  # extra chunk after the message
            chunks.append(rng.choice([chunks[0], b"?" + rng.randbytes(63)]))
        yield chunks  # action 8: valid


def test_twelve_thousand_generated_sequences_both_sides() -> None:
    tracemalloc.start()
    try:
        outcomes = {"frame": 0, "typed": 0}
        for chunks in generated_cases(12_000):
            host: object = timed(host_decode_pure, chunks)
            emu: object = timed(emulator_decode, chunks)
            for result in (host, emu):
                outcomes["typed" if isinstance(result, SigningError) else "frame"] += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert outcomes["typed"] > 10_000 and outcomes["frame"] > 1_000
    assert peak < 4 * 1024 * 1024, f"peak {peak} bytes"


def test_generated_sequences_through_trezorlib_read_path() -> None:
    """A sample of the generated inputs through the driver's guard under trezorlib."""
    for chunks in generated_cases(400, seed=7):
        result = timed(host_decode, [c for c in chunks if len(c) == 64])
        assert isinstance(result, tuple | SigningError)


# ---- named nasty cases, both sides ---------------------------------------------------


def _header(msg_type: int, length: int) -> bytes:
    return (b"?##" + struct.pack(">HL", msg_type, length)).ljust(64, b"\x00")


NASTY = {
    "declared length 0xFFFFFFFF": [_header(17, 0xFFFFFFFF)],
    "wrong magic": [b"?#!" + _header(17, 0)[3:]],
    "start packet mid-message": [_header(38, 500), _header(0, 0)],
    "all-zero report": [b"\x00" * 64],
    "trailing garbage": [_header(2, 0)[:-1] + b"\xff"],
}


@pytest.mark.parametrize("name", sorted(NASTY))
def test_nasty_case_is_a_typed_error_on_both_sides(name: str) -> None:
    chunks = NASTY[name]
    assert isinstance(timed(host_decode, chunks), SigningError)
    assert isinstance(timed(emulator_decode, chunks), SigningError)


def test_server_decoder_resyncs_on_a_start_packet_and_drops_garbage() -> None:
    decoder = ServerDecoder()
    ping = trezor_v1.encode(int(MessageType.Ping), b"\x0a\x02hi")
    assert decoder.feed(b"\x00" * 64) is None
    assert decoder.feed(_header(38, 500)) is None
    assert decoder.feed(ping[0]) == trezor_v1.Frame(int(MessageType.Ping), b"\x0a\x02hi")
    assert decoder.faults == [
        trezor_v1.FramingFault.BAD_MAGIC,
        trezor_v1.FramingFault.START_MID_MESSAGE,
    ]


def test_emulator_survives_garbage_on_the_wire(emulator: RunningEmulator) -> None:
    import socket

    assert emulator.trezor is not None
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(1)
        sock.connect(("127.0.0.1", emulator.trezor.port))
        for chunk in (b"\x00" * 64, _header(17, 0xFFFFFFFF), b"x" * 100, b"", b"?" * 64):
            sock.send(chunk)
        sock.send(b"PINGPING")
        assert sock.recv(64) == b"PONGPONG"
        for chunk in trezor_v1.encode(int(MessageType.Ping), b"\x0a\x02ok"):
            sock.send(chunk)
        reply = trezor_v1.decode([sock.recv(64)])
    assert reply.msg_type == MessageType.Success and reply.payload == b"\x0a\x02ok"
