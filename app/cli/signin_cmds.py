"""``signin --officer NAME --device URI``, ``signout``, ``whoami``, and the session check
every command acting in an officer's name makes (:func:`acting_officer`).

A session belongs to one OS user on one workstation: its secret is in
``<data dir>/sessions/<user>.json`` (0600, :mod:`app.services.session_file`).
Exit codes: 0 done, 2 refused (typed sign-in refusal), 4 the device failed or is
not the officer's (nothing signed).
"""

from __future__ import annotations

import argparse
import contextlib
from typing import Any

from app.cli.errors import CliError
from app.cli.store_cmds import opened_store
from app.paths import data_dir
from app.services.session_file import SessionFile, read_session, remove_session, session_path
from app.services.signin_errors import NotSignedIn, OfficerMismatch, SigninError, signin_hint
from app.store.interface import Store


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's subcommands to the parser."""
    signin = sub.add_parser(
        "signin", help="sign in: approve a one-time challenge on your own registered device"
    )
    signin.add_argument("--officer", required=True, metavar="NAME")
    signin.add_argument("--device", required=True, metavar="URI")
    signin.set_defaults(handler=cmd_signin)
    signout = sub.add_parser("signout", help="end this OS user's session on this workstation")
    signout.set_defaults(handler=cmd_signout)
    whoami = sub.add_parser("whoami", help="who is signed in here, and until when")
    whoami.set_defaults(handler=cmd_whoami)


def _path(args: argparse.Namespace) -> Any:
    from app.services.signin import os_user

    return session_path(data_dir(args.data_dir), os_user())


def cmd_signin(args: argparse.Namespace) -> int:
    from app.cli.desk_cmds import CliInteraction, run_async
    from app.services.signin import SigninService

    path = _path(args)
    with opened_store(args) as store:
        service = SigninService(store)
        opened = run_async(service.sign_in(args.officer, args.device, CliInteraction()))
        previous = _stored(path)
        if previous is not None and previous.session_id != opened.live.session_id:
            # the OS user's earlier session (maybe another officer's) ends here
            with contextlib.suppress(SigninError):
                service.end(
                    service.resume(previous.session_id, previous.secret, check=False),
                    "replaced",
                )
        live = opened.live
        expires = live.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        from app.services.session_file import write_session

        write_session(
            path,
            SessionFile(live.session_id, live.officer, live.workstation_id, expires, opened.secret),
        )
    print(f"{live.officer} signed in on {live.workstation_id} until {expires} ({live.signin_ref})")
    return 0


def _stored(path: Any) -> SessionFile | None:
    try:
        return read_session(path)
    except SigninError:
        return None


def cmd_signout(args: argparse.Namespace) -> int:
    from app.services.signin import SigninService

    path = _path(args)
    try:
        stored = read_session(path)
    except SigninError:
        remove_session(path)  # an exposed or broken file is never used again
        raise
    if stored is None:
        raise CliError("nobody is signed in here for this OS user")
    with opened_store(args) as store:
        service = SigninService(store)
        try:
            service.end(service.resume(stored.session_id, stored.secret, check=False))
        finally:
            remove_session(path)
    print(f"{stored.officer} signed out")
    return 0


def cmd_whoami(args: argparse.Namespace) -> int:
    with opened_store(args) as store:
        officer = acting_officer(args, store)
    stored = read_session(_path(args))
    assert stored is not None
    print(f"{officer} until {stored.expires_at} on {stored.workstation_id}")
    return 0


def live_session_or_none(args: argparse.Namespace, store: Store) -> str | None:
    """Bind this OS user's live session to ``store`` if there is one (for attribution)."""
    try:
        return acting_officer(args, store)
    except SigninError:
        return None


def acting_officer(args: argparse.Namespace, store: Store, officer: str | None = None) -> str:
    """The officer of this OS user's live session (bound to ``store``), or the typed refusal.

    ``officer`` (a command's ``--officer``) must be the signed-in officer.
    """
    from app.services.signin import SigninService

    stored = read_session(_path(args))
    if stored is None:
        raise NotSignedIn(
            f"nobody is signed in on this workstation: run `{signin_hint(officer)}`"
        )
    live = SigninService(store).resume(stored.session_id, stored.secret)
    if officer is not None and officer != live.officer:
        raise OfficerMismatch(
            f"--officer {officer} does not match the signed-in officer {live.officer}: "
            f"run `{signin_hint(officer)}`"
        )
    return live.officer
