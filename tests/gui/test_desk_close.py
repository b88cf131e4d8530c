"""A desk that has wound down (its window closed for good) hears nothing more.

The window of a desk that quit, or was replaced, must not go on reloading on
another desk's commits, retrying signed acts or re-reading its strings: it would
read a store that is gone and tell an officer who is no longer looking.
"""

from __future__ import annotations

import weakref
from typing import Any

from app.services import signed_commit
from app.services.signed_commit import CommitEvent
from app.ui import i18n
from app.ui.context import DeskContext
from app.ui.main import DeskApp, make_settings


def test_a_closed_desk_no_longer_reloads_on_commit_events_nor_keeps_acts(desk: Any) -> None:
    other = DeskApp(DeskContext(desk.ctx.facade), make_settings(str(desk.data_dir)), None)
    heard: list[str] = []
    desk.ctx.data_changed.connect(lambda: heard.append("open"))
    other.ctx.data_changed.connect(lambda: heard.append("closed"))
    signed_commit._tell(CommitEvent("the maker's signature of attestation 9", "committed", "", 2))
    assert heard == ["open", "closed"]  # both desks live: both reload

    other.close()
    heard.clear()
    signed_commit._tell(CommitEvent("the maker's signature of attestation 9", "committed", "", 2))
    assert heard == ["open"]
    assert not other.window.isVisible() and other.window.closed
    assert other.ctx.uncommitted == {}


def test_the_last_desk_closed_drops_its_kept_acts(desk: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(signed_commit, "_kept", [])
    monkeypatch.setattr(signed_commit, "_keepers", weakref.WeakSet())
    only = DeskApp(DeskContext(desk.ctx.facade), make_settings(str(desk.data_dir)), None)
    signed_commit._kept.append(signed_commit._KeptAct("an act", lambda: None, None, 8))
    assert only.ctx.kept_acts == ("an act",)
    only.close()
    assert signed_commit.kept_acts() == ()  # no window left to commit it: dropped


def test_a_closed_window_is_not_retranslated(desk: Any) -> None:
    w = desk.window
    title = w.windowTitle()
    w.close()
    try:
        assert i18n.translator().switch("zh_CN")
        assert w.windowTitle() == title  # the closed window stayed as it was
    finally:
        i18n.translator().switch("en")


def test_a_closed_windows_open_dialogs_close_with_it(desk: Any) -> None:
    from PySide6.QtWidgets import QDialog, QMessageBox

    w = desk.window
    box = QMessageBox(QMessageBox.Icon.Warning, "Refused", "signed, not committed", parent=w)
    answers: list[int] = []
    box.finished.connect(answers.append)
    box.open()
    assert box.isVisible()
    w.close()
    assert not box.isVisible()  # not left on screen for an officer of a window that is gone
    assert answers == [QDialog.DialogCode.Rejected.value]  # answered "no", once


def test_a_closed_desk_stops_its_sign_in_clocks(desk: Any) -> None:
    """A session open when the desk quits must not lock itself 15 minutes later in a
    desk with no loop (seen in CI: a test's idle lock fired during another test)."""
    from test_signin_window import two_officers

    two_officers(desk)
    desk.sign_in("alice")
    controller = desk.window.signin_bar.controller
    assert controller.idle_timer.isActive() and controller.expiry_timer.isActive()
    desk.app.close()
    assert not controller.idle_timer.isActive() and not controller.expiry_timer.isActive()
    spawned: list[Any] = []
    desk.ctx.spawn = spawned.append  # type: ignore[method-assign]
    controller._idle()
    controller._expired()
    assert spawned == []  # nothing scheduled on the closed desk
