"""RFC 6962 / RFC 9162 Merkle tree: roots, inclusion and consistency proofs.

Leaf hash ``SHA-256(0x00 || data)``, node hash ``SHA-256(0x01 || left || right)``,
a tree of ``n`` leaves splits at the largest power of two strictly below ``n``.
The tree is held level by level; a level with an odd count promotes its last
node unchanged, which yields exactly the RFC shape (left subtrees are complete).

Verifiers follow RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) and
raise :class:`InvalidProofError` with a reason; they never return ``False``, so a
caller cannot forget to check a result. Pure: hashlib only.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()


class MerkleError(ValueError):
    """Base of every error raised by the Merkle modules."""


class InvalidProofError(MerkleError):
    """A proof, root or index does not verify; the message says why."""


def leaf_hash(data: bytes) -> bytes:
    """``SHA-256(0x00 || data)``."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly below ``n`` (``n >= 2``)."""
    if n < 2:
        raise MerkleError(f"cannot split a tree of {n} leaves")
    return 1 << ((n - 1).bit_length() - 1)


def _build_levels(leaf_hashes: Sequence[bytes]) -> list[list[bytes]]:
    sha256 = hashlib.sha256
    levels = [list(leaf_hashes)]
    level = levels[0]
    while len(level) > 1:
        nxt = [sha256(NODE_PREFIX + level[i] + level[i + 1]).digest()
               for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])  # odd node is promoted unchanged (RFC split rule)
        levels.append(nxt)
        level = nxt
    return levels


class MerkleTree:
    """An immutable RFC 6962 tree over leaf hashes, with proof generation."""

    __slots__ = ("_levels",)

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        for i, h in enumerate(leaf_hashes):
            if len(h) != HASH_SIZE:
                raise MerkleError(f"leaf hash {i} is {len(h)} bytes, expected {HASH_SIZE}")
        self._levels = _build_levels(leaf_hashes)

    @classmethod
    def from_leaves(cls, leaves: Sequence[bytes]) -> MerkleTree:
        """Build from raw leaf data (each hashed with the 0x00 prefix)."""
        return cls([leaf_hash(d) for d in leaves])

    @property
    def size(self) -> int:
        return len(self._levels[0])

    @property
    def root(self) -> bytes:
        """The tree head; the hash of the empty string for an empty tree."""
        if not self._levels[0]:
            return EMPTY_ROOT
        return self._levels[-1][0]

    def leaf_hash_at(self, index: int) -> bytes:
        return self._levels[0][index]

    def _subtree(self, start: int, size: int) -> bytes:
        # Every subtree the RFC recursion visits is one node of the level arrays:
        # it starts at a multiple of 2**c and is either complete or the right edge.
        c = (size - 1).bit_length()
        return self._levels[c][start >> c]

    def inclusion_proof(self, index: int) -> list[bytes]:
        """Audit path for leaf ``index`` (RFC 9162 §2.1.3.1), leaf sibling first."""
        if not 0 <= index < self.size:
            raise MerkleError(f"leaf index {index} outside a tree of {self.size}")
        proof: list[bytes] = []
        i = index
        for level in self._levels[:-1]:
            sibling = i ^ 1
            if sibling < len(level):
                proof.append(level[sibling])
            i >>= 1
        return proof

    def consistency_proof(self, old_size: int) -> list[bytes]:
        """Proof that the first ``old_size`` leaves are a prefix of this tree."""
        if not 0 < old_size <= self.size:
            raise MerkleError(f"old size {old_size} must be in 1..{self.size}")
        return self._subproof(old_size, 0, self.size, True)

    def _subproof(self, m: int, start: int, n: int, complete: bool) -> list[bytes]:
        if m == n:
            return [] if complete else [self._subtree(start, n)]
        k = split_point(n)
        if m <= k:
            return [*self._subproof(m, start, k, complete), self._subtree(start + k, n - k)]
        return [*self._subproof(m - k, start + k, n - k, False), self._subtree(start, k)]


def root_of(leaves: Sequence[bytes]) -> bytes:
    """Root of the tree over raw leaf data."""
    return MerkleTree.from_leaves(leaves).root


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise InvalidProofError(f"{what} is {len(value)} bytes, expected {HASH_SIZE}")


def _equal(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)


def root_from_inclusion_proof(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes]
) -> bytes:
    """Recompute the root from a leaf hash and its audit path (RFC 9162 §2.1.3.2)."""
    if size <= 0:
        raise InvalidProofError("empty tree has no leaves")
    if not 0 <= index < size:
        raise InvalidProofError(f"leaf index {index} outside a tree of {size}")
    _check_hash(leaf, "leaf hash")
    fn, sn, r = index, size - 1, leaf
    for i, p in enumerate(proof):
        _check_hash(p, f"proof[{i}]")
        if sn == 0:
            raise InvalidProofError("proof longer than the path to the root")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidProofError("proof shorter than the path to the root")
    return r


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise :class:`InvalidProofError` unless ``leaf`` (a leaf hash) is at ``index``."""
    _check_hash(root, "root")
    if not _equal(root_from_inclusion_proof(leaf, index, size, proof), root):
        raise InvalidProofError("inclusion proof does not lead to the root")


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Raise :class:`InvalidProofError` unless tree ``size1`` is a prefix of ``size2``.

    A check from the empty tree is refused: it proves nothing, and our
    checkpoints never have size 0.
    """
    if size1 <= 0 or size2 <= 0:
        raise InvalidProofError("consistency needs two non-empty trees")
    if size1 > size2:
        raise InvalidProofError(f"old size {size1} is larger than new size {size2}")
    if size1 == size2:
        if proof:
            raise InvalidProofError("equal sizes need an empty proof")
        if not _equal(root1, root2):
            raise InvalidProofError("equal sizes but different roots")
        return
    _check_hash(root1, "old root")
    _check_hash(root2, "new root")
    if not proof:
        raise InvalidProofError("empty consistency proof")
    for i, p in enumerate(proof):
        _check_hash(p, f"proof[{i}]")
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)  # old tree is a complete subtree: its root starts the path
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise InvalidProofError("consistency proof too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidProofError("consistency proof too short")
    if not _equal(fr, root1):
        raise InvalidProofError("consistency proof does not lead to the old root")
    if not _equal(sr, root2):
        raise InvalidProofError("consistency proof does not lead to the new root")
