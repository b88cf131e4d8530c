"""RFC 6962 tree: published roots, transparency-dev probes, and generated proofs."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import rfc6962
from app.domain.rfc6962 import InvalidProofError, MerkleTree

VECTORS = Path(__file__).resolve().parents[1] / "data" / "vectors" / "rfc6962"

README_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
README_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def _b64(value: str) -> bytes:
    return base64.b64decode(value)


def _files(kind: str) -> list[Path]:
    files = sorted((VECTORS / kind).rglob("*.json"))
    assert files, f"no {kind} vectors found"
    return files


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _id(path: Path) -> str:
    return str(path.relative_to(VECTORS))


@pytest.mark.parametrize("n", range(1, 9))
def test_readme_roots(n: int) -> None:
    assert rfc6962.root_of(README_LEAVES[:n]).hex() == README_ROOTS[n - 1]


def test_empty_tree_root_is_hash_of_empty_string() -> None:
    assert MerkleTree([]).root == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("path", _files("inclusion"), ids=_id)
def test_inclusion_vector(path: Path) -> None:
    v = _load(path)
    proof = [_b64(p) for p in (v["proof"] or [])]
    args = (_b64(v["leafHash"]), v["leafIdx"], v["treeSize"], proof, _b64(v["root"]))
    if v["wantErr"]:
        with pytest.raises(InvalidProofError):
            rfc6962.verify_inclusion(*args)
    else:
        rfc6962.verify_inclusion(*args)


@pytest.mark.parametrize("path", _files("consistency"), ids=_id)
def test_consistency_vector(path: Path) -> None:
    v = _load(path)
    proof = [_b64(p) for p in (v["proof"] or [])]
    args = (v["size1"], v["size2"], proof, _b64(v["root1"]), _b64(v["root2"]))
    if v["wantErr"]:
        with pytest.raises(InvalidProofError):
            rfc6962.verify_consistency(*args)
    else:
        rfc6962.verify_consistency(*args)


def test_vectors_cover_both_outcomes() -> None:
    outcomes = {_load(p)["wantErr"] for p in _files("inclusion") + _files("consistency")}
    assert outcomes == {True, False}


def _happy(kind: str) -> list[Path]:
    return [p for p in _files(kind) if p.name == "happy-path.json"]


@pytest.mark.parametrize("path", _happy("inclusion"), ids=_id)
def test_generated_inclusion_proof_matches_vector(path: Path) -> None:
    """The happy-path probes are over the README leaves: our prover emits the same proof."""
    v = _load(path)
    tree = MerkleTree.from_leaves(README_LEAVES[: v["treeSize"]])
    assert tree.root == _b64(v["root"])
    assert tree.leaf_hash_at(v["leafIdx"]) == _b64(v["leafHash"])
    assert tree.inclusion_proof(v["leafIdx"]) == [_b64(p) for p in (v["proof"] or [])]


@pytest.mark.parametrize("path", _happy("consistency"), ids=_id)
def test_generated_consistency_proof_matches_vector(path: Path) -> None:
    v = _load(path)
    tree = MerkleTree.from_leaves(README_LEAVES[: v["size2"]])
    assert tree.root == _b64(v["root2"])
    assert tree.consistency_proof(v["size1"]) == [_b64(p) for p in (v["proof"] or [])]


def _reference_root(hashes: list[bytes]) -> bytes:
    """Textbook recursive MTH, independent of the level-array implementation."""
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return rfc6962.node_hash(_reference_root(hashes[:k]), _reference_root(hashes[k:]))


@pytest.mark.parametrize("n", range(1, 70))
def test_every_proof_of_every_size_verifies(n: int) -> None:
    tree = MerkleTree.from_leaves([i.to_bytes(4, "big") for i in range(n)])
    leaves = [tree.leaf_hash_at(i) for i in range(n)]
    assert tree.root == _reference_root(leaves)
    for i in range(n):
        rfc6962.verify_inclusion(leaves[i], i, n, tree.inclusion_proof(i), tree.root)
    for m in range(1, n + 1):
        old = MerkleTree(leaves[:m]).root
        rfc6962.verify_consistency(m, n, tree.consistency_proof(m), old, tree.root)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 40),
    data=st.data(),
)
def test_any_flipped_bit_or_wrong_index_is_rejected(n: int, data: st.DataObject) -> None:
    tree = MerkleTree.from_leaves([bytes([i]) for i in range(n)])
    i = data.draw(st.integers(0, n - 1))
    proof = tree.inclusion_proof(i)
    j = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    bad = bytearray(proof[j])
    bad[bit // 8] ^= 1 << (bit % 8)
    corrupted = [*proof[:j], bytes(bad), *proof[j + 1 :]]
    with pytest.raises(InvalidProofError):
        rfc6962.verify_inclusion(tree.leaf_hash_at(i), i, n, corrupted, tree.root)
    other = data.draw(st.integers(0, n - 1).filter(lambda x: x != i))
    with pytest.raises(InvalidProofError):
        rfc6962.verify_inclusion(tree.leaf_hash_at(i), other, n, proof, tree.root)


def test_consistency_rejects_a_rewritten_prefix() -> None:
    leaves = [bytes([i]) for i in range(10)]
    old = MerkleTree.from_leaves(leaves[:6])
    rewritten = MerkleTree.from_leaves([*leaves[:3], b"x", *leaves[4:]])
    with pytest.raises(InvalidProofError):
        rfc6962.verify_consistency(6, 10, rewritten.consistency_proof(6), old.root, rewritten.root)


def test_proof_generation_rejects_bad_arguments() -> None:
    tree = MerkleTree.from_leaves([b"a", b"b"])
    with pytest.raises(rfc6962.MerkleError):
        tree.inclusion_proof(2)
    with pytest.raises(rfc6962.MerkleError):
        tree.consistency_proof(0)
    with pytest.raises(rfc6962.MerkleError):
        MerkleTree([b"short"])
