"""The sortedmulti P2WSH address of a ``MultisigAddressRequest``, computed on the host.

The drivers and the emulator both need the keys in script order (BIP-67: sorted by
their compressed bytes), the witness script and the address. Nothing here talks to a
device: the desk computes the address it expects, the device derives its own from
the same keys and shows it, and the desk compares the two.
"""

from __future__ import annotations

import hashlib

from signing.bitcoin.errors import DescriptorError
from signing.crypto.addresses import MAINNET, TESTNET
from signing.crypto.bip32 import HARDENED, parse_extended_key
from signing.crypto.encoding import segwit_encode
from signing.interface import MultisigAddressRequest, MultisigCosigner

MAX_KEYS = 15


def check_request(request: MultisigAddressRequest) -> None:
    """Refuse a request no device could derive (before anything reaches a device)."""
    count = len(request.cosigners)
    if not 1 <= request.threshold <= count <= MAX_KEYS:
        raise DescriptorError(f"a {request.threshold}-of-{count} multisig is not derivable")
    if not request.suffix or any(step >= HARDENED or step < 0 for step in request.suffix):
        raise DescriptorError("the steps below the account keys must be non-hardened")
    for cosigner in request.cosigners:
        if len(cosigner.fingerprint) != 4:
            raise DescriptorError("a master fingerprint is 4 bytes")


def script_order(request: MultisigAddressRequest) -> list[tuple[bytes, MultisigCosigner]]:
    """``(derived pubkey, cosigner)`` for every key, in the script's (sorted) order."""
    check_request(request)
    keyed: list[tuple[bytes, MultisigCosigner]] = []
    for cosigner in request.cosigners:
        node = parse_extended_key(cosigner.account_xpub)
        for step in request.suffix:
            node = node.child(step)
        keyed.append((node.public_key, cosigner))
    keyed.sort(key=lambda item: item[0])
    if len({key for key, _ in keyed}) != len(keyed):
        raise DescriptorError("one key appears twice in the multisig")
    return keyed


def witness_script(threshold: int, pubkeys: list[bytes]) -> bytes:
    """``OP_m <key>... OP_n OP_CHECKMULTISIG`` for keys already in script order."""
    body = bytes([0x50 + threshold]) + b"".join(bytes([33]) + k for k in pubkeys)
    return body + bytes([0x50 + len(pubkeys), 0xAE])


def p2wsh_address(script: bytes, *, testnet: bool) -> str:
    network = TESTNET if testnet else MAINNET
    return segwit_encode(network.hrp, 0, hashlib.sha256(script).digest())


def expected_address(request: MultisigAddressRequest) -> str:
    """The address the device must show for ``request``."""
    keys = [key for key, _ in script_order(request)]
    return p2wsh_address(witness_script(request.threshold, keys), testnet=request.testnet)
