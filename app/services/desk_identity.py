"""Who this desk is in signed documents: custodian id, exchange id, environment.

Kept in the store's settings (``desk.custodian_id``, ``desk.exchange_id``,
``desk.environment``); the defaults suit the demo and the test emulator.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.store.interface import Store, Transaction

DEFAULT_CUSTODIAN_ID = "CUST-DEMO"
DEFAULT_EXCHANGE_ID = "EXCH-DEMO"
DEFAULT_ENV = "test"


@dataclass(frozen=True)
class DeskIdentity:
    custodian_id: str
    exchange_id: str
    env: str


def desk_identity(store: Store) -> DeskIdentity:
    """The desk's identity from its settings (defaults when unset)."""
    with store.read() as tx:
        return desk_identity_in(tx)


def desk_identity_in(tx: Transaction) -> DeskIdentity:
    """As :func:`desk_identity`, inside a transaction the caller already holds."""
    settings = tx.settings
    return DeskIdentity(
        custodian_id=settings.get("desk.custodian_id") or DEFAULT_CUSTODIAN_ID,
        exchange_id=settings.get("desk.exchange_id") or DEFAULT_EXCHANGE_ID,
        env=settings.get("desk.environment") or DEFAULT_ENV,
    )
