"""Signing officers in for tests: the real challenge flow, on the officer's own device.

Tests that act in an officer's name need that officer's live session, exactly as
the desk does; these helpers run the same ``SigninService.sign_in`` a user's
``custody-desk signin`` or the window's sign-in does (a challenge the device
signs), never a shortcut around the check.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from app.services.device_access import SignerFactory
from app.services.signin import OpenedSession, SigninService
from app.store.interface import Store
from signing.interface import Interaction, NullInteraction


def sign_in(
    store: Store,
    officer: str,
    uri: str,
    *,
    signer_factory: SignerFactory | None = None,
    interaction: Interaction | None = None,
) -> OpenedSession:
    """Sign ``officer`` in on the device at ``uri`` (bound to ``store`` in this process)."""
    service = SigninService(store, signer_factory=signer_factory)
    return asyncio.run(service.sign_in(officer, uri, interaction or NullInteraction()))


def sign_in_all(
    store: Store, uris: Mapping[str, str], *, signer_factory: SignerFactory | None = None
) -> dict[str, OpenedSession]:
    """Sign every officer in ``uris`` (name -> device URI) in."""
    return {
        name: sign_in(store, name, uri, signer_factory=signer_factory)
        for name, uri in uris.items()
    }


async def sign_in_async(
    store: Store,
    officer: str,
    uri: str,
    *,
    signer_factory: SignerFactory | None = None,
    interaction: Interaction | None = None,
) -> OpenedSession:
    """:func:`sign_in` from inside a running event loop."""
    service = SigninService(store, signer_factory=signer_factory)
    return await service.sign_in(officer, uri, interaction or NullInteraction())
