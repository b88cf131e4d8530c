"""Live desk: hear other workstations' commits through PostgreSQL ``LISTEN/NOTIFY``.

Every write transaction of :class:`~app.store.pg_store.PgStore` ends with
``pg_notify('custody_desk', ...)``, which the server delivers only when the
transaction commits. A :class:`ChangeListener` holds its own connection (never the
store's: a long wait must not block a use case), waits in a plain thread, and calls
``on_change()`` once per burst of notifications (they are drained first, so ten
commits in a row reload once). It never touches Qt: the GUI hands it callbacks that
post to the GUI thread.

When the connection is lost the listener reports ``on_state(False, detail)``,
retries with back-off (0.5 s doubling to 10 s), and on reconnecting reports
``on_state(True, ...)`` and calls ``on_change()``: whatever was committed while it
was away is read by the reload, so nothing is missed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg

from app.store.pg_store import NOTIFY_CHANNEL, redact_url

logger = logging.getLogger(__name__)

BACKOFF_START_S = 0.5
BACKOFF_MAX_S = 10.0


class ChangeListener:
    """A thread that LISTENs on the desk channel and calls back on every commit burst."""

    def __init__(
        self,
        url: str,
        on_change: Callable[[], None],
        on_state: Callable[[bool, str], None] | None = None,
        *,
        poll_s: float = 0.5,
    ) -> None:
        self._url = url
        self._on_change = on_change
        self._on_state = on_state or (lambda _up, _detail: None)
        self._poll_s = poll_s
        self._stop = threading.Event()
        self._conn: psycopg.Connection[Any] | None = None
        self._thread = threading.Thread(target=self._run, name="desk-listen", daemon=True)
        self.connected = threading.Event()

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _connect(self) -> psycopg.Connection[Any]:
        conn = psycopg.connect(self._url, autocommit=True, connect_timeout=5)
        conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        return conn

    def _run(self) -> None:
        delay = BACKOFF_START_S
        first = True
        while not self._stop.is_set():
            try:
                conn = self._connect()
            except psycopg.Error as exc:
                self.connected.clear()
                self._on_state(False, f"cannot reach {redact_url(self._url)}: "
                               f"{str(exc).strip()}; retrying in {delay:.1f} s")
                self._stop.wait(delay)
                delay = min(delay * 2, BACKOFF_MAX_S)
                continue
            delay = BACKOFF_START_S
            self.connected.set()
            self._on_state(True, f"listening on {redact_url(self._url)}")
            if not first:
                self._on_change()  # commits made while we were away
            first = False
            try:
                self._listen(conn)
            except psycopg.Error as exc:
                self.connected.clear()
                logger.warning("desk listener lost its connection: %s", exc)
                self._on_state(False, f"connection lost: {str(exc).strip()}; retrying")
            finally:
                conn.close()

    def _listen(self, conn: psycopg.Connection[Any]) -> None:
        while not self._stop.is_set():
            heard = False
            for _notify in conn.notifies(timeout=self._poll_s, stop_after=1):
                heard = True
            if heard:
                # Drain the rest of the burst without waiting, then reload once.
                for _notify in conn.notifies(timeout=0.05):
                    pass
                self._on_change()
            else:
                conn.execute("SELECT 1")  # notice a dead server between commits
