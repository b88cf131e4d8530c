"""The exchange link the desk is configured with (store setting ``exchange.link``).

One place for the setting's name and for turning its value into a link, used by
the CLI (`custody-desk exchange-link`, `push`, `pull`, …) and the GUI alike. The
transports are imported only when a link is made: httpx stays off the start-up path.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.exchange.link import ExchangeLink
    from app.store.interface import Store

LINK_SETTING = "exchange.link"


def configured_target(store: Store) -> str | None:
    """The stored link target (an http(s) URL or a drop-folder path), or None."""
    with store.read() as tx:
        target = tx.settings.get(LINK_SETTING)
    return target or None


def link_for(target: str) -> ExchangeLink:
    """REST for an http(s) URL, otherwise a drop folder at that path."""
    if target.startswith(("http://", "https://")):
        from app.exchange.rest import RestLink

        return RestLink(target)
    from app.exchange.drop_folder import DropFolderLink

    return DropFolderLink(Path(target))
