"""Audit chain: every edit, deletion, reordering, insertion and truncation is detected."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import audit_chain as ac
from app.domain.audit_chain import AuditChainError, AuditEntry, Checkpoint
from app.domain.statement import CheckpointStatement, Environment, parse_as

T0 = datetime(2026, 11, 26, 8, 0, 0, 123456, tzinfo=UTC)


def _log(n: int, start: list[AuditEntry] | None = None) -> list[AuditEntry]:
    entries = list(start or [])
    for i in range(len(entries), n):
        entries.append(ac.next_entry(
            entries[-1] if entries else None, time=T0 + timedelta(minutes=i),
            actor=f"officer:{'alice' if i % 2 else 'bob'}", action="attestation.approve",
            payload={"attestation": f"att-{i}", "amount": "1.50", "n": i},
        ))
    return entries


def test_entry_hash_golden_vector() -> None:
    """The hash is over exactly this JSON text (a second implementation can check it)."""
    e = ac.next_entry(None, time=T0, actor="officer:alice", action="import",
                      payload={"b": "2", "a": "é"})
    assert e.seq == 1 and e.prev_hash == "0" * 64
    assert e.payload == '{"a":"é","b":"2"}'
    text = ('{"action":"import","actor":"officer:alice",'
            '"payload":"{\\"a\\":\\"é\\",\\"b\\":\\"2\\"}",'
            '"prev_hash":"' + "0" * 64 + '","seq":1,"time":"2026-11-26T08:00:00.123456Z"}')
    assert e.entry_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_clean_log_verifies() -> None:
    entries = _log(40)
    summary = ac.verify_chain(entries)
    assert summary.size == 40
    assert summary.last_hash == entries[-1].entry_hash
    assert summary.root == ac.tree(entries).root
    cp = ac.checkpoint(entries[:17], T0)
    ac.verify_against_checkpoint(entries, cp)
    ac.verify_against_checkpoint(entries[:17], cp)
    assert ac.verify_chain([]).size == 0


def _edits(entries: list[AuditEntry], k: int) -> dict[str, list[AuditEntry]]:
    e = entries[k]
    out = {
        "payload": replace(e, payload=e.payload.replace("1.50", "9.50")),
        "actor": replace(e, actor="officer:mallory"),
        "action": replace(e, action="attestation.reject"),
        "time": replace(e, time=e.time + timedelta(seconds=1)),
        "hash": replace(e, entry_hash="f" * 64),
    }
    cases = {f"edited {name}": [*entries[:k], bad, *entries[k + 1 :]] for name, bad in out.items()}
    cases["deleted"] = [*entries[:k], *entries[k + 1 :]]
    if k + 1 < len(entries):
        cases["reordered"] = [*entries[:k], entries[k + 1], entries[k], *entries[k + 2 :]]
    cases["duplicated"] = [*entries[: k + 1], entries[k], *entries[k + 1 :]]
    forged = ac.next_entry(entries[k - 1] if k else None, time=e.time, actor="officer:mallory",
                           action="note", payload={})
    cases["inserted"] = [*entries[:k], forged, *entries[k:]]
    return cases


@pytest.mark.parametrize("k", [0, 1, 7, 18, 19])
def test_every_kind_of_tampering_breaks_the_chain(k: int) -> None:
    entries = _log(20)
    for name, bad in _edits(entries, k).items():
        if name == "deleted" and k == 19:
            continue  # losing the tail is truncation: see the checkpoint tests
        with pytest.raises(AuditChainError):
            ac.verify_chain(bad)


def test_problem_names_the_entry() -> None:
    entries = _log(10)
    bad = [*entries[:4], replace(entries[4], actor="x"), *entries[5:]]
    with pytest.raises(AuditChainError) as info:
        ac.verify_chain(bad)
    assert info.value.problem == "edited entry" and info.value.seq == 5


def test_truncation_is_caught_by_a_checkpoint() -> None:
    entries = _log(30)
    cp = ac.checkpoint(entries, T0)
    ac.verify_chain(entries[:25])  # a chain alone cannot know it lost its tail
    with pytest.raises(AuditChainError, match="truncated"):
        ac.verify_against_checkpoint(entries[:25], cp)


def test_a_consistently_rewritten_history_is_caught_by_a_checkpoint() -> None:
    """A forger who re-hashes every later entry fools the chain, not the checkpoint."""
    entries = _log(30)
    cp = ac.checkpoint(entries[:20], T0)
    rewritten = entries[:9]
    rewritten.append(ac.next_entry(rewritten[-1], time=T0, actor="officer:mallory",
                                   action="attestation.approve", payload={"forged": True}))
    rewritten = _log(30, rewritten)
    ac.verify_chain(rewritten)
    with pytest.raises(AuditChainError, match="rewritten"):
        ac.verify_against_checkpoint(rewritten, cp)


def test_checkpoints_extend_by_consistency_proof() -> None:
    entries = _log(50)
    old = ac.checkpoint(entries[:13], T0)
    new = ac.checkpoint(entries, T0 + timedelta(hours=1))
    ac.verify_extension(old, new, ac.consistency_proof(entries, 13))
    other = ac.next_entry(entries[4], time=T0, actor="officer:mallory", action="note",
                          payload={})
    forged = _log(50, [*entries[:5], other])
    ac.verify_chain(forged)
    forged_new = ac.checkpoint(forged, T0)
    with pytest.raises(AuditChainError):
        ac.verify_extension(old, forged_new, ac.consistency_proof(forged, 13))
    with pytest.raises(AuditChainError, match="truncated"):
        ac.verify_extension(new, old, [])


def test_checkpoint_statement_round_trips() -> None:
    entries = _log(5)
    cp = ac.checkpoint(entries, T0)
    text = ac.checkpoint_text(cp, custodian="SCB-DXB", exchange="OKX", env=Environment.TEST)
    assert text.startswith("CDESK-CHECKPOINT/1 cust=SCB-DXB ex=OKX env=test size=5 "
                           "at=2026-11-26T08:00:00Z exp=2026-11-27T08:00:00Z root=")
    parsed = parse_as(text, CheckpointStatement)
    back = Checkpoint.from_statement(parsed)
    assert back.size == 5 and back.root == cp.root
    ac.verify_against_checkpoint(entries, back)


def test_payloads_are_canonical_and_float_free() -> None:
    assert ac.canonical_payload({"b": [1, "x"], "a": {"z": None, "y": True}}) == (
        '{"a":{"y":true,"z":null},"b":[1,"x"]}')
    for bad in ({"amount": 1.5}, {"x": [float("nan")]}, {"x": {"y": float("inf")}}):
        with pytest.raises(TypeError, match="float"):
            ac.canonical_payload(bad)
    with pytest.raises(ValueError):
        ac.next_entry(None, time=datetime(2026, 1, 1), actor="a", action="b", payload={})
    with pytest.raises(ValueError):
        ac.next_entry(None, time=T0, actor=" ", action="b", payload={})


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 40), st.data())
def test_property_any_single_change_is_detected(n: int, data: st.DataObject) -> None:
    entries = _log(n)
    cp = ac.checkpoint(entries, T0)
    k = data.draw(st.integers(0, n - 1))
    cases = _edits(entries, k)
    name = data.draw(st.sampled_from(sorted(cases)))
    with pytest.raises(AuditChainError):
        ac.verify_against_checkpoint(cases[name], cp)


def test_same_hash_as_the_store_adapter() -> None:
    """The store persists entries hashed by ``app.services.audit_chain_adapter``: same format."""
    adapter = pytest.importorskip("app.services.audit_chain_adapter")
    for e in _log(5):
        assert adapter.compute_entry_hash(
            seq=e.seq, time=e.time, actor=e.actor, action=e.action, payload=e.payload,
            prev_hash=e.prev_hash) == e.entry_hash
