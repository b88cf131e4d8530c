"""The signing contract, run against every registered driver family via the emulator.

Only the public ``Signer`` API, ``signing.registry.open_signer`` and the harness
verbs are used, so every family is held to the same promises:

* identity, keys and signatures agree with an independent ``SoftHsm`` of the same seed;
* each flow puts an exact, known sequence of messages on the wire;
* every failure (reject, host cancel, timeout, hung device, wrong/missing PIN,
  unplug at a prompt or while idle) surfaces as exactly one typed
  ``SigningError`` of the expected class, no signature is made, and the next
  call (after a replug where the cable went) succeeds;
* through the desk's attestation service, a reject or an unplug persists nothing.

TEST ONLY: keys come from the public BIP-39 test mnemonic of twelve times "all".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from functools import partial

import pytest

from signing import registry
from signing.crypto import secp256k1
from signing.crypto.bip32 import parse_extended_key
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL
from signing.errors import (
    CancelledByHost,
    DeviceNotFound,
    DeviceTimeout,
    Disconnected,
    InvalidText,
    NotAllowed,
    PinRequired,
    UserRejected,
    WrongPin,
)
from signing.interface import Capability, DevicePrompt, PromptKind, Signer
from signing.verify import require_valid, verify_message, verify_message_pubkey

from .checks import UI, one_error
from .harness import (
    FLOW_CONFIRM_TIMEOUT,
    FLOW_HOST_CANCEL,
    FLOW_LOCKED,
    FLOW_OPEN,
    FLOW_PIN_CANCELLED,
    FLOW_PIN_THEN_SIGN,
    FLOW_REJECT,
    FLOW_SIGN_KNOWN_PATH,
    FLOW_SIGN_NEW_PATH,
    FLOW_UNPLUG_AT_PIN_PROMPT,
    FLOW_UNPLUG_AT_PROMPT,
    FLOW_WRONG_PIN,
    HARNESSES,
    DriverHarness,
    Transcript,
    wait_until,
)

PATH = "m/44'/0'/0'/0/0"
TEXT = "ATTEST client=ACME total=1000 USD env=test"
# trezor-firmware tests/device_tests/bitcoin/test_signmessage.py: seed "all" x12, same path.
VECTOR_TEXT = "This is an example of a signed message."
VECTOR_ADDRESS = "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL"
VECTOR_SIGNATURE_HEX = (
    "20fd8f2f7db5238fcdd077d5204c3e6949c261d700269cefc1d9d2dcef6b9502"
    "3630ee617f6c8acf9eb40c8edd704c9ca74ea4afc393f43f35b4e8958324cbdd1c"
)
PIN = "2589"  # digits 1..9 only: the Trezor keypad has no 0
REFERENCE = SoftHsm(TEST_MNEMONIC_ALL)  # an independent secure element with the same seed


@pytest.fixture
def ui() -> UI:
    return UI()


@pytest.fixture
def signer(driver: DriverHarness, ui: UI) -> Iterator[Signer]:
    """An opened signer from the registry with the suite's short deadlines."""
    opened = driver.make_signer()
    opened.open(ui)
    yield opened
    opened.close()


def assert_prompt_closed(ui: UI) -> None:
    """Every "confirm on device" the UI was asked to show has been taken down again."""
    assert ui.prompts, "no prompt was shown"
    assert ui.events[-1] == "done", ui.events


def assert_transcript(driver: DriverHarness, flow: str) -> None:
    """The device saw exactly ``flow``'s messages: late replies included, nothing after
    them, and only timing-dependent repeats (waiting polls) collapsed."""

    def seen() -> Transcript:
        return driver.normalised(driver.transcript())

    expected = driver.expected_transcript(flow)
    wait_until(lambda: seen() == expected, timeout_s=1.0, what=f"{flow}: {seen()} != {expected}")
    time.sleep(0.1)  # nothing more arrives
    assert seen() == expected, flow


def sign_works(signer: Signer, text: str = TEXT) -> None:
    """The next call succeeds: a verifying signature for the path's address."""
    made = signer.sign_message(PATH, text)
    assert made.address == REFERENCE.get_public_key(PATH).address
    assert verify_message(made.address, text, made.signature)


def require_capability(signer: Signer, capability: Capability) -> None:
    if capability not in signer.capabilities:
        pytest.skip(f"{signer.info.kind.value} lacks {capability.value}: PIN is entered on device")


def dismiss_stale_prompt(driver: DriverHarness) -> None:
    """The officer refuses whatever is still on the device's screen."""
    driver.set_approve("reject")
    wait_until(lambda: driver.state()["pending_prompts"] == 0, what="prompt dismissed")


def cancel_from_another_thread(signer: Signer, after_s: float = 0.1) -> Callable[[], None]:
    def hook() -> None:
        threading.Timer(after_s, signer.cancel).start()

    return hook


# ---- the registry and the harnesses agree -----------------------------------------------


def test_every_registered_family_has_a_harness() -> None:
    assert registry.families() == sorted(HARNESSES)


def test_the_emulator_names_only_the_endpoints_it_serves(driver: DriverHarness) -> None:
    """Asking a harness's emulator for another family's URI is a typed error."""
    assert driver.uri == getattr(driver.emu, f"{driver.family}_uri")
    for family in sorted(set(HARNESSES) - {driver.family}):
        one_error(DeviceNotFound, partial(getattr, driver.emu, f"{family}_uri"))


# ---- identity, keys, signatures ---------------------------------------------------------


def test_identity_says_emulator(driver: DriverHarness, ui: UI) -> None:
    signer = driver.make_signer()
    assert signer.info.is_emulator and signer.info.uri == driver.uri
    identity = signer.open(ui)
    try:
        assert identity.is_emulator
        assert identity.master_fingerprint == REFERENCE.fingerprint() == "5c9e228d"
        # The fingerprint is the master key's: it is the parent fingerprint of m/0'.
        child = parse_extended_key(signer.get_public_key("m/0'").xpub)
        assert child.parent_fingerprint.hex() == identity.master_fingerprint
        assert identity.label.startswith("EMULATOR"), identity.label
        # The device's own name, the same whatever protocol the emulator speaks; the
        # host-made enumeration label stays what it was.
        assert identity.label == driver.emu.hsm.label != signer.info.label
    finally:
        signer.close()


@pytest.mark.parametrize(
    "path", [PATH, "m/49'/0'/0'/0/3", "m/84'/0'/0'/1/0", "m/44'/0'/0'", "m/0'"]
)
def test_public_key_matches_the_soft_hsm(signer: Signer, path: str) -> None:
    got = signer.get_public_key(path)
    want = REFERENCE.get_public_key(path)
    assert (got.path, got.xpub, got.pubkey, got.address) == (
        want.path, want.xpub, want.pubkey, want.address,
    )  # fmt: skip


# trezor-firmware tests/device_tests/bitcoin/test_signmessage.py testnet vectors (seed "all").
TESTNET_ADDRESSES = {
    "m/44'/1'/0'/0/0": "mvbu1Gdy8SUjTenqerxUaZyYjmveZvt33q",
    "m/49'/1'/0'/0/0": "2N4Q5FhU2497BryFfUgbqkAJE87aKHUhXMp",
    "m/84'/1'/0'/0/0": "tb1qkvwu9g3k2pdxewfqr7syz89r3gj557l3uuf9r9",
}


@pytest.mark.parametrize("path", sorted(TESTNET_ADDRESSES))
def test_testnet_path_gives_the_testnet_key_and_address(signer: Signer, path: str) -> None:
    """Coin type 1' is testnet (SLIP-44): every family must agree on the address."""
    got = signer.get_public_key(path)
    want = REFERENCE.get_public_key(path)
    assert (got.xpub, got.pubkey) == (want.xpub, want.pubkey)
    assert got.address == want.address == TESTNET_ADDRESSES[path], got.address
    made = signer.sign_message(path, TEXT)
    assert made.address == want.address
    assert verify_message(want.address, TEXT, made.signature)


@pytest.mark.parametrize("path", [PATH, "m/49'/0'/0'/0/0", "m/84'/0'/0'/0/0"])
def test_signature_verifies_is_low_s_and_is_never_valid_in_prod(signer: Signer, path: str) -> None:
    key = signer.get_public_key(path)
    made = signer.sign_message(path, TEXT)
    assert (made.path, made.text, made.address, made.pubkey) == (
        path,
        TEXT,
        key.address,
        key.pubkey,
    )
    assert len(made.signature) == 65
    assert int.from_bytes(made.signature[33:], "big") <= secp256k1.HALF_N
    assert verify_message(key.address, TEXT, made.signature)
    assert verify_message_pubkey(key.pubkey, TEXT, made.signature)
    assert not verify_message(key.address, TEXT + ".", made.signature)
    require_valid(key.address, TEXT, made.signature, environment="test")
    one_error(
        NotAllowed,
        lambda: require_valid(key.address, TEXT, made.signature, environment="prod"),
    )


def test_signature_equals_the_trezor_firmware_vector(signer: Signer) -> None:
    """Deterministic (RFC 6979): every family returns the same bytes for the same request."""
    made = signer.sign_message(PATH, VECTOR_TEXT)
    assert made.address == VECTOR_ADDRESS
    assert made.signature.hex() == VECTOR_SIGNATURE_HEX


# ---- exact transcripts ------------------------------------------------------------------


def test_exact_transcripts_of_open_and_sign(driver: DriverHarness, ui: UI) -> None:
    signer = driver.make_signer()
    driver.clear_transcript()
    identity = signer.open(ui)
    assert driver.transcript() == driver.expected_transcript(FLOW_OPEN)

    driver.clear_transcript()
    made = signer.sign_message(PATH, TEXT)
    assert driver.transcript() == driver.expected_transcript(FLOW_SIGN_NEW_PATH)
    # The officer is shown the whole text, named after the device that shows it.
    assert ui.prompts == [DevicePrompt(PromptKind.CONFIRM_ON_DEVICE, identity.label, TEXT)]
    assert_prompt_closed(ui)

    driver.clear_transcript()
    again = signer.sign_message(PATH, TEXT)
    assert driver.transcript() == driver.expected_transcript(FLOW_SIGN_KNOWN_PATH)
    assert again.signature == made.signature
    assert driver.signatures_made() == 2
    signer.close()


@pytest.mark.parametrize(
    "text",
    ["x", "two\nlines", "tab\there", "caf\u00e9 statement", "three   spaces", " lead",
     "trail ", "a" * 241, ""],
)  # fmt: skip
def test_text_the_device_cannot_show_never_reaches_the_wire(
    driver: DriverHarness, signer: Signer, ui: UI, text: str
) -> None:
    driver.clear_transcript()
    one_error(InvalidText, lambda: signer.sign_message(PATH, text))
    assert driver.transcript() == []
    assert ui.prompts == [] and driver.prompts_shown() == 0
    sign_works(signer)


def test_production_text_is_refused_and_never_shown(
    driver: DriverHarness, signer: Signer, ui: UI
) -> None:
    signer.get_public_key(PATH)
    one_error(NotAllowed, lambda: signer.sign_message(PATH, "ATTEST client=ACME env=prod"))
    assert driver.prompts_shown() == 0 and driver.signatures_made() == 0
    sign_works(signer)


# ---- failures: one typed error, nothing signed, the next call succeeds ---------------------


def test_reject_on_device_is_user_rejected(driver: DriverHarness, signer: Signer, ui: UI) -> None:
    signer.get_public_key(PATH)
    driver.set_approve("reject")
    driver.clear_transcript()
    one_error(UserRejected, lambda: signer.sign_message(PATH, TEXT))
    assert_prompt_closed(ui)
    assert_transcript(driver, FLOW_REJECT)
    assert len(ui.prompts) == 1 and driver.signatures_made() == 0
    driver.set_approve("auto")
    sign_works(signer)


def test_host_cancel_while_waiting_for_the_human(
    driver: DriverHarness, signer: Signer, ui: UI
) -> None:
    signer.get_public_key(PATH)
    driver.set_approve("delay:30")
    ui.on_prompt_hook = cancel_from_another_thread(signer)
    driver.clear_transcript()
    started = time.monotonic()
    one_error(CancelledByHost, lambda: signer.sign_message(PATH, TEXT))
    assert time.monotonic() - started < 2.5
    assert_prompt_closed(ui)
    assert_transcript(driver, FLOW_HOST_CANCEL)
    ui.on_prompt_hook = None
    dismiss_stale_prompt(driver)
    assert driver.signatures_made() == 0
    driver.set_approve("auto")
    sign_works(signer)


def test_confirmation_timeout_is_device_timeout(driver: DriverHarness, ui: UI) -> None:
    signer = driver.make_signer(confirm_s=0.4)
    signer.open(ui)
    signer.get_public_key(PATH)
    driver.set_approve("delay:30")
    driver.clear_transcript()
    started = time.monotonic()
    one_error(DeviceTimeout, lambda: signer.sign_message(PATH, TEXT))
    assert time.monotonic() - started < 3
    assert_prompt_closed(ui)
    assert_transcript(driver, FLOW_CONFIRM_TIMEOUT)
    dismiss_stale_prompt(driver)
    assert driver.signatures_made() == 0
    driver.set_approve("auto")
    sign_works(signer)
    signer.close()


def test_device_that_stops_answering_is_device_timeout(driver: DriverHarness, ui: UI) -> None:
    signer = driver.make_signer(response_s=0.4)
    signer.open(ui)
    driver.stall()
    started = time.monotonic()
    one_error(DeviceTimeout, lambda: signer.get_public_key("m/44'/0'/0'/0/9"))
    assert time.monotonic() - started < 3
    driver.stall(False)
    sign_works(signer)
    signer.close()


def test_wrong_pin_is_wrong_pin(driver: DriverHarness, signer: Signer, ui: UI) -> None:
    require_capability(signer, Capability.PIN_MATRIX)
    signer.get_public_key(PATH)
    driver.lock_with_pin(PIN)
    ui.pin = lambda: "1"
    driver.clear_transcript()
    one_error(WrongPin, lambda: signer.sign_message(PATH, TEXT))
    assert_transcript(driver, FLOW_WRONG_PIN)
    assert driver.state()["wrong_pin_count"] == 1 and driver.signatures_made() == 0
    ui.pin = driver.host_pin_entry(PIN)
    driver.clear_transcript()
    sign_works(signer)
    assert_transcript(driver, FLOW_PIN_THEN_SIGN)
    assert driver.state()["locked"] is False


def test_locked_with_nobody_to_enter_the_pin_is_pin_required(
    driver: DriverHarness, signer: Signer, ui: UI
) -> None:
    signer.get_public_key(PATH)
    driver.lock_with_pin(PIN)
    driver.clear_transcript()
    one_error(PinRequired, lambda: signer.sign_message(PATH, TEXT))
    assert_transcript(driver, FLOW_LOCKED)
    assert driver.signatures_made() == 0 and driver.state()["locked"] is True
    if Capability.PIN_MATRIX in signer.capabilities:
        ui.pin = driver.host_pin_entry(PIN)
    else:
        assert ui.pin_asked == 0, "a family without host PIN entry never asks the host"
        driver.unlock_on_device(PIN)
    sign_works(signer)


@pytest.mark.parametrize("how", ["keypad_closed", "cancel_from_another_thread"])
def test_cancel_at_the_pin_prompt(driver: DriverHarness, signer: Signer, ui: UI, how: str) -> None:
    require_capability(signer, Capability.PIN_MATRIX)
    signer.get_public_key(PATH)
    driver.lock_with_pin(PIN)
    enter = driver.host_pin_entry(PIN)

    def closes_the_keypad() -> str:
        raise CancelledByHost("the officer closed the PIN keypad")

    def cancelled_while_typing() -> str:
        typed = enter()  # the right PIN, but the host cancels before it is sent
        canceller = threading.Thread(target=signer.cancel)
        canceller.start()
        canceller.join()
        return typed

    ui.pin = closes_the_keypad if how == "keypad_closed" else cancelled_while_typing
    driver.clear_transcript()
    one_error(CancelledByHost, lambda: signer.sign_message(PATH, TEXT))
    assert_transcript(driver, FLOW_PIN_CANCELLED)
    assert driver.state()["locked"] is True and driver.signatures_made() == 0
    ui.pin = enter
    sign_works(signer)


def test_cancel_while_idle_does_not_cancel_the_next_call(
    driver: DriverHarness, signer: Signer
) -> None:
    signer.get_public_key(PATH)
    signer.cancel()  # e.g. a late click on "Cancel" after the last flow ended
    sign_works(signer)
    assert driver.signatures_made() == 1


def test_unplug_at_the_pin_prompt(driver: DriverHarness, signer: Signer, ui: UI) -> None:
    require_capability(signer, Capability.PIN_MATRIX)
    signer.get_public_key(PATH)
    driver.lock_with_pin(PIN)
    enter = driver.host_pin_entry(PIN)

    def pulls_the_cable() -> str:
        typed = enter()
        driver.unplug()
        return typed

    ui.pin = pulls_the_cable
    driver.clear_transcript()
    one_error(Disconnected, lambda: signer.sign_message(PATH, TEXT))
    assert_transcript(driver, FLOW_UNPLUG_AT_PIN_PROMPT)
    assert driver.signatures_made() == 0
    driver.replug()
    ui.pin = enter  # the unlock was lost with the power
    sign_works(signer)


def test_unplug_at_the_confirmation_prompt(driver: DriverHarness, signer: Signer, ui: UI) -> None:
    signer.get_public_key(PATH)
    driver.arm_unplug_at_next_prompt()
    driver.clear_transcript()
    one_error(Disconnected, lambda: signer.sign_message(PATH, TEXT))
    assert_prompt_closed(ui)
    assert driver.state()["unplugged"] is True
    assert_transcript(driver, FLOW_UNPLUG_AT_PROMPT)
    assert driver.signatures_made() == 0
    driver.replug()
    sign_works(signer)


OPERATIONS: dict[str, Callable[[Signer], object]] = {
    "sign_message": lambda signer: signer.sign_message(PATH, TEXT),
    "get_public_key": lambda signer: signer.get_public_key("m/84'/0'/0'/0/5"),  # not cached
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_unplug_while_idle_is_disconnected_on_the_next_call(
    driver: DriverHarness, signer: Signer, operation: str
) -> None:
    signer.get_public_key(PATH)
    driver.unplug()
    one_error(Disconnected, lambda: OPERATIONS[operation](signer))
    assert driver.signatures_made() == 0
    driver.replug()
    sign_works(signer)


def test_replugged_while_idle_at_most_one_disconnected_then_success(
    driver: DriverHarness, signer: Signer
) -> None:
    """Cable out and back in between two requests, nothing in flight.

    A connectionless link (Trezor over UDP) just carries on; a link whose handle
    died with the cable (Coldcard socket or HID) may report the loss once. Either
    way: no other error, nothing signed by the failed call, and the next call works.
    """
    signer.get_public_key(PATH)
    driver.unplug()
    driver.replug()
    try:
        sign_works(signer)
    except BaseException as exc:
        assert type(exc) is Disconnected, repr(exc)
        assert driver.signatures_made() == 0
        sign_works(signer)


def test_still_unplugged_every_call_is_disconnected(driver: DriverHarness, signer: Signer) -> None:
    """Same situation, same error: the desk shows one message whatever the family."""
    signer.get_public_key(PATH)
    driver.unplug()
    for _ in range(2):
        one_error(Disconnected, lambda: signer.sign_message(PATH, TEXT))
    driver.replug()
    sign_works(signer)


def test_never_reached_is_device_not_found_and_once_met_gone_is_disconnected(
    driver: DriverHarness, ui: UI
) -> None:
    """``DeviceNotFound`` only until the signer has met its device; after that, its
    absence is ``Disconnected`` on every call (opening again too) until it is back."""
    signer = driver.make_signer()
    driver.unplug()
    one_error(DeviceNotFound, lambda: signer.open(ui))
    one_error(DeviceNotFound, lambda: signer.get_public_key(PATH))
    driver.replug()
    assert signer.open(ui).master_fingerprint == REFERENCE.fingerprint()
    driver.unplug()
    for call in (
        lambda: signer.get_public_key("m/84'/0'/0'/0/7"),
        lambda: signer.open(ui),
        lambda: signer.sign_message(PATH, TEXT),
    ):
        one_error(Disconnected, call)
    assert driver.signatures_made() == 0
    driver.replug()
    sign_works(signer)
    signer.close()
