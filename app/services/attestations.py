"""Attestations, maker-checker: one officer prepares, a different officer signs.

Lifecycle: ``draft -> awaiting_approval -> signing -> signed -> sent``, or
``rejected`` / ``expired``. Preparing builds the Merkle-sum tree over the
chosen clients and renders the exact statement the checker's device will show;
that text never changes afterwards. Approving runs on the checker's own
registered device (the signature is the proof of identity) through the device
thread, and nothing is stored as signed unless the signature verifies against
that officer's registered key. Every typed error leaves the attestation as it
was.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from app.documents.canonical import utc
from app.documents.envelope import Document, Kind, SignatureEntry
from app.documents.keys import Party, key_id_for
from app.documents.signatures import verify_message
from app.domain.assets import AssetCatalogue
from app.domain.attestation import (
    FORMAT,
    MAKER_CHECKER_FORMAT,
    Attestation,
    ClientHoldings,
    build_attestation,
    doc_id_for,
    verify_attestation,
    verify_bundle,
)
from app.domain.attestation import AttestationError as DomainAttestationError
from app.domain.settlement import SettlementLimitReached, ensure_settlement_slots
from app.domain.statement import Environment, StatementError
from app.domain.utc import start_of_utc_day, utc_day
from app.services.audit_checkpoints import AuditCheckpointService
from app.services.data_binding import with_bindings
from app.services.desk_identity import DeskIdentity, desk_identity
from app.services.device_access import SignerFactory, sign_on_device
from app.services.holdings import ClientHolding, HoldingsService
from app.services.officers import desk_repo
from app.services.signed_commit import NotCommitted, commit_signed
from app.services.unit_of_work import Clock, unit_of_work, utc_now
from app.store.interface import Store
from app.store.repo_desk import (
    AttestationClientRecord,
    AttestationRecord,
    OfficerRecord,
    SqliteDeskRepository,
)
from app.store.repo_signin import SqliteSigninRepository
from signing.errors import InvalidSignature
from signing.interface import Interaction

logger = logging.getLogger(__name__)

DEFAULT_VALIDITY = timedelta(hours=24)
_APPROVABLE = ("awaiting_approval", "signing")


class AttestationError(Exception):
    """An attestation operation was refused; nothing changed."""


class UnknownOfficer(AttestationError):
    pass


class AttestationNotFound(AttestationError):
    pass


class MakerCannotApprove(AttestationError):
    """Maker != checker: the officer who prepared it cannot approve it."""


class WrongStatus(AttestationError):
    pass


class AlreadySigned(WrongStatus):
    """Another checker's signature was stored first (perhaps on another workstation)."""


def _already_signed(repo: SqliteDeskRepository, rec: AttestationRecord) -> AlreadySigned:
    checker = repo.officer_by_id(rec.checker_officer_id or 0)
    who = checker.name if checker is not None else "another officer"
    when = utc(rec.signed_at) if rec.signed_at is not None else "an unknown time"
    return AlreadySigned(f"attestation {rec.id} was already signed by {who} at {when}")


class AttestationExpired(AttestationError):
    pass


class IneligibleClients(AttestationError):
    """Some clients may not be attested (the message lists each with its reasons)."""


class SettlementLimit(AttestationError):
    """A client is past its attestations-per-UTC-day limit."""

    def __init__(self, cause: SettlementLimitReached) -> None:
        super().__init__(str(cause))
        self.client_id = cause.client_id
        self.next_slot_at = cause.next_slot_at


@dataclass(frozen=True)
class AttestationDetail:
    record: AttestationRecord
    clients: tuple[AttestationClientRecord, ...]
    maker: str
    checker: str | None


def _same_person(repo: SqliteDeskRepository, checker: OfficerRecord, maker_id: int) -> bool:
    """Maker and checker are one person if they are one officer, one key or one device."""
    if checker.id == maker_id:
        return True
    maker = repo.officer_by_id(maker_id)
    if maker is None:
        return False
    return maker.pubkey == checker.pubkey or (
        bool(maker.fingerprint) and maker.fingerprint == checker.fingerprint
    )


def parse_att_id(text: str) -> int:
    """``7``, ``att-7`` -> the stored attestation id."""
    raw = text.removeprefix("att-")
    if not raw.isdigit():
        raise AttestationNotFound(f"not an attestation id: {text!r}")
    return int(raw)


class AttestationService:
    """Prepare, approve & sign, reject, export attestations."""

    def __init__(
        self,
        store: Store,
        catalogue: AssetCatalogue | None = None,
        *,
        clock: Clock = utc_now,
        signer_factory: SignerFactory | None = None,
        validity: timedelta = DEFAULT_VALIDITY,
    ) -> None:
        self._store = store
        self._holdings = HoldingsService(store, catalogue, clock=clock)
        self._catalogue = self._holdings.catalogue
        self._clock = clock
        self._signer_factory = signer_factory
        self._validity = validity

    # -- reading ----------------------------------------------------------------

    def attestations(self) -> list[AttestationRecord]:
        with self._store.read() as tx:
            return desk_repo(tx).attestations()

    def detail(self, att_id: int) -> AttestationDetail:
        with self._store.read() as tx:
            repo = desk_repo(tx)
            rec = self._get(repo, att_id)
            maker = repo.officer_by_id(rec.maker_officer_id)
            checker = repo.officer_by_id(rec.checker_officer_id) if rec.checker_officer_id else None
            return AttestationDetail(
                rec,
                tuple(repo.attestation_clients(att_id)),
                maker.name if maker else "?",
                checker.name if checker else None,
            )

    @staticmethod
    def _get(repo: SqliteDeskRepository, att_id: int) -> AttestationRecord:
        rec = repo.attestation(att_id)
        if rec is None:
            raise AttestationNotFound(f"no attestation {att_id}")
        return rec

    @staticmethod
    def _officer(repo: SqliteDeskRepository, name: str) -> OfficerRecord:
        officer = repo.officer_by_name(name)
        if officer is None or not officer.active:
            raise UnknownOfficer(f"no active officer named {name}")
        return officer

    # -- prepare ----------------------------------------------------------------

    def prepare(
        self,
        client_ids: list[str],
        officer: str,
        *,
        submit: bool = True,
        maker_signs: bool = False,
    ) -> AttestationRecord:
        """Build the tree and the statement for ``client_ids``; ``officer`` is the maker.

        ``maker_signs``: a format-3 statement the maker's device signs next
        (:meth:`prepare_signed`); it stays a draft until the maker has signed.
        """
        wanted = list(dict.fromkeys(c.strip() for c in client_ids if c.strip()))
        if not wanted:
            raise AttestationError("choose at least one client")
        holdings = {h.record.id: h for h in self._holdings.holdings()}
        missing = [c for c in wanted if c not in holdings]
        if missing:
            raise AttestationError(f"unknown client(s): {', '.join(missing)}")
        refused = [
            f"{c}: {'; '.join(holdings[c].valuation.ineligible_reasons)}"
            for c in wanted
            if not holdings[c].valuation.eligible
        ]
        if refused:
            raise IneligibleClients("ineligible, cannot be attested: " + " | ".join(refused))
        desk = desk_identity(self._store)
        with unit_of_work(self._store, clock=self._clock) as uow:
            repo = desk_repo(uow.tx)
            maker = self._officer(repo, officer)
            now = uow.now.replace(microsecond=0)
            since = start_of_utc_day(utc_day(now))
            history = {c: repo.client_attestation_times(c, since) for c in wanted}
            try:
                ensure_settlement_slots(history, wanted, now, self._catalogue.policy)
            except SettlementLimitReached as exc:
                raise SettlementLimit(exc) from exc
            try:
                att = self._build(
                    [holdings[c] for c in sorted(wanted)],
                    desk,
                    repo.next_attestation_sequence(),
                    now,
                    maker_signs=maker_signs,
                )
            except (DomainAttestationError, StatementError, ValueError) as exc:
                raise AttestationError(f"cannot build the attestation: {exc}") from exc
            body = att.to_body([])
            statement = att.text
            clients = [
                AttestationClientRecord(
                    client_id=entry["client_id"],
                    leaf_index=entry["proof"]["index"],
                    collateral_value_usd=figures.collateral_value_usd,
                    leaf={"salt": entry["salt"], "positions": entry["positions"]},
                    proof=entry["proof"],
                )
                for entry, figures in zip(body["clients"], att.clients, strict=True)
            ]
            record = AttestationRecord(
                id=0,
                sequence=att.statement.seq,
                status="awaiting_approval" if submit and not maker_signs else "draft",
                env=desk.env,
                custodian_id=desk.custodian_id,
                exchange_id=desk.exchange_id,
                as_of=att.statement.as_of,
                created_at=uow.now,
                expires_at=att.statement.expires_at,
                statement=statement,
                root_hex=body["root"],
                client_count=len(clients),
                total_collateral_usd=att.statement.collateral_value_usd,
                tree={
                    "format": att.statement.VERSION,
                    "assets": body["assets"],
                    "totals": body["totals"],
                },
                maker_officer_id=maker.id,
                checker_officer_id=None,
                signature_b64=None,
                signer_address=None,
                signed_at=None,
                status_reason=None,
            )
            att_id = repo.add_attestation(record, clients)
            uow.audit(
                f"officer:{officer}",
                "attestation.prepare",
                with_bindings(
                    uow.tx,
                    {"attestation_id": att_id, "clients": sorted(wanted), "statement": statement},
                    ("attestations", att_id),
                    ("attestations.signature", att_id),
                    ("attestations.maker_signature", att_id),
                    ("attestation_clients", att_id),
                ),
            )
        logger.info("attestation %d prepared by %s", att_id, officer)
        return replace(record, id=att_id)

    async def prepare_signed(
        self, client_ids: list[str], officer: str, signer_uri: str, interaction: Interaction
    ) -> AttestationRecord:
        """Prepare as ``officer`` and have the maker's own device sign it (``prepared-by``).

        The bundle is format 3: the checker later signs the same statement. If the
        device refuses, fails or is not the maker's (``WrongDevice`` before signing),
        the draft is rejected (its settlement slots are freed) and the typed error
        propagates: nothing awaits approval without the maker's signature.
        """
        rec = self.prepare(client_ids, officer, submit=False, maker_signs=True)
        with self._store.read() as tx:
            maker = self._officer(desk_repo(tx), officer)
        try:
            made = await sign_on_device(
                signer_uri,
                maker.path,
                rec.statement,
                interaction,
                expected_pubkey=maker.pubkey,
                signer_factory=self._signer_factory,
            )
            if not verify_message(maker.pubkey, rec.statement, made.signature):
                raise InvalidSignature(f"does not verify against {maker.name}'s registered key")
        except BaseException as exc:
            self._abandon_draft(rec.id, officer, exc)
            raise
        signature_b64 = base64.b64encode(made.signature).decode("ascii")
        # The device has signed: kept across an outage and stored exactly once.
        try:
            signed = await commit_signed(
                f"the maker's signature of attestation {rec.id}",
                lambda: self._store_maker_signature(rec, officer, maker, signature_b64),
                already=lambda: self._maker_signed(rec.id, signature_b64),
            )
        except NotCommitted:
            raise  # the draft stays a draft (its slots are held until it expires)
        except BaseException as exc:
            self._abandon_draft(rec.id, officer, exc)
            raise
        logger.info("attestation %d signed by its maker %s", rec.id, officer)
        return signed

    def _store_maker_signature(
        self, rec: AttestationRecord, officer: str, maker: OfficerRecord, signature_b64: str
    ) -> AttestationRecord:
        """Store the maker's ``prepared-by`` signature in one transaction, re-checked."""
        with unit_of_work(self._store, clock=self._clock) as uow:
            repo = desk_repo(uow.tx)
            current = self._get(repo, rec.id)
            if current.status != "draft" or current.statement != rec.statement:
                raise WrongStatus(f"attestation {rec.id} changed while the maker signed")
            still = repo.officer_by_id(maker.id)
            if still is None or not still.active or still.pubkey != maker.pubkey:
                raise UnknownOfficer(f"{officer}'s key was revoked while signing")
            uow.tx.repository(SqliteSigninRepository).set_maker_signature(  # type: ignore[attr-defined]
                rec.id, signature_b64
            )
            repo.set_attestation_status(rec.id, "awaiting_approval", uow.now)
            uow.audit(
                f"officer:{officer}",
                "attestation.prepared_by",
                with_bindings(
                    uow.tx,
                    {
                        "attestation_id": rec.id,
                        "key_id": key_id_for(maker.pubkey),
                        "statement": rec.statement,
                    },
                    ("attestations.maker_signature", rec.id),
                ),
            )
            return self._get(repo, rec.id)

    def _maker_signed(self, att_id: int, signature_b64: str) -> AttestationRecord | None:
        """The attestation if an earlier try already stored exactly this maker signature."""
        with self._store.read() as tx:
            rec = desk_repo(tx).attestation(att_id)
            stored = tx.repository(SqliteSigninRepository).maker_signature(att_id)  # type: ignore[attr-defined]
        if rec is not None and rec.status != "draft" and stored == signature_b64:
            return rec
        return None

    def _abandon_draft(self, att_id: int, officer: str, error: BaseException) -> None:
        with unit_of_work(self._store, clock=self._clock) as uow:
            repo = desk_repo(uow.tx)
            rec = repo.attestation(att_id)
            if rec is not None and rec.status == "draft":
                reason = f"the maker's device did not sign ({type(error).__name__})"
                repo.set_attestation_status(att_id, "rejected", uow.now, reason)
                uow.audit(
                    f"officer:{officer}",
                    "attestation.prepare_failed",
                    {"attestation_id": att_id, "error": type(error).__name__},
                    enforce=False,
                )

    def _build(
        self,
        holdings: list[ClientHolding],
        desk: DeskIdentity,
        sequence: int,
        now: datetime,
        *,
        maker_signs: bool = False,
    ) -> Attestation:
        """The domain's builder over the valued holdings (prices, factors, locked shares)."""
        prices: dict[str, Decimal] = {}
        factors: dict[str, Decimal] = {}
        rows = []
        for h in holdings:
            held: dict[str, Decimal] = {}
            locked: dict[str, Decimal] = {}
            for p in h.valuation.positions:
                held[p.asset] = held.get(p.asset, Decimal(0)) + p.quantity
                locked[p.asset] = locked.get(p.asset, Decimal(0)) + p.locked_quantity
                prices[p.asset] = p.price
                factors[p.asset] = p.collateral_factor
            rows.append(ClientHoldings(h.record.id, held, locked))
        as_of = max(h.record_as_of for h in holdings).replace(microsecond=0)
        att = build_attestation(
            custodian=desk.custodian_id,
            exchange=desk.exchange_id,
            env=Environment(desk.env),
            seq=sequence,
            as_of=min(as_of, now),
            expires_at=now + self._validity,
            holdings=rows,
            decimals={a: self._catalogue.get(a).decimals for a in prices},
            prices=prices,
            factors=factors,
            maker_signs=maker_signs,
        )
        verify_attestation(att)  # what is stored is what any verifier accepts
        for h in holdings:  # one valuation: the desk's figures are the bundle's
            bundled = att.figures_for(h.record.id).collateral_value_usd
            if bundled != h.valuation.collateral_value_usd:
                raise AttestationError(
                    f"{h.record.id}: the bundle values it at {bundled}, the desk at "
                    f"{h.valuation.collateral_value_usd}"
                )
        return att

    def submit(self, att_id: int, officer: str) -> None:
        """Move a draft to awaiting approval."""
        self._transition(
            att_id, officer, ("draft",), "awaiting_approval", "attestation.submit",
            actor=f"officer:{officer}",
        )

    def reject(self, att_id: int, officer: str, reason: str) -> None:
        """A checker (not the maker) rejects the attestation."""
        with unit_of_work(self._store, clock=self._clock) as uow:
            repo = desk_repo(uow.tx)
            rec = self._get(repo, att_id)
            checker = self._officer(repo, officer)
            if _same_person(repo, checker, rec.maker_officer_id):
                raise MakerCannotApprove("the officer who prepared it cannot reject it")
            if rec.status not in ("draft", "awaiting_approval"):
                raise WrongStatus(f"attestation {att_id} is {rec.status}")
            repo.set_attestation_status(att_id, "rejected", uow.now, reason)
            uow.audit(
                f"officer:{officer}",
                "attestation.reject",
                {"attestation_id": att_id, "reason": reason},
            )

    async def reject_kept(self, att_id: int, officer: str, reason: str) -> None:
        """:meth:`reject`, with the typed reason kept and retried across an outage."""
        await commit_signed(
            f"{officer}'s rejection of attestation {att_id}",
            lambda: self.reject(att_id, officer, reason),
            already=lambda: self._rejected_with(att_id, reason),
        )

    def _rejected_with(self, att_id: int, reason: str) -> bool | None:
        with self._store.read() as tx:
            rec = desk_repo(tx).attestation(att_id)
        if rec is not None and rec.status == "rejected" and rec.status_reason == reason:
            return True
        return None

    def abandon_signing(self, att_id: int, officer: str) -> None:
        """Return an attestation left in 'signing' (a killed process) to awaiting approval.

        Confirmed in the window by an active officer and audited as
        ``attestation.signing_abandoned``; nothing was signed, so it can be approved
        (or rejected) again. Refused unless it is in 'signing'.
        """
        with unit_of_work(self._store, clock=self._clock) as uow:
            repo = desk_repo(uow.tx)
            rec = self._get(repo, att_id)
            self._officer(repo, officer)
            if rec.status != "signing":
                raise WrongStatus(f"attestation {att_id} is {rec.status}, not signing")
            repo.set_attestation_status(att_id, "awaiting_approval", uow.now)
            uow.audit(
                f"officer:{officer}",
                "attestation.signing_abandoned",
                {"attestation_id": att_id, "returned_to": "awaiting_approval"},
            )

    def mark_sent(self, att_id: int, actor: str) -> None:
        """Record that the signed bundle reached the exchange."""
        self._transition(att_id, actor, ("signed",), "sent", "attestation.sent", check=False)

    def expire_stale(self) -> list[int]:
        """Mark unsigned attestations past their expiry as expired."""
        expired: list[int] = []
        with unit_of_work(self._store, clock=self._clock) as uow:
            repo = desk_repo(uow.tx)
            for rec in repo.attestations():
                if rec.status in ("draft", "awaiting_approval", "signing") and (
                    uow.now > rec.expires_at
                ):
                    repo.set_attestation_status(rec.id, "expired", uow.now)
                    expired.append(rec.id)
            if expired:
                uow.audit("desk", "attestation.expire", {"attestation_ids": expired})
        return expired

    def _transition(
        self,
        att_id: int,
        who: str,
        from_: tuple[str, ...],
        to: str,
        action: str,
        *,
        check: bool = True,
        actor: str | None = None,
    ) -> None:
        with unit_of_work(self._store, clock=self._clock) as uow:
            repo = desk_repo(uow.tx)
            rec = self._get(repo, att_id)
            if check:
                self._officer(repo, who)
            if rec.status not in from_:
                raise WrongStatus(f"attestation {att_id} is {rec.status}, not {'/'.join(from_)}")
            repo.set_attestation_status(att_id, to, uow.now)
            uow.audit(actor or who, action, {"attestation_id": att_id})

    # -- approve & sign -----------------------------------------------------------

    def _begin_signing(self, att_id: int, officer: str) -> tuple[AttestationRecord, OfficerRecord]:
        with unit_of_work(self._store, clock=self._clock) as uow:
            repo = desk_repo(uow.tx)
            rec = self._get(repo, att_id)
            checker = self._officer(repo, officer)
            if _same_person(repo, checker, rec.maker_officer_id):
                raise MakerCannotApprove(
                    f"{officer} prepared attestation {att_id}; a different officer must approve"
                )
            if rec.status in ("signed", "sent"):
                raise _already_signed(repo, rec)
            if rec.status not in _APPROVABLE:
                raise WrongStatus(f"attestation {att_id} is {rec.status}, not awaiting approval")
            if uow.now > rec.expires_at:
                raise AttestationExpired(f"attestation {att_id} expired at {utc(rec.expires_at)}")
            repo.set_attestation_status(att_id, "signing", uow.now)
            uow.audit(f"officer:{officer}", "attestation.signing", {"attestation_id": att_id})
        return rec, checker

    def _abort_signing(self, att_id: int, officer: str, error: BaseException) -> None:
        with unit_of_work(self._store, clock=self._clock) as uow:
            repo = desk_repo(uow.tx)
            rec = repo.attestation(att_id)
            if rec is not None and rec.status == "signing":
                repo.set_attestation_status(att_id, "awaiting_approval", uow.now)
                uow.audit(  # the desk undoing a half-done act: recorded even after expiry
                    f"officer:{officer}",
                    "attestation.sign_failed",
                    {"attestation_id": att_id, "error": type(error).__name__},
                    enforce=False,
                )

    async def approve_and_sign(
        self, att_id: int, officer: str, signer_uri: str, interaction: Interaction,
        *, checkpoint: bool = True,
    ) -> AttestationRecord:
        """Approve as ``officer`` by signing on their own device at ``signer_uri``.

        With ``checkpoint`` (the default) the same device then signs an audit
        checkpoint over the trail including this approval (one more confirmation,
        ``CDESK-CHECKPOINT/1`` shown in full): the checkpoint every push of this
        attestation carries to the exchange. A refusal of that second step leaves
        the approval stored (see :func:`app.exchange.push.queue_attestation`).
        """
        rec, checker = self._begin_signing(att_id, officer)
        statement = rec.statement
        try:
            made = await sign_on_device(
                signer_uri,
                checker.path,
                statement,
                interaction,
                expected_pubkey=checker.pubkey,
                signer_factory=self._signer_factory,
            )
            signature = made.signature
            # belt and braces: against the registered key, not only the device's word
            if not verify_message(checker.pubkey, statement, signature):
                raise InvalidSignature(f"does not verify against {checker.name}'s registered key")
        except BaseException as exc:
            self._abort_signing(att_id, officer, exc)
            raise
        signature_b64 = base64.b64encode(signature).decode("ascii")

        # The device has signed: the signature must not be lost to a database that is
        # restarting (a shared desk). Each try re-checks everything under the write
        # lock; a try whose COMMIT outcome was unknown is recognised by its own row.
        def attempt() -> AttestationRecord:
            try:
                return self._store_signature(att_id, officer, checker, statement, signature_b64)
            except AlreadySigned:
                mine = self._stored_by(att_id, checker.id, signature_b64)
                if mine is not None:
                    return mine
                raise

        try:
            signed = await commit_signed(
                f"{officer}'s signature of attestation {att_id}",
                attempt,
                already=lambda: self._stored_by(att_id, checker.id, signature_b64),
            )
        except NotCommitted:
            raise  # left 'signing': the window can abandon it; nothing was stored
        except AttestationError as exc:
            self._abort_signing(att_id, officer, exc)
            raise
        logger.info("attestation %d signed by %s", att_id, officer)
        if checkpoint:
            await AuditCheckpointService(
                self._store, clock=self._clock, signer_factory=self._signer_factory
            ).sign_head_after(f"attestation {att_id}'s approval", officer, signer_uri,
                              interaction)
        return signed

    def _store_signature(
        self, att_id: int, officer: str, checker: OfficerRecord, statement: str,
        signature_b64: str,
    ) -> AttestationRecord:
        """Store the checker's signature in one transaction, preconditions re-checked."""
        with unit_of_work(self._store, clock=self._clock) as uow:
            repo = desk_repo(uow.tx)
            current = self._get(repo, att_id)
            # Re-checked under the write lock: two checkers (two workstations) may
            # have signed at once; the first commit wins, the other stores nothing.
            if current.status in ("signed", "sent"):
                raise _already_signed(repo, current)
            if current.status not in _APPROVABLE or current.statement != statement:
                raise WrongStatus(f"attestation {att_id} changed while signing")
            # the officer may have taken minutes on the device: check again now
            still = repo.officer_by_id(checker.id)
            if still is None or not still.active or still.pubkey != checker.pubkey:
                raise UnknownOfficer(f"{officer}'s key was revoked while signing")
            if uow.now > current.expires_at:
                raise AttestationExpired(
                    f"attestation {att_id} expired at {utc(current.expires_at)} while signing"
                )
            repo.record_attestation_signature(
                att_id,
                checker.id,
                signature_b64,
                checker.address,
                uow.now,
            )
            uow.audit(
                f"officer:{officer}",
                "attestation.sign",
                with_bindings(
                    uow.tx,
                    {
                        "attestation_id": att_id,
                        "key_id": key_id_for(checker.pubkey),
                        "statement": statement,
                    },
                    ("attestations.signature", att_id),
                ),
            )
            return self._get(repo, att_id)

    def _stored_by(
        self, att_id: int, checker_id: int, signature_b64: str
    ) -> AttestationRecord | None:
        """The attestation if it holds exactly this checker's signature (an earlier try)."""
        with self._store.read() as tx:
            rec = desk_repo(tx).attestation(att_id)
        if rec is not None and rec.checker_officer_id == checker_id and (
            rec.signature_b64 == signature_b64
        ):
            return rec
        return None

    # -- export -------------------------------------------------------------------

    def export_bundle(self, att_id: int) -> Document:
        """The signed bundle: exactly the stored statement and signature, with every proof."""
        with self._store.read() as tx:
            repo = desk_repo(tx)
            rec = self._get(repo, att_id)
            if rec.status not in ("signed", "sent") or rec.signature_b64 is None:
                raise WrongStatus(f"attestation {att_id} is {rec.status}, not signed")
            checker = repo.officer_by_id(rec.checker_officer_id or 0)
            if checker is None:
                raise AttestationError("the signing officer is missing")
            maker = repo.officer_by_id(rec.maker_officer_id)
            maker_b64 = tx.repository(SqliteSigninRepository).maker_signature(att_id)  # type: ignore[attr-defined]
            clients = repo.attestation_clients(att_id)
        signature = base64.b64decode(rec.signature_b64)
        # never export what the checker's key did not sign (a store edited behind our back)
        if not verify_message(checker.pubkey, rec.statement, signature):
            raise AttestationError(f"attestation {att_id}'s stored signature does not verify")
        entries = [SignatureEntry(key_id_for(checker.pubkey), Party.CUSTODIAN.value, signature)]
        if rec.tree.get("format") == MAKER_CHECKER_FORMAT:  # approved-by, then prepared-by
            made = base64.b64decode(maker_b64) if maker_b64 else b""
            if maker is None or not verify_message(maker.pubkey, rec.statement, made):
                raise AttestationError(
                    f"attestation {att_id}'s maker signature is missing or does not verify"
                )
            entries.append(SignatureEntry(key_id_for(maker.pubkey), Party.CUSTODIAN.value, made))
        key_ids = [e.key_id for e in entries]
        body = stored_body(rec, clients, key_ids)
        try:  # never export a bundle that a verifier would refuse
            verify_bundle(body, statement=rec.statement, signature_key_ids=key_ids)
        except DomainAttestationError as exc:
            raise AttestationError(f"attestation {att_id} does not verify: {exc}") from exc
        return Document(
            kind=Kind.ATTESTATION_BUNDLE,
            statement=rec.statement,
            body=body,
            signatures=tuple(entries),
        )


def stored_body(
    rec: AttestationRecord,
    clients: Sequence[AttestationClientRecord],
    signer_key_ids: Sequence[str],
) -> dict[str, Any]:
    """The bundle body of a stored attestation (format 2, as ``Attestation.to_body``).

    A store row prepared before format 2 is refused by name: its statement is
    ``CDESK-ATTEST/1``, which no verifier of this version accepts.
    """
    if rec.tree.get("format") not in (FORMAT, MAKER_CHECKER_FORMAT):
        raise AttestationError(
            f"attestation {rec.id} was prepared in bundle format 1, which verifiers no longer "
            "accept (its per-client figures are not bound); prepare a new attestation"
        )
    return {
        "id": doc_id_for(rec.sequence),
        "custodian_id": rec.custodian_id,
        "exchange_id": rec.exchange_id,
        "env": rec.env,
        "sequence": rec.sequence,
        "as_of": utc(rec.as_of),
        "expires_at": utc(rec.expires_at),
        "root": rec.root_hex,
        "assets": rec.tree["assets"],
        "totals": rec.tree["totals"],
        "client_count": rec.client_count,
        "total_collateral_usd": f"{rec.total_collateral_usd:.2f}",
        "signer_key_ids": list(signer_key_ids),
        "clients": [
            {
                "client_id": c.client_id,
                "salt": c.leaf["salt"],
                "collateral_value_usd": f"{c.collateral_value_usd:.2f}",
                "positions": c.leaf["positions"],
                "proof": c.proof,
            }
            for c in clients
        ],
    }
