"""A minimal protobuf (proto2) codec for the few Trezor messages the emulator speaks.

The emulator must not depend on trezorlib, so it describes its messages with
``Schema``/``Field`` and encodes/decodes plain records (``dict[str, Value]``). Decoding
is bounded: varints at most 10 bytes, lengths within the remaining input, nesting
depth and repeated counts capped, unknown fields skipped, groups refused. Every
malformed input raises ``ProtobufError`` (a ``signing.errors.ProtocolError``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Union

from signing.errors import ProtocolError

WIRE_VARINT = 0
WIRE_FIXED64 = 1
WIRE_LENGTH = 2
WIRE_FIXED32 = 5
MAX_VARINT_BYTES = 10
MAX_DEPTH = 8
MAX_REPEATED = 1024

Value = Union[int, bool, str, bytes, "Record", list[int], list["Record"]]
Record = dict[str, Value]


class ProtobufError(ProtocolError):
    """Bytes that are not a valid encoding of the expected message."""


class Kind(Enum):
    UINT32 = "uint32"
    UINT64 = "uint64"
    BOOL = "bool"
    ENUM = "enum"
    STRING = "string"
    BYTES = "bytes"
    MESSAGE = "message"


_VARINT_KINDS = {Kind.UINT32, Kind.UINT64, Kind.BOOL, Kind.ENUM}
_LIMITS = {Kind.UINT32: 0xFFFFFFFF, Kind.UINT64: 0xFFFFFFFFFFFFFFFF, Kind.ENUM: 0xFFFFFFFF}


@dataclass(frozen=True)
class Field:
    tag: int
    name: str
    kind: Kind
    repeated: bool = False
    required: bool = False
    message: Schema | None = None  # for Kind.MESSAGE


@dataclass(frozen=True)
class Schema:
    name: str
    fields: tuple[Field, ...]
    _by_tag: dict[int, Field] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_tag", {f.tag: f for f in self.fields})

    def by_tag(self, tag: int) -> Field | None:
        return self._by_tag.get(tag)


# ---- encoding ----------------------------------------------------------------------


def encode_varint(value: int) -> bytes:
    if value < 0:
        raise ProtobufError(f"negative varint {value}")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _encode_scalar(f: Field, value: Value) -> bytes:
    key_varint = encode_varint(
        (f.tag << 3) | (WIRE_VARINT if f.kind in _VARINT_KINDS else WIRE_LENGTH)
    )
    if f.kind is Kind.BOOL:
        if not isinstance(value, bool):
            raise ProtobufError(f"{f.name}: expected bool")
        return key_varint + encode_varint(int(value))
    if f.kind in _VARINT_KINDS:
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not 0 <= value <= _LIMITS[f.kind]
        ):
            raise ProtobufError(f"{f.name}: expected an unsigned integer in range")
        return key_varint + encode_varint(value)
    if f.kind is Kind.STRING:
        if not isinstance(value, str):
            raise ProtobufError(f"{f.name}: expected str")
        data = value.encode("utf-8")
    elif f.kind is Kind.BYTES:
        if not isinstance(value, bytes):
            raise ProtobufError(f"{f.name}: expected bytes")
        data = value
    else:
        if not isinstance(value, dict) or f.message is None:
            raise ProtobufError(f"{f.name}: expected a nested record")
        data = encode(f.message, value)
    return key_varint + encode_varint(len(data)) + data


def encode(schema: Schema, record: Record) -> bytes:
    """Serialise ``record`` (field name -> value; absent or None = not sent)."""
    known = {f.name for f in schema.fields}
    unknown = set(record) - known
    if unknown:
        raise ProtobufError(f"{schema.name}: unknown fields {sorted(unknown)}")
    out = bytearray()
    for f in schema.fields:
        value = record.get(f.name)
        if value is None:
            if f.required:
                raise ProtobufError(f"{schema.name}.{f.name} is required")
            continue
        if f.repeated:
            if not isinstance(value, list):
                raise ProtobufError(f"{schema.name}.{f.name}: expected a list")
            for item in value:
                out += _encode_scalar(f, item)
        else:
            out += _encode_scalar(f, value)
    return bytes(out)


# ---- decoding ----------------------------------------------------------------------


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for i in range(MAX_VARINT_BYTES):
        if pos >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            return value, pos
    raise ProtobufError("varint longer than 10 bytes")


def _skip(data: bytes, pos: int, wire: int) -> int:
    if wire == WIRE_VARINT:
        return _read_varint(data, pos)[1]
    if wire == WIRE_FIXED64:
        end = pos + 8
    elif wire == WIRE_FIXED32:
        end = pos + 4
    elif wire == WIRE_LENGTH:
        length, pos = _read_varint(data, pos)
        end = pos + length
    else:
        raise ProtobufError(f"unsupported wire type {wire}")
    if end > len(data):
        raise ProtobufError("truncated field")
    return end


def _decode_value(f: Field, wire: int, data: bytes, pos: int, depth: int) -> tuple[Value, int]:
    if f.kind in _VARINT_KINDS:
        if wire != WIRE_VARINT:
            raise ProtobufError(f"{f.name}: wire type {wire}, expected varint")
        raw, pos = _read_varint(data, pos)
        if f.kind is Kind.BOOL:
            return raw != 0, pos
        if raw > _LIMITS[f.kind]:
            raise ProtobufError(f"{f.name}: {raw} out of range")
        return raw, pos
    if wire != WIRE_LENGTH:
        raise ProtobufError(f"{f.name}: wire type {wire}, expected length-delimited")
    length, pos = _read_varint(data, pos)
    end = pos + length
    if end > len(data):
        raise ProtobufError(f"{f.name}: length {length} beyond the end of the message")
    chunk = data[pos:end]
    if f.kind is Kind.BYTES:
        return bytes(chunk), end
    if f.kind is Kind.STRING:
        try:
            return chunk.decode("utf-8"), end
        except UnicodeDecodeError as exc:
            raise ProtobufError(f"{f.name}: invalid UTF-8") from exc
    assert f.message is not None
    return _decode(f.message, chunk, depth + 1), end


def _decode(schema: Schema, data: bytes, depth: int) -> Record:
    if depth > MAX_DEPTH:
        raise ProtobufError("nesting too deep")
    record: Record = {}
    pos = 0
    while pos < len(data):
        key, pos = _read_varint(data, pos)
        tag, wire = key >> 3, key & 7
        if tag == 0:
            raise ProtobufError("field number 0")
        f = schema.by_tag(tag)
        if f is None:
            pos = _skip(data, pos, wire)
            continue
        if f.repeated and f.kind in _VARINT_KINDS and wire == WIRE_LENGTH:
            pos = _decode_packed(f, data, pos, record)
            continue
        value, pos = _decode_value(f, wire, data, pos, depth)
        if f.repeated:
            items = record.setdefault(f.name, [])
            assert isinstance(items, list)
            if len(items) >= MAX_REPEATED:
                raise ProtobufError(f"{f.name}: more than {MAX_REPEATED} items")
            items.append(value)  # type: ignore[arg-type]
        else:
            record[f.name] = value
    for f in schema.fields:
        if f.required and f.name not in record:
            raise ProtobufError(f"{schema.name}.{f.name} is required")
    return record


def _decode_packed(f: Field, data: bytes, pos: int, record: Record) -> int:
    length, pos = _read_varint(data, pos)
    end = pos + length
    if end > len(data):
        raise ProtobufError(f"{f.name}: packed length beyond the end")
    items = record.setdefault(f.name, [])
    assert isinstance(items, list)
    while pos < end:
        raw, pos = _read_varint(data, pos)
        if pos > end:
            raise ProtobufError(f"{f.name}: packed varint crosses its length")
        if raw > _LIMITS.get(f.kind, 1):
            raise ProtobufError(f"{f.name}: {raw} out of range")
        if len(items) >= MAX_REPEATED:
            raise ProtobufError(f"{f.name}: more than {MAX_REPEATED} items")
        items.append(raw)  # type: ignore[arg-type]
    return end


def decode(schema: Schema, data: bytes) -> Record:
    """Parse ``data`` as ``schema``; unknown fields are skipped, required ones checked."""
    return _decode(schema, bytes(data), 0)
