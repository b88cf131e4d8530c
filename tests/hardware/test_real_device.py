"""Real-device checks: run only with ``pytest --run-hardware`` and a device plugged in.

An officer or tester runs these on a workstation with a Trezor or a Coldcard-protocol
module attached, unlocked and on its home screen, and approves the one signature on the
device when asked. Emulators are skipped: this is the suite that proves the drivers
against hardware. ``CUSTODY_DESK_HW_PATH`` picks the key path (default m/44'/0'/0'/0/0).
"""

from __future__ import annotations

import os

import pytest

from signing.device_thread import DeviceThread
from signing.errors import CancelledByHost
from signing.interface import DeviceInfo, NullInteraction
from signing.registry import enumerate_devices, open_signer
from signing.verify import verify_message

pytestmark = pytest.mark.hardware

PATH = os.environ.get("CUSTODY_DESK_HW_PATH", "m/44'/0'/0'/0/0")
TEXT = "CDESK-HWTEST/1 env=test purpose=hardware-check approve-on-device"


def _hardware() -> list[DeviceInfo]:
    return [info for info in enumerate_devices() if not info.is_emulator]


@pytest.fixture
def device() -> DeviceInfo:
    found = _hardware()
    if not found:
        pytest.fail("no hardware signing device found: plug one in (see packaging/udev)")
    return found[0]


def test_enumeration_does_not_open_the_device(device: DeviceInfo) -> None:
    # A second enumeration while nothing is open finds the same device again.
    assert device.uri in {info.uri for info in _hardware()}


def test_identity_public_key_and_a_signature_that_verifies(device: DeviceInfo) -> None:
    thread = DeviceThread()
    signer = open_signer(device.uri)

    def flow() -> tuple[str, bytes]:
        identity = signer.open(NullInteraction())
        try:
            assert not identity.is_emulator
            assert len(identity.master_fingerprint) == 8
            key = signer.get_public_key(PATH)
            print(f"\nApprove on {identity.label}: {TEXT}")
            signature = signer.sign_message(PATH, TEXT)
            assert signature.pubkey == key.pubkey
            return signature.address, signature.signature
        finally:
            signer.close()

    try:
        address, sig = thread.submit(flow).result(timeout=300)
    finally:
        thread.shutdown()
    assert verify_message(address, TEXT, sig)


def test_host_cancel_leaves_nothing_signed(device: DeviceInfo) -> None:
    """Do NOT approve: the host cancels after two seconds."""
    import threading

    thread = DeviceThread()
    signer = open_signer(device.uri)

    def flow() -> object:
        signer.open(NullInteraction())
        try:
            return signer.sign_message(PATH, TEXT)
        finally:
            signer.close()

    timer = threading.Timer(2.0, signer.cancel)
    timer.start()
    try:
        with pytest.raises(CancelledByHost):
            thread.submit(flow).result(timeout=60)
    finally:
        timer.cancel()
        thread.shutdown()


def test_ethereum_typed_data_on_the_device(device: DeviceInfo) -> None:
    """The Safe owner address and one EIP-712 SafeTx signature that recovers to it (a
    Trezor One signs the two hashes instead). Approve on the device when asked."""
    from signing.errors import Unsupported
    from signing.ethereum import recover_address, typed_data_digest

    if device.kind.value != "trezor":
        pytest.skip("Ethereum is on the Trezor driver only")
    safe, token = (
        "0x1f15DE4d124b711f349FE2DD1B5fE0511262156d",
        "0x51a240271AB8AB9f9a21C82d9a85396b704E164d",
    )
    from app.domain.safe_tx import unfreeze_safe_tx  # the desk's own SafeTx

    tx = unfreeze_safe_tx(
        chain_id=11155111,
        safe=safe,
        token=token,
        recipient="0x5B38Da6a701c568545dCfcB03FcB875f56beddC4",
        units=1,
        nonce=0,
    )
    signer = open_signer(device.uri)
    signer.open(NullInteraction())
    try:
        address = signer.get_eth_address("m/44'/60'/0'/0/0")
        print(f"\nApprove the Safe transaction (Sepolia, 1 unit) on the device for {address}")
        try:
            result = signer.sign_typed_data("m/44'/60'/0'/0/0", tx.typed_data())
        except Unsupported:
            result = signer.sign_typed_hash("m/44'/60'/0'/0/0", tx.domain_hash, tx.message_hash)
    finally:
        signer.close()
    assert result.address == address
    digest = typed_data_digest(result.domain_hash, result.message_hash)
    assert digest == tx.safe_tx_hash and recover_address(digest, result.signature) == address


def test_show_address_on_the_device_is_the_paths_address(device: DeviceInfo) -> None:
    """The device shows the address at PATH on its screen: compare it with the one
    printed here, then confirm on a Trezor (a Coldcard only displays it)."""
    thread = DeviceThread()
    signer = open_signer(device.uri)

    def flow() -> tuple[str, str]:
        identity = signer.open(NullInteraction())
        try:
            expected = signer.get_public_key(PATH).address
            print(f"\n{identity.label} must show {expected} ({PATH}): compare, then confirm")
            return expected, signer.show_address(PATH, shown=expected)
        finally:
            signer.close()

    try:
        expected, shown = thread.submit(flow).result(timeout=300)
    finally:
        thread.shutdown()
    assert shown == expected
