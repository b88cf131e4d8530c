"""The SafeTx domain: amounts in the token's smallest units, addresses, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.safe_tx import (
    DelegateCallRefused,
    SafeTx,
    SafeTxError,
    SignatureRefused,
    checksum_address,
    decode_erc20_transfer,
    token_units,
    unfreeze_safe_tx,
)

SAFE = "0x1f15DE4d124b711f349FE2DD1B5fE0511262156d"
TOKEN = "0x51a240271AB8AB9f9a21C82d9a85396b704E164d"
RELEASE = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4"


def test_units_come_from_the_tokens_decimals() -> None:
    assert token_units(Decimal("1250.5"), 6) == 1_250_500_000
    assert token_units(Decimal("1250.5"), 18) == 1_250_500_000_000_000_000_000
    assert token_units(Decimal("7"), 0) == 7


@pytest.mark.parametrize(
    ("quantity", "decimals"),
    [
        (Decimal("0.0000001"), 6),  # past the token's decimals: never rounded away
        (Decimal("1.5"), 0),
        (Decimal("0"), 6),
        (Decimal("-1"), 6),
        (Decimal("NaN"), 6),
        (Decimal("1"), 37),
        (Decimal("1"), -1),
    ],
)
def test_amounts_the_desk_refuses(quantity: Decimal, decimals: int) -> None:
    with pytest.raises(SafeTxError):
        token_units(quantity, decimals)


@pytest.mark.parametrize(
    "text",
    [
        "0x5b38da6a701c568545dcfcb03fcb875f56beddc4",  # no checksum to check
        "0x5B38Da6a701c568545dCfcB03FcB875f56beddc4",  # one letter's case wrong
        "0x5B38Da6a701c568545dCfcB03FcB875f56bedd",  # 19 bytes
        "0x5B38Da6a701c568545dCfcB03FcB875f56beddC400",  # 21 bytes
        "5B38Da6a701c568545dCfcB03FcB875f56beddC4",
        "0xZZ38Da6a701c568545dCfcB03FcB875f56beddC4",
    ],
)
def test_addresses_the_desk_refuses(text: str) -> None:
    with pytest.raises(SafeTxError):
        checksum_address(text)


def test_the_transfer_and_its_fields() -> None:
    tx = unfreeze_safe_tx(chain_id=1, safe=SAFE, token=TOKEN, recipient=RELEASE, units=5, nonce=3)
    assert tx.to == TOKEN and tx.value == 0 and tx.operation == 0
    assert decode_erc20_transfer(tx.data) == (RELEASE, 5)
    assert SafeTx.from_json(tx.to_json()) == tx
    assert tx.typed_data()["domain"] == {"chainId": 1, "verifyingContract": SAFE}
    assert (
        tx.safe_tx_hash
        != unfreeze_safe_tx(
            chain_id=5, safe=SAFE, token=TOKEN, recipient=RELEASE, units=5, nonce=3
        ).safe_tx_hash
    )  # the chain id binds


def test_delegatecall_and_bad_fields_are_refused() -> None:
    tx = unfreeze_safe_tx(chain_id=1, safe=SAFE, token=TOKEN, recipient=RELEASE, units=5, nonce=0)
    record = tx.to_json()
    with pytest.raises(DelegateCallRefused):
        SafeTx.from_json({**record, "operation": 1})
    for bad in ({"chain_id": 0}, {"nonce": "-1"}, {"to": TOKEN.lower()}, {"data": "0xzz"}):
        with pytest.raises(SafeTxError):
            SafeTx.from_json({**record, **bad})
    with pytest.raises(SafeTxError):
        unfreeze_safe_tx(chain_id=1, safe=SAFE, token=TOKEN, recipient=SAFE, units=5, nonce=0)


def test_signatures_of_the_wrong_shape() -> None:
    tx = unfreeze_safe_tx(chain_id=1, safe=SAFE, token=TOKEN, recipient=RELEASE, units=5, nonce=0)
    with pytest.raises(SignatureRefused):
        tx.recover_owner(b"\x01" * 64)
    with pytest.raises(SignatureRefused):
        tx.recover_owner(b"\x01" * 64 + b"\x1f")  # v 31: an eth_sign signature, refused
    with pytest.raises(SignatureRefused):
        tx.exec_transaction({RELEASE: b"\x01" * 65}, [SAFE], 2)  # not an owner
