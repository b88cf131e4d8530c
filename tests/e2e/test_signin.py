"""Officer sign-in by device challenge, and acting only on a live session.

alice and bob are registered on their own emulators (public test seeds). Each
refusal is one typed error, and nothing is done in the officer's name: no session,
no attestation, no audit entry.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from officer_desk import PATH, SNAPSHOT, desk_with_officers, register
from signin_support import sign_in

from app.documents.keys import key_id_for
from app.domain.signin import parse_challenge
from app.services import session_guard
from app.services.attestations import AttestationService, UnknownOfficer
from app.services.audit import AuditService
from app.services.device_access import sign_on_device
from app.services.holdings import HoldingsService
from app.services.officers import revoke_key, revoke_officer
from app.services.signin import SigninService
from app.services.signin_errors import (
    ChallengeAltered,
    ChallengeExpired,
    ChallengeReplayed,
    KeyRevoked,
    NotSignedIn,
    OfficerRevoked,
    SessionExpired,
    SessionInvalid,
    SessionLocked,
    SignatureRejected,
    SignedOut,
)
from app.store.interface import Store
from app.store.sqlite_store import SqliteStore
from signing.emulator.main import RunningEmulator, start_emulator
from signing.emulator.test_seeds import TEST_MNEMONIC_ZOO
from signing.errors import WrongDevice
from signing.interface import NullInteraction

CLIENT = "alnoor-quant"


@pytest.fixture
def store(
    store_factory: Callable[[], SqliteStore], devices: dict[str, RunningEmulator]
) -> Iterator[SqliteStore]:
    """alice and bob registered, nobody signed in (on both backends)."""
    yield from desk_with_officers(store_factory(), devices, signed_in=False)


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def sign(uri: str, text: str) -> bytes:
    return asyncio.run(sign_on_device(uri, PATH, text, NullInteraction())).signature


def actions(store: SqliteStore) -> list[str]:
    return [r.action for r in AuditService(store).entries()]


def nothing_in_names(store: SqliteStore, before: list[str]) -> None:
    """No new audit entry and no attestation: nothing was done in anyone's name."""
    assert actions(store) == before
    assert AttestationService(store).attestations() == []


def test_sign_in_opens_a_session_that_every_audit_entry_rests_on(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    service = SigninService(store)
    challenge = service.issue_challenge("alice")
    line = challenge.render()
    assert line.startswith(f"CDESK-SIGNIN/1 cust=CUST-DEMO officer=alice ws={service.workstation} ")
    assert parse_challenge(line) == challenge
    assert timedelta(minutes=4) < challenge.expires_at - datetime.now(UTC) <= timedelta(minutes=5)
    opened = service.complete(line, sign(devices["alice"].trezor_uri, line))
    live = opened.live
    assert live.officer == "alice" and live.workstation_id == service.workstation
    left = live.expires_at - datetime.now(UTC)
    assert timedelta(hours=7, minutes=59) < left <= timedelta(hours=8)
    att = AttestationService(store).prepare([CLIENT], "alice")
    entries = {r.action: json.loads(r.payload) for r in AuditService(store).entries()}
    signin_entry = entries["officer.signin"]
    assert signin_entry["statement"] == line
    assert signin_entry["session"] == live.attribution()
    prepared = entries["attestation.prepare"]
    assert prepared["attestation_id"] == att.id
    assert prepared["session"] == {
        "officer": "alice",
        "workstation": service.workstation,
        "signin": f"si-{live.session_id}",
        "nonce": challenge.nonce,
    }
    # an entry by the desk itself records the workstation and who was signed in
    AuditService(store).record("desk", "note", {"text": "x"})
    note = json.loads(AuditService(store).entries(action="note")[0].payload)
    assert note["session"]["workstation"] == service.workstation
    assert note["session"]["officer"] == "alice"


def test_acting_without_a_session_names_the_command_to_run(store: SqliteStore) -> None:
    before = actions(store)
    with pytest.raises(NotSignedIn, match="custody-desk signin --officer alice --device URI"):
        AttestationService(store).prepare([CLIENT], "alice")
    nothing_in_names(store, before)


@pytest.mark.parametrize("device", ["bob", "stranger"])
def test_another_officers_or_an_unknown_device_is_refused_before_signing(
    store: SqliteStore, devices: dict[str, RunningEmulator], device: str
) -> None:
    stranger = start_emulator(trezor_port=0, mnemonic=TEST_MNEMONIC_ZOO, name="stranger")
    try:
        uri = devices["bob"].trezor_uri if device == "bob" else stranger.trezor_uri
        before = actions(store)
        with pytest.raises(WrongDevice):
            asyncio.run(SigninService(store).sign_in("alice", uri, NullInteraction()))
        assert session_guard.bound_sessions(store) == []
        with pytest.raises(NotSignedIn):
            AttestationService(store).prepare([CLIENT], "alice")
        nothing_in_names(store, before)
    finally:
        stranger.stop()


def test_a_signature_by_another_key_is_refused(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    service = SigninService(store)
    line = service.issue_challenge("alice").render()
    before = actions(store)
    with pytest.raises(SignatureRejected):
        service.complete(line, sign(devices["bob"].trezor_uri, line))
    nothing_in_names(store, before)


def test_a_replayed_challenge_is_refused(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    service = SigninService(store)
    line = service.issue_challenge("alice").render()
    signature = sign(devices["alice"].trezor_uri, line)
    first = service.complete(line, signature)
    service.end(first.live)
    before = actions(store)
    with pytest.raises(ChallengeReplayed):
        service.complete(line, signature)
    assert actions(store) == before
    with pytest.raises(NotSignedIn):
        AttestationService(store).prepare([CLIENT], "alice")


def test_an_expired_challenge_is_refused(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    clock = Clock()
    service = SigninService(store, clock=clock)
    line = service.issue_challenge("alice").render()
    signature = sign(devices["alice"].trezor_uri, line)
    clock.now += timedelta(minutes=5, seconds=1)
    before = actions(store)
    with pytest.raises(ChallengeExpired):
        service.complete(line, signature)
    nothing_in_names(store, before)


def _flip_last_nonce_digit(line: str) -> str:
    """The same line with the nonce's last hex digit changed (its tag no longer fits)."""
    head, _, rest = line.partition(" nonce=")
    nonce, tail = rest[:32], rest[32:]
    return f"{head} nonce={nonce[:31]}{'1' if nonce[31] == '0' else '0'}{tail}"


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s.replace("officer=alice", "officer=bob"),
        lambda s: s.replace("cust=CUST-DEMO", "cust=CUST-OTHER"),
        lambda s: s[:-3] + "9Z",  # a later expiry
        lambda s: s.replace("ws=", "ws=x"),
        lambda s: s.replace(" nonce=", "  nonce="),
        lambda s: s.replace("CDESK-SIGNIN/1", "CDESK-SIGNIN/2"),
        _flip_last_nonce_digit,
    ],
    ids=["officer", "custodian", "expiry", "workstation", "double-space", "version", "nonce"],
)
def test_an_altered_challenge_is_refused_even_when_signed(
    store: SqliteStore, devices: dict[str, RunningEmulator], edit: object
) -> None:
    service = SigninService(store)
    line = service.issue_challenge("alice").render()
    altered = edit(line)  # type: ignore[operator]
    assert altered != line
    before = actions(store)
    with pytest.raises(ChallengeAltered):
        service.complete(altered, sign(devices["alice"].trezor_uri, altered))
    nothing_in_names(store, before)


def test_a_challenge_from_another_workstation_is_refused(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    line = SigninService(store, workstation="ws-elsewhere").issue_challenge("alice").render()
    before = actions(store)
    with pytest.raises(ChallengeAltered, match="workstation"):
        SigninService(store, workstation="ws-here").complete(
            line, sign(devices["alice"].trezor_uri, line)
        )
    nothing_in_names(store, before)


def test_a_revoked_officer_cannot_sign_in_and_their_session_stops(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    uri = devices["alice"].trezor_uri
    service = SigninService(store)
    line = service.issue_challenge("alice").render()
    signature = sign(uri, line)
    sign_in(store, "bob", devices["bob"].trezor_uri)
    revoke_officer(store, "alice", actor="officer:bob")
    before = actions(store)
    with pytest.raises(OfficerRevoked):
        service.complete(line, signature)
    with pytest.raises(OfficerRevoked):
        service.issue_challenge("alice")
    nothing_in_names(store, before)


def test_a_revoked_key_cannot_sign_in_and_its_session_stops(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    uri = devices["alice"].trezor_uri
    opened = sign_in(store, "alice", uri)
    line = SigninService(store).issue_challenge("alice").render()
    signature = sign(uri, line)
    sign_in(store, "bob", devices["bob"].trezor_uri)
    revoke_key(store, key_id_for(opened.live.pubkey), actor="officer:bob")
    before = actions(store)
    with pytest.raises(KeyRevoked):
        SigninService(store).complete(line, signature)
    with pytest.raises(UnknownOfficer):  # the service itself refuses an inactive officer
        AttestationService(store).prepare([CLIENT], "alice")
    nothing_in_names(store, before)


def test_an_expired_session_is_refused(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    sign_in(store, "alice", devices["alice"].trezor_uri)
    later = Clock()
    later.now += timedelta(hours=8, seconds=1)
    before = actions(store)
    with pytest.raises(SessionExpired, match="custody-desk signin --officer alice"):
        AttestationService(store, clock=later).prepare([CLIENT], "alice")
    nothing_in_names(store, before)


def test_a_locked_or_signed_out_session_is_refused(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    opened = sign_in(store, "alice", devices["alice"].trezor_uri)
    SigninService(store).end(opened.live, "lock")
    session_guard.bind(store, opened.live)  # even a kept copy of the session is dead
    before = actions(store)
    with pytest.raises(SessionLocked):
        AttestationService(store).prepare([CLIENT], "alice")
    nothing_in_names(store, before)
    again = sign_in(store, "alice", devices["alice"].trezor_uri)
    SigninService(store).end(again.live)
    session_guard.bind(store, again.live)
    before = actions(store)
    with pytest.raises(SignedOut):
        AttestationService(store).prepare([CLIENT], "alice")
    nothing_in_names(store, before)


def test_one_officers_session_does_not_act_for_another(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    sign_in(store, "alice", devices["alice"].trezor_uri)
    att = AttestationService(store).prepare([CLIENT], "alice")
    with pytest.raises(NotSignedIn, match="bob"):
        AttestationService(store).reject(att.id, "bob", "no")
    assert AttestationService(store).detail(att.id).record.status == "awaiting_approval"


def test_sign_in_sessions_and_replay_on_both_store_backends(
    store_factory: Callable[[], Store], devices: dict[str, RunningEmulator]
) -> None:
    """The same challenge, session and refusal rules on SQLite and on PostgreSQL."""
    first = store_factory()
    HoldingsService(first).import_file(SNAPSHOT, "test")
    register(first, "alice", devices["alice"].trezor_uri)
    service = SigninService(first)
    line = service.issue_challenge("alice").render()
    signature = sign(devices["alice"].trezor_uri, line)
    opened = service.complete(line, signature)
    with pytest.raises(ChallengeReplayed):
        service.complete(line, signature)
    att = AttestationService(first).prepare([CLIENT], "alice")
    # another connection (another desk process) acts only by resuming with the secret
    second = store_factory()
    with pytest.raises(NotSignedIn):
        AttestationService(second).prepare(["gulf-meridian-mm"], "alice")
    with pytest.raises(SessionInvalid):
        SigninService(second).resume(opened.live.session_id, b"\x00" * 32)
    live = SigninService(second).resume(opened.live.session_id, opened.secret)
    assert live.officer == "alice" and live.expires_at == opened.live.expires_at
    SigninService(second).end(live)
    session_guard.bind(second, live)
    with pytest.raises(SignedOut):
        AttestationService(second).prepare(["gulf-meridian-mm"], "alice")
    assert [a.id for a in AttestationService(second).attestations()] == [att.id]


def test_a_well_formed_challenge_this_desk_did_not_issue_is_refused(
    store: SqliteStore, devices: dict[str, RunningEmulator], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line with every field right (fresh nonce, this workstation, not expired), signed
    by the officer's own device, opens nothing unless this desk process issued it."""
    import secrets

    from app.domain.signin import SigninChallenge
    from app.services import signin as signin_module

    service = SigninService(store)
    issued = service.issue_challenge("alice")
    made_up = SigninChallenge(
        custodian_id=issued.custodian_id, officer="alice", workstation_id=service.workstation,
        nonce=secrets.token_hex(16), expires_at=issued.expires_at,
    ).render()
    # a line another desk process issued: same format, that process's own key
    monkeypatch.setattr(signin_module, "_CHALLENGE_KEY", secrets.token_bytes(32))
    elsewhere = service.issue_challenge("alice").render()
    monkeypatch.undo()
    before = actions(store)
    for line in (made_up, elsewhere):
        with pytest.raises(ChallengeAltered, match="not a challenge this desk issued"):
            service.complete(line, sign(devices["alice"].trezor_uri, line))
    nothing_in_names(store, before)
    # this process's own line still opens a session
    line = issued.render()
    assert service.complete(line, sign(devices["alice"].trezor_uri, line)).live.officer == "alice"


def test_issuing_a_challenge_writes_nothing_and_a_used_nonce_is_recorded_once(
    store: SqliteStore, devices: dict[str, RunningEmulator]
) -> None:
    from app.store.repo_signin import SqliteSigninRepository

    service = SigninService(store)
    before = actions(store)
    challenge = service.issue_challenge("alice")
    with store.read() as tx:
        repo = tx.repository(SqliteSigninRepository)
        assert repo.challenge(challenge.nonce) is None
    assert actions(store) == before
    line = challenge.render()
    opened = service.complete(line, sign(devices["alice"].trezor_uri, line))
    with store.read() as tx:
        used = tx.repository(SqliteSigninRepository).challenge(challenge.nonce)
    assert used is not None and used.statement == line
    assert used.used_at == opened.live.opened_at and used.expires_at == challenge.expires_at


def test_a_nonce_is_accepted_once_across_connections_on_both_backends(
    store_factory: Callable[[], Store], devices: dict[str, RunningEmulator]
) -> None:
    """Two desk connections (two processes) to one store: the second completion of the
    same signed line is a replay, whichever backend; the nonce row is inserted once."""
    from app.store.repo_signin import ChallengeRecord, SqliteSigninRepository

    first = store_factory()
    HoldingsService(first).import_file(SNAPSHOT, "test")
    register(first, "alice", devices["alice"].trezor_uri)
    second = store_factory()
    line = SigninService(first).issue_challenge("alice").render()
    signature = sign(devices["alice"].trezor_uri, line)
    SigninService(second).complete(line, signature)
    with pytest.raises(ChallengeReplayed):
        SigninService(first).complete(line, signature)
    # the rule itself is the primary key: a second insert of a nonce inserts nothing
    challenge = parse_challenge(line)
    with first.transaction() as tx:
        repo = tx.repository(SqliteSigninRepository)
        row = repo.challenge(challenge.nonce)
        assert row is not None
        assert not repo.use_nonce(ChallengeRecord(
            nonce=row.nonce, officer_id=row.officer_id, workstation_id="ws-other",
            statement=row.statement, issued_at=row.issued_at, expires_at=row.expires_at,
            used_at=datetime.now(UTC)))
    with first.read() as tx:
        again = tx.repository(SqliteSigninRepository).challenge(challenge.nonce)
    assert again == row


@pytest.mark.parametrize("revoke", ["officer", "key"])
def test_a_live_session_stops_when_its_officer_or_key_is_revoked(
    store: SqliteStore, devices: dict[str, RunningEmulator], revoke: str
) -> None:
    """The session guard itself refuses (not only a service's own officer check): an
    entry in alice's name after her revocation is refused with the one typed error."""
    opened = sign_in(store, "alice", devices["alice"].trezor_uri)
    AuditService(store).record("officer:alice", "note", {"text": "before"})
    sign_in(store, "bob", devices["bob"].trezor_uri)
    if revoke == "officer":
        revoke_officer(store, "alice", actor="officer:bob")
    else:
        revoke_key(store, key_id_for(opened.live.pubkey), actor="officer:bob")
    before = actions(store)
    refusal = OfficerRevoked if revoke == "officer" else KeyRevoked
    with pytest.raises(refusal):
        AuditService(store).record("officer:alice", "note", {"text": "after"})
    assert actions(store) == before
    AuditService(store).record("officer:bob", "note", {"text": "bob goes on"})
