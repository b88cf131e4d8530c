"""Schema v5: the device a party key was read from.

``party_keys.fingerprint`` is the master fingerprint of the device the key was
read from ("" when the key was typed in as hex): the quorum counts distinct
devices as well as distinct parties, and registration refuses a second party on
a known device (``app.services.independence``). ``path`` is its derivation path.
"""

from __future__ import annotations

from app.store.migrations import Migration

SQL = """
ALTER TABLE party_keys ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE party_keys ADD COLUMN path TEXT NOT NULL DEFAULT '';
"""

# Portable text: two TEXT columns with defaults read the same in both dialects.
MIGRATION = Migration(version=5, name="party_devices", sql=SQL, postgres_sql=SQL)
