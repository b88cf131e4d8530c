"""The Merkle benchmark script still runs (on a tiny size) and prints its table."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_merkle.py"


def test_bench_merkle_runs_on_a_small_tree(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("bench_merkle", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(sys, "argv", ["bench_merkle.py", "300", "50"])
    module.main()
    out = capsys.readouterr().out
    for row in ("hashlib floor (tree)", "build + all proofs", "verify proofs", "attestation"):
        assert row in out
    assert "300 leaves" in out and "50 proofs" in out
    # the verifier's hashlib was restored after recording the floor's preimages
    from app.domain import merkle_sum_verify

    assert vars(merkle_sum_verify)["hashlib"].__name__ == "hashlib"
