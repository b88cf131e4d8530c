"""Contract tests: the desk's Trezor driver against the emulator, flow by flow.

Each failure mode (host cancel, reject on device, wrong PIN, timeout, unplug at each
prompt) must surface as exactly one typed error, sign nothing, and leave the next
call (after a reconnect where the link died) succeeding.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from signing import errors, registry
from signing.devices.trezor import TrezorSigner, enumerate_devices
from signing.emulator.control import ControlClient
from signing.emulator.main import RunningEmulator, start_emulator
from signing.interface import DevicePrompt, PromptKind
from signing.verify import verify_message

PATH = "m/44'/0'/0'/0/0"
TEXT = "ATTEST client=ACME total=1000 USD"
ADDRESS = "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL"


class Recorder:
    """An Interaction that records prompts and can act when one shows."""

    def __init__(self, pin: Callable[[], str] | None = None) -> None:
        self.prompts: list[DevicePrompt] = []
        self.done = 0
        self.pin = pin
        self.on_prompt_hook: Callable[[], None] | None = None

    def on_prompt(self, prompt: DevicePrompt) -> None:
        self.prompts.append(prompt)
        if self.on_prompt_hook is not None:
            self.on_prompt_hook()

    def on_done(self) -> None:
        self.done += 1

    def request_pin(self, device_label: str) -> str:
        if self.pin is None:
            raise errors.PinRequired(device_label)
        return self.pin()

    def request_passphrase(self, device_label: str) -> str:
        return ""


@pytest.fixture
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    control = str(tmp_path_factory.mktemp("ctl") / "control.sock")
    with start_emulator(trezor_port=0, control=control) as running:
        yield running


def signer_for(emu: RunningEmulator, **timeouts: float) -> TrezorSigner:
    return TrezorSigner.from_uri(emu.trezor_uri, **timeouts)


def one_error(
    expected: type[errors.SigningError], call: Callable[[], object]
) -> errors.SigningError:
    """``call`` raises exactly ``expected`` (not a subclass, not a generic error)."""
    with pytest.raises(errors.SigningError) as info:
        call()
    assert type(info.value) is expected, repr(info.value)
    assert info.value.__cause__ is not None or expected in (
        errors.Disconnected,
        errors.DeviceTimeout,
        errors.InvalidText,
        errors.WrongDevice,
    )
    return info.value


def signatures(emu: RunningEmulator) -> int:
    return int(emu.hsm.state()["signatures"])


def device_transcript(emu: RunningEmulator) -> list[tuple[str, str]]:
    assert emu.trezor is not None
    return list(emu.trezor.device.transcript)


def mirrored(transcript: list[tuple[str, str]]) -> list[tuple[str, str]]:
    flip = {"in": "out", "out": "in"}
    return [(flip[d], name) for d, name in transcript]


# ---- happy path: exact transcripts ---------------------------------------------------


def test_open_and_sign_transcripts(emu: RunningEmulator) -> None:
    ui = Recorder()
    signer = signer_for(emu)
    identity = signer.open(ui)
    assert identity.master_fingerprint == "5c9e228d" and identity.is_emulator
    assert identity.label.startswith("EMULATOR")
    assert signer.transcript == [
        ("out", "Cancel"), ("in", "Failure"),  # protocol probe: v1, not THP
        ("out", "Initialize"), ("in", "Features"),
        ("out", "Initialize"), ("in", "Features"),  # the seeded session
        ("out", "GetPublicKey"), ("in", "PublicKey"),  # root fingerprint (m/0')
        ("out", "GetFeatures"), ("in", "Features"),
    ]  # fmt: skip
    assert device_transcript(emu) == mirrored(signer.transcript)

    signer.clear_transcript()
    emu.trezor.device.transcript.clear()  # type: ignore[union-attr]
    result = signer.sign_message(PATH, TEXT)
    assert signer.transcript == [
        ("out", "GetPublicKey"), ("in", "PublicKey"),
        ("out", "SignMessage"), ("in", "ButtonRequest"),
        ("out", "ButtonAck"), ("in", "MessageSignature"),
    ]  # fmt: skip
    assert device_transcript(emu) == mirrored(signer.transcript)
    assert result.address == ADDRESS and len(result.signature) == 65
    assert verify_message(result.address, TEXT, result.signature)
    assert ui.prompts == [DevicePrompt(PromptKind.CONFIRM_ON_DEVICE, identity.label, TEXT)]

    signer.clear_transcript()
    signer.sign_message(PATH, TEXT)  # the key is known now: one round trip less
    assert [name for _, name in signer.transcript] == [
        "SignMessage", "ButtonRequest", "ButtonAck", "MessageSignature",
    ]  # fmt: skip
    assert signatures(emu) == 2
    signer.close()


def test_segwit_paths_sign_for_their_address_types(emu: RunningEmulator) -> None:
    signer = signer_for(emu)
    signer.open(Recorder())
    assert signer.sign_message("m/84'/0'/0'/0/0", TEXT).address.startswith("bc1q")
    assert signer.sign_message("m/49'/0'/0'/0/0", TEXT).address.startswith("3")
    key = signer.get_public_key("m/44'/0'/0'")
    assert key.xpub.startswith("xpub6BiVtCpG9fQPxnPmHXG8PhtzQdWC2Su4qWu6XW9tpWFYhx")


def test_text_a_device_cannot_show_never_reaches_the_wire(emu: RunningEmulator) -> None:
    signer = signer_for(emu)
    signer.open(Recorder())
    before = device_transcript(emu)
    for bad in ("two\nlines", "x", "   padded", "caf\u00e9"):

        def sign_bad(text: str = bad) -> object:
            return signer.sign_message(PATH, text)

        one_error(errors.InvalidText, sign_bad)
    assert device_transcript(emu) == before


# ---- failure modes: exactly one typed error, nothing signed, next call works --------------


def test_cancel_from_host_while_waiting_for_the_button(emu: RunningEmulator) -> None:
    emu.hsm.set_policy("delay:30")
    ui = Recorder()
    signer = signer_for(emu)
    signer.open(ui)
    signer.get_public_key(PATH)
    ui.on_prompt_hook = lambda: threading.Timer(0.1, signer.cancel).start()
    signer.clear_transcript()
    start = time.monotonic()
    one_error(errors.CancelledByHost, lambda: signer.sign_message(PATH, TEXT))
    assert time.monotonic() - start < 2
    assert [name for _, name in signer.transcript] == [
        "SignMessage", "ButtonRequest", "ButtonAck", "Cancel", "Failure",
    ]  # fmt: skip
    assert signatures(emu) == 0
    ui.on_prompt_hook = None
    emu.hsm.set_policy("auto")
    assert signer.sign_message(PATH, TEXT).address == ADDRESS  # same link, no reconnect


def test_cancel_racing_the_button_request_leaves_no_stray_reply(
    emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert emu.trezor is not None
    device = emu.trezor.device
    slow_sign = device._sign_message

    def sign_after_a_pause(record: dict[str, object]) -> None:
        time.sleep(0.3)  # the host's Cancel comes before the ButtonRequest
        slow_sign(record)  # type: ignore[arg-type]

    monkeypatch.setattr(device, "_sign_message", sign_after_a_pause)
    emu.hsm.set_policy("delay:30")
    signer = signer_for(emu)
    signer.open(Recorder())
    signer.get_public_key(PATH)
    threading.Timer(0.1, signer.cancel).start()
    one_error(errors.CancelledByHost, lambda: signer.sign_message(PATH, TEXT))
    monkeypatch.undo()
    emu.hsm.set_policy("auto")
    signer.clear_transcript()
    assert signer.sign_message(PATH, TEXT).address == ADDRESS
    assert [name for _, name in signer.transcript] == [
        "SignMessage", "ButtonRequest", "ButtonAck", "MessageSignature",
    ]  # fmt: skip


def test_reject_on_device(emu: RunningEmulator) -> None:
    emu.hsm.set_policy("reject")
    signer = signer_for(emu)
    signer.open(Recorder())
    one_error(errors.UserRejected, lambda: signer.sign_message(PATH, TEXT))
    assert signatures(emu) == 0
    emu.hsm.set_policy("auto")
    assert signer.sign_message(PATH, TEXT).address == ADDRESS


def test_wrong_pin_then_right_pin() -> None:
    with start_emulator(trezor_port=0, pin="2589") as emu:
        matrix = emu.trezor.device  # type: ignore[union-attr]
        signer = signer_for(emu)
        one_error(errors.WrongPin, lambda: signer.open(Recorder(pin=lambda: "1")))
        assert emu.hsm.wrong_pin_count == 1
        good = Recorder(pin=lambda: matrix.pin_matrix.positions_for("2589"))  # type: ignore[union-attr]
        assert signer.open(good).master_fingerprint == "5c9e228d"
        assert signer.sign_message(PATH, TEXT).address == ADDRESS


def test_pin_needed_but_nobody_to_enter_it_and_pin_entry_cancelled() -> None:
    with start_emulator(trezor_port=0, pin="11") as emu:
        signer = signer_for(emu)
        one_error(errors.PinRequired, lambda: signer.open(Recorder(pin=None)))

        def cancelled() -> str:
            raise errors.CancelledByHost("user closed the keypad")

        one_error(errors.CancelledByHost, lambda: signer.open(Recorder(pin=cancelled)))
        assert emu.hsm.locked and signatures(emu) == 0


def test_timeout_waiting_for_confirmation(emu: RunningEmulator) -> None:
    emu.hsm.set_policy("delay:30")
    signer = signer_for(emu, confirm_timeout=0.5)
    signer.open(Recorder())
    start = time.monotonic()
    one_error(errors.DeviceTimeout, lambda: signer.sign_message(PATH, TEXT))
    assert time.monotonic() - start < 3
    time.sleep(0.1)
    assert emu.trezor is not None and emu.trezor.device._approval_cancel is None  # flow ended
    assert signatures(emu) == 0
    emu.hsm.set_policy("auto")
    assert signer.sign_message(PATH, TEXT).address == ADDRESS  # reconnects by itself


def test_device_that_stops_answering_times_out(emu: RunningEmulator) -> None:
    assert emu.trezor is not None
    signer = signer_for(emu, response_timeout=0.5)
    signer.open(Recorder())
    emu.trezor.stall()
    start = time.monotonic()
    one_error(errors.DeviceTimeout, lambda: signer.get_public_key(PATH))
    assert time.monotonic() - start < 3
    emu.trezor.stall(False)
    assert signer.sign_message(PATH, TEXT).address == ADDRESS  # reconnects by itself


def test_unplug_at_the_button_prompt(emu: RunningEmulator) -> None:
    assert emu.control_path is not None
    signer = signer_for(emu)
    signer.open(Recorder())
    with ControlClient(emu.control_path) as control:
        control.request("arm_unplug")
        one_error(errors.Disconnected, lambda: signer.sign_message(PATH, TEXT))
        assert control.state()["unplugged"] is True
        one_error(errors.Disconnected, lambda: signer.sign_message(PATH, TEXT))  # still out
        control.request("replug")
    time.sleep(0.2)
    assert signer.sign_message(PATH, TEXT).address == ADDRESS
    assert signatures(emu) == 1


def test_unplug_at_the_pin_prompt() -> None:
    with start_emulator(trezor_port=0, pin="7") as emu:

        def pull_the_cable() -> str:
            emu.unplug()
            return "5"

        signer = signer_for(emu)
        one_error(errors.Disconnected, lambda: signer.open(Recorder(pin=pull_the_cable)))
        emu.replug()
        device = emu.trezor.device  # type: ignore[union-attr]
        good = Recorder(pin=lambda: device.pin_matrix.positions_for("7"))  # type: ignore[union-attr]
        assert signer.open(good).master_fingerprint == "5c9e228d"
        assert signer.sign_message(PATH, TEXT).address == ADDRESS


def test_unplug_while_idle(emu: RunningEmulator) -> None:
    signer = signer_for(emu)
    signer.open(Recorder())
    signer.get_public_key(PATH)
    emu.unplug()
    one_error(errors.Disconnected, lambda: signer.sign_message(PATH, TEXT))
    emu.replug()
    assert signer.sign_message(PATH, TEXT).address == ADDRESS


def test_reconnect_to_another_seed_is_wrong_device(emu: RunningEmulator) -> None:
    signer = signer_for(emu)
    signer.open(Recorder())
    assert emu.trezor is not None
    port = emu.trezor.port
    emu.stop()
    from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON

    with start_emulator(trezor_port=port, mnemonic=TEST_MNEMONIC_ABANDON):
        one_error(errors.WrongDevice, lambda: signer.open(Recorder()))


def test_nothing_there_is_device_not_found() -> None:
    signer = TrezorSigner.from_uri("trezor:udp:127.0.0.1:9")
    one_error(errors.DeviceNotFound, lambda: signer.open(Recorder()))


# ---- enumeration and registry ----------------------------------------------------------


def test_enumeration_lists_the_emulator_without_opening_it(emu: RunningEmulator) -> None:
    assert emu.trezor is not None
    found = [d for d in enumerate_devices([emu.trezor.port]) if d.transport == "udp"]
    assert [d.uri for d in found] == [emu.trezor_uri]
    assert found[0].is_emulator
    assert device_transcript(emu) == []  # no message reached the device


def test_registry_opens_trezor_uris(emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    assert emu.trezor is not None
    monkeypatch.setenv("CUSTODY_DESK_TREZOR_UDP_PORTS", str(emu.trezor.port))
    assert emu.trezor_uri in [d.uri for d in registry.enumerate_devices()]
    signer = registry.open_signer(emu.trezor_uri)
    assert isinstance(signer, TrezorSigner)
    with pytest.raises(errors.InvalidInput):
        TrezorSigner.from_uri("trezor:serial:/dev/ttyS0")
