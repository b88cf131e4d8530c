"""How an audit entry is hashed: the one place the services meet the chain format.

The entry format is owned by the domain (``app.domain.audit_chain``); this module
adapts it to the store's :class:`~app.store.records.AuditRow`. Until that module
lands, the format here is: ``entry_hash = SHA-256(canonical JSON of {seq, time,
actor, action, payload, prev_hash})`` with the genesis ``prev_hash`` 64 zeros, and
the RFC 6962 leaf of an entry is its 32-byte ``entry_hash``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.store.records import AuditRow

GENESIS_HASH = "0" * 64


def canonical_payload(payload: Mapping[str, Any]) -> str:
    """Canonical JSON text of an action's details (sorted keys, no whitespace, no floats)."""
    _refuse_floats(payload, "payload")
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _refuse_floats(value: object, where: str) -> None:
    if isinstance(value, float):
        raise TypeError(f"{where}: floats are not allowed in audit payloads")
    if isinstance(value, Mapping):
        for key, item in value.items():
            _refuse_floats(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _refuse_floats(item, f"{where}[{index}]")


def format_time(moment: datetime) -> str:
    """UTC time as hashed: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_entry_hash(
    *, seq: int, time: datetime, actor: str, action: str, payload: str, prev_hash: str
) -> str:
    """The entry's hash, hex."""
    body = {
        "action": action,
        "actor": actor,
        "payload": payload,
        "prev_hash": prev_hash,
        "seq": seq,
        "time": format_time(time),
    }
    encoded = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def make_entry(
    *, seq: int, time: datetime, actor: str, action: str, payload: str, prev_hash: str
) -> AuditRow:
    """A new, hashed entry."""
    return AuditRow(
        seq=seq,
        time=time,
        actor=actor,
        action=action,
        payload=payload,
        prev_hash=prev_hash,
        entry_hash=compute_entry_hash(
            seq=seq, time=time, actor=actor, action=action, payload=payload, prev_hash=prev_hash
        ),
    )


def leaf_data(row: AuditRow) -> bytes:
    """The bytes the RFC 6962 tree hashes as this entry's leaf."""
    return bytes.fromhex(row.entry_hash)
