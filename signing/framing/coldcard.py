"""Coldcard USB framing: 64-byte reports <-> whole messages. Pure, bytes in and out.

Each report is one framing byte and 63 payload bytes. The framing byte holds
the payload length in its low 6 bits, ``0x80`` on the last report of a message
and ``0x40`` when the message is encrypted (set on the last report only). Every
report but the last carries exactly 63 bytes; a message is 4 to
``MAX_MSG_LEN`` bytes. Bytes past the declared length are padding and are not
checked (the device reuses its send buffer, so they need not be zero).

There is no declared total length, so memory is bounded by ``MAX_MSG_LEN``
alone: a decoder never allocates more than that, however the input lies.

Host side and device side differ in one point: the device treats an empty
"last" report (framing byte 0x80) as "reset" (hosts send one to resynchronise),
while a host never expects an empty report from a device. A framing byte of
zero is illegal on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from signing.errors import InvalidInput, ProtocolError

REPORT_SIZE = 64
PAYLOAD_PER_REPORT = REPORT_SIZE - 1
FLAG_LAST = 0x80
FLAG_ENCRYPTED = 0x40
LENGTH_MASK = 0x3F
MIN_MSG_LEN = 4
MAX_BLOCK_LEN = 2048
MAX_MSG_LEN = 4 + 4 + 4 + MAX_BLOCK_LEN  # upload header + one block: the protocol's limit

# An empty "last" report: tells the device to drop any partial message.
RESET_REPORT = bytes([FLAG_LAST]) + bytes(PAYLOAD_PER_REPORT)


class FramingError(ProtocolError):
    """A report sequence that breaks the framing rules. ``reason`` is a short code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"framing: {reason}" + (f": {detail}" if detail else ""))


class Side(Enum):
    """Which end is decoding: the host reads responses, the device reads requests."""

    HOST = "host"
    DEVICE = "device"


@dataclass(frozen=True)
class FrameHeader:
    length: int
    last: bool
    encrypted: bool


@dataclass(frozen=True)
class Unframed:
    """A whole message and whether its last report carried the encrypted flag."""

    payload: bytes
    encrypted: bool


def parse_report(report: bytes) -> tuple[FrameHeader, bytes]:
    """Split one report into its header and payload; raise FramingError if malformed."""
    if len(report) < REPORT_SIZE:
        raise FramingError("short", f"report of {len(report)} bytes")
    if len(report) > REPORT_SIZE:
        raise FramingError("long", f"report of {len(report)} bytes")
    flag = report[0]
    header = FrameHeader(
        length=flag & LENGTH_MASK,
        last=bool(flag & FLAG_LAST),
        encrypted=bool(flag & FLAG_ENCRYPTED),
    )
    return header, bytes(report[1 : 1 + header.length])


def frame_message(payload: bytes, *, encrypted: bool) -> list[bytes]:
    """Cut ``payload`` into reports, zero-padded, the last one flagged."""
    if not MIN_MSG_LEN <= len(payload) <= MAX_MSG_LEN:
        raise InvalidInput(
            f"a Coldcard message is {MIN_MSG_LEN}..{MAX_MSG_LEN} bytes, got {len(payload)}"
        )
    reports: list[bytes] = []
    for offset in range(0, len(payload), PAYLOAD_PER_REPORT):
        chunk = payload[offset : offset + PAYLOAD_PER_REPORT]
        flag = len(chunk)
        if offset + len(chunk) == len(payload):
            flag |= FLAG_LAST | (FLAG_ENCRYPTED if encrypted else 0)
        reports.append(bytes([flag]) + chunk + bytes(PAYLOAD_PER_REPORT - len(chunk)))
    return reports


class Reassembler:
    """Incremental decoder: feed reports, get a whole message when the last one arrives.

    On any framing error the partial message is dropped and the decoder is
    ready for the next message, so one bad report never wedges a connection.
    """

    def __init__(self, side: Side, max_len: int = MAX_MSG_LEN) -> None:
        self.side = side
        self.max_len = max_len
        self._buffer = bytearray()

    @property
    def buffered(self) -> int:
        """Bytes of the partial message held now (never more than ``max_len``)."""
        return len(self._buffer)

    @property
    def in_progress(self) -> bool:
        """True while part of a message has arrived and more is expected."""
        return bool(self._buffer)

    def reset(self) -> None:
        self._buffer = bytearray()

    def feed(self, report: bytes) -> Unframed | None:
        """Take one report. Return the message it completes, or None if more must follow."""
        try:
            return self._feed(report)
        except FramingError:
            self.reset()
            raise

    def _feed(self, report: bytes) -> Unframed | None:
        header, chunk = parse_report(report)
        if report[0] == 0:
            raise FramingError("zero", "the framing byte can never be zero")
        if header.length == 0:
            if self.side is Side.DEVICE and header.last and not header.encrypted:
                # Hosts resynchronise with an empty report: drop any partial message.
                self.reset()
                return None
            raise FramingError("empty", "an empty report that is not a reset")
        if not header.last:
            if header.encrypted:
                raise FramingError("flags", "encrypted flag on a report that is not the last")
            if header.length != PAYLOAD_PER_REPORT:
                raise FramingError("badlen", f"{header.length} bytes in a report that is not last")
        if len(self._buffer) + len(chunk) > self.max_len:
            raise FramingError("xlong", f"message longer than {self.max_len} bytes")
        self._buffer += chunk
        if not header.last:
            return None
        if len(self._buffer) < MIN_MSG_LEN:
            raise FramingError("badsz", f"message of {len(self._buffer)} bytes")
        message = Unframed(payload=bytes(self._buffer), encrypted=header.encrypted)
        self.reset()
        return message


def unframe_message(reports: list[bytes], side: Side = Side.HOST) -> Unframed:
    """Decode a complete recorded exchange of reports holding exactly one message.

    Raises FramingError when the reports break the rules, when the last flag
    never comes, or when reports follow the last one (trailing garbage).
    """
    decoder = Reassembler(side)
    result: Unframed | None = None
    for index, report in enumerate(reports):
        if result is not None:
            raise FramingError("trailing", f"{len(reports) - index} report(s) after the last")
        result = decoder.feed(report)
    if result is None:
        raise FramingError("incomplete", "the last report never came")
    return result
