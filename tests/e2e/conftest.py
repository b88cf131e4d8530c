"""Fixtures shared by the e2e tests: alice and bob, each on their own emulator.

A module that defines its own ``devices`` or ``store`` fixture overrides these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from officer_desk import desk_with_officers, officer_emulators

from app.store.sqlite_store import SqliteStore
from signing.emulator.main import RunningEmulator


@pytest.fixture(scope="module")
def devices() -> Iterator[dict[str, RunningEmulator]]:
    """alice's (``abandon`` seed) and bob's (``all`` seed) emulators."""
    yield from officer_emulators()


@pytest.fixture
def store(
    store_factory: Callable[[], SqliteStore], devices: dict[str, RunningEmulator]
) -> Iterator[SqliteStore]:
    """A store with the demo snapshot and alice and bob registered (on both backends)."""
    yield from desk_with_officers(store_factory(), devices)
