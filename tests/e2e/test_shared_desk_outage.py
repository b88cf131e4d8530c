"""A shared desk's database goes away while an officer is on the device.

The device has signed; the server is down when the act is to be stored. Nothing
signed is lost: storing is retried with back-off until the server is back, then
the act is stored once and the chain verifies (the checker's signature, a
sign-in). An outage longer than the back-off ends with ``NotCommitted``, saying
so, and nothing stored; in a process that keeps acts (the window) the signature is
kept and committed once the server is back, or dropped with the store's reason if
the store now refuses it. (The window's side: tests/gui/test_signed_act_outage.py.)
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from officer_desk import desk_with_officers
from pg_server import PgServer

from app.services.attestations import AttestationService
from app.services.audit import AuditService
from app.store.pg_store import PgStore
from signing.emulator.main import RunningEmulator
from signing.interface import NullInteraction, Signer
from signing.registry import open_signer


class _SignThenOutage:
    """A signer that, once the device has signed, takes the database down for a while."""

    def __init__(self, inner: Signer, server: PgServer, seconds: float) -> None:
        self._inner = inner
        self._server = server
        self._seconds = seconds
        self.restarted = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def sign_message(self, path: str, text: str) -> Any:
        made = self._inner.sign_message(path, text)
        self._server.stop("fast")

        def back() -> None:
            self._server.start()
            self.restarted.set()

        threading.Timer(self._seconds, back).start()
        return made


@pytest.fixture
def pg_desk(
    pg_desk_url: str, devices: dict[str, RunningEmulator]
) -> Iterator[PgStore]:
    yield from desk_with_officers(PgStore(pg_desk_url), devices)  # type: ignore[arg-type,misc]


def test_a_signature_made_while_the_database_restarts_is_stored_once(
    pg_desk: PgStore, pg_server: PgServer, devices: dict[str, RunningEmulator],
    caplog: pytest.LogCaptureFixture,
) -> None:
    signers: list[_SignThenOutage] = []

    def factory(uri: str) -> Signer:
        signer = _SignThenOutage(open_signer(uri), pg_server, 2.0)
        signers.append(signer)
        return signer  # type: ignore[return-value]

    service = AttestationService(pg_desk, signer_factory=factory)
    rec = service.prepare(["alnoor-quant"], "alice")
    signed = asyncio.run(
        service.approve_and_sign(rec.id, "bob", devices["bob"].trezor_uri, NullInteraction())
    )
    assert signers and signers[0].restarted.wait(10)
    assert "retrying" in caplog.text  # the first tries met the server down
    assert signed.status == "signed" and signed.signature_b64
    assert AttestationService(pg_desk).detail(rec.id).record.signature_b64 == signed.signature_b64
    entries = AuditService(pg_desk).entries(action="attestation.sign")
    assert len(entries) == 1
    assert AuditService(pg_desk).verify().ok


def test_a_sign_in_signed_during_an_outage_opens_one_session(
    pg_desk: PgStore, pg_server: PgServer, devices: dict[str, RunningEmulator]
) -> None:
    from app.services.signin import SigninService

    def factory(uri: str) -> Signer:
        return _SignThenOutage(open_signer(uri), pg_server, 2.0)  # type: ignore[return-value]

    opened = asyncio.run(SigninService(pg_desk, signer_factory=factory).sign_in(
        "alice", devices["alice"].trezor_uri, NullInteraction()))
    assert opened.live.officer == "alice"
    # desk_with_officers signed alice and bob in once each; this is alice's second
    assert len(AuditService(pg_desk).entries(action="officer.signin")) == 3
    with pg_desk.read() as tx:
        [count] = tx.connection.execute(
            "SELECT COUNT(*) FROM officer_sessions WHERE nonce = ?", (opened.live.nonce,)
        ).fetchone()
    assert count == 1
    assert AuditService(pg_desk).verify().ok


def test_an_outage_longer_than_the_back_off_says_not_committed_and_stores_nothing(
    pg_desk: PgStore, pg_server: PgServer, devices: dict[str, RunningEmulator],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.services import signed_commit

    monkeypatch.setattr(signed_commit, "SIGNED_RETRY_S", (0.2, 0.2))
    monkeypatch.setattr(signed_commit, "_keepers", weakref.WeakSet())  # as a CLI command
    signers: list[_SignThenOutage] = []

    def factory(uri: str) -> Signer:
        signer = _SignThenOutage(open_signer(uri), pg_server, 25.0)
        signers.append(signer)
        return signer  # type: ignore[return-value]

    service = AttestationService(pg_desk, signer_factory=factory)
    rec = service.prepare(["alnoor-quant"], "alice")
    with pytest.raises(signed_commit.NotCommitted, match="could not be committed") as raised:
        asyncio.run(service.approve_and_sign(rec.id, "bob", devices["bob"].trezor_uri,
                                             NullInteraction()))
    assert "nothing was stored" in str(raised.value)
    assert f"bob's signature of attestation {rec.id}" in str(raised.value)
    assert signers[0].restarted.wait(40)
    detail = AttestationService(pg_desk).detail(rec.id).record
    assert detail.signature_b64 is None and detail.status == "signing"
    assert AuditService(pg_desk).entries(action="attestation.sign") == []
    assert AuditService(pg_desk).verify().ok


class _Keeper:
    """Stands for the window: while it lives, acts that failed every try are kept."""


@pytest.fixture
def keeping(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """A keeper, a short back-off and the commit events heard (a list)."""
    from app.services import signed_commit
    from app.store import pg_store

    keeper, heard = _Keeper(), []
    monkeypatch.setattr(signed_commit, "SIGNED_RETRY_S", (0.2, 0.2))
    monkeypatch.setattr(signed_commit, "_keepers", weakref.WeakSet())
    monkeypatch.setattr(signed_commit, "_kept", [])
    monkeypatch.setattr(pg_store, "RECONNECT_BACKOFF_S", (0.1,))  # each try fails fast
    signed_commit.add_keeper(keeper)
    signed_commit.add_listener(heard.append)
    yield heard
    signed_commit.remove_listener(heard.append)
    del keeper


def _sign_into_a_long_outage(
    pg_desk: PgStore, pg_server: PgServer, devices: dict[str, RunningEmulator]
) -> tuple[int, _SignThenOutage, BaseException]:
    from app.services import signed_commit

    signers: list[_SignThenOutage] = []

    def factory(uri: str) -> Signer:
        signer = _SignThenOutage(open_signer(uri), pg_server, 4.0)  # >> the 0.4 s back-off
        signers.append(signer)
        return signer  # type: ignore[return-value]

    rec = AttestationService(pg_desk).prepare(["alnoor-quant"], "alice")
    service = AttestationService(pg_desk, signer_factory=factory)
    with pytest.raises(signed_commit.NotCommitted) as raised:
        asyncio.run(service.approve_and_sign(rec.id, "bob", devices["bob"].trezor_uri,
                                             NullInteraction()))
    return rec.id, signers[0], raised.value


def test_an_outage_longer_than_the_back_off_keeps_the_signature_and_commits_it_once_back(
    pg_desk: PgStore, pg_server: PgServer, devices: dict[str, RunningEmulator],
    keeping: list[Any],
) -> None:
    from app.services import signed_commit

    att_id, signer, error = _sign_into_a_long_outage(pg_desk, pg_server, devices)
    act = f"bob's signature of attestation {att_id}"
    assert isinstance(error, signed_commit.NotCommitted) and error.kept
    assert "kept in this window" in str(error) and "nothing was stored" not in str(error)
    assert signed_commit.kept_acts() == (act,)
    assert [e.state for e in keeping][-1] == "kept"
    if not signer.restarted.is_set():  # still down: one more sweep keeps it
        assert asyncio.run(signed_commit.commit_kept()) == (act,)
    assert signer.restarted.wait(20)
    assert asyncio.run(signed_commit.commit_kept()) == ()
    assert (keeping[-1].act, keeping[-1].state) == (act, "committed")
    record = AttestationService(pg_desk).detail(att_id).record
    assert record.status == "signed" and record.signature_b64
    assert len(AuditService(pg_desk).entries(action="attestation.sign")) == 1
    assert asyncio.run(signed_commit.commit_kept()) == ()  # nothing left to store twice
    assert len(AuditService(pg_desk).entries(action="attestation.sign")) == 1
    assert AuditService(pg_desk).verify().ok


def test_a_kept_signature_the_store_now_refuses_is_dropped_with_the_reason(
    pg_desk: PgStore, pg_server: PgServer, devices: dict[str, RunningEmulator],
    keeping: list[Any],
) -> None:
    from app.services import signed_commit

    att_id, signer, _ = _sign_into_a_long_outage(pg_desk, pg_server, devices)
    assert signer.restarted.wait(20)
    # While it was kept, the attestation was rejected on another workstation.
    other = AttestationService(pg_desk)
    other.abandon_signing(att_id, "bob")
    other.reject(att_id, "bob", "figures disputed by the client")
    assert asyncio.run(signed_commit.commit_kept()) == ()
    refused = keeping[-1]
    assert refused.state == "refused" and refused.act == f"bob's signature of attestation {att_id}"
    assert "was not stored" in refused.line
    record = AttestationService(pg_desk).detail(att_id).record
    assert record.signature_b64 is None and record.status == "rejected"
    assert AuditService(pg_desk).entries(action="attestation.sign") == []
    assert AuditService(pg_desk).verify().ok
