"""The status bar's message reads whole at the default and at the minimum window size:
the desk's state (store, devices, emulator, session) has its own row above it."""

from __future__ import annotations

import asyncio

from test_flows import setup_two_officers

from app.ui import i18n

MESSAGE = "Attestation 1 prepared: awaiting a second officer's approval."


def _reads_whole(desk, text: str) -> None:  # type: ignore[no-untyped-def]
    w = desk.window
    desk.ctx.status_message.emit(text)
    desk.run(asyncio.sleep(0.05))  # the layout settles (Qt's posted layout request)
    label = w.message_label
    assert label.isVisible()
    assert label.shown() == text, (label.shown(), label.width(), w.width())
    assert label.width() >= label.fontMetrics().horizontalAdvance(text)
    assert label.geometry().right() <= w.statusBar().width()
    # and nothing hides it: the permanent widgets sit to its right
    for other in (w.notice_button, w.clock_label):
        if other.isVisible():
            assert other.geometry().left() >= label.geometry().right()


def test_a_normal_message_reads_whole_at_the_default_and_the_minimum_size(desk) -> None:
    from app.ui.window_size import minimum_window_size

    setup_two_officers(desk)
    desk.sign_in("alice")  # the longest session text, with the emulators running
    w = desk.window
    desk.ctx.important_message.emit("No exchange link is configured: calls cannot arrive.")
    assert w.notice_button.isVisible()  # an unread notice shares the bar as well
    for size in ((1440, 900), None):
        if size is None:
            minimum = minimum_window_size(w.screen().availableGeometry().size())
            assert w.minimumSize() == minimum
            w.resize(minimum)
        else:
            w.resize(*size)
        desk.run(asyncio.sleep(0.05))
        _reads_whole(desk, MESSAGE)
        # the state row keeps store, devices, emulator and session, each whole in its tip
        for label in (w.store_status, w.device_status, w.emulator_status,
                      w.signin_bar.status_label):
            assert label.isVisible() and label.toolTip() == label.text()
        assert "Signed in: alice" in w.signin_bar.status_label.text()
    # in Chinese too
    assert i18n.translator().switch("zh_CN")
    try:
        desk.window.resize(desk.window.minimumSize())
        desk.run(asyncio.sleep(0.05))
        _reads_whole(desk, "证明 1 已编制：等待第二位官员审批。")
    finally:
        i18n.translator().switch("en")


def test_a_signed_act_not_committed_leads_the_store_status_on_one_line(desk) -> None:
    """The driver's message has line breaks; the label is one line, and what the
    officer must act on (a signature the store has not got) comes before the rest."""
    w = desk.window
    desk.ctx.store_link_down = (
        'connection to server at "db1", port 5432 failed: Connection refused\n'
        "\tIs the server running on that host and accepting TCP/IP connections?"
    )
    kept = ("not committed: the maker's signature of attestation 3 (signed, kept in "
            "this window; committed when the store is back): the database is unreachable")
    desk.ctx.uncommitted["the maker's signature of attestation 3"] = kept
    desk.ctx.store_link_changed.emit()
    desk.run(asyncio.sleep(0.05))
    label = w.store_status
    assert "\n" not in label.shown() and "\t" not in label.shown()
    assert label.shown().startswith("⚠ not committed: the maker's signature of attestation 3")
    assert label.text().index("connection lost") < label.text().index("Store: SQLite")
    assert label.height() < 2 * label.fontMetrics().height()  # one line, not two
