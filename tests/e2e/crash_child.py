"""Child process of the crash-safety test: audited writes, each acknowledged after COMMIT.

Usage: ``python tests/e2e/crash_child.py STORE_PATH TOTAL``

Each write is one use case in one transaction: a row in ``outbox``, a counter in
``settings`` and an audit entry. Only after the transaction committed does the
child print the write's number on its own line (the acknowledgement the parent
trusts). After a restart it continues from the committed counter, until TOTAL
writes exist.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.services.unit_of_work import unit_of_work  # noqa: E402
from app.store import open_store  # noqa: E402
from app.store.codec import time_to_text  # noqa: E402

COUNTER_KEY = "crash_test.writes"


def main(argv: list[str]) -> int:
    store_path, total = Path(argv[1]), int(argv[2])
    store = open_store(store_path)
    out = sys.stdout
    while True:
        with unit_of_work(store) as uow:
            done = int(uow.tx.settings.get(COUNTER_KEY) or 0)
            if done >= total:
                break
            write_id = done + 1

            def insert(db: sqlite3.Connection, write_id: int = write_id) -> None:
                db.execute(
                    "INSERT INTO outbox (idempotency_key, kind, destination, payload, status,"
                    " created_at) VALUES (?, 'crash-test', 'nowhere', ?, 'pending', ?)",
                    (f"crash-{write_id}", f'{{"write_id":{write_id}}}', time_to_text(uow.now)),
                )

            uow.tx.repository(insert)
            uow.tx.settings.put(COUNTER_KEY, str(write_id), uow.now)
            uow.audit("test:crash-child", "crash.write", {"write_id": write_id})
        # The with-block has returned: COMMIT is durable, so acknowledge now.
        out.write(f"{write_id}\n")
        out.flush()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
