"""The exchange link the desk is configured with (store setting ``exchange.link``).

One place for the setting's name and for turning its value into a link, used by
the CLI (`custody-desk exchange-link`, `push`, `pull`, …) and the GUI alike. The
transports are imported only when a link is made: httpx stays off the start-up path.

A target is either an ``https://`` URL, a plain ``http://`` URL to a loopback
address on a *test* desk (the simulator), or an existing folder (a drop
folder). Anything else — another scheme, ``http://`` to another host or on a
production desk, a mistyped path — is a :class:`BadLinkTarget`, never silently a
new drop folder.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

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


class BadLinkTarget(ValueError):
    """The exchange link is neither a usable URL nor an existing folder."""


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback IP address (never resolved: a name is not an address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_target(target: str, env: str) -> str:
    """``target`` if it may be the exchange link of a desk in ``env``; else BadLinkTarget."""
    if "://" in target:
        url = urlsplit(target)
        if url.scheme == "https" and url.hostname:
            return target
        if url.scheme == "http" and url.hostname:
            if env == "test" and is_loopback(url.hostname):
                return target
            raise BadLinkTarget(
                f"{target}: plain http is allowed only to a loopback address on a test desk; "
                "use https://"
            )
        raise BadLinkTarget(f"{target}: the exchange link must be an https:// URL or a folder")
    if not Path(target).is_dir():
        raise BadLinkTarget(
            f"{target}: neither an https:// URL nor an existing folder (create the drop "
            "folder first)"
        )
    return target


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


def link_for(
    target: str, tls: tuple[str, str, str] = ("", "", ""), *, env: str = "prod"
) -> ExchangeLink:
    """REST for a URL (with the configured TLS files), a drop folder for an existing
    folder; ``check_target`` first (http only to loopback on a test desk)."""
    check_target(target, env)
    if "://" in target:
        from app.exchange.rest import RestLink

        return RestLink(target, verify=tls_verify(*tls))
    from app.exchange.drop_folder import DropFolderLink

    return DropFolderLink(Path(target))
