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
  64 bits (:func:`lane_totals` computes it exactly, also in bulk).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import chain, islice
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


class SumOverflow(Exception):
    """Some per-asset sum does not fit in 64 bits (the caller names the asset)."""


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


def _pair_sums(encoded: bytes, width: int, lane_bits: int) -> bytes:
    """``Z + (Z >> node)`` with ``Z`` the vectors as one integer: pair sums at odd positions.

    Every position holds the sum of two adjacent vectors, and any two adjacent
    subtrees are disjoint sets of leaves, so with per-asset totals below 2**64
    no lane carries. A carry is exactly a total that does not fit: detected from
    the carry-in bits ``a ^ b ^ (a + b)`` at the lane boundaries, and reported.
    """
    z = int.from_bytes(encoded, "big")
    shifted = z >> 8 * width
    total = z + shifted
    size = len(encoded)
    if total >> 8 * size or (z ^ shifted ^ total) & lane_bits:
        raise SumOverflow
    return total.to_bytes(size, "big")


def _hashed(chunk: bytes, piece_size: int) -> bytes:
    """Digests of every ``piece_size`` piece of ``chunk``, concatenated."""
    return b"".join(map(_DIGEST, map(hashlib.sha256, pieces(chunk, piece_size))))


def build_levels(
    leaf_prefix: bytes, commitments: Sequence[bytes], encoded: bytes, width: int
) -> list[Level]:
    """Every level, leaves first, from validated leaves.

    ``leaf_prefix`` is ``0x00 || schema_id``; ``encoded`` is every leaf's ``enc(amounts)``
    (``width`` bytes each, in leaf order). The caller guarantees 32-byte
    commitments and per-asset totals below 2**64 (no lane may carry).

    Work goes in chunks of ``_CHUNK`` nodes whose pieces are interleaved by list
    slice assignment and joined, then hashed while the chunk is in cache; digests
    are joined per chunk at once, so no million-object list is ever kept.
    """
    record_size = width + HASH_SIZE
    count = len(commitments)
    enc_pieces = pieces(encoded, width)
    leaf_size = len(leaf_prefix) + HASH_SIZE + width
    digest_chunks = []
    for start in range(0, count, _CHUNK):
        stop = min(start + _CHUNK, count)
        parts = [leaf_prefix] * (3 * (stop - start))
        parts[1::3] = commitments[start:stop]
        parts[2::3] = islice(enc_pieces, stop - start)
        digest_chunks.append(_hashed(b"".join(parts), leaf_size))
    digests = b"".join(digest_chunks)
    levels: list[Level] = []
    lanes = width // 8
    # bit 0 of every 64-bit lane: where a carry out of the lane below would land
    lane_bits = int.from_bytes((b"\x00" * 7 + b"\x01") * (len(encoded) // 8), "big")
    while True:
        paired = count - count % 2
        enc_it = pieces(memoryview(encoded)[: paired * width], width)
        dig_it = pieces(memoryview(digests)[: paired * HASH_SIZE], HASH_SIZE)
        pair_chunks, digest_chunks = [], []
        for start in range(0, paired, _CHUNK):
            nodes = min(_CHUNK, paired - start)
            e, h = list(islice(enc_it, nodes)), list(islice(dig_it, nodes))
            parts = [_NODE] * (5 * (nodes // 2))
            parts[1::5], parts[2::5], parts[3::5], parts[4::5] = e[0::2], h[0::2], e[1::2], h[1::2]
            chunk = b"".join(parts)
            pair_chunks.append(chunk)
            digest_chunks.append(_hashed(chunk, 2 * record_size + 1))
        odd = encoded[-width:] + digests[-HASH_SIZE:] if count % 2 else b""
        levels.append(Level(b"".join(pair_chunks), count, odd, record_size))
        if count == 1:
            return levels
        del pair_chunks
        # lane_bits was made for the leaf level; the low end of it fits any shorter level
        summed = memoryview(_pair_sums(encoded, width, lane_bits)).cast("Q")
        parents = bytearray(paired // 2 * width)
        lanes_out = memoryview(parents).cast("Q")
        for j in range(lanes):  # copy the odd vectors out, lane by lane (bytes kept as they are)
            lanes_out[j::lanes] = summed[lanes + j : paired * lanes : 2 * lanes]
        encoded = bytes(parents) + odd[:width]  # the odd node is promoted unchanged
        digests = b"".join(digest_chunks) + odd[width:]
        count = paired // 2 + count % 2


def proof_paths(levels: Sequence[Level], block_height: int = 12) -> Iterator[bytes]:
    """Every leaf's sibling records from the leaf up, concatenated, leaf 0 first.

    Suffixes are shared: one per pair of leaves, one per four, and so on, each
    list made from the one above by :meth:`Level.suffixes`. Done per block of
    ``2**block_height`` leaves so that the suffix lists stay a few MB (a whole
    level of them would be hundreds of MB); the leaf paths themselves are never
    held in a list.
    """
    top = len(levels) - 1
    if top == 0:
        return iter((b"",))
    split = min(block_height, top)
    uppers = _suffix_list(levels, top, split, 0, [b""])
    return chain.from_iterable(
        levels[0].suffixes(g << split, min((g + 1) << split, levels[0].count),
                           _suffix_list(levels, split, 1, g, [upper]))
        for g, upper in enumerate(uppers)
    )


def _suffix_list(
    levels: Sequence[Level], high: int, low: int, block: int, suffixes: list[bytes]
) -> list[bytes]:
    """Suffixes of the nodes at level ``low`` below node ``block`` of level ``high``."""
    for lv in range(high - 1, low - 1, -1):
        level = levels[lv]
        start = block << (high - lv)
        stop = min((block + 1) << (high - lv), level.count)
        suffixes = list(level.suffixes(start, stop, suffixes))
    return suffixes
