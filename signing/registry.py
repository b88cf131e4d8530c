"""Device families: one module per family, found by enumeration, opened by URI.

A driver module (``signing/devices/<family>.py``) registers itself at import
time::

    from signing.registry import register_family
    register_family("trezor", enumerate_trezors, open_trezor)

``enumerate_fn()`` lists what is plugged in *without opening anything*;
``open_fn(uri)`` returns an unopened ``Signer`` for a URI of that family
(``trezor:udp:127.0.0.1:21324``, ``coldcard:sock:/tmp/cc``, ...). The URI
scheme (text before the first ``:``) picks the family. Drivers are imported
lazily, so a missing vendor library only removes its family (logged), and a
family whose enumeration fails is skipped.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from signing.errors import DeviceNotFound, Disconnected, InvalidInput, ProtocolError, SigningError
from signing.interface import DeviceInfo, Signer

log = logging.getLogger(__name__)

EnumerateFn = Callable[[], list[DeviceInfo]]
OpenFn = Callable[[str], Signer]

DRIVER_MODULES: tuple[str, ...] = ("signing.devices.trezor", "signing.devices.coldcard")


@dataclass(frozen=True)
class Family:
    name: str
    enumerate: EnumerateFn
    open: OpenFn


_families: dict[str, Family] = {}
_lock = threading.RLock()
_loaded = False


def register_family(name: str, enumerate_fn: EnumerateFn, open_fn: OpenFn) -> None:
    """Add (or replace) the family whose URIs start with ``name:``."""
    if not name or not name.isascii() or not name.replace("-", "").isalnum():
        raise InvalidInput(f"bad device family name {name!r}")
    with _lock:
        _families[name.lower()] = Family(name.lower(), enumerate_fn, open_fn)


def unregister_family(name: str) -> None:
    with _lock:
        _families.pop(name.lower(), None)


def _load_families() -> None:
    """Import the driver modules once; each registers itself. Missing ones are skipped."""
    global _loaded  # noqa: PLW0603 - import-once flag
    with _lock:
        if _loaded:
            return
        _loaded = True
        for module in DRIVER_MODULES:
            try:
                importlib.import_module(module)
            except ImportError as exc:
                log.info("device family %s unavailable: %s", module, exc)
            except Exception:
                log.exception("device driver %s failed to load", module)


def families() -> list[str]:
    """Names of the registered families."""
    _load_families()
    with _lock:
        return sorted(_families)


def enumerate_devices() -> list[DeviceInfo]:
    """Every device of every family, emulators included. Never opens a device."""
    _load_families()
    with _lock:
        registered = list(_families.values())
    found: list[DeviceInfo] = []
    for family in registered:
        try:
            found.extend(family.enumerate())
        except Exception as exc:  # one broken family must not hide the others
            log.warning("enumerating %s devices failed: %s", family.name, exc)
    return found


def open_signer(uri: str) -> Signer:
    """An unopened ``Signer`` for ``uri`` (call ``open`` on the device thread)."""
    scheme, sep, rest = uri.partition(":")
    if not sep or not rest:
        raise DeviceNotFound(f"{uri!r} is not a device URI like trezor:udp:127.0.0.1:21324")
    _load_families()
    with _lock:
        family = _families.get(scheme.lower())
    if family is None:
        raise DeviceNotFound(f"no driver for {scheme!r} devices (known: {families()})")
    try:
        return family.open(uri)
    except SigningError:
        raise
    except OSError as exc:
        raise Disconnected(f"{uri}: {exc}") from exc
    except Exception as exc:
        raise ProtocolError(f"{uri}: {type(exc).__name__}: {exc}") from exc
