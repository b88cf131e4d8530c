"""Signing-side regressions from the security review of 2026-11-26 (docs/security.md)."""

from __future__ import annotations

import pytest

from signing.crypto.addresses import ScriptType
from signing.crypto.message import decode_compact, encode_compact
from signing.devices.coldcard_link import LinkCipher
from signing.emulator.control import parse_control_address
from signing.emulator.hsm import SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ZOO
from signing.errors import InvalidInput
from signing.framing.coldcard_messages import encode_ncry
from signing.verify import verify_message, verify_message_pubkey

PATH = "m/44'/0'/0'/0/0"


def test_public_helpers_raise_typed_errors_only() -> None:
    with pytest.raises(InvalidInput):
        encode_ncry(b"\x04" * 65)
    with pytest.raises(InvalidInput):
        LinkCipher(b"short")


def test_localhost_control_binds_the_loopback_address_not_a_resolved_name() -> None:
    assert parse_control_address("tcp:localhost:0") == ("tcp", ("127.0.0.1", 0))


def test_a_key_in_steady_use_verifies_exactly_as_a_new_one() -> None:
    """Verifying the same key over and over (OpenSSL, then the recovery id by
    libsecp256k1) changes no answer: valid stays valid, a flipped recovery id or a
    bit flip stays invalid."""
    hsm = SoftHsm(TEST_MNEMONIC_ZOO)
    signed = [hsm.sign_message(PATH, f"statement {i}") for i in range(12)]
    for made in signed:
        assert verify_message_pubkey(made.pubkey, made.text, made.signature)
        assert verify_message(made.address, made.text, made.signature)
        d = decode_compact(made.signature)
        wrong_recid = encode_compact(d.recid ^ 1, d.r, d.s, ScriptType.P2PKH)
        assert not verify_message_pubkey(made.pubkey, made.text, wrong_recid)
        overflow_recid = encode_compact(d.recid | 2, d.r, d.s, ScriptType.P2PKH)
        assert not verify_message_pubkey(made.pubkey, made.text, overflow_recid)
        flipped = bytearray(made.signature)
        flipped[40] ^= 0x04
        assert not verify_message_pubkey(made.pubkey, made.text, bytes(flipped))
        assert not verify_message_pubkey(made.pubkey, made.text + ".", made.signature)
