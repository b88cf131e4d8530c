"""Trezor wire protocol v1 framing: a pure codec, tested with bytes alone.

A message is ``##`` + u16 message type + u32 payload length (big-endian) + payload,
cut into 64-byte chunks. Every chunk starts with ``?``; so the first chunk reads
``?##`` + header + the first 55 payload bytes, each following chunk ``?`` + 63 bytes.
The last chunk is padded with zero bytes.

Both ends use this module: the emulator's server decodes what the host sends, the
Trezor driver checks every chunk trezorlib reads before trezorlib parses it (trezorlib
itself would wait forever for a declared length of 0xFFFFFFFF). Lengths are bounded by
``max_message_size``; every malformed input raises a ``FramingError`` (a
``signing.errors.ProtocolError``) that says which rule it broke.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from signing.errors import ProtocolError

CHUNK_SIZE = 64
START_MAGIC = b"?##"
CONTINUATION_MAGIC = b"?"
HEADER = struct.Struct(">HL")
FIRST_CHUNK_DATA = CHUNK_SIZE - len(START_MAGIC) - HEADER.size  # 55
CONTINUATION_DATA = CHUNK_SIZE - len(CONTINUATION_MAGIC)  # 63
# Bigger than anything a Trezor sends or accepts for the messages the desk uses
# (firmware buffers are smaller); an attacker-declared length never allocates more.
DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024
MAX_MESSAGE_TYPE = 0xFFFF


class FramingFault(StrEnum):
    """Which framing rule a chunk broke."""

    BAD_CHUNK_SIZE = "bad_chunk_size"
    BAD_MAGIC = "bad_magic"
    TOO_LONG = "too_long"
    START_MID_MESSAGE = "start_mid_message"
    TRAILING_GARBAGE = "trailing_garbage"
    TRUNCATED = "truncated"
    UNKNOWN_TYPE = "unknown_type"


class FramingError(ProtocolError):
    """A chunk or chunk sequence that is not valid protocol-v1 framing."""

    def __init__(self, fault: FramingFault, detail: str, chunk: bytes | None = None) -> None:
        super().__init__(f"{fault.value}: {detail}")
        self.fault = fault
        self.chunk = chunk  # the offending chunk, so a reader may resynchronise on it


@dataclass(frozen=True)
class Frame:
    """One decoded message: its type number and its protobuf payload."""

    msg_type: int
    payload: bytes


def encode(
    msg_type: int, payload: bytes, *, max_size: int = DEFAULT_MAX_MESSAGE_SIZE
) -> list[bytes]:
    """Cut one message into 64-byte chunks (zero-padded), ready to write."""
    if not 0 <= msg_type <= MAX_MESSAGE_TYPE:
        raise FramingError(FramingFault.UNKNOWN_TYPE, f"message type {msg_type} out of range")
    if len(payload) > max_size:
        raise FramingError(FramingFault.TOO_LONG, f"{len(payload)} bytes > {max_size}")
    stream = b"##" + HEADER.pack(msg_type, len(payload)) + payload
    chunks = []
    for offset in range(0, len(stream), CONTINUATION_DATA):
        piece = CONTINUATION_MAGIC + stream[offset : offset + CONTINUATION_DATA]
        chunks.append(piece.ljust(CHUNK_SIZE, b"\x00"))
    return chunks


def _check_size(chunk: bytes) -> None:
    if len(chunk) != CHUNK_SIZE:
        raise FramingError(
            FramingFault.BAD_CHUNK_SIZE,
            f"chunk of {len(chunk)} bytes, expected {CHUNK_SIZE}",
            chunk,
        )


def parse_start(
    chunk: bytes,
    *,
    max_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    known_types: frozenset[int] | None = None,
) -> tuple[int, int, bytes]:
    """Check a first chunk; return (message type, declared length, payload bytes in it)."""
    _check_size(chunk)
    if not chunk.startswith(START_MAGIC):
        raise FramingError(FramingFault.BAD_MAGIC, f"first chunk starts {chunk[:3].hex()}", chunk)
    msg_type, length = HEADER.unpack_from(chunk, len(START_MAGIC))
    if length > max_size:
        raise FramingError(FramingFault.TOO_LONG, f"declared length {length} > {max_size}", chunk)
    if known_types is not None and msg_type not in known_types:
        raise FramingError(FramingFault.UNKNOWN_TYPE, f"message type {msg_type}", chunk)
    data = chunk[len(START_MAGIC) + HEADER.size :]
    return msg_type, length, data


def _looks_like_start(chunk: bytes, max_size: int, known_types: frozenset[int] | None) -> bool:
    """A continuation slot holding what parses as a plausible new first chunk.

    Payload bytes could in principle spell ``##`` + a header; requiring a length within
    bounds (and a known type, when the reader knows its types) makes that a ~2^-32 event
    for binary data, and impossible for text (a type below 256 needs a NUL byte).
    """
    if not chunk.startswith(START_MAGIC):
        return False
    msg_type, length = HEADER.unpack_from(chunk, len(START_MAGIC))
    if length > max_size:
        return False
    return known_types is None or msg_type in known_types


def _check_padding(chunk: bytes, used: int) -> None:
    if any(chunk[used:]):
        raise FramingError(
            FramingFault.TRAILING_GARBAGE, f"non-zero bytes after the payload at {used}", chunk
        )


class Reassembler:
    """Incremental decoder: feed 64-byte chunks, get a ``Frame`` when one is complete.

    Memory is bounded by ``max_size``. After a ``FramingError`` the reassembler is idle
    again (call ``feed`` with ``error.chunk`` to resynchronise on a start chunk).
    """

    def __init__(
        self,
        *,
        max_size: int = DEFAULT_MAX_MESSAGE_SIZE,
        known_types: frozenset[int] | None = None,
        strict_padding: bool = True,
        reject_unknown: bool = True,
    ) -> None:
        self.max_size = max_size
        self.known_types = known_types
        self.strict_padding = strict_padding
        # False: an unknown type still decodes (a device answers it with a Failure);
        # known_types then only sharpens the start-packet-mid-message check.
        self.reject_unknown = reject_unknown
        self._type: int | None = None
        self._length = 0
        self._buffer = bytearray()

    @property
    def in_progress(self) -> bool:
        """True while a message has started and is not complete."""
        return self._type is not None

    def reset(self) -> None:
        self._type = None
        self._length = 0
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> Frame | None:
        """Consume one chunk; return the message it completes, if any."""
        try:
            return self._feed(chunk)
        except FramingError:
            self.reset()
            raise

    def _feed(self, chunk: bytes) -> Frame | None:
        if self._type is None:
            msg_type, length, data = parse_start(
                chunk,
                max_size=self.max_size,
                known_types=self.known_types if self.reject_unknown else None,
            )
            self._type, self._length = msg_type, length
            self._buffer = bytearray()
            header_len = len(START_MAGIC) + HEADER.size
            return self._append(chunk, data, header_len)
        _check_size(chunk)
        if _looks_like_start(chunk, self.max_size, self.known_types):
            raise FramingError(
                FramingFault.START_MID_MESSAGE,
                f"new message start after {len(self._buffer)} of {self._length} bytes",
                chunk,
            )
        if not chunk.startswith(CONTINUATION_MAGIC):
            raise FramingError(
                FramingFault.BAD_MAGIC, f"continuation chunk starts {chunk[:1].hex()}", chunk
            )
        return self._append(chunk, chunk[len(CONTINUATION_MAGIC) :], len(CONTINUATION_MAGIC))

    def _append(self, chunk: bytes, data: bytes, offset: int) -> Frame | None:
        missing = self._length - len(self._buffer)
        take = min(missing, len(data))
        self._buffer += data[:take]
        if len(self._buffer) < self._length:
            return None
        if self.strict_padding:
            _check_padding(chunk, offset + take)
        assert self._type is not None
        frame = Frame(self._type, bytes(self._buffer))
        self.reset()
        return frame


def decode(
    chunks: Iterable[bytes],
    *,
    max_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    known_types: frozenset[int] | None = None,
) -> Frame:
    """Decode exactly one message from its chunks; extra or missing chunks are errors."""
    reassembler = Reassembler(max_size=max_size, known_types=known_types)
    frame: Frame | None = None
    for chunk in chunks:
        if frame is not None:
            raise FramingError(
                FramingFault.TRAILING_GARBAGE, "chunk after a complete message", chunk
            )
        frame = reassembler.feed(chunk)
    if frame is None:
        raise FramingError(FramingFault.TRUNCATED, "message ends before its declared length")
    return frame


def split_chunks(data: bytes) -> Sequence[bytes]:
    """Cut a byte string into 64-byte chunks; a short tail is an error."""
    if len(data) % CHUNK_SIZE:
        raise FramingError(
            FramingFault.BAD_CHUNK_SIZE, f"{len(data)} bytes is not a whole number of chunks"
        )
    return [data[i : i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)]


def decode_bytes(
    data: bytes,
    *,
    max_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    known_types: frozenset[int] | None = None,
) -> Frame:
    """Decode one message from its concatenated chunks."""
    return decode(split_chunks(data), max_size=max_size, known_types=known_types)
