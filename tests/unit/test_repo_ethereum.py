"""The Ethereum records read back exactly what was written, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.domain.parties import Party
from app.services.independence import KeyClaim, NotIndependent, known_holders, refuse_dependent
from app.services.officers import desk_repo
from app.store.errors import ConstraintViolation
from app.store.pg_store import PgStore
from app.store.repo_ethereum import (
    EthereumRepository,
    EthOwnerRecord,
    SafeSignatureRecord,
    SafeTokenRecord,
    VaultSafeRecord,
)
from app.store.sqlite_store import SqliteStore

AT = datetime(2026, 12, 3, 7, 30, 1, 250000, tzinfo=UTC)
SAFE = "0x1f15DE4d124b711f349FE2DD1B5fE0511262156d"
TOKEN = "0x51a240271AB8AB9f9a21C82d9a85396b704E164d"
RELEASE = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4"
OWNER = "0x73d0385F4d8E00C5e6504C6030F47BF6212736A8"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        opened: Any = SqliteStore(tmp_path / "desk.sqlite3")
    else:
        opened = PgStore(request.getfixturevalue("pg_desk_url"))
    yield opened
    opened.close()


def test_owners_safes_and_signatures_round_trip(store: Any) -> None:
    safe = VaultSafeRecord(
        "alnoor-quant",
        11155111,
        SAFE,
        RELEASE,
        3,
        True,
        AT,
        (SafeTokenRecord("BENJI", TOKEN, 18), SafeTokenRecord("USDC", RELEASE, 6)),
    )
    owner = EthOwnerRecord(
        "regulator", OWNER, "trezor:udp:127.0.0.1:1", "m/44'/60'/0'/0/0", "5c9e228d", AT
    )
    signature = SafeSignatureRecord(
        "uo-1", "ab" * 32, OWNER, "regulator", b"\x01" * 64 + b"\x1b", True, AT
    )
    with store.transaction() as tx:
        repo = tx.repository(EthereumRepository)
        repo.put_eth_owner(owner)
        repo.put_safe(safe)
        assert repo.add_safe_signature(signature)
        assert not repo.add_safe_signature(signature)  # one per owner per order
        repo.advance_nonce("alnoor-quant", 3)
    with store.read() as tx:
        repo = tx.repository(EthereumRepository)
        assert repo.eth_owners() == [owner]
        back = repo.safe("alnoor-quant")
        assert back is not None and back.next_nonce == 4
        assert back.tokens == safe.tokens and back.updated_at == AT
        assert repo.safe_signatures("uo-1") == [signature]
        assert repo.safe("nobody") is None


def test_an_address_is_one_partys_owner(store: Any) -> None:
    with pytest.raises(ConstraintViolation), store.transaction() as tx:
        repo = tx.repository(EthereumRepository)
        repo.put_eth_owner(EthOwnerRecord("regulator", OWNER, "", "", "", AT))
        repo.put_eth_owner(EthOwnerRecord("exchange", OWNER, "", "", "", AT))
    with store.read() as tx:
        assert tx.repository(EthereumRepository).eth_owners() == []  # nothing stored


def test_safe_owners_are_key_holders_through_the_desk_repository(store: Any) -> None:
    """The independence check reads Safe owners through a repository method on the
    transaction (not the desk repository's connection), on both backends."""
    with store.transaction() as tx:
        tx.repository(EthereumRepository).put_eth_owner(
            EthOwnerRecord("regulator", OWNER, "", "m/44'/60'/0'/0/0", "5c9e228d", AT)
        )
    with store.read() as tx:
        repo = desk_repo(tx)
        assert repo.repository(EthereumRepository).eth_owners()[0].address == OWNER
        holders = known_holders(repo)
        assert [(h.party, h.fingerprint) for h in holders if h.fingerprint == "5c9e228d"] == [
            (Party.REGULATOR, "5c9e228d")
        ]
        # the regulator's owner address cannot speak for the exchange
        with pytest.raises(NotIndependent, match="Safe owner"):
            refuse_dependent(KeyClaim(Party.EXCHANGE, "", OWNER.lower()), holders)
        refuse_dependent(KeyClaim(Party.REGULATOR, "", OWNER), holders)  # its own: fine
