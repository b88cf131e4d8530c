"""Typed errors of the signed-document layer.

Every rejection carries a stable ``reason`` code (tests, the CLI and the audit
log rely on it) and a one-line message naming what is wrong.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    MALFORMED = "malformed"  # not JSON, truncated, wrong types, missing fields
    DUPLICATE_KEY = "duplicate_key"
    FLOAT = "float"  # a float, exponent, NaN or Infinity where only strings/ints are allowed
    BAD_AMOUNT = "bad_amount"
    BAD_TIME = "bad_time"
    UNKNOWN_KIND = "unknown_kind"
    UNSUPPORTED_VERSION = "unsupported_version"
    MISMATCH = "mismatch"  # statement and body disagree
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_KEY = "unknown_key"
    REVOKED_KEY = "revoked_key"
    KEY_NOT_VALID = "key_not_valid"  # outside valid_from/valid_until, or wrong party/role
    EMULATOR_KEY = "emulator_key"  # an emulator key presented in env=prod
    EXPIRED = "expired"
    REPLAY = "replay"
    WRONG_ENV = "wrong_env"
    WRONG_EXCHANGE = "wrong_exchange"
    BAD_PROOF = "bad_proof"
    BAD_SUM = "bad_sum"
    NO_QUORUM = "no_quorum"


class DocumentError(Exception):
    """A document (or keys file) was rejected; ``reason`` says why in one word."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(f"{reason.value}: {message}")
        self.reason = reason
        self.message = message
