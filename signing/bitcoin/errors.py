"""Typed refusals of the Bitcoin layer (all ``InvalidInput``: bad data, never a device fault)."""

from __future__ import annotations

from signing.errors import InvalidInput


class BitcoinError(InvalidInput):
    """Base of the vault, UTXO and PSBT refusals."""

    user_message = "Bitcoin data refused"


class KeyOriginError(BitcoinError):
    user_message = "Multisig account key refused"


class DescriptorError(BitcoinError):
    user_message = "Vault descriptor refused"


class UtxoError(BitcoinError):
    user_message = "Vault UTXO refused"


class NotInVault(UtxoError):
    user_message = "The coin does not pay this vault"


class PsbtError(BitcoinError):
    user_message = "PSBT refused"
