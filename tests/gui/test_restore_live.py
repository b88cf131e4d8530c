"""Settings → Backup → Restore needs no restart: the window reloads everything from the
restored store, and a session the restored store does not hold ends (sign in again)."""

from __future__ import annotations

from pathlib import Path

from message_boxes import close_messages, message_texts, run_confirming
from test_flows import prepare_as_alice, setup_two_officers


def _attestation_ids(desk) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.att_id for row in desk.window.attestations.model.rows]


def test_a_restore_reloads_the_window_and_asks_to_sign_in_when_the_session_is_gone(
    desk, tmp_path: Path
) -> None:
    close_messages()
    setup_two_officers(desk)
    desk.run(desk.ctx.reload_officers())
    before_signin = tmp_path / "before-signin.sqlite3"
    dialog = desk.window.show_settings("backup")
    desk.settle()
    assert desk.run(dialog.backup(str(before_signin))) is not None
    # alice signs in, backs up (her session is in that backup), then attests
    att_id = prepare_as_alice(desk)
    with_session = tmp_path / "with-session.sqlite3"
    assert desk.run(dialog.backup(str(with_session))) is not None
    assert att_id in _attestation_ids(desk)

    # 1. restore the backup taken while alice was signed in (before this attestation)
    old_window = desk.window
    assert run_confirming(desk, dialog.restore(str(with_session))) is True, message_texts()
    desk.wait_until(lambda: desk.window is not old_window)
    desk.settle()
    assert desk.ctx.officer == "alice"  # her session is live in the restored store
    # the rebuilt window lists the devices (its first reload, or the periodic rescan)
    desk.wait_until(lambda: desk.window.devices.model.rowCount() == 2)
    assert att_id in _attestation_ids(desk)  # taken after she prepared: still there
    assert "restored from" in message_texts().lower()
    assert "sign in again" not in message_texts().lower()
    close_messages()

    # 2. restore the backup from before anyone signed in: the session is not in it
    dialog = desk.window.show_settings("backup")
    desk.settle()
    old_window = desk.window
    assert run_confirming(desk, dialog.restore(str(before_signin))) is True, message_texts()
    desk.wait_until(lambda: desk.window is not old_window)
    desk.settle()
    assert desk.ctx.officer == ""  # nothing more is done in alice's name
    assert _attestation_ids(desk) == []  # the window shows the restored store
    signin = desk.window.signin_bar.dialog
    assert signin is not None and signin.isVisible()
    assert "restored from a backup" in signin.reason.text()
    shown = message_texts()
    assert "restored from" in shown.lower() and "sign in again" in shown.lower()
    close_messages()
    assert desk.window.notice_button.isVisible()  # the message stays until read
    # the restored desk works: alice signs in again and prepares on the restored store
    assert prepare_as_alice(desk)
    entries = desk.run(desk.ctx.facade.audit_entries())
    assert any(e.action == "store.restore" for e in entries)
    # the old window's views are gone with it: none reloads into a deleted model
    assert not any("already deleted" in e.text for e in desk.ctx.messages.entries)
