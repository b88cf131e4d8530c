"""Bounded exponential back-off with jitter (shared by the REST link and the outbox)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """``delay(n)`` for the n-th retry (1-based): base * 2**(n-1), capped, with jitter.

    "Equal jitter": half the delay is fixed, half is random, so retries from many
    desks spread out but never collapse to zero.
    """

    base_s: float = 0.2
    cap_s: float = 10.0
    rng: Callable[[], float] = random.random

    def delay(self, attempt: int) -> float:
        raw = min(self.cap_s, self.base_s * 2.0 ** max(0, attempt - 1))
        jitter: float = self.rng()
        return raw / 2 + jitter * raw / 2
