"""The result of verifying a document: one line per check."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.documents.errors import DocumentError, Reason


@dataclass(frozen=True)
class Check:
    """One verification step: its name, whether it passed, and what was seen."""

    name: str
    ok: bool
    detail: str
    reason: Reason | None = None  # set when ok is False

    def line(self) -> str:
        """``OK   name: detail`` or ``FAIL name: detail [reason]`` (the CLI's output)."""
        if self.ok:
            return f"OK   {self.name}: {self.detail}"
        tag = f" [{self.reason.value}]" if self.reason else ""
        return f"FAIL {self.name}: {self.detail}{tag}"

    def as_tuple(self) -> tuple[str, bool, str]:
        return (self.name, self.ok, self.detail)


def passed(name: str, detail: str) -> Check:
    return Check(name, True, detail)


def failed(name: str, reason: Reason, detail: str) -> Check:
    return Check(name, False, detail, reason)


@dataclass
class VerifyReport:
    """Every check run against a document, in order."""

    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def add(self, check: Check) -> Check:
        self.checks.append(check)
        return check

    def extend(self, checks: list[Check]) -> None:
        self.checks.extend(checks)

    def first_failure(self) -> Check | None:
        return next((c for c in self.checks if not c.ok), None)

    def raise_if_failed(self) -> None:
        """Raise the first failure as a DocumentError (what the services do)."""
        bad = self.first_failure()
        if bad is not None:
            raise DocumentError(bad.reason or Reason.MALFORMED, f"{bad.name}: {bad.detail}")
        if not self.checks:
            raise DocumentError(Reason.MALFORMED, "nothing was checked")

    def lines(self) -> list[str]:
        return [c.line() for c in self.checks]
