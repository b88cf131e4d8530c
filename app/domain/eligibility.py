"""Pilot eligibility: who may be attested at all.

A client is eligible when all three hold (see docs/domain.md, "Eligibility"):
net assets >= ``RiskPolicy.min_net_assets_usd`` (USD 5,000,000), a legal entity or
branch in Dubai, and a SOC 2 Type II report (or equivalent) on file. An ineligible
client is shown with its reasons and :func:`ensure_eligible` refuses to attest it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.domain.assets import RiskPolicy
from app.domain.money import format_usd
from app.domain.snapshot import ClientRecord


class IneligibleCode(StrEnum):
    """Stable codes of the eligibility rules (scripts and the audit log use them)."""

    NET_ASSETS_BELOW_MINIMUM = "net_assets_below_minimum"
    NO_DUBAI_ENTITY = "no_dubai_entity"
    NO_SOC2_TYPE2 = "no_soc2_type2"


@dataclass(frozen=True, slots=True)
class IneligibleReason:
    """One failed rule: its code and a sentence an officer can act on."""

    code: IneligibleCode
    message: str


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The outcome of the eligibility check for one client."""

    client_id: str
    reasons: tuple[IneligibleReason, ...]

    @property
    def eligible(self) -> bool:
        """True when no rule failed."""
        return not self.reasons

    @property
    def messages(self) -> tuple[str, ...]:
        """The reasons as sentences."""
        return tuple(reason.message for reason in self.reasons)


class IneligibleClient(Exception):
    """Raised when an ineligible client would be attested; carries the reasons."""

    def __init__(self, eligibility: Eligibility) -> None:
        self.eligibility = eligibility
        self.client_id = eligibility.client_id
        self.reasons = eligibility.reasons
        joined = "; ".join(eligibility.messages)
        super().__init__(f"client {eligibility.client_id} is not eligible: {joined}")


def check_eligibility(client: ClientRecord, policy: RiskPolicy | None = None) -> Eligibility:
    """Evaluate every pilot rule for ``client`` (all failing rules are reported)."""
    policy = policy if policy is not None else RiskPolicy()
    reasons: list[IneligibleReason] = []
    minimum: Decimal = policy.min_net_assets_usd
    if client.net_assets_usd < minimum:
        reasons.append(
            IneligibleReason(
                IneligibleCode.NET_ASSETS_BELOW_MINIMUM,
                f"net assets USD {format_usd(client.net_assets_usd)} are below the pilot "
                f"minimum of USD {format_usd(minimum)}",
            )
        )
    if not client.dubai_entity:
        reasons.append(
            IneligibleReason(IneligibleCode.NO_DUBAI_ENTITY, "no legal entity or branch in Dubai")
        )
    if not client.soc2_type2:
        reasons.append(
            IneligibleReason(
                IneligibleCode.NO_SOC2_TYPE2, "no SOC 2 Type II (or equivalent) report on file"
            )
        )
    return Eligibility(client.id, tuple(reasons))


def ensure_eligible(client: ClientRecord, policy: RiskPolicy | None = None) -> Eligibility:
    """Return the (passing) eligibility, or raise IneligibleClient with every reason."""
    result = check_eligibility(client, policy)
    if not result.eligible:
        raise IneligibleClient(result)
    return result
