"""Byte-level engine of the Merkle-sum tree: levels, sums and proof paths in bulk.

The format is the one in ``app.domain.merkle_sum`` (and ``docs/attestation-format.md``);
this module only makes it fast in pure Python. The rules it follows, and why:

* The per-node Python work is what costs, not SHA-256: one bytes slice or one
  tuple per node is already ~15-60 ns against ~250 ns per SHA-256 call. So every
  per-node step runs inside C iterators (``map``, ``zip``, ``chain``,
  ``struct.iter_unpack``), never in a Python ``for`` loop.
* A level is stored as ONE bytes buffer laid out as the parents' preimages:
  ``0x01 || record(2p) || record(2p+1)`` for every pair ``p`` (``record = enc(sums) ||
  hash``), so hashing a level is ``sha256(piece)`` over fixed-width pieces, and the
  same buffer serves proofs. An odd last node has no pair: it is kept apart and
  promoted unchanged (RFC 6962 shape).
* Sums are added per level, not per node: the level's encoded sums read as one
  big integer ``Z`` of 64-bit lanes; ``Z + (Z >> node_bits)`` holds every pair's
  sum at the odd positions. No lane can carry because every sum of non-negative
  amounts is at most the per-asset total, which the caller has checked fits in
  64 bits.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import chain, islice, repeat
from operator import add

HASH_SIZE = 32
_NODE = b"\x01"
_FOLD = 64  # pieces per struct call: amortises the per-call cost of iter_unpack
_CHUNK = 4096  # nodes per join: bytes.join allocates an 80-byte Py_buffer per item, so
# one join over millions of items pays page faults on hundreds of MB; chunks reuse memory
_DIGEST = type(hashlib.sha256()).digest


@lru_cache(maxsize=64)
def _pieces_struct(size: int, skip: int, tail: int, count: int) -> struct.Struct:
    one = (f"{skip}x" if skip else "") + f"{size}s" + (f"{tail}x" if tail else "")
    return struct.Struct(one * count)


def pieces(buf: bytes | memoryview, size: int, skip: int = 0, tail: int = 0) -> Iterator[bytes]:
    """The ``size``-byte piece of every ``skip + size + tail``-byte stride of ``buf``.

    ``struct.iter_unpack`` cuts them in C (about 15 ns a piece, a quarter of a
    slice expression); ``len(buf)`` must be a multiple of the stride.
    """
    stride = skip + size + tail
    whole = len(buf) // (stride * _FOLD) * stride * _FOLD
    view = memoryview(buf)
    return chain(
        chain.from_iterable(_pieces_struct(size, skip, tail, _FOLD).iter_unpack(view[:whole])),
        chain.from_iterable(_pieces_struct(size, skip, tail, 1).iter_unpack(view[whole:])),
    )


class Level:
    """One level of the tree: ``pairs`` buffer (see module doc) plus an odd last record."""

    __slots__ = ("count", "last", "pairs", "record_size")

    def __init__(self, pairs: bytes, count: int, last: bytes, record_size: int) -> None:
        self.pairs = pairs
        self.count = count
        self.last = last
        self.record_size = record_size

    def record(self, j: int) -> bytes:
        """``enc(sums) || hash`` of node ``j``."""
        if j == self.count - 1 and self.count % 2:
            return self.last
        r = self.record_size
        off = (j >> 1) * (2 * r + 1) + 1 + (j & 1) * r
        return self.pairs[off : off + r]

    def suffixes(self, start: int, stop: int, upper: Sequence[bytes]) -> Iterator[bytes]:
        """Path suffix of every node in ``start..stop-1`` (``start`` even), in order.

        ``upper[i]`` is the suffix of parent ``start // 2 + i``; a node's suffix is
        its sibling's record followed by its parent's. Even nodes' siblings are the
        right halves of the pairs, odd nodes' the left halves: two C-level maps,
        interleaved. A promoted last node has no sibling: its parent's suffix.
        """
        r = self.record_size
        view = memoryview(self.pairs)[start // 2 * (2 * r + 1) : stop // 2 * (2 * r + 1)]
        out = chain.from_iterable(zip(
            map(add, pieces(view, r, skip=1 + r), upper),
            map(add, pieces(view, r, skip=1, tail=r), upper),
            strict=True,
        ))
        if stop % 2:
            return chain(out, (upper[(stop - start) // 2],))
        return out


def _pair_sums(encoded: bytes, width: int) -> bytes:
    """``Z + (Z >> node)`` with ``Z`` the vectors as one integer: pair sums at odd positions.

    Every position holds the sum of two adjacent vectors, i.e. of two disjoint
    sets of leaves, so with per-asset totals below 2**64 no lane ever carries.
    """
    z = int.from_bytes(encoded, "big")
    return (z + (z >> 8 * width)).to_bytes(len(encoded), "big")


def _leaf_chunks(
    leaf_prefix: bytes, commitments: Sequence[bytes], encoded: bytes, width: int
) -> Iterator[bytes]:
    """Leaf preimages ``prefix || commitment || enc(amounts)``, ``_CHUNK`` per buffer.

    The parts are interleaved by list slice assignment (C speed) and joined.
    """
    enc_pieces = pieces(encoded, width)
    count = len(commitments)
    for start in range(0, count, _CHUNK):
        stop = min(start + _CHUNK, count)
        parts = [leaf_prefix] * (3 * (stop - start))
        parts[1::3] = commitments[start:stop]
        parts[2::3] = islice(enc_pieces, stop - start)
        yield b"".join(parts)


def _digests(chunks: Iterator[bytes], piece_size: int) -> Iterator[bytes]:
    """SHA-256 of every ``piece_size`` piece of every chunk, lazily."""
    preimages = chain.from_iterable(map(pieces, chunks, repeat(piece_size)))
    return map(_DIGEST, map(hashlib.sha256, preimages))


def build_levels(
    leaf_prefix: bytes, commitments: Sequence[bytes], encoded: bytes, width: int
) -> list[Level]:
    """Every level, leaves first, from validated leaves.

    ``leaf_prefix`` is ``0x00 || schema_id``; ``encoded`` is every leaf's ``enc(amounts)``
    (``width`` bytes each, in leaf order). The caller guarantees 32-byte
    commitments and per-asset totals below 2**64.

    A level's pairs buffer is one C pipeline: ``zip(0x01, encs, digests, encs,
    digests)`` pulls the even then the odd child from each iterator, the digests
    are computed lazily from the level below as they are pulled, and the parts
    are joined ``_CHUNK`` pairs at a time. No per-node list is ever kept.
    """
    record_size = width + HASH_SIZE
    count = len(commitments)
    digests = _digests(_leaf_chunks(leaf_prefix, commitments, encoded, width),
                       len(leaf_prefix) + HASH_SIZE + width)
    levels: list[Level] = []
    lanes = width // 8
    while True:
        paired = count - count % 2
        encs = pieces(memoryview(encoded)[: paired * width], width)
        pair_digests = islice(digests, paired)
        stream = zip(repeat(_NODE), encs, pair_digests, encs, pair_digests)
        chunks = []
        while chunk := b"".join(chain.from_iterable(islice(stream, _CHUNK))):
            chunks.append(chunk)
        odd = encoded[-width:] + next(digests) if count % 2 else b""
        pairs = b"".join(chunks)
        del chunks
        levels.append(Level(pairs, count, odd, record_size))
        if count == 1:
            return levels
        summed = memoryview(_pair_sums(encoded, width)).cast("Q")
        parents = bytearray(paired // 2 * width)
        lanes_out = memoryview(parents).cast("Q")
        for j in range(lanes):  # copy the odd vectors out, lane by lane (bytes kept as they are)
            lanes_out[j::lanes] = summed[lanes + j : paired * lanes : 2 * lanes]
        encoded = bytes(parents) + odd[:width]  # the odd node is promoted unchanged
        promoted = (odd[width:],) if count % 2 else ()
        digests = chain(_digests(iter((pairs,)), 2 * record_size + 1), promoted)
        count = paired // 2 + count % 2


def proof_paths(
    levels: Sequence[Level], block_height: int = 12, low_height: int = 4
) -> Iterator[bytes]:
    """Every leaf's sibling records from the leaf up, concatenated, leaf 0 first.

    A path is ``low || high``: ``low``, the siblings of the bottom ``low_height``
    levels, is under 512 bytes, so its pieces are joined by cheap small-object
    concatenations; ``high``, the rest (about 1 KB), is one shared suffix per node
    at level ``low_height``, copied once more into each path. Suffix lists are
    made level by level with :meth:`Level.suffixes` (one C-level ``map`` each),
    per block of ``2**block_height`` leaves so that they stay a few MB (a whole
    level of them would be hundreds of MB).
    """
    top = len(levels) - 1
    if top == 0:
        return iter((b"",))
    split = min(block_height, top)
    low = min(low_height, split)
    uppers = _suffix_list(levels, top, split, 0, [b""])
    return chain.from_iterable(
        _block_paths(levels, split, low, g, upper) for g, upper in enumerate(uppers)
    )


def _block_paths(
    levels: Sequence[Level], split: int, low: int, block: int, upper: bytes
) -> Iterator[bytes]:
    """Paths of the leaves under node ``block`` of level ``split`` (see :func:`proof_paths`)."""
    highs = _suffix_list(levels, split, low, block, [upper])
    lows = _suffix_list(levels, low, 1, 0, [b""] * len(highs), offset=block << (split - low))
    leaves = levels[0]
    start = block << split
    paths = leaves.suffixes(start, min(start + (1 << split), leaves.count), lows)
    # every leaf under one level-`low` node shares its high suffix; map stops with `paths`
    return map(add, paths, chain.from_iterable(map(repeat, highs, repeat(1 << low))))


def _suffix_list(
    levels: Sequence[Level], high: int, low: int, block: int, suffixes: list[bytes],
    *, offset: int = 0,
) -> list[bytes]:
    """Suffixes of the nodes at level ``low`` below node ``block`` of level ``high``.

    ``suffixes`` are those of the level-``high`` nodes ``offset + block ...`` (one
    node by default, several when starting from a row of empty suffixes).
    """
    first, last = offset + block, offset + block + len(suffixes)
    for lv in range(high - 1, low - 1, -1):
        level = levels[lv]
        start = first << (high - lv)
        stop = min(last << (high - lv), level.count)
        suffixes = list(level.suffixes(start, stop, suffixes))
    return suffixes
