"""The software HSM: keys, approval policy, PIN, unplug, safety rules."""

from __future__ import annotations

import io
import os
import threading
import time

import pytest

from signing.crypto import secp256k1
from signing.crypto.message import decode_compact
from signing.emulator.hsm import ApprovalMode, ApprovalPolicy, SoftHsm
from signing.emulator.test_seeds import (
    TEST_MNEMONIC_ABANDON,
    TEST_MNEMONIC_ALL,
    TEST_MNEMONIC_ZOO,
)
from signing.errors import Disconnected, InvalidInput, NotAllowed, PinRequired, WrongPin
from signing.interface import DeviceKind
from signing.verify import verify_message, verify_message_pubkey

PATH = "m/44'/0'/0'/0/0"


def test_default_seed_is_trezors_all_seed_and_says_emulator() -> None:
    hsm = SoftHsm()
    assert hsm.fingerprint() == "5c9e228d"
    assert hsm.label.startswith("EMULATOR")
    identity = hsm.identity(DeviceKind.TREZOR)
    assert identity.is_emulator and identity.label.startswith("EMULATOR")
    assert hsm.get_public_key(PATH).address == "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL"
    assert SoftHsm(name="custodian").label == "EMULATOR custodian"


def test_trezor_vector_through_the_hsm() -> None:
    signed = SoftHsm().sign_message(PATH, "This is an example of a signed message.")
    assert signed.signature.hex().startswith("20fd8f2f7db5238fcdd077d5204c3e69")


@pytest.mark.slow
def test_ten_thousand_signatures_are_low_s_and_verify() -> None:
    hsm = SoftHsm()
    pubkey = hsm.get_public_key(PATH).pubkey
    for i in range(10_000):
        text = f"statement {i} env=test"
        signature = hsm.sign_message(PATH, text).signature
        assert decode_compact(signature).s <= secp256k1.HALF_N, i
        assert verify_message_pubkey(pubkey, text, signature), i


@pytest.mark.parametrize("text", ["x env=prod", "ENV=PROD now", "a;env=production;b"])
def test_refuses_production_statements(text: str) -> None:
    with pytest.raises(NotAllowed):
        SoftHsm().sign_message(PATH, text)


def test_three_parties_side_by_side_in_threads() -> None:
    parties = {
        "regulator": SoftHsm(TEST_MNEMONIC_ALL, name="regulator"),
        "custodian": SoftHsm(TEST_MNEMONIC_ABANDON, name="custodian"),
        "exchange": SoftHsm(TEST_MNEMONIC_ZOO, name="exchange"),
    }
    assert len({h.fingerprint() for h in parties.values()}) == 3
    results: dict[str, list[bool]] = {}

    def work(name: str, hsm: SoftHsm) -> None:
        signed = [hsm.sign_message(PATH, f"unfreeze order 7 by {name} {i}") for i in range(20)]
        results[name] = [verify_message(s.address, s.text, s.signature) for s in signed]

    threads = [threading.Thread(target=work, args=item) for item in parties.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(all(v) and len(v) == 20 for v in results.values()) and len(results) == 3


def test_passphrase_changes_the_keys() -> None:
    assert SoftHsm(passphrase="TREZOR").fingerprint() != SoftHsm().fingerprint()


def test_bad_mnemonic_and_pin_format_are_refused() -> None:
    with pytest.raises(InvalidInput):
        SoftHsm("all all all")
    with pytest.raises(InvalidInput):
        SoftHsm(pin="12a4")


# ---- approval policy --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mode", "delay"),
    [("auto", "auto", 0), ("REJECT", "reject", 0), ("delay:1.5", "delay", 1.5)],
)
def test_policy_parsing(text: str, mode: str, delay: float) -> None:
    policy = ApprovalPolicy.parse(text)
    assert policy.mode is ApprovalMode(mode) and policy.delay_seconds == delay
    assert ApprovalPolicy.parse(str(policy)) == policy


@pytest.mark.parametrize("text", ["", "maybe", "delay", "delay:x", "delay:-1", "delay:99999"])
def test_bad_policies_raise(text: str) -> None:
    with pytest.raises(InvalidInput):
        ApprovalPolicy.parse(text)


def test_auto_and_reject() -> None:
    assert SoftHsm(approve="auto").request_approval("ok?", threading.Event())
    assert not SoftHsm(approve="reject").request_approval("ok?", threading.Event())


def test_delay_approves_after_the_delay() -> None:
    hsm = SoftHsm(approve="delay:0.2")
    start = time.monotonic()
    assert hsm.request_approval("ok?", threading.Event())
    assert time.monotonic() - start >= 0.19


def test_delay_is_cancellable_while_waiting() -> None:
    hsm = SoftHsm(approve="delay:30")
    cancel = threading.Event()
    threading.Timer(0.1, cancel.set).start()
    start = time.monotonic()
    assert not hsm.request_approval("ok?", cancel)
    assert time.monotonic() - start < 2


def test_unplug_during_a_wait_ends_it() -> None:
    hsm = SoftHsm(approve="delay:30")
    threading.Timer(0.1, hsm.unplug).start()
    start = time.monotonic()
    assert not hsm.request_approval("ok?", threading.Event())
    assert time.monotonic() - start < 2
    with pytest.raises(Disconnected):
        hsm.sign_message(PATH, "after unplug")
    hsm.replug()
    assert hsm.sign_message(PATH, "after replug").signature


def test_armed_unplug_fires_at_the_next_prompt_and_notifies() -> None:
    hsm = SoftHsm()
    fired: list[bool] = []
    hsm.add_unplug_listener(lambda: fired.append(True))
    hsm.arm_unplug()
    assert hsm.state()["unplug_armed"]
    assert not hsm.request_approval("ok?", threading.Event())
    assert hsm.unplugged and fired == [True] and not hsm.state()["unplug_armed"]


def test_interactive_shows_full_text_and_reads_answer() -> None:
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd) as stream_in, os.fdopen(write_fd, "w") as feed:
        out = io.StringIO()
        hsm = SoftHsm(approve="interactive", terminal_in=stream_in, terminal_out=out)
        feed.write("y\n")
        feed.flush()
        text = "attest ACME 2026-11-26 total=156800000.00 USD env=test"
        assert hsm.request_approval(text, threading.Event())
        assert text in out.getvalue() and "EMULATOR" in out.getvalue()
        feed.write("n\n")
        feed.flush()
        assert not hsm.request_approval(text, threading.Event())


def test_interactive_is_cancellable() -> None:
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd) as stream_in, os.fdopen(write_fd, "w"):
        hsm = SoftHsm(approve="interactive", terminal_in=stream_in, terminal_out=io.StringIO())
        cancel = threading.Event()
        threading.Timer(0.1, cancel.set).start()
        start = time.monotonic()
        assert not hsm.request_approval("ok?", cancel)
        assert time.monotonic() - start < 2


# ---- PIN --------------------------------------------------------------------------


def test_pin_locks_until_the_right_pin() -> None:
    hsm = SoftHsm(pin="1234")
    assert hsm.locked and hsm.has_pin()
    with pytest.raises(PinRequired):
        hsm.sign_message(PATH, "locked")
    with pytest.raises(WrongPin):
        hsm.unlock("9999")
    assert not hsm.check_pin("0000")
    assert hsm.wrong_pin_count == 2 and hsm.locked
    hsm.unlock("1234")
    assert not hsm.locked and hsm.wrong_pin_count == 0
    assert hsm.sign_message(PATH, "unlocked").signature
    hsm.unplug()
    hsm.replug()
    assert hsm.locked  # power loss forgets the unlock


def test_set_and_clear_pin() -> None:
    hsm = SoftHsm()
    hsm.set_pin("42")
    assert hsm.locked
    hsm.set_pin(None)
    assert not hsm.locked and not hsm.has_pin()


def test_state_has_no_secrets() -> None:
    hsm = SoftHsm(pin="987654")
    flat = repr(hsm.state()) + repr(hsm)
    assert "987654" not in flat and "all all" not in flat


def test_second_interactive_hsm_waits_its_turn_but_can_be_cancelled() -> None:
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd) as stream_in, os.fdopen(write_fd, "w"):
        first = SoftHsm(approve="interactive", terminal_in=stream_in, terminal_out=io.StringIO())
        second = SoftHsm(
            TEST_MNEMONIC_ABANDON,
            approve="interactive",
            terminal_in=stream_in,
            terminal_out=io.StringIO(),
        )
        first_cancel = threading.Event()
        asking = threading.Thread(target=first.request_approval, args=("one", first_cancel))
        asking.start()
        time.sleep(0.1)  # the first question holds the terminal
        second_cancel = threading.Event()
        threading.Timer(0.1, second_cancel.set).start()
        start = time.monotonic()
        assert not second.request_approval("two", second_cancel)
        assert time.monotonic() - start < 2
        first_cancel.set()
        asking.join(timeout=2)
        assert not asking.is_alive()


@pytest.mark.parametrize(("new_policy", "expected"), [("auto", True), ("reject", False)])
def test_policy_change_decides_a_waiting_prompt(new_policy: str, expected: bool) -> None:
    hsm = SoftHsm(approve="delay:30")
    outcome: list[bool] = []
    waiter = threading.Thread(
        target=lambda: outcome.append(hsm.request_approval("ok?", threading.Event()))
    )
    waiter.start()
    deadline = time.monotonic() + 5
    while hsm.state()["pending_prompts"] != 1:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    hsm.set_policy(new_policy)
    waiter.join(timeout=2)
    assert outcome == [expected] and hsm.state()["pending_prompts"] == 0


def test_shorter_delay_counts_from_when_the_prompt_appeared() -> None:
    hsm = SoftHsm(approve="delay:30")
    threading.Timer(0.2, hsm.set_policy, args=("delay:0.1",)).start()
    start = time.monotonic()
    assert hsm.request_approval("ok?", threading.Event())
    assert 0.15 < time.monotonic() - start < 2
