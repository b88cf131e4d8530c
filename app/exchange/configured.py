"""The exchange link the desk is configured with (store setting ``exchange.link``).

One place for the setting's name and for turning its value into a link, used by
the CLI (`custody-desk exchange-link`, `push`, `pull`, …) and the GUI alike. The
transports are imported only when a link is made: httpx stays off the start-up path.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

    from app.exchange.link import ExchangeLink
    from app.store.interface import Store

LINK_SETTING = "exchange.link"
#: TLS files for an https:// link: the exchange's CA bundle, and a client certificate
#: and key for mutual TLS (paths; empty: the system's CAs, no client certificate).
TLS_CA_SETTING = "exchange.tls_ca"
TLS_CERT_SETTING = "exchange.tls_cert"
TLS_KEY_SETTING = "exchange.tls_key"
TLS_SETTINGS = (TLS_CA_SETTING, TLS_CERT_SETTING, TLS_KEY_SETTING)


def configured_target(store: Store) -> str | None:
    """The stored link target (an http(s) URL or a drop-folder path), or None."""
    with store.read() as tx:
        target = tx.settings.get(LINK_SETTING)
    return target or None


def tls_files(store: Store) -> tuple[str, str, str]:
    """(CA bundle, client certificate, client key) paths as configured ("" when unset)."""
    with store.read() as tx:
        ca, cert, key = (tx.settings.get(name) or "" for name in TLS_SETTINGS)
    return ca, cert, key


def tls_verify(ca: str = "", cert: str = "", key: str = "") -> ssl.SSLContext | bool:
    """What ``RestLink(verify=)`` gets: True (system CAs) or a context with the files."""
    if not (ca or cert):
        return True
    import ssl as ssl_module

    context = ssl_module.create_default_context(cafile=ca or None)
    if cert:
        context.load_cert_chain(cert, key or None)
    return context


def link_for(target: str, tls: tuple[str, str, str] = ("", "", "")) -> ExchangeLink:
    """REST for an http(s) URL (with the configured TLS files), otherwise a drop folder."""
    if target.startswith(("http://", "https://")):
        from app.exchange.rest import RestLink

        return RestLink(target, verify=tls_verify(*tls))
    from app.exchange.drop_folder import DropFolderLink

    return DropFolderLink(Path(target))
