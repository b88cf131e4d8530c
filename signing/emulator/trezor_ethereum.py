"""The emulated Trezor's Ethereum app: EthereumGetAddress, -SignTypedData, -SignTypedHash.

Messages are trezorlib's own classes (``trezorlib.messages``), encoded and decoded
with ``trezorlib.protobuf`` — no hand-written protobuf. The typed-data flow follows
the firmware (``core/src/apps/ethereum/sign_typed_data.py``) as stock trezorlib
drives it: ``EthereumTypedDataStructRequest`` for ``EIP712Domain``, then for the
primary type and every struct it references (depth first, each once); then one
``EthereumTypedDataValueRequest`` per atomic value, by member path (``[0, i]`` the
domain, ``[1, ...]`` the message), with a dynamic array's length (uint16) asked at
the array's own path before its elements. Values are checked as the firmware does
(size per type, 0/1 booleans, UTF-8 strings); anything else is ``Failure(DataError)``.

The screens are what a Model T walks through: the signing address, the domain, every
field of the message (or, with ``show_message_hash``, the message hash), then
"Sign typed data?"; for ``EthereumSignTypedHash`` the domain separator hash and the
message hash. They reach the emulated human as one approval. With
``typed_data_full=False`` the device is a Trezor One: it has no
``EthereumSignTypedData`` and answers it with ``Failure(UnexpectedMessage)``, as the
legacy firmware does, so the host must fall back to the hash flow.

Hashing and signing are ``signing.ethereum`` (eth-account); the emulator only
reassembles the types and values it was sent.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, Protocol

from trezorlib import messages
from trezorlib import protobuf as trezor_protobuf

from signing.crypto.bip32 import format_path
from signing.devicetext import mentions_production
from signing.emulator.trezor_messages import ButtonRequestType, FailureType
from signing.emulator.trezor_requests import MAX_PATH_DEPTH, DeviceFailure
from signing.ethereum import (
    Types,
    address_from_pubkey,
    struct_hash,
    typed_data_digest,
)

EDT = messages.EthereumDataType
# Host -> device messages this app answers, and the answers it waits for mid-flow.
REQUEST_TYPES = frozenset(
    {
        messages.MessageType.EthereumGetAddress,
        messages.MessageType.EthereumSignTypedData,
        messages.MessageType.EthereumSignTypedHash,
    }
)
WIRE_TYPES = frozenset(
    int(t)
    for t in REQUEST_TYPES
    | {
        messages.MessageType.EthereumTypedDataStructAck,
        messages.MessageType.EthereumTypedDataValueAck,
    }
)
_CLASSES: dict[int, type[trezor_protobuf.MessageType]] = {
    int(cls.MESSAGE_WIRE_TYPE): cls  # type: ignore[arg-type]
    for cls in (
        messages.EthereumGetAddress,
        messages.EthereumSignTypedData,
        messages.EthereumSignTypedHash,
        messages.EthereumTypedDataStructAck,
        messages.EthereumTypedDataValueAck,
    )
}
MAX_STRUCTS = 64  # the firmware's memory bounds these; so does the emulator
MAX_VALUES = 1024
_HARDENED = 0x80000000


class EthereumHsm(Protocol):
    def public_node(self, path: tuple[int, ...]) -> Any: ...

    def sign_eth_digest(self, path: tuple[int, ...], digest: bytes) -> bytes: ...


class DeviceHooks(Protocol):
    """What the app needs from the emulated device's state machine."""

    hsm: Any

    def send_message(self, message: trezor_protobuf.MessageType) -> None: ...

    def expect(self, wire_type: int, resume: Callable[[Any], None]) -> None: ...

    def confirm(
        self, code: ButtonRequestType, text: str, on_approved: Callable[[], None]
    ) -> None: ...

    def with_pin(self, then: Callable[[], None]) -> None: ...


@dataclass(frozen=True)
class _Ask:
    """Send ``message`` and resume the flow with the host's answer of ``answer`` type."""

    message: trezor_protobuf.MessageType
    answer: type[trezor_protobuf.MessageType]


@dataclass(frozen=True)
class _Show:
    code: ButtonRequestType
    text: str


@dataclass
class _Walk:
    """The types received, the screens to show and the values asked so far."""

    collected: dict[str, list[messages.EthereumStructMember]]
    shown: list[str] = field(default_factory=list)
    values: int = 0


class _Ready:
    """Yielded once the request's arguments are checked: the PIN comes next."""


_READY = _Ready()
Flow = Generator[_Ask | _Show | _Ready, Any, trezor_protobuf.MessageType]
_Sub = Generator[_Ask | _Show | _Ready, Any, Any]


def decode(wire_type: int, payload: bytes) -> trezor_protobuf.MessageType:
    """A host message of this app, as trezorlib's class; bad bytes are ``DataError``."""
    cls = _CLASSES.get(wire_type)
    if cls is None:
        raise DeviceFailure(FailureType.UnexpectedMessage, "Unexpected message")
    try:
        return trezor_protobuf.load_message(io.BytesIO(payload), cls)
    except Exception as exc:  # trezorlib raises ValueError/KeyError/EOFError on bad input
        raise DeviceFailure(FailureType.DataError, f"Invalid message: {exc}") from exc


def encode(message: trezor_protobuf.MessageType) -> tuple[int, bytes]:
    wire = message.MESSAGE_WIRE_TYPE
    assert wire is not None
    buffer = io.BytesIO()
    trezor_protobuf.dump_message(buffer, message)
    return wire, buffer.getvalue()


class EthereumApp:
    """Runs one Ethereum flow at a time on behalf of a ``TrezorDevice``."""

    def __init__(self, device: DeviceHooks, *, typed_data_full: bool = True) -> None:
        self.device = device
        self.typed_data_full = typed_data_full

    def handlers(self) -> dict[int, Callable[[Any], None]]:
        return {
            int(messages.MessageType.EthereumGetAddress): self._start(self._get_address),
            int(messages.MessageType.EthereumSignTypedData): self._start(self._sign_typed_data),
            int(messages.MessageType.EthereumSignTypedHash): self._start(self._sign_typed_hash),
        }

    # ---- the flow runner -------------------------------------------------------------

    def _start(self, flow: Callable[[Any], Flow]) -> Callable[[Any], None]:
        def begin(message: Any) -> None:
            generator = flow(message)
            if not isinstance(next(generator), _Ready):  # arguments checked before the PIN
                raise DeviceFailure(FailureType.FirmwareError, "flow out of order")
            self.device.with_pin(lambda: self._step(generator, None))

        return begin

    def _step(self, generator: Flow, answer: Any) -> None:
        try:
            request = generator.send(answer)
        except StopIteration as done:
            self.device.send_message(done.value)
            return
        self._act(generator, request)

    def _act(self, generator: Flow, request: _Ask | _Show | _Ready) -> None:
        if isinstance(request, _Ready):
            raise DeviceFailure(FailureType.FirmwareError, "flow out of order")
        if isinstance(request, _Show):
            self.device.confirm(request.code, request.text, lambda: self._step(generator, None))
            return
        wire = request.answer.MESSAGE_WIRE_TYPE
        assert wire is not None
        self.device.send_message(request.message)
        self.device.expect(wire, lambda answer: self._step(generator, answer))

    # ---- EthereumGetAddress ----------------------------------------------------------

    def _get_address(self, msg: messages.EthereumGetAddress) -> Flow:
        path = _path(msg.address_n)
        yield _READY
        address = self._address(path)
        if msg.show_display:
            yield _Show(ButtonRequestType.Address, f"Address {format_path(path)}: {address}")
        return messages.EthereumAddress(address=address)

    # ---- EthereumSignTypedHash -------------------------------------------------------

    def _sign_typed_hash(self, msg: messages.EthereumSignTypedHash) -> Flow:
        path = _path(msg.address_n)
        domain_hash = bytes(msg.domain_separator_hash)
        message_hash = None if msg.message_hash is None else bytes(msg.message_hash)
        if len(domain_hash) != 32 or (message_hash is not None and len(message_hash) != 32):
            raise DeviceFailure(FailureType.DataError, "Invalid hash length")
        yield _READY
        address = self._address(path)
        lines = [
            f"Sign typed data hash with {address} ({format_path(path)})",
            f"Domain separator hash: 0x{domain_hash.hex()}",
            f"Message hash: 0x{message_hash.hex()}" if message_hash else "No message (domain only)",
        ]
        yield _Show(ButtonRequestType.ProtectCall, "\n".join(lines))
        return self._signature(path, address, typed_data_digest(domain_hash, message_hash))

    # ---- EthereumSignTypedData -------------------------------------------------------

    def _sign_typed_data(self, msg: messages.EthereumSignTypedData) -> Flow:
        if not self.typed_data_full:
            raise DeviceFailure(FailureType.UnexpectedMessage, "Unknown message")
        path = _path(msg.address_n)
        primary = str(msg.primary_type)
        v4 = msg.metamask_v4_compat is not False
        yield _READY
        address = self._address(path)
        collected: dict[str, list[messages.EthereumStructMember]] = {}
        yield from self._collect("EIP712Domain", collected)
        yield from self._collect(primary, collected)
        types: Types = {
            name: [{"name": m.name, "type": _type_name(m.type)} for m in members]
            for name, members in collected.items()
        }
        walk = _Walk(collected)
        domain = yield from self._struct_values("EIP712Domain", [0], walk)
        message: dict[str, Any] = {}
        if primary != "EIP712Domain":
            message = yield from self._struct_values(primary, [1], walk)
        shown = walk.shown
        try:
            domain_hash = struct_hash("EIP712Domain", types, domain, v4=v4)
            message_hash = (
                None if primary == "EIP712Domain" else struct_hash(primary, types, message, v4=v4)
            )
        except Exception as exc:  # eth-abi refuses what cannot be encoded
            raise DeviceFailure(FailureType.DataError, f"Cannot encode typed data: {exc}") from exc
        if msg.show_message_hash is not None and bytes(msg.show_message_hash) != message_hash:
            raise DeviceFailure(FailureType.DataError, "Message hash mismatch")
        screens = [f"Confirm address: {address} ({format_path(path)})", f"Typed data: {primary}"]
        screens += [line for line in shown if line.startswith("EIP712Domain")]
        if msg.show_message_hash is not None:
            screens.append(f"Message hash: 0x{bytes(msg.show_message_hash).hex()}")
        else:
            screens += [line for line in shown if not line.startswith("EIP712Domain")]
        screens.append("Sign typed data?")
        text = "\n".join(screens)
        if mentions_production(text):
            raise DeviceFailure(
                FailureType.ProcessError,
                "Emulator refuses to sign production statements (env=prod)",
            )
        yield _Show(ButtonRequestType.ProtectCall, text)
        return self._signature(path, address, typed_data_digest(domain_hash, message_hash))

    def _collect(
        self, name: str, collected: dict[str, list[messages.EthereumStructMember]]
    ) -> _Sub:
        if len(collected) >= MAX_STRUCTS:
            raise DeviceFailure(FailureType.DataError, "Too many structs")
        ack = yield _Ask(
            messages.EthereumTypedDataStructRequest(name=name), messages.EthereumTypedDataStructAck
        )
        members = list(ack.members)
        collected[name] = members
        for member in members:
            field = member.type
            _validate_field_type(field)
            while field.data_type == EDT.ARRAY:
                assert field.entry_type is not None
                field = field.entry_type
            if field.data_type == EDT.STRUCT and field.struct_name not in collected:
                assert field.struct_name is not None
                yield from self._collect(field.struct_name, collected)

    def _struct_values(
        self, name: str, member_path: list[int], walk: _Walk, title: str = ""
    ) -> _Sub:
        if name not in walk.collected:
            raise DeviceFailure(FailureType.DataError, f"Unknown struct {name}")
        value: dict[str, Any] = {}
        for index, member in enumerate(walk.collected[name]):
            label = f"{title or name}.{member.name}"
            value[member.name] = yield from self._field_value(
                member.type, [*member_path, index], label, walk
            )
        return value

    def _field_value(
        self, field: messages.EthereumFieldType, member_path: list[int], label: str, walk: _Walk
    ) -> _Sub:
        if field.data_type == EDT.STRUCT:
            assert field.struct_name is not None
            result = yield from self._struct_values(field.struct_name, member_path, walk, label)
            return result
        if field.data_type == EDT.ARRAY:
            assert field.entry_type is not None
            if field.size is None:
                raw = yield from self._ask_value(member_path, walk)
                if len(raw) != 2:
                    raise DeviceFailure(FailureType.DataError, "Invalid array length")
                size = int.from_bytes(raw, "big")
            else:
                size = field.size
            items = []
            for i in range(size):
                item = yield from self._field_value(
                    field.entry_type, [*member_path, i], f"{label}[{i}]", walk
                )
                items.append(item)
            return items
        raw = yield from self._ask_value(member_path, walk)
        decoded = _decode_atomic(field, raw)
        walk.shown.append(f"{label}: {_show(decoded)}")
        return decoded

    def _ask_value(self, member_path: list[int], walk: _Walk) -> _Sub:
        walk.values += 1
        if walk.values > MAX_VALUES:
            raise DeviceFailure(FailureType.DataError, "Too many values")
        ack = yield _Ask(
            messages.EthereumTypedDataValueRequest(member_path=list(member_path)),
            messages.EthereumTypedDataValueAck,
        )
        return bytes(ack.value)

    # ---- keys ------------------------------------------------------------------------

    def _address(self, path: tuple[int, ...]) -> str:
        return address_from_pubkey(self.device.hsm.public_node(path).public_key)

    def _signature(
        self, path: tuple[int, ...], address: str, digest: bytes
    ) -> messages.EthereumTypedDataSignature:
        from signing.errors import SigningError

        try:
            signature = self.device.hsm.sign_eth_digest(path, digest)
        except SigningError as exc:
            raise DeviceFailure(FailureType.ProcessError, str(exc)) from exc
        return messages.EthereumTypedDataSignature(signature=signature, address=address)


# ---- the firmware's checks and its type names ----------------------------------------


def _path(address_n: Any) -> tuple[int, ...]:
    path = tuple(int(i) for i in address_n)
    if len(path) > MAX_PATH_DEPTH:
        raise DeviceFailure(FailureType.DataError, "Forbidden key path")
    # the Ethereum keychain: m/44'/60'/... (and testnets' 44'/1'), as the firmware's patterns
    if len(path) < 2 or path[0] != 44 | _HARDENED or path[1] not in (60 | _HARDENED, 1 | _HARDENED):
        raise DeviceFailure(FailureType.DataError, "Forbidden key path")
    return path


def _validate_field_type(field: messages.EthereumFieldType) -> None:
    data_type = field.data_type
    if data_type == EDT.ARRAY:
        if field.entry_type is None:
            raise DeviceFailure(FailureType.DataError, "Missing entry_type in array")
        _validate_field_type(field.entry_type)
        return
    if data_type == EDT.STRUCT:
        if field.struct_name is None:
            raise DeviceFailure(FailureType.DataError, "Missing struct_name in struct")
        return
    if data_type in (EDT.UINT, EDT.INT):
        if field.size is None or not 1 <= field.size <= 32:
            raise DeviceFailure(FailureType.DataError, "Invalid integer size")
        return
    if data_type == EDT.BYTES:
        if field.size is not None and not 1 <= field.size <= 32:
            raise DeviceFailure(FailureType.DataError, "Invalid bytes size")
        return
    if data_type in (EDT.STRING, EDT.BOOL, EDT.ADDRESS):
        if field.size is not None:
            raise DeviceFailure(FailureType.DataError, "Unexpected size")
        return
    raise DeviceFailure(FailureType.DataError, "Unsupported data type")


def _type_name(field: messages.EthereumFieldType) -> str:
    data_type = field.data_type
    if data_type == EDT.ARRAY:
        assert field.entry_type is not None
        return f"{_type_name(field.entry_type)}[{'' if field.size is None else field.size}]"
    if data_type == EDT.STRUCT:
        return str(field.struct_name)
    if data_type == EDT.UINT:
        return f"uint{8 * (field.size or 32)}"
    if data_type == EDT.INT:
        return f"int{8 * (field.size or 32)}"
    if data_type == EDT.BYTES:
        return "bytes" if field.size is None else f"bytes{field.size}"
    return {EDT.STRING: "string", EDT.BOOL: "bool", EDT.ADDRESS: "address"}[data_type]


def _decode_atomic(field: messages.EthereumFieldType, raw: bytes) -> Any:
    data_type = field.data_type
    if data_type in (EDT.UINT, EDT.INT):
        if len(raw) != field.size:
            raise DeviceFailure(FailureType.DataError, "Invalid length")
        return int.from_bytes(raw, "big", signed=data_type == EDT.INT)
    if data_type == EDT.BYTES:
        if field.size is not None and len(raw) != field.size:
            raise DeviceFailure(FailureType.DataError, "Invalid length")
        return raw
    if data_type == EDT.BOOL:
        if raw not in (b"\x00", b"\x01"):
            raise DeviceFailure(FailureType.DataError, "Invalid boolean value")
        return raw == b"\x01"
    if data_type == EDT.ADDRESS:
        if len(raw) != 20:
            raise DeviceFailure(FailureType.DataError, "Invalid address")
        from eth_utils.address import to_checksum_address

        return str(to_checksum_address(raw))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeviceFailure(FailureType.DataError, "Invalid UTF-8") from exc


def _show(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex() if value else "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
