"""The one exception a command raises to exit non-zero with a one-line message, and
reading an input file under its size limit with such a message."""

from __future__ import annotations

from pathlib import Path


class CliError(Exception):
    """A user-facing failure: printed as one line on stderr, exit code ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def read_input(path: Path, limit: int, what: str) -> bytes:
    """The file's bytes, or a :class:`CliError`: unreadable, or over ``limit`` (not read)."""
    from app.files import FileTooLarge, read_bounded

    try:
        return read_bounded(path, limit, what)
    except FileTooLarge as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from exc
