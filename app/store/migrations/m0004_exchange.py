"""Schema v4: what the exchange link, margin-call intake and reconciliation need.

* ``margin_calls``: the notice type (a margin call, or a liquidation notice that
  escalates one), the exchange's sequence number (monotonic check), the
  collateral value the exchange saw, the lifecycle history as JSON, and the
  liquidation amount once escalated.
* ``liquidation_instructions``: the instruction's public id and its signed
  document (what the outbox sends).
* ``reconciliations``: the schedule slot a run belongs to (a slot runs once,
  enforced by a unique index), the ledger sequence it used and the signed
  document.
"""

from __future__ import annotations

from app.store.migrations import Migration

SQL = """
ALTER TABLE margin_calls ADD COLUMN notice TEXT NOT NULL DEFAULT 'margin_call'
    CHECK (notice IN ('margin_call', 'liquidation'));
ALTER TABLE margin_calls ADD COLUMN sequence INTEGER;
ALTER TABLE margin_calls ADD COLUMN collateral_value_usd TEXT NOT NULL DEFAULT '0';
ALTER TABLE margin_calls ADD COLUMN history_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE margin_calls ADD COLUMN liquidation_usd TEXT;
ALTER TABLE margin_calls ADD COLUMN liquidation_notice_id TEXT;
ALTER TABLE liquidation_instructions ADD COLUMN public_id TEXT;
ALTER TABLE liquidation_instructions ADD COLUMN document_json TEXT;
CREATE UNIQUE INDEX liquidation_instructions_public ON liquidation_instructions (public_id);
ALTER TABLE reconciliations ADD COLUMN slot TEXT;
ALTER TABLE reconciliations ADD COLUMN ledger_sequence INTEGER;
ALTER TABLE reconciliations ADD COLUMN document_json TEXT;
CREATE UNIQUE INDEX reconciliations_slot ON reconciliations (slot);
CREATE INDEX inbox_by_sender ON inbox (sender, kind, sequence);
"""

POSTGRES_SQL = """
ALTER TABLE margin_calls ADD COLUMN notice TEXT NOT NULL DEFAULT 'margin_call'
    CHECK (notice IN ('margin_call', 'liquidation'));
ALTER TABLE margin_calls ADD COLUMN sequence BIGINT;
ALTER TABLE margin_calls ADD COLUMN collateral_value_usd desk_amount NOT NULL DEFAULT 0;
ALTER TABLE margin_calls ADD COLUMN history_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE margin_calls ADD COLUMN liquidation_usd desk_amount;
ALTER TABLE margin_calls ADD COLUMN liquidation_notice_id TEXT;
ALTER TABLE liquidation_instructions ADD COLUMN public_id TEXT;
ALTER TABLE liquidation_instructions ADD COLUMN document_json TEXT;
CREATE UNIQUE INDEX liquidation_instructions_public ON liquidation_instructions (public_id);
ALTER TABLE reconciliations ADD COLUMN slot TEXT;
ALTER TABLE reconciliations ADD COLUMN ledger_sequence BIGINT;
ALTER TABLE reconciliations ADD COLUMN document_json TEXT;
CREATE UNIQUE INDEX reconciliations_slot ON reconciliations (slot);
CREATE INDEX inbox_by_sender ON inbox (sender, kind, sequence);
"""

MIGRATION = Migration(version=4, name="exchange", sql=SQL, postgres_sql=POSTGRES_SQL)
