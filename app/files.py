"""Reading and writing the desk's exchanged files safely.

* :func:`write_private` writes atomically (a reader never sees half a file) and
  owner-only (mode 0600, whatever the umask): every file the desk exports holds
  keys, orders, releases or client data.
* :func:`read_bounded` refuses a file larger than a documented limit *before*
  reading it (its size on disk, then a bounded read, so a file that grows while
  it is read is refused too).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_MODE = 0o600


class FileTooLarge(ValueError):
    """A file is over its limit; nothing of it was parsed."""


def read_bounded(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of ``path``, refusing more than ``limit`` without reading them.

    Raises :class:`FileTooLarge` (a ``ValueError``) or ``OSError``.
    """
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise FileTooLarge(_too_large(path, size, limit, what))
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(_too_large(path, len(data), limit, what))
    return data


def _too_large(path: Path, size: int, limit: int, what: str) -> str:
    return f"{path.name} is {size:,} bytes; a {what} may be at most {limit:,} bytes"


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically with mode 0600 (an existing file is replaced)."""
    tmp = path.with_name(path.name + ".part")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, PRIVATE_MODE)  # exactly 0600, whatever bits the umask removed
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
