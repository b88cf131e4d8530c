"""Emergency 2-of-3 unfreeze orders: create, co-sign, collect, execute once.

Parties are the regulator, the custodian and the exchange. An order names the
client and assets, a reason and a 48-hour expiry; each party signs the same
one-line ``CDESK-UNFREEZE`` statement on its own device. The desk imports the
signed copies, verifies every signature against the keys file (revoked keys
drop out), counts distinct parties (a repeated party counts once) and, at 2
valid parties before expiry, produces the signed release instruction exactly
once: the conditional update that marks the order executed and stores the
release runs in the same transaction, so a retry or a restart cannot make a
second one.
"""

from __future__ import annotations

import base64
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.documents.canonical import (
    MAX_ORDER_BYTES,
    amount,
    encode,
    parse_amount,
    parse_utc,
    utc,
)
from app.documents.envelope import Document, Kind, SignatureEntry, body_digest, parse_document
from app.documents.errors import DocumentError, Reason
from app.documents.keys import KeysFile, Party, key_id_for
from app.documents.order_body import CURRENT_VERSION, order_statement
from app.documents.signatures import verify_message
from app.documents.specs import EMERGENCY_QUORUM
from app.documents.verify import (
    VerifyContext,
    check_signatures,
    device_of,
    quorum_check,
    verify_document,
)
from app.domain import multisig
from app.domain import statement as st
from app.domain.statement import Environment
from app.services import emergency_btc
from app.services.data_binding import with_bindings
from app.services.desk_identity import desk_identity
from app.services.device_access import SignerFactory, sign_on_device
from app.services.holdings import current_cutoff
from app.services.officers import desk_repo, keys_from_repo
from app.services.signed_commit import commit_signed
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.services.vault import VaultError
from app.store.interface import Store
from app.store.repo_desk import EmergencyOrderRecord, EmergencySignatureRecord
from signing.bitcoin.vault import NETWORK_FOR_ENV
from signing.interface import Interaction

logger = logging.getLogger(__name__)

EMERGENCY_WINDOW = multisig.EMERGENCY_WINDOW


class EmergencyError(Exception):
    """An emergency operation was refused; the store is unchanged."""


class ShareAlreadySigned(EmergencyError):
    """The party already has a share on this order; a second one replaces it only when
    asked to (``replace=True`` with a reason, audited as ``emergency.share_replace``)."""

    def __init__(self, order_id: str, party: str, key_id: str, new_key_id: str = "") -> None:
        with_key = f" with key {new_key_id}" if new_key_id else ""
        super().__init__(
            f"the {party} already signed order {order_id} with key {key_id}; one share per "
            f"party: replacing it{with_key} needs an explicit confirmation and a reason"
        )
        self.order_id = order_id
        self.party = party
        self.key_id = key_id
        self.new_key_id = new_key_id


@dataclass(frozen=True)
class QuorumStatus:
    """Where an order stands, recomputed from verified signatures."""

    order_id: str
    client_id: str
    status: str
    parties_signed: tuple[str, ...]
    devices_signed: int  # distinct devices (master fingerprints) among valid signatures
    quorum_reached: bool
    executable: bool
    executed: bool
    expires_at: datetime
    executed_at: datetime | None

    def to_json(self) -> dict[str, object]:
        return {
            "order_id": self.order_id,
            "client_id": self.client_id,
            "status": self.status,
            "parties_signed": list(self.parties_signed),
            "devices_signed": self.devices_signed,
            "quorum_reached": self.quorum_reached,
            "executable": self.executable,
            "executed": self.executed,
            "expires_at": utc(self.expires_at),
            "executed_at": utc(self.executed_at) if self.executed_at else None,
        }


@dataclass(frozen=True)
class ImportResult:
    order_id: str
    new_parties: tuple[str, ...]
    already_known: int
    status: QuorumStatus


def _domain_order(
    body: dict[str, Any], version: int = CURRENT_VERSION
) -> multisig.UnfreezeOrder:
    """The domain's view of an order body (its policy decides quorum and expiry), with
    its statement in format ``version`` (the one it was signed in)."""
    return multisig.UnfreezeOrder.create(
        order_id=str(body["id"]),
        client_id=str(body["client_id"]),
        assets={
            str(a["asset"]): parse_amount(a["quantity"], "assets.quantity")
            for a in body["assets"]
        },
        reason=str(body["reason"]),
        created_at=parse_utc(body["created_at"], "created_at"),
        env=Environment(str(body["env"])),
        exchange=str(body["exchange_id"]),
        custodian=str(body["custodian_id"]),
        body_digest=bytes.fromhex(body_digest(body)),
        tx_prefix=order_statement(body, "body", version).tx_prefix,
        statement_version=version,
    )


def _document(order: EmergencyOrderRecord, sigs: list[EmergencySignatureRecord]) -> Document:
    return Document(
        kind=Kind.UNFREEZE_ORDER,
        statement=order.statement,
        body=order.body,
        signatures=tuple(
            SignatureEntry(key_id_for(s.pubkey), s.party, base64.b64decode(s.signature_b64))
            for s in sigs
        ),
    )


class ReasonNotShowable(EmergencyError):
    """The reason cannot be shown on a signing device as written (nothing was stored)."""


def _check_reason_fits(body: dict[str, Any]) -> None:
    """Refuse a reason that would push the order statement past the device's 240
    characters, saying how many characters this order leaves for it."""
    try:
        order_statement(body)
        return
    except st.StatementError:
        pass
    except DocumentError:
        return  # not about the reason: reported as the statement's own error below
    try:
        short = order_statement({**body, "reason": "x"})
    except (st.StatementError, DocumentError):
        return  # the order does not fit even with a one-letter reason: the assets are too many
    if not isinstance(short, st.UnfreezeStatementV3):
        return  # a format without the reason: nothing to say about it
    room = short.reason_room()
    length = len(st.quote_reason(body["reason"])) - 2
    raise ReasonNotShowable(
        f"the reason takes {length} characters on the device (quotes and backslashes count "
        f"twice); this order leaves room for {room} within the 240 a signing device shows: "
        "shorten it"
    )


def create_order(
    store: Store,
    client_id: str,
    reason: str,
    *,
    actor: str,
    assets: dict[str, Decimal] | None = None,
    btc_release: emergency_btc.ReleaseRequest | None = None,
    clock: Clock = utc_now,
    onchain: tuple[str, dict[str, Any]] | None = None,
    onchain_check: Callable[[Any, datetime], None] | None = None,
) -> Document:
    """Create an open order for ``client_id`` (all its positions unless ``assets``).

    With ``btc_release`` the order also carries the release PSBT of the client's
    Bitcoin vault, and its body names that transaction (``btc_release``).

    ``onchain`` is a registered on-chain section ``(key, section)`` of the body (the
    Safe's SafeTx, say): the statement then shows its transaction hash as ``tx=``
    and ``body=`` binds all of it. ``onchain_check(tx, now)`` runs inside the
    order's transaction before it is stored and may refuse it (one open order per
    Safe: ``safe_orders``).
    """
    try:
        st.check_reason(reason)  # refused before anything is stored or shown
    except st.UnshowableReason as exc:
        raise ReasonNotShowable(str(exc)) from exc
    desk = desk_identity(store)
    with unit_of_work(store, clock=clock) as uow:
        now = uow.now.replace(microsecond=0)
        if assets is None:
            cutoff = current_cutoff(uow.tx, uow.now)  # never a snapshot dated in the future
            states = [
                s for s in uow.tx.holdings.client_states(cutoff) if s.client_id == client_id
            ]
            if not states:
                raise EmergencyError(f"unknown client {client_id}")
            assets = {p.asset: p.quantity for p in states[0].positions if p.quantity > 0}
        elif not uow.tx.holdings.has_client(client_id):
            raise EmergencyError(f"unknown client {client_id}")
        if not assets:
            raise EmergencyError(f"client {client_id} holds nothing to unfreeze")
        order_id = "uo-" + secrets.token_hex(5)
        body: dict[str, Any] = {
            "id": order_id,
            "custodian_id": desk.custodian_id,
            "exchange_id": desk.exchange_id,
            "env": desk.env,
            "client_id": client_id,
            "assets": [{"asset": a, "quantity": amount(q)} for a, q in sorted(assets.items())],
            "reason": reason,
            "created_at": utc(now),
            "expires_at": utc(now + EMERGENCY_WINDOW),
        }
        psbt = None
        if btc_release is not None:
            network = NETWORK_FOR_ENV[desk.env]
            try:
                psbt = emergency_btc.plan_release(uow.tx, client_id, btc_release, network)
                release = emergency_btc.summary_of(psbt, uow.tx, client_id, network)
            except (emergency_btc.PsbtRefused, VaultError) as exc:
                raise EmergencyError(f"cannot build the Bitcoin release: {exc}") from exc
            body["btc_release"] = release.to_json()
        if onchain is not None:
            body[onchain[0]] = onchain[1]
        if onchain_check is not None:
            onchain_check(uow.tx, uow.now)
        _check_reason_fits(body)
        try:
            statement = _domain_order(body).text
        except (ValueError, DocumentError) as exc:  # MultisigError is a ValueError
            raise EmergencyError(
                f"cannot form the order statement: {exc} (a device shows at most 240 "
                "characters: split the assets over several orders)"
            ) from exc
        if statement != order_statement(body).render():  # the document binding agrees
            raise EmergencyError("order statement and document body disagree")
        record = EmergencyOrderRecord(
            id=0,
            public_id=order_id,
            client_id=client_id,
            reason=reason,
            statement=statement,
            body=body,
            status="open",
            created_by=actor,
            created_at=now,
            expires_at=now + EMERGENCY_WINDOW,
            executed_at=None,
            release_json=None,
        )
        row_id = desk_repo(uow.tx).add_order(record, assets_json=encode(body["assets"]).decode())
        if psbt is not None:
            emergency_btc.store_release(uow.tx, row_id, psbt, release, now)
        uow.audit(
            actor,
            "emergency.create",
            with_bindings(
                uow.tx,
                {"order_id": order_id, "client_id": client_id, "statement": statement},
                ("emergency_orders", order_id),
                ("emergency_orders.release", order_id),
                ("emergency_psbts", row_id),
            ),
        )
    logger.info("emergency order %s created for %s", order_id, client_id)
    return Document(kind=Kind.UNFREEZE_ORDER, statement=statement, body=body)


def export_order(store: Store, order_id: str) -> Document:
    """The order with every signature collected so far."""
    with store.read() as tx:
        repo = desk_repo(tx)
        order = repo.order(order_id)
        if order is None:
            raise EmergencyError(f"no emergency order {order_id}")
        return _document(order, repo.order_signatures(order.id))


async def sign_share(
    order: Document,
    party: Party,
    uri: str,
    path: str,
    *,
    interaction: Interaction,
    keys: KeysFile | None = None,
    signer_factory: SignerFactory | None = None,
    replace: bool = False,
) -> Document:
    """Sign ``party``'s share of ``order`` on the device at ``uri``; return the signed copy.

    The signature is checked against the device's key and, when ``keys`` is
    given, that key must be ``party``'s registered emergency key. A copy that
    already carries ``party``'s share is refused before the device is asked
    (:class:`ShareAlreadySigned`) unless ``replace``: then the new share takes
    the old one's place in the copy (the desk audits it on import).
    """
    if order.kind is not Kind.UNFREEZE_ORDER:
        raise EmergencyError(f"not an unfreeze order: {order.kind}")
    earlier = [s for s in order.signatures if s.party == party.value]
    if earlier and not replace:
        raise ShareAlreadySigned(
            str(order.body.get("id", "?")), party.value, earlier[0].key_id
        )

    made = await sign_on_device(
        uri, path, order.statement, interaction, signer_factory=signer_factory
    )
    pubkey, signature = made.pubkey, made.signature
    key_id = key_id_for(pubkey)
    if keys is not None:
        entry = keys.get(key_id)
        if entry is None or entry.party is not party or entry.role not in EMERGENCY_QUORUM.roles:
            raise DocumentError(
                Reason.UNKNOWN_KEY, f"key {key_id} is not {party.value}'s registered emergency key"
            )
    others = tuple(s for s in order.signatures if s.party != party.value)
    return dc_replace(order, signatures=others).with_signature(
        SignatureEntry(key_id, party.value, signature)
    )


def _status(
    order: EmergencyOrderRecord,
    sigs: list[EmergencySignatureRecord],
    keys: KeysFile,
    env: str,
    now: datetime,
) -> QuorumStatus:
    ctx = VerifyContext(keys=keys, env=env, now=now)
    valid, _ = check_signatures(_document(order, sigs), EMERGENCY_QUORUM, ctx)
    parties = tuple(sorted({v.entry.party.value for v in valid}))
    devices = len({device_of(v.entry) for v in valid})
    reached = quorum_check(valid, EMERGENCY_QUORUM).ok
    executed = order.status == "executed"
    return QuorumStatus(
        order_id=order.public_id,
        client_id=order.client_id,
        status=(
            "executed"
            if executed
            else "expired"
            if now >= order.expires_at
            else "executable"
            if reached
            else "open"
        ),
        parties_signed=parties,
        devices_signed=devices,
        quorum_reached=reached,
        executable=reached and not executed and now < order.expires_at,
        executed=executed,
        expires_at=order.expires_at,
        executed_at=order.executed_at,
    )


def share_of(store: Store, order_id: str, party: Party) -> str | None:
    """The key id of ``party``'s share already stored on ``order_id`` (None: not signed).

    Lets a caller (CLI, window) ask for confirmation before a device is even asked."""
    with store.read() as tx:
        repo = desk_repo(tx)
        order = repo.order(order_id)
        if order is None:
            raise EmergencyError(f"no emergency order {order_id}")
        for sig in repo.order_signatures(order.id):
            if sig.party == party.value:
                return key_id_for(sig.pubkey)
    return None


def import_signed(
    store: Store,
    data: bytes,
    *,
    actor: str,
    clock: Clock = utc_now,
    replace: bool = False,
    reason: str = "",
) -> ImportResult:
    """Import a signed copy: every signature must verify, or nothing is stored.

    One share per party per order: a signature of a party that already has a
    share under another key raises :class:`ShareAlreadySigned`, unless
    ``replace`` is set with a ``reason``; then the earlier share is removed and
    the replacement audited (``emergency.share_replace``: who, which keys, why).
    """
    if replace and not reason.strip():
        raise EmergencyError("replacing a party's share needs a reason")
    if len(data) > MAX_ORDER_BYTES:  # refused before parsing (docs/documents.md, Limits)
        raise DocumentError(
            Reason.MALFORMED,
            f"a signed order copy is at most {MAX_ORDER_BYTES:,} bytes; this one is {len(data):,}",
        )
    doc = parse_document(data)
    if doc.kind is not Kind.UNFREEZE_ORDER:
        raise DocumentError(Reason.UNKNOWN_KIND, f"expected an unfreeze order, got {doc.kind}")
    desk = desk_identity(store)
    env = desk.env
    with unit_of_work(store, clock=clock) as uow:
        repo = desk_repo(uow.tx)
        keys = keys_from_repo(repo, env)
        ctx = VerifyContext(keys=keys, env=env, now=uow.now, exchange_id=desk.exchange_id)
        report = verify_document(doc, ctx)
        bad = [c for c in report.checks if not c.ok and c.name != "quorum"]
        if bad:
            raise DocumentError(
                bad[0].reason or Reason.MALFORMED, f"{bad[0].name}: {bad[0].detail}"
            )
        order_id = str(doc.body.get("id", ""))
        order = repo.order(order_id)
        if order is None:
            raise DocumentError(Reason.MISMATCH, f"no emergency order {order_id} on this desk")
        if order.statement != doc.statement or order.body != doc.body:
            raise DocumentError(Reason.MISMATCH, "the copy's order differs from ours")
        if order.status == "executed":
            raise DocumentError(Reason.REPLAY, f"order {order_id} was already executed")
        new_parties: list[str] = []
        known = 0
        stored = {s.party: s for s in repo.order_signatures(order.id)}
        offered: dict[str, str] = {}
        for sig in doc.signatures:
            entry = keys.get(sig.key_id)
            assert entry is not None  # verified above
            party = entry.party.value
            if offered.setdefault(party, sig.key_id) != sig.key_id:
                raise EmergencyError(f"the copy carries two shares of the {party}")
            held = stored.get(party)
            if held is None or held.pubkey == entry.pubkey:
                continue
            if not replace:
                raise ShareAlreadySigned(order_id, party, key_id_for(held.pubkey), sig.key_id)
            repo.remove_order_signature(order.id, party)
            uow.audit(
                actor,
                "emergency.share_replace",
                {
                    "order_id": order_id,
                    "party": party,
                    "old_key_id": key_id_for(held.pubkey),
                    "new_key_id": sig.key_id,
                    "reason": reason,
                },
            )
        for sig in doc.signatures:
            entry = keys.get(sig.key_id)
            assert entry is not None  # verified above
            added = repo.add_order_signature(
                order.id,
                EmergencySignatureRecord(
                    party=entry.party.value,
                    pubkey=entry.pubkey,
                    address=entry.address,
                    signature_b64=base64.b64encode(sig.signature).decode("ascii"),
                    imported_at=uow.now,
                ),
            )
            if added:
                new_parties.append(entry.party.value)
            else:
                known += 1
        status = _status(order, repo.order_signatures(order.id), keys, env, uow.now)
        if status.executable and order.status == "open":
            repo.set_order_status(order.id, "executable", uow.now)
            status = _status(
                repo.order(order_id) or order, repo.order_signatures(order.id), keys, env, uow.now
            )
        uow.audit(
            actor,
            "emergency.import",
            with_bindings(
                uow.tx,
                {
                    "order_id": order_id,
                    "new_signatures": new_parties,
                    "already_known": known,
                    "parties_signed": list(status.parties_signed),
                },
                ("emergency_signatures", order.id),
            ),
        )
    return ImportResult(order_id, tuple(new_parties), known, status)


async def import_signed_kept(
    store: Store,
    data: bytes,
    *,
    actor: str,
    clock: Clock = utc_now,
    replace: bool = False,
    reason: str = "",
) -> ImportResult:
    """:func:`import_signed`, the signed copy kept and retried across an outage.

    A share a device has just signed (or a copy a party sent) is not lost to a
    store that is away for a moment (:mod:`app.services.signed_commit`); a try
    whose commit answer was lost is recognised by its stored shares, so the
    shares and the ``emergency.import`` entry are stored once."""
    doc = parse_document(data) if len(data) <= MAX_ORDER_BYTES else None
    order_id = str(doc.body.get("id", "?")) if doc is not None else "?"

    def already() -> ImportResult | None:
        if doc is None or not doc.signatures:
            return None
        with store.read() as tx:
            repo = desk_repo(tx)
            order = repo.order(order_id)
            if order is None:
                return None
            stored = {(s.party, s.signature_b64) for s in repo.order_signatures(order.id)}
        offered = {
            (s.party, base64.b64encode(s.signature).decode("ascii")) for s in doc.signatures
        }
        if not offered <= stored:
            return None
        parties = tuple(sorted({party for party, _ in offered}))
        return ImportResult(order_id, parties, 0, quorum_status(store, order_id, clock=clock))

    return await commit_signed(
        f"the signed copy of emergency order {order_id}",
        lambda: import_signed(
            store, data, actor=actor, clock=clock, replace=replace, reason=reason
        ),
        already=already,
    )


def quorum_status(store: Store, order_id: str, *, clock: Clock = utc_now) -> QuorumStatus:
    """The order's status, with signatures re-verified against the current keys."""
    env = desk_identity(store).env
    with store.read() as tx:
        repo = desk_repo(tx)
        order = repo.order(order_id)
        if order is None:
            raise EmergencyError(f"no emergency order {order_id}")
        return _status(
            order, repo.order_signatures(order.id), keys_from_repo(repo, env), env, clock()
        )


def execute(
    store: Store,
    order_id: str,
    *,
    actor: str,
    clock: Clock = utc_now,
    safe_call_checked: bool = False,
) -> Document:
    """Produce the signed release instruction, once. A second call raises.

    An order with a Safe transaction is executed only through
    ``safe_orders.execute_safe_order`` (``safe_call_checked``), which first checks its
    owners' signatures and writes the ``execTransaction`` call: releasing it here
    would leave the tokens with no call to broadcast.
    """
    env = desk_identity(store).env
    with unit_of_work(store, clock=clock) as uow:
        repo = desk_repo(uow.tx)
        order = repo.order(order_id)
        if order is None:
            raise EmergencyError(f"no emergency order {order_id}")
        if order.status == "executed" or order.release_json is not None:
            raise EmergencyError(
                f"order {order_id} was already executed at "
                f"{utc(order.executed_at) if order.executed_at else '?'}"
            )
        if "safe" in order.body and not safe_call_checked:
            raise EmergencyError(
                f"order {order_id} moves tokens through a Safe: execute it with its "
                "execTransaction call (emergency execute ID --safe-tx-out FILE)"
            )
        keys = keys_from_repo(repo, env)
        sigs = repo.order_signatures(order.id)
        status = _status(order, sigs, keys, env, uow.now)
        ctx = VerifyContext(keys=keys, env=env, now=uow.now)
        valid, _ = check_signatures(_document(order, sigs), EMERGENCY_QUORUM, ctx)
        quorum = quorum_check(valid, EMERGENCY_QUORUM)
        if not quorum.ok and uow.now < order.expires_at:  # one device is one signer
            raise DocumentError(Reason.NO_QUORUM, f"order {order_id}: {quorum.detail}")
        # the domain policy has the last word: 2 distinct parties, before expiry, once
        policy = multisig.EmergencyUnfreeze(
            order=_domain_order(order.body, st.tag_version(order.statement)),
            keys=multisig.PartyKeys(
                tuple(multisig.PartyKey(v.entry.party, v.entry.pubkey) for v in valid)
            ),
            verify=verify_message,
            signatures=[
                multisig.PartySignature(v.entry.party, v.entry.pubkey, v.signature)
                for v in valid
            ],
        )
        try:
            policy.execute(uow.now)
        except multisig.OrderExpired as exc:
            raise DocumentError(
                Reason.EXPIRED, f"order {order_id} expired at {utc(order.expires_at)}"
            ) from exc
        except multisig.QuorumNotReached as exc:
            raise DocumentError(
                Reason.NO_QUORUM,
                f"order {order_id} has {len(status.parties_signed)} of 2 distinct valid parties",
            ) from exc
        try:  # the Bitcoin release, when there is one: two parties on every input
            emergency_btc.finalize_release(uow.tx, order, uow.now, NETWORK_FOR_ENV[env])
        except (emergency_btc.PsbtRefused, VaultError) as exc:
            raise EmergencyError(f"order {order_id}: {exc}") from exc
        release = Document(
            kind=Kind.RELEASE_INSTRUCTION,
            statement=order.statement,
            body={
                "id": "rel-" + order_id,
                "order": order.body,
            },
            signatures=tuple(
                SignatureEntry(v.entry.key_id, v.entry.party.value, v.signature) for v in valid
            ),
        )
        verify_document(release, ctx).raise_if_failed()
        release_text = release.to_bytes().decode("utf-8")
        if not repo.mark_order_executed(order.id, release_text, uow.now):
            raise EmergencyError(f"order {order_id} was already executed")
        uow.audit(
            actor,
            "emergency.execute",
            with_bindings(
                uow.tx,
                {
                    "order_id": order_id,
                    "parties": list(status.parties_signed),
                    "release_id": release.body["id"],
                },
                ("emergency_orders.release", order_id),
                ("emergency_psbts", order.id),  # the raw transaction, when there is one
                ("vault_utxos", order.client_id),  # the coins it spends
            ),
        )
    logger.info("emergency order %s executed", order_id)
    return release


def release_document(store: Store, order_id: str) -> Document | None:
    """The release instruction produced for ``order_id``, if it was executed."""
    with store.read() as tx:
        order = desk_repo(tx).order(order_id)
        if order is None or order.release_json is None:
            return None
        return parse_document(order.release_json.encode("utf-8"))
