"""The Safe (Safe{Wallet} v1.4.1) transaction that unfreezes a client's tokenized assets.

A ``SafeTx`` is the EIP-712 message the Safe contract hashes in ``getTransactionHash``:
domain ``{chainId, verifyingContract}`` and message ``{to, value, data, operation,
safeTxGas, baseGas, gasPrice, gasToken, refundReceiver, nonce}``. For an unfreeze it
is an ERC-20 ``transfer(release address, units)`` called on the token contract by the
Safe, with ``value`` 0, no gas refund, and ``operation`` 0 (CALL): a DELEGATECALL would
run foreign code with the Safe's own storage, so it is refused outright.

Encoding is eth-account (EIP-712) and eth-abi (ABI); recovery is eth-account's. Amounts
are integers of the token's smallest unit: ``token_units`` converts the order's
``Decimal`` quantity with the decimals the token contract itself reports and refuses a
quantity with more places than the token has, rather than rounding money away.

``exec_transaction`` assembles the ``execTransaction`` call from owners' 65-byte
``r || s || v`` signatures: each must recover to its owner, the owners must be
distinct owners of the Safe and at least its threshold, and the signatures are
concatenated in ascending owner-address order, as ``checkNSignatures`` requires.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from eth_abi.abi import encode as abi_encode
from eth_account import Account
from eth_account.messages import SignableMessage, encode_typed_data
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
CALL = 0
DELEGATECALL = 1
MAX_UINT256 = 2**256 - 1
MAX_DECIMALS = 36
SAFE_VERSION = "1.4.1"
_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")

SAFE_TX_TYPES: dict[str, list[dict[str, str]]] = {
    "EIP712Domain": [
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "SafeTx": [
        {"name": "to", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "data", "type": "bytes"},
        {"name": "operation", "type": "uint8"},
        {"name": "safeTxGas", "type": "uint256"},
        {"name": "baseGas", "type": "uint256"},
        {"name": "gasPrice", "type": "uint256"},
        {"name": "gasToken", "type": "address"},
        {"name": "refundReceiver", "type": "address"},
        {"name": "nonce", "type": "uint256"},
    ],
}
EXEC_TRANSACTION_SIGNATURE = (
    "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)"
)
EXEC_TRANSACTION_TYPES = [
    "address",
    "uint256",
    "bytes",
    "uint8",
    "uint256",
    "uint256",
    "uint256",
    "address",
    "address",
    "bytes",
]
TRANSFER_SIGNATURE = "transfer(address,uint256)"


class SafeTxError(ValueError):
    """A SafeTx, amount, address or signature that the desk refuses."""


class DelegateCallRefused(SafeTxError):
    """``operation`` 1 (DELEGATECALL) is never signed or executed by the desk."""


class SignatureRefused(SafeTxError):
    """A signature that is malformed, not an owner's, or does not recover to its owner."""


def checksum_address(text: str, what: str = "address") -> str:
    """``text`` if it is a 20-byte hex address with a correct EIP-55 checksum."""
    if not isinstance(text, str) or not _ADDRESS.match(text):
        raise SafeTxError(f"{what} {text!r} is not a 0x-prefixed 20-byte hex address")
    expected = str(to_checksum_address(text))
    if text != expected:
        if text[2:] in (text[2:].lower(), text[2:].upper()):
            raise SafeTxError(f"{what} {text} has no EIP-55 checksum: write it as {expected}")
        raise SafeTxError(f"{what} {text} fails its EIP-55 checksum")
    return expected


def token_units(quantity: Decimal, decimals: int) -> int:
    """``quantity`` in the token's smallest unit (``decimals`` from the token contract)."""
    if not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        raise SafeTxError(f"token decimals {decimals!r} are not 0..{MAX_DECIMALS}")
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
        raise SafeTxError(f"quantity {quantity!r} is not a positive decimal amount")
    units = quantity.scaleb(decimals)
    if units != units.to_integral_value():
        raise SafeTxError(
            f"quantity {quantity} has more decimal places than the token's {decimals}"
        )
    result = int(units)
    if result > MAX_UINT256:
        raise SafeTxError(f"quantity {quantity} does not fit a uint256")
    return result


def units_to_quantity(units: int, decimals: int) -> Decimal:
    """The token amount ``units`` as a decimal quantity (for display)."""
    return Decimal(units).scaleb(-decimals)


def erc20_transfer_data(recipient: str, units: int) -> bytes:
    """ABI calldata of ``transfer(recipient, units)``."""
    checksum_address(recipient, "recipient")
    if not 0 < units <= MAX_UINT256:
        raise SafeTxError("a transfer moves a positive uint256 amount")
    selector = bytes(keccak(text=TRANSFER_SIGNATURE))[:4]
    return selector + bytes(abi_encode(["address", "uint256"], [recipient, units]))


def decode_erc20_transfer(data: bytes) -> tuple[str, int] | None:
    """``(recipient, units)`` if ``data`` is exactly an ERC-20 ``transfer`` call."""
    from eth_abi.abi import decode as abi_decode

    selector = bytes(keccak(text=TRANSFER_SIGNATURE))[:4]
    if len(data) != 68 or data[:4] != selector:
        return None
    recipient, units = abi_decode(["address", "uint256"], data[4:])
    return str(to_checksum_address(recipient)), int(units)


@dataclass(frozen=True)
class SafeTx:
    """One Safe transaction, exactly the fields the contract hashes."""

    chain_id: int
    safe: str
    to: str
    value: int
    data: bytes
    nonce: int
    operation: int = CALL
    safe_tx_gas: int = 0
    base_gas: int = 0
    gas_price: int = 0
    gas_token: str = ZERO_ADDRESS
    refund_receiver: str = ZERO_ADDRESS

    def __post_init__(self) -> None:
        if self.operation == DELEGATECALL:
            raise DelegateCallRefused("operation 1 (DELEGATECALL) is refused: only CALL (0)")
        if self.operation != CALL:
            raise SafeTxError(f"operation {self.operation!r} is not 0 (CALL)")
        if not isinstance(self.chain_id, int) or not 0 < self.chain_id <= MAX_UINT256:
            raise SafeTxError(f"chain id {self.chain_id!r} is not a positive integer")
        for name in ("safe", "to", "gas_token", "refund_receiver"):
            checksum_address(getattr(self, name), name)
        for name in ("value", "nonce", "safe_tx_gas", "base_gas", "gas_price"):
            number = getattr(self, name)
            if isinstance(number, bool) or not isinstance(number, int):
                raise SafeTxError(f"{name} {number!r} is not an integer")
            if not 0 <= number <= MAX_UINT256:
                raise SafeTxError(f"{name} {number} is not a uint256")
        if not isinstance(self.data, bytes):
            raise SafeTxError("data must be bytes")

    # ---- EIP-712 ---------------------------------------------------------------------

    def typed_data(self) -> dict[str, Any]:
        """The EIP-712 object a wallet signs (``eth_signTypedData_v4`` shape)."""
        return {
            "types": {name: [dict(m) for m in members] for name, members in SAFE_TX_TYPES.items()},
            "primaryType": "SafeTx",
            "domain": {"chainId": self.chain_id, "verifyingContract": self.safe},
            "message": {
                "to": self.to,
                "value": self.value,
                "data": "0x" + self.data.hex(),
                "operation": self.operation,
                "safeTxGas": self.safe_tx_gas,
                "baseGas": self.base_gas,
                "gasPrice": self.gas_price,
                "gasToken": self.gas_token,
                "refundReceiver": self.refund_receiver,
                "nonce": self.nonce,
            },
        }

    def _signable(self) -> SignableMessage:
        return encode_typed_data(full_message=self.typed_data())

    @property
    def domain_hash(self) -> bytes:
        """The Safe's ``domainSeparator()``."""
        return bytes(self._signable().header)

    @property
    def message_hash(self) -> bytes:
        """``hashStruct(SafeTx)``."""
        return bytes(self._signable().body)

    @property
    def safe_tx_hash(self) -> bytes:
        """``getTransactionHash(...)``: what every owner signs."""
        signable = self._signable()
        return bytes(keccak(b"\x19" + signable.version + signable.header + signable.body))

    # ---- signatures ------------------------------------------------------------------

    def recover_owner(self, signature: bytes) -> str:
        """The address whose key made the 65-byte ``r || s || v`` ``signature`` (v 27/28)."""
        if not isinstance(signature, bytes) or len(signature) != 65:
            raise SignatureRefused("a Safe owner signature is 65 bytes r || s || v")
        if signature[64] not in (27, 28):
            raise SignatureRefused(
                f"v is {signature[64]}: only 27/28 (an EIP-712 signature) are accepted"
            )
        try:
            return str(Account.recover_message(self._signable(), signature=signature))
        except Exception as exc:  # eth-keys' BadSignature / ValidationError
            raise SignatureRefused(f"signature does not recover: {exc}") from exc

    def exec_transaction(
        self, signatures: Mapping[str, bytes], owners: Iterable[str], threshold: int
    ) -> dict[str, Any]:
        """The ``execTransaction`` call: every field, sorted signatures, ABI calldata."""
        owner_set = {checksum_address(o, "owner") for o in owners}
        checked: dict[str, bytes] = {}
        for claimed, signature in signatures.items():
            owner = checksum_address(claimed, "owner")
            if owner not in owner_set:
                raise SignatureRefused(f"{owner} is not an owner of Safe {self.safe}")
            if self.recover_owner(signature) != owner:
                raise SignatureRefused(f"the signature claimed for {owner} is not its owner's")
            checked[owner] = signature
        if len(checked) < threshold:
            raise SignatureRefused(
                f"{len(checked)} distinct owner signature(s); the Safe needs {threshold}"
            )
        ordered = sorted(checked, key=lambda address: int(address, 16))
        packed = b"".join(checked[o] for o in ordered)
        args = [
            self.to,
            self.value,
            self.data,
            self.operation,
            self.safe_tx_gas,
            self.base_gas,
            self.gas_price,
            self.gas_token,
            self.refund_receiver,
            packed,
        ]
        selector = bytes(keccak(text=EXEC_TRANSACTION_SIGNATURE))[:4]
        calldata = selector + bytes(abi_encode(EXEC_TRANSACTION_TYPES, args))
        return {
            "function": EXEC_TRANSACTION_SIGNATURE,
            "chain_id": self.chain_id,
            "safe": self.safe,
            "safe_version": SAFE_VERSION,
            "to": self.to,
            "value": str(self.value),
            "data": "0x" + self.data.hex(),
            "operation": self.operation,
            "safeTxGas": str(self.safe_tx_gas),
            "baseGas": str(self.base_gas),
            "gasPrice": str(self.gas_price),
            "gasToken": self.gas_token,
            "refundReceiver": self.refund_receiver,
            "nonce": str(self.nonce),
            "safe_tx_hash": "0x" + self.safe_tx_hash.hex(),
            "signers": ordered,
            "signatures": "0x" + packed.hex(),
            "calldata": "0x" + calldata.hex(),
        }

    # ---- storage form ----------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe form (integers as decimal strings)."""
        return {
            "chain_id": self.chain_id,
            "safe": self.safe,
            "to": self.to,
            "value": str(self.value),
            "data": "0x" + self.data.hex(),
            "operation": self.operation,
            "safe_tx_gas": str(self.safe_tx_gas),
            "base_gas": str(self.base_gas),
            "gas_price": str(self.gas_price),
            "gas_token": self.gas_token,
            "refund_receiver": self.refund_receiver,
            "nonce": str(self.nonce),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SafeTx:
        try:
            raw = str(data["data"])
            return cls(
                chain_id=int(data["chain_id"]),
                safe=str(data["safe"]),
                to=str(data["to"]),
                value=int(str(data["value"])),
                data=bytes.fromhex(raw[2:] if raw.startswith("0x") else raw),
                operation=int(data["operation"]),
                safe_tx_gas=int(str(data["safe_tx_gas"])),
                base_gas=int(str(data["base_gas"])),
                gas_price=int(str(data["gas_price"])),
                gas_token=str(data["gas_token"]),
                refund_receiver=str(data["refund_receiver"]),
                nonce=int(str(data["nonce"])),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, SafeTxError):
                raise
            raise SafeTxError(f"malformed SafeTx record: {exc}") from exc


def unfreeze_safe_tx(
    *, chain_id: int, safe: str, token: str, recipient: str, units: int, nonce: int
) -> SafeTx:
    """The SafeTx that moves ``units`` of ``token`` from ``safe`` to ``recipient``."""
    if checksum_address(recipient, "release address") == checksum_address(safe, "safe"):
        raise SafeTxError("the release address is the Safe itself")
    return SafeTx(
        chain_id=chain_id,
        safe=safe,
        to=checksum_address(token, "token"),
        value=0,
        data=erc20_transfer_data(recipient, units),
        nonce=nonce,
    )
