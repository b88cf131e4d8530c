"""The three organisations of the mirrored-collateral programme.

One definition for the whole desk: the emergency 2-of-3 channel
(:mod:`app.domain.multisig`), the keys file (:mod:`app.documents.keys`) and the
GUI's rows (:mod:`app.services.desk_facade`) all use this enum. It lives in its
own module so the GUI can import it without loading the statement code.
"""

from __future__ import annotations

from enum import StrEnum


class Party(StrEnum):
    """The three organisations of the programme; each holds one emergency key share."""

    REGULATOR = "regulator"
    CUSTODIAN = "custodian"
    EXCHANGE = "exchange"
