"""``custody-desk holdings --json``: every client's valued holdings as one JSON array.

The array is written as it is valued (memory stays flat however many clients), and
on a large desk on two cores: after the command has opened its read transaction it
forks, and the child values the second half of the clients (by id, in the store's
own order) on a connection of its own while this process values the first half.
The child's part is spooled to an unlinked temporary file (mode 0600) and copied
out after this process's part, so the output is byte for byte the one-process
output.

The two reads are one state of the desk when the audit log's head is the same in
both: every change a desk makes to holdings (an import, a redemption lock)
appends an audit entry in the same transaction. If another workstation committed
in between (the heads differ) or the child failed, this process values the
second half itself, from its own transaction. A platform without ``fork`` always
takes the one-process path.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any, TextIO

from app.domain.money import format_decimal
from app.domain.snapshot import format_utc

if TYPE_CHECKING:
    from app.domain.valuation import ClientValuation
    from app.services.holdings import HoldingsService
    from app.store.interface import Store, Transaction
    from app.store.records import StoredClientState

log = logging.getLogger(__name__)

#: From this many clients the second half is valued in a forked child (below it
#: the fork and the child's connection cost more than they save).
PARALLEL_FROM = 20_000

_OPEN, _NEXT = "[\n  ", ",\n  "  # what comes before the first item, and each next one


def write_holdings_json(
    service: HoldingsService, store: Store, as_of: datetime | None, out: TextIO
) -> None:
    """Write the holdings ``as_of`` (None: now) of every client to ``out``."""
    with store.read() as tx:
        cutoff = as_of if as_of is not None else service.cutoff(tx)
        split = _split_point(tx)
        if split is None:
            count = _write_items(service.valued_states_in(tx, cutoff), out, _OPEN)
            out.write(_close(count))
            return
        head = _head(tx)
        with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
            out.flush()  # nothing buffered is written twice (by the child's exit)
            pid = os.fork()
            if pid == 0:  # the child: never returns, never touches the parent's connection
                os._exit(_child(service, store.url, cutoff=cutoff, split=split, head=head,
                                spool=spool))
            count = _write_items(service.valued_states_in(tx, cutoff, before_id=split),
                                 out, _OPEN)
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) == 0:
                count += _copy_items(spool, out, count)
            else:
                log.info("holdings --json: second half valued here (child exit %s)", status)
                count += _write_items(service.valued_states_in(tx, cutoff, from_id=split),
                                      out, _NEXT if count else _OPEN)
        out.write(_close(count))


def _split_point(tx: Transaction) -> str | None:
    if not hasattr(os, "fork") or tx.holdings.client_count() < PARALLEL_FROM:
        return None
    return tx.holdings.middle_client_id()


def _head(tx: Transaction) -> tuple[int, str] | None:
    head = tx.audit.head()
    return None if head is None else (head.size, head.last_hash)


def _child(
    service: HoldingsService,
    url: str,
    *,
    cutoff: datetime,
    split: str,
    head: tuple[int, str] | None,
    spool: TextIO,
) -> int:
    """Value the clients from ``split`` on into ``spool``; 0 when done on the same desk."""
    try:
        from app.store.url import open_store_url

        store = open_store_url(url)
        try:
            with store.read() as tx:
                if _head(tx) != head:
                    return 3  # another workstation committed after the parent's read
                _write_items(service.on(store).valued_states_in(tx, cutoff, from_id=split),
                             spool, _NEXT)
            spool.flush()
        finally:
            store.close()
    except BaseException:
        log.exception("holdings --json: the child could not value its half")
        return 1
    return 0


def _copy_items(spool: TextIO, out: TextIO, written: int) -> int:
    """Copy the child's items after ``written`` items of ours; returns 1 if it had any.

    The items are ASCII (json's escapes), so a stream with a byte buffer gets the
    bytes as they are, not decoded and encoded again (half of a 100,000-client
    output is ~30 MB)."""
    source: IO[Any] = spool.buffer
    target: IO[Any] | None = getattr(out, "buffer", None)
    if target is None:  # a text-only stream (io.StringIO)
        source, target = spool, out
    source.seek(0)
    if not source.read(len(_NEXT)):
        return 0
    out.write(_NEXT if written else _OPEN)
    out.flush()
    shutil.copyfileobj(source, target, 1 << 20)
    target.flush()
    return 1


def _close(count: int) -> str:
    return "\n]\n" if count else "[]\n"


def _write_items(
    rows: Iterator[tuple[StoredClientState, ClientValuation]], out: TextIO, first: str
) -> int:
    """The array's items, one client per line, written as they are valued; ``first``
    comes before the first item (``,\n  `` before each next). Returns how many.

    Each line is exactly ``json.dumps`` of the client's object (default separators,
    ASCII escapes; tests/unit/test_holdings_fast_path.py holds the two equal), built
    as text because ``json.dumps`` of 100,000 nested dicts was most of the
    command's time. Nothing is kept. If a client cannot be valued the command fails
    part-way, the array unclosed.
    """
    chunk: list[str] = []
    times: dict[datetime, str] = {}
    # An asset's price and factor are the same objects for every client of the run:
    # their text is made once (checked by identity, so a new object gets new text).
    per_asset: dict[str, tuple[Decimal, Decimal, str]] = {}
    separator = first
    count = 0
    for state, v in rows:
        as_of = times.get(state.as_of)
        if as_of is None:
            as_of = times[state.as_of] = _quote(format_utc(state.as_of))
        positions = []
        for p in v.positions:
            known = per_asset.get(p.asset)
            if known is None or known[0] is not p.price or known[1] is not p.collateral_factor:
                known = per_asset[p.asset] = (
                    p.price,
                    p.collateral_factor,
                    f'"price_usd": "{format_decimal(p.price)}", "market_value_usd": "',
                )
            # Amounts quantized to cents (or a ratio to 6 places) are never written
            # with an exponent by str(); quantities, prices and factors may be.
            positions.append(
                f'{{"asset": {_quote(p.asset)}, "quantity": "{format_decimal(p.quantity)}", '
                f'"locked_quantity": "{format_decimal(p.locked_quantity)}", {known[2]}'
                f'{p.market_value_usd!s}", '
                f'"collateral_factor": "{format_decimal(p.collateral_factor)}", '
                f'"collateral_value_usd": "{p.collateral_value_usd!s}"}}'
            )
        ratio = v.collateral_ratio
        reasons = ", ".join([_quote(r) for r in v.ineligible_reasons])
        chunk.append(
            f'{separator}{{"id": {_quote(v.client_id)}, "name": {_quote(v.name)}, '
            f'"as_of": {as_of}, "snapshot_id": {state.snapshot_id:d}, '
            f'"market_value_usd": "{v.market_value_usd!s}", '
            f'"collateral_value_usd": "{v.collateral_value_usd!s}", '
            f'"credit_line_usd": "{v.credit_line_usd!s}", '
            f'"exposure_usd": "{format_decimal(v.exposure_usd)}", '
            f'"collateral_ratio": {"null" if ratio is None else f"{chr(34)}{ratio!s}{chr(34)}"}, '
            f'"state": {_quote(v.state.value)}, "standing": {_quote(v.standing_label)}, '
            f'"usable_credit_line_usd": "{v.usable_credit_line_usd!s}", '
            f'"shortfall_usd": "{v.shortfall_usd!s}", '
            f'"eligible": {"true" if v.eligible else "false"}, '
            f'"ineligible_reasons": [{reasons}], "positions": [{", ".join(positions)}]}}'
        )
        separator = _NEXT
        count += 1
        if len(chunk) >= 1000:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    return count


_quote = json.encoder.encode_basestring_ascii  # what json.dumps does to a str (C)
