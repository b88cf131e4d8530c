"""The emulator's Ethereum app and the desk's Trezor driver for it.

trezor-firmware's own ``sign_typed_data`` fixtures (the "all" x 12 seed) must come out
byte-identical through the emulator, driven by stock trezorlib, by ``trezorctl
ethereum sign-typed-data`` and by the desk's driver; the hash flow (what a Trezor One
signs) gives the same bytes from the two hashes. Bad input is one typed error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from trezorlib import ethereum, exceptions, messages
from trezorlib.client import get_client
from trezorlib.transport import get_transport

from signing import errors
from signing.devices.trezor import TrezorSigner
from signing.emulator.main import RunningEmulator, start_emulator
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON
from signing.ethereum import recover_address, typed_data_digest, typed_data_hashes
from signing.interface import NullInteraction

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads(
    (ROOT / "tests/data/vectors/trezor-firmware/sign_typed_data.json").read_text()
)["tests"]
ETH_PATH = "m/44'/60'/0'/0/0"
ADDRESS_N = [0x8000002C, 0x8000003C, 0x80000000, 0, 0]
# stock trezorlib 0.20.2 refuses nested arrays itself ("Nested arrays are not supported")
NESTED = {"nested_array_of_string", "nested_array_of_object"}


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    with start_emulator(trezor_port=0) as running:
        yield running


@pytest.fixture
def session(emu: RunningEmulator) -> Iterator[Any]:
    from trezorlib.client import AppManifest

    transport = get_transport(emu.trezor_uri.removeprefix("trezor:"), prefix_search=False)
    transport.open()
    try:
        client = get_client(AppManifest(app_name="test"), transport)
        yield client.get_session()
    finally:
        transport.close()


@pytest.fixture
def signer(emu: RunningEmulator) -> Iterator[TrezorSigner]:
    device = TrezorSigner.from_uri(emu.trezor_uri)
    device.open(NullInteraction())
    try:
        yield device
    finally:
        device.close()


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_firmware_vectors_through_stock_trezorlib(session: Any, vector: dict[str, Any]) -> None:
    params = vector["parameters"]
    kwargs: dict[str, Any] = {}
    if "show_message_hash" in params:
        kwargs["show_message_hash"] = bytes.fromhex(params["show_message_hash"][2:])
    if vector["name"] in NESTED:
        with pytest.raises(NotImplementedError):  # trezorlib's own limit, before signing
            ethereum.sign_typed_data(session, ADDRESS_N, params["data"])
        result = _drive_nested(session, params["data"])
    else:
        result = ethereum.sign_typed_data(
            session,
            ADDRESS_N,
            params["data"],
            metamask_v4_compat=params["metamask_v4_compat"],
            **kwargs,
        )
    assert result.address == vector["result"]["address"]
    assert "0x" + result.signature.hex() == vector["result"]["sig"]


@pytest.mark.parametrize(
    "vector",
    [v for v in VECTORS if v["parameters"]["domain_separator_hash"]],
    ids=lambda v: v["name"],
)
def test_firmware_vectors_by_their_hashes(session: Any, vector: dict[str, Any]) -> None:
    """The Trezor One flow: the same signature from the fixture's two hashes."""
    params = vector["parameters"]
    message_hash = params["message_hash"]
    result = ethereum.sign_typed_data_hash(
        session,
        ADDRESS_N,
        bytes.fromhex(params["domain_separator_hash"][2:]),
        bytes.fromhex(message_hash[2:]) if message_hash else None,
    )
    assert "0x" + result.signature.hex() == vector["result"]["sig"]


def test_trezorctl_sign_typed_data(emu: RunningEmulator, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("trezorctl")
    for vector in (v for v in VECTORS if v["name"] in ("basic_data", "complex_data")):
        data = tmp_path / f"{vector['name']}.json"
        data.write_text(json.dumps(vector["parameters"]["data"]))
        proc = subprocess.run(
            [
                str(exe),
                "-p",
                emu.trezor_uri.removeprefix("trezor:"),
                "--json",
                "ethereum",
                "sign-typed-data",
                "-n",
                ETH_PATH,
                str(data),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        out = json.loads(proc.stdout)
        assert out == {"address": vector["result"]["address"], "signature": vector["result"]["sig"]}


def test_desk_driver_address_typed_data_and_hash(signer: TrezorSigner) -> None:
    vector = next(v for v in VECTORS if v["name"] == "complex_data")
    assert signer.get_eth_address(ETH_PATH) == vector["result"]["address"]
    full = signer.sign_typed_data(ETH_PATH, vector["parameters"]["data"], shown="Mail")
    assert "0x" + full.signature.hex() == vector["result"]["sig"]
    assert full.shown_in_full and full.path == ETH_PATH
    domain_hash, message_hash = typed_data_hashes(vector["parameters"]["data"])
    assert (full.domain_hash, full.message_hash) == (domain_hash, message_hash)
    by_hash = signer.sign_typed_hash(ETH_PATH, domain_hash, message_hash)
    assert by_hash.signature == full.signature and not by_hash.shown_in_full
    digest = typed_data_digest(domain_hash, message_hash)
    assert recover_address(digest, by_hash.signature) == vector["result"]["address"]


def test_the_device_shows_every_field(emu: RunningEmulator, signer: TrezorSigner) -> None:
    shown: list[str] = []
    original = emu.hsm.request_approval

    def watch(text: str, cancel: Any) -> bool:
        shown.append(text)
        return original(text, cancel)

    emu.hsm.request_approval = watch  # type: ignore[method-assign]
    try:
        vector = next(v for v in VECTORS if v["name"] == "basic_data")
        signer.sign_typed_data(ETH_PATH, vector["parameters"]["data"])
    finally:
        emu.hsm.request_approval = original  # type: ignore[method-assign]
    screen = shown[-1]
    for line in (
        "Confirm address: 0x73d0385F4d8E00C5e6504C6030F47BF6212736A8 (m/44'/60'/0'/0/0)",
        "EIP712Domain.name: Ether Mail",
        "EIP712Domain.chainId: 1",
        "EIP712Domain.verifyingContract: 0x1e0Ae8205e9726E6F296ab8869160A6423E2337E",
        "Mail.from.wallet: 0xc0004B62C5A39a728e4Af5bee0c6B4a4E54b15ad",
        "Mail.to.name: Bob",
        "Mail.contents: Hello, Bob!",
        "Sign typed data?",
    ):
        assert line in screen.splitlines(), screen


def test_trezor_one_has_no_typed_data_flow() -> None:
    """A hash-only device refuses the full flow; the driver says Unsupported, the hash
    flow still signs."""
    vector = next(v for v in VECTORS if v["name"] == "basic_data")
    with start_emulator(trezor_port=0, typed_data_full=False) as one:
        device = TrezorSigner.from_uri(one.trezor_uri)
        device.open(NullInteraction())
        try:
            with pytest.raises(errors.Unsupported):
                device.sign_typed_data(ETH_PATH, vector["parameters"]["data"])
            domain_hash, message_hash = typed_data_hashes(vector["parameters"]["data"])
            result = device.sign_typed_hash(ETH_PATH, domain_hash, message_hash)
            assert "0x" + result.signature.hex() == vector["result"]["sig"]
        finally:
            device.close()


def test_other_seed_other_address() -> None:
    with start_emulator(trezor_port=0, mnemonic=TEST_MNEMONIC_ABANDON) as other:
        device = TrezorSigner.from_uri(other.trezor_uri)
        device.open(NullInteraction())
        try:
            assert device.get_eth_address(ETH_PATH) == "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"
        finally:
            device.close()


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("primaryType"),
        lambda d: d["types"].update(Mail=[{"name": "from", "type": "Persn"}]),
        lambda d: d["message"].pop("contents"),
        lambda d: d["domain"].update(chainId="one"),
        lambda d: d["message"]["from"].update(wallet="0x1234"),
        lambda d: d["message"].update(contents=7),
    ],
    ids=["no-primary", "unknown-type", "missing-field", "bad-int", "short-address", "bad-string"],
)
def test_malformed_typed_data_never_reaches_the_device(
    emu: RunningEmulator, signer: TrezorSigner, mutate: Any
) -> None:
    vector = next(v for v in VECTORS if v["name"] == "basic_data")
    data = json.loads(json.dumps(vector["parameters"]["data"]))
    mutate(data)
    signatures = emu.hsm.state()["signatures"]
    emu.trezor.device.transcript.clear()  # type: ignore[union-attr]
    with pytest.raises(errors.InvalidTypedData):
        signer.sign_typed_data(ETH_PATH, data)
    assert ("in", "EthereumSignTypedData") not in emu.trezor.device.transcript  # type: ignore[union-attr]
    assert emu.hsm.state()["signatures"] == signatures


def test_rejected_on_the_device() -> None:
    vector = next(v for v in VECTORS if v["name"] == "basic_data")
    with start_emulator(trezor_port=0, approve="reject") as emu:
        device = TrezorSigner.from_uri(emu.trezor_uri)
        device.open(NullInteraction())
        try:
            with pytest.raises(errors.UserRejected):
                device.sign_typed_data(ETH_PATH, vector["parameters"]["data"])
            assert emu.hsm.state()["signatures"] == 0
        finally:
            device.close()


def test_the_device_checks_values_as_the_firmware(session: Any) -> None:
    """A value of the wrong size is Failure(DataError), nothing signed."""
    session.call(messages.EthereumSignTypedData(address_n=ADDRESS_N, primary_type="M"))
    uint = messages.EthereumFieldType(data_type=messages.EthereumDataType.UINT, size=32)
    session.call(messages.EthereumTypedDataStructAck(members=[]))  # EIP712Domain: no fields
    with pytest.raises(exceptions.TrezorFailure) as info:
        session.call(
            messages.EthereumTypedDataStructAck(
                members=[messages.EthereumStructMember(type=uint, name="n")]
            )
        )  # -> the value request for [1, 0]
        session.call(messages.EthereumTypedDataValueAck(value=b"\x01"))  # 1 byte, not 32
    assert info.value.code == messages.FailureType.DataError


def test_forbidden_path(session: Any) -> None:
    with pytest.raises(exceptions.TrezorFailure) as info:
        ethereum.get_address(session, [0x8000002C, 0x80000000, 0x80000000, 0, 0])
    assert info.value.code == messages.FailureType.DataError


# ---- nested arrays: the firmware supports them, trezorlib 0.20.2 cannot send them -------


def _field(type_name: str, types: dict[str, Any]) -> messages.EthereumFieldType:
    if type_name.endswith("]"):
        inner, size = type_name[: type_name.rindex("[")], type_name[type_name.rindex("[") + 1 : -1]
        return messages.EthereumFieldType(
            data_type=messages.EthereumDataType.ARRAY,
            size=int(size) if size else None,
            entry_type=_field(inner, types),
        )
    if type_name in types:
        return messages.EthereumFieldType(
            data_type=messages.EthereumDataType.STRUCT,
            size=len(types[type_name]),
            struct_name=type_name,
        )
    return ethereum.get_field_type(type_name, types)


def _drive_nested(session: Any, data: dict[str, Any]) -> Any:
    """trezorlib's own request loop, with nested array types and values."""
    types = data["types"]
    response = session.call(
        messages.EthereumSignTypedData(address_n=ADDRESS_N, primary_type=data["primaryType"])
    )
    while isinstance(response, messages.EthereumTypedDataStructRequest):
        members = [
            messages.EthereumStructMember(type=_field(m["type"], types), name=m["name"])
            for m in types[response.name]
        ]
        response = session.call(messages.EthereumTypedDataStructAck(members=members))
    while isinstance(response, messages.EthereumTypedDataValueRequest):
        root = response.member_path[0]
        type_name = "EIP712Domain" if root == 0 else data["primaryType"]
        value: Any = data["domain"] if root == 0 else data["message"]
        for index in response.member_path[1:]:
            if isinstance(value, dict):
                member = types[type_name][index]
                type_name, value = member["type"], value[member["name"]]
            else:
                type_name, value = type_name[: type_name.rindex("[")], value[index]
        encoded = (
            len(value).to_bytes(2, "big")
            if isinstance(value, list)
            else ethereum.encode_data(value, type_name)
        )
        response = session.call(messages.EthereumTypedDataValueAck(value=encoded))
    return messages.EthereumTypedDataSignature.ensure_isinstance(response)
