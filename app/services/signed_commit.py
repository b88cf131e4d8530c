"""Storing what an officer signed or typed: retried across an outage, stored once.

Every act that reaches the store after a device signature (the maker's and the
checker's attestation signatures, an emergency share signed or imported, a
sign-in, a signed audit checkpoint, a top-up answer, a liquidation instruction, a
reconciliation report) or after the officer typed something the desk must not
drop (a rejection's reason) goes through :func:`commit_signed`:

* ``attempt`` is the act's one transaction (``unit_of_work``), which re-checks
  every precondition under the write lock, so a retry is as safe as the first try;
* when the store is unreachable or busy (:class:`~app.store.errors.StoreBusy`,
  which includes a shared desk's :class:`~app.store.errors.StoreUnavailable`),
  the signature and the text stay in memory and the attempt is retried with
  back-off (:data:`SIGNED_RETRY_S`, about a minute in all); every listener (the
  window's status bar, the CLI's stderr) is told "not committed yet, retrying";
* before each retry ``already`` (when given) looks for the act's own row, so an
  attempt whose ``COMMIT`` reached the server but whose answer was lost is
  recognised and never stored twice;
* when every try failed, :class:`NotCommitted` says so: the device signed, the
  change was not committed, nothing was stored yet. In a process that keeps acts
  (the window: :func:`add_keeper`), the act is then **kept**: held in memory with
  its signature and committed by :func:`commit_kept` (the window calls it when the
  shared store's connection is back, and every half minute), each try again one
  transaction re-checking every precondition; an act the store now refuses (another
  officer signed first, the draft was abandoned) is dropped with that reason, and
  the window asks before it is closed with acts still kept. A CLI command has no
  keeper: it reports and exits, and nothing was stored.

The attempts run in a thread of their own (not the window's pool of reader
threads, which an outage fills with reloads waiting to reconnect), so a window
never freezes while a shared desk's server is away and the act is not queued
behind those reloads.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from app.store.errors import StoreBusy

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds between tries to commit a signed act while the store is unreachable
#: (then the act is reported as not committed): 61.5 s in all.
SIGNED_RETRY_S: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0)

CommitState = Literal["retrying", "committed", "failed", "kept", "refused"]


@dataclass(frozen=True, slots=True)
class CommitEvent:
    """What a listener hears about one signed act that did not commit at once."""

    act: str  # "the maker's signature of attestation 7"
    state: CommitState
    detail: str  # the store's reason (retrying/failed); "" once committed
    attempt: int  # 1-based number of the try that failed or succeeded
    retry_in_s: float | None = None  # for "retrying"

    @property
    def line(self) -> str:
        """One line for a status bar or a terminal."""
        if self.state == "retrying":
            return (
                f"not committed yet: {self.act} (signed, kept); retrying in "
                f"{self.retry_in_s:g} s: {self.detail}"
            )
        if self.state == "committed":
            return f"committed after {self.attempt} tries: {self.act}"
        if self.state == "kept":
            return (
                f"not committed: {self.act} (signed, kept in this window; committed "
                f"when the store is back): {self.detail}"
            )
        if self.state == "refused":
            return f"{self.act} was not stored: the store refused it once back: {self.detail}"
        return f"could not commit {self.act}: {self.detail}; nothing was stored"


class NotCommitted(StoreBusy):
    """The act was signed (or typed) but could not be committed; nothing was stored.

    ``kept``: this process holds the act and :func:`commit_kept` commits it later.
    """

    def __init__(self, act: str, cause: BaseException, tries: int, *, kept: bool) -> None:
        then = (
            "it is kept in this window and committed when the store is back"
            if kept
            else "nothing was stored, try again once the store is back"
        )
        super().__init__(
            f"{act} was signed but could not be committed after {tries} tries: {cause}; {then}"
        )
        self.act = act
        self.cause = cause
        self.kept = kept


#: Signed acts' own thread (writes run one at a time in the store anyway).
_COMMITS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="signed-commit")


async def _in_thread(fn: Callable[[], T]) -> T:
    context = contextvars.copy_context()
    return await asyncio.get_running_loop().run_in_executor(_COMMITS, context.run, fn)


Listener = Callable[[CommitEvent], None]
_listeners: list[Callable[[], Listener | None]] = []


def add_listener(listener: Listener) -> None:
    """Be told about signed acts being retried (held weakly for bound methods)."""
    ref: Callable[[], Listener | None]
    if hasattr(listener, "__self__") and hasattr(listener, "__func__"):
        ref = weakref.WeakMethod(listener)  # type: ignore[arg-type]
    else:
        ref = lambda: listener  # noqa: E731 - a plain function, held strongly
    _listeners.append(ref)


def remove_listener(listener: Listener) -> None:
    for ref in list(_listeners):
        if ref() == listener:
            _listeners.remove(ref)


def _tell(event: CommitEvent) -> None:
    for ref in list(_listeners):
        listener = ref()
        if listener is None:
            _listeners.remove(ref)
            continue
        try:
            listener(event)
        except Exception:  # a listener must never lose the act
            logger.exception("commit listener failed")


async def _try_once(attempt: Callable[[], T], already: Callable[[], T | None] | None) -> T:
    """One try: the act's own row if an earlier try committed it (its answer lost),
    else ``attempt``'s one transaction."""
    if already is not None:
        found = await _in_thread(already)
        if found is not None:
            return found
    return await _in_thread(attempt)


# --- acts kept after every try failed ---------------------------------------------
@dataclass(eq=False)
class _KeptAct:
    act: str
    attempt: Callable[[], Any]
    already: Callable[[], Any] | None
    tries: int


_kept: list[_KeptAct] = []
#: The processes' holders of kept acts (the window's context), held weakly: a CLI
#: command or a test that left no window keeps nothing.
_keepers: weakref.WeakSet[object] = weakref.WeakSet()
_sweep = threading.Lock()  # one commit_kept sweep at a time (never waited on)


def add_keeper(keeper: object) -> None:
    """From now on (while ``keeper`` lives) an act that failed every try is kept."""
    _keepers.add(keeper)


def remove_keeper(keeper: object) -> None:
    """``keeper`` winds down (its window closed); with no keeper left, nothing is
    kept any more and acts still kept are dropped (the window asked first)."""
    _keepers.discard(keeper)
    if len(_keepers) == 0:
        for act in discard_kept():
            logger.warning("%s: signed, never committed; discarded with its window", act)


def kept_acts() -> tuple[str, ...]:
    """The acts signed here and kept, not committed yet (oldest first)."""
    return tuple(k.act for k in _kept)


def discard_kept() -> tuple[str, ...]:
    """Forget every kept act (the officer chose to close the window); returns them."""
    gone = kept_acts()
    _kept.clear()
    return gone


async def commit_kept() -> tuple[str, ...]:
    """One more try for every kept act; returns the acts still kept.

    Each try is the act's own transaction, as in :func:`commit_signed` (its own row
    looked for first). An act the store refuses now (a typed error other than
    ``StoreBusy``) is dropped and its listeners told why; one that hits the outage
    again stays kept. Runs one sweep at a time.
    """
    if not _sweep.acquire(blocking=False):
        return kept_acts()
    try:
        for kept in list(_kept):
            kept.tries += 1
            try:
                await _try_once(kept.attempt, kept.already)
            except StoreBusy as exc:
                _tell(CommitEvent(kept.act, "kept", str(exc), kept.tries))
                continue
            except Exception as exc:  # the store's answer now: typed, shown, not kept
                _kept.remove(kept)
                logger.warning("%s: refused once the store was back: %s", kept.act, exc)
                _tell(CommitEvent(kept.act, "refused", str(exc), kept.tries))
                continue
            _kept.remove(kept)
            logger.info("%s: committed after %d tries", kept.act, kept.tries)
            _tell(CommitEvent(kept.act, "committed", "", kept.tries))
    finally:
        _sweep.release()
    return kept_acts()


async def commit_signed(
    act: str,
    attempt: Callable[[], T],
    *,
    already: Callable[[], T | None] | None = None,
    backoff: Sequence[float] | None = None,
    keep: bool = True,
) -> T:
    """Run ``attempt`` (one transaction) until it commits; see the module docstring.

    Typed refusals from ``attempt`` (anything but ``StoreBusy``) propagate at once:
    a precondition that failed under the lock is an answer, not an outage. ``keep``:
    when every try failed, keep the act for :func:`commit_kept` if a keeper lives
    (False for an act that means nothing later, such as a sign-in).
    """
    delays = tuple(SIGNED_RETRY_S if backoff is None else backoff)
    tries = 0
    for delay in (*delays, None):
        tries += 1
        try:
            result = await _try_once(attempt, already if tries > 1 else None)
        except StoreBusy as exc:
            if delay is None:
                if keep and len(_keepers) > 0:
                    _kept.append(_KeptAct(act, attempt, already, tries))
                    _tell(CommitEvent(act, "kept", str(exc), tries))
                    raise NotCommitted(act, exc, tries, kept=True) from exc
                _tell(CommitEvent(act, "failed", str(exc), tries))
                raise NotCommitted(act, exc, tries, kept=False) from exc
            logger.warning("%s: not committed (%s); retrying in %.1f s", act, exc, delay)
            _tell(CommitEvent(act, "retrying", str(exc), tries, delay))
            await asyncio.sleep(delay)
            continue
        if tries > 1:
            _tell(CommitEvent(act, "committed", "", tries))
        return result
    raise AssertionError("unreachable")  # pragma: no cover
