"""The one benchmark runner: runs every ``bench_*.py`` here, each in its own process.

    .venv/bin/python tests/benchmarks/run.py            # all of them (several minutes)
    .venv/bin/python tests/benchmarks/run.py merkle gui # only those whose name contains a word

Each script prints its own table; this runner prints them one after another with the
machine it ran on, and a closing summary of how long each took. Figures belong in
docs/performance.md together with this command. Benchmarks are not tests: nothing
here passes or fails on a number.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    wanted = sys.argv[1:]
    scripts = sorted(HERE.glob("bench_*.py"))
    if wanted:
        scripts = [s for s in scripts if any(word in s.stem for word in wanted)]
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    cpu = platform.processor() or platform.machine()
    python = platform.python_version()
    print(f"# Custody Desk benchmarks: {cpu}, {os.cpu_count()} cores, Python {python}")
    summary: list[tuple[str, float, int]] = []
    for script in scripts:
        print(f"\n## {script.stem}\n", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], env=env, cwd=HERE.parent.parent)
        summary.append((script.stem, time.perf_counter() - started, code))
    print("\n## runner summary\n")
    print(f"{'benchmark':<20} {'seconds':>8}  exit")
    for name, seconds, code in summary:
        print(f"{name:<20} {seconds:>8.1f}  {code}")
    return max((code for _, _, code in summary), default=0)


if __name__ == "__main__":
    raise SystemExit(main())
