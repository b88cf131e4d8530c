"""Contract: the Coldcard driver against the emulator over the Unix socket.

Each failure mode ends in exactly one typed error, leaves nothing signed on the
host side, and the next call (after a reconnect where the device went away)
succeeds. TEST ONLY seed: twelve times "all".
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from coldcard_helpers import (
    ALL_FINGERPRINT,
    SIGN_ADDRESS,
    SIGN_PATH,
    SIGN_SIGNATURE_HEX,
    SIGN_TEXT,
    Human,
    RecordingInteraction,
    make_hsm,
    open_signer,
    running_server,
    wait_until,
)

from signing.devices.coldcard import ColdcardSigner
from signing.devices.coldcard_answers import parse_version
from signing.errors import (
    CancelledByHost,
    DeviceBusy,
    DeviceTimeout,
    Disconnected,
    InvalidText,
    NotAllowed,
    PinRequired,
    SigningError,
    UserRejected,
    WrongDevice,
)
from signing.framing import coldcard_messages as msgs
from signing.interface import Capability, PromptKind
from signing.verify import verify_message

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def human() -> Iterator[Human]:
    person = Human()
    yield person
    person.close()


def _sign_in_thread(signer: ColdcardSigner) -> tuple[threading.Thread, list[object]]:
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(signer.sign_message(SIGN_PATH, SIGN_TEXT))
        except SigningError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def _prompt_showing(hsm_state: dict[str, object], count: int = 1) -> bool:
    prompts = hsm_state["prompts"]
    assert isinstance(prompts, int)
    return prompts >= count


# ------------------------------------------------------------- happy paths


def test_identity_ping_version_and_xpub_match_the_soft_hsm() -> None:
    hsm = make_hsm()
    with running_server(hsm) as server:
        signer = open_signer(server)
        identity = signer.identity
        assert identity is not None
        assert identity.master_fingerprint == ALL_FINGERPRINT == hsm.fingerprint()
        assert identity.is_emulator and identity.firmware_version == "1.0.0-emulator"
        assert signer.ping(b"custody desk") == b"custody desk"
        assert signer.version_lines()[4] == "emulator"  # the firmware's hardware-label line
        assert identity.label == hsm.label  # the device's own name, a vers addition
        for path in (SIGN_PATH, "m/84'/0'/0'/0/1", "m/49'/0'/0'/0/0", "m/44'/1'/0'/0/0"):
            info = signer.get_public_key(path)
            expected = hsm.get_public_key(path)
            assert (info.xpub, info.pubkey, info.address) == (
                expected.xpub,
                expected.pubkey,
                expected.address,
            )
        signer.close()


@pytest.mark.parametrize(
    ("vers", "label", "hardware", "firmware"),
    [
        # The firmware's layout: date, version, bootloader, build stamp, hardware label.
        ("2024-05-09\n5.3.1\n3.0.0\n240509152712\nmk4", "Coldcard mk4 5.3.1", "mk4", "5.3.1"),
        # "Be ready for additions": an unknown one changes nothing.
        ("2025-01-02\n1.3.0Q\n3.1.0\n250102\nq1\nfoo=bar", "Coldcard q1 1.3.0Q", "q1", "1.3.0Q"),
        # A device that names itself (the desk's emulator) is called by that name.
        ("d\n1.0.0-emulator\nnone\nb\nemulator\nlabel=EMULATOR custodian",
         "EMULATOR custodian", "emulator", "1.0.0-emulator"),
        ("2018-01-01\n1.0.0", "Coldcard unknown 1.0.0", "unknown", "1.0.0"),  # short answer
    ],
)  # fmt: skip
def test_identity_is_named_by_what_the_coldcard_reports(
    vers: str, label: str, hardware: str, firmware: str
) -> None:
    version = parse_version(vers)
    assert (version.label, version.hardware, version.firmware) == (label, hardware, firmware)
    assert version.says_emulator == ("emulator" in vers)


def test_link_is_encrypted_on_the_wire() -> None:
    """After ncry every report carries the encrypted flag and no plaintext shows."""
    from signing.transport.unix_socket import UnixDatagramPipe

    written: list[bytes] = []

    class Tap(UnixDatagramPipe):
        def write_report(self, report: bytes) -> None:
            written.append(report)
            super().write_report(report)

    with running_server(make_hsm()) as server:
        signer = open_signer(server)
        signer._pipe_factory = lambda: Tap(server.socket_path)
        signer.close()
        signer.open(RecordingInteraction())
        signer.get_public_key(SIGN_PATH)
        signer.sign_message(SIGN_PATH, SIGN_TEXT)
    assert Capability.ENCRYPTED_LINK in signer.capabilities
    reset, ncry_first, ncry_last, *rest = written  # ncry is 72 bytes: two reports
    assert reset[0] == 0x80 and ncry_first[1:5] == b"ncry" and ncry_last[0] == 0x80 | 9
    # From then on every message's last report is flagged encrypted (middle ones carry no flags).
    assert rest and all(r[0] & 0xC0 == 0xC0 or r[0] == 63 for r in rest)
    assert sum(r[0] & 0xC0 == 0xC0 for r in rest) >= 4
    wire = b"".join(rest)
    for plaintext in (b"xpub", b"smsg", b"smok", b"vers", SIGN_TEXT.encode()[:12]):
        assert plaintext not in wire


def test_sign_verifies_against_the_xpub_address_and_matches_trezor_vector() -> None:
    with running_server(make_hsm()) as server:
        interaction = RecordingInteraction()
        signer = open_signer(server, interaction)
        key = signer.get_public_key(SIGN_PATH)
        result = signer.sign_message(SIGN_PATH, SIGN_TEXT)
    assert result.address == key.address == SIGN_ADDRESS
    assert result.pubkey == key.pubkey
    assert result.signature.hex() == SIGN_SIGNATURE_HEX
    assert verify_message(key.address, SIGN_TEXT, result.signature)
    assert [p.kind for p in interaction.prompts] == [PromptKind.CONFIRM_ON_DEVICE]
    assert interaction.prompts[0].text == SIGN_TEXT and interaction.done == 1


@pytest.mark.parametrize("path", ["m/84'/0'/0'/0/0", "m/49'/0'/0'/0/0"])
def test_segwit_paths_sign_for_their_address_type(path: str) -> None:
    with running_server(make_hsm()) as server:
        signer = open_signer(server)
        result = signer.sign_message(path, "Attest client C-001")
        assert result.address == signer.get_public_key(path).address
        assert verify_message(result.address, "Attest client C-001", result.signature)


def test_exact_transcript_of_the_sign_flow() -> None:
    traffic: list[tuple[str, bytes]] = []
    with running_server(make_hsm()) as server:
        signer = open_signer(server, on_traffic=lambda d, m: traffic.append((d, m)))
        traffic.clear()
        signer.sign_message(SIGN_PATH, SIGN_TEXT)
        first = list(traffic)
        traffic.clear()
        signer.sign_message(SIGN_PATH, SIGN_TEXT)
        second = list(traffic)
        xpub = signer.get_public_key(SIGN_PATH).xpub

    def collapsed(transcript: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
        # The number of "still waiting" polls depends on timing: keep at most one.
        out: list[tuple[str, bytes]] = []
        for i in range(0, len(transcript), 2):
            pair = transcript[i : i + 2]
            if pair == [("tx", b"smok"), ("rx", b"okay")] and out[-2:] == pair:
                continue
            out += pair
        return out

    text, path = SIGN_TEXT.encode(), SIGN_PATH.encode()
    smsg = (
        b"smsg"
        + (1).to_bytes(4, "little")  # AF_CLASSIC: P2PKH for a BIP-44 path
        + len(path).to_bytes(4, "little")
        + len(text).to_bytes(4, "little")
        + path
        + text
    )
    signed = msgs.respond_signed_message(SIGN_ADDRESS, bytes.fromhex(SIGN_SIGNATURE_HEX))
    wait = [("tx", b"smok"), ("rx", b"okay")]
    end = [("tx", b"smok"), ("rx", signed)]
    # First signature at a path: the driver learns the path's key (to verify the answer).
    lookup = [("tx", b"xpub" + path), ("rx", b"asci" + xpub.encode())]
    assert collapsed(first) in (
        [*lookup, ("tx", smsg), ("rx", b"okay"), *end],
        [*lookup, ("tx", smsg), ("rx", b"okay"), *wait, *end],
    )
    assert collapsed(second) in (
        [("tx", smsg), ("rx", b"okay"), *end],
        [("tx", smsg), ("rx", b"okay"), *wait, *end],
    )


def test_open_transcript_is_resync_ncry_vers() -> None:
    traffic: list[tuple[str, bytes]] = []
    with running_server(make_hsm()) as server:
        open_signer(server, on_traffic=lambda d, m: traffic.append((d, m)))
    assert [(d, m[:4]) for d, m in traffic] == [
        ("tx", b"ncry"),
        ("rx", b"mypb"),
        ("tx", b"vers"),
        ("rx", b"asci"),
    ]
    assert traffic[0][1][4:8] == msgs.NCRY_V1.to_bytes(4, "little")


# ------------------------------------------------------------ failure modes


def test_reject_on_device_is_user_rejected_then_next_sign_succeeds() -> None:
    hsm = make_hsm(approve="reject")
    with running_server(hsm) as server:
        interaction = RecordingInteraction()
        signer = open_signer(server, interaction)
        with pytest.raises(UserRejected):
            signer.sign_message(SIGN_PATH, SIGN_TEXT)
        assert interaction.done == 1
        hsm.set_policy("auto")
        assert signer.sign_message(SIGN_PATH, SIGN_TEXT).signature.hex() == SIGN_SIGNATURE_HEX


def test_cancel_from_host_while_polling(human: Human) -> None:
    hsm = make_hsm(approve="interactive", human=human)
    with running_server(hsm) as server:
        interaction = RecordingInteraction()
        signer = open_signer(server, interaction)
        thread, outcome = _sign_in_thread(signer)
        wait_until(lambda: _prompt_showing(hsm.state()) and len(interaction.prompts) == 1)
        signer.cancel()
        thread.join(5)
        assert len(outcome) == 1 and isinstance(outcome[0], CancelledByHost)
        assert interaction.done == 1
        assert SIGN_TEXT in human.terminal_out.getvalue()  # the device still shows it
        # The officer dismisses the stale prompt on the device; the next sign goes through.
        hsm.set_policy("auto")
        human.answer(False)
        result = signer.sign_message(SIGN_PATH, SIGN_TEXT)
        assert result.signature.hex() == SIGN_SIGNATURE_HEX


def test_new_sign_waits_while_a_previous_prompt_is_on_the_device(human: Human) -> None:
    hsm = make_hsm(approve="interactive", human=human)
    with running_server(hsm) as server:
        first = open_signer(server)
        thread, outcome = _sign_in_thread(first)
        wait_until(lambda: _prompt_showing(hsm.state()))
        second_interaction = RecordingInteraction()
        second = open_signer(server, second_interaction, approval_timeout_s=0.3)
        with pytest.raises(DeviceTimeout):
            second.sign_message(SIGN_PATH, "Attest client C-002")
        assert "previous request" in second_interaction.prompts[0].text
        human.answer(True)
        thread.join(5)
        assert outcome and not isinstance(outcome[0], SigningError)


def test_approval_timeout_is_device_timeout_and_session_survives(human: Human) -> None:
    hsm = make_hsm(approve="interactive", human=human)
    with running_server(hsm) as server:
        signer = open_signer(server, approval_timeout_s=0.2)
        with pytest.raises(DeviceTimeout):
            signer.sign_message(SIGN_PATH, SIGN_TEXT)
        human.answer(False)
        hsm.set_policy("auto")
        signer.approval_timeout_s = 30
        assert signer.sign_message(SIGN_PATH, SIGN_TEXT).address == SIGN_ADDRESS


def test_hung_device_is_device_timeout_then_recovers() -> None:
    with running_server(make_hsm()) as server:
        signer = open_signer(server, io_timeout_ms=150)
        server.stall(True)
        with pytest.raises(DeviceTimeout):
            signer.ping(b"x")
        server.stall(False)
        assert signer.ping(b"y") == b"y"  # a fresh session: re-keyed


@pytest.mark.parametrize("how", ["server", "hsm"])
def test_unplug_mid_flow_is_disconnected_then_reconnect_succeeds(human: Human, how: str) -> None:
    hsm = make_hsm(approve="interactive", human=human)
    with running_server(hsm) as server:
        signer = open_signer(server)
        thread, outcome = _sign_in_thread(signer)
        wait_until(lambda: _prompt_showing(hsm.state()))
        if how == "server":
            server.unplug()
        else:
            hsm.unplug()
        thread.join(5)
        assert len(outcome) == 1 and isinstance(outcome[0], Disconnected), outcome
        with pytest.raises(Disconnected):  # still unplugged: the device it had is gone
            signer.ping(b"x")
        if how == "server":
            server.replug()
        else:
            hsm.replug()
        wait_until(lambda: server.plugged)
        hsm.set_policy("auto")
        assert signer.sign_message(SIGN_PATH, SIGN_TEXT).signature.hex() == SIGN_SIGNATURE_HEX
        assert signer.identity is not None
        assert signer.identity.master_fingerprint == ALL_FINGERPRINT


def test_armed_unplug_at_the_prompt_is_disconnected() -> None:
    hsm = make_hsm()
    with running_server(hsm) as server:
        signer = open_signer(server)
        hsm.arm_unplug()
        with pytest.raises(Disconnected):
            signer.sign_message(SIGN_PATH, SIGN_TEXT)
        hsm.replug()
        wait_until(lambda: server.plugged)
        assert signer.sign_message(SIGN_PATH, SIGN_TEXT).address == SIGN_ADDRESS


def test_locked_device_is_pin_required_until_unlocked() -> None:
    hsm = make_hsm(pin="1234")
    with running_server(hsm) as server:
        signer = open_signer(server)
        with pytest.raises(PinRequired):
            signer.sign_message(SIGN_PATH, SIGN_TEXT)
        hsm.unlock("1234")
        assert signer.sign_message(SIGN_PATH, SIGN_TEXT).address == SIGN_ADDRESS


@pytest.mark.parametrize(
    "text", ["x", "tab\there", "caf\u00e9 statement", "three   spaces", " lead", "a" * 241]
)
def test_text_the_device_cannot_show_is_refused_before_sending(text: str) -> None:
    traffic: list[tuple[str, bytes]] = []
    with running_server(make_hsm()) as server:
        signer = open_signer(server, on_traffic=lambda d, m: traffic.append((d, m)))
        traffic.clear()
        with pytest.raises(InvalidText):
            signer.sign_message(SIGN_PATH, text)
    assert traffic == []


def test_emulator_refuses_production_statements() -> None:
    hsm = make_hsm()
    with running_server(hsm) as server:
        signer = open_signer(server)
        with pytest.raises(NotAllowed):
            signer.sign_message(SIGN_PATH, "Attest C-001 env=prod")
    assert hsm.state()["prompts"] == 0


def test_wrong_device_fingerprint() -> None:
    from signing.devices.coldcard_discovery import signer_for_uri

    with running_server(make_hsm()) as server:
        signer = signer_for_uri(server.uri, expected_fingerprint="deadbeef")
        with pytest.raises(WrongDevice):
            signer.open(RecordingInteraction())


def test_concurrent_call_is_device_busy(human: Human) -> None:
    hsm = make_hsm(approve="interactive", human=human)
    with running_server(hsm) as server:
        signer = open_signer(server)
        thread, _ = _sign_in_thread(signer)
        wait_until(lambda: _prompt_showing(hsm.state()))
        with pytest.raises(DeviceBusy):
            signer.get_public_key(SIGN_PATH)
        human.answer(True)
        thread.join(5)


# ------------------------------------------------- the stock reference client


def test_reference_client_drives_the_emulator() -> None:
    """ckcc-protocol (test-only cross-check, skipped when not installed) gets the same answers."""
    client = pytest.importorskip("ckcc.client")
    protocol = pytest.importorskip("ckcc.protocol")
    import time

    with running_server(make_hsm()) as server:
        device = client.ColdcardDevice(sn=server.socket_path)
        try:
            assert f"{device.master_fingerprint:08x}" == "8d229e5c"  # little-endian 5c9e228d
            packer = protocol.CCProtocolPacker
            assert device.send_recv(packer.ping(b"hi")) == b"hi"
            ours = open_signer(server).get_public_key("m/44'/0'/0'")
            assert device.send_recv(packer.get_xpub("m/44'/0'/0'")) == ours.xpub
            device.send_recv(packer.sign_message(SIGN_TEXT.encode(), SIGN_PATH))
            for _ in range(500):
                done = device.send_recv(packer.get_signed_msg())
                if done is not None:
                    break
                time.sleep(0.01)
            assert done[0] == SIGN_ADDRESS
            assert done[1].hex() == SIGN_SIGNATURE_HEX
        finally:
            device.close()


def test_registry_finds_and_opens_the_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    from signing import registry

    with running_server(make_hsm()) as server:
        monkeypatch.setenv("CUSTODY_DESK_COLDCARD_SOCKETS", server.socket_path)
        assert "coldcard" in registry.families()
        assert server.uri in [info.uri for info in registry.enumerate_devices()]
        signer = registry.open_signer(server.uri)
        identity = signer.open(RecordingInteraction())
        assert identity.master_fingerprint == ALL_FINGERPRINT and identity.is_emulator
        assert signer.sign_message(SIGN_PATH, SIGN_TEXT).address == SIGN_ADDRESS
        signer.close()


@pytest.mark.slow
def test_a_thousand_signatures_through_the_coldcard_path_are_low_s_and_verify() -> None:
    from signing.crypto import secp256k1

    paths = [SIGN_PATH, "m/84'/0'/0'/0/0", "m/49'/0'/0'/0/7"]
    with running_server(make_hsm()) as server:
        signer = open_signer(server)
        for i in range(1000):
            path = paths[i % len(paths)]
            text = f"Attest client C-{i:05d} total USD {i * 7919}"
            result = signer.sign_message(path, text)
            assert int.from_bytes(result.signature[33:], "big") <= secp256k1.HALF_N
            assert verify_message(result.address, text, result.signature)
