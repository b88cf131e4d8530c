"""The "show address on device" contract, for every driver family against the emulator.

The desk checks a registered key the way Trezor Suite and Sparrow do: the device
derives the address itself and puts it on its own screen, the desk compares what the
device returns with the registered address. Every family must:

* return exactly the address an independent ``SoftHsm`` of the same seed derives (and
  the address on the emulated screen is that one);
* for a multisig, derive the vault's P2WSH address from the cosigners' account keys
  (the same address embit's descriptor gives), and refuse with ``WrongDevice``, before
  anything reaches the wire, a multisig the device holds no key of;
* turn a refusal on the device, a host cancel and an unplug into exactly one typed
  error (a Coldcard only displays the address: there is nothing to refuse).

TEST ONLY: keys come from the public BIP-39 test mnemonics.
"""

from __future__ import annotations

import time

import pytest
from embit import bip32 as ebip32
from embit.networks import NETWORKS

from signing.bitcoin.errors import DescriptorError
from signing.bitcoin.multisig_address import expected_address
from signing.bitcoin.vault import AccountKey, bip48_path, vault_from_keys
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL, TEST_MNEMONICS
from signing.errors import (
    CancelledByHost,
    Disconnected,
    Unsupported,
    UserRejected,
    WrongDevice,
)
from signing.interface import Capability, MultisigAddressRequest, Signer

from .checks import UI, one_error
from .harness import (
    FLOW_SHOW_ADDRESS,
    FLOW_SHOW_ADDRESS_REJECTED,
    DriverHarness,
    wait_until,
)
from .test_contract import (  # the suite's fixtures and its reference HSM
    REFERENCE,
    assert_prompt_closed,
    assert_transcript,
    cancel_from_another_thread,
    dismiss_stale_prompt,
    signer,
    ui,
)

__all__ = ["signer", "ui"]  # pytest fixtures, imported for this module
PATHS = ["m/44'/0'/0'/0/0", "m/84'/0'/0'/0/3", "m/49'/0'/0'/0/1", "m/84'/1'/0'/0/0"]
OFFICER_PATH = "m/84'/1'/0'/0/0"
ETH_PATH = "m/44'/60'/0'/0/0"
CLIENT = "alnoor-quant"


def _account(hsm: SoftHsm) -> AccountKey:
    path = bip48_path("test")
    node = ebip32.HDKey.from_string(hsm.public_node(path).to_xpub())
    node.version = NETWORKS["test"]["xpub"]  # as the desk reads it (app.services.vault)
    return AccountKey.from_hdkey(hsm.master_fingerprint(), path, node, "test")


def vault_of(*mnemonics: str) -> tuple[MultisigAddressRequest, str]:
    """Receive address 0 of a 2-of-3 vault on these seeds: the request and embit's address."""
    parties = ("regulator", "custodian", "exchange")
    keys = [(p, _account(SoftHsm(m))) for p, m in zip(parties, mnemonics, strict=True)]
    vault = vault_from_keys(CLIENT, keys, "test")
    return vault.display_request(0), vault.address(0).address


def test_shown_address_is_the_paths_address(
    driver: DriverHarness, signer: Signer, ui: UI
) -> None:
    assert Capability.SHOW_ADDRESS in signer.capabilities
    for path in PATHS:
        driver.clear_transcript()
        shown = signer.show_address(path, shown=f"expect {path}")
        want = REFERENCE.get_public_key(path).address
        assert shown == want, path
        assert want in driver.state()["screen"], "the device screen shows the address"
        assert driver.signatures_made() == 0
    assert_transcript(driver, FLOW_SHOW_ADDRESS)
    assert ui.prompts[-1].text == f"expect {PATHS[-1]}"  # the host's "check your device"
    assert_prompt_closed(ui)


def test_another_seeds_device_shows_another_address(driver: DriverHarness, signer: Signer) -> None:
    """The check the desk relies on: a device with another seed never shows the address."""
    other = SoftHsm(TEST_MNEMONICS[1]).get_public_key(OFFICER_PATH).address
    assert signer.show_address(OFFICER_PATH) != other


def test_refused_on_the_device(driver: DriverHarness, signer: Signer, ui: UI) -> None:
    driver.set_approve("reject")
    driver.clear_transcript()
    if driver.show_address_asks_human:
        one_error(UserRejected, lambda: signer.show_address(OFFICER_PATH))
        assert_transcript(driver, FLOW_SHOW_ADDRESS_REJECTED)
    else:  # only displayed: the human's "no" never reaches the host
        assert signer.show_address(OFFICER_PATH) == REFERENCE.get_public_key(OFFICER_PATH).address
        assert_transcript(driver, FLOW_SHOW_ADDRESS)
    assert_prompt_closed(ui)
    driver.set_approve("auto")
    assert signer.show_address(OFFICER_PATH) == REFERENCE.get_public_key(OFFICER_PATH).address


def test_host_cancel_while_the_address_is_shown(
    driver: DriverHarness, signer: Signer, ui: UI
) -> None:
    if not driver.show_address_asks_human:
        pytest.skip(f"{driver.family} answers a shown address at once: nothing to cancel")
    driver.set_approve("delay:30")
    ui.on_prompt_hook = cancel_from_another_thread(signer)
    started = time.monotonic()
    one_error(CancelledByHost, lambda: signer.show_address(OFFICER_PATH))
    assert time.monotonic() - started < 2.5
    assert_prompt_closed(ui)
    ui.on_prompt_hook = None
    dismiss_stale_prompt(driver)
    driver.set_approve("auto")
    assert signer.show_address(OFFICER_PATH) == REFERENCE.get_public_key(OFFICER_PATH).address


def test_unplugged_while_the_address_is_shown(driver: DriverHarness, signer: Signer) -> None:
    signer.get_public_key(OFFICER_PATH)
    if driver.show_address_asks_human:
        driver.arm_unplug_at_next_prompt()
    else:
        driver.unplug()
    one_error(Disconnected, lambda: signer.show_address(OFFICER_PATH))
    wait_until(lambda: driver.state()["unplugged"] is True, what="unplugged")
    driver.replug()
    try:
        shown = signer.show_address(OFFICER_PATH)
    except Disconnected:  # a link whose handle died with the cable may say so once
        shown = signer.show_address(OFFICER_PATH)
    assert shown == REFERENCE.get_public_key(OFFICER_PATH).address


def test_multisig_address_is_the_vaults(driver: DriverHarness, signer: Signer, ui: UI) -> None:
    assert Capability.SHOW_MULTISIG_ADDRESS in signer.capabilities
    # The device (seed "all") is the custodian here: its key in the middle of the parties.
    request, embit_address = vault_of(TEST_MNEMONICS[1], TEST_MNEMONIC_ALL, TEST_MNEMONICS[2])
    assert expected_address(request) == embit_address
    shown = signer.show_multisig_address(request, shown=f"expect {embit_address}")
    assert shown == embit_address
    assert embit_address in driver.state()["screen"]
    assert_prompt_closed(ui)


def test_multisig_without_the_devices_key_is_wrong_device(
    driver: DriverHarness, signer: Signer
) -> None:
    request, _address = vault_of(TEST_MNEMONICS[1], TEST_MNEMONICS[2], TEST_MNEMONICS[3])
    signer.get_public_key(OFFICER_PATH)
    driver.clear_transcript()
    one_error(WrongDevice, lambda: signer.show_multisig_address(request))
    assert driver.transcript() == [] and driver.prompts_shown() == 0


def test_underivable_multisig_never_reaches_the_wire(driver: DriverHarness, signer: Signer) -> None:
    request, _address = vault_of(TEST_MNEMONICS[1], TEST_MNEMONIC_ALL, TEST_MNEMONICS[2])
    signer.get_public_key(OFFICER_PATH)
    driver.clear_transcript()
    bad = MultisigAddressRequest(4, request.cosigners, request.suffix, request.testnet)
    one_error(DescriptorError, lambda: signer.show_multisig_address(bad))
    hardened = MultisigAddressRequest(2, request.cosigners, (0x80000000, 0), request.testnet)
    one_error(DescriptorError, lambda: signer.show_multisig_address(hardened))
    assert driver.transcript() == []


def test_ethereum_address_is_shown_by_families_with_an_ethereum_app(
    driver: DriverHarness, signer: Signer, ui: UI
) -> None:
    if Capability.SHOW_ETH_ADDRESS not in signer.capabilities:
        one_error(Unsupported, lambda: signer.show_eth_address(ETH_PATH))
        return
    shown = signer.show_eth_address(ETH_PATH)
    assert shown == REFERENCE.eth_address(ETH_PATH)
    assert shown in driver.state()["screen"]
    driver.set_approve("reject")
    one_error(UserRejected, lambda: signer.show_eth_address(ETH_PATH))
    assert driver.signatures_made() == 0
