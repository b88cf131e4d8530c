"""What kind of build this is, and the guard that keeps the test emulator out of production.

A source checkout is a development build. The frozen build (packaging/build.sh) writes
``app/_build_kind.txt`` containing ``production``; such a build refuses to start the
software HSM emulator unless the operator passes the explicit test flag
``--allow-test-emulator`` (or sets ``CUSTODY_DESK_ALLOW_TEST_EMULATOR=1``), and says so.
"""

from __future__ import annotations

import os
from pathlib import Path

ALLOW_EMULATOR_FLAG = "--allow-test-emulator"
ALLOW_EMULATOR_ENV = "CUSTODY_DESK_ALLOW_TEST_EMULATOR"
_BUILD_KIND_FILE = Path(__file__).with_name("_build_kind.txt")


class EmulatorRefused(Exception):
    """Raised when a production build is asked to start the test emulator."""


def build_kind() -> str:
    """``production`` for the frozen, packaged build; ``development`` otherwise."""
    try:
        kind = _BUILD_KIND_FILE.read_text(encoding="ascii").strip()
    except OSError:
        return "development"
    return kind if kind in {"production", "development"} else "production"


def is_production_build() -> bool:
    return build_kind() == "production"


def emulator_allowed(flag_given: bool = False) -> bool:
    """True when the test emulator may start in this build."""
    if not is_production_build():
        return True
    return flag_given or os.environ.get(ALLOW_EMULATOR_ENV) == "1"


def require_emulator_allowed(flag_given: bool = False) -> None:
    """Raise ``EmulatorRefused`` with the reason when the emulator may not start."""
    if not emulator_allowed(flag_given):
        raise EmulatorRefused(
            "this is a production build: the software HSM emulator is for testing only and "
            f"starts here only with {ALLOW_EMULATOR_FLAG} (or {ALLOW_EMULATOR_ENV}=1)"
        )
