"""The workstation id: which machine a sign-in and a session belong to.

``CUSTODY_DESK_WORKSTATION_ID`` sets it (a thin client, a test); otherwise it is
derived from the OS machine id (``/etc/machine-id``, systemd's stable per-install
id), hashed so the raw id never leaves the machine; a machine without one gets a
random id kept in ``workstation-id`` in the data folder. Format: ``ws-`` and 16
lowercase hex digits (an override: printable ASCII without spaces or ``=``).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

from app.paths import data_dir

WORKSTATION_ENV = "CUSTODY_DESK_WORKSTATION_ID"
_MACHINE_ID_FILES = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))
_OVERRIDE = re.compile(r"^[!-<>-~]{1,64}$")  # printable, no space, no '='


class WorkstationIdError(ValueError):
    """The configured workstation id cannot go in a sign-in challenge."""


def workstation_id(data_folder: str | os.PathLike[str] | None = None) -> str:
    """This machine's workstation id (stable across runs and OS users)."""
    override = os.environ.get(WORKSTATION_ENV, "").strip()
    if override:
        if not _OVERRIDE.match(override):
            raise WorkstationIdError(
                f"{WORKSTATION_ENV}={override!r}: use printable ASCII without spaces or '='"
            )
        return override
    cached = _cache.get("machine")
    if cached is not None:
        return cached
    _cache["machine"] = _machine_workstation_id(data_folder)
    return _cache["machine"]


_cache: dict[str, str] = {}


def _machine_workstation_id(data_folder: str | os.PathLike[str] | None) -> str:
    for path in _MACHINE_ID_FILES:
        try:
            machine = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if machine:
            return _derive(machine)
    return _derive(_local_random_id(data_dir(data_folder)))


def _derive(machine: str) -> str:
    digest = hashlib.sha256(b"custody-desk workstation\x00" + machine.encode()).hexdigest()
    return f"ws-{digest[:16]}"


def _local_random_id(folder: Path) -> str:
    path = folder / "workstation-id"
    try:
        return path.read_text(encoding="ascii").strip()
    except OSError:
        folder.mkdir(parents=True, exist_ok=True)
        value = secrets.token_hex(16)
        path.write_text(value + "\n", encoding="ascii")
        return value
