"""The Interaction bridge: a device thread asks, the GUI answers, nobody blocks the GUI."""

from __future__ import annotations

import asyncio
import threading

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.interaction import QtInteraction
from app.ui.signing_flow import SigningFlow
from signing.errors import CancelledByHost
from signing.interface import DevicePrompt, PromptKind


def test_passphrase_is_asked_from_the_device_thread_and_answered_in_the_gui(desk) -> None:
    parent = QWidget()
    flow = SigningFlow(parent, "Trezor T", "CDESK-ATTEST/1 ...")
    threads: list[str] = []

    async def operation(interaction: QtInteraction) -> str:
        def on_device_thread() -> str:
            threads.append(threading.current_thread().name)
            interaction.on_prompt(
                DevicePrompt(PromptKind.CONFIRM_ON_DEVICE, "Trezor T", "exact device text")
            )
            return interaction.request_passphrase("Trezor T")

        return await asyncio.to_thread(on_device_thread)

    task = desk.ctx.spawn(flow.run(operation))
    desk.wait_until(
        lambda: flow.passphrase_dialog is not None and flow.passphrase_dialog.isVisible()
    )
    # the GUI thread kept running: the confirm dialog shows what the device shows
    assert flow.dialog.statement.toPlainText() == "exact device text"
    flow.passphrase_dialog.first.setText("test only")
    flow.passphrase_dialog.second.setText("test only")
    flow.passphrase_dialog.ok_button.click()
    desk.wait_until(task.done)
    assert task.result() == "test only"
    assert threads and threads[0] != threading.main_thread().name


def test_cancel_while_the_device_waits_for_a_pin_releases_the_device_thread(desk) -> None:
    parent = QWidget()
    flow = SigningFlow(parent, "Trezor T", "text")
    raised: list[BaseException] = []

    async def operation(interaction: QtInteraction) -> str:
        def on_device_thread() -> str:
            try:
                return interaction.request_pin("Trezor T")
            except CancelledByHost as exc:
                raised.append(exc)
                raise

        return await asyncio.to_thread(on_device_thread)

    task = desk.ctx.spawn(flow.run(operation))
    desk.wait_until(lambda: flow.pin_dialog is not None and flow.pin_dialog.isVisible())
    flow.dialog.cancel_button.click()
    desk.wait_until(task.done)
    assert task.result() is None
    desk.wait_until(lambda: bool(raised))
    assert isinstance(raised[0], CancelledByHost)
    for box in parent.findChildren(QMessageBox):
        box.done(0)


@pytest.mark.parametrize("answer", [None, "1234"])
def test_answer_without_a_question_is_ignored(qapp, answer) -> None:
    """A stray answer is dropped: the next question gets the next answer, not the stale one."""
    from PySide6.QtCore import Qt

    interaction = QtInteraction()
    interaction.answer(answer)  # nothing pending: no error, nothing stored
    asked = threading.Event()
    interaction.pin_requested.connect(lambda _label: asked.set(),
                                      Qt.ConnectionType.DirectConnection)
    got: list[str] = []
    worker = threading.Thread(target=lambda: got.append(interaction.request_pin("dev")))
    worker.start()
    assert asked.wait(5)
    worker.join(0.3)
    assert got == []  # still waiting: the stray answer was not kept for it
    interaction.answer("5678")
    worker.join(5)
    assert got == ["5678"]
