"""Protocol-v1 framing codec, tested with bytes alone (no transport, no device)."""

from __future__ import annotations

import struct

import pytest
from trezorlib import mapping, messages, protobuf, protocol_v1

from signing.errors import ProtocolError
from signing.framing import trezor_v1
from signing.framing.trezor_v1 import FramingError, FramingFault


class ListTransport:
    """Just enough of a trezorlib transport for protocol_v1.write to record chunks."""

    CHUNK_SIZE = 64

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write_chunk(self, chunk: bytes) -> None:
        self.chunks.append(chunk)


def trezorlib_chunks(msg: protobuf.MessageType) -> list[bytes]:
    transport = ListTransport()
    msg_type, payload = mapping.DEFAULT_MAPPING.encode(msg)
    protocol_v1.write(transport, msg_type, payload)  # type: ignore[arg-type]
    return transport.chunks


def test_encoding_is_byte_identical_to_trezorlib() -> None:
    for msg in (
        messages.Initialize(),
        messages.Cancel(),
        messages.SignMessage(
            address_n=[0x8000002C, 0x80000000, 0x80000000, 0, 0], message=b"x" * 300
        ),
        messages.Ping(message="p" * 55),  # exactly fills the first chunk with its header
    ):
        msg_type, payload = mapping.DEFAULT_MAPPING.encode(msg)
        assert trezor_v1.encode(msg_type, payload) == trezorlib_chunks(msg)


def test_layout_of_first_and_continuation_chunks() -> None:
    chunks = trezor_v1.encode(38, bytes(range(100)))
    assert [len(c) for c in chunks] == [64, 64]
    assert chunks[0][:9] == b"?##" + struct.pack(">HL", 38, 100)
    assert chunks[0][9:] == bytes(range(55))
    assert chunks[1][:1] == b"?" and chunks[1][1:46] == bytes(range(55, 100))
    assert chunks[1][46:] == b"\x00" * 18


@pytest.mark.parametrize("length", [0, 1, 54, 55, 56, 117, 118, 119, 1000, 4096])
def test_round_trip_every_boundary(length: int) -> None:
    payload = bytes((i * 7) % 256 for i in range(length))
    assert trezor_v1.decode(trezor_v1.encode(3, payload)) == trezor_v1.Frame(3, payload)


def test_decode_reads_what_trezorlib_writes() -> None:
    msg = messages.VerifyMessage(address="1abc", signature=b"s" * 65, message=b"m" * 200)
    frame = trezor_v1.decode(trezorlib_chunks(msg))
    assert mapping.DEFAULT_MAPPING.decode(frame.msg_type, frame.payload) == msg


def fault_of(chunks: list[bytes], **kwargs: object) -> FramingFault:
    with pytest.raises(FramingError) as info:
        trezor_v1.decode(chunks, **kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, ProtocolError)
    return info.value.fault


def test_declared_length_ffffffff_is_refused_at_once() -> None:
    chunk = (b"?##" + struct.pack(">HL", 17, 0xFFFFFFFF)).ljust(64, b"\x00")
    assert fault_of([chunk]) is FramingFault.TOO_LONG


def test_wrong_magic_first_and_continuation() -> None:
    good = trezor_v1.encode(38, b"a" * 100)
    assert fault_of([b"!" + good[0][1:], good[1]]) is FramingFault.BAD_MAGIC
    assert fault_of([good[0], b"!" + good[1][1:]]) is FramingFault.BAD_MAGIC


def test_all_zero_reports() -> None:
    assert fault_of([b"\x00" * 64]) is FramingFault.BAD_MAGIC
    good = trezor_v1.encode(38, b"a" * 100)
    assert fault_of([good[0], b"\x00" * 64]) is FramingFault.BAD_MAGIC


def test_start_packet_mid_message() -> None:
    long_msg = trezor_v1.encode(38, b"a" * 200)
    other = trezor_v1.encode(0, b"")
    assert fault_of([long_msg[0], other[0]]) is FramingFault.START_MID_MESSAGE


def test_start_lookalike_inside_text_is_data() -> None:
    # "##" at a continuation boundary in text cannot form a header (a type < 256 needs NUL).
    payload = b"a" * 54 + b"##hello world, this is data" + b"b" * 40
    assert trezor_v1.decode(trezor_v1.encode(38, payload)).payload == payload


def test_trailing_garbage() -> None:
    chunks = trezor_v1.encode(2, b"ok")
    dirty = chunks[0][:-1] + b"\x01"
    assert fault_of([dirty]) is FramingFault.TRAILING_GARBAGE
    assert fault_of([*chunks, chunks[0]]) is FramingFault.TRAILING_GARBAGE


def test_truncated_and_wrong_sizes() -> None:
    chunks = trezor_v1.encode(38, b"a" * 200)
    assert fault_of(chunks[:-1]) is FramingFault.TRUNCATED
    assert fault_of([]) is FramingFault.TRUNCATED
    assert fault_of([chunks[0][:63]]) is FramingFault.BAD_CHUNK_SIZE
    assert fault_of([chunks[0] + b"\x00"]) is FramingFault.BAD_CHUNK_SIZE
    with pytest.raises(FramingError):
        trezor_v1.decode_bytes(b"".join(chunks) + b"\x00")


def test_unknown_type_when_reader_knows_its_types() -> None:
    chunks = trezor_v1.encode(9999, b"")
    assert fault_of(chunks, known_types=frozenset({0, 1})) is FramingFault.UNKNOWN_TYPE


def test_encoder_refuses_oversized_and_bad_types() -> None:
    with pytest.raises(FramingError):
        trezor_v1.encode(1, b"x" * (trezor_v1.DEFAULT_MAX_MESSAGE_SIZE + 1))
    with pytest.raises(FramingError):
        trezor_v1.encode(70000, b"")


def test_reassembler_recovers_after_an_error() -> None:
    decoder = trezor_v1.Reassembler()
    with pytest.raises(FramingError):
        decoder.feed(b"\x00" * 64)
    assert not decoder.in_progress
    assert decoder.feed(trezor_v1.encode(2, b"")[0]) == trezor_v1.Frame(2, b"")
