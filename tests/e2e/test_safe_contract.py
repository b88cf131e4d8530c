"""The real Safe v1.4.1 contract decides: device signatures from three emulator seeds.

Three owners are read from three emulators (three public test seeds) through the
desk's Trezor driver, the Safe is deployed with them and threshold 2 on a local EVM,
and it holds a test ERC-20. The desk's ``execTransaction`` from two parties' device
signatures moves exactly the amount; one signature, a non-owner's, a replayed nonce
and a tampered field each make the contract revert (the calldata for those is built
by hand so the contract, not the desk, is what refuses).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from decimal import Decimal

import pytest
from eth_abi.abi import decode as abi_decode
from eth_abi.abi import encode as abi_encode
from eth_utils.crypto import keccak
from safe_chain import SafeChain

from app.domain.safe_tx import (
    EXEC_TRANSACTION_SIGNATURE,
    EXEC_TRANSACTION_TYPES,
    SafeTx,
    SignatureRefused,
    token_units,
    unfreeze_safe_tx,
)
from signing.devices.trezor import TrezorSigner
from signing.emulator.main import start_emulator
from signing.emulator.test_seeds import TEST_MNEMONICS
from signing.interface import NullInteraction

ETH_PATH = "m/44'/60'/0'/0/0"
RELEASE = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4"
DECIMALS = 6


@pytest.fixture(scope="module")
def devices() -> Iterator[list[TrezorSigner]]:
    with ExitStack() as stack:
        signers = []
        for mnemonic in TEST_MNEMONICS[:4]:  # three owners and one outsider
            emu = stack.enter_context(start_emulator(trezor_port=0, mnemonic=mnemonic))
            signer = TrezorSigner.from_uri(emu.trezor_uri)
            signer.open(NullInteraction())
            stack.callback(signer.close)
            signers.append(signer)
        yield signers


@pytest.fixture
def chain(devices: list[TrezorSigner]) -> Iterator[SafeChain]:
    owners = [d.get_eth_address(ETH_PATH) for d in devices[:3]]
    chain = SafeChain(owners, decimals=DECIMALS)
    yield chain
    chain.close()


def _safe_tx(chain: SafeChain, quantity: str = "1250.5", nonce: int | None = None) -> SafeTx:
    return unfreeze_safe_tx(
        chain_id=chain.chain_id,
        safe=chain.safe_address,
        token=chain.token.address,
        recipient=RELEASE,
        units=token_units(Decimal(quantity), DECIMALS),
        nonce=chain.nonce() if nonce is None else nonce,
    )


def _sign(device: TrezorSigner, tx: SafeTx) -> tuple[str, bytes]:
    result = device.sign_typed_data(ETH_PATH, tx.typed_data())
    assert result.message_hash == tx.message_hash and result.domain_hash == tx.domain_hash
    return result.address, result.signature


def _raw_call(tx: SafeTx, signatures: bytes) -> str:
    """execTransaction calldata with any signature bytes (to let the contract refuse)."""
    selector = bytes(keccak(text=EXEC_TRANSACTION_SIGNATURE))[:4]
    args = [tx.to, tx.value, tx.data, tx.operation, 0, 0, 0, tx.gas_token, tx.refund_receiver]
    return "0x" + (selector + abi_encode(EXEC_TRANSACTION_TYPES, [*args, signatures])).hex()


def test_hashes_are_the_contracts(chain: SafeChain) -> None:
    tx = _safe_tx(chain)
    on_chain = chain.safe.functions.getTransactionHash(
        tx.to, tx.value, tx.data, tx.operation, 0, 0, 0, tx.gas_token, tx.refund_receiver, tx.nonce
    ).call()
    assert bytes(on_chain) == tx.safe_tx_hash
    assert bytes(chain.safe.functions.domainSeparator().call()) == tx.domain_hash


def test_two_device_signatures_execute_exactly_the_amount(
    chain: SafeChain, devices: list[TrezorSigner]
) -> None:
    tx = _safe_tx(chain)
    safe_before, release_before = chain.balance(chain.safe_address), chain.balance(RELEASE)
    # the exchange (third) and the regulator (first): any two of three
    signed = dict(_sign(d, tx) for d in (devices[2], devices[0]))
    call = tx.exec_transaction(signed, chain.owners(), 2)
    assert call["signers"] == sorted(signed, key=lambda a: int(a, 16))
    assert chain.broadcast(call["calldata"])
    moved = 1_250_500_000  # 1250.5 with the token's 6 decimals
    assert chain.balance(RELEASE) - release_before == moved
    assert safe_before - chain.balance(chain.safe_address) == moved
    assert chain.nonce() == tx.nonce + 1
    # the same call again: the nonce moved on, the contract refuses the replay
    assert not chain.broadcast(call["calldata"])
    assert chain.balance(RELEASE) - release_before == moved


def test_one_signature_reverts(chain: SafeChain, devices: list[TrezorSigner]) -> None:
    tx = _safe_tx(chain)
    owner, signature = _sign(devices[1], tx)
    with pytest.raises(SignatureRefused):
        tx.exec_transaction({owner: signature}, chain.owners(), 2)
    assert not chain.broadcast(_raw_call(tx, signature))
    assert chain.balance(RELEASE) == 0


def test_a_non_owner_reverts(chain: SafeChain, devices: list[TrezorSigner]) -> None:
    tx = _safe_tx(chain)
    pairs = sorted([_sign(devices[0], tx), _sign(devices[3], tx)], key=lambda p: int(p[0], 16))
    with pytest.raises(SignatureRefused):
        tx.exec_transaction(dict(pairs), chain.owners(), 2)
    assert not chain.broadcast(_raw_call(tx, b"".join(sig for _a, sig in pairs)))
    assert chain.balance(RELEASE) == 0


def test_the_same_owner_twice_reverts(chain: SafeChain, devices: list[TrezorSigner]) -> None:
    tx = _safe_tx(chain)
    _owner, signature = _sign(devices[0], tx)
    assert not chain.broadcast(_raw_call(tx, signature + signature))
    assert chain.balance(RELEASE) == 0


def test_a_stale_nonce_reverts(chain: SafeChain, devices: list[TrezorSigner]) -> None:
    first = _safe_tx(chain, "1")
    assert chain.broadcast(
        first.exec_transaction(dict(_sign(d, first) for d in devices[:2]), chain.owners(), 2)[
            "calldata"
        ]
    )
    stale = _safe_tx(chain, "2", nonce=first.nonce)  # signed for the nonce already used
    call = stale.exec_transaction(dict(_sign(d, stale) for d in devices[:2]), chain.owners(), 2)
    assert not chain.broadcast(call["calldata"])
    assert chain.balance(RELEASE) == token_units(Decimal("1"), DECIMALS)


def test_a_tampered_field_reverts(chain: SafeChain, devices: list[TrezorSigner]) -> None:
    tx = _safe_tx(chain, "10")
    call = tx.exec_transaction(dict(_sign(d, tx) for d in devices[:2]), chain.owners(), 2)
    calldata = bytes.fromhex(call["calldata"][2:])
    args = list(abi_decode(EXEC_TRANSACTION_TYPES, calldata[4:]))
    for index, changed in (
        (0, RELEASE),  # to: call the release address instead of the token
        (2, tx.data[:-1] + b"\x01"),  # data: another amount
        (4, 1),  # safeTxGas
        (8, RELEASE),  # refundReceiver
    ):
        tampered = list(args)
        tampered[index] = changed
        forged = "0x" + (calldata[:4] + abi_encode(EXEC_TRANSACTION_TYPES, tampered)).hex()
        assert not chain.broadcast(forged), index
    assert chain.balance(RELEASE) == 0
    assert chain.broadcast(call["calldata"])  # the untampered call still executes
    assert chain.balance(RELEASE) == token_units(Decimal("10"), DECIMALS)
