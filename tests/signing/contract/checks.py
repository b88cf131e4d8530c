"""Checks shared by the contract tests: a recording ``Interaction`` and ``one_error``."""

from __future__ import annotations

from collections.abc import Callable

from signing.errors import PinRequired, SigningError
from signing.interface import DevicePrompt


class UI:
    """An ``Interaction`` that records prompts and can act when one shows."""

    def __init__(self) -> None:
        self.prompts: list[DevicePrompt] = []
        self.done = 0
        self.events: list[str] = []  # "prompt" / "done", in order
        self.pin: Callable[[], str] | None = None  # None: nobody can enter a PIN
        self.pin_asked = 0
        self.on_prompt_hook: Callable[[], None] | None = None

    def on_prompt(self, prompt: DevicePrompt) -> None:
        self.prompts.append(prompt)
        self.events.append("prompt")
        if self.on_prompt_hook is not None:
            self.on_prompt_hook()

    def on_done(self) -> None:
        self.done += 1
        self.events.append("done")

    def request_pin(self, device_label: str) -> str:
        self.pin_asked += 1
        if self.pin is None:
            raise PinRequired(f"{device_label}: no one can enter the PIN")
        return self.pin()

    def request_passphrase(self, device_label: str) -> str:
        return ""


def one_error(expected: type[SigningError], call: Callable[[], object]) -> SigningError:
    """``call`` fails with exactly one error, of exactly class ``expected``; returns it."""
    try:
        result = call()
    except BaseException as exc:  # anything at all: it must be the one typed error
        assert isinstance(exc, SigningError), f"untyped {type(exc).__name__}: {exc!r}"
        assert type(exc) is expected, f"expected {expected.__name__}, got {exc!r}"
        assert exc.code == expected.code and exc.user_message
        return exc
    raise AssertionError(f"expected {expected.__name__}, the call returned {result!r}")
