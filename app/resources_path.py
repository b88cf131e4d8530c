"""Locate the shipped ``resources/`` folder, wherever the desk runs from.

Order: the ``CUSTODY_DESK_RESOURCES`` environment variable; a PyInstaller bundle
(``sys._MEIPASS/resources``); the repository root next to the ``app`` package
(source checkout and editable install).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "CUSTODY_DESK_RESOURCES"


class ResourceNotFound(FileNotFoundError):
    """A shipped resource file is missing."""


def resources_dir() -> Path:
    """The folder holding the desk's shipped resources."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if isinstance(bundle, str):
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of one resource, e.g. ``resource_path("demo", "snapshot.json")``.

    Raises ResourceNotFound (naming the path) if it does not exist.
    """
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise ResourceNotFound(f"resource not found: {path}")
    return path
