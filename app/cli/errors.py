"""The one exception a command raises to exit non-zero with a one-line message."""

from __future__ import annotations


class CliError(Exception):
    """A user-facing failure: printed as one line on stderr, exit code ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
