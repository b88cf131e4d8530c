"""Driver registry: enumeration never opens, URI dispatch, broken families skipped."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from softhsm_fake_signer import HsmSigner

from signing import registry
from signing.emulator.hsm import SoftHsm
from signing.errors import DeviceNotFound, Disconnected, ProtocolError
from signing.interface import DeviceInfo, Signer


@pytest.fixture
def fake_family() -> Iterator[list[str]]:
    opened: list[str] = []

    def enumerate_fn() -> list[DeviceInfo]:
        return [HsmSigner("fakehsm:one", SoftHsm()).info]

    def open_fn(uri: str) -> Signer:
        opened.append(uri)
        return HsmSigner(uri, SoftHsm())

    registry.register_family("fakehsm", enumerate_fn, open_fn)
    yield opened
    registry.unregister_family("fakehsm")


def test_enumeration_lists_without_opening(fake_family: list[str]) -> None:
    found = [d for d in registry.enumerate_devices() if d.uri.startswith("fakehsm:")]
    assert [d.uri for d in found] == ["fakehsm:one"] and found[0].is_emulator
    assert fake_family == []


def test_open_dispatches_on_scheme(fake_family: list[str]) -> None:
    signer = registry.open_signer("fakehsm:two")
    assert isinstance(signer, HsmSigner) and fake_family == ["fakehsm:two"]
    assert "fakehsm" in registry.families()


@pytest.mark.parametrize("uri", ["", "nothing", "nosuchfamily:x", "fakehsm:"])
def test_unknown_or_malformed_uri_is_device_not_found(fake_family: list[str], uri: str) -> None:
    with pytest.raises(DeviceNotFound):
        registry.open_signer(uri)


def test_failing_family_is_skipped() -> None:
    def broken() -> list[DeviceInfo]:
        raise OSError("hidapi exploded")

    registry.register_family("brokenfam", broken, lambda uri: HsmSigner(uri, SoftHsm()))
    try:
        assert all(not d.uri.startswith("brokenfam:") for d in registry.enumerate_devices())
    finally:
        registry.unregister_family("brokenfam")


@pytest.mark.parametrize(
    ("exc", "expected"), [(OSError("gone"), Disconnected), (KeyError("x"), ProtocolError)]
)
def test_open_errors_are_mapped_to_typed_errors(exc: Exception, expected: type[Exception]) -> None:
    def open_fn(uri: str) -> Signer:
        raise exc

    registry.register_family("failing", lambda: [], open_fn)
    try:
        with pytest.raises(expected):
            registry.open_signer("failing:x")
    finally:
        registry.unregister_family("failing")


def test_missing_driver_module_is_tolerated(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(registry, "_loaded", False)
    monkeypatch.setattr(registry, "DRIVER_MODULES", ("signing.devices.no_such_vendor",))
    registry.register_family("present", lambda: [], lambda uri: None)  # type: ignore[arg-type,return-value]
    try:
        with caplog.at_level(logging.INFO, logger=registry.__name__):
            found = registry.enumerate_devices()  # logs and carries on
        assert isinstance(found, list)
        assert "present" in registry.families()  # the other families still work
        assert any("signing.devices.no_such_vendor" in r.getMessage() and "unavailable"
                   in r.getMessage() for r in caplog.records)
    finally:
        registry.unregister_family("present")
