"""Append-only audit log model: a hash chain plus an RFC 6962 tree with checkpoints.

Entry format (the store persists it as is; hashes are lowercase hex)::

    entry_hash = SHA-256(utf8(JSON({"action", "actor", "payload", "prev_hash",
                                    "seq", "time"})))

with the JSON canonical: keys sorted, separators ``,`` and ``:``, no ASCII
escaping, ``time`` as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC), ``payload`` the
action's details as canonical JSON *text* (no floats: amounts are decimal
strings), ``seq`` counting from 1 and the first ``prev_hash`` 64 zeros.

The tree's leaf for an entry is its 32-byte ``entry_hash`` (leaf hash
``SHA-256(0x00 || entry_hash)``). A :class:`Checkpoint` (size, root, time) is
signed as a ``CDESK-CHECKPOINT/1`` statement; a later log proves it kept the
checkpointed prefix with an RFC 6962 consistency proof.

What verification detects: an edited entry (its hash no longer recomputes or
the next link breaks), a deleted, inserted or reordered entry (sequence and
``prev_hash`` links), a truncated log (only against a checkpoint or a known
size: a chain alone cannot know it lost its tail), a rewritten prefix (the
checkpoint's root no longer follows). Pure functions over entry sequences.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from app.domain import rfc6962
from app.domain.rfc6962 import InvalidProofError, MerkleTree
from app.domain.statement import CheckpointStatement, Environment, StatementError

log = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
FIRST_SEQ = 1
DEFAULT_CHECKPOINT_VALIDITY = timedelta(hours=24)


class AuditChainError(ValueError):
    """The log does not verify; ``seq`` is the first entry concerned (None: the log as a whole)."""

    def __init__(self, problem: str, seq: int | None, detail: str) -> None:
        super().__init__(f"{problem} at seq {seq}: {detail}" if seq is not None
                         else f"{problem}: {detail}")
        self.problem = problem
        self.seq = seq
        self.detail = detail


class EntryLike(Protocol):
    """Anything with an entry's fields (the store's ``AuditRow`` qualifies)."""

    @property
    def seq(self) -> int: ...
    @property
    def time(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def payload(self) -> str: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def entry_hash(self) -> str: ...


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the log."""

    seq: int
    time: datetime
    actor: str
    action: str
    payload: str
    prev_hash: str
    entry_hash: str


def canonical_payload(payload: Mapping[str, Any]) -> str:
    """Canonical JSON text of an action's details; floats (and NaN) are refused."""
    _refuse_floats(payload, "payload")
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def _refuse_floats(value: object, where: str) -> None:
    if isinstance(value, float):
        raise TypeError(f"{where}: floats are not allowed in audit payloads (use a decimal "
                        f"string{'' if math.isfinite(value) else '; NaN/inf never'})")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: keys must be strings")
            _refuse_floats(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _refuse_floats(item, f"{where}[{index}]")


def format_time(moment: datetime) -> str:
    """UTC time as hashed: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``; naive times are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("audit times must be timezone-aware (UTC)")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_entry_hash(
    *, seq: int, time: datetime, actor: str, action: str, payload: str, prev_hash: str
) -> str:
    """The entry's hash (hex) over the canonical JSON of its fields."""
    body = {"action": action, "actor": actor, "payload": payload, "prev_hash": prev_hash,
            "seq": seq, "time": format_time(time)}
    encoded = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def next_entry(
    previous: EntryLike | None,
    *,
    time: datetime,
    actor: str,
    action: str,
    payload: Mapping[str, Any],
) -> AuditEntry:
    """The entry that follows ``previous`` (None: the first entry of the log)."""
    if not actor.strip() or not action.strip():
        raise ValueError("an audit entry needs an actor and an action")
    seq = FIRST_SEQ if previous is None else previous.seq + 1
    prev_hash = GENESIS_HASH if previous is None else previous.entry_hash
    text = canonical_payload(payload)
    return AuditEntry(seq, time, actor, action, text, prev_hash, compute_entry_hash(
        seq=seq, time=time, actor=actor, action=action, payload=text, prev_hash=prev_hash))


def leaf_data(entry: EntryLike) -> bytes:
    """The bytes the RFC 6962 tree hashes as this entry's leaf (its 32-byte hash)."""
    return bytes.fromhex(entry.entry_hash)


def tree(entries: Sequence[EntryLike]) -> MerkleTree:
    """The RFC 6962 tree over the entries' hashes."""
    return MerkleTree.from_leaves([leaf_data(e) for e in entries])


@dataclass(frozen=True)
class Checkpoint:
    """The tree head after ``size`` entries, at time ``at``."""

    size: int
    root: bytes
    at: datetime

    def statement(
        self,
        *,
        custodian: str,
        exchange: str,
        env: Environment,
        valid_for: timedelta = DEFAULT_CHECKPOINT_VALIDITY,
    ) -> CheckpointStatement:
        """The signable statement; the time is floored to whole seconds."""
        at = self.at.astimezone(UTC).replace(microsecond=0)
        return CheckpointStatement(custodian=custodian, exchange=exchange, env=env,
                                   size=self.size, at=at, expires_at=at + valid_for,
                                   root=self.root)

    @classmethod
    def from_statement(cls, statement: CheckpointStatement) -> Checkpoint:
        return cls(statement.size, statement.root, statement.at)


def checkpoint(entries: Sequence[EntryLike], at: datetime) -> Checkpoint:
    """A checkpoint over all of ``entries``."""
    if not entries:
        raise ValueError("cannot checkpoint an empty log")
    return Checkpoint(len(entries), tree(entries).root, at)


@dataclass(frozen=True)
class ChainSummary:
    """What a verified log looks like: its size, tree root and last hash."""

    size: int
    root: bytes
    last_hash: str


def verify_chain(entries: Sequence[EntryLike]) -> ChainSummary:
    """Check every entry's hash, sequence and link.

    Raises :class:`AuditChainError` at the first fault.
    """
    prev_hash = GENESIS_HASH
    for position, e in enumerate(entries):
        expected_seq = FIRST_SEQ + position
        if e.seq != expected_seq:
            kind = "inserted or duplicated entry" if e.seq < expected_seq else "missing entry"
            if position and e.seq < entries[position - 1].seq:
                kind = "reordered entry"
            raise AuditChainError(kind, e.seq, f"expected seq {expected_seq}")
        if e.prev_hash != prev_hash:
            raise AuditChainError("broken link", e.seq,
                                  "prev_hash does not name the previous entry")
        try:
            recomputed = compute_entry_hash(seq=e.seq, time=e.time, actor=e.actor,
                                            action=e.action, payload=e.payload,
                                            prev_hash=e.prev_hash)
        except ValueError as exc:
            raise AuditChainError("malformed entry", e.seq, str(exc)) from None
        if recomputed != e.entry_hash:
            raise AuditChainError("edited entry", e.seq, "hash does not recompute")
        prev_hash = e.entry_hash
    return ChainSummary(len(entries), tree(entries).root if entries else rfc6962.EMPTY_ROOT,
                        prev_hash)


def verify_against_checkpoint(entries: Sequence[EntryLike], cp: Checkpoint) -> ChainSummary:
    """The chain verifies and still holds the checkpointed prefix unchanged.

    A log shorter than the checkpoint was truncated; a longer one must be
    consistent with it (RFC 6962 consistency proof from ``cp.size`` to now).
    """
    summary = verify_chain(entries)
    if summary.size < cp.size:
        raise AuditChainError("truncated log", None,
                              f"{summary.size} entries, checkpoint has {cp.size}")
    proof = tree(entries).consistency_proof(cp.size)
    try:
        rfc6962.verify_consistency(cp.size, summary.size, proof, cp.root, summary.root)
    except InvalidProofError as exc:
        raise AuditChainError(
            "rewritten history", None, f"first {cp.size} entries differ from the checkpoint: {exc}"
        ) from None
    return summary


def consistency_proof(entries: Sequence[EntryLike], old_size: int) -> list[bytes]:
    """Proof that the log of ``old_size`` entries is a prefix of ``entries``."""
    return tree(entries).consistency_proof(old_size)


def verify_extension(
    old: Checkpoint, new: Checkpoint, proof: Sequence[bytes]
) -> None:
    """An outside holder of two checkpoints checks the log only grew between them."""
    if new.size < old.size:
        raise AuditChainError("truncated log", None,
                              f"new checkpoint has {new.size} entries, old had {old.size}")
    try:
        rfc6962.verify_consistency(old.size, new.size, proof, old.root, new.root)
    except InvalidProofError as exc:
        raise AuditChainError("rewritten history", None, str(exc)) from None


def checkpoint_text(
    cp: Checkpoint, *, custodian: str, exchange: str, env: Environment
) -> str:
    """Rendered statement of ``cp`` (convenience for signing flows)."""
    try:
        return cp.statement(custodian=custodian, exchange=exchange, env=env).render()
    except StatementError as exc:
        raise ValueError(f"checkpoint cannot be stated: {exc}") from None
