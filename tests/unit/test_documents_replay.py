"""Replay: a seen id or a sequence that does not move forward is refused."""

from __future__ import annotations

from test_documents_vectors import build_vectors

from app.documents.envelope import parse_document
from app.documents.errors import Reason
from app.documents.replay import replay_check, statement_header


def test_margin_call_replay_rules() -> None:
    header = statement_header(parse_document(build_vectors()["margin_call"]))
    assert (header.doc_id, header.sequence) == ("mc-0001", 1)
    assert replay_check(header, seen_ids=set(), last_sequence=None).ok
    assert replay_check(header, seen_ids=set(), last_sequence=0).ok
    seen = replay_check(header, seen_ids={"mc-0001"}, last_sequence=None)
    assert not seen.ok and seen.reason is Reason.REPLAY
    stale = replay_check(header, seen_ids=set(), last_sequence=1)
    assert not stale.ok and stale.reason is Reason.REPLAY and "sequence 1" in stale.detail


def test_orders_have_ids_not_sequences() -> None:
    header = statement_header(parse_document(build_vectors()["unfreeze_order"]))
    assert header.sequence is None and header.doc_id == "uo-00000001"
    assert replay_check(header, seen_ids=set(), last_sequence=5).ok
