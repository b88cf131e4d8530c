"""Where the desk keeps its files.

The data folder is, in order of precedence: the ``--data-dir`` command-line option,
the ``CUSTODY_DESK_DATA_DIR`` environment variable, the platform's user data dir
(``~/.local/share/custody-desk`` on Linux, ``~/Library/Application Support/custody-desk``
on macOS, ``%LOCALAPPDATA%\\custody-desk`` on Windows). The store is
``desk.sqlite3`` inside it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "custody-desk"
DATA_DIR_ENV = "CUSTODY_DESK_DATA_DIR"
STORE_FILE_NAME = "desk.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The desk's data folder (not created here)."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def store_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The SQLite store's file inside :func:`data_dir`."""
    return data_dir(override) / STORE_FILE_NAME
