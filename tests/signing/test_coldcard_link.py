"""The ncry link: session key agreement exactly as the protocol derives it, and AES-256-CTR."""

from __future__ import annotations

from hashlib import sha256

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from signing.crypto import secp256k1
from signing.devices.coldcard_link import EphemeralKey, LinkCipher, load_peer_pubkey
from signing.errors import ProtocolError


def _reference_session_key(mine: EphemeralKey, peer_raw: bytes) -> bytes:
    """SHA-256 of x||y of d*Q, computed with the independent pure-Python curve code."""
    d = mine.private_key.private_numbers().private_value
    point = (int.from_bytes(peer_raw[:32], "big"), int.from_bytes(peer_raw[32:], "big"))
    shared = secp256k1.multiply(d, point)
    assert shared is not None
    x, y = shared
    return sha256(x.to_bytes(32, "big") + y.to_bytes(32, "big")).digest()


def test_both_ends_agree_and_match_the_protocol_derivation() -> None:
    for _ in range(40):  # enough to hit both parities of y many times
        host, device = EphemeralKey(), EphemeralKey()
        key = host.session_key(device.public_bytes)
        assert key == device.session_key(host.public_bytes)
        assert key == _reference_session_key(host, device.public_bytes)


def test_public_key_is_64_bytes_without_prefix() -> None:
    raw = EphemeralKey().public_bytes
    assert len(raw) == 64
    assert secp256k1.is_on_curve((int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")))


@pytest.mark.parametrize(
    "raw", [bytes(64), b"\x01" * 64, bytes(63), bytes(65), b"\xff" * 64], ids=str
)
def test_peer_key_off_the_curve_is_a_protocol_error(raw: bytes) -> None:
    with pytest.raises(ProtocolError):
        load_peer_pubkey(raw)
    with pytest.raises(ProtocolError):
        EphemeralKey().session_key(raw)


def test_ctr_streams_run_on_across_messages_from_counter_zero() -> None:
    key = bytes(range(32))
    host, device = LinkCipher(key), LinkCipher(key)
    messages = [b"xpubm/44'/0'/0'", b"smok", b"a" * 100]
    wire = [host.seal(m) for m in messages]
    reference = Cipher(algorithms.AES256(key), modes.CTR(bytes(16))).encryptor()
    assert b"".join(wire) == reference.update(b"".join(messages))
    assert [device.open(c) for c in wire] == messages
    # Each direction has its own counter: the reply stream starts at zero too.
    reply = device.seal(b"okay")
    assert reply == Cipher(algorithms.AES256(key), modes.CTR(bytes(16))).encryptor().update(b"okay")
    assert host.open(reply) == b"okay"


def test_reference_client_derives_the_same_session_key() -> None:
    """Cross-check with ckcc-protocol's own ECDH (test-only, skipped when not installed)."""
    client_module = pytest.importorskip("ckcc.client")
    pytest.importorskip("ecdsa")
    reference = client_module.ColdcardDevice.__new__(client_module.ColdcardDevice)
    their_public = reference.ec_setup()
    device = EphemeralKey()
    assert reference.ec_mult(device.public_bytes) == device.session_key(their_public)
