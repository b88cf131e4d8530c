"""How an audit entry is hashed: the one place the services meet the chain format.

The format is owned by :mod:`app.domain.audit_chain` (``entry_hash`` = SHA-256 of
the canonical JSON of seq, time, actor, action, payload text and prev_hash; genesis
``prev_hash`` 64 zeros; the RFC 6962 leaf of an entry is its 32-byte hash). This
adapter turns the domain's entries into the store's :class:`AuditRow` so neither
side imports the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from app.domain.audit_chain import (
    FIRST_SEQ,
    GENESIS_HASH,
    canonical_payload,
    compute_entry_hash,
    leaf_data,
    next_entry,
)
from app.store.records import AuditRow

__all__ = [
    "FIRST_SEQ",
    "GENESIS_HASH",
    "canonical_payload",
    "compute_entry_hash",
    "leaf_data",
    "make_next_entry",
]


def make_next_entry(
    previous: AuditRow | None,
    *,
    time: datetime,
    actor: str,
    action: str,
    payload: Mapping[str, Any],
) -> AuditRow:
    """The hashed entry following ``previous`` (None: the log's first), as a store row."""
    entry = next_entry(previous, time=time, actor=actor, action=action, payload=payload)
    return AuditRow(
        seq=entry.seq,
        time=entry.time,
        actor=entry.actor,
        action=entry.action,
        payload=entry.payload,
        prev_hash=entry.prev_hash,
        entry_hash=entry.entry_hash,
    )
