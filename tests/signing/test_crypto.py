"""Key and signature primitives against published vectors."""

from __future__ import annotations

import hashlib
import os

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from signing.crypto import bip32, bip39, secp256k1
from signing.crypto.addresses import ScriptType, address_for, decode_address
from signing.crypto.ecdsa import sign_digest
from signing.crypto.encoding import b58check_decode, segwit_decode
from signing.crypto.hashes import _ripemd160_py
from signing.crypto.message import decode_compact, message_digest, sign_message_digest
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL
from signing.errors import InvalidInput, InvalidSignature

# BIP-32 test vector 1 (seed 000102..0f): path, xpub, xprv
BIP32_VECTOR_1 = [
    (
        "m",
        "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8",
        "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi",
    ),
    (
        "m/0'",
        "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw",
        "xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7",
    ),
    (
        "m/0'/1",
        "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ",
        "xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs",
    ),
    (
        "m/0'/1/2'",
        "xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5",
        "xprv9z4pot5VBttmtdRTWfWQmoH1taj2axGVzFqSb8C9xaxKymcFzXBDptWmT7FwuEzG3ryjH4ktypQSAewRiNMjANTtpgP4mLTj34bhnZX7UiM",
    ),
    (
        "m/0'/1/2'/2",
        "xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV",
        "xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334",
    ),
    (
        "m/0'/1/2'/2/1000000000",
        "xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy",
        "xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76",
    ),
]

# trezor-firmware tests/device_tests/bitcoin/test_signmessage.py, seed "all" x 12
MESSAGE = "This is an example of a signed message."
TREZOR_VECTORS = [
    (
        "m/44h/0h/0h/0/0",
        ScriptType.P2PKH,
        "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL",
        MESSAGE,
        "20fd8f2f7db5238fcdd077d5204c3e6949c261d700269cefc1d9d2dcef6b95023630ee617f6c8acf9eb40c8edd704c9ca74ea4afc393f43f35b4e8958324cbdd1c",
    ),
    (
        "m/44h/0h/0h/0/0",
        ScriptType.P2PKH,
        "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL",
        "VeryLongMessage!" * 64,
        "200a46476ceb84d06ef5784828026f922c8815f57aac837b8c013007ca8a8460db63ef917dbebaebd108b1c814bbeea6db1f2b2241a958e53fe715cc86b199d9c3",
    ),
    (
        "m/49h/0h/0h/0/0",
        ScriptType.P2SH_P2WPKH,
        "3L6TyTisPBmrDAj6RoKmDzNnj4eQi54gD2",
        MESSAGE,
        "23744de4516fac5c140808015664516a32fead94de89775cec7e24dbc24fe133075ac09301c4cc8e197bea4b6481661d5b8e9bf19d8b7b8a382ecdb53c2ee0750d",
    ),
    (
        "m/84h/0h/0h/0/0",
        ScriptType.P2WPKH,
        "bc1qannfxke2tfd4l7vhepehpvt05y83v3qsf6nfkk",
        MESSAGE,
        "28b55d7600d9e9a7e2a49155ddf3cfdb8e796c207faab833010fa41fb7828889bc47cf62348a7aaa0923c0832a589fab541e8f12eb54fb711c90e2307f0f66b194",
    ),
    (
        "m/44h/0h/0h/0/1",
        ScriptType.P2PKH,
        "1GWFxtwWmNVqotUPXLcKVL2mUKpshuJYo",
        "P\u0159\xed\u0161ern\u011b \u017elu\u0165ou\u010dk\xfd k\u016f\u0148 \xfap\u011bl "
        "\u010f\xe1belsk\xe9 \xf3dy z\xe1ke\u0159n\xfd u\u010de\u0148 b\u011b\u017e\xed "
        "pod\xe9l z\xf3ny \xfal\u016f",
        "2046a0b46e81492f82e0412c73701b9740e6462c603575ee2d36c7d7b4c20f0f33763ca8cb3027ea8e1ce5e83fda8b6746fea8f5c82655d78fd419e7c766a5e17a",
    ),
]


@pytest.fixture(scope="module")
def all_master() -> bip32.ExtendedKey:
    return bip32.master_key(bip39.mnemonic_to_seed(TEST_MNEMONIC_ALL))


@pytest.mark.parametrize(("path", "xpub", "xprv"), BIP32_VECTOR_1)
def test_bip32_vector_1_private_derivation(path: str, xpub: str, xprv: str) -> None:
    node = bip32.master_key(bytes.fromhex("000102030405060708090a0b0c0d0e0f")).derive(path)
    assert node.to_xpub() == xpub
    assert node.to_xprv() == xprv


def test_bip32_public_derivation_from_xpub_matches_private() -> None:
    parent = bip32.parse_extended_key(BIP32_VECTOR_1[3][1])  # m/0'/1/2'
    assert not parent.is_private
    assert parent.derive("2/1000000000").to_xpub() == BIP32_VECTOR_1[5][1]


def test_bip32_xprv_round_trip_and_hardened_from_public_refused() -> None:
    node = bip32.parse_extended_key(BIP32_VECTOR_1[1][2])
    assert node.to_xpub() == BIP32_VECTOR_1[1][1]
    with pytest.raises(InvalidInput):
        node.neuter().derive("0'")
    assert "secret" not in repr(node) and str(node.secret) not in repr(node)


@pytest.mark.parametrize("path", ["m/0'/x", "m/2147483648", "m//1", "44'/0''", "m/-1", "m/1/2 /3"])
def test_bip32_bad_paths_raise_invalid_input(path: str) -> None:
    with pytest.raises(InvalidInput):
        bip32.parse_path(path)


def test_bip32_path_forms() -> None:
    assert bip32.parse_path("m/44h/0H/0'/0/5") == (
        44 + bip32.HARDENED, bip32.HARDENED, bip32.HARDENED, 0, 5,
    )  # fmt: skip
    assert bip32.canonical_path("44h/0h/0h/0/0") == "m/44'/0'/0'/0/0"
    assert bip32.parse_path("m") == ()


@pytest.mark.parametrize(
    "text",
    [
        BIP32_VECTOR_1[0][1][:-1] + "9",  # checksum
        "xpub",
        "0OIl",
        # valid base58check, wrong length
        "1111111111111111111114oLvT2",
    ],
)
def test_bad_extended_keys_raise_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput):
        bip32.parse_extended_key(text)


def test_bip39_reference_vector_with_passphrase() -> None:
    seed = bip39.mnemonic_to_seed(TEST_MNEMONIC_ABANDON, "TREZOR")
    assert seed.hex() == (
        "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1"
        "e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04"
    )


@pytest.mark.parametrize(
    "words", [" ".join(["abandon"] * 12), "all all all", " ".join(["notaword"] * 12)]
)
def test_bip39_bad_mnemonic_raises(words: str) -> None:
    with pytest.raises(InvalidInput):
        bip39.mnemonic_to_seed(words)


def test_all_seed_fingerprint_is_trezors(all_master: bip32.ExtendedKey) -> None:
    assert all_master.fingerprint().hex() == "5c9e228d"


@pytest.mark.parametrize(("path", "script_type", "address", "text", "signature"), TREZOR_VECTORS)
def test_signatures_equal_trezor_device_test_vectors(
    all_master: bip32.ExtendedKey,
    path: str,
    script_type: ScriptType,
    address: str,
    text: str,
    signature: str,
) -> None:
    node = all_master.derive(path)
    assert address_for(node.public_key, script_type) == address
    assert node.secret is not None
    assert sign_message_digest(node.secret, text, script_type).hex() == signature


def test_libsecp256k1_signatures_equal_openssl_rfc6979() -> None:
    """coincurve's RFC 6979 signature is OpenSSL's deterministic one, s made low."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature

    deterministic = ec.ECDSA(Prehashed(hashes.SHA256()), deterministic_signing=True)
    for i in range(1, 30):
        secret = int.from_bytes(hashlib.sha256(bytes([i])).digest(), "big") % secp256k1.N
        digest = hashlib.sha256(os.urandom(8)).digest()
        sig = sign_digest(secret, digest)
        key = ec.derive_private_key(secret, ec.SECP256K1())
        r, s = decode_dss_signature(key.sign(digest, deterministic))
        assert (sig.r, sig.s) == (r, min(s, secp256k1.N - s))
        assert sig.s <= secp256k1.HALF_N
        pub = secp256k1.decode_point(bip32.private_to_public(secret))
        assert secp256k1.recover_public_point(digest, sig.r, sig.s, sig.recid) == pub


def test_point_math_agrees_with_openssl() -> None:
    base = secp256k1.decode_point(bip32.private_to_public(7))  # 7G, not the generator
    for k in (1, 2, 3, 255, 256, secp256k1.N - 1, 0xDEADBEEF << 128):
        expected = ec.derive_private_key(k * 7 % secp256k1.N, ec.SECP256K1())
        numbers = expected.public_key().public_numbers()
        assert secp256k1.multiply(k, base) == (numbers.x, numbers.y)
        g_numbers = ec.derive_private_key(k, ec.SECP256K1()).public_key().public_numbers()
        assert secp256k1.multiply(k, secp256k1.G) == (g_numbers.x, g_numbers.y)
    assert secp256k1.multiply(secp256k1.N, base) is None
    assert secp256k1.add(base, secp256k1.negate(base)) is None


def test_ripemd160_fallback_matches_reference_vectors() -> None:
    assert _ripemd160_py(b"").hex() == "9c1185a5c5e9fc54612808977ee8f548b2258d31"
    assert _ripemd160_py(b"abc").hex() == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"
    assert _ripemd160_py(b"a" * 1_000).hex() == hashlib.new("ripemd160", b"a" * 1000).hexdigest()


def test_addresses_decode_and_reject_garbage() -> None:
    assert decode_address("1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGL").script_type is ScriptType.P2PKH
    assert (
        decode_address("3L6TyTisPBmrDAj6RoKmDzNnj4eQi54gD2").script_type is ScriptType.P2SH_P2WPKH
    )
    assert (
        decode_address("BC1QANNFXKE2TFD4L7VHEPEHPVT05Y83V3QSF6NFKK").script_type
        is ScriptType.P2WPKH
    )
    for bad in (
        "",
        "1JAd7XCBzGudGpJQSDSfpmJhiygtLQWaGM",  # checksum
        "bc1qannfxke2tfd4l7vhepehpvt05y83v3qsf6nfkl",  # bech32 checksum
        "Bc1qannfxke2tfd4l7vhepehpvt05y83v3qsf6nfkk",  # mixed case
        "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr",  # taproot: unsupported
        "x" * 200,
        "0OIl",
    ):
        with pytest.raises(InvalidInput):
            decode_address(bad)
    with pytest.raises(InvalidInput):
        segwit_decode("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh")  # v0 with bech32m
    with pytest.raises(InvalidInput):
        b58check_decode("1")


def test_message_digest_and_compact_decoding() -> None:
    assert (
        message_digest("abc")
        == hashlib.sha256(hashlib.sha256(b"\x18Bitcoin Signed Message:\n\x03abc").digest()).digest()
    )
    with pytest.raises(InvalidSignature):
        decode_compact(b"\x1f" + b"\x00" * 64)  # r = 0
    with pytest.raises(InvalidSignature):
        decode_compact(b"\x2b" + b"\x01" * 64)  # header 43
    with pytest.raises(InvalidSignature):
        decode_compact(b"\x1f" * 64)


def test_recovery_id_with_overflowed_r_is_handled() -> None:
    """recid bits 2|3 (R.x >= n) never happen by chance; build one and check every path."""
    from signing.crypto.message import encode_compact
    from signing.verify import recover_pubkey, verify_message_pubkey

    x = secp256k1.N + 5
    while secp256k1.lift_x(x, False) is None:
        x += 1
    nonce_point = secp256k1.lift_x(x, False)
    r = x - secp256k1.N
    digest = message_digest("overflowed r")
    z = int.from_bytes(digest, "big")
    s = 12345
    # Q = r^-1 (s R - z G): the key for which (r, s) is valid with this R
    q = secp256k1.multiply_add(
        s * pow(r, -1, secp256k1.N) % secp256k1.N,
        nonce_point,
        (-z * pow(r, -1, secp256k1.N)) % secp256k1.N,
        secp256k1.G,
    )
    assert q is not None
    pubkey = secp256k1.encode_point(q)
    signature = encode_compact(2, r, s, ScriptType.P2PKH)
    assert recover_pubkey("overflowed r", signature) == pubkey
    assert verify_message_pubkey(pubkey, "overflowed r", signature)
    assert not verify_message_pubkey(
        pubkey, "overflowed r", encode_compact(0, r, s, ScriptType.P2PKH)
    )


def test_public_derivation_equals_private_for_many_indices(all_master: bip32.ExtendedKey) -> None:
    account = all_master.derive("m/84'/0'/0'")
    xpub = bip32.parse_extended_key(account.to_xpub())
    for index in (0, 1, 2, 17, 1000, bip32.HARDENED - 1):
        assert xpub.derive(f"0/{index}").public_key == account.derive(f"0/{index}").public_key
