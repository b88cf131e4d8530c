"""The ``driver`` fixture: one harness per registered device family.

Every test in this package runs once per family in ``harness.HARNESSES``; a
family's known driver bugs (``known_bugs``) mark exactly those tests
``xfail(strict=True)`` for that family, so a fix shows up as an XPASS failure.
Each test gets 30 s at most, and an exception in any thread fails it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import HARNESSES, DriverHarness, remove_workdir, short_workdir

HERE = Path(__file__).resolve().parent


@pytest.fixture(params=sorted(HARNESSES))
def driver(request: pytest.FixtureRequest) -> Iterator[DriverHarness]:
    workdir = short_workdir()
    harness = HARNESSES[str(request.param)](workdir)
    try:
        yield harness
    finally:
        harness.close()
        remove_workdir(workdir)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if Path(item.path).resolve().parent != HERE:
            continue
        item.add_marker(pytest.mark.timeout(30))
        # A crash in any thread (driver, emulator, canceller) is a second, untyped error.
        item.add_marker(
            pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
        )
        callspec = getattr(item, "callspec", None)
        if callspec is None or "driver" not in callspec.params:
            continue
        harness = HARNESSES.get(str(callspec.params["driver"]))
        name = getattr(item, "originalname", item.name)
        if harness is not None and name in harness.known_bugs:
            reason = f"{harness.family} driver bug: {harness.known_bugs[name]}"
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
