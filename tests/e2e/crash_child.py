"""Child process of the crash-safety test: audited writes, each acknowledged after COMMIT.

Usage: ``python tests/e2e/crash_child.py STORE TOTAL [--retry]``

``STORE`` is a SQLite path or a store URL (``postgresql://...``). With ``--retry``
a write that fails because the database is unreachable (a server restart) is
retried after a short pause, as an officer would press the button again; a
write whose COMMIT outcome is unknown is re-read from the committed counter, so
it is never written twice.

Each write is one use case in one transaction: a row in ``outbox``, a counter in
``settings`` and an audit entry. Only after the transaction committed does the
child print the write's number on its own line (the acknowledgement the parent
trusts). After a restart it continues from the committed counter, until TOTAL
writes exist.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.services.data_binding import with_bindings  # noqa: E402
from app.services.unit_of_work import unit_of_work  # noqa: E402
from app.store import StoreBusy, open_store  # noqa: E402
from app.store.codec import time_to_text  # noqa: E402
from app.store.interface import Store  # noqa: E402
from app.store.url import open_store_url  # noqa: E402

COUNTER_KEY = "crash_test.writes"


def _open(where: str) -> Store:
    return open_store_url(where) if "://" in where else open_store(Path(where))


def main(argv: list[str]) -> int:
    where, total, retry = argv[1], int(argv[2]), "--retry" in argv[3:]
    store = _open(where)
    out = sys.stdout
    while True:
        try:
            write_id = _write_next(store, total)
        except StoreBusy:
            if not retry:
                raise
            time.sleep(0.2)
            continue
        if write_id is None:
            break
        # The with-block has returned: COMMIT is durable, so acknowledge now.
        out.write(f"{write_id}\n")
        out.flush()
    store.close()
    return 0


def _write_next(store: Store, total: int) -> int | None:
    """One audited write; its number, or None when TOTAL writes exist."""
    with unit_of_work(store) as uow:
        done = int(uow.tx.settings.get(COUNTER_KEY) or 0)
        if done >= total:
            return None
        write_id = done + 1

        def insert(db: sqlite3.Connection, write_id: int = write_id) -> None:
            db.execute(
                "INSERT INTO outbox (idempotency_key, kind, destination, payload, status,"
                " created_at) VALUES (?, 'crash-test', 'nowhere', ?, 'pending', ?)",
                (f"crash-{write_id}", f'{{"write_id":{write_id}}}', time_to_text(uow.now)),
            )

        uow.tx.repository(insert)
        uow.tx.settings.put(COUNTER_KEY, str(write_id), uow.now)
        # bound like the desk's own outbox writes (audit verify's data check)
        uow.audit("test:crash-child", "crash.write", with_bindings(
            uow.tx, {"write_id": write_id}, ("outbox", f"crash-{write_id}")))
    return write_id


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
