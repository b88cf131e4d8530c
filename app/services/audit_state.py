"""Officer and key state checked against the audit trail.

The ``officers`` and ``party_keys`` tables are a cache of what the trail says:
every officer was registered by an ``officer.register`` entry (name, key id,
device fingerprint), every party key by a ``party_key.add`` entry, every
revocation by a ``key.revoke`` entry. :func:`state_problems` compares the two and
names every row the trail does not back — an ``UPDATE officers SET active = 1``
bringing a revoked officer back (or ``active = 0`` / a ``revoked_at`` taking an
officer or key off without the entry), a renamed officer, a key swapped under a name,
a row inserted without its entry. The trust root itself follows the trail: a key
the trail revoked stays revoked whatever its row says
(:meth:`app.store.repo_desk.SqliteDeskRepository.trail_revoked_key_ids`).
"""

from __future__ import annotations

from typing import Any

from app.documents.keys import key_id_for
from app.services.audit_log import entry_payload
from app.store.interface import Transaction


def _payloads(tx: Transaction, action: str) -> list[dict[str, Any]]:
    return [entry_payload(entry) for entry in tx.audit.entries(action=action)]


def state_problems(tx: Transaction, repo: Any) -> list[str]:
    """Every officer or key row the audit trail does not back (one line each)."""
    registered = {
        (str(p.get("name")), str(p.get("key_id"))): p for p in _payloads(tx, "officer.register")
    }
    added = {(str(p.get("party")), str(p.get("key_id"))) for p in _payloads(tx, "party_key.add")}
    revoked = {str(p.get("key_id")) for p in _payloads(tx, "key.revoke")}
    taken_off = {str(p.get("key_id")) for p in _payloads(tx, "officer.revoke")}
    problems: list[str] = []
    for officer in repo.officers_as_stored():
        key_id = key_id_for(officer.pubkey)
        entry = registered.get((officer.name, key_id))
        if entry is None:
            problems.append(
                f"officer {officer.name} (key {key_id}) has no officer.register entry: the "
                "row was inserted or edited outside the desk"
            )
            continue
        if (entry.get("fingerprint") or "") != officer.fingerprint:
            problems.append(f"officer {officer.name}: device fingerprint differs from its "
                            "registration")
        if officer.active and key_id in revoked:
            problems.append(f"officer {officer.name} is active but key {key_id} was revoked "
                            "(key.revoke in the trail)")
        if not officer.active and key_id not in revoked | taken_off:
            problems.append(f"officer {officer.name} is inactive but no key.revoke or "
                            "officer.revoke entry took them off (edited outside the desk)")
    for key in repo.party_keys_as_stored():
        key_id = key_id_for(key.pubkey)
        if (key.party, key_id) not in added:
            problems.append(f"{key.party} key {key_id} has no party_key.add entry")
        elif key.revoked_at is None and key_id in revoked:
            problems.append(f"{key.party} key {key_id} is unrevoked but was revoked in the trail")
        elif key.revoked_at is not None and key_id not in revoked:
            problems.append(f"{key.party} key {key_id} is marked revoked but no key.revoke "
                            "entry revoked it (edited outside the desk)")
    return problems


__all__ = ["state_problems"]
