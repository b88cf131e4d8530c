"""Benchmark: Merkle-sum attestation tree over 1,000,000 positions, against a hashlib floor.

Run: ``.venv/bin/python tests/benchmarks/bench_merkle.py [POSITIONS] [VERIFY_SAMPLE]``
(defaults 1,000,000 and 100,000). Prints a table of CPU seconds (``process_time``,
best of 3: the machine is shared); a figure to record, not a test.

Rows:

* *floor*: a bare ``for m in preimages: sha256(m).digest()`` loop over exactly
  the byte strings the tree hashes (every leaf and node preimage), i.e. the
  same number of SHA-256 calls over the same bytes, with the preimages already
  built.
* *build*: ``MerkleSumTree(schema, leaves)`` from ``SumLeaf`` objects (salted
  commitments, integer base-unit amounts): validation, encodings, sums, hashes.
  Two diagnostic rows split it: *leaf intake* (``encode_leaves``: reading,
  checking and encoding the Python leaf objects) and *SHA-256* alone, done as
  the build does it (preimages cut from the level buffers, hashed in C iterators).
* *all proofs*: every client's proof path as bytes (``iter_proof_paths``).
* *verify*: ``verify_path`` once per proof over a sample, and ``verify_paths``
  over the same sample in one call, against a floor loop over the preimages
  those verifications hash.
* *attestation*: ``build_attestation`` end to end (Decimal quantities to base
  units, per-client valuation, tree, proofs, statement) for a smaller set.

Goal (issue 2): build + all proofs, and verification, within 1.5x the floor.
Not reached in pure Python. On the project machine (2-core x86_64, Python
3.11.7, OpenSSL 3.0, shared; +-5% run to run) build + all proofs went from
3.25x to 2.7-2.8x and verification from 3.47x to 2.9-3.1x with one call per
proof (2.85x through ``verify_paths``). The diagnostic rows show why 1.5x is out
of reach for this API:

* The floor costs ~255 ns per call, and ~120 ns of that is ``digest()`` alone
  (OpenSSL copies the context to finalise). Any build must make the same 2n-1
  calls, and cutting each preimage out of a buffer and keeping its digest is at
  least ~15 ns + ~25 ns more: SHA-256 alone, done as cheaply as Python allows
  (``struct.iter_unpack`` pieces, ``map``, chunked ``join``), measures ~1.15-1.2x.
* Reading the input costs ~0.55x more: a million ``SumLeaf`` objects scattered
  in memory, each attribute read ~20-35 ns, plus the type check that refuses
  ``bool`` (``struct``/``array`` would take ``True`` as 1), the length checks and
  the encoding. SHA-256 plus intake is already ~1.7x, before one byte of a
  node is assembled.
* The rest of the build is ~0.65x: interleaving ``0x01 || enc || hash`` pairs
  (a ``zip`` + ``join`` per chunk, ~30-60 ns a node: every per-node Python object
  costs that, and ``bytes.join`` allocates an 80-byte ``Py_buffer`` per item, so
  it must run in chunks), the per-level sums (big-integer lanes: ~1 ns a byte for
  ``from_bytes``/``to_bytes``) and first-touch page faults on ~110 MB of level
  buffers (~0.45 ns a byte on this VM).
* All proofs are ~0.4x: 1,000,000 paths of 1,120 bytes each are 1.1 GB of
  output; one allocation and copy per path is ~65 ns (0.13x) and the shared
  suffixes and small low parts add the rest.
* Verification: per step the preimage needs three pieces that exist only at
  that step (sibling record, running sums, previous digest), ~90 ns of
  concatenation on ~265 ns of hashing (1.35x for the chain alone), plus ~6 us
  per proof of input checks, exact-total check, prefix sums (by doubling on
  one integer), step sides and unpacking (~1x of a 21-hash floor).

numpy is not a dependency and was not tried: it could take the interleaving and
the sums (the ~0.6x) but not the SHA-256 calls or the object intake, which alone
exceed 1.5x. Reaching the goal needs the hashing loop in native code (a C
extension, or hashing many preimages per call), or a tree format whose node
preimages are cheaper to assemble; neither is in this task's scope.
"""

from __future__ import annotations

import gc
import hashlib
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.domain import merkle_sum as ms  # noqa: E402
from app.domain import merkle_sum_levels as lv  # noqa: E402
from app.domain import merkle_sum_verify as msv  # noqa: E402
from app.domain.attestation import ClientHoldings, build_attestation  # noqa: E402
from app.domain.statement import Environment  # noqa: E402

T = TypeVar("T")
DEFAULT_POSITIONS = 1_000_000
DEFAULT_VERIFY_SAMPLE = 100_000
ATTESTATION_CLIENTS = 100_000
SCHEMA = ms.AssetSchema(("BENJI", "BTC", "USDC"))


def _timed(fn: Callable[[], T], repeat: int = 3) -> tuple[float, T]:
    """Best CPU time of ``repeat`` runs.

    CPU time of this process (``time.process_time``), not wall time: on a shared
    machine (CI, other jobs) wall time mostly measures the neighbours.
    """
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def _leaves(n: int) -> list[ms.SumLeaf]:
    salt = hashlib.sha256(b"bench salt (not secret)").digest()
    return [
        ms.SumLeaf(ms.client_commitment(f"C{i:07d}", salt),
                   ((i * 7919) % 10**6 * 10**6, (i % 13) * 10**7, (i % 101) * 10**9))
        for i in range(n)
    ]


def _tree_preimages(tree: ms.MerkleSumTree, leaves: list[ms.SumLeaf]) -> list[bytes]:
    prefix = b"\x00" + SCHEMA.schema_id
    pre = [prefix + leaf.commitment + SCHEMA.encode(leaf.amounts) for leaf in leaves]
    for level in tree.levels[:-1]:
        size = 2 * level.record_size + 1
        pre.extend(level.pairs[i : i + size] for i in range(0, len(level.pairs), size))
    return pre


def _floor(preimages: list[bytes]) -> None:
    sha256 = hashlib.sha256
    for m in preimages:
        sha256(m).digest()


class _Recorder:
    """Stands in for hashlib inside merkle_sum_verify to capture what a verification hashes."""

    def __init__(self) -> None:
        self.preimages: list[bytes] = []

    def sha256(self, data: bytes) -> Any:
        self.preimages.append(bytes(data))
        return hashlib.sha256(data)


def _verify_all(tree: ms.MerkleSumTree, leaves: list[ms.SumLeaf],
                picks: list[tuple[int, bytes]]) -> None:
    root, totals, size = tree.root, tree.totals, tree.size
    verify = ms.verify_path
    for i, path in picks:
        leaf = leaves[i]
        verify(SCHEMA, index=i, size=size, commitment=leaf.commitment, amounts=leaf.amounts,
               path=path, root=root, totals=totals)


def _hash_from_buffers(tree: ms.MerkleSumTree, leaves: list[ms.SumLeaf]) -> float:
    """CPU seconds of only the SHA-256 part of the build, done the way the build does it.

    Every preimage cut from contiguous buffers (``struct.iter_unpack``) and hashed
    in C iterators, digests joined per chunk; no encoding, interleaving or sums.
    """
    encoded = ms.encode_leaves(SCHEMA, leaves)
    assert encoded is not None
    leaf_size = 1 + 32 + 32 + SCHEMA.width
    jobs: list[tuple[bytes | memoryview, int]] = [(chunk, leaf_size) for chunk in lv._leaf_chunks(
        b"\x00" + SCHEMA.schema_id, encoded[0], encoded[1], SCHEMA.width)]
    for level in tree.levels[:-1]:
        size = 2 * level.record_size + 1
        view = memoryview(level.pairs)
        step = size * lv._CHUNK
        jobs += [(view[i : i + step], size) for i in range(0, len(view), step)]
    sha256, digest = hashlib.sha256, type(hashlib.sha256()).digest

    def run() -> None:
        for chunk, size in jobs:
            b"".join(map(digest, map(sha256, lv.pieces(chunk, size))))

    return _timed(run)[0]


def _verify_batch(tree: ms.MerkleSumTree, leaves: list[ms.SumLeaf],
                  picks: list[tuple[int, bytes]]) -> int:
    proofs = ((i, leaves[i].commitment, leaves[i].amounts, path) for i, path in picks)
    return ms.verify_paths(SCHEMA, size=tree.size, root=tree.root, totals=tree.totals,
                           proofs=proofs)


def _sample(paths: Iterator[bytes], n: int, sample: int) -> list[tuple[int, bytes]]:
    step = max(1, n // sample)
    return [(i, p) for i, p in enumerate(paths) if i % step == 0][:sample]


def _attestation(clients: int) -> int:
    as_of = datetime(2026, 11, 26, 8, tzinfo=UTC)
    holdings = [
        ClientHoldings(f"C{i:07d}", {"BENJI": Decimal(i * 7919 % 10**6), "BTC": Decimal(i % 13)})
        for i in range(clients)
    ]
    att = build_attestation(
        custodian="SCB-DXB", exchange="OKX", env=Environment.TEST, seq=1, as_of=as_of,
        expires_at=as_of + timedelta(days=1), holdings=holdings,
        decimals={"BENJI": 6, "BTC": 8}, prices={"BENJI": Decimal(1), "BTC": Decimal(91000)},
        factors={"BENJI": Decimal("0.98"), "BTC": Decimal("0.80")},
    )
    return len(att.clients)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_POSITIONS
    sample = int(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_VERIFY_SAMPLE
    leaves = _leaves(n)

    t_build, tree = _timed(lambda: ms.MerkleSumTree(SCHEMA, leaves))
    preimages = _tree_preimages(tree, leaves)
    calls = len(preimages)
    t_floor, _ = _timed(lambda: _floor(preimages))
    preimages.clear()
    t_proofs, proof_bytes = _timed(lambda: sum(map(len, tree.iter_proof_paths())))
    t_intake, _ = _timed(lambda: ms.encode_leaves(SCHEMA, leaves))
    t_hashing = _hash_from_buffers(tree, leaves)

    picks = _sample(tree.iter_proof_paths(), n, sample)
    recorder = _Recorder()
    real_hashlib = vars(msv)["hashlib"]
    setattr(msv, "hashlib", SimpleNamespace(sha256=recorder.sha256))  # noqa: B010
    try:
        _verify_all(tree, leaves, picks)
    finally:
        setattr(msv, "hashlib", real_hashlib)  # noqa: B010
    t_verify, _ = _timed(lambda: _verify_all(tree, leaves, picks))
    t_batch, verified = _timed(lambda: _verify_batch(tree, leaves, picks))
    assert verified == len(picks)
    t_vfloor, _ = _timed(lambda: _floor(recorder.preimages))
    v_calls = len(recorder.preimages)
    recorder.preimages.clear()

    att_clients = min(ATTESTATION_CLIENTS, n)
    t_att, _ = _timed(lambda: _attestation(att_clients), repeat=1)

    rows = [
        ("hashlib floor (tree)", f"{calls:,} SHA-256", t_floor, 1.0),
        ("build tree", f"{n:,} leaves", t_build, t_build / t_floor),
        ("  of which leaf intake", "read, check, encode", t_intake, t_intake / t_floor),
        ("  of which SHA-256", "C iterators, buffers", t_hashing, t_hashing / t_floor),
        ("all proofs (paths)", f"{proof_bytes / n:,.0f} B/proof", t_proofs, t_proofs / t_floor),
        ("build + all proofs", "vs tree floor", t_build + t_proofs,
         (t_build + t_proofs) / t_floor),
        ("hashlib floor (verify)", f"{v_calls:,} SHA-256", t_vfloor, 1.0),
        ("verify proofs", f"{len(picks):,} proofs", t_verify, t_verify / t_vfloor),
        ("verify proofs (batch)", f"{len(picks):,} proofs", t_batch, t_batch / t_vfloor),
        ("attestation end to end", f"{att_clients:,} clients", t_att, float("nan")),
    ]
    print(f"Merkle-sum benchmark: {n:,} positions, {len(SCHEMA.assets)} assets, "
          f"Python {sys.version.split()[0]}")
    print(f"{'step':26s} {'size':>22s} {'CPU s':>9s} {'x floor':>8s}")
    for name, size, seconds, ratio in rows:
        shown = "" if ratio != ratio else f"{ratio:8.2f}"
        print(f"{name:26s} {size:>22s} {seconds:9.3f} {shown:>8s}")


if __name__ == "__main__":
    main()
