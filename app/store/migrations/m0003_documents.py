"""Schema v3: what the signed-document services need beyond v2.

* ``party_keys``: a display name and the emulator flag (emulator keys are
  exported flagged, so a production verifier refuses them).
* ``emergency_orders``: the canonical order body every party's signature is
  bound to (through the statement's digest), and the release instruction
  produced on execution (written once, in the same transaction that marks the
  order executed).
"""

from __future__ import annotations

from app.store.migrations import Migration

SQL = """
ALTER TABLE party_keys ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE party_keys ADD COLUMN is_emulator INTEGER NOT NULL DEFAULT 0
    CHECK (is_emulator IN (0, 1));
ALTER TABLE emergency_orders ADD COLUMN body_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE emergency_orders ADD COLUMN release_json TEXT;
"""

POSTGRES_SQL = """
ALTER TABLE party_keys ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE party_keys ADD COLUMN is_emulator INTEGER NOT NULL DEFAULT 0
    CHECK (is_emulator IN (0, 1));
ALTER TABLE emergency_orders ADD COLUMN body_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE emergency_orders ADD COLUMN release_json TEXT;
"""

MIGRATION = Migration(version=3, name="documents", sql=SQL, postgres_sql=POSTGRES_SQL)
