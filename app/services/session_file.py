"""Where a headless session's secret is kept: one file per OS user, readable by them only.

``<data dir>/sessions/<os user>.json``, created ``0600`` inside a ``0700`` folder,
holds the session id, the officer, the workstation id, the expiry and the 32-byte
secret (hex). The store keeps only a digest of the secret bound to the workstation
id and OS user (:func:`app.services.signin.secret_digest`), so the file is useless
on another workstation, for another user, after sign-out (the file is deleted and
the session ended) or after expiry. A file that others can read, or owned by
someone else, is refused rather than used.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from app.services.signin_errors import SessionInvalid


@dataclass(frozen=True)
class SessionFile:
    session_id: int
    officer: str
    workstation_id: str
    expires_at: str
    secret: bytes


def session_path(data_folder: Path, user: str) -> Path:
    """The session file of OS user ``user`` in ``data_folder``."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", user) or "unknown"
    return data_folder / "sessions" / f"{safe}.json"


def write_session(path: Path, session: SessionFile) -> None:
    """Write atomically, 0600 from the first byte (never briefly readable by others)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    data = json.dumps(
        {
            "session_id": session.session_id,
            "officer": session.officer,
            "workstation_id": session.workstation_id,
            "expires_at": session.expires_at,
            "secret": session.secret.hex(),
        }
    ).encode("utf-8")
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    tmp.replace(path)


def read_session(path: Path) -> SessionFile | None:
    """The session in ``path``; None if there is none. Refuses an exposed or foreign file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise SessionInvalid(f"{path} belongs to another user: run `custody-desk signin`")
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise SessionInvalid(
            f"{path} can be read by other users; it is not used: run `custody-desk signin`"
        )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return SessionFile(
            session_id=int(raw["session_id"]),
            officer=str(raw["officer"]),
            workstation_id=str(raw["workstation_id"]),
            expires_at=str(raw["expires_at"]),
            secret=bytes.fromhex(raw["secret"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SessionInvalid(f"{path} is not a session file: run `custody-desk signin`") from exc


def remove_session(path: Path) -> None:
    path.unlink(missing_ok=True)
