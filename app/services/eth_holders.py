"""The parties' Safe owner addresses as key holders for the independence check.

Imported by ``app.services.independence`` so every registration (officer, party key,
Safe owner) sees them: an address or a device that is one party's Safe owner never
speaks for another party.
"""

from __future__ import annotations

from app.domain.parties import Party
from app.services.independence import HOLDER_SOURCES, KeyHolder
from app.store.repo_desk import SqliteDeskRepository
from app.store.repo_ethereum import EthereumRepository


def eth_owner_holders(repo: SqliteDeskRepository) -> list[KeyHolder]:
    """Every registered Safe owner (``repo`` is the desk repository of the transaction)."""
    owners = repo.repository(EthereumRepository).eth_owners()
    return [
        KeyHolder(Party(o.party), f"the {o.party} (Safe owner)", o.fingerprint, o.address)
        for o in owners
    ]


if eth_owner_holders not in HOLDER_SOURCES:
    HOLDER_SOURCES.append(eth_owner_holders)
