"""Schema v2: the desk's workflow tables, laid out ahead of the issues that fill them.

Officers and their keys, attestations (statement exactly as signed, maker/checker,
signatures, per-client proofs), margin calls and liquidation instructions,
emergency 2-of-3 orders and their signatures, counterparty keys, an outbox and an
inbox for the exchange link, redemptions, yield accruals, reconciliations.
Status columns are closed sets checked here; amounts are decimal TEXT in SQLite and
NUMERIC in PostgreSQL, times UTC TEXT and TIMESTAMPTZ.
"""

from __future__ import annotations

from app.store.migrations import Migration
from app.store.migrations.m0001_core import _decimal, _hash, _time


def _optional_time(column: str) -> str:
    return _time(column).replace("CHECK (", f"CHECK ({column} IS NULL OR ", 1)


def _optional_decimal(column: str) -> str:
    return _decimal(column).replace("CHECK (", f"CHECK ({column} IS NULL OR (", 1) + ")"


SQL = f"""
CREATE TABLE officers (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE CHECK (name <> ''),
    role             TEXT NOT NULL CHECK (role <> ''),
    device_kind      TEXT NOT NULL,          -- 'trezor', 'coldcard', ...
    fingerprint      TEXT NOT NULL,          -- BIP-32 master fingerprint, hex
    derivation_path  TEXT NOT NULL,
    xpub             TEXT NOT NULL,
    pubkey           TEXT NOT NULL,          -- compressed secp256k1, hex
    address          TEXT NOT NULL,
    is_emulator      INTEGER NOT NULL CHECK (is_emulator IN (0, 1)),
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    registered_at    TEXT NOT NULL {_time("registered_at")},
    registered_by    TEXT NOT NULL,
    UNIQUE (pubkey)
);

CREATE TABLE attestations (
    id                    INTEGER PRIMARY KEY,
    sequence              INTEGER NOT NULL UNIQUE CHECK (sequence >= 0),
    status                TEXT NOT NULL CHECK (status IN ('draft', 'awaiting_approval',
                              'signing', 'signed', 'sent', 'rejected', 'expired')),
    environment           TEXT NOT NULL CHECK (environment IN ('prod', 'test')),
    custodian_id          TEXT NOT NULL,
    exchange_id           TEXT NOT NULL,
    snapshot_id           INTEGER REFERENCES snapshots (id),
    as_of                 TEXT NOT NULL {_time("as_of")},
    created_at            TEXT NOT NULL {_time("created_at")},
    expires_at            TEXT NOT NULL {_time("expires_at")},
    statement             TEXT NOT NULL,     -- exactly the bytes the device showed and signed
    root_hash             TEXT NOT NULL {_hash("root_hash")},
    client_count          INTEGER NOT NULL CHECK (client_count >= 1),
    total_collateral_usd  TEXT NOT NULL {_decimal("total_collateral_usd")},
    tree_json             TEXT NOT NULL DEFAULT '{{}}',  -- per-asset sums etc.
    maker_officer_id      INTEGER NOT NULL REFERENCES officers (id),
    checker_officer_id    INTEGER REFERENCES officers (id),
    signature             TEXT,              -- checker's BIP-137 signature, base64
    signer_address        TEXT,
    signed_at             TEXT {_optional_time("signed_at")},
    sent_at               TEXT {_optional_time("sent_at")},
    status_reason         TEXT,
    updated_at            TEXT NOT NULL {_time("updated_at")},
    CHECK (checker_officer_id IS NULL OR checker_officer_id <> maker_officer_id),
    CHECK (status NOT IN ('signed', 'sent') OR (signature IS NOT NULL
           AND checker_officer_id IS NOT NULL AND signed_at IS NOT NULL))
);
CREATE INDEX attestations_by_status ON attestations (status, created_at);

CREATE TABLE attestation_clients (
    attestation_id        INTEGER NOT NULL REFERENCES attestations (id),
    client_id             TEXT NOT NULL REFERENCES clients (id),
    leaf_index            INTEGER NOT NULL CHECK (leaf_index >= 0),
    collateral_value_usd  TEXT NOT NULL {_decimal("collateral_value_usd")},
    leaf_json             TEXT NOT NULL,     -- the leaf's amounts in integer base units
    proof_json            TEXT NOT NULL,     -- inclusion proof
    PRIMARY KEY (attestation_id, client_id),
    UNIQUE (attestation_id, leaf_index)
);
-- For the 2-a-day settlement limit: a client's attestations by time.
CREATE INDEX attestation_clients_by_client ON attestation_clients (client_id, attestation_id);

-- Further signatures over an attestation (co-signers, exchange receipts, ...).
CREATE TABLE attestation_signatures (
    id              INTEGER PRIMARY KEY,
    attestation_id  INTEGER NOT NULL REFERENCES attestations (id),
    officer_id      INTEGER REFERENCES officers (id),
    purpose         TEXT NOT NULL,
    address         TEXT NOT NULL,
    pubkey          TEXT NOT NULL,
    signature       TEXT NOT NULL,
    signed_at       TEXT NOT NULL {_time("signed_at")},
    UNIQUE (attestation_id, pubkey, purpose)
);

CREATE TABLE margin_calls (
    id                    INTEGER PRIMARY KEY,
    external_id           TEXT NOT NULL UNIQUE,  -- the exchange's id (replay guard)
    client_id             TEXT NOT NULL REFERENCES clients (id),
    status                TEXT NOT NULL CHECK (status IN ('received', 'acknowledged',
                              'resolved', 'escalated', 'liquidated', 'expired')),
    issued_at             TEXT NOT NULL {_time("issued_at")},
    received_at           TEXT NOT NULL {_time("received_at")},
    deadline              TEXT NOT NULL {_time("deadline")},
    shortfall_usd         TEXT NOT NULL {_decimal("shortfall_usd")},
    exposure_usd          TEXT NOT NULL {_decimal("exposure_usd")},
    collateral_ratio      TEXT {_optional_decimal("collateral_ratio")},
    document_json         TEXT NOT NULL,         -- the signed document as received
    resolution            TEXT,                  -- 'top_up', 'liquidation', ...
    top_up_attestation_id INTEGER REFERENCES attestations (id),
    updated_at            TEXT NOT NULL {_time("updated_at")}
);
CREATE INDEX margin_calls_by_status ON margin_calls (status, deadline);

CREATE TABLE liquidation_instructions (
    id              INTEGER PRIMARY KEY,
    margin_call_id  INTEGER NOT NULL REFERENCES margin_calls (id),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'signed', 'sent',
                        'executed', 'cancelled')),
    lines_json      TEXT NOT NULL,        -- waterfall lines, yield first
    statement       TEXT,                 -- exactly as signed
    signature       TEXT,
    signer_address  TEXT,
    officer_id      INTEGER REFERENCES officers (id),
    created_at      TEXT NOT NULL {_time("created_at")},
    signed_at       TEXT {_optional_time("signed_at")},
    updated_at      TEXT NOT NULL {_time("updated_at")}
);

-- Trust root for counterparties: regulator, custodian, exchange keys.
CREATE TABLE party_keys (
    id           INTEGER PRIMARY KEY,
    party        TEXT NOT NULL CHECK (party IN ('regulator', 'custodian', 'exchange')),
    role         TEXT NOT NULL,
    pubkey       TEXT NOT NULL,
    address      TEXT NOT NULL,
    valid_from   TEXT NOT NULL {_time("valid_from")},
    valid_until  TEXT {_optional_time("valid_until")},
    revoked_at   TEXT {_optional_time("revoked_at")},
    added_at     TEXT NOT NULL {_time("added_at")},
    UNIQUE (party, role, pubkey)
);

CREATE TABLE emergency_orders (
    id           INTEGER PRIMARY KEY,
    public_id    TEXT NOT NULL UNIQUE,
    client_id    TEXT NOT NULL REFERENCES clients (id),
    assets_json  TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (reason <> ''),
    statement    TEXT NOT NULL,          -- canonical text every party signs
    status       TEXT NOT NULL CHECK (status IN ('open', 'executable', 'executed',
                     'expired', 'cancelled')),
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL {_time("created_at")},
    expires_at   TEXT NOT NULL {_time("expires_at")},
    executed_at  TEXT {_optional_time("executed_at")},
    updated_at   TEXT NOT NULL {_time("updated_at")},
    CHECK (status <> 'executed' OR executed_at IS NOT NULL)
);

CREATE TABLE emergency_signatures (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES emergency_orders (id),
    party        TEXT NOT NULL CHECK (party IN ('regulator', 'custodian', 'exchange')),
    pubkey       TEXT NOT NULL,
    address      TEXT NOT NULL,
    signature    TEXT NOT NULL,
    signed_at    TEXT {_optional_time("signed_at")},
    imported_at  TEXT NOT NULL {_time("imported_at")},
    UNIQUE (order_id, pubkey)               -- a repeated key counts once
);

-- Messages to the exchange, written in the same transaction as the state change
-- and sent only after commit; retried after a restart with the same key.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    idempotency_key  TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    destination      TEXT NOT NULL,
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at       TEXT NOT NULL {_time("created_at")},
    next_attempt_at  TEXT {_optional_time("next_attempt_at")},
    sent_at          TEXT {_optional_time("sent_at")},
    last_error       TEXT,
    response         TEXT
);
CREATE INDEX outbox_pending ON outbox (status, next_attempt_at);

-- Documents received from counterparties, verified before insert (replay guard).
CREATE TABLE inbox (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    sender       TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    sequence     INTEGER,
    received_at  TEXT NOT NULL {_time("received_at")},
    body         TEXT NOT NULL,
    UNIQUE (kind, sender, document_id)
);

CREATE TABLE redemptions (
    id                 INTEGER PRIMARY KEY,
    client_id          TEXT NOT NULL REFERENCES clients (id),
    asset              TEXT NOT NULL,
    quantity           TEXT NOT NULL {_decimal("quantity")},
    fiat_amount_usd    TEXT {_optional_decimal("fiat_amount_usd")},
    status             TEXT NOT NULL CHECK (status IN ('locked', 'settled', 'cancelled')),
    locked_at          TEXT NOT NULL {_time("locked_at")},
    settlement_due_at  TEXT NOT NULL {_time("settlement_due_at")},
    settled_at         TEXT {_optional_time("settled_at")},
    created_by         TEXT NOT NULL,
    updated_at         TEXT NOT NULL {_time("updated_at")}
);
CREATE INDEX redemptions_by_client ON redemptions (client_id, status);

CREATE TABLE yield_accruals (
    id              INTEGER PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients (id),
    asset           TEXT NOT NULL,
    accrual_date    TEXT NOT NULL CHECK (accrual_date GLOB
                        '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    quantity_basis  TEXT NOT NULL {_decimal("quantity_basis")},
    amount          TEXT NOT NULL {_decimal("amount")},
    distributed_at  TEXT {_optional_time("distributed_at")},
    created_at      TEXT NOT NULL {_time("created_at")},
    UNIQUE (client_id, asset, accrual_date)
);

CREATE TABLE reconciliations (
    id           INTEGER PRIMARY KEY,
    run_at       TEXT NOT NULL {_time("run_at")},
    status       TEXT NOT NULL CHECK (status IN ('clean', 'breaks', 'failed')),
    break_count  INTEGER NOT NULL DEFAULT 0 CHECK (break_count >= 0),
    report_json  TEXT NOT NULL,
    signature    TEXT,
    created_by   TEXT NOT NULL
);
"""

POSTGRES_SQL = """
CREATE TABLE officers (
    id               BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE CHECK (name <> ''),
    role             TEXT NOT NULL CHECK (role <> ''),
    device_kind      TEXT NOT NULL,          -- 'trezor', 'coldcard', ...
    fingerprint      TEXT NOT NULL,          -- BIP-32 master fingerprint, hex
    derivation_path  TEXT NOT NULL,
    xpub             TEXT NOT NULL,
    pubkey           TEXT NOT NULL,          -- compressed secp256k1, hex
    address          TEXT NOT NULL,
    is_emulator      INTEGER NOT NULL CHECK (is_emulator IN (0, 1)),
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    registered_at    TIMESTAMPTZ NOT NULL,
    registered_by    TEXT NOT NULL,
    UNIQUE (pubkey)
);

CREATE TABLE attestations (
    id                    BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    sequence              INTEGER NOT NULL UNIQUE CHECK (sequence >= 0),
    status                TEXT NOT NULL CHECK (status IN ('draft', 'awaiting_approval',
                              'signing', 'signed', 'sent', 'rejected', 'expired')),
    environment           TEXT NOT NULL CHECK (environment IN ('prod', 'test')),
    custodian_id          TEXT NOT NULL,
    exchange_id           TEXT NOT NULL,
    snapshot_id           BIGINT REFERENCES snapshots (id),
    as_of                 TIMESTAMPTZ NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    expires_at            TIMESTAMPTZ NOT NULL,
    statement             TEXT NOT NULL,     -- exactly the bytes the device showed and signed
    root_hash             TEXT NOT NULL CHECK (root_hash ~ '^[0-9a-f]{64}$'),
    client_count          INTEGER NOT NULL CHECK (client_count >= 1),
    total_collateral_usd  desk_amount NOT NULL,
    tree_json             TEXT NOT NULL DEFAULT '{}',  -- per-asset sums etc.
    maker_officer_id      BIGINT NOT NULL REFERENCES officers (id),
    checker_officer_id    BIGINT REFERENCES officers (id),
    signature             TEXT,              -- checker's BIP-137 signature, base64
    signer_address        TEXT,
    signed_at             TIMESTAMPTZ,
    sent_at               TIMESTAMPTZ,
    status_reason         TEXT,
    updated_at            TIMESTAMPTZ NOT NULL,
    CHECK (checker_officer_id IS NULL OR checker_officer_id <> maker_officer_id),
    CHECK (status NOT IN ('signed', 'sent') OR (signature IS NOT NULL
           AND checker_officer_id IS NOT NULL AND signed_at IS NOT NULL))
);
CREATE INDEX attestations_by_status ON attestations (status, created_at);

CREATE TABLE attestation_clients (
    attestation_id        BIGINT NOT NULL REFERENCES attestations (id),
    client_id             TEXT NOT NULL REFERENCES clients (id),
    leaf_index            INTEGER NOT NULL CHECK (leaf_index >= 0),
    collateral_value_usd  desk_amount NOT NULL,
    leaf_json             TEXT NOT NULL,     -- the leaf's amounts in integer base units
    proof_json            TEXT NOT NULL,     -- inclusion proof
    PRIMARY KEY (attestation_id, client_id),
    UNIQUE (attestation_id, leaf_index)
);
-- For the 2-a-day settlement limit: a client's attestations by time.
CREATE INDEX attestation_clients_by_client ON attestation_clients (client_id, attestation_id);

-- Further signatures over an attestation (co-signers, exchange receipts, ...).
CREATE TABLE attestation_signatures (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    attestation_id  BIGINT NOT NULL REFERENCES attestations (id),
    officer_id      BIGINT REFERENCES officers (id),
    purpose         TEXT NOT NULL,
    address         TEXT NOT NULL,
    pubkey          TEXT NOT NULL,
    signature       TEXT NOT NULL,
    signed_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (attestation_id, pubkey, purpose)
);

CREATE TABLE margin_calls (
    id                    BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    external_id           TEXT NOT NULL UNIQUE,  -- the exchange's id (replay guard)
    client_id             TEXT NOT NULL REFERENCES clients (id),
    status                TEXT NOT NULL CHECK (status IN ('received', 'acknowledged',
                              'resolved', 'escalated', 'liquidated', 'expired')),
    issued_at             TIMESTAMPTZ NOT NULL,
    received_at           TIMESTAMPTZ NOT NULL,
    deadline              TIMESTAMPTZ NOT NULL,
    shortfall_usd         desk_amount NOT NULL,
    exposure_usd          desk_amount NOT NULL,
    collateral_ratio      desk_amount,
    document_json         TEXT NOT NULL,         -- the signed document as received
    resolution            TEXT,                  -- 'top_up', 'liquidation', ...
    top_up_attestation_id BIGINT REFERENCES attestations (id),
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX margin_calls_by_status ON margin_calls (status, deadline);

CREATE TABLE liquidation_instructions (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    margin_call_id  BIGINT NOT NULL REFERENCES margin_calls (id),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'signed', 'sent',
                        'executed', 'cancelled')),
    lines_json      TEXT NOT NULL,        -- waterfall lines, yield first
    statement       TEXT,                 -- exactly as signed
    signature       TEXT,
    signer_address  TEXT,
    officer_id      BIGINT REFERENCES officers (id),
    created_at      TIMESTAMPTZ NOT NULL,
    signed_at       TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- Trust root for counterparties: regulator, custodian, exchange keys.
CREATE TABLE party_keys (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    party        TEXT NOT NULL CHECK (party IN ('regulator', 'custodian', 'exchange')),
    role         TEXT NOT NULL,
    pubkey       TEXT NOT NULL,
    address      TEXT NOT NULL,
    valid_from   TIMESTAMPTZ NOT NULL,
    valid_until  TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    added_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (party, role, pubkey)
);

CREATE TABLE emergency_orders (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    public_id    TEXT NOT NULL UNIQUE,
    client_id    TEXT NOT NULL REFERENCES clients (id),
    assets_json  TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (reason <> ''),
    statement    TEXT NOT NULL,          -- canonical text every party signs
    status       TEXT NOT NULL CHECK (status IN ('open', 'executable', 'executed',
                     'expired', 'cancelled')),
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    executed_at  TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL,
    CHECK (status <> 'executed' OR executed_at IS NOT NULL)
);

CREATE TABLE emergency_signatures (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    order_id     BIGINT NOT NULL REFERENCES emergency_orders (id),
    party        TEXT NOT NULL CHECK (party IN ('regulator', 'custodian', 'exchange')),
    pubkey       TEXT NOT NULL,
    address      TEXT NOT NULL,
    signature    TEXT NOT NULL,
    signed_at    TIMESTAMPTZ,
    imported_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (order_id, pubkey)               -- a repeated key counts once
);

-- Messages to the exchange, written in the same transaction as the state change
-- and sent only after commit; retried after a restart with the same key.
CREATE TABLE outbox (
    id               BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    idempotency_key  TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    destination      TEXT NOT NULL,
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at       TIMESTAMPTZ NOT NULL,
    next_attempt_at  TIMESTAMPTZ,
    sent_at          TIMESTAMPTZ,
    last_error       TEXT,
    response         TEXT
);
CREATE INDEX outbox_pending ON outbox (status, next_attempt_at);

-- Documents received from counterparties, verified before insert (replay guard).
CREATE TABLE inbox (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind         TEXT NOT NULL,
    sender       TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    sequence     BIGINT,
    received_at  TIMESTAMPTZ NOT NULL,
    body         TEXT NOT NULL,
    UNIQUE (kind, sender, document_id)
);

CREATE TABLE redemptions (
    id                 BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    client_id          TEXT NOT NULL REFERENCES clients (id),
    asset              TEXT NOT NULL,
    quantity           desk_amount NOT NULL,
    fiat_amount_usd    desk_amount,
    status             TEXT NOT NULL CHECK (status IN ('locked', 'settled', 'cancelled')),
    locked_at          TIMESTAMPTZ NOT NULL,
    settlement_due_at  TIMESTAMPTZ NOT NULL,
    settled_at         TIMESTAMPTZ,
    created_by         TEXT NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX redemptions_by_client ON redemptions (client_id, status);

CREATE TABLE yield_accruals (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients (id),
    asset           TEXT NOT NULL,
    accrual_date    TEXT NOT NULL CHECK (accrual_date ~
                        '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    quantity_basis  desk_amount NOT NULL,
    amount          desk_amount NOT NULL,
    distributed_at  TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (client_id, asset, accrual_date)
);

CREATE TABLE reconciliations (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    run_at       TIMESTAMPTZ NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('clean', 'breaks', 'failed')),
    break_count  INTEGER NOT NULL DEFAULT 0 CHECK (break_count >= 0),
    report_json  TEXT NOT NULL,
    signature    TEXT,
    created_by   TEXT NOT NULL
);
"""

MIGRATION = Migration(version=2, name="desk", sql=SQL, postgres_sql=POSTGRES_SQL)
