"""Stored business data bound to the audit chain.

The audit chain proves its own entries were not edited; this module extends
that proof to the rows the entries describe. When a use case writes business
rows, its audit entry carries their content hashes (``payload["bound"]``);
``audit verify`` recomputes every hash from the tables and reports an edited,
deleted or inserted row by table and row.

Three kinds of binding:

* **Snapshots** (tables ``snapshots``, ``client_states``, ``positions``,
  ``prices``): the ``snapshot.import`` entry already records the snapshot's
  ``content_sha256``, the SHA-256 of its canonical JSON. Verification rebuilds
  that canonical JSON from the four tables and compares; on a difference it
  compares the tables with the stored source (``snapshots.raw_json``, when that
  still hashes to the audited value) to name the first edited row and column.
* **Row groups** (:data:`BINDERS`): every other business table — emergency
  orders, their release, shares, PSBTs and SafeTx signatures; attestations, their
  signatures and client rows; margin calls as received, signed liquidation
  instructions, reconciliations; the exchange inbox and outbox (with the signed
  receipt); officers, party keys, multisig keys and Safe owners; the vault's
  coins and Safes; the exchange-link and chain-node settings and the exchange
  feed cursor (:data:`BOUND_SETTINGS`); and the tables no desk use case writes
  (redemptions, yield accruals, attestation co-signatures).
  ``bound`` maps binder name -> group -> row key -> SHA-256 of the row's bound
  columns (canonical JSON). The latest entry binding a group wins, so a state
  change (a replaced share, a spent coin, a delivered message) is re-bound by its
  own audited entry. Workflow state (the status of attestations, orders, margin
  calls and instructions) is noted by the repository setter that writes it
  (``app.store.rebind``) and re-bound by the use case's unit of work, so no caller
  can forget it. Not bound: the officer ``active`` flag and a key's
  ``revoked_at``, which ``app.services.audit_state`` checks against the trail's
  revocations, and ``client_states.extra_json`` (kept in ``snapshots.raw_json``).
* **Derived rows**: ``clients`` (identity rows) are recomputed from the bound
  snapshot tables; each ``revoked_keys`` row needs a ``key.revoke`` entry.

Every row of a bound table must be bound by some entry; there is no "not
checked" state. Rows a desk wrote before the binding existed were bound, as
found, by the schema v10 upgrade's ``data.adopt_unbound`` entry
(:func:`adopt_unbound`; v11 to v14 run it again for the binders they add);
``audit verify`` names that entry in its result.
The table-by-table list, with what is deliberately not bound, is in
docs/store.md ("What `audit verify`'s data check binds").
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.documents.keys import key_id_for
from app.domain.assets import AssetCatalogue
from app.domain.snapshot import (
    ClientRecord,
    Position,
    Snapshot,
    SnapshotError,
    decode_json,
    snapshot_from_document,
    snapshot_sha256,
)
from app.store.codec import text_to_time, time_to_text
from app.store.records import AuditRow
from app.store.repo_binding import BindingRepository

logger = logging.getLogger(__name__)

BOUND = "bound"  # the audit payload key
#: The settings bound to the trail: the exchange link, its TLS files, the chain node.
#: Written only by audited use cases (``exchange-link``, Settings → Exchange link,
#: ``vault chain``); other settings are the administrator's (docs/store.md).
LINK_SETTINGS = frozenset({"exchange.link", "exchange.tls_ca", "exchange.tls_cert",
                           "exchange.tls_key", "chain.rpc_url"})
#: ... and the exchange feed's cursor (``pull`` audits each advance): a cursor moved
#: ahead would make the desk skip documents, margin calls among them.
BOUND_SETTINGS = LINK_SETTINGS | {"exchange.inbox_cursor"}
MAX_REPORTED = 3  # problems named in the one-line result


@dataclass(frozen=True)
class Binder:
    """Rows of ``table`` bound in groups (``group`` column), keyed by ``key`` columns.

    ``columns`` are ``(name, kind)``: kind ``t`` is a store time, ``d`` a
    decimal, anything else is compared as stored. Times and decimals are
    normalised, so both backends produce the same hash for the same value.
    """

    name: str
    table: str
    group: str
    key: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    only: frozenset[str] | None = None  # bind only these groups (None: every row)


def _cols(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((n.split(":")[0], n.split(":")[1] if ":" in n else "") for n in names)


BINDERS: dict[str, Binder] = {
    b.name: b
    for b in (
        Binder(
            "emergency_orders", "emergency_orders", "public_id", ("public_id",),
            _cols("public_id", "client_id", "assets_json", "reason", "statement", "created_by",
                  "created_at:t", "expires_at:t", "body_json"),
        ),
        Binder(
            "emergency_orders.release", "emergency_orders", "public_id", ("public_id",),
            _cols("public_id", "executed_at:t", "release_json"),
        ),
        Binder(
            "emergency_signatures", "emergency_signatures", "order_id", ("id",),
            _cols("id", "order_id", "party", "pubkey", "address", "signature", "imported_at:t"),
        ),
        Binder(
            "attestations", "attestations", "id", ("id",),
            _cols("id", "sequence", "environment", "custodian_id", "exchange_id", "snapshot_id",
                  "as_of:t", "created_at:t", "expires_at:t", "statement", "root_hash",
                  "client_count", "total_collateral_usd:d", "tree_json", "maker_officer_id"),
        ),
        Binder(
            "attestations.signature", "attestations", "id", ("id",),
            _cols("id", "checker_officer_id", "signature", "signer_address", "signed_at:t"),
        ),
        Binder(
            "margin_calls", "margin_calls", "external_id", ("external_id",),
            _cols("external_id", "client_id", "issued_at:t", "received_at:t", "deadline:t",
                  "shortfall_usd:d", "exposure_usd:d", "collateral_ratio:d", "document_json",
                  "notice", "sequence"),
        ),
        Binder(
            "liquidation_instructions", "liquidation_instructions", "public_id", ("public_id",),
            _cols("public_id", "margin_call_id", "lines_json", "statement", "officer_id",
                  "created_at:t", "signed_at:t", "document_json"),
        ),
        Binder(
            "reconciliations", "reconciliations", "id", ("id",),
            _cols("id", "run_at:t", "status", "break_count", "report_json", "created_by",
                  "slot", "ledger_sequence"),
        ),
        Binder(
            "reconciliations.signature", "reconciliations", "id", ("id",),
            _cols("id", "signature", "document_json"),
        ),
        Binder(
            "attestation_clients", "attestation_clients", "attestation_id",
            ("attestation_id", "client_id"),
            _cols("attestation_id", "client_id", "leaf_index", "collateral_value_usd:d",
                  "leaf_json", "proof_json"),
        ),
        # -- added with schema v10 (every remaining business table) -------------
        Binder(
            "attestations.maker_signature", "attestations", "id", ("id",),
            _cols("id", "maker_signature"),
        ),
        Binder(
            "liquidation_instructions.signature", "liquidation_instructions", "public_id",
            ("public_id",), _cols("public_id", "signature", "signer_address"),
        ),
        Binder(  # documents received from the exchange, exactly as received
            "inbox", "inbox", "document_id", ("id",),
            _cols("id", "kind", "sender", "document_id", "sequence", "received_at:t", "body"),
        ),
        Binder(  # messages to the exchange, their delivery state and the signed receipt
            "outbox", "outbox", "idempotency_key", ("id",),
            _cols("id", "idempotency_key", "kind", "destination", "payload", "status",
                  "attempts", "created_at:t", "next_attempt_at:t", "sent_at:t", "last_error",
                  "response"),
        ),
        Binder(  # ``active`` is checked against the trail's revocations (audit_state)
            "officers", "officers", "name", ("id",),
            _cols("id", "name", "role", "device_kind", "fingerprint", "derivation_path", "xpub",
                  "pubkey", "address", "is_emulator", "registered_at:t", "registered_by"),
        ),
        Binder(  # ``revoked_at`` is checked against the trail's revocations (audit_state)
            "party_keys", "party_keys", "pubkey", ("id",),
            _cols("id", "party", "role", "name", "pubkey", "address", "is_emulator",
                  "fingerprint", "path", "valid_from:t", "valid_until:t", "added_at:t"),
        ),
        Binder(
            "btc_multisig_keys", "btc_multisig_keys", "party", ("id",),
            _cols("id", "party", "fingerprint", "path", "xpub", "is_emulator", "added_at:t"),
        ),
        Binder(  # re-bound when an executed release spends them (spent_by)
            "vault_utxos", "vault_utxos", "client_id", ("id",),
            _cols("id", "client_id", "txid", "vout", "amount_sat", "address_index", "address",
                  "prevtx", "imported_at:t", "spent_by"),
        ),
        Binder(  # re-bound at each signature merged and when the raw transaction is made
            "emergency_psbts", "emergency_psbts", "order_id", ("order_id",),
            _cols("order_id", "psbt", "txid", "amount_sat", "fee_sat", "destination", "raw_tx",
                  "updated_at:t"),
        ),
        Binder(
            "eth_owners", "eth_owners", "party", ("party",),
            _cols("party", "address", "device_uri", "path", "fingerprint", "added_at:t"),
        ),
        Binder(  # re-bound when an executed SafeTx advances next_nonce
            "vault_safes", "vault_safes", "client_id", ("client_id",),
            _cols("client_id", "chain_id", "safe_address", "release_address", "next_nonce",
                  "checked_on_chain", "updated_at:t"),
        ),
        Binder(
            "vault_safe_tokens", "vault_safe_tokens", "client_id", ("client_id", "asset"),
            _cols("client_id", "asset", "token_address", "decimals"),
        ),
        Binder(
            "order_safe_signatures", "order_safe_signatures", "order_id", ("order_id", "owner"),
            _cols("order_id", "safe_tx_hash", "owner", "party", "signature", "shown_in_full",
                  "added_at:t"),
        ),
        # State re-bound at every change: the repository's setter notes it
        # (app.store.rebind) and the use case's unit of work binds it again.
        Binder(
            "attestations.state", "attestations", "id", ("id",),
            _cols("id", "status", "status_reason", "sent_at:t", "updated_at:t"),
        ),
        Binder(
            "emergency_orders.state", "emergency_orders", "id", ("public_id",),
            _cols("id", "public_id", "status", "updated_at:t"),
        ),
        Binder(
            "liquidation_instructions.state", "liquidation_instructions", "public_id",
            ("public_id",), _cols("public_id", "status", "updated_at:t"),
        ),
        Binder(
            "margin_calls.state", "margin_calls", "external_id", ("external_id",),
            _cols("external_id", "status", "history_json", "resolution",
                  "top_up_attestation_id", "collateral_value_usd:d", "liquidation_usd:d",
                  "liquidation_notice_id", "updated_at:t"),
        ),
        Binder(  # where the desk sends documents and what it trusts on the way
            "settings", "settings", "key", ("key",), _cols("key", "value", "updated_at:t"),
            only=BOUND_SETTINGS,
        ),
        # Tables no desk use case writes: a row in them was put there outside the
        # desk, unless it was adopted at the schema v10 upgrade (see adopt_unbound).
        Binder(
            "redemptions", "redemptions", "id", ("id",),
            _cols("id", "client_id", "asset", "quantity:d", "fiat_amount_usd:d", "status",
                  "locked_at:t", "settlement_due_at:t", "settled_at:t", "created_by",
                  "updated_at:t"),
        ),
        Binder(
            "yield_accruals", "yield_accruals", "id", ("id",),
            _cols("id", "client_id", "asset", "accrual_date", "quantity_basis:d", "amount:d",
                  "distributed_at:t", "created_at:t"),
        ),
        Binder(
            "attestation_signatures", "attestation_signatures", "attestation_id", ("id",),
            _cols("id", "attestation_id", "officer_id", "purpose", "address", "pubkey",
                  "signature", "signed_at:t"),
        ),
    )
}


def _normal(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "t":
        return time_to_text(text_to_time(str(value)))
    if kind == "d":
        return f"{Decimal(str(value)):f}"
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def _row_key(binder: Binder, row: Mapping[str, Any]) -> str:
    return ",".join(f"{k}={row[k]}" for k in binder.key)


def _row_hash(binder: Binder, row: Mapping[str, Any]) -> str:
    values = {name: _normal(row[name], kind) for name, kind in binder.columns}
    text = json.dumps([binder.name, values], sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _select(repo: BindingRepository, binder: Binder, group: object | None) -> list[dict[str, Any]]:
    names = [binder.group, *(n for n, _ in binder.columns if n != binder.group)]
    return repo.rows(binder.table, names, None if group is None else binder.group, group)


def bindings(tx: Any, *groups: tuple[str, object]) -> dict[str, dict[str, dict[str, str]]]:
    """The ``bound`` payload for ``(binder name, group value)`` pairs, as the rows are now.

    Call it after the rows are written, in the same transaction, and put the
    result in the audit payload under :data:`BOUND`. A group whose rows were
    all removed binds as empty (a deletion the trail knows about).
    """
    repo: BindingRepository = tx.repository(BindingRepository)
    result: dict[str, dict[str, dict[str, str]]] = {}
    for name, group in groups:
        binder = BINDERS[name]
        rows = _select(repo, binder, group)
        result.setdefault(name, {})[str(group)] = {
            _row_key(binder, row): _row_hash(binder, row) for row in rows
        }
    return result


def with_bindings(
    tx: Any, payload: Mapping[str, Any], *groups: tuple[str, object]
) -> dict[str, Any]:
    """``payload`` plus the ``bound`` hashes of ``groups`` (see :func:`bindings`)."""
    return {**payload, BOUND: bindings(tx, *groups)}


# ---------------------------------------------------------------- verification


@dataclass(frozen=True)
class BindingResult:
    """What the data check found: problems (each naming table and row) and counts."""

    problems: tuple[str, ...]
    checked_rows: int
    snapshots: int
    adopted: tuple[tuple[int, int], ...] = ()  # (audit seq, rows) of each adoption entry

    @property
    def ok(self) -> bool:
        return not self.problems

    def detail(self) -> str:
        if self.problems:
            more = len(self.problems) - MAX_REPORTED
            tail = f"; and {more} more" if more > 0 else ""
            return "; ".join(self.problems[:MAX_REPORTED]) + tail
        adopted = "".join(
            f"; {rows} rows written before content binding were adopted as found by audit "
            f"entry #{seq} (not proven unedited before it)" for seq, rows in self.adopted
        )
        return (
            f"{self.snapshots} snapshots and {self.checked_rows} bound rows recompute to the "
            f"hashes in the audit trail{adopted}"
        )


def _latest(entries: Iterable[AuditRow]) -> tuple[
    dict[str, dict[str, tuple[int, dict[str, str]]]],
    dict[int, tuple[int, str]],
    list[tuple[int, int]],
    set[str],
]:
    """Per binder and group the latest binding (seq, hashes); audited snapshots; adoptions;
    the key ids the trail revoked."""
    latest: dict[str, dict[str, tuple[int, dict[str, str]]]] = {}
    audited_snapshots: dict[int, tuple[int, str]] = {}
    adoptions: list[tuple[int, int]] = []
    revoked: set[str] = set()
    for entry in entries:
        try:
            payload = json.loads(entry.payload)
        except ValueError:
            continue  # the chain check reports an unreadable entry
        if not isinstance(payload, dict):
            continue
        if entry.action == "snapshot.import" and isinstance(payload.get("snapshot_id"), int):
            audited_snapshots[payload["snapshot_id"]] = (
                entry.seq, str(payload.get("content_sha256"))
            )
        if entry.action == ADOPT_ACTION:
            adoptions.append((entry.seq, int(payload.get("rows") or 0)))
        if entry.action == "key.revoke":
            revoked.add(str(payload.get("key_id")))
        bound = payload.get(BOUND)
        if isinstance(bound, dict):
            for name, groups in bound.items():
                if name in BINDERS and isinstance(groups, dict):
                    for group, rows in groups.items():
                        if isinstance(rows, dict):
                            latest.setdefault(name, {})[group] = (entry.seq, dict(rows))
    return latest, audited_snapshots, adoptions, revoked


def _current(repo: BindingRepository, binder: Binder) -> dict[str, dict[str, str]]:
    current: dict[str, dict[str, str]] = {}
    for row in _select(repo, binder, None):
        if binder.only is not None and str(row[binder.group]) not in binder.only:
            continue
        current.setdefault(str(row[binder.group]), {})[_row_key(binder, row)] = _row_hash(
            binder, row
        )
    return current


def verify_bindings(
    tx: Any, entries: Iterable[AuditRow], catalogue: AssetCatalogue | None = None
) -> BindingResult:
    """Recompute every bound hash from the tables (never raises on tampering).

    Every row of every bound table must be bound by an audit entry: a row no entry
    binds was inserted outside the desk (rows older than the binding were adopted
    by the schema v10 upgrade's ``data.adopt_unbound`` entry, :func:`adopt_unbound`).
    """
    latest, audited_snapshots, adoptions, revoked = _latest(entries)
    repo: BindingRepository = tx.repository(BindingRepository)
    problems: list[str] = []
    problems.extend(_snapshot_problems(repo, audited_snapshots, catalogue))
    problems.extend(_client_problems(repo))
    problems.extend(
        f"revoked_keys row (pubkey={r['pubkey'][:16]}…): no key.revoke entry in the trail "
        "revokes it (inserted outside the desk)"
        for r in repo.rows("revoked_keys", ("pubkey",))
        if _key_id(str(r["pubkey"])) not in revoked
    )
    checked = 0
    for name, binder in BINDERS.items():
        known = latest.get(name, {})
        current = _current(repo, binder)
        for group in sorted(set(current) | set(known)):
            rows = current.get(group, {})
            if group not in known:
                problems.extend(
                    f"{binder.table} row ({key}): not in the audit trail (inserted outside "
                    "the desk)" for key in rows
                )
                continue
            seq, expected = known[group]
            for key, digest in rows.items():
                if key not in expected:
                    problems.append(
                        f"{binder.table} row ({key}): not bound by audit entry #{seq} "
                        "(inserted outside the desk)"
                    )
                elif digest != expected[key]:
                    columns = ", ".join(n for n, _ in binder.columns)
                    problems.append(
                        f"{binder.table} row ({key}): edited since audit entry #{seq} "
                        f"(bound columns: {columns})"
                    )
                else:
                    checked += 1
            problems.extend(
                f"{binder.table} row ({key}): deleted (bound by audit entry #{seq})"
                for key in sorted(set(expected) - set(rows))
            )
    for problem in problems:
        logger.warning("bound data: %s", problem)
    return BindingResult(tuple(problems), checked, len(audited_snapshots), tuple(adoptions))


# ---------------------------------------------------------------- adoption

ADOPT_ACTION = "data.adopt_unbound"
ADOPT_ACTOR = "system:migration"


def adopt_unbound(tx: Any, now: datetime) -> AuditRow | None:
    """Bind, in one audit entry, every row no entry binds yet (the schema v10 upgrade).

    Rows a desk wrote before content binding existed carry no hash. The upgrade
    that introduces the binding of every business table runs this once, in its
    own migration transaction: it records the hashes of those rows *as found*,
    with their count per table, in a ``data.adopt_unbound`` entry by
    ``system:migration``. From then on an edit is reported like any other; what
    happened to those rows before the upgrade cannot be proven from the store
    (compare them with the documents sent out). A group some entry already binds
    is left alone, so an edit made before the upgrade to an already bound row
    still fails. Nothing is written for an empty store (a new desk).
    """
    from app.services.audit_log import append_entry

    entries = list(tx.audit.iter_all())
    latest, _, _, _ = _latest(entries)
    repo: BindingRepository = tx.repository(BindingRepository)
    bound: dict[str, dict[str, dict[str, str]]] = {}
    tables: dict[str, int] = {}
    for name, binder in BINDERS.items():
        known = latest.get(name, {})
        for group, rows in _current(repo, binder).items():
            if group in known or not rows:
                continue
            bound.setdefault(name, {})[group] = rows
            tables[binder.table] = tables.get(binder.table, 0) + len(rows)
    if not bound:
        return None
    payload = {
        "reason": "rows written before content binding (schema v10), adopted as found at "
                  "the upgrade; not proven unedited before this entry",
        "rows": sum(tables.values()),
        "tables": dict(sorted(tables.items())),
        BOUND: bound,
    }
    return append_entry(tx, actor=ADOPT_ACTOR, action=ADOPT_ACTION, payload=payload, at=now)


def _key_id(pubkey_hex: str) -> str:
    try:
        return key_id_for(bytes.fromhex(pubkey_hex))
    except ValueError:
        return ""


# ---------------------------------------------------------------- clients


def _client_problems(repo: BindingRepository) -> list[str]:
    """``clients`` rows are derived from the bound snapshot tables: recompute them.

    A client's identity row is written by the import that first holds it
    (``first_seen_snapshot_id``, ``created_at`` = that import's time) and its name
    follows the latest import holding it.
    """
    imported = {
        int(r["id"]): r["imported_at"] for r in repo.rows("snapshots", ("id", "imported_at"))
    }
    seen: dict[str, tuple[int, int, str]] = {}  # client -> (first, latest, latest name)
    for r in repo.rows("client_states", ("snapshot_id", "client_id", "name")):
        sid, cid = int(r["snapshot_id"]), str(r["client_id"])
        first, last, name = seen.get(cid, (sid, sid, str(r["name"])))
        if sid >= last:
            last, name = sid, str(r["name"])
        seen[cid] = (min(first, sid), last, name)
    problems: list[str] = []
    columns = ("id", "name", "first_seen_snapshot_id", "created_at")
    for row in repo.rows("clients", columns):
        cid = str(row["id"])
        where = f"clients row (id={cid})"
        if cid not in seen:
            problems.append(f"{where}: no imported snapshot holds this client (inserted "
                            "outside the desk)")
            continue
        first, _, name = seen[cid]
        if row["name"] != name:
            problems.append(f"{where}: name is {row['name']!r}, the latest imported snapshot "
                            f"has {name!r}")
        if int(row["first_seen_snapshot_id"]) != first:
            problems.append(f"{where}: first_seen_snapshot_id is {row['first_seen_snapshot_id']}"
                            f", the first snapshot holding it is {first}")
        elif first in imported and row["created_at"] != imported[first] and _normal(
            row["created_at"], "t"
        ) != _normal(imported[first], "t"):  # same text: same time (no parsing per row)
            problems.append(f"{where}: created_at differs from snapshot #{first}'s import time")
    return problems


# ---------------------------------------------------------------- snapshots

_STATE_COLUMNS = ("client_id", "name", "net_assets_usd", "dubai_entity", "soc2_type2",
                  "exposure_usd", "liquidation_order")
_POSITION_COLUMNS = ("client_id", "ordinal", "asset", "quantity", "locked_quantity")


def _snapshot_from_tables(
    repo: BindingRepository, snapshot: Mapping[str, Any], order: list[str]
) -> Snapshot:
    sid = snapshot["id"]
    prices = {
        r["asset"]: Decimal(str(r["price_usd"]))
        for r in repo.rows("prices", ("asset", "price_usd"), "snapshot_id", sid)
    }
    positions: dict[str, list[dict[str, Any]]] = {}
    for r in repo.rows("positions", _POSITION_COLUMNS, "snapshot_id", sid):
        positions.setdefault(r["client_id"], []).append(r)
    states = {r["client_id"]: r for r in repo.rows("client_states", _STATE_COLUMNS,
                                                    "snapshot_id", sid)}
    ids = [i for i in order if i in states] + sorted(set(states) - set(order))
    clients = tuple(
        ClientRecord(
            id=cid,
            name=states[cid]["name"],
            net_assets_usd=Decimal(str(states[cid]["net_assets_usd"])),
            dubai_entity=bool(states[cid]["dubai_entity"]),
            soc2_type2=bool(states[cid]["soc2_type2"]),
            exposure_usd=Decimal(str(states[cid]["exposure_usd"])),
            positions=tuple(
                Position(p["asset"], Decimal(str(p["quantity"])),
                         Decimal(str(p["locked_quantity"])))
                for p in sorted(positions.get(cid, []), key=lambda p: int(p["ordinal"]))
            ),
            liquidation_order=tuple(json.loads(states[cid]["liquidation_order"] or "[]")),
        )
        for cid in ids
    )
    return Snapshot(as_of=text_to_time(str(snapshot["as_of"])), prices=prices, clients=clients)


def _source(raw_json: str, catalogue: AssetCatalogue | None) -> Snapshot | None:
    try:
        return snapshot_from_document(
            decode_json(raw_json), catalogue or AssetCatalogue.load_default()
        )
    except (SnapshotError, ValueError):
        return None


def _client_order(raw_json: str) -> list[str]:
    try:
        doc = decode_json(raw_json)
        return [str(c["id"]) for c in doc["clients"]]
    except (SnapshotError, ValueError, KeyError, TypeError):
        return []


def _snapshot_problems(
    repo: BindingRepository,
    audited: Mapping[int, tuple[int, str]],
    catalogue: AssetCatalogue | None,
) -> list[str]:
    problems: list[str] = []
    columns = ("id", "content_sha256", "as_of", "client_count", "raw_json")
    stored = {int(r["id"]): r for r in repo.rows("snapshots", columns)}
    for sid, (seq, digest) in sorted(audited.items()):
        row = stored.get(sid)
        if row is None:
            problems.append(f"snapshots row (id={sid}): deleted (imported by audit entry #{seq})")
            continue
        if row["content_sha256"] != digest:
            problems.append(f"snapshots row (id={sid}): content_sha256 is not the one audit "
                            f"entry #{seq} recorded")
            continue
        try:
            rebuilt = _snapshot_from_tables(repo, row, _client_order(row["raw_json"]))
            rebuilt_hash = snapshot_sha256(rebuilt)
        except (ValueError, TypeError, KeyError, InvalidOperation) as exc:
            problems.append(f"snapshot #{sid}: its rows cannot be read back ({exc})")
            continue
        if rebuilt_hash == digest and len(rebuilt.clients) == int(row["client_count"]):
            continue
        source = _source(row["raw_json"], catalogue)
        if source is None or snapshot_sha256(source) != digest:
            problems.append(
                f"snapshot #{sid}: its rows (snapshots, client_states, positions, prices) no "
                f"longer hash to the content audit entry #{seq} recorded, and "
                "snapshots.raw_json does not either"
            )
            continue
        found = _differences(sid, source, rebuilt, int(row["client_count"]))
        problems.extend(f"{d} (audit entry #{seq})" for d in found or [
            f"snapshot #{sid}: its rows no longer hash to the audited content"
        ])
    for sid in sorted(set(stored) - set(audited)):
        problems.append(f"snapshots row (id={sid}): not in the audit trail (inserted outside "
                        "the desk)")
    return problems


def _differences(sid: int, source: Snapshot, tables: Snapshot, client_count: int) -> list[str]:
    """Rows of the four snapshot tables that differ from the audited source, by name."""
    found: list[str] = []
    if tables.as_of != source.as_of:
        found.append(f"snapshots row (id={sid}): as_of differs from the imported snapshot")
    if client_count != len(source.clients):
        found.append(f"snapshots row (id={sid}): client_count is {client_count}, the imported "
                     f"snapshot has {len(source.clients)}")
    for asset in sorted(set(source.prices) | set(tables.prices)):
        was, now = source.prices.get(asset), tables.prices.get(asset)
        if was != now or (was is not None and now is not None and f"{was:f}" != f"{now:f}"):
            found.append(f"prices row (snapshot_id={sid}, asset={asset}): price_usd is "
                         f"{_text(now)}, the imported snapshot has {_text(was)}")
    mine = {c.id: c for c in tables.clients}
    for client in source.clients:
        row = mine.pop(client.id, None)
        where = f"(snapshot_id={sid}, client_id={client.id})"
        if row is None:
            found.append(f"client_states row {where}: deleted")
            continue
        for name in ("name", "net_assets_usd", "dubai_entity", "soc2_type2", "exposure_usd",
                     "liquidation_order"):
            was, now = getattr(client, name), getattr(row, name)
            if _text(was) != _text(now):
                found.append(f"client_states row {where}: {name} is {_text(now)}, the imported "
                             f"snapshot has {_text(was)}")
        held = {p.asset: p for p in row.positions}
        for position in client.positions:
            at = f"positions row (snapshot_id={sid}, client_id={client.id}, asset={position.asset})"
            stored = held.pop(position.asset, None)
            if stored is None:
                found.append(f"{at}: deleted")
                continue
            for name in ("quantity", "locked_quantity"):
                was, now = getattr(position, name), getattr(stored, name)
                if _text(was) != _text(now):
                    found.append(f"{at}: {name} is {_text(now)}, the imported snapshot has "
                                 f"{_text(was)}")
        for asset in sorted(held):
            found.append(f"positions row (snapshot_id={sid}, client_id={client.id}, "
                         f"asset={asset}): not in the imported snapshot")
    for cid in sorted(mine):
        found.append(f"client_states row (snapshot_id={sid}, client_id={cid}): not in the "
                     "imported snapshot")
    return found


def _text(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    return repr(value)
