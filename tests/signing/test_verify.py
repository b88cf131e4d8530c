"""Message verification: round trips, tampering, malformed input, Wycheproof."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signing.crypto import secp256k1
from signing.crypto.addresses import ScriptType
from signing.crypto.message import decode_compact, encode_compact
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON
from signing.errors import InvalidInput, InvalidSignature, NotAllowed, SigningError
from signing.verify import (
    recover_pubkey,
    require_valid,
    require_valid_pubkey,
    verify_der_sha256,
    verify_message,
    verify_message_pubkey,
)

TEXT = "attest client=ACME total=1000 env=test"
PATHS = {
    ScriptType.P2PKH: "m/44'/0'/0'/0/0",
    ScriptType.P2SH_P2WPKH: "m/49'/0'/0'/0/0",
    ScriptType.P2WPKH: "m/84'/0'/0'/0/0",
}
WYCHEPROOF = Path(__file__).resolve().parents[1] / "data/vectors/wycheproof"


@pytest.fixture(scope="module")
def hsm() -> SoftHsm:
    return SoftHsm()


@pytest.mark.parametrize("script_type", list(ScriptType))
def test_round_trip_for_every_script_type(hsm: SoftHsm, script_type: ScriptType) -> None:
    signed = hsm.sign_message(PATHS[script_type], TEXT, script_type)
    assert verify_message(signed.address, TEXT, signed.signature)
    assert verify_message_pubkey(signed.pubkey, TEXT, signed.signature)
    assert recover_pubkey(TEXT, signed.signature) == signed.pubkey
    require_valid(signed.address, TEXT, signed.signature)
    require_valid_pubkey(signed.pubkey, TEXT, signed.signature)


def test_wrong_text_key_or_address_is_invalid(hsm: SoftHsm) -> None:
    signed = hsm.sign_message(PATHS[ScriptType.P2PKH], TEXT)
    other = SoftHsm(TEST_MNEMONIC_ABANDON).get_public_key(PATHS[ScriptType.P2PKH])
    assert not verify_message(signed.address, TEXT + ".", signed.signature)
    assert not verify_message(other.address, TEXT, signed.signature)
    assert not verify_message_pubkey(other.pubkey, TEXT, signed.signature)
    with pytest.raises(InvalidSignature):
        require_valid(other.address, TEXT, signed.signature)


def test_header_type_must_match_address_type(hsm: SoftHsm) -> None:
    signed = hsm.sign_message(PATHS[ScriptType.P2WPKH], TEXT, ScriptType.P2WPKH)
    decoded = decode_compact(signed.signature)
    as_p2pkh = encode_compact(decoded.recid, decoded.r, decoded.s, ScriptType.P2PKH)
    assert not verify_message(signed.address, TEXT, as_p2pkh)
    # the key itself still made it: the pubkey check does not care about the script type
    assert verify_message_pubkey(signed.pubkey, TEXT, as_p2pkh)


def test_high_s_and_wrong_recovery_id_are_rejected(hsm: SoftHsm) -> None:
    signed = hsm.sign_message(PATHS[ScriptType.P2PKH], TEXT)
    d = decode_compact(signed.signature)
    high_s = encode_compact(d.recid ^ 1, d.r, secp256k1.N - d.s, ScriptType.P2PKH)
    assert not verify_message(signed.address, TEXT, high_s)
    assert not verify_message_pubkey(signed.pubkey, TEXT, high_s)
    with pytest.raises(InvalidSignature):
        recover_pubkey(TEXT, high_s)
    wrong_recid = encode_compact(d.recid ^ 1, d.r, d.s, ScriptType.P2PKH)
    assert not verify_message(signed.address, TEXT, wrong_recid)
    assert not verify_message_pubkey(signed.pubkey, TEXT, wrong_recid)


def test_every_single_bit_flip_of_a_signature_is_rejected(hsm: SoftHsm) -> None:
    signed = hsm.sign_message(PATHS[ScriptType.P2PKH], TEXT)
    for bit in range(65 * 8):
        tampered = bytearray(signed.signature)
        tampered[bit // 8] ^= 1 << (bit % 8)
        assert not verify_message_pubkey(signed.pubkey, TEXT, bytes(tampered)), bit


@pytest.mark.parametrize(
    "signature",
    [
        b"",
        b"\x00" * 65,
        b"\x1f" + b"\xff" * 64,  # r, s >= n
        b"\x1f" * 64,
        b"\x1f" * 66,
        b"\x2b" + b"\x01" * 64,  # header 43
        b"\x1a" + b"\x01" * 64,  # header 26
    ],
)
def test_malformed_signatures_are_false_or_typed(hsm: SoftHsm, signature: bytes) -> None:
    info = hsm.get_public_key(PATHS[ScriptType.P2PKH])
    assert not verify_message(info.address, TEXT, signature)
    assert not verify_message_pubkey(info.pubkey, TEXT, signature)
    with pytest.raises(InvalidSignature):
        recover_pubkey(TEXT, signature)


@pytest.mark.parametrize(
    "address", ["", "hello", "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGM", "bc1q" + "q" * 100]
)
def test_malformed_address_raises_invalid_input(hsm: SoftHsm, address: str) -> None:
    signed = hsm.sign_message(PATHS[ScriptType.P2PKH], TEXT)
    with pytest.raises(InvalidInput):
        verify_message(address, TEXT, signed.signature)


@pytest.mark.parametrize("pubkey", [b"", b"\x02" + b"\x00" * 32, b"\x05" + b"\x01" * 32])
def test_malformed_pubkey_raises_invalid_input(hsm: SoftHsm, pubkey: bytes) -> None:
    signed = hsm.sign_message(PATHS[ScriptType.P2PKH], TEXT)
    with pytest.raises(InvalidInput):
        verify_message_pubkey(pubkey, TEXT, signed.signature)


def test_garbage_never_escapes_as_a_generic_exception() -> None:
    """Random signature bytes: each call either answers (never "valid") or raises a
    SigningError; any other exception fails the test, and each call is checked on its own."""
    import random

    rng = random.Random(7)
    answered = raised = 0
    for _ in range(300):
        sig = bytes(rng.getrandbits(8) for _ in range(rng.choice((64, 65, 65, 65, 66))))
        try:
            valid = verify_message("1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL", "x", sig)
        except SigningError:
            raised += 1
        except Exception as exc:
            pytest.fail(f"verify_message raised {type(exc).__name__} for {sig.hex()}")
        else:
            answered += 1
            assert valid is False, f"garbage {sig.hex()} verified"
        try:
            key = recover_pubkey("x", sig)
        except SigningError:
            raised += 1
        except Exception as exc:
            pytest.fail(f"recover_pubkey raised {type(exc).__name__} for {sig.hex()}")
        else:
            answered += 1
            assert len(key) == 33 and key[0] in (2, 3)
    assert answered and raised  # both paths were exercised


def test_prod_environment_refuses_statements_without_the_token(hsm: SoftHsm) -> None:
    signed = hsm.sign_message(PATHS[ScriptType.P2PKH], TEXT)
    require_valid(signed.address, TEXT, signed.signature, environment="test")
    with pytest.raises(NotAllowed):
        require_valid(signed.address, TEXT, signed.signature, environment="prod")
    with pytest.raises(NotAllowed):
        require_valid_pubkey(signed.pubkey, TEXT, signed.signature, environment="prod")


def _wycheproof_cases(name: str) -> list[tuple[int, bytes, bytes, bytes, str]]:
    data = json.loads((WYCHEPROOF / name).read_text())
    cases = []
    for group in data["testGroups"]:
        key = bytes.fromhex(group["publicKey"]["uncompressed"])
        for test in group["tests"]:
            cases.append(
                (
                    test["tcId"],
                    key,
                    bytes.fromhex(test["msg"]),
                    bytes.fromhex(test["sig"]),
                    test["result"],
                )
            )
    assert len(cases) == data["numberOfTests"]
    return cases


def test_wycheproof_bitcoin_all_cases() -> None:
    """All 463 cases of ecdsa_secp256k1_sha256_bitcoin_test.json give the expected result.

    "acceptable" (none in this file) would be allowed either way: our DER is strict.
    """
    cases = _wycheproof_cases("ecdsa_secp256k1_sha256_bitcoin_test.json")
    wrong = [
        tc_id
        for tc_id, key, msg, sig, result in cases
        if result != "acceptable" and verify_der_sha256(key, msg, sig) != (result == "valid")
    ]
    assert wrong == []
    assert sum(result == "valid" for *_, result in cases) > 100  # the file really was read


def test_wycheproof_plain_file_differs_only_by_high_s() -> None:
    """On the non-Bitcoin file, every disagreement is a valid high-S signature we refuse."""
    from signing.verify import parse_der_signature

    for tc_id, key, msg, sig, result in _wycheproof_cases("ecdsa_secp256k1_sha256_test.json"):
        got = verify_der_sha256(key, msg, sig)
        if result == "invalid":
            assert not got, tc_id
        elif result == "valid" and not got:
            _, s = parse_der_signature(sig)
            assert s > secp256k1.HALF_N, tc_id


def test_uncompressed_key_p2pkh_signatures_verify(hsm: SoftHsm) -> None:
    """Old-style headers 27..30 (uncompressed key) still verify against their address."""
    from signing.crypto.addresses import address_for

    signed = hsm.sign_message(PATHS[ScriptType.P2PKH], TEXT)
    d = decode_compact(signed.signature)
    uncompressed_sig = bytes([27 + d.recid]) + signed.signature[1:]
    full_key = secp256k1.encode_point(secp256k1.decode_point(signed.pubkey), compressed=False)
    address = address_for(full_key, ScriptType.P2PKH)
    assert verify_message(address, TEXT, uncompressed_sig)
    assert verify_message_pubkey(full_key, TEXT, uncompressed_sig)
    assert not verify_message(signed.address, TEXT, uncompressed_sig)  # compressed address
    assert not verify_message_pubkey(signed.pubkey, TEXT, uncompressed_sig)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    address=st.text(max_size=100),
    text=st.text(max_size=300),
    signature=st.binary(min_size=0, max_size=70) | st.binary(min_size=65, max_size=65),
    pubkey=st.binary(max_size=70),
)
def test_any_input_gives_a_bool_or_a_typed_error(
    address: str, text: str, signature: bytes, pubkey: bytes
) -> None:
    for check in (
        lambda: verify_message(address, text, signature),
        lambda: verify_message_pubkey(pubkey, text, signature),
        lambda: recover_pubkey(text, signature),
        lambda: verify_der_sha256(pubkey, text.encode("utf-8", "replace"), signature),
    ):
        try:
            result = check()
        except SigningError:
            continue
        assert isinstance(result, bool | bytes)


# trezor-firmware test_signmessage.py, no_script_type=True: compressed-P2PKH headers
LEGACY_HEADER_VECTORS = [
    (
        "3L6TyTisPBmrDAj6RoKmDzNnj4eQi54gD2",
        "1f744de4516fac5c140808015664516a32fead94de89775cec7e24dbc24fe133075ac09301c4cc8e197bea4b6481661d5b8e9bf19d8b7b8a382ecdb53c2ee0750d",
    ),
    (
        "bc1qannfxke2tfd4l7vhepehpvt05y83v3qsf6nfkk",
        "20b55d7600d9e9a7e2a49155ddf3cfdb8e796c207faab833010fa41fb7828889bc47cf62348a7aaa0923c0832a589fab541e8f12eb54fb711c90e2307f0f66b194",
    ),
]


@pytest.mark.parametrize(("address", "signature"), LEGACY_HEADER_VECTORS)
def test_legacy_header_for_segwit_only_when_asked(address: str, signature: str) -> None:
    sig = bytes.fromhex(signature)
    text = "This is an example of a signed message."
    assert not verify_message(address, text, sig)
    assert verify_message(address, text, sig, legacy_segwit_header=True)
    assert not verify_message(address, text + "x", sig, legacy_segwit_header=True)
    assert not verify_message(
        "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL", text, sig, legacy_segwit_header=True
    )


@pytest.mark.parametrize(
    ("path", "address", "signature"),
    [
        (
            "m/44'/1'/0'/0/0",
            "mvbu1Gdy8SUjTenqerxUaZyYjmveZvt33q",
            "2030cd7f116c0481d1936cfef48137fd23ee56aaf00787bfa08a94837466ec9909390c3efacfc56bae5782f1db4cf49ae05f242b5f62a47f871ec46bf1a3253e7f",
        ),
        (
            "m/49'/1'/0'/0/0",
            "2N4Q5FhU2497BryFfUgbqkAJE87aKHUhXMp",
            "23ef39fd388c3425d6aaa04274dcd5c7dd4c283a411b616443474fbcde5dd966050d91bc7c57e9578f28efdd84c9a9bcba415f93c5727b5d3f2bf3de46d7084896",
        ),
        (
            "m/84'/1'/0'/0/0",
            "tb1qkvwu9g3k2pdxewfqr7syz89r3gj557l3uuf9r9",
            "27758b3393396ad9fe48f6ce81f63410145e7b2b69a5dfc1d48b5e6e623e91e08e3afb60bda1546f9c6f9fb5bd0a41887b784c266036dd4b4015a0abc1137daa1d",
        ),
    ],
)
def test_testnet_trezor_vectors_through_the_hsm(
    hsm: SoftHsm, path: str, address: str, signature: str
) -> None:
    """Script type and network follow the path (purpose 44/49/84, coin type 1')."""
    text = "This is an example of a signed message."
    signed = hsm.sign_message(path, text)
    assert (signed.address, signed.signature.hex()) == (address, signature)
    assert verify_message(address, text, signed.signature)


@pytest.mark.parametrize("wrong", [None, 5, 1.5, ["list"], object()])
def test_wrong_types_are_typed_errors_too(hsm: SoftHsm, wrong: object) -> None:
    signed = hsm.sign_message(PATHS[ScriptType.P2PKH], TEXT)
    calls = [
        lambda: verify_message(wrong, TEXT, signed.signature),  # type: ignore[arg-type]
        lambda: verify_message(signed.address, wrong, signed.signature),  # type: ignore[arg-type]
        lambda: verify_message(signed.address, TEXT, wrong),  # type: ignore[arg-type]
        lambda: verify_message_pubkey(wrong, TEXT, signed.signature),  # type: ignore[arg-type]
        lambda: verify_message_pubkey(signed.pubkey, wrong, signed.signature),  # type: ignore[arg-type]
        lambda: recover_pubkey(TEXT, wrong),  # type: ignore[arg-type]
    ]
    for call in calls:
        with contextlib.suppress(SigningError):
            assert call() is False
