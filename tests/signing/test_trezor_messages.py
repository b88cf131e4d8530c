"""The emulator's messages are trezorlib 0.20.2's own classes and codec (trezor_codec)."""

from __future__ import annotations

import pytest
from trezorlib import mapping, messages, protobuf

from signing.emulator import trezor_codec
from signing.emulator.trezor_codec import CodecError
from signing.emulator.trezor_messages import (
    ButtonRequestType,
    FailureType,
    InputScriptType,
    MessageType,
)


@pytest.mark.parametrize("msg_type", list(MessageType), ids=lambda t: t.name)
def test_every_message_type_is_trezorlibs_class_with_its_number(msg_type: MessageType) -> None:
    cls = trezor_codec.message_class(msg_type)
    assert int(msg_type) == cls.MESSAGE_WIRE_TYPE


def test_enums_match_trezorlib() -> None:
    for ours, theirs in (
        (FailureType, messages.FailureType),
        (InputScriptType, messages.InputScriptType),
        (ButtonRequestType, messages.ButtonRequestType),
    ):
        for member in ours:
            assert int(getattr(theirs, member.name)) == int(member)


SAMPLES = [
    messages.Initialize(session_id=b"\x01" * 32),
    messages.GetPublicKey(
        address_n=[0x80000000], ecdsa_curve_name="secp256k1", ignore_xpub_magic=True
    ),
    messages.SignMessage(
        address_n=[0x8000002C, 0, 1], message="Příliš".encode(), coin_name="Testnet"
    ),
    messages.PublicKey(
        node=messages.HDNodeType(
            depth=1,
            fingerprint=7,
            child_num=0x80000000,
            chain_code=b"c" * 32,
            public_key=b"\x02" * 33,
        ),
        xpub="xpub...",
        root_fingerprint=0x5C9E228D,
    ),
    messages.Features(
        vendor="trezor.io",
        major_version=1,
        minor_version=12,
        patch_version=1,
        capabilities=[messages.Capability.Bitcoin],
        session_id=b"s" * 32,
        label="EMULATOR x",
    ),
    messages.Failure(code=messages.FailureType.ActionCancelled, message="Cancelled"),
    messages.ButtonRequest(code=messages.ButtonRequestType.ProtectCall, pages=1),
    messages.PinMatrixAck(pin="1597"),
    messages.MessageSignature(address="1abc", signature=b"\x1f" * 65),
]


@pytest.mark.parametrize("msg", SAMPLES, ids=lambda m: type(m).__name__)
def test_round_trip_against_trezorlib(msg: protobuf.MessageType) -> None:
    msg_type, payload = mapping.DEFAULT_MAPPING.encode(msg)
    record = trezor_codec.decode(MessageType(msg_type), payload)
    again = trezor_codec.encode(MessageType(msg_type), record)
    assert mapping.DEFAULT_MAPPING.decode(msg_type, again) == msg


GPK, PMA = MessageType.GetPublicKey, MessageType.PinMatrixAck


@pytest.mark.parametrize(
    ("msg_type", "payload"),
    [
        (PMA, b"\x0a\x05ab"),  # length beyond the end
        (GPK, b"\x08" + b"\xff" * 11),  # varint never ends
        (GPK, b"\x08\x80"),  # truncated varint
        (GPK, b"\x08\x80\x80\x80\x80\x10"),  # uint32 out of range
        (GPK, b"\x0b"),  # group start: refused
        (GPK, b"\x12\x02\xff\xfe"),  # invalid UTF-8 in a string
        (PMA, b""),  # required field missing
        (PMA, b"\x08\x01"),  # wrong wire type for a string
    ],
)
def test_malformed_payloads_are_typed_errors(msg_type: MessageType, payload: bytes) -> None:
    with pytest.raises(CodecError):
        trezor_codec.decode(msg_type, payload)


def test_unknown_fields_are_skipped_and_packed_repeated_accepted() -> None:
    packed = b"\x0a\x03\x01\x02\x03"
    unknown = b"\x98\x06\x01" + b"\xa2\x06\x02hi"  # varint and length-delimited
    record = trezor_codec.decode(GPK, packed + unknown)
    # absent fields take the protocol's defaults, as the firmware reads them
    assert record == {"address_n": [1, 2, 3], "coin_name": "Bitcoin", "script_type": 0}


def test_repeated_count_is_bounded() -> None:
    payload = b"\x08\x01" * (trezor_codec.MAX_REPEATED + 1)
    with pytest.raises(CodecError):
        trezor_codec.decode(GPK, payload)


def test_a_reply_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(CodecError):
        trezor_codec.encode(MessageType.Success, {"message": "ok", "extra": 1})
