"""Plain, immutable rows the repositories read and write.

They carry no database types, so a PostgreSQL backend returns exactly the same
objects as the SQLite one. Amounts are ``Decimal``, times are UTC-aware.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from app.domain.snapshot import Position


@dataclass(frozen=True, slots=True)
class NewSnapshot:
    """A snapshot about to be stored (the import's idempotency key is ``content_sha256``)."""

    content_sha256: str
    as_of: datetime
    source_name: str
    raw_json: str
    prices: dict[str, Decimal]
    clients: tuple[NewClientState, ...]


@dataclass(frozen=True, slots=True)
class NewClientState:
    """One client's record and positions inside a snapshot."""

    client_id: str
    name: str
    net_assets_usd: Decimal
    dubai_entity: bool
    soc2_type2: bool
    exposure_usd: Decimal
    positions: tuple[StoredPosition, ...]  # in snapshot order
    liquidation_order: tuple[str, ...] = ()
    extra_json: str = "{}"  # fields the desk does not model yet, kept verbatim


@dataclass(frozen=True, slots=True)
class SnapshotRecord:
    """A stored snapshot import."""

    id: int
    content_sha256: str
    as_of: datetime
    imported_at: datetime
    imported_by: str
    source_name: str
    client_count: int


# A stored position is the domain's own Position (asset, quantity, locked_quantity):
# the holdings read hands the very same tuples on to the client records instead of
# copying 250,000 of them on every load (docs/performance.md).
StoredPosition = Position


class StoredClientState(NamedTuple):
    """A client's record as of one snapshot, with its positions.

    Immutable like every record here; a named tuple because the holdings read
    builds one per client (100,000 on the benchmark desk) and a frozen dataclass's
    ``__init__`` costs about six times as much (docs/performance.md).
    """

    snapshot_id: int
    as_of: datetime
    client_id: str
    name: str
    net_assets_usd: Decimal
    dubai_entity: bool
    soc2_type2: bool
    exposure_usd: Decimal
    positions: tuple[StoredPosition, ...]
    liquidation_order: tuple[str, ...] = ()
    extra_json: str = "{}"


@dataclass(frozen=True, slots=True)
class StoredPrice:
    asset: str
    price_usd: Decimal
    as_of: datetime
    snapshot_id: int


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One audit-log entry exactly as stored (hashes as lowercase hex)."""

    seq: int
    time: datetime
    actor: str
    action: str
    payload: str  # canonical JSON text, hashed byte for byte
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True, slots=True)
class AuditHead:
    """The log's tip, updated in the same transaction as every append.

    ``frontier`` is the compact RFC 6962 range (the roots of the perfect subtrees,
    left to right, as hex) so the tree root after an append costs O(log n).
    """

    size: int
    last_hash: str
    frontier: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class CheckpointRow:
    """A stored audit checkpoint: the RFC 6962 root of the first ``tree_size`` entries."""

    id: int
    tree_size: int
    root_hash: str
    created_at: datetime
    statement: str | None = None  # text that was signed, exactly
    signature: str | None = None
    signer: str | None = None
