"""Coldcard framing, with bytes alone: round trips, malformed and hostile report streams.

Both decoders are exercised: the host's (device -> host responses) and the
emulator's (host -> device requests, via ``ColdcardDevice.handle_report``, which
must answer every bad stream with a ``fram`` report and never raise).
"""

from __future__ import annotations

import random
import time

import pytest
from coldcard_helpers import make_hsm
from hypothesis import given, settings
from hypothesis import strategies as st

from signing.emulator.coldcard_backend import as_coldcard_backend
from signing.emulator.coldcard_device import ColdcardDevice
from signing.errors import InvalidInput, ProtocolError
from signing.framing import coldcard_messages as msgs
from signing.framing.coldcard import (
    FLAG_ENCRYPTED,
    FLAG_LAST,
    MAX_MSG_LEN,
    PAYLOAD_PER_REPORT,
    REPORT_SIZE,
    RESET_REPORT,
    FramingError,
    Reassembler,
    Side,
    Unframed,
    frame_message,
    unframe_message,
)

DEADLINE_S = 0.1


def _reports(payload: bytes, encrypted: bool = False) -> list[bytes]:
    return frame_message(payload, encrypted=encrypted)


# Recorded message shapes: one report, exactly one full report, several reports.
RECORDED = [
    msgs.encode_version(),
    msgs.encode_sign_message(
        b"Attest client C-001 total USD 1000", "m/44'/0'/0'/0/0", msgs.AddressFormat.P2PKH
    ),
    msgs.respond_signed_message("1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL", bytes(range(65))),
    b"biny" + bytes(range(59)),  # exactly 63 bytes: one full last report
    msgs.respond_device_pubkey(bytes(64), 0x8D229E5C, "xpub" + "A" * 107),
]


def _decode_timed(reports: list[bytes], side: Side) -> Unframed | FramingError:
    start = time.perf_counter()
    try:
        result: Unframed | FramingError = unframe_message(reports, side)
    except FramingError as exc:
        result = exc
    assert time.perf_counter() - start < DEADLINE_S
    return result


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("side", list(Side))
@pytest.mark.parametrize("encrypted", [False, True])
@settings(max_examples=200, deadline=None)
@given(payload=st.binary(min_size=4, max_size=MAX_MSG_LEN))
def test_round_trip(side: Side, encrypted: bool, payload: bytes) -> None:
    reports = frame_message(payload, encrypted=encrypted)
    assert all(len(r) == REPORT_SIZE for r in reports)
    assert len(reports) == -(-len(payload) // PAYLOAD_PER_REPORT)
    assert unframe_message(reports, side) == Unframed(payload, encrypted)


def test_frame_layout_matches_protocol() -> None:
    payload = bytes(range(100))
    first, last = frame_message(payload, encrypted=True)
    assert first[0] == 63 and first[1:] == payload[:63]
    assert last[0] == 37 | FLAG_LAST | FLAG_ENCRYPTED
    assert last[1:38] == payload[63:] and last[38:] == bytes(26)


@pytest.mark.parametrize("size", [0, 3, MAX_MSG_LEN + 1])
def test_frame_refuses_sizes_outside_protocol(size: int) -> None:
    with pytest.raises(InvalidInput):
        frame_message(bytes(size), encrypted=False)


# ------------------------------------------- truncations and bit flips


@pytest.mark.parametrize("side", list(Side))
@pytest.mark.parametrize("payload", RECORDED, ids=lambda p: p[:4].decode())
def test_every_truncation_is_a_framing_error(side: Side, payload: bytes) -> None:
    stream = b"".join(_reports(payload))
    for cut in range(len(stream)):
        kept = stream[:cut]
        chunks = [kept[i : i + REPORT_SIZE] for i in range(0, cut, REPORT_SIZE)]
        result = _decode_timed(chunks, side)
        assert isinstance(result, FramingError), f"cut at {cut} decoded"


@pytest.mark.parametrize("side", list(Side))
@pytest.mark.parametrize("payload", RECORDED, ids=lambda p: p[:4].decode())
def test_every_single_bit_flip_is_decoded_or_a_framing_error(side: Side, payload: bytes) -> None:
    reports = _reports(payload)
    for index, report in enumerate(reports):
        is_last = index == len(reports) - 1
        for bit in range(REPORT_SIZE * 8):
            flipped = bytearray(report)
            flipped[bit // 8] ^= 1 << (bit % 8)
            mutated = [*reports[:index], bytes(flipped), *reports[index + 1 :]]
            result = _decode_timed(mutated, side)
            if bit >= 8:
                # Payload or padding: framing intact, the same length comes out.
                assert isinstance(result, Unframed)
                assert len(result.payload) == len(payload)
            elif bit == 6 and is_last:
                assert isinstance(result, Unframed) and result.encrypted
            elif bit == 7 or not is_last:
                # The last flag, or any framing bit of a middle report: always refused.
                assert isinstance(result, FramingError), (index, bit)
            else:
                # A length bit of the last report: refused, or visibly a different length.
                assert isinstance(result, FramingError) or len(result.payload) != len(payload)


# ------------------------------------------------------- specific faults


@pytest.mark.parametrize("side", list(Side))
def test_all_zero_report_is_refused(side: Side) -> None:
    with pytest.raises(FramingError) as caught:
        unframe_message([bytes(REPORT_SIZE)], side)
    assert isinstance(caught.value, ProtocolError)
    assert caught.value.reason == "zero"


def test_empty_last_report_resets_the_device_but_not_the_host() -> None:
    device = Reassembler(Side.DEVICE)
    first = _reports(bytes(100))[0]
    assert device.feed(first) is None and device.in_progress
    assert device.feed(RESET_REPORT) is None and not device.in_progress
    assert device.feed(_reports(b"vers")[0]) == Unframed(b"vers", False)
    with pytest.raises(FramingError):
        Reassembler(Side.HOST).feed(RESET_REPORT)


@pytest.mark.parametrize("side", list(Side))
@pytest.mark.parametrize("length", [1, 4, 62])
def test_short_middle_report_is_refused(side: Side, length: int) -> None:
    middle = bytes([length]) + bytes(63)
    with pytest.raises(FramingError, match="badlen"):
        unframe_message([middle, _reports(b"ping")[0]], side)


@pytest.mark.parametrize("side", list(Side))
def test_encrypted_flag_on_middle_report_is_refused(side: Side) -> None:
    first, last = _reports(bytes(100))
    with pytest.raises(FramingError, match="flags"):
        unframe_message([bytes([first[0] | FLAG_ENCRYPTED]) + first[1:], last], side)


@pytest.mark.parametrize("side", list(Side))
def test_missing_last_flag_is_incomplete(side: Side) -> None:
    reports = _reports(bytes(130))
    reports[-1] = bytes([reports[-1][0] & ~FLAG_LAST & 0xFF]) + reports[-1][1:]
    with pytest.raises(FramingError, match=r"badlen|incomplete"):
        unframe_message(reports, side)
    full = [bytes([63]) + bytes(63)] * 3
    with pytest.raises(FramingError, match="incomplete"):
        unframe_message(full, side)


@pytest.mark.parametrize("side", list(Side))
def test_trailing_reports_are_garbage(side: Side) -> None:
    with pytest.raises(FramingError, match="trailing"):
        unframe_message([*_reports(b"vers"), *_reports(b"ping")], side)


@pytest.mark.parametrize("side", list(Side))
@pytest.mark.parametrize("size", [0, 1, 63, 65, 128, 4096])
def test_wrong_report_sizes(side: Side, size: int) -> None:
    with pytest.raises(FramingError, match=r"short|long"):
        unframe_message([b"\x84vers".ljust(size, b"\0")[:size]], side)


@pytest.mark.parametrize("side", list(Side))
def test_oversized_message_is_cut_off_without_growing(side: Side) -> None:
    decoder = Reassembler(side)
    middle = bytes([63]) + b"\xaa" * 63
    start = time.perf_counter()
    with pytest.raises(FramingError, match="xlong"):
        for _ in range(10_000):
            decoder.feed(middle)
            assert decoder.buffered <= MAX_MSG_LEN
    assert time.perf_counter() - start < DEADLINE_S
    assert decoder.buffered == 0
    assert decoder.feed(_reports(b"vers")[0]) == Unframed(b"vers", False)


@pytest.mark.parametrize("side", list(Side))
def test_too_short_message_is_refused(side: Side) -> None:
    with pytest.raises(FramingError, match="badsz"):
        unframe_message([bytes([3 | FLAG_LAST]) + b"abc" + bytes(60)], side)


# --------------------------------------------------------- generated streams


def _random_report(rng: random.Random, template: list[bytes]) -> bytes:
    kind = rng.randrange(6)
    if kind == 0:
        return bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 1, 63, 64, 65, 200])))
    if kind == 1:
        return bytes([rng.getrandbits(8)]) + bytes(rng.getrandbits(8) for _ in range(63))
    if kind == 2:
        return bytes([63]) + bytes(63)  # a middle report
    if kind == 3:
        return bytes(REPORT_SIZE)
    report = bytearray(rng.choice(template))
    report[rng.randrange(REPORT_SIZE)] ^= 1 << rng.randrange(8)
    return bytes(report)


@pytest.mark.parametrize("side", list(Side))
def test_ten_thousand_generated_streams_never_escape_the_error_type(side: Side) -> None:
    rng = random.Random(0xC01DCA4D)
    template = [r for payload in RECORDED for r in _reports(payload)]
    outcomes = {"decoded": 0, "error": 0}
    for _ in range(10_000):
        stream = [_random_report(rng, template) for _ in range(rng.randint(1, 6))]
        result = _decode_timed(stream, side)
        outcomes["decoded" if isinstance(result, Unframed) else "error"] += 1
        if isinstance(result, Unframed):
            assert 4 <= len(result.payload) <= MAX_MSG_LEN
    assert outcomes["decoded"] > 0 and outcomes["error"] > 0


def test_emulator_answers_every_generated_stream_with_wellformed_reports() -> None:
    """The emulator-side decoder and handler: no exception, every reply decodes on the host."""
    device = ColdcardDevice(as_coldcard_backend(make_hsm(approve="reject")))
    rng = random.Random(0xD13E)
    template = [r for payload in RECORDED for r in _reports(payload)]
    template += _reports(b"ping" + bytes(70)) + _reports(b"xpubm/1/2")
    replies = 0
    for _ in range(10_000):
        report = _random_report(rng, template)
        start = time.perf_counter()
        answer = device.handle_report(report)
        assert time.perf_counter() - start < DEADLINE_S
        if answer:
            replies += 1
            response = msgs.decode_response(unframe_message(answer, Side.HOST).payload)
            assert isinstance(
                response,
                msgs.FramingComplaint
                | msgs.RemoteError
                | msgs.Binary
                | msgs.Ascii
                | msgs.Okay
                | msgs.Busy
                | msgs.Refused
                | msgs.DevicePubkey,
            )
    assert replies > 100
    device.power_cycle()
