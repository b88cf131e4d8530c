"""TLS to the shared database: ``sslmode``/``sslrootcert`` in the store URL are honoured.

A throwaway server of its own with a certificate from a throwaway CA (openssl);
the desk connects with ``sslmode=verify-full`` and the CA, is refused with a CA
that did not sign the server's certificate, and the server refuses clear text.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import cli, ok
from pg_server import PgServer, find_bindir, start_server

SNAPSHOT = Path(__file__).resolve().parents[2] / "resources" / "demo" / "snapshot.json"

pytestmark = pytest.mark.skipif(
    shutil.which("openssl") is None or find_bindir() is None,
    reason="needs openssl and the PostgreSQL server binaries",
)


def _openssl(*argv: str, cwd: Path) -> None:
    subprocess.run(["openssl", *argv], cwd=cwd, check=True, capture_output=True)


def _ca_and_server_cert(folder: Path, name: str) -> None:
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-keyout", f"{name}-ca.key", "-out", f"{name}-ca.pem", "-subj", f"/CN={name} CA",
             cwd=folder)
    if name != "desk":
        return
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
             "-out", "server.csr", "-subj", "/CN=localhost", cwd=folder)
    (folder / "ext.cnf").write_text("subjectAltName=DNS:localhost\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "desk-ca.pem", "-CAkey", "desk-ca.key",
             "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "ext.cnf",
             cwd=folder)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PgServer, Path]]:
    certs = tmp_path_factory.mktemp("certs")
    _ca_and_server_cert(certs, "desk")
    _ca_and_server_cert(certs, "other")
    server = start_server()
    try:
        server.stop()
        for part in ("server.crt", "server.key"):
            target = server.data / part
            shutil.copyfile(certs / part, target)
            target.chmod(0o600)
            if server.user is not None:
                entry = pwd.getpwnam(server.user)
                os.chown(target, entry.pw_uid, entry.pw_gid)
        with (server.data / "postgresql.conf").open("a") as conf:
            conf.write("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n")
        hba = server.data / "pg_hba.conf"
        hba.write_text(
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\n"
            "hostnossl all all 127.0.0.1/32 reject\n"
        )
        server.start()
        yield server, certs
    finally:
        server.destroy()


def test_the_store_url_verifies_the_server_certificate(
    tls_server: tuple[PgServer, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server, certs = tls_server
    database = server.create_database().rsplit("/", 1)[1]
    base = f"postgresql://postgres@localhost:{server.port}/{database}"
    good = f"{base}?sslmode=verify-full&sslrootcert={certs / 'desk-ca.pem'}"
    data = tmp_path / "data"
    ok(data, capsys, "--store", good, "import", str(SNAPSHOT))
    assert "FAIL" not in ok(data, capsys, "--store", good, "audit", "verify")

    wrong_ca = f"{base}?sslmode=verify-full&sslrootcert={certs / 'other-ca.pem'}"
    code, _out, err = cli(data, capsys, "--store", wrong_ca, "holdings")
    assert code == 3 and "certificate verify failed" in err
    code, _out, err = cli(data, capsys, "--store", f"{base}?sslmode=disable", "holdings")
    assert code == 3 and "no encryption" in err
