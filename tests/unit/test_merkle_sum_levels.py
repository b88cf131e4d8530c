"""The bulk Merkle-sum engine agrees with the textbook definition, edge cases included."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from app.domain import merkle_sum as ms
from app.domain import merkle_sum_levels as lv
from app.domain.merkle_sum import AssetSchema, MerkleSumTree, SumLeaf
from app.domain.merkle_sum_verify import path_sides
from app.domain.rfc6962 import MerkleError

SCHEMA = AssetSchema(("BENJI", "BTC", "USDC"))
TOP = ms.MAX_AMOUNT


def _leaves(n: int) -> list[SumLeaf]:
    return [SumLeaf(hashlib.sha256(b"%d" % i).digest(), (i * 10**6, i % 7, 10**9 - i))
            for i in range(n)]


def _rfc_sides(index: int, size: int) -> str:
    """The RFC 9162 §2.1.3.2 walk, step by step (the reference for the bit trick)."""
    sides = ""
    fn, sn = index, size - 1
    while sn:
        if fn & 1 or fn == sn:
            sides += "1"
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sides += "0"
        fn >>= 1
        sn >>= 1
    return sides


def test_path_sides_match_the_rfc_walk() -> None:
    for size in range(1, 130):
        for index in range(size):
            assert path_sides(index, size) == _rfc_sides(index, size), (index, size)
    assert path_sides(999_999, 1_000_000) == _rfc_sides(999_999, 1_000_000)


@pytest.mark.parametrize(("block_height", "low_height"),
                         [(1, 1), (2, 1), (3, 2), (4, 4), (5, 3), (12, 4)])
def test_bulk_paths_equal_per_leaf_proofs_across_block_edges(
    block_height: int, low_height: int
) -> None:
    for n in (1, 2, 3, 5, 8, 9, 17, 33, 70, 100):
        leaves = _leaves(n)
        tree = MerkleSumTree(SCHEMA, leaves)
        paths = list(lv.proof_paths(tree.levels, block_height, low_height))
        assert len(paths) == n
        for i, leaf in enumerate(leaves):
            proof = tree.proof(i, leaf)
            assert paths[i] == b"".join(SCHEMA.encode(s.sums) + s.hash for s in proof.siblings)


@pytest.mark.parametrize("lane", [0, 1, 2])
@pytest.mark.parametrize("n", [2, 3, 5, 8])
def test_overflow_in_any_lane_and_any_position_is_refused(lane: int, n: int) -> None:
    """The carry detection of the level sums: the last two leaves together exceed 2**64-1."""
    rows = [[0, 0, 0] for _ in range(n)]
    rows[-1][lane] = TOP
    rows[-2][lane] = 1
    leaves = [SumLeaf(bytes([i]) * 32, tuple(r)) for i, r in enumerate(rows)]
    with pytest.raises(ms.SumOverflowError, match=SCHEMA.assets[lane]):
        MerkleSumTree(SCHEMA, leaves)


def test_sums_reaching_exactly_the_u64_maximum_are_kept() -> None:
    leaves = [SumLeaf(bytes([i]) * 32, (TOP - 2, 1, TOP) if i == 0 else (1, TOP - 1, 0))
              for i in range(3)]
    leaves[2] = SumLeaf(bytes([2]) * 32, (1, 0, 0))
    tree = MerkleSumTree(SCHEMA, leaves)
    assert tree.totals == (TOP, TOP, TOP)


def test_integral_decimal_amounts_build_the_same_tree_as_ints() -> None:
    leaves = _leaves(9)
    as_decimals = [SumLeaf(leaf.commitment, tuple(Decimal(a) for a in leaf.amounts))  # type: ignore[misc]
                   for leaf in leaves]
    tree = MerkleSumTree(SCHEMA, as_decimals)
    assert tree.root == MerkleSumTree(SCHEMA, leaves).root
    assert all(type(t) is int for t in tree.totals)


def test_a_wrong_commitment_size_is_refused_even_when_sizes_compensate() -> None:
    leaves = _leaves(4)
    leaves[1] = SumLeaf(leaves[1].commitment[:31], leaves[1].amounts)
    leaves[2] = SumLeaf(leaves[2].commitment + b"x", leaves[2].amounts)
    with pytest.raises(MerkleError, match="leaf 1"):
        MerkleSumTree(SCHEMA, leaves)


def test_level_records_are_the_nodes_of_the_tree() -> None:
    leaves = _leaves(5)
    tree = MerkleSumTree(SCHEMA, leaves)
    for i, leaf in enumerate(leaves):
        record = tree.levels[0].record(i)
        assert record == SCHEMA.encode(leaf.amounts) + ms.leaf_hash(
            SCHEMA, leaf.commitment, leaf.amounts)
    assert tree.levels[-1].record(0) == SCHEMA.encode(tree.totals) + tree.root


def test_batch_verification_counts_and_names_the_first_bad_leaf() -> None:
    leaves = _leaves(11)
    tree = MerkleSumTree(SCHEMA, leaves)
    proofs = [(i, leaf.commitment, leaf.amounts, path)
              for (i, leaf), path in zip(enumerate(leaves), tree.iter_proof_paths(), strict=True)]
    assert ms.verify_paths(SCHEMA, size=11, root=tree.root, totals=tree.totals,
                           proofs=proofs) == 11
    bad = list(proofs)
    index, commitment, amounts, path = bad[7]
    bad[7] = (index, commitment, (amounts[0] + 1, *amounts[1:]), path)
    with pytest.raises(ms.InvalidSumProofError, match="leaf 7"):
        ms.verify_paths(SCHEMA, size=11, root=tree.root, totals=tree.totals, proofs=bad)
    with pytest.raises(ms.InvalidSumProofError, match="leaf 3"):
        ms.verify_paths(SCHEMA, size=11, root=tree.root, totals=tree.totals,
                        proofs=[(3, commitment, amounts, path[:-1])])
    with pytest.raises(ms.InvalidSumProofError, match="totals"):
        ms.verify_paths(SCHEMA, size=11, root=tree.root, totals=(1, 2), proofs=proofs)
