"""The software HSM's "terminal", drawn by the desk window instead of a tty (TEST ONLY).

``SoftHsm`` in ``interactive`` approval mode writes the statement to a text stream
and waits for a ``y``/``n`` line on another, polling its cancel event, the unplug
switch and policy changes between ``select()`` calls (``signing.emulator.hsm``).
This adapter gives it exactly those two streams:

* the input is a real pipe (so ``select()`` works and a cancel from the host is
  still honoured while the tester reads); ``answer()`` writes one line into it;
* the output parses what the HSM writes and calls ``on_prompt(text)`` when a
  statement waits, ``on_closed(reason)`` when the host cancelled or a policy
  change decided it.

``close()`` ends the input: a prompt still waiting reads end of input, which the
HSM takes as a refusal. Both callbacks run on the emulator's server thread: the GUI
side must marshal them (``app.ui.emulator_screens`` does it with queued signals).
No Qt here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
from collections.abc import Callable
from enum import StrEnum
from typing import TextIO, cast

log = logging.getLogger(__name__)

_PROMPT_END = "=== approve? [y/N]"
_CANCELLED = "(cancelled by the host)"
_POLICY_DECIDED = "(decided by the operator's policy change)"


class ClosedReason(StrEnum):
    """Why a prompt left the screen without the tester's answer."""

    CANCELLED = "cancelled"  # the host cancelled, or the device was unplugged
    POLICY = "policy"  # the approval policy changed while it waited (auto/reject decide)


class _PipeReader:
    """Reads whole lines from the pipe one byte at a time: nothing hides in a buffer."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def fileno(self) -> int:
        return self._fd

    def __del__(self) -> None:
        # Closed with the HSM that reads it (it may still be polling when the desk stops).
        with contextlib.suppress(OSError):
            os.close(self._fd)

    def readable(self) -> bool:
        return True

    def readline(self, size: int = -1) -> str:
        data = bytearray()
        while not data.endswith(b"\n"):
            chunk = os.read(self._fd, 1)
            if not chunk:
                break
            data += chunk
        return data.decode("ascii", errors="replace")


class _ScreenWriter:
    """What the HSM writes to its terminal, turned into prompt/closed events."""

    def __init__(self, owner: EmulatorTerminal) -> None:
        self._owner = owner

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self._owner._written(s)
        return len(s)

    def flush(self) -> None:
        return None


class EmulatorTerminal:
    """One emulator's approval terminal. Thread-safe; ``close()`` releases the pipe."""

    def __init__(self) -> None:
        self._read_fd, self._write_fd = os.pipe()
        self._lock = threading.Lock()
        self._waiting: str | None = None  # the statement on screen, None when idle
        self._closed = False
        self.on_prompt: Callable[[str], None] | None = None
        self.on_closed: Callable[[ClosedReason], None] | None = None
        self.stream_in = cast(TextIO, _PipeReader(self._read_fd))
        self.stream_out = cast(TextIO, _ScreenWriter(self))

    @property
    def waiting(self) -> str | None:
        """The statement waiting for the tester's answer, or None."""
        with self._lock:
            return self._waiting

    def answer(self, approve: bool) -> bool:
        """Answer the waiting prompt; False (nothing sent) when none waits any more."""
        with self._lock:
            if self._waiting is None or self._closed:
                return False
            self._waiting = None
            os.write(self._write_fd, b"y\n" if approve else b"n\n")
        log.info("emulator screen: tester %s", "approved" if approve else "rejected")
        return True

    def close(self) -> None:
        """No more answers: a prompt still waiting reads end of input, i.e. a refusal."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._waiting = None
            with contextlib.suppress(OSError):
                os.close(self._write_fd)

    # --- called on the emulator's thread ----------------------------------------------
    def _written(self, text: str) -> None:
        body = text.strip("\n")
        if body.endswith(_PROMPT_END) or body.rstrip().endswith(_PROMPT_END):
            lines = body.rstrip().split("\n")
            statement = "\n".join(lines[1:-1])  # between the header and the question
            with self._lock:
                if self._closed:
                    return
                self._drain()  # an answer that raced a cancel must not answer this one
                self._waiting = statement
            self._call(self.on_prompt, statement)
        elif _CANCELLED in body or _POLICY_DECIDED in body:
            reason = ClosedReason.CANCELLED if _CANCELLED in body else ClosedReason.POLICY
            with self._lock:
                self._waiting = None
            self._call(self.on_closed, reason)

    def _drain(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            while select.select([self._read_fd], [], [], 0)[0]:
                if not os.read(self._read_fd, 4096):
                    return

    @staticmethod
    def _call(callback: Callable[..., None] | None, value: object) -> None:
        if callback is None:
            return
        try:
            callback(value)
        except Exception:  # the emulator thread must go on whatever the GUI does
            log.exception("emulator screen callback failed")
