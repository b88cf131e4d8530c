"""The attestation detail panel checks proofs with the one bundle verifier.

A prepared attestation's proofs verify from the panel; after a client's stored
value is moved to another client (total unchanged), the panel shows both
clients' proofs as not verified.
"""

from __future__ import annotations

from decimal import Decimal

from app.services.attestations import AttestationService
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL


def test_the_proof_panel_marks_a_moved_value_as_not_verified(desk) -> None:
    desk.register("alice", desk.start_emulator(TEST_MNEMONIC_ALL))
    desk.sign_in("alice")  # she prepares in her own name
    store = desk.ctx.facade.store
    rec = AttestationService(store).prepare(["alnoor-quant", "palm-harbour"], "alice")
    view = desk.window.attestations
    desk.run(view.reload())
    view.select(str(rec.id))
    desk.run(view.show_detail())
    desk.run(view.verify_all_proofs())
    assert [p.verified for p in view.proofs_model.rows] == [True, True]

    with store.transaction() as tx:
        for client, delta in (("alnoor-quant", -1000000), ("palm-harbour", 1000000)):
            value = tx.connection.execute(
                "SELECT collateral_value_usd FROM attestation_clients"
                " WHERE attestation_id = ? AND client_id = ?", (rec.id, client)).fetchone()[0]
            moved = Decimal(value) + delta
            tx.connection.execute(
                "UPDATE attestation_clients SET collateral_value_usd = ?"
                " WHERE attestation_id = ? AND client_id = ?", (f"{moved:.2f}", rec.id, client))
    desk.run(view.show_detail())
    desk.run(view.verify_all_proofs())
    assert [p.verified for p in view.proofs_model.rows] == [False, False]
