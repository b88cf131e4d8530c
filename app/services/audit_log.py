"""Appending to the audit log inside the caller's transaction.

:func:`append_entry` is what every state-changing use case calls (through
:class:`app.services.unit_of_work.UnitOfWork.audit`): it reads the log's head,
hashes the new entry onto the chain, extends the RFC 6962 tree's compact frontier
and, every ``checkpoint_every`` entries, stores a checkpoint — all in the same
transaction as the state change, so the change and its audit record commit or
vanish together.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from app.domain.rfc6962 import EMPTY_ROOT, leaf_hash, node_hash
from app.services.audit_chain_adapter import FIRST_SEQ, leaf_data, make_next_entry
from app.store.errors import StoreError
from app.store.interface import Transaction
from app.store.records import AuditHead, AuditRow

#: A checkpoint is stored automatically each time the log reaches a multiple of this.
DEFAULT_CHECKPOINT_EVERY = 256


class AuditLogDamaged(StoreError):
    """The log's tip and head disagree; nothing more is appended until it is looked at."""


def extend_frontier(size: int, frontier: Sequence[bytes], leaf: bytes) -> list[bytes]:
    """The compact range after appending ``leaf`` (a leaf hash) to a tree of ``size``.

    The frontier holds the roots of the perfect subtrees that make up the tree, left
    to right; their sizes are the set bits of ``size``, largest first.
    """
    stack = list(frontier)
    stack.append(leaf)
    # Merge while the new subtree equals its left neighbour in size: one merge per
    # trailing 1-bit of the old size.
    merged_size = size
    while merged_size & 1:
        right = stack.pop()
        left = stack.pop()
        stack.append(node_hash(left, right))
        merged_size >>= 1
    return stack


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """RFC 6962 root of the tree whose compact range is ``frontier``."""
    if not frontier:
        return EMPTY_ROOT
    acc = frontier[-1]
    for subtree in reversed(frontier[:-1]):
        acc = node_hash(subtree, acc)
    return acc


def head_root(head: AuditHead | None) -> bytes:
    """The tree root recorded by the log's head."""
    if head is None:
        return EMPTY_ROOT
    return frontier_root([bytes.fromhex(item) for item in head.frontier])


def append_entry(
    tx: Transaction,
    *,
    actor: str,
    action: str,
    payload: Mapping[str, Any],
    at: datetime,
    checkpoint_every: int = DEFAULT_CHECKPOINT_EVERY,
) -> AuditRow:
    """Append one audited action in ``tx``; returns the stored entry."""
    head = tx.audit.head()
    size = 0 if head is None else head.size
    frontier = [] if head is None else [bytes.fromhex(item) for item in head.frontier]
    previous = tx.audit.last()
    # Extend only a log whose tip is the one the head recorded: appending to a
    # tampered log would bury the evidence under fresh, valid-looking entries.
    if (previous is None) != (head is None) or (
        previous is not None
        and head is not None
        and (previous.entry_hash != head.last_hash or previous.seq != FIRST_SEQ + size - 1)
    ):
        raise AuditLogDamaged(
            "the audit log's last entry does not match its head; run `custody-desk audit verify`"
        )
    row = make_next_entry(previous, time=at, actor=actor, action=action, payload=payload)
    new_frontier = extend_frontier(size, frontier, leaf_hash(leaf_data(row)))
    new_head = AuditHead(
        size=size + 1,
        last_hash=row.entry_hash,
        frontier=tuple(item.hex() for item in new_frontier),
    )
    tx.audit.append(row, new_head)
    if checkpoint_every > 0 and new_head.size % checkpoint_every == 0:
        tx.audit.add_checkpoint(new_head.size, frontier_root(new_frontier).hex(), at)
    return row


def entry_payload(entry: AuditRow) -> dict[str, Any]:
    """An entry's payload as a dict (an unreadable or non-object one is empty)."""
    try:
        value = json.loads(entry.payload)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
