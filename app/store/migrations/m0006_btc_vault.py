"""Schema v6: the Bitcoin emergency vault.

``btc_multisig_keys``: each party's BIP-48 multisig account key (one per party),
with its key origin; ``fingerprint`` is the device's master fingerprint.
``vault_utxos``: the vault coins imported from the custodian's node, each checked
(its ``prevtx`` hashes to ``txid`` and output ``vout`` pays ``amount_sat`` to the
client's vault address ``address_index``) before it is stored; ``spent_by`` is
the order whose executed release spends it. ``emergency_psbts``: the release PSBT
of an order (base64, with every verified signature so far) and, once executed,
the fully signed raw transaction. Amounts are integer satoshis.
"""

from __future__ import annotations

from app.store.migrations import Migration
from app.store.migrations.m0001_core import _time

SQL = f"""
CREATE TABLE btc_multisig_keys (
    id           INTEGER PRIMARY KEY,
    party        TEXT NOT NULL UNIQUE CHECK (party IN ('regulator', 'custodian', 'exchange')),
    fingerprint  TEXT NOT NULL CHECK (length(fingerprint) = 8),
    path         TEXT NOT NULL,
    xpub         TEXT NOT NULL UNIQUE,
    is_emulator  INTEGER NOT NULL CHECK (is_emulator IN (0, 1)),
    added_at     TEXT NOT NULL {_time("added_at")}
);

CREATE TABLE vault_utxos (
    id             INTEGER PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients (id),
    txid           TEXT NOT NULL CHECK (length(txid) = 64),
    vout           INTEGER NOT NULL CHECK (vout >= 0),
    amount_sat     INTEGER NOT NULL CHECK (amount_sat > 0),
    address_index  INTEGER NOT NULL CHECK (address_index >= 0),
    address        TEXT NOT NULL,
    prevtx         TEXT NOT NULL,
    imported_at    TEXT NOT NULL {_time("imported_at")},
    spent_by       TEXT,
    UNIQUE (txid, vout)
);
CREATE INDEX vault_utxos_by_client ON vault_utxos (client_id, spent_by);

CREATE TABLE emergency_psbts (
    order_id     INTEGER PRIMARY KEY REFERENCES emergency_orders (id),
    psbt         TEXT NOT NULL,
    txid         TEXT NOT NULL CHECK (length(txid) = 64),
    amount_sat   INTEGER NOT NULL CHECK (amount_sat > 0),
    fee_sat      INTEGER NOT NULL CHECK (fee_sat > 0),
    destination  TEXT NOT NULL,
    raw_tx       TEXT,
    updated_at   TEXT NOT NULL {_time("updated_at")}
);
"""

MIGRATION = Migration(version=6, name="btc_vault", sql=SQL)
