"""A psycopg 3 connection that speaks the subset of ``sqlite3.Connection`` the repositories use.

The repositories (``app.store.sqlite_repos``, ``repo_desk``, ``repo_exchange`` and
those other issues add) are written once against ``execute``/``executemany``,
``?`` or ``:name`` placeholders, rows indexable by position and by column name,
``cursor.lastrowid`` and ``cursor.rowcount``. :class:`PgConnection` gives them the
same on PostgreSQL, so a repository is one piece of code for both backends:

* placeholders are translated (``?`` -> ``%s``, ``:name`` -> ``%(name)s``, a
  literal ``%`` doubled), string literals left alone; translations are cached;
* ``INSERT OR IGNORE INTO`` becomes ``INSERT INTO ... ON CONFLICT DO NOTHING``;
* an ``INSERT`` into a table with an identity ``id`` gets ``RETURNING id``, which
  is what ``lastrowid`` reports;
* values come back in the SQLite text form the codec reads: ``NUMERIC`` as plain
  decimal text, ``TIMESTAMPTZ`` as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (the session
  runs in UTC). Parameters go out as text of unknown type, so PostgreSQL casts
  them to the column's NUMERIC/TIMESTAMPTZ (and refuses a malformed value).

SQL that is not portable branches on :func:`dialect_of` in the repository.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal

import psycopg
from psycopg.adapt import Buffer, Loader
from psycopg.rows import RowMaker
from psycopg.types.string import TextLoader

from app.store.dialect import dialect_of

__all__ = ["PgConnection", "PgCursor", "configure_adapters", "dialect_of", "translate"]

Params = Sequence[Any] | Mapping[str, Any]


class _UtcTextLoader(Loader):
    """TIMESTAMPTZ (text format, session TimeZone UTC) -> the codec's UTC text."""

    def load(self, data: Buffer) -> str:
        text = bytes(data).decode("ascii")
        # "2026-12-03 06:11:27.123456+00" or "2026-12-03 06:11:27+00"
        if text.endswith("+00") and len(text) >= 22 and text[10] == " ":
            fraction = text[19:-3]
            micros = fraction[1:].ljust(6, "0") if fraction else "000000"
            return f"{text[:10]}T{text[11:19]}.{micros}Z"
        moment = datetime.fromisoformat(text).astimezone(UTC)  # pragma: no cover - odd zone
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def configure_adapters(connection: psycopg.Connection[Any]) -> None:
    """Load NUMERIC/DATE as text and TIMESTAMPTZ as the codec's UTC text on ``connection``."""
    connection.adapters.register_loader("numeric", TextLoader)
    connection.adapters.register_loader("date", TextLoader)
    connection.adapters.register_loader("timestamptz", _UtcTextLoader)


_TOKENS = re.compile(r"'(?:[^']|'')*'|\$\$.*?\$\$|::|\?|:[A-Za-z_][A-Za-z0-9_]*|%", re.DOTALL)
_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\s", re.IGNORECASE)
_INSERT_TABLE = re.compile(r"^\s*INSERT\s+(?:OR\s+IGNORE\s+)?INTO\s+([A-Za-z_][A-Za-z0-9_]*)", re.I)


def _placeholder(match: re.Match[str]) -> str:
    token = match.group(0)
    if token == "?":
        return "%s"
    if token == "%":
        return "%%"
    if token.startswith(":") and token != "::":
        return f"%({token[1:]})s"
    return token  # string literal, dollar-quoted body or a :: cast


@lru_cache(maxsize=2048)
def translate(sql: str, identity_tables: frozenset[str], *, returning: bool) -> str:
    """SQLite-flavoured repository SQL -> psycopg SQL (see the module docstring)."""
    text = _TOKENS.sub(_placeholder, sql)
    ignore = _INSERT_OR_IGNORE.match(text) is not None
    if ignore:
        text = _INSERT_OR_IGNORE.sub("INSERT INTO ", text, count=1).rstrip().rstrip(";")
        text += " ON CONFLICT DO NOTHING"
    if returning:
        table = _INSERT_TABLE.match(sql)
        if (
            table is not None
            and table.group(1).lower() in identity_tables
            and "returning" not in text.lower()
        ):
            text = text.rstrip().rstrip(";") + " RETURNING id"
    return text


def _row_maker(names: tuple[str, ...]) -> type[tuple[Any, ...]]:
    return _row_class(names)


@lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[tuple[Any, ...]]:
    index = {name: i for i, name in enumerate(names)}

    class Row(tuple[Any, ...]):
        """A row indexable by position and by column name, like ``sqlite3.Row``."""

        __slots__ = ()

        def __getitem__(self, key: Any) -> Any:
            if isinstance(key, str):
                return tuple.__getitem__(self, index[key])
            return tuple.__getitem__(self, key)

        def keys(self) -> list[str]:
            return list(names)

    return Row


def _named_rows(cursor: psycopg.Cursor[Any]) -> RowMaker[Any]:
    description = cursor.description
    if description is None:
        return tuple
    cls = _row_maker(tuple(column.name for column in description))
    return cls


class PgCursor:
    """A cursor with the ``sqlite3.Cursor`` surface the repositories use."""

    def __init__(self, owner: PgConnection) -> None:
        self._owner = owner
        self._cursor: psycopg.Cursor[Any] = owner.raw.cursor(row_factory=_named_rows)
        self.lastrowid: int | None = None
        self._named = True

    @property
    def row_factory(self) -> object:
        return _named_rows if self._named else None

    @row_factory.setter
    def row_factory(self, value: object) -> None:
        # ``cursor.row_factory = None`` asks for plain tuples (a hot loop).
        self._named = value is not None
        self._cursor.row_factory = _named_rows if self._named else _tuples

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def description(self) -> Any:
        return self._cursor.description

    def execute(self, sql: str, params: Params = ()) -> PgCursor:
        query = translate(sql, self._owner.identity_tables, returning=True)
        self._cursor.execute(query, params if params else None)  # type: ignore[arg-type]
        self.lastrowid = None
        if query is not sql and query.endswith(" RETURNING id"):
            row = self._cursor.fetchone()
            self.lastrowid = None if row is None else int(row[0])
        return self

    def executemany(self, sql: str, seq: Iterable[Params]) -> PgCursor:
        query = translate(sql, self._owner.identity_tables, returning=False)
        self._cursor.executemany(query, list(seq))  # type: ignore[arg-type]
        return self

    def fetchone(self) -> Any:
        return self._cursor.fetchone() if self._cursor.pgresult is not None else None

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def fetchmany(self, size: int = 1) -> list[Any]:
        return self._cursor.fetchmany(size)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)

    def stream(self, sql: str, params: Params = ()) -> Iterator[Any]:
        """The rows of ``sql`` as the server sends them, in chunks (``execute`` waits
        for the whole result first): the server's work overlaps the caller's.

        Until the rows are all read the connection is busy (psycopg holds its lock),
        so the transaction ends an unfinished stream before it commits or rolls back
        (:meth:`PgConnection.end_streams`). Needs libpq 17's chunked rows; with an
        older libpq this is ``execute``.
        """
        if psycopg.pq.version() < _CHUNKED_ROWS_LIBPQ:
            return iter(self.execute(sql, params))
        query = translate(sql, self._owner.identity_tables, returning=False)
        rows = self._cursor.stream(query, params if params else None, size=_STREAM_CHUNK)  # type: ignore[arg-type]
        self._owner.streams.append(rows)
        return rows

    def close(self) -> None:
        self._cursor.close()


def _tuples(cursor: psycopg.Cursor[Any]) -> RowMaker[Any]:
    return tuple


_CHUNKED_ROWS_LIBPQ = 170000  # PQsetChunkedRowsMode
_STREAM_CHUNK = 2000  # rows per result: 500 to 10,000 read 250,000 rows equally fast


class PgConnection:
    """One psycopg connection dressed as ``sqlite3.Connection`` for the repositories."""

    dialect: Literal["postgresql"] = "postgresql"

    def __init__(self, raw: psycopg.Connection[Any], identity_tables: frozenset[str]) -> None:
        self.raw = raw
        self.identity_tables = identity_tables
        self.streams: list[Iterator[Any]] = []  # PgCursor.stream's, open or not

    def end_streams(self) -> None:
        """Close every stream not read to its end (the query is cancelled, what was
        sent is drained), so the connection is free for COMMIT or ROLLBACK. A write
        whose query was cancelled cannot commit: PostgreSQL refuses the aborted
        transaction, and the use case fails with that error."""
        streams, self.streams = self.streams, []
        for rows in streams:
            if isinstance(rows, Generator):  # psycopg's stream is one
                rows.close()  # a stream read to its end: nothing happens

    def cursor(self) -> PgCursor:
        return PgCursor(self)

    def execute(self, sql: str, params: Params = ()) -> PgCursor:
        return PgCursor(self).execute(sql, params)

    def executemany(self, sql: str, seq: Iterable[Params]) -> PgCursor:
        return PgCursor(self).executemany(sql, seq)
