"""Schema v7: Ethereum owners of the parties, clients' Safes, and orders' SafeTxs.

* ``eth_owners``: each party's Safe owner address (EIP-55), read from its device
  (``device_uri``, ``path``, ``fingerprint``) or given for a party signing elsewhere.
* ``vault_safes`` / ``vault_safe_tokens``: a client's Safe (chain id, address, the
  release address its assets go to when unfrozen, the next nonce the desk expects)
  and the token contract of each of its assets with the decimals that contract
  reports (``decimals()``); amounts are always in the token's own smallest unit.
* ``order_safe_signatures``: owners' 65-byte ``r||s||v`` signatures of an order's
  SafeTx hash, each checked by recovering its owner before it is stored.
"""

from __future__ import annotations

from app.store.migrations import Migration

_TABLES = """
CREATE TABLE eth_owners (
    party        TEXT PRIMARY KEY CHECK (party IN ('regulator', 'custodian', 'exchange')),
    address      TEXT NOT NULL UNIQUE CHECK (length(address) = 42),
    device_uri   TEXT NOT NULL DEFAULT '',
    path         TEXT NOT NULL DEFAULT '',
    fingerprint  TEXT NOT NULL DEFAULT '',
    added_at     {time} NOT NULL
);
CREATE TABLE vault_safes (
    client_id        TEXT PRIMARY KEY,
    chain_id         BIGINT NOT NULL CHECK (chain_id > 0),
    safe_address     TEXT NOT NULL CHECK (length(safe_address) = 42),
    release_address  TEXT NOT NULL CHECK (length(release_address) = 42),
    next_nonce       BIGINT NOT NULL DEFAULT 0 CHECK (next_nonce >= 0),
    checked_on_chain INTEGER NOT NULL DEFAULT 0 CHECK (checked_on_chain IN (0, 1)),
    updated_at       {time} NOT NULL,
    UNIQUE (chain_id, safe_address)
);
CREATE TABLE vault_safe_tokens (
    client_id      TEXT NOT NULL REFERENCES vault_safes (client_id),
    asset          TEXT NOT NULL,
    token_address  TEXT NOT NULL CHECK (length(token_address) = 42),
    decimals       INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 36),
    PRIMARY KEY (client_id, asset)
);
CREATE TABLE order_safe_signatures (
    order_id      TEXT NOT NULL,
    safe_tx_hash  TEXT NOT NULL CHECK (length(safe_tx_hash) = 64),
    owner         TEXT NOT NULL CHECK (length(owner) = 42),
    party         TEXT NOT NULL,
    signature     TEXT NOT NULL CHECK (length(signature) = 130),
    shown_in_full INTEGER NOT NULL CHECK (shown_in_full IN (0, 1)),
    added_at      {time} NOT NULL,
    PRIMARY KEY (order_id, owner)
);
"""

SQL = _TABLES.replace("{time}", "TEXT").replace("BIGINT", "INTEGER")
POSTGRES_SQL = _TABLES.replace("{time}", "TIMESTAMPTZ")

MIGRATION = Migration(version=7, name="ethereum", sql=SQL, postgres_sql=POSTGRES_SQL)
