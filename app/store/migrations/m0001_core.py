"""Schema v1: snapshots, clients and their positions, prices, settings, the audit log.

Amounts are TEXT decimal strings checked by pattern (never REAL); times are UTC text
``YYYY-MM-DDTHH:MM:SS.ffffffZ``. The audit tables are append-only by trigger: the
desk can never rewrite history by accident, and a deliberate edit with another tool
is caught by ``audit verify``.
"""

from __future__ import annotations

from app.store.migrations import Migration


def _decimal(column: str) -> str:
    # A non-negative plain decimal: digits, at most one dot, no sign, no exponent.
    return (
        f"CHECK (typeof({column}) = 'text' AND {column} GLOB '[0-9]*' "
        f"AND {column} NOT GLOB '*[^0-9.]*' AND {column} NOT GLOB '*.*.*' "
        f"AND {column} NOT GLOB '*.')"
    )


def _time(column: str) -> str:
    digits = "[0-9]"
    pattern = (
        f"{digits * 4}-{digits * 2}-{digits * 2}T{digits * 2}:{digits * 2}:{digits * 2}"
        f".{digits * 6}Z"
    )
    return f"CHECK ({column} GLOB '{pattern}')"


def _hash(column: str) -> str:
    return f"CHECK (length({column}) = 64 AND {column} NOT GLOB '*[^0-9a-f]*')"


SQL = f"""
CREATE TABLE settings (
    key         TEXT PRIMARY KEY CHECK (key <> ''),
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL {_time("updated_at")}
);

CREATE TABLE snapshots (
    id              INTEGER PRIMARY KEY,
    content_sha256  TEXT NOT NULL UNIQUE {_hash("content_sha256")},
    as_of           TEXT NOT NULL {_time("as_of")},
    imported_at     TEXT NOT NULL {_time("imported_at")},
    imported_by     TEXT NOT NULL CHECK (imported_by <> ''),
    source_name     TEXT NOT NULL,
    client_count    INTEGER NOT NULL CHECK (client_count >= 0),
    raw_json        TEXT NOT NULL
);
CREATE INDEX snapshots_by_as_of ON snapshots (as_of, id);

-- A client's identity; other tables (attestations, margin calls, ...) refer to it.
CREATE TABLE clients (
    id                      TEXT PRIMARY KEY CHECK (id <> ''),
    name                    TEXT NOT NULL,
    first_seen_snapshot_id  INTEGER NOT NULL REFERENCES snapshots (id),
    created_at              TEXT NOT NULL {_time("created_at")}
);

-- A client's record as of one snapshot (history is kept, never overwritten).
CREATE TABLE client_states (
    snapshot_id     INTEGER NOT NULL REFERENCES snapshots (id),
    client_id       TEXT NOT NULL REFERENCES clients (id),
    name            TEXT NOT NULL,
    net_assets_usd  TEXT NOT NULL {_decimal("net_assets_usd")},
    dubai_entity    INTEGER NOT NULL CHECK (dubai_entity IN (0, 1)),
    soc2_type2      INTEGER NOT NULL CHECK (soc2_type2 IN (0, 1)),
    exposure_usd    TEXT NOT NULL {_decimal("exposure_usd")},
    liquidation_order TEXT NOT NULL DEFAULT '[]',  -- JSON array of asset symbols
    extra_json      TEXT NOT NULL DEFAULT '{{}}',
    PRIMARY KEY (snapshot_id, client_id)
);
CREATE INDEX client_states_by_client ON client_states (client_id, snapshot_id);

CREATE TABLE positions (
    snapshot_id  INTEGER NOT NULL,
    client_id    TEXT NOT NULL,
    ordinal      INTEGER NOT NULL CHECK (ordinal >= 0),
    asset        TEXT NOT NULL CHECK (asset <> ''),
    quantity     TEXT NOT NULL {_decimal("quantity")},
    locked_quantity TEXT NOT NULL DEFAULT '0' {_decimal("locked_quantity")},
    PRIMARY KEY (snapshot_id, client_id, asset),
    FOREIGN KEY (snapshot_id, client_id) REFERENCES client_states (snapshot_id, client_id)
);

CREATE TABLE prices (
    snapshot_id  INTEGER NOT NULL REFERENCES snapshots (id),
    asset        TEXT NOT NULL CHECK (asset <> ''),
    price_usd    TEXT NOT NULL {_decimal("price_usd")},
    as_of        TEXT NOT NULL {_time("as_of")},
    PRIMARY KEY (snapshot_id, asset)
);
CREATE INDEX prices_by_asset ON prices (asset, as_of, snapshot_id);

-- The audit log: a hash chain (prev_hash -> entry_hash) and the leaves of an
-- RFC 6962 tree. AUTOINCREMENT keeps a high-water mark in sqlite_sequence.
CREATE TABLE audit_entries (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    time        TEXT NOT NULL {_time("time")},
    actor       TEXT NOT NULL CHECK (actor <> ''),
    action      TEXT NOT NULL CHECK (action <> ''),
    payload     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL {_hash("prev_hash")},
    entry_hash  TEXT NOT NULL UNIQUE {_hash("entry_hash")}
);
CREATE TRIGGER audit_entries_append_only_update BEFORE UPDATE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_entries_append_only_delete BEFORE DELETE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;

-- The log's tip, rewritten in the same transaction as each append.
CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    size       INTEGER NOT NULL CHECK (size >= 0),
    last_hash  TEXT NOT NULL {_hash("last_hash")},
    frontier   TEXT NOT NULL  -- JSON array of hex subtree roots, left to right
);

CREATE TABLE audit_checkpoints (
    id          INTEGER PRIMARY KEY,
    tree_size   INTEGER NOT NULL UNIQUE CHECK (tree_size >= 0),
    root_hash   TEXT NOT NULL {_hash("root_hash")},
    created_at  TEXT NOT NULL {_time("created_at")},
    statement   TEXT,
    signature   TEXT,
    signer      TEXT
);
-- A checkpoint's size and root never change; a signature may be attached once.
CREATE TRIGGER audit_checkpoints_immutable BEFORE UPDATE ON audit_checkpoints
WHEN NEW.tree_size IS NOT OLD.tree_size OR NEW.root_hash IS NOT OLD.root_hash
     OR NEW.created_at IS NOT OLD.created_at OR OLD.signature IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints are immutable once signed');
END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints cannot be deleted');
END;
"""


# The PostgreSQL form: NUMERIC amounts, TIMESTAMPTZ times, the same append-only
# guards as plpgsql triggers (plus TRUNCATE, which SQLite does not have). The desk
# role's grants (INSERT-only on the audit tables) are set by ``store init-roles``.
POSTGRES_SQL = r"""
-- Every amount: an exact NUMERIC that is finite and not negative (NUMERIC alone
-- would take 'NaN' and 'Infinity').
CREATE DOMAIN desk_amount AS NUMERIC CHECK (VALUE >= 0 AND VALUE < 'Infinity');
CREATE TABLE settings (
    key         TEXT PRIMARY KEY CHECK (key <> ''),
    value       TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE snapshots (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    content_sha256  TEXT NOT NULL UNIQUE CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    as_of           TIMESTAMPTZ NOT NULL,
    imported_at     TIMESTAMPTZ NOT NULL,
    imported_by     TEXT NOT NULL CHECK (imported_by <> ''),
    source_name     TEXT NOT NULL,
    client_count    INTEGER NOT NULL CHECK (client_count >= 0),
    raw_json        TEXT NOT NULL
);
CREATE INDEX snapshots_by_as_of ON snapshots (as_of, id);

CREATE TABLE clients (
    id                      TEXT PRIMARY KEY CHECK (id <> ''),
    name                    TEXT NOT NULL,
    first_seen_snapshot_id  BIGINT NOT NULL REFERENCES snapshots (id),
    created_at              TIMESTAMPTZ NOT NULL
);

CREATE TABLE client_states (
    snapshot_id     BIGINT NOT NULL REFERENCES snapshots (id),
    client_id       TEXT NOT NULL REFERENCES clients (id),
    name            TEXT NOT NULL,
    net_assets_usd  desk_amount NOT NULL,
    dubai_entity    INTEGER NOT NULL CHECK (dubai_entity IN (0, 1)),
    soc2_type2      INTEGER NOT NULL CHECK (soc2_type2 IN (0, 1)),
    exposure_usd    desk_amount NOT NULL,
    liquidation_order TEXT NOT NULL DEFAULT '[]',
    extra_json      TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (snapshot_id, client_id)
);
CREATE INDEX client_states_by_client ON client_states (client_id, snapshot_id);

CREATE TABLE positions (
    snapshot_id  BIGINT NOT NULL,
    client_id    TEXT NOT NULL,
    ordinal      INTEGER NOT NULL CHECK (ordinal >= 0),
    asset        TEXT NOT NULL CHECK (asset <> ''),
    quantity     desk_amount NOT NULL,
    locked_quantity desk_amount NOT NULL DEFAULT 0,
    PRIMARY KEY (snapshot_id, client_id, asset),
    FOREIGN KEY (snapshot_id, client_id) REFERENCES client_states (snapshot_id, client_id)
);

CREATE TABLE prices (
    snapshot_id  BIGINT NOT NULL REFERENCES snapshots (id),
    asset        TEXT NOT NULL CHECK (asset <> ''),
    price_usd    desk_amount NOT NULL,
    as_of        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (snapshot_id, asset)
);
CREATE INDEX prices_by_asset ON prices (asset, as_of, snapshot_id);

CREATE TABLE audit_entries (
    seq         BIGINT PRIMARY KEY CHECK (seq >= 1),
    time        TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL CHECK (actor <> ''),
    action      TEXT NOT NULL CHECK (action <> ''),
    payload     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    entry_hash  TEXT NOT NULL UNIQUE CHECK (entry_hash ~ '^[0-9a-f]{64}$')
);

CREATE FUNCTION desk_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION desk_audit_append_only();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION desk_audit_append_only();

CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    size       BIGINT NOT NULL CHECK (size >= 0),
    last_hash  TEXT NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$'),
    frontier   TEXT NOT NULL
);

CREATE TABLE audit_checkpoints (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    tree_size   BIGINT NOT NULL UNIQUE CHECK (tree_size >= 0),
    root_hash   TEXT NOT NULL CHECK (root_hash ~ '^[0-9a-f]{64}$'),
    created_at  TIMESTAMPTZ NOT NULL,
    statement   TEXT,
    signature   TEXT,
    signer      TEXT
);
CREATE FUNCTION desk_audit_checkpoint_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'audit checkpoints cannot be deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.tree_size IS DISTINCT FROM OLD.tree_size
       OR NEW.root_hash IS DISTINCT FROM OLD.root_hash
       OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR OLD.signature IS NOT NULL THEN
        RAISE EXCEPTION 'audit checkpoints are immutable once signed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_checkpoints_immutable BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION desk_audit_checkpoint_guard();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION desk_audit_checkpoint_guard();
"""

MIGRATION = Migration(version=1, name="core", sql=SQL, postgres_sql=POSTGRES_SQL)
