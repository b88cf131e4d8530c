"""A throwaway PostgreSQL server for the tests and benchmarks (no mocks of the database).

``initdb`` + ``pg_ctl`` from Debian's ``postgresql`` package (``/usr/lib/postgresql/*/bin``,
or ``pg_config --bindir``, or ``$PG_BIN``) in a temporary directory. PostgreSQL refuses
to run as root, so under root the cluster is owned by and run as the ``postgres``
system user (created by the Debian package; ``nobody`` otherwise) through ``runuser``.
It listens on 127.0.0.1 on a free port and on a Unix socket in its own directory,
trusts local connections (tests only), and runs with ``fsync=off``: a killed
server process keeps everything the kernel has (what the crash tests exercise),
only an OS crash would lose data, which no test does.

Use from tests through the fixtures in ``tests/conftest.py`` (``pg_server``,
``pg_url``, ``store_url``); benchmarks call :func:`start_server` directly.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "postgres"


def find_bindir() -> Path | None:
    """Where initdb/pg_ctl are, or None when PostgreSQL is not installed."""
    candidates: list[str] = []
    if os.environ.get("PG_BIN"):
        candidates.append(os.environ["PG_BIN"])
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            candidates.append(out.stdout.strip())
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for candidate in candidates:
        path = Path(candidate)
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            return path
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> str | None:
    """The unprivileged user to run the server as (None: we are not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and neither 'postgres' nor 'nobody' exists")


class PgServer:
    """One PostgreSQL cluster in a temporary directory."""

    def __init__(self, bindir: Path, base: Path) -> None:
        self.bindir = bindir
        self.base = base
        self.data = base / "data"
        self.socket_dir = base / "sock"
        self.log = base / "server.log"
        self.port = _free_port()
        self.user = _run_as()
        self._names = itertools.count(1)

    # -- process control --------------------------------------------------

    def _cmd(self, *argv: str) -> list[str]:
        if self.user is None:
            return list(argv)
        return ["runuser", "-u", self.user, "--", *argv]

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self._cmd(*argv), capture_output=True, text=True, check=check)

    def init(self) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            for path in (self.base, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
            self.base.chmod(0o700)
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
            "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                "fsync = off\nfull_page_writes = off\nsynchronous_commit = on\n"
                "max_connections = 200\nshared_buffers = 64MB\n"
                "max_locks_per_transaction = 256\n"
                "log_min_messages = warning\n"
            )

    def start(self) -> None:
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-w", "-t", "60", "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop",
                  check=False)

    def restart(self) -> None:
        """Stop (fast: every session is cut) and start again: a database restart."""
        self.stop("fast")
        self.start()

    def crash(self) -> None:
        """kill -9 the postmaster and its children (the server dies mid-whatever)."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
        )
        os.kill(pid, signal.SIGKILL)
        for child in children.stdout.split():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(child), signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        time.sleep(0.2)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)

    # -- databases --------------------------------------------------------

    def url(self, dbname: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.encode())

    def create_database(self, template: str | None = None) -> str:
        """A new empty (or ``template``-copied) database; returns its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        # FILE_COPY (PostgreSQL 15+): copying the small migrated template file by file is
        # about twice as fast here as the default WAL_LOG, and a test makes one per run
        clause = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        self.admin(f"CREATE DATABASE {name}{clause}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_server() -> PgServer:
    """Initialise and start a throwaway server (raises RuntimeError if impossible)."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="custody-pg-"))
    server = PgServer(bindir, base)
    try:
        server.init()
        server.start()
    except subprocess.CalledProcessError as exc:
        log = server.log.read_text() if server.log.exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr}{log}") from exc
    return server
