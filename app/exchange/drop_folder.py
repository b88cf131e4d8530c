"""Drop-folder transport for air-gapped desks: files out, files in.

Layout under ``root``::

    out/<idempotency key>.json   documents for the exchange (written atomically)
    out/audit-heads/<key>.json   the desk's audit tree head handed over with each one
    out/audit-checkpoints/<key>.json   the newest officer-signed audit checkpoint with it
    in/*.json                    documents from the exchange (margin calls, notices)
    in/ledger*.json              the exchange's signed ledger (latest name wins)
    in/done/                     inbound files the desk has dealt with

A file is written as ``.part`` then renamed, so the courier never carries half a
document. Writing the same key twice is idempotent; the same key with other
bytes is refused (the key names one message forever).
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from app.documents.canonical import MAX_DOCUMENT_BYTES
from app.exchange.link import (
    Delivery,
    InboundItem,
    LinkRejected,
    LinkUnavailable,
    OutboundMessage,
)
from app.files import write_private

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def _file_name(key: str) -> str:
    return _SAFE.sub("_", key) + ".json"


class DropFolderLink:
    """Exchange link over a pair of folders (carried by courier or diode)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.out_dir = root / "out"
        self.in_dir = root / "in"
        self.done_dir = self.in_dir / "done"

    def _write(self, message: OutboundMessage) -> Delivery:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            target = self.out_dir / _file_name(message.idempotency_key)
            if target.exists():
                if target.read_bytes() != message.payload:
                    raise LinkRejected(
                        409, "idempotency_conflict", f"{target.name} holds other bytes"
                    )
                return Delivery(202, {"status": "queued", "file": target.name}, replayed=True,
                                local=True)
            write_private(target, message.payload)  # atomic, 0600: it holds client data
            if message.audit_head:  # the courier carries the desk's audit head too
                heads = self.out_dir / "audit-heads"
                heads.mkdir(exist_ok=True)
                write_private(heads / target.name, message.audit_head + b"\n")
            if message.audit_checkpoint:  # and the newest officer-signed checkpoint
                checkpoints = self.out_dir / "audit-checkpoints"
                checkpoints.mkdir(exist_ok=True)
                write_private(checkpoints / target.name, message.audit_checkpoint)
        except OSError as exc:
            raise LinkUnavailable(f"cannot write to {self.out_dir}: {exc}") from exc
        return Delivery(202, {"status": "queued", "file": target.name}, local=True)

    async def send(self, message: OutboundMessage) -> Delivery:
        return await asyncio.to_thread(self._write, message)

    def _read(self) -> list[InboundItem]:
        if not self.in_dir.is_dir():
            return []
        items = []
        for path in sorted(self.in_dir.glob("*.json")):
            if path.name.startswith("ledger"):
                continue
            try:
                with path.open("rb") as handle:  # at most one byte over: the parser refuses it
                    data = handle.read(MAX_DOCUMENT_BYTES + 1)
                items.append(InboundItem(ref=path.name, data=data))
            except OSError as exc:
                raise LinkUnavailable(f"cannot read {path}: {exc}") from exc
        return items

    async def fetch_inbound(self, after: int | None) -> list[InboundItem]:
        return await asyncio.to_thread(self._read)

    async def done(self, item: InboundItem) -> None:
        def move() -> None:
            self.done_dir.mkdir(parents=True, exist_ok=True)
            source = self.in_dir / item.ref
            if source.exists():
                source.replace(self.done_dir / item.ref)

        await asyncio.to_thread(move)

    async def fetch_ledger(self) -> bytes:
        ledgers = sorted(self.in_dir.glob("ledger*.json")) if self.in_dir.is_dir() else []
        if not ledgers:
            raise LinkUnavailable(f"no ledger file in {self.in_dir}")
        return await asyncio.to_thread(ledgers[-1].read_bytes)

    async def aclose(self) -> None:
        return None
