"""Nothing persisted: a device failure during the desk's approve-and-sign, on every family.

The checker officer is registered on the device under test; a reject on the
device or an unplug at its prompt must leave the attestation awaiting approval,
with no signature, no checker and no signature entry in the audit log; the
retry, once the device is back, is signed by that same device.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from signing.errors import Disconnected, SigningError, UserRejected

from .attestation_desk import Desk
from .checks import one_error
from .harness import DriverHarness

SNAPSHOT = Path(__file__).resolve().parents[3] / "resources" / "demo" / "snapshot.json"


@pytest.mark.parametrize("failure", ["reject", "unplug"])
def test_attestation_failure_persists_nothing(
    driver: DriverHarness, tmp_path: Path, failure: str
) -> None:
    with Desk(tmp_path, checker_uri=driver.uri, snapshot=SNAPSHOT) as desk:
        att_id = desk.prepare()
        at_signin = driver.signatures_made()  # bob's sign-in challenge, signed on this device
        if failure == "reject":
            driver.set_approve("reject")
            expected: type[SigningError] = UserRejected
        else:
            driver.arm_unplug_at_next_prompt()
            expected = Disconnected
        one_error(expected, lambda: asyncio.run(desk.approve(att_id)))
        record = desk.record(att_id)
        assert record.status == "awaiting_approval"
        assert record.signature_b64 is None and record.signer_address is None
        assert record.signed_at is None and record.checker_officer_id is None
        assert desk.signature_entries() == []
        assert desk.audit_actions(att_id)[-1] == "attestation.sign_failed"
        assert driver.signatures_made() == at_signin
        # The checker tries again once the device is back: signed, logged once.
        if failure == "unplug":
            driver.replug()
        driver.set_approve("auto")
        signed = asyncio.run(desk.approve(att_id))
        assert signed.status == "signed" and signed.signature_b64
        # the approval, then the audit checkpoint over the trail that holds it (same device)
        assert len(desk.signature_entries()) == 1 and driver.signatures_made() == at_signin + 2
