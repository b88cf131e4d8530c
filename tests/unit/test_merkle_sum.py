"""Merkle-sum tree: every proof verifies, every corruption and every cheat is caught."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import merkle_sum as ms
from app.domain.merkle_sum import (
    AmountError,
    AssetSchema,
    InvalidSumProofError,
    MerkleSumTree,
    SumLeaf,
    SumProof,
    SumSibling,
)
from app.domain.rfc6962 import MerkleError

SCHEMA = AssetSchema(("BENJI", "BTC", "USDC"))
SALT = bytes(range(32))


def _leaves(n: int, seed: int = 1) -> list[SumLeaf]:
    out = []
    for i in range(n):
        commitment = ms.client_commitment(f"client-{seed}-{i}", SALT)
        amounts = ((i * 7919 + seed) % 1000 * 10**6, (i % 3) * 10**8 + i, 10**6 + i * seed)
        out.append(SumLeaf(commitment, amounts))
    return out


Node = tuple[tuple[int, ...], bytes]


def _reference(
    leaves: Sequence[SumLeaf], combine: Callable[[int, int], int] = int.__add__
) -> tuple[Node, dict[int, list[Node]]]:
    """Textbook recursive build, independent of the level arrays.

    Returns the top node and, per leaf index, its siblings bottom-up. ``combine``
    is how a node's sums are derived from its children's (a cheat uses max).
    """

    def build(lo: int, hi: int) -> Node:
        if hi - lo == 1:
            leaf = leaves[lo]
            return leaf.amounts, ms.leaf_hash(SCHEMA, leaf.commitment, leaf.amounts)
        k = 1
        while k * 2 < hi - lo:
            k *= 2
        left, right = build(lo, lo + k), build(lo + k, hi)
        for i in range(lo, lo + k):
            paths[i].append(right)
        for i in range(lo + k, hi):
            paths[i].append(left)
        pre = b"\x01" + SCHEMA.encode(left[0]) + left[1] + SCHEMA.encode(right[0]) + right[1]
        sums = tuple(combine(a, b) for a, b in zip(left[0], right[0], strict=True))
        return sums, hashlib.sha256(pre).digest()

    paths: dict[int, list[Node]] = {i: [] for i in range(len(leaves))}
    top = build(0, len(leaves))
    return top, paths


def _verify_both(tree_root: bytes, totals: Sequence[int], proof: SumProof) -> None:
    ms.verify_proof(SCHEMA, proof, tree_root, totals)
    path = b"".join(SCHEMA.encode(s.sums) + s.hash for s in proof.siblings)
    ms.verify_path(
        SCHEMA, index=proof.index, size=proof.size, commitment=proof.commitment,
        amounts=proof.amounts, path=path, root=tree_root, totals=totals,
    )


def _rejected(root: bytes, totals: Sequence[int], proof: SumProof) -> bool:
    try:
        ms.verify_proof(SCHEMA, proof, root, totals)
    except InvalidSumProofError:
        return True
    return False


@pytest.mark.parametrize("n", range(1, 65))
def test_every_proof_of_every_size_verifies(n: int) -> None:
    leaves = _leaves(n)
    tree = MerkleSumTree(SCHEMA, leaves)
    (ref_sums, ref_hash), ref_paths = _reference(leaves)
    assert tree.root == ref_hash
    assert tree.totals == ref_sums == tuple(
        sum(leaf.amounts[j] for leaf in leaves) for j in range(3)
    )
    paths = list(tree.iter_proof_paths())
    bulk = list(tree.iter_proofs(leaves))
    assert len(paths) == len(bulk) == n
    for i, leaf in enumerate(leaves):
        proof = tree.proof(i, leaf)
        assert bulk[i] == proof
        assert [(s.sums, s.hash) for s in proof.siblings] == ref_paths[i]
        assert paths[i] == b"".join(SCHEMA.encode(s.sums) + s.hash for s in proof.siblings)
        _verify_both(tree.root, tree.totals, proof)


def _corruptions(proof: SumProof) -> list[tuple[str, SumProof]]:
    out: list[tuple[str, SumProof]] = []
    sibs = list(proof.siblings)
    for k, sib in enumerate(sibs):
        for b in range(32):
            bad = bytearray(sib.hash)
            bad[b] ^= 0x01
            out.append((f"hash {k} byte {b}", replace(
                proof, siblings=(*sibs[:k], SumSibling(sib.sums, bytes(bad)), *sibs[k + 1 :]))))
        enc = SCHEMA.encode(sib.sums)
        for b in range(len(enc)):
            bad = bytearray(enc)
            bad[b] ^= 0x80
            out.append((f"sums {k} byte {b}", replace(
                proof,
                siblings=(*sibs[:k], SumSibling(SCHEMA.decode(bytes(bad)), sib.hash),
                          *sibs[k + 1 :]))))
    for k in range(len(sibs) - 1):
        if sibs[k] != sibs[k + 1]:
            swapped = [*sibs[:k], sibs[k + 1], sibs[k], *sibs[k + 2 :]]
            out.append((f"swap {k}", replace(proof, siblings=tuple(swapped))))
    if sibs:
        out.append(("drop last", replace(proof, siblings=tuple(sibs[:-1]))))
        out.append(("drop first", replace(proof, siblings=tuple(sibs[1:]))))
        out.append(("extra", replace(proof, siblings=(*sibs, sibs[0]))))
    for other in range(proof.size):
        if other != proof.index:
            out.append((f"index {other}", replace(proof, index=other)))
    # The tree size is not a corruption target here: as in RFC 6962 a path can fit
    # several sizes; the signed statement's client count fixes it (attestation.py).
    out.append(("index out of range", replace(proof, index=proof.size)))
    bump = tuple(a + (1 if j == 0 else 0) for j, a in enumerate(proof.amounts))
    out.append(("amount+1", replace(proof, amounts=bump)))
    out.append(("commitment", replace(proof, commitment=hashlib.sha256(b"other").digest())))
    return out


@pytest.mark.parametrize("n", range(1, 65))
def test_every_corruption_is_rejected(n: int) -> None:
    leaves = _leaves(n, seed=3)
    tree = MerkleSumTree(SCHEMA, leaves)
    for i in sorted({0, n // 2, n - 1}):
        proof = tree.proof(i, leaves[i])
        for what, bad in _corruptions(proof):
            assert _rejected(tree.root, tree.totals, bad), f"n={n} leaf {i}: {what} accepted"


def test_wrong_root_or_totals_is_rejected() -> None:
    leaves = _leaves(9)
    tree = MerkleSumTree(SCHEMA, leaves)
    proof = tree.proof(4, leaves[4])
    assert _rejected(hashlib.sha256(b"x").digest(), tree.totals, proof)
    lower = (tree.totals[0], tree.totals[1] - 1, tree.totals[2])
    assert _rejected(tree.root, lower, proof)


@pytest.mark.parametrize("n", range(2, 65))
def test_prover_reporting_max_instead_of_sum_is_caught(n: int) -> None:
    leaves = _leaves(n, seed=5)
    (cheat_sums, cheat_root), cheat_paths = _reference(leaves, combine=max)
    honest = MerkleSumTree(SCHEMA, leaves)
    assert cheat_sums != honest.totals  # the cheat really hides liabilities
    for i, leaf in enumerate(leaves):
        proof = SumProof(i, n, leaf.commitment, leaf.amounts,
                         tuple(SumSibling(s, h) for s, h in cheat_paths[i]))
        assert _rejected(cheat_root, cheat_sums, proof), f"leaf {i} of {n} accepted"


@pytest.mark.parametrize("lane", [0, 1, 2])
def test_sibling_sums_cannot_wrap_around_64_bits(lane: int) -> None:
    """A forged sibling whose sum overflows u64 must not let a total wrap to a small value.

    Lane 0 would overflow past the top; lanes 1 and 2 would carry into their neighbour.
    """
    big = 2**63
    mine = tuple(big if j == lane else 0 for j in range(3))
    theirs = tuple(big + 5 if j == lane else 7 for j in range(3))
    wrapped = tuple(5 if j == lane else 7 for j in range(3))
    leaf = SumLeaf(hashlib.sha256(b"c").digest(), mine)
    sib_hash = hashlib.sha256(b"s").digest()
    sib_enc = b"".join(v.to_bytes(8, "big") for v in theirs)
    h = ms.leaf_hash(SCHEMA, leaf.commitment, leaf.amounts)
    root = hashlib.sha256(b"\x01" + SCHEMA.encode(leaf.amounts) + h + sib_enc + sib_hash).digest()
    proof = SumProof(0, 2, leaf.commitment, leaf.amounts, (SumSibling(theirs, sib_hash),))
    with pytest.raises(InvalidSumProofError, match="2\\*\\*64"):
        ms.verify_proof(SCHEMA, proof, root, wrapped)
    with pytest.raises(InvalidSumProofError, match="2\\*\\*64"):
        ms.verify_path(SCHEMA, index=0, size=2, commitment=leaf.commitment,
                       amounts=leaf.amounts, path=sib_enc + sib_hash, root=root, totals=wrapped)


def test_fast_verifier_accepts_sums_up_to_the_u64_maximum() -> None:
    top = ms.MAX_AMOUNT
    leaves = [SumLeaf(bytes(32), (top - 1, top - 2, 0)), SumLeaf(bytes([1] * 32), (1, 2, top))]
    tree = MerkleSumTree(SCHEMA, leaves)
    assert tree.totals == (top, top, top)
    for i, path in enumerate(tree.iter_proof_paths()):
        ms.verify_path(SCHEMA, index=i, size=2, commitment=leaves[i].commitment,
                       amounts=leaves[i].amounts, path=path, root=tree.root, totals=tree.totals)


@pytest.mark.parametrize(
    "bad",
    [-1, 1.0, True, Decimal("1.5"), Decimal("NaN"), Decimal("-Infinity"), "5", None, 2**64,
     Decimal(2**64)],
    ids=repr,
)
def test_bad_amounts_are_refused_with_a_typed_error(bad: object) -> None:
    leaf = SumLeaf(bytes(32), (1, bad, 3))  # type: ignore[arg-type]
    with pytest.raises(AmountError, match="BTC"):
        MerkleSumTree(SCHEMA, [leaf])


def test_integral_decimals_and_the_u64_maximum_are_accepted() -> None:
    assert ms.check_amount(Decimal("5.00")) == 5
    tree = MerkleSumTree(SCHEMA, [SumLeaf(bytes(32), (ms.MAX_AMOUNT, 0, 0))])
    assert tree.totals == (ms.MAX_AMOUNT, 0, 0)


def test_sum_overflow_is_refused() -> None:
    leaves = [SumLeaf(bytes(32), (ms.MAX_AMOUNT, 0, 0)), SumLeaf(bytes(32), (1, 0, 0))]
    with pytest.raises(ms.SumOverflowError, match="BENJI"):
        MerkleSumTree(SCHEMA, leaves)


def test_schema_rules() -> None:
    with pytest.raises(MerkleError):
        AssetSchema(("USDC", "BTC"))  # not ascending
    with pytest.raises(MerkleError):
        AssetSchema(("BTC", "BTC"))
    with pytest.raises(MerkleError):
        AssetSchema(("btc",))
    with pytest.raises(MerkleError):
        AssetSchema(())
    assert AssetSchema.of(["USDC", "BTC"]).assets == ("BTC", "USDC")
    with pytest.raises(AmountError, match="unknown"):
        SCHEMA.amounts_from_mapping({"ETH": 1})
    assert SCHEMA.amounts_from_mapping({"BTC": 2}) == (0, 2, 0)


def test_schema_is_bound_into_every_leaf() -> None:
    """The same amounts under a relabelled asset order give a different root."""
    other = AssetSchema(("BTC", "USDC", "ZZZ"))
    commitment = bytes(32)
    assert ms.leaf_hash(SCHEMA, commitment, (1, 2, 3)) != ms.leaf_hash(other, commitment, (1, 2, 3))


def test_commitment_hides_and_binds_the_client_id() -> None:
    a = ms.client_commitment("OKX-0001", SALT)
    assert a == ms.client_commitment("OKX-0001", SALT)
    assert a != ms.client_commitment("OKX-0002", SALT)
    assert a != ms.client_commitment("OKX-0001", bytes(32))
    with pytest.raises(MerkleError):
        ms.client_commitment("OKX-0001", b"short")


def test_empty_tree_is_refused() -> None:
    with pytest.raises(MerkleError):
        MerkleSumTree(SCHEMA, [])


def test_proof_dict_round_trip_and_strict_parsing() -> None:
    leaves = _leaves(5)
    tree = MerkleSumTree(SCHEMA, leaves)
    proof = tree.proof(3, leaves[3])
    data = proof.to_dict()
    assert SumProof.from_dict(data) == proof
    for key, value in [("amounts", ["01", "2", "3"]), ("commitment", "AB" * 32),
                       ("amounts", [1, 2, 3]), ("index", "3")]:
        with pytest.raises(InvalidSumProofError):
            SumProof.from_dict({**data, key: value})
    with pytest.raises(InvalidSumProofError):
        SumProof.from_dict({k: v for k, v in data.items() if k != "siblings"})


amount = st.integers(0, 10**15)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(amount, amount, amount), min_size=1, max_size=40), st.data())
def test_property_every_proof_verifies_and_totals_are_sums(
    rows: list[tuple[int, int, int]], data: st.DataObject
) -> None:
    leaves = [SumLeaf(hashlib.sha256(str(i).encode()).digest(), r) for i, r in enumerate(rows)]
    tree = MerkleSumTree(SCHEMA, leaves)
    assert tree.totals == tuple(sum(r[j] for r in rows) for j in range(3))
    i = data.draw(st.integers(0, len(rows) - 1))
    _verify_both(tree.root, tree.totals, tree.proof(i, leaves[i]))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(amount, amount, amount), min_size=2, max_size=40), st.data())
def test_property_a_changed_leaf_amount_is_rejected(
    rows: list[tuple[int, int, int]], data: st.DataObject
) -> None:
    leaves = [SumLeaf(hashlib.sha256(str(i).encode()).digest(), r) for i, r in enumerate(rows)]
    tree = MerkleSumTree(SCHEMA, leaves)
    i = data.draw(st.integers(0, len(rows) - 1))
    j = data.draw(st.integers(0, 2))
    delta = data.draw(st.integers(-rows[i][j], 10**6).filter(lambda d: d != 0))
    amounts = tuple(a + (delta if k == j else 0) for k, a in enumerate(rows[i]))
    proof = replace(tree.proof(i, leaves[i]), amounts=amounts)
    assert _rejected(tree.root, tree.totals, proof)
