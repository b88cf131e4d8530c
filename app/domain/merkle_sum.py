"""Merkle-sum tree over client positions, with RFC 6962 shape and domain separation.

Format (byte-exact; ``docs/attestation-format.md`` is the normative write-up):

* A :class:`SumSchema` names the lanes of every sum vector and gives the
  ``schema_id`` leaves hash; ``W = 8 * lanes``. ``enc(sums)`` is each lane as an
  unsigned 64-bit big-endian integer, in order (``W`` bytes). Attestation
  bundles use a :class:`LaneSchema` (lanes and id from
  ``app.domain.attestation``: quantities, locked quantities, value; the id hashes
  codes, decimals, prices and factors). :class:`AssetSchema` is one lane per
  asset code with ``schema_id = SHA-256("CDESK-MSUM/1" || 0x00 || ",".join(assets))``
  (format 1, kept for the tree's own tests and benchmarks).
* ``commitment = SHA-256("CDESK-CLIENT/1" || 0x00 || salt(32) || utf8(client_id))``
  hides the client id from everyone without the salt.
* leaf hash ``= SHA-256(0x00 || schema_id || commitment || enc(amounts))``,
  leaf sums ``= amounts``.
* node hash ``= SHA-256(0x01 || enc(L.sums) || L.hash || enc(R.sums) || R.hash)``,
  node sums ``= L.sums + R.sums`` per asset. Each node commits to *both*
  children's sums, so a prover cannot report anything but their sum upwards.
* A node *record* is ``enc(sums) || hash`` (``W + 32`` bytes); a node preimage is
  ``0x01 || record(L) || record(R)``.
* The tree splits at the largest power of two below ``n`` (as RFC 6962); the
  root is the top node's hash and the totals are the top node's sums.
* An inclusion proof is the leaf's commitment and amounts plus the sibling
  records from the leaf upwards (RFC 9162 audit-path order); the verifier
  recomputes every sum and hash and compares hash and totals with the claim.

Amounts are integer base units (see ``app.domain.money.to_base_units``) in
``0 .. 2**64-1``; every sum, including every node's, must also fit.

This module is the API and the readable reference (``root_from_proof``); the
bulk work is in ``app.domain.merkle_sum_levels`` (build, proof paths) and
``app.domain.merkle_sum_verify`` (byte-path verifier), written for speed in
pure Python (see ``tests/benchmarks/bench_merkle.py`` for figures and limits).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import chain
from operator import attrgetter
from typing import Any

from app.domain.merkle_sum_levels import Level, build_levels, proof_paths
from app.domain.merkle_sum_verify import (  # explicit re-export: callers import it from here
    InvalidSumProofError as InvalidSumProofError,  # noqa: PLC0414
)
from app.domain.merkle_sum_verify import ProofPath
from app.domain.merkle_sum_verify import verify_paths as _verify_paths
from app.domain.rfc6962 import HASH_SIZE, MerkleError

MAX_AMOUNT = 2**64 - 1
SCHEMA_TAG = b"CDESK-MSUM/1\x00"
CLIENT_TAG = b"CDESK-CLIENT/1\x00"
SALT_SIZE = 32
_ASSET_CODE = re.compile(r"^[A-Z0-9]{1,12}$")
_LEAF = b"\x00"
_NODE = b"\x01"


class AmountError(MerkleError):
    """An amount is negative, not an integer, or does not fit in 64 bits."""


class SumOverflowError(AmountError):
    """A per-asset sum over the tree does not fit in 64 bits."""


def check_amount(value: object, where: str = "amount") -> int:
    """Return ``value`` as an int in ``0..2**64-1`` or raise :class:`AmountError`.

    Accepts ``int`` and integral ``Decimal`` (``Decimal("5")``, ``Decimal("5.00")``);
    refuses ``bool``, ``float``, strings, fractions, NaN and infinities.
    """
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise AmountError(f"{where}: must be an integer number of base units, "
                          f"not {type(value).__name__}")
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise AmountError(f"{where}: {value} is not a whole number of base units")
        value = int(value)
    if value < 0:
        raise AmountError(f"{where}: {value} is negative")
    if value > MAX_AMOUNT:
        raise AmountError(f"{where}: {value} exceeds 2**64-1")
    return int(value)


class SumSchema:
    """What a sum vector is: its lane names (``assets``) and the ``schema_id`` leaves hash.

    Subclasses fix how ``schema_id`` is derived: :class:`AssetSchema` (one lane
    per asset code, format 1) and :class:`LaneSchema` (lanes and id given, as the
    attestation bundle of format 2 derives them, ``app.domain.attestation``).
    """

    assets: tuple[str, ...]  # lane names, in vector order

    @property
    def schema_id(self) -> bytes:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    @property
    def width(self) -> int:
        """Bytes of one encoded sum vector (8 per lane)."""
        return 8 * len(self.assets)

    @cached_property
    def _struct(self) -> struct.Struct:
        return struct.Struct(f">{len(self.assets)}Q")

    def amounts_from_mapping(
        self, amounts: Mapping[str, object], where: str = ""
    ) -> tuple[int, ...]:
        """Amounts in schema order; a missing asset is 0, an unknown one an error."""
        unknown = set(amounts) - set(self.assets)
        if unknown:
            raise AmountError(f"{where}unknown asset(s) {sorted(unknown)} for schema {self.assets}")
        return tuple(check_amount(amounts.get(a, 0), f"{where}{a}") for a in self.assets)

    def encode(self, sums: Sequence[int]) -> bytes:
        """``enc(sums)``; raises :class:`AmountError` if a value does not fit in u64."""
        if len(sums) != len(self.assets):
            raise AmountError(f"expected {len(self.assets)} amounts, got {len(sums)}")
        try:
            return self._struct.pack(*sums)
        except struct.error as exc:
            raise AmountError(f"an amount or sum is outside 0..2**64-1 ({exc})") from None

    def decode(self, data: bytes) -> tuple[int, ...]:
        if len(data) != self.width:
            raise InvalidSumProofError(f"sum vector is {len(data)} bytes, expected {self.width}")
        return tuple(self._struct.unpack(data))


@dataclass(frozen=True)
class AssetSchema(SumSchema):
    """The fixed, strictly ascending asset order every sum vector follows."""

    assets: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.assets:
            raise MerkleError("asset schema needs at least one asset")
        for code in self.assets:
            if not isinstance(code, str) or not _ASSET_CODE.match(code):
                raise MerkleError(f"asset code {code!r} must match [A-Z0-9]{{1,12}}")
        if list(self.assets) != sorted(set(self.assets)):
            raise MerkleError("asset codes must be unique and in ascending order")

    @classmethod
    def of(cls, assets: Sequence[str]) -> AssetSchema:
        """Schema over ``assets`` in canonical (sorted) order."""
        return cls(tuple(sorted(assets)))

    @cached_property
    def schema_id(self) -> bytes:
        return hashlib.sha256(SCHEMA_TAG + ",".join(self.assets).encode("ascii")).digest()


@dataclass(frozen=True)
class LaneSchema(SumSchema):
    """Lanes named by the caller under a schema id the caller derived (and hashes)."""

    assets: tuple[str, ...]
    id: bytes

    def __post_init__(self) -> None:
        if not self.assets:
            raise MerkleError("a sum schema needs at least one lane")
        if len(self.id) != HASH_SIZE:
            raise MerkleError(f"schema id must be {HASH_SIZE} bytes")

    @property
    def schema_id(self) -> bytes:
        return self.id


def client_commitment(client_id: str, salt: bytes) -> bytes:
    """``SHA-256("CDESK-CLIENT/1" || 0x00 || salt || utf8(client_id))``."""
    if len(salt) != SALT_SIZE:
        raise MerkleError(f"salt must be {SALT_SIZE} bytes, got {len(salt)}")
    if not client_id:
        raise MerkleError("client id must not be empty")
    return hashlib.sha256(CLIENT_TAG + salt + client_id.encode("utf-8")).digest()


@dataclass(frozen=True, slots=True)  # slots: bulk attribute reads are ~40% faster
class SumLeaf:
    """One client's leaf: its commitment and its amounts in schema order."""

    commitment: bytes
    amounts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SumSibling:
    """One step of a proof: the sibling node's per-asset sums and hash."""

    sums: tuple[int, ...]
    hash: bytes


@dataclass(frozen=True, slots=True)
class SumProof:
    """Inclusion proof of one leaf in a Merkle-sum tree of ``size`` leaves."""

    index: int
    size: int
    commitment: bytes
    amounts: tuple[int, ...]
    siblings: tuple[SumSibling, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ints as decimal strings, bytes as lowercase hex."""
        return {
            "index": self.index,
            "size": self.size,
            "commitment": self.commitment.hex(),
            "amounts": [str(a) for a in self.amounts],
            "siblings": [
                {"sums": [str(s) for s in sib.sums], "hash": sib.hash.hex()}
                for sib in self.siblings
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SumProof:
        """Inverse of :meth:`to_dict`; malformed input raises :class:`InvalidSumProofError`."""
        try:
            return cls(
                index=_plain_int(data["index"], "index"),
                size=_plain_int(data["size"], "size"),
                commitment=_hex32(data["commitment"], "commitment"),
                amounts=tuple(_int_string(a, "amounts") for a in data["amounts"]),
                siblings=tuple(
                    SumSibling(
                        tuple(_int_string(s, "sibling sums") for s in sib["sums"]),
                        _hex32(sib["hash"], "sibling hash"),
                    )
                    for sib in data["siblings"]
                ),
            )
        except (KeyError, TypeError) as exc:
            raise InvalidSumProofError(f"malformed proof: {exc!r}") from None


def _plain_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidSumProofError(f"{what} must be an integer")
    return value


def _int_string(value: object, what: str) -> int:
    if not isinstance(value, str) or not re.fullmatch(r"0|[1-9][0-9]{0,19}", value):
        raise InvalidSumProofError(f"{what}: {value!r} is not a canonical decimal integer")
    return int(value)


def _hex32(value: object, what: str) -> bytes:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{64}", value):
        raise InvalidSumProofError(f"{what} must be 64 lowercase hex digits")
    return bytes.fromhex(value)


class MerkleSumTree:
    """An immutable Merkle-sum tree; build once, then hand out proofs.

    The byte-level work (levels, sums, proof paths in bulk) is in
    ``app.domain.merkle_sum_levels``; this class validates the leaves and keeps
    the levels. Invalid leaves raise the typed errors below, naming the leaf
    and asset.
    """

    __slots__ = ("_levels", "_n", "_schema", "_totals")

    def __init__(self, schema: SumSchema, leaves: Sequence[SumLeaf]) -> None:
        if not leaves:
            raise MerkleError("a Merkle-sum tree needs at least one leaf")
        levels = _fast_build(schema, leaves)
        if levels is None:
            # something is off (type, range, size or a sum): the slow pass names it,
            # or converts what is acceptable (integral Decimals) and we build again
            checked = _validated(schema, leaves)
            levels = _fast_build(schema, checked)
            if levels is None:  # pragma: no cover - _validated refused all that can fail
                raise AmountError("leaves could not be encoded")
        self._schema = schema
        self._n = len(leaves)
        self._levels = levels
        self._totals = schema.decode(levels[-1].last[: schema.width])

    @property
    def schema(self) -> SumSchema:
        return self._schema

    @property
    def size(self) -> int:
        return self._n

    @property
    def root(self) -> bytes:
        """Hash of the top node (the value the statement carries)."""
        return self._levels[-1].last[self._schema.width :]

    @property
    def totals(self) -> tuple[int, ...]:
        """Per-asset sums over every leaf, in schema order."""
        return self._totals

    @property
    def levels(self) -> Sequence[Level]:
        """The levels, leaves first (read-only; for bulk export and benchmarks)."""
        return tuple(self._levels)

    def leaf_hash(self, index: int) -> bytes:
        return self._levels[0].record(index)[self._schema.width :]

    def proof(self, index: int, leaf: SumLeaf) -> SumProof:
        """Proof for ``leaf`` at ``index`` (the caller passes the leaf it built with)."""
        if not 0 <= index < self._n:
            raise MerkleError(f"leaf index {index} outside a tree of {self._n}")
        w = self._schema.width
        decode = self._schema.decode
        siblings: list[SumSibling] = []
        i = index
        for level in self._levels[:-1]:
            j = i ^ 1
            if j < level.count:
                rec = level.record(j)
                siblings.append(SumSibling(decode(rec[:w]), rec[w:]))
            i >>= 1
        return SumProof(index, self._n, leaf.commitment, tuple(leaf.amounts), tuple(siblings))

    def iter_proofs(self, leaves: Sequence[SumLeaf]) -> Iterator[SumProof]:
        """Proofs of every leaf in index order (``leaves`` as built with).

        Siblings above the leaf level are decoded once and shared by every proof
        that passes through them.
        """
        if len(leaves) != self._n:
            raise MerkleError(f"expected {self._n} leaves, got {len(leaves)}")
        w = self._schema.width
        decode = self._schema.decode
        levels = self._levels[:-1]
        cached: list[tuple[int, SumSibling | None]] = [(-1, None)] * len(levels)
        for index, leaf in enumerate(leaves):
            siblings: list[SumSibling] = []
            i = index
            for lv, level in enumerate(levels):
                j = i ^ 1
                seen_j, sib = cached[lv]
                if seen_j != j:
                    sib = None
                    if j < level.count:
                        rec = level.record(j)
                        sib = SumSibling(decode(rec[:w]), rec[w:])
                    cached[lv] = (j, sib)
                if sib is not None:
                    siblings.append(sib)
                i >>= 1
            yield SumProof(index, self._n, leaf.commitment, tuple(leaf.amounts), tuple(siblings))

    def iter_proof_paths(self) -> Iterator[bytes]:
        """Every leaf's sibling records concatenated, leaf 0 first (bulk export).

        Each item is exactly the ``path`` argument of :func:`verify_path`.
        """
        return proof_paths(self._levels)


def _fast_build(schema: SumSchema, leaves: Sequence[SumLeaf]) -> list[Level] | None:
    """Levels from leaves of plain ints in range, or ``None`` for the slow path."""
    encoded = encode_leaves(schema, leaves)
    if encoded is None:
        return None
    return build_levels(_LEAF + schema.schema_id, encoded[0], encoded[1], schema.width)


def encode_leaves(
    schema: SumSchema, leaves: Sequence[SumLeaf]
) -> tuple[list[bytes], bytes] | None:
    """``(commitments, every enc(amounts) concatenated)``, or ``None`` if any leaf needs care.

    C-level passes only: ``array("Q")`` encodes every amount and refuses
    negatives and values above 2**64-1; bools and Decimals are caught by the type
    pass first (``array`` would take ``True`` as 1); exact per-asset totals must
    fit in 64 bits, which also guarantees that no node's sum overflows.
    ``None`` sends the caller to :func:`_validated`, which names the problem.
    """
    k = len(schema.assets)
    commitments = list(map(attrgetter("commitment"), leaves))
    amounts = list(map(attrgetter("amounts"), leaves))
    if not (
        set(map(len, commitments)) == {HASH_SIZE}
        and set(map(len, amounts)) == {k}
        and set(map(type, chain.from_iterable(amounts))) == {int}
    ):
        return None
    try:
        values = array("Q", chain.from_iterable(amounts))  # 'Q' is 8 bytes on CPython
    except OverflowError:
        return None
    if max(sum(values[j::k]) for j in range(k)) > MAX_AMOUNT:
        return None
    if sys.byteorder == "little":
        values.byteswap()  # enc() is big-endian
    return commitments, values.tobytes()


def _validated(schema: SumSchema, leaves: Sequence[SumLeaf]) -> list[SumLeaf]:
    """Leaves with plain-int amounts; the typed error naming leaf and asset otherwise."""
    k = len(schema.assets)
    checked: list[SumLeaf] = []
    sums = [0] * k
    for i, leaf in enumerate(leaves):
        if len(leaf.commitment) != HASH_SIZE:
            raise MerkleError(f"leaf {i}: commitment must be {HASH_SIZE} bytes")
        if len(leaf.amounts) != k:
            raise AmountError(f"leaf {i}: expected {k} amounts, got {len(leaf.amounts)}")
        row = tuple(check_amount(a, f"leaf {i} {schema.assets[j]}")
                    for j, a in enumerate(leaf.amounts))
        for j, a in enumerate(row):
            sums[j] += a
        checked.append(SumLeaf(bytes(leaf.commitment), row))
    for j, total in enumerate(sums):
        if total > MAX_AMOUNT:
            raise SumOverflowError(f"total of {schema.assets[j]} exceeds 2**64-1")
    return checked


def leaf_hash(schema: SumSchema, commitment: bytes, amounts: Sequence[int]) -> bytes:
    """``SHA-256(0x00 || schema_id || commitment || enc(amounts))``."""
    if len(commitment) != HASH_SIZE:
        raise InvalidSumProofError(f"commitment must be {HASH_SIZE} bytes")
    for j, a in enumerate(amounts):
        check_amount(a, schema.assets[j] if j < len(schema.assets) else "amount")
    return hashlib.sha256(_LEAF + schema.schema_id + commitment + schema.encode(amounts)).digest()


def root_from_proof(schema: SumSchema, proof: SumProof) -> tuple[bytes, tuple[int, ...]]:
    """Recompute ``(root hash, totals)`` from a proof (RFC 9162 §2.1.3.2 walk).

    Every intermediate sum is recomputed by addition and must fit in 64 bits.
    """
    index, size = proof.index, proof.size
    if size <= 0:
        raise InvalidSumProofError("empty tree has no leaves")
    if not 0 <= index < size:
        raise InvalidSumProofError(f"leaf index {index} outside a tree of {size}")
    try:
        h = leaf_hash(schema, proof.commitment, proof.amounts)
    except AmountError as exc:
        raise InvalidSumProofError(f"leaf amounts: {exc}") from None
    sums = tuple(proof.amounts)
    own = schema.encode(sums)
    fn, sn = index, size - 1
    for step, sib in enumerate(proof.siblings):
        if sn == 0:
            raise InvalidSumProofError("proof longer than the path to the root")
        if len(sib.hash) != HASH_SIZE or len(sib.sums) != len(sums):
            raise InvalidSumProofError(f"sibling {step} is malformed")
        try:
            sib_sums = tuple(check_amount(s, f"sibling {step} sum") for s in sib.sums)
            sums = tuple(a + b for a, b in zip(sums, sib_sums, strict=True))
            parent = schema.encode(sums)  # refuses a node sum above 2**64-1
        except AmountError as exc:
            raise InvalidSumProofError(str(exc)) from None
        sib_rec = schema.encode(sib_sums) + sib.hash
        if fn & 1 or fn == sn:
            h = hashlib.sha256(_NODE + sib_rec + own + h).digest()
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            h = hashlib.sha256(_NODE + own + h + sib_rec).digest()
        own = parent
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidSumProofError("proof shorter than the path to the root")
    return h, sums


def verify_proof(
    schema: SumSchema, proof: SumProof, root: bytes, totals: Sequence[int]
) -> None:
    """Raise :class:`InvalidSumProofError` unless ``proof`` leads to ``root`` and ``totals``."""
    h, sums = root_from_proof(schema, proof)
    if not hmac.compare_digest(h, root):
        raise InvalidSumProofError("proof does not lead to the root")
    if sums != tuple(totals):
        raise InvalidSumProofError(
            f"recomputed totals {list(sums)} differ from the claimed {list(totals)}"
        )


def verify_path(
    schema: SumSchema,
    *,
    index: int,
    size: int,
    commitment: bytes,
    amounts: Sequence[int],
    path: bytes,
    root: bytes,
    totals: Sequence[int],
) -> None:
    """Fast verifier over a concatenated sibling-record path (see ``iter_proof_paths``).

    Same checks as :func:`verify_proof`, with the per-step sums computed in bulk
    (``app.domain.merkle_sum_verify``).
    """
    _verify_paths(schema.schema_id, len(schema.assets), size=size, root=root, totals=totals,
                  proofs=((index, commitment, amounts, path),))


def verify_paths(
    schema: SumSchema,
    *,
    size: int,
    root: bytes,
    totals: Sequence[int],
    proofs: Iterable[ProofPath],
) -> int:
    """:func:`verify_path` over many ``(index, commitment, amounts, path)`` of one tree.

    Returns how many verified; raises :class:`InvalidSumProofError` naming the
    first leaf that does not. The per-tree work is done once.
    """
    return _verify_paths(schema.schema_id, len(schema.assets), size=size, root=root,
                         totals=totals, proofs=proofs)
