"""Schema v8: audit entries by action.

Officer and key state is checked against (and revocations derived from) the
audit trail's ``officer.register``, ``party_key.add`` and ``key.revoke`` entries
(``app.services.audit_state``, ``SqliteDeskRepository.trail_revoked_key_ids``):
those reads select by action and must not scan the whole log.
"""

from __future__ import annotations

from app.store.migrations import Migration

SQL = """
CREATE INDEX audit_entries_by_action ON audit_entries (action, seq);
"""

# Portable text: a plain two-column index reads the same in both dialects.
MIGRATION = Migration(version=8, name="audit_by_action", sql=SQL, postgres_sql=SQL)
