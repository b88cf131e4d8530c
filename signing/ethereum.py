"""Ethereum for the signing library: EIP-55 addresses, EIP-712 hashes, signature recovery.

Everything cryptographic comes from eth-account / eth-keys / eth-utils (Keccak,
EIP-712 struct hashing, secp256k1 recovery): nothing here re-implements it. The
one piece eth-account lacks is the legacy (non-MetaMask-v4) encoding of arrays of
structs that the Trezor firmware still offers behind ``metamask_v4_compat=False``;
``struct_hash`` composes it from eth-account's own field encoder.

A signature is the standard 65-byte ``r || s || v`` with ``v`` 27 or 28, the form a
Trezor returns for typed data and the form the Safe contract accepts as an ECDSA
owner signature over the SafeTx hash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from eth_abi.abi import encode as abi_encode
from eth_abi.exceptions import EncodingError
from eth_account import Account
from eth_account._utils.encode_typed_data.encoding_and_hashing import (
    encode_field,
    hash_type,
)
from eth_keys.datatypes import PublicKey, Signature
from eth_keys.exceptions import BadSignature
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from eth_utils.exceptions import ValidationError

from signing.errors import InvalidInput, InvalidSignature, InvalidTypedData

ETH_DEFAULT_PATH = "m/44'/60'/0'/0/0"
_HEX_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
_ATOMIC = re.compile(
    r"^(u?int(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152"
    r"|160|168|176|184|192|200|208|216|224|232|240|248|256)|bytes([1-9]|[12][0-9]"
    r"|3[0-2])?|string|bool|address)$"
)
_ARRAY = re.compile(r"^(.+)\[(\d*)\]$")
Types = dict[str, list[dict[str, str]]]


def checksum_address(text: str) -> str:
    """``text`` as an EIP-55 address; refused unless it is one, checksum and all.

    A mixed-case address whose checksum is wrong, an all-lower/all-upper address
    (no checksum to check) and anything not 20 bytes of hex are each ``InvalidInput``.
    """
    if not isinstance(text, str) or not _HEX_ADDRESS.match(text):
        raise InvalidInput(f"{text!r} is not a 0x-prefixed 20-byte hex address")
    expected = to_checksum_address(text)
    if text != expected:
        if text[2:] in (text[2:].lower(), text[2:].upper()):
            raise InvalidInput(f"{text} has no EIP-55 checksum: write it as {expected}")
        raise InvalidInput(f"{text} fails its EIP-55 checksum")
    return expected


def address_from_pubkey(pubkey: bytes) -> str:
    """The EIP-55 Ethereum address of a secp256k1 public key (33 or 65 bytes)."""
    try:
        if len(pubkey) == 33:
            key = PublicKey.from_compressed_bytes(pubkey)
        elif len(pubkey) == 65 and pubkey[0] == 4:
            key = PublicKey(pubkey[1:])
        else:
            raise InvalidInput("a public key is 33 or 65 bytes")
    except ValidationError as exc:
        raise InvalidInput(f"not a secp256k1 public key: {exc}") from exc
    return str(key.to_checksum_address())


def sign_digest(secret: int, digest: bytes) -> bytes:
    """``r || s || v`` (v = 27 + recovery id) over a 32-byte digest (RFC 6979 nonce, low S)."""
    if len(digest) != 32:
        raise InvalidInput("an EIP-712 digest is 32 bytes")
    signed = Account.unsafe_sign_hash(digest, secret.to_bytes(32, "big"))
    return bytes(signed.signature)


def recover_address(digest: bytes, signature: bytes) -> str:
    """The address that made ``signature`` (65 bytes r||s||v, v 27/28) over ``digest``."""
    if len(digest) != 32:
        raise InvalidInput("an EIP-712 digest is 32 bytes")
    if len(signature) != 65:
        raise InvalidSignature(f"a signature is 65 bytes r||s||v, not {len(signature)}")
    v = signature[64]
    if v not in (27, 28):
        raise InvalidSignature(f"v must be 27 or 28 for a typed-data signature, not {v}")
    try:
        sig = Signature(signature[:64] + bytes([v - 27]))
        return str(sig.recover_public_key_from_msg_hash(digest).to_checksum_address())
    except (BadSignature, ValidationError) as exc:
        raise InvalidSignature(f"signature does not recover: {exc}") from exc


def typed_data_digest(domain_hash: bytes, message_hash: bytes | None) -> bytes:
    """``keccak(0x19 0x01 || domainSeparator || hashStruct(message))`` (message may be absent)."""
    return bytes(keccak(b"\x19\x01" + domain_hash + (message_hash or b"")))


# ---- typed data ----------------------------------------------------------------------


def check_typed_data(data: Mapping[str, Any]) -> tuple[Types, str, dict[str, Any], dict[str, Any]]:
    """Validate an EIP-712 ``{types, primaryType, domain, message}`` object.

    Returns ``(types, primary_type, domain, message)``; raises ``InvalidTypedData``
    for a missing key, an unknown or malformed type, a value missing for a field,
    or a primary type that is not defined.
    """
    if not isinstance(data, Mapping):
        raise InvalidTypedData("typed data is a JSON object")
    for key in ("types", "primaryType", "domain", "message"):
        if key not in data:
            raise InvalidTypedData(f"typed data lacks {key!r}")
    raw_types, primary = data["types"], data["primaryType"]
    domain, message = data["domain"], data["message"]
    if not isinstance(raw_types, Mapping) or not isinstance(primary, str):
        raise InvalidTypedData("types is an object and primaryType a string")
    if not isinstance(domain, Mapping) or not isinstance(message, Mapping):
        raise InvalidTypedData("domain and message are objects")
    types: Types = {}
    for name, members in raw_types.items():
        if not isinstance(members, list):
            raise InvalidTypedData(f"type {name} is not a list of members")
        checked = []
        for member in members:
            if (
                not isinstance(member, Mapping)
                or not isinstance(member.get("name"), str)
                or not isinstance(member.get("type"), str)
            ):
                raise InvalidTypedData(f"type {name} has a member without name and type")
            checked.append({"name": member["name"], "type": member["type"]})
        types[str(name)] = checked
    types.setdefault("EIP712Domain", [])
    if primary not in types:
        raise InvalidTypedData(f"primaryType {primary} is not defined in types")
    for name, members in types.items():
        for member in members:
            _check_type_name(member["type"], types, f"{name}.{member['name']}")
    _check_values("EIP712Domain", dict(domain), types, "domain")
    if primary != "EIP712Domain":
        _check_values(primary, dict(message), types, "message")
    return types, primary, dict(domain), dict(message)


def _check_type_name(type_name: str, types: Types, where: str) -> None:
    array = _ARRAY.match(type_name)
    if array:
        _check_type_name(array.group(1), types, where)
        return
    if type_name in types or _ATOMIC.match(type_name):
        return
    raise InvalidTypedData(f"{where}: unknown type {type_name!r}")


def _check_values(struct: str, value: Any, types: Types, where: str) -> None:
    if not isinstance(value, Mapping):
        raise InvalidTypedData(f"{where} must be an object of type {struct}")
    for member in types[struct]:
        name, type_name = member["name"], member["type"]
        if name not in value:
            raise InvalidTypedData(f"{where}.{name} is missing")
        _check_value(type_name, value[name], types, f"{where}.{name}")


def _check_value(type_name: str, value: Any, types: Types, where: str) -> None:
    array = _ARRAY.match(type_name)
    if array:
        if not isinstance(value, list):
            raise InvalidTypedData(f"{where} must be an array")
        if array.group(2) and len(value) != int(array.group(2)):
            raise InvalidTypedData(f"{where} must have {array.group(2)} entries")
        for i, item in enumerate(value):
            _check_value(array.group(1), item, types, f"{where}[{i}]")
        return
    if type_name in types:
        _check_values(type_name, value, types, where)
        return
    if type_name == "address":
        if not isinstance(value, str) or not _HEX_ADDRESS.match(value):
            raise InvalidTypedData(f"{where} is not a 20-byte address")
    elif type_name.startswith(("uint", "int")):
        bits = int(type_name.lstrip("uint") or 256)
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise InvalidTypedData(f"{where} is not an integer")
        try:
            number = int(value, 0) if isinstance(value, str) else value
        except ValueError as exc:
            raise InvalidTypedData(f"{where} is not an integer") from exc
        low, high = (
            (0, 2**bits) if type_name.startswith("u") else (-(2 ** (bits - 1)), 2 ** (bits - 1))
        )
        if not low <= number < high:
            raise InvalidTypedData(f"{where} does not fit {type_name}")
    elif type_name == "bool":
        if not isinstance(value, bool):
            raise InvalidTypedData(f"{where} is not true or false")
    elif type_name == "string":
        if not isinstance(value, str):
            raise InvalidTypedData(f"{where} is not a string")
    elif type_name.startswith("bytes"):
        if not isinstance(value, str) or not re.fullmatch(r"0x([0-9a-fA-F]{2})*", value):
            raise InvalidTypedData(f"{where} is not 0x-prefixed hex bytes")
        size = type_name[5:]
        if size and len(value) != 2 + 2 * int(size):
            raise InvalidTypedData(f"{where} must be {size} bytes")


def struct_hash(struct: str, types: Types, value: Mapping[str, Any], *, v4: bool = True) -> bytes:
    """``hashStruct(value)`` with eth-account's encoder (``v4=False``: Trezor's legacy arrays)."""
    return bytes(keccak(_encode_struct(struct, types, value, v4=v4, with_type=True)))


def _encode_struct(
    struct: str, types: Types, value: Mapping[str, Any], *, v4: bool, with_type: bool
) -> bytes:
    field_types: list[str] = ["bytes32"] if with_type else []
    values: list[Any] = [hash_type(struct, types)] if with_type else []
    for member in types[struct]:
        kind, encoded = _encode_member(
            types, member["name"], member["type"], value.get(member["name"]), v4
        )
        field_types.append(kind)
        values.append(encoded)
    return bytes(abi_encode(field_types, values))


def _encode_member(
    types: Types, name: str, type_name: str, value: Any, v4: bool
) -> tuple[str, Any]:
    array = _ARRAY.match(type_name)
    if not v4 and array and array.group(1) in types and isinstance(value, list):
        # legacy encoding: the elements' encodeData without their type hash, concatenated
        inner = b"".join(
            _encode_struct(array.group(1), types, item, v4=False, with_type=False) for item in value
        )
        return "bytes32", bytes(keccak(inner))
    return encode_field(types, name, type_name, value)


def typed_data_hashes(data: Mapping[str, Any], *, v4: bool = True) -> tuple[bytes, bytes | None]:
    """``(domain separator, message hash)`` of checked typed data; no message hash when the
    primary type is ``EIP712Domain`` (the firmware signs the domain alone then)."""
    types, primary, domain, message = check_typed_data(data)
    try:
        domain_hash = struct_hash("EIP712Domain", types, domain, v4=v4)
        message_hash = (
            None if primary == "EIP712Domain" else struct_hash(primary, types, message, v4=v4)
        )
    except (ValueError, TypeError, OverflowError, EncodingError) as exc:
        raise InvalidTypedData(f"typed data does not encode: {exc}") from exc
    return domain_hash, message_hash
