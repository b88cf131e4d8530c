"""Signed audit checkpoints: an officer's device signs the log's tree head.

API::

    service = AuditCheckpointService(store)
    row = await service.sign_checkpoint(checkpoint_id, "alice", "trezor:udp:...", interaction)
    row = await service.sign_head("bob", uri, interaction)  # checkpoint the trail now, sign it
    document = service.export_checkpoint(checkpoint_id)   # kind audit_checkpoint
    newest = service.export_newest()                      # what every exchange delivery carries
    result = verify_checkpoint_signatures(tx, env)         # what `audit verify` reports

Signing renders the checkpoint's ``CDESK-CHECKPOINT/1`` statement
(:meth:`app.domain.audit_chain.Checkpoint.statement`), has the officer's own
registered device show and sign it (:func:`app.services.device_access.sign_on_device`
with the registered key as the expected key), verifies the signature against
that registered key, and only then stores it with ``tx.audit.sign_checkpoint``
and an ``audit.checkpoint_sign`` entry in the same transaction. Every typed
error leaves the store unchanged.

The statement's ``at`` is the time the checkpoint was taken; its ``exp`` is
:data:`SIGNED_VALIDITY` after the signing (a signed head is a fresh claim a
counterparty may demand again). Before the device is asked, the desk checks
the log still holds the checkpointed prefix, so no officer signs a root the
log does not back.

Where checkpoints get signed without anyone asking: approving an attestation
and signing a reconciliation report end with :meth:`AuditCheckpointService.sign_head`
on the same officer's device (one more confirmation, the ``CDESK-CHECKPOINT/1``
statement shown in full), so the trail *including that act* is pinned by the
officer's key. Every exchange delivery then carries the newest signed
checkpoint (:meth:`AuditCheckpointService.export_newest`, the ``Audit-Checkpoint``
header), and ``push`` refuses an attestation whose approval no signed
checkpoint covers (:func:`covering_checkpoint`).
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app.documents.canonical import utc
from app.documents.envelope import Document, Kind, SignatureEntry
from app.documents.keys import KeysFile, Party, key_id_for
from app.documents.signatures import verify_message
from app.documents.specs import CUSTODIAN_OFFICER
from app.documents.verify import VerifyContext, check_signatures
from app.domain import audit_chain
from app.domain.rfc6962 import MerkleError, MerkleTree, verify_consistency
from app.domain.statement import CheckpointStatement, Environment, StatementError, parse_as
from app.services.audit_log import entry_payload, head_root
from app.services.desk_identity import DeskIdentity, desk_identity
from app.services.device_access import SignerFactory, sign_on_device
from app.services.officers import desk_repo, keys_from_repo
from app.services.signed_commit import commit_signed
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.store.errors import StoreError
from app.store.interface import Store, Transaction
from app.store.records import AuditRow, CheckpointRow
from app.store.repo_desk import OfficerRecord
from signing.errors import InvalidSignature, SigningError
from signing.interface import Interaction

logger = logging.getLogger(__name__)

#: How long a signed checkpoint statement stays fresh after it was signed.
SIGNED_VALIDITY = timedelta(hours=24)
SIGN_ACTION = "audit.checkpoint_sign"


class CheckpointError(Exception):
    """A checkpoint operation was refused; nothing was stored."""


class CheckpointNotFound(CheckpointError):
    pass


class CheckpointAlreadySigned(CheckpointError):
    pass


class CheckpointNotSigned(CheckpointError):
    pass


class UnknownOfficer(CheckpointError):
    pass


class Unanchored(CheckpointError):
    """No officer-signed checkpoint covers an act that is about to leave the desk."""


class LogDoesNotBackCheckpoint(CheckpointError):
    """The log no longer holds the checkpointed prefix (edited, truncated or rewritten)."""


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on every signed checkpoint: how many, and what failed (one line each)."""

    signed: int
    failures: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.failures

    def detail(self) -> str:
        """``2 signed, all valid`` / ``checkpoint #3: ...; checkpoint #5: ...``."""
        if self.failures:
            return "; ".join(self.failures)
        return f"{self.signed} signed, all valid" if self.signed else "0 signed"


def parse_checkpoint_id(text: str) -> int:
    """``"7"`` or ``"#7"`` -> 7; anything else is :class:`CheckpointNotFound`."""
    cleaned = text.strip().removeprefix("#")
    if not cleaned.isdigit() or int(cleaned) <= 0:
        raise CheckpointNotFound(f"not a checkpoint id: {text!r}")
    return int(cleaned)


def checkpoint_statement(
    row: CheckpointRow, identity: DeskIdentity, signed_at: datetime
) -> CheckpointStatement:
    """The statement an officer signs for ``row`` at ``signed_at``."""
    checkpoint = audit_chain.Checkpoint(row.tree_size, bytes.fromhex(row.root_hash), row.created_at)
    taken = row.created_at.astimezone(UTC).replace(microsecond=0)
    fresh_until = signed_at.astimezone(UTC).replace(microsecond=0) + SIGNED_VALIDITY
    try:
        return checkpoint.statement(
            custodian=identity.custodian_id,
            exchange=identity.exchange_id,
            env=Environment(identity.env),
            valid_for=fresh_until - taken,
        )
    except (StatementError, ValueError) as exc:
        raise CheckpointError(f"checkpoint #{row.id} cannot be stated: {exc}") from exc


def _find(tx: Transaction, checkpoint_id: int) -> CheckpointRow:
    for row in tx.audit.checkpoints():
        if row.id == checkpoint_id:
            return row
    raise CheckpointNotFound(f"no checkpoint #{checkpoint_id}")


def _prefix_tree(
    entries: list[AuditRow], row: CheckpointRow, *, chain_checked: bool = False
) -> MerkleTree:
    """The tree over the first ``row.tree_size`` entries, if it is the checkpointed one."""
    if not chain_checked:
        try:
            audit_chain.verify_chain(entries)
        except audit_chain.AuditChainError as exc:
            raise LogDoesNotBackCheckpoint(f"the audit log does not verify: {exc}") from exc
    if len(entries) < row.tree_size:
        raise LogDoesNotBackCheckpoint(
            f"checkpoint #{row.id} covers {row.tree_size} entries, the log has {len(entries)}"
        )
    prefix = audit_chain.tree(entries[: row.tree_size])
    if prefix.root.hex() != row.root_hash:
        raise LogDoesNotBackCheckpoint(f"checkpoint #{row.id}'s root is not the log's")
    return prefix


def _document(
    row: CheckpointRow, statement: CheckpointStatement, body_extra: dict[str, Any]
) -> Document:
    """The ``audit_checkpoint`` document of a signed row (body rebuilt from the statement)."""
    assert row.statement is not None and row.signature is not None and row.signer is not None
    body: dict[str, Any] = {
        "id": f"ckpt-{statement.size}",
        "custodian_id": statement.custodian,
        "exchange_id": statement.exchange,
        "env": statement.env.value,
        "size": statement.size,
        "at": utc(statement.at),
        "expires_at": utc(statement.expires_at),
        "root": statement.root.hex(),
        "signer_key_ids": [row.signer],
        **body_extra,
    }
    signature = base64.b64decode(row.signature, validate=True)
    return Document(
        kind=Kind.AUDIT_CHECKPOINT,
        statement=row.statement,
        body=body,
        signatures=(SignatureEntry(row.signer, Party.CUSTODIAN.value, signature),),
    )


def _signed_row_problem(row: CheckpointRow, keys: KeysFile, now: datetime) -> str | None:
    """Why a signed row does not count (None: it does): statement, key, signature."""
    if row.statement is None or row.signature is None or row.signer is None:
        return "the stored signature record is incomplete (statement, signature or signer)"
    try:
        statement = parse_as(row.statement, CheckpointStatement)
    except StatementError as exc:
        return f"stored statement is not a checkpoint statement ({exc})"
    if statement.size != row.tree_size or statement.root.hex() != row.root_hash:
        return "stored statement names another size or root than the checkpoint"
    if statement.at != row.created_at.astimezone(UTC).replace(microsecond=0):
        return "stored statement names another time than the checkpoint"
    if statement.env.value != keys.env:
        return f"stored statement is for env={statement.env.value}, the desk is {keys.env}"
    try:
        doc = _document(row, statement, {})
    except (ValueError, TypeError) as exc:
        return f"stored signature is not base64 ({exc})"
    # the keys file's own rules: known officer key, not revoked, verifies
    ctx = VerifyContext(keys=keys, env=keys.env, now=now)
    valid, checks = check_signatures(doc, CUSTODIAN_OFFICER, ctx)
    if not valid:
        failed = [c for c in checks if not c.ok]
        return failed[0].detail if failed else "no valid signature"
    return None


def verify_checkpoint_signatures(
    tx: Transaction, env: str, *, now: datetime | None = None
) -> SignatureCheck:
    """Check every signed checkpoint in ``tx`` against the desk's keys (revoked keys do not count).

    Also every ``audit.checkpoint_sign`` entry of the log must still name a
    checkpoint carrying exactly that signature, so a signature removed or swapped
    behind the desk's back is caught while the log remembers it.
    """
    moment = now or datetime.now(UTC)
    rows = tx.audit.checkpoints()
    signed = [r for r in rows if r.signature is not None]
    failures: list[str] = []
    if signed:
        keys = keys_from_repo(desk_repo(tx), env)
        for row in signed:
            problem = _signed_row_problem(row, keys, moment)
            if problem is not None:
                failures.append(f"checkpoint #{row.id}: {problem}")
    by_id = {r.id: r for r in rows}
    for entry in tx.audit.entries(action=SIGN_ACTION):
        record = entry_payload(entry)
        holder = by_id.get(record.get("checkpoint_id", -1))
        if holder is None or holder.statement != record.get("statement") or (
            holder.signature != record.get("signature")
        ):
            failures.append(
                f"checkpoint #{record.get('checkpoint_id')}: signed at audit seq {entry.seq}, "
                "but the stored checkpoint no longer carries that signature"
            )
    for failure in failures:
        logger.warning("checkpoint signature check failed: %s", failure)
    return SignatureCheck(signed=len(signed), failures=tuple(dict.fromkeys(failures)))


def newest_signed(
    tx: Transaction, *, env: str | None = None, now: datetime | None = None
) -> CheckpointRow | None:
    """The signed checkpoint over the longest prefix of the trail (None: none signed).

    With ``env``, only one whose signature still counts under the desk's keys (a
    checkpoint signed with a key revoked since, or edited in the store, is skipped).
    """
    signed = sorted((r for r in tx.audit.checkpoints() if r.signature is not None),
                    key=lambda r: (r.tree_size, r.id), reverse=True)
    if env is None:
        return signed[0] if signed else None
    keys = keys_from_repo(desk_repo(tx), env)
    moment = now or datetime.now(UTC)
    return next((r for r in signed if _signed_row_problem(r, keys, moment) is None), None)


def covering_checkpoint(
    tx: Transaction, seq: int, *, env: str, now: datetime | None = None
) -> CheckpointRow | None:
    """The newest signed checkpoint that still counts, if its prefix holds audit entry
    ``seq`` (None: none does)."""
    newest = newest_signed(tx, env=env, now=now)
    return newest if newest is not None and newest.tree_size >= seq else None


def act_seq(tx: Transaction, action: str, field_name: str, value: object) -> int | None:
    """The seq of the last ``action`` entry whose payload has ``field_name == value``."""
    found: int | None = None
    for entry in tx.audit.entries(action=action):
        if entry_payload(entry).get(field_name) == value:
            found = entry.seq
    return found


class AuditCheckpointService:
    """Signs, exports and verifies audit checkpoints of ``store``."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock = utc_now,
        signer_factory: SignerFactory | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._signer_factory = signer_factory

    def _officer(self, tx: Transaction, name: str) -> OfficerRecord:
        officer = desk_repo(tx).officer_by_name(name)
        if officer is None or not officer.active:
            raise UnknownOfficer(f"no active officer named {name}")
        return officer

    async def sign_checkpoint(
        self, checkpoint_id: int, officer: str, signer_uri: str, interaction: Interaction
    ) -> CheckpointRow:
        """Have ``officer``'s own device at ``signer_uri`` sign checkpoint ``checkpoint_id``.

        Raises :class:`CheckpointError` subclasses (refused before the device) or
        typed ``signing.errors`` (``WrongDevice``, ``UserRejected``, ...); either
        way nothing is stored.
        """
        identity = desk_identity(self._store)
        with self._store.read() as tx:
            row = _find(tx, checkpoint_id)
            if row.signature is not None:
                raise CheckpointAlreadySigned(f"checkpoint #{checkpoint_id} is already signed")
            signer = self._officer(tx, officer)
            _prefix_tree(list(tx.audit.iter_all()), row)
        text = checkpoint_statement(row, identity, self._clock()).render()
        made = await sign_on_device(
            signer_uri,
            signer.path,
            text,
            interaction,
            expected_pubkey=signer.pubkey,
            signer_factory=self._signer_factory,
        )
        # against the registered key, not only the device's word
        if not verify_message(signer.pubkey, text, made.signature):
            raise InvalidSignature(f"does not verify against {signer.name}'s registered key")
        key_id = key_id_for(signer.pubkey)
        signature_b64 = base64.b64encode(made.signature).decode("ascii")

        def attempt() -> CheckpointRow:
            with unit_of_work(self._store, clock=self._clock) as uow:
                current = _find(uow.tx, checkpoint_id)
                if current.signature is not None:
                    raise CheckpointAlreadySigned(
                        f"checkpoint #{checkpoint_id} was signed meanwhile"
                    )
                # the officer may have taken minutes on the device: check the key again now
                still = self._officer(uow.tx, officer)
                if still.pubkey != signer.pubkey:
                    raise UnknownOfficer(f"{officer}'s key changed while signing")
                uow.tx.audit.sign_checkpoint(checkpoint_id, text, signature_b64, key_id)
                uow.audit(
                    f"officer:{officer}",
                    SIGN_ACTION,
                    {
                        "checkpoint_id": checkpoint_id,
                        "tree_size": row.tree_size,
                        "root_hash": row.root_hash,
                        "key_id": key_id,
                        "statement": text,
                        "signature": signature_b64,
                    },
                )
                return _find(uow.tx, checkpoint_id)

        def already() -> CheckpointRow | None:
            with self._store.read() as tx:
                current = _find(tx, checkpoint_id)
            return current if current.signature == signature_b64 else None

        # The device has signed: kept across an outage and stored exactly once.
        signed = await commit_signed(
            f"{officer}'s signature of audit checkpoint #{checkpoint_id}", attempt, already=already
        )
        logger.info("checkpoint #%d (size %d) signed by %s", checkpoint_id, row.tree_size, officer)
        return signed

    async def sign_head(
        self, officer: str, signer_uri: str, interaction: Interaction
    ) -> CheckpointRow:
        """Checkpoint the whole trail now and have ``officer``'s device sign it.

        The checkpoint is stored (and audited as ``audit.checkpoint``) before the
        device is asked; if the device refuses, it stays unsigned, as after
        ``audit checkpoint``. Errors as :meth:`sign_checkpoint`.
        """
        with self._store.read() as tx:
            self._officer(tx, officer)  # refused before anything is written
        with unit_of_work(self._store, clock=self._clock) as uow:
            head = uow.tx.audit.head()
            if head is None or head.size == 0:
                raise CheckpointError("the audit log is empty: nothing to checkpoint")
            same = [c for c in uow.tx.audit.checkpoints() if c.tree_size == head.size]
            row = same[0] if same else uow.tx.audit.add_checkpoint(
                head.size, head_root(head).hex(), uow.now)
            uow.audit(f"officer:{officer}", "audit.checkpoint",
                      {"tree_size": row.tree_size, "root_hash": row.root_hash})
        return await self.sign_checkpoint(row.id, officer, signer_uri, interaction)

    async def sign_head_after(
        self, act: str, officer: str, signer_uri: str, interaction: Interaction
    ) -> CheckpointRow | None:
        """:meth:`sign_head` right after ``act`` (an approval, a signed report).

        The act is already stored, so a refusal here (the device, the officer, or
        a store that is briefly unreachable) does not undo it: it is logged and
        None returned; ``push`` then refuses until a checkpoint is
        signed (``custody-desk audit sign-checkpoint --officer NAME --device URI``).
        """
        try:
            return await self.sign_head(officer, signer_uri, interaction)
        except (CheckpointError, SigningError, StoreError) as exc:
            logger.warning("%s is stored, but no audit checkpoint was signed on %s's device:"
                           " %s", act, officer, exc)
            return None

    def export_newest(self) -> Document | None:
        """The newest signed checkpoint that still counts, as a document (None: none).

        What every exchange delivery carries. Raises :class:`CheckpointError`
        when the newest signed checkpoint no longer verifies or the log no longer
        backs it (never hand over what the officer's key did not sign).
        """
        env = desk_identity(self._store).env
        with self._store.read() as tx:
            newest = newest_signed(tx, env=env, now=self._clock())
        return None if newest is None else self.export_checkpoint(newest.id)

    def export_checkpoint(self, checkpoint_id: int) -> Document:
        """The signed ``audit_checkpoint`` document of ``checkpoint_id``.

        The body carries, besides the statement's fields, an RFC 6962
        consistency proof from the previous signed checkpoint (``consistency``:
        ``from_size``, ``from_root``, ``proof``; null for the first), so a holder
        of both documents can check the log only grew between them. Refused
        unless the stored signature still counts and the log still backs it.
        """
        identity = desk_identity(self._store)
        with self._store.read() as tx:
            row = _find(tx, checkpoint_id)
            if row.signature is None or row.statement is None:
                raise CheckpointNotSigned(f"checkpoint #{checkpoint_id} is not signed")
            keys = keys_from_repo(desk_repo(tx), identity.env)
            entries = list(tx.audit.iter_all())
            earlier = [
                c for c in tx.audit.checkpoints()
                if c.signature is not None and c.tree_size < row.tree_size
            ]
        return self._export(row, entries, earlier, keys, chain_checked=False)

    def _export(
        self, row: CheckpointRow, entries: list[AuditRow], earlier: list[CheckpointRow],
        keys: KeysFile, *, chain_checked: bool,
    ) -> Document:
        # never export what the officer's key did not sign (a store edited behind our back)
        problem = _signed_row_problem(row, keys, self._clock())
        if problem is not None:
            raise CheckpointError(f"checkpoint #{row.id}: {problem}")
        prefix = _prefix_tree(entries, row, chain_checked=chain_checked)
        consistency: dict[str, Any] | None = None
        if earlier:
            previous = earlier[-1]
            proof = prefix.consistency_proof(previous.tree_size)
            try:
                verify_consistency(
                    previous.tree_size, row.tree_size, proof,
                    bytes.fromhex(previous.root_hash), prefix.root,
                )
            except MerkleError as exc:
                raise LogDoesNotBackCheckpoint(
                    f"checkpoint #{previous.id} is not a prefix of #{row.id}: {exc}"
                ) from exc
            consistency = {
                "from_size": previous.tree_size,
                "from_root": previous.root_hash,
                "proof": [node.hex() for node in proof],
            }
        assert row.statement is not None
        statement = parse_as(row.statement, CheckpointStatement)
        return _document(row, statement, {"consistency": consistency})

    def export_signed(self) -> list[ExportedCheckpoint]:
        """Every signed checkpoint, smallest first, each as a document or with the reason
        it cannot be one (a key revoked since, a log that no longer backs it...).

        The chain is verified once for all of them (the regulator export)."""
        identity = desk_identity(self._store)
        with self._store.read() as tx:
            keys = keys_from_repo(desk_repo(tx), identity.env)
            entries = list(tx.audit.iter_all())
            signed = [c for c in tx.audit.checkpoints() if c.signature is not None]
        chain_problem: str | None = None
        try:
            audit_chain.verify_chain(entries)
        except audit_chain.AuditChainError as exc:
            chain_problem = f"the audit log does not verify: {exc}"
        result: list[ExportedCheckpoint] = []
        for index, row in enumerate(signed):
            if chain_problem is not None:
                result.append(ExportedCheckpoint(row, None, chain_problem))
                continue
            try:
                earlier = [c for c in signed[:index] if c.tree_size < row.tree_size]
                doc = self._export(row, entries, earlier, keys, chain_checked=True)
            except CheckpointError as exc:
                result.append(ExportedCheckpoint(row, None, str(exc)))
            else:
                result.append(ExportedCheckpoint(row, doc, None))
        return result


@dataclass(frozen=True)
class ExportedCheckpoint:
    """A signed checkpoint row and its document (None: ``problem`` says why not)."""

    row: CheckpointRow
    document: Document | None
    problem: str | None


__all__ = [
    "SIGNED_VALIDITY",
    "AuditCheckpointService",
    "CheckpointAlreadySigned",
    "CheckpointError",
    "CheckpointNotFound",
    "CheckpointNotSigned",
    "ExportedCheckpoint",
    "LogDoesNotBackCheckpoint",
    "SignatureCheck",
    "Unanchored",
    "UnknownOfficer",
    "act_seq",
    "checkpoint_statement",
    "covering_checkpoint",
    "newest_signed",
    "parse_checkpoint_id",
    "verify_checkpoint_signatures",
]
