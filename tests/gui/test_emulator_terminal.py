"""The device-screen adapter against the real SoftHsm interactive policy (no Qt)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from app.ui.backend.emulator_terminal import ClosedReason, EmulatorTerminal
from signing.emulator.hsm import SoftHsm


def _wait(predicate: Callable[[], bool], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


class Prompt:
    """One approval request on its own thread, as the emulator's server runs it."""

    def __init__(self, hsm: SoftHsm, text: str) -> None:
        self.cancel = threading.Event()
        self.result: list[bool] = []
        self.thread = threading.Thread(
            target=lambda: self.result.append(hsm.request_approval(text, self.cancel))
        )
        self.thread.start()

    def outcome(self) -> bool:
        self.thread.join(5)
        assert not self.thread.is_alive()
        return self.result[0]


def make() -> tuple[EmulatorTerminal, SoftHsm, list[tuple[str, object]]]:
    terminal = EmulatorTerminal()
    events: list[tuple[str, object]] = []
    terminal.on_prompt = lambda text: events.append(("prompt", text))
    terminal.on_closed = lambda reason: events.append(("closed", reason))
    hsm = SoftHsm(
        approve="interactive", terminal_in=terminal.stream_in, terminal_out=terminal.stream_out
    )
    return terminal, hsm, events


def test_the_statement_reaches_the_screen_and_the_buttons_decide() -> None:
    terminal, hsm, events = make()
    first = Prompt(hsm, "CDESK-ATTEST/1 seq=1\nsecond line")
    _wait(lambda: terminal.waiting is not None)
    assert events == [("prompt", "CDESK-ATTEST/1 seq=1\nsecond line")]
    assert terminal.answer(True)
    assert first.outcome() is True
    assert not terminal.answer(True)  # nothing waits any more: nothing is sent
    second = Prompt(hsm, "CDESK-ATTEST/1 seq=2")
    _wait(lambda: terminal.waiting == "CDESK-ATTEST/1 seq=2")
    assert terminal.answer(False)
    assert second.outcome() is False
    terminal.close()


def test_a_cancel_from_the_host_clears_the_screen_and_a_late_answer_is_not_kept() -> None:
    terminal, hsm, events = make()
    prompt = Prompt(hsm, "cancel me")
    _wait(lambda: terminal.waiting is not None)
    prompt.cancel.set()
    assert prompt.outcome() is False
    assert events[-1] == ("closed", ClosedReason.CANCELLED)
    assert terminal.waiting is None and not terminal.answer(True)
    # an answer that raced the cancel into the pipe must not answer the next question
    terminal._waiting = "stale"  # as if the tester pressed Approve just as it was cancelled
    assert terminal.answer(True)
    nxt = Prompt(hsm, "next")
    _wait(lambda: terminal.waiting == "next")
    time.sleep(0.2)
    assert nxt.thread.is_alive()  # still waiting for the tester
    assert terminal.answer(False)
    assert nxt.outcome() is False
    terminal.close()


def test_policy_change_and_close_end_a_waiting_question() -> None:
    terminal, hsm, events = make()
    prompt = Prompt(hsm, "auto decides")
    _wait(lambda: terminal.waiting is not None)
    hsm.set_policy("auto")
    assert prompt.outcome() is True
    assert events[-1] == ("closed", ClosedReason.POLICY)
    hsm.set_policy("interactive")
    waiting = Prompt(hsm, "desk stops")
    _wait(lambda: terminal.waiting is not None)
    terminal.close()  # the desk stops its emulators: the question is refused
    assert waiting.outcome() is False
