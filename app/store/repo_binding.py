"""Reading stored rows back as plain values, to recompute the content hashes the
audit trail recorded for them (``app.services.data_binding``).

One portable ``SELECT`` per table (SQLite and, through ``PgConnection``,
PostgreSQL); table and column names come from the binders' constants, never
from input. Bind it with ``tx.repository(BindingRepository)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class BindingRepository:
    """Rows of the business tables, as dictionaries of column values."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def rows(
        self,
        table: str,
        columns: Sequence[str],
        where: str | None = None,
        value: object = None,
    ) -> list[dict[str, Any]]:
        """``SELECT columns FROM table [WHERE where = value]``, in primary-key order."""
        sql = f"SELECT {', '.join(columns)} FROM {table}"
        params: tuple[object, ...] = ()
        if where is not None:
            sql += f" WHERE {where} = ?"
            params = (value,)
        cursor = self._db.execute(sql + f" ORDER BY {columns[0]}", params)
        rows: list[dict[str, Any]] = []
        # In batches: one fetchall of 250,000 rows is a C call that holds the GIL for
        # most of a second, and the window's thread waits that long for it.
        while batch := cursor.fetchmany(_BATCH):
            rows.extend({name: row[index] for index, name in enumerate(columns)} for row in batch)
        return rows


_BATCH = 2000
