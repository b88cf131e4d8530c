"""What each exchange delivery's signed checkpoint costs the desk (issue 17).

``flush`` builds the newest officer-signed checkpoint document once per flush that
has something to send (``AuditCheckpointService.export_newest``): it re-verifies
the whole chain and builds the RFC 6962 tree of the checkpointed prefix with a
consistency proof from the previous signed checkpoint. This times those two steps
over a synthetic trail (no store, no device), the part that grows with the trail.

    PYTHONPATH=. .venv/bin/python tests/benchmarks/bench_checkpoint_export.py [N]
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from app.domain import audit_chain


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    at = datetime(2026, 12, 3, tzinfo=UTC)
    entries: list[audit_chain.AuditEntry] = []
    previous: audit_chain.AuditEntry | None = None
    for i in range(size):
        previous = audit_chain.next_entry(previous, time=at, actor="desk", action="note",
                                          payload={"i": i})
        entries.append(previous)
    cpu, wall = time.process_time(), time.perf_counter()
    audit_chain.verify_chain(entries)
    verified = time.process_time()
    audit_chain.tree(entries).consistency_proof(size // 2)
    done_cpu, done_wall = time.process_time(), time.perf_counter()
    print(f"{size} entries: verify chain {verified - cpu:.2f} s CPU, tree + consistency proof "
          f"{done_cpu - verified:.2f} s CPU; {done_wall - wall:.2f} s wall")


if __name__ == "__main__":
    main()
