"""The signed documents a view can export, as the exact bytes stored or re-built.

Attestation bundles (signed or sent), an emergency order's release instruction
(once executed), an emergency order with every share, a margin call as the
exchange signed it. Each function returns the document's bytes; the view writes
them where the officer chose (``app.ui.file_dialogs.choose_file``).
"""

from __future__ import annotations

import json

from app.services.desk_facade import RefusedError
from app.store.interface import Store


def attestation_bundle(store: Store, att_id: str) -> bytes:
    """The signed attestation bundle (the exchange's input): refused before signing."""
    from app.services.attestations import AttestationService

    try:
        return AttestationService(store).export_bundle(int(att_id)).to_bytes()
    except Exception as exc:
        raise RefusedError([f"attestation {att_id}: {exc}"]) from exc


def release_instruction(store: Store, order_id: str) -> bytes:
    """The release instruction an executed emergency order produced."""
    from app.services.emergency import release_document

    document = release_document(store, order_id)
    if document is None:
        raise RefusedError([f"order {order_id} has not been executed: no release instruction"])
    return document.to_bytes()


def margin_call(store: Store, call_id: str) -> bytes:
    """The margin call exactly as the exchange signed and sent it."""
    from app.exchange.call_records import margin_call as record

    try:
        text = record(store, call_id).document_json
    except Exception as exc:
        raise RefusedError([f"margin call {call_id}: {exc}"]) from exc
    json.loads(text)  # stored verified; still a JSON document
    return text.encode("utf-8")
