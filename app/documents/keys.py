"""The keys file: the trust root every document is verified against.

One JSON document (canonical encoding, ``docs/documents.md``) listing each
party's public keys::

    {"document": "custody-desk/keys", "version": 1, "env": "test",
     "keys": [{"key_id": "k-…", "party": "custodian", "role": "officer",
               "name": "alice", "pubkey": "02…", "address": "1…",
               "valid_from": "2026-01-01T00:00:00Z", "valid_until": null,
               "revoked": false, "is_emulator": true,
               "fingerprint": "73c5da0a", "path": "m/44'/0'/0'/0/0"}]}

A revoked key's signatures never count, whatever their date. An emulator key
is refused when a document is verified for ``env=prod``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from app.documents.canonical import decode, encode, field, parse_utc, utc
from app.documents.errors import DocumentError, Reason
from app.documents.testseed_keys import why_test_key
from app.domain.parties import Party as Party  # noqa: PLC0414 (explicit re-export)

KEYS_DOCUMENT = "custody-desk/keys"
KEYS_VERSION = 1

_PUBKEY_RE = re.compile(r"0[23][0-9a-f]{64}")


class Role(StrEnum):
    """What a key may sign for its party."""

    OFFICER = "officer"  # a custody officer: attestations, top-ups, liquidations, reports
    EMERGENCY = "emergency"  # a party's share of the 2-of-3 unfreeze channel
    EXCHANGE = "exchange"  # the exchange's document key: margin calls, notices


def key_id_for(pubkey: bytes) -> str:
    """Stable short id of a public key: ``k-`` + the first 16 hex of SHA-256(pubkey)."""
    return "k-" + hashlib.sha256(pubkey).hexdigest()[:16]


@dataclass(frozen=True)
class KeyEntry:
    """One public key a party vouches for."""

    key_id: str
    party: Party
    role: Role
    name: str
    pubkey: bytes
    address: str
    valid_from: datetime
    valid_until: datetime | None
    revoked: bool
    is_emulator: bool
    fingerprint: str = ""
    path: str = ""

    def test_key_reason(self) -> str | None:
        """Why this key is test material (emulator flag, test-seed device or key), or None."""
        return why_test_key(self.pubkey, self.fingerprint, self.is_emulator)

    def to_json(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "party": self.party.value,
            "role": self.role.value,
            "name": self.name,
            "pubkey": self.pubkey.hex(),
            "address": self.address,
            "valid_from": utc(self.valid_from),
            "valid_until": utc(self.valid_until) if self.valid_until else None,
            "revoked": self.revoked,
            "is_emulator": self.is_emulator,
            "fingerprint": self.fingerprint,
            "path": self.path,
        }

    @classmethod
    def from_json(cls, obj: object, where: str) -> KeyEntry:
        pubkey_hex = field(obj, "pubkey", str, where)
        if not _PUBKEY_RE.fullmatch(pubkey_hex):
            raise DocumentError(Reason.MALFORMED, f"{where}.pubkey: not a compressed key in hex")
        pubkey = bytes.fromhex(pubkey_hex)
        key_id = field(obj, "key_id", str, where)
        if key_id != key_id_for(pubkey):
            raise DocumentError(Reason.MALFORMED, f"{where}.key_id does not match its pubkey")
        try:
            party = Party(field(obj, "party", str, where))
            role = Role(field(obj, "role", str, where))
        except ValueError as exc:
            raise DocumentError(Reason.MALFORMED, f"{where}: unknown party or role") from exc
        assert isinstance(obj, dict)
        until = obj.get("valid_until")
        return cls(
            key_id=key_id,
            party=party,
            role=role,
            name=field(obj, "name", str, where),
            pubkey=pubkey,
            address=field(obj, "address", str, where),
            valid_from=parse_utc(field(obj, "valid_from", str, where), f"{where}.valid_from"),
            valid_until=None if until is None else parse_utc(until, f"{where}.valid_until"),
            revoked=field(obj, "revoked", bool, where),
            is_emulator=field(obj, "is_emulator", bool, where),
            fingerprint=str(obj.get("fingerprint", "")),
            path=str(obj.get("path", "")),
        )


@dataclass(frozen=True)
class KeysFile:
    """The parsed trust root."""

    env: str
    entries: tuple[KeyEntry, ...]

    def __iter__(self) -> Iterator[KeyEntry]:
        return iter(self.entries)

    def get(self, key_id: str) -> KeyEntry | None:
        for entry in self.entries:
            if entry.key_id == key_id:
                return entry
        return None

    def by_party(self, party: Party) -> tuple[KeyEntry, ...]:
        return tuple(e for e in self.entries if e.party is party)

    def usable(
        self,
        key_id: str,
        *,
        at: datetime,
        env: str,
        party: Party | None = None,
        roles: Iterable[Role] | None = None,
    ) -> KeyEntry:
        """The entry for ``key_id`` if it may sign at ``at`` in ``env``; else a typed error."""
        entry = self.get(key_id)
        if entry is None:
            raise DocumentError(Reason.UNKNOWN_KEY, f"key {key_id} is not in the keys file")
        if entry.revoked:
            raise DocumentError(Reason.REVOKED_KEY, f"key {key_id} ({entry.name}) is revoked")
        if env == "prod" and entry.test_key_reason() is not None:
            raise DocumentError(
                Reason.EMULATOR_KEY,
                f"key {key_id} ({entry.name}) is a test emulator key: {entry.test_key_reason()}",
            )
        if at < entry.valid_from or (entry.valid_until is not None and at > entry.valid_until):
            raise DocumentError(
                Reason.KEY_NOT_VALID, f"key {key_id} ({entry.name}) is not valid at {utc(at)}"
            )
        if party is not None and entry.party is not party:
            raise DocumentError(
                Reason.KEY_NOT_VALID, f"key {key_id} belongs to {entry.party}, not {party}"
            )
        if roles is not None and entry.role not in set(roles):
            raise DocumentError(
                Reason.KEY_NOT_VALID, f"key {key_id} has role {entry.role}, not allowed here"
            )
        return entry

    def with_entry(self, entry: KeyEntry) -> KeysFile:
        """A copy with ``entry`` added (or replacing the entry of the same key id)."""
        kept = tuple(e for e in self.entries if e.key_id != entry.key_id)
        return replace(self, entries=(*kept, entry))

    def to_json(self) -> dict[str, Any]:
        return {
            "document": KEYS_DOCUMENT,
            "version": KEYS_VERSION,
            "env": self.env,
            "keys": [e.to_json() for e in sorted(self.entries, key=lambda e: e.key_id)],
        }

    def to_bytes(self) -> bytes:
        return encode(self.to_json()) + b"\n"


def parse_keys(data: bytes) -> KeysFile:
    """Parse and check a keys file (strict canonical-JSON rules, no duplicate key ids)."""
    obj = decode(data)
    if field(obj, "document", str) != KEYS_DOCUMENT:
        raise DocumentError(Reason.MALFORMED, "not a custody-desk keys file")
    if field(obj, "version", int) != KEYS_VERSION:
        raise DocumentError(Reason.UNSUPPORTED_VERSION, "unsupported keys file version")
    env = field(obj, "env", str)
    if env not in ("prod", "test"):
        raise DocumentError(Reason.MALFORMED, "$.env must be prod or test")
    raw = field(obj, "keys", list)
    entries = tuple(KeyEntry.from_json(item, f"$.keys[{i}]") for i, item in enumerate(raw))
    if len({e.key_id for e in entries}) != len(entries):
        raise DocumentError(Reason.DUPLICATE_KEY, "a key id appears twice in the keys file")
    if env == "prod":  # a production trust root never lists test material
        for entry in entries:
            reason = entry.test_key_reason()
            if reason is not None:
                raise DocumentError(
                    Reason.EMULATOR_KEY,
                    f"production keys file lists test key {entry.key_id} ({entry.name}): {reason}",
                )
    return KeysFile(env=env, entries=entries)
