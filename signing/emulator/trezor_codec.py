"""The emulated Trezor's message codec: trezorlib's own message classes and protobuf.

A message on the wire is decoded with ``trezorlib.protobuf.load_message`` into the
class trezorlib itself uses (``trezorlib.messages.<MessageType name>``) and handed
to the device's handlers as a plain record (field name -> value, absent fields
left out, enums as ints, nested messages as records); replies go the other way
through ``dict_to_proto`` and ``dump_message``. So the emulator speaks exactly the
protocol definitions trezorlib ships, with no second, hand-written schema. A
malformed message is a :class:`CodecError` (the device answers ``Failure(DataError)``).
"""

from __future__ import annotations

import io
from enum import IntEnum
from typing import Any

from trezorlib import messages, protobuf

from signing.emulator.trezor_messages import MessageType

Value = Any
Record = dict[str, Value]
MAX_REPEATED = 4096  # items of one repeated field the emulator accepts (paths, lists)


class CodecError(Exception):
    """A message that does not decode (or encode) as its trezorlib class."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def message_class(msg_type: MessageType) -> type[protobuf.MessageType]:
    cls = getattr(messages, msg_type.name, None)
    if not (isinstance(cls, type) and issubclass(cls, protobuf.MessageType)):
        raise CodecError(f"no trezorlib class for {msg_type.name}")
    return cls


def _record(msg: protobuf.MessageType) -> Record:
    out: Record = {}
    for field in msg.FIELDS.values():
        value = getattr(msg, field.name, None)
        if value is None or value == []:
            continue
        if field.repeated and len(value) > MAX_REPEATED:
            raise CodecError(f"{field.name}: more than {MAX_REPEATED} items")
        for item in value if field.repeated else [value]:
            _check_range(field, item)
        out[field.name] = _plain(value)
    return out


def _check_range(field: protobuf.Field, value: Value) -> None:
    """trezorlib only logs an out-of-range integer; the firmware refuses it."""
    if isinstance(value, (bool, IntEnum)) or not isinstance(value, int):
        return
    if field.proto_type in ("uint32", "uint64", "sint32", "sint64") and not (
        field.value_fits(value)
    ):
        raise CodecError(f"{field.name}: {value} out of range for {field.proto_type}")


def _plain(value: Value) -> Value:
    if isinstance(value, protobuf.MessageType):
        return _record(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, IntEnum):
        return int(value)
    return value


class _StrictReader:
    """A reader that refuses a field cut short (trezorlib would take the short read)."""

    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self._pos = 0

    def readinto(self, buf: bytearray) -> int:
        left = len(self._data) - self._pos
        if left == 0:
            return 0
        if left < len(buf):
            raise EOFError("field runs past the end of the message")
        buf[:] = self._data[self._pos : self._pos + len(buf)]
        self._pos += len(buf)
        return len(buf)


def decode(msg_type: MessageType, payload: bytes) -> Record:
    """``payload`` as ``msg_type``'s trezorlib class, as a record."""
    cls = message_class(msg_type)
    try:
        msg = protobuf.load_message(_StrictReader(bytes(payload)), cls)
    except Exception as exc:  # trezorlib raises ValueError, EOFError, TypeError, ...
        raise CodecError(f"{cls.__name__}: {exc or type(exc).__name__}") from None
    return _record(msg)


def encode(msg_type: MessageType, record: Record) -> bytes:
    """A reply record as ``msg_type``'s trezorlib class, serialized."""
    cls = message_class(msg_type)
    unknown = set(record) - {f.name for f in cls.FIELDS.values()}
    if unknown:
        raise CodecError(f"{cls.__name__}: unknown fields {sorted(unknown)}")
    out = io.BytesIO()
    protobuf.dump_message(out, protobuf.dict_to_proto(cls, record))
    return out.getvalue()


def known(msg_type: MessageType) -> bool:
    try:
        message_class(msg_type)
    except CodecError:
        return False
    return True
