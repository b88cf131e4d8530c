"""Render every view and the main dialogs at 1440x900 into docs/screenshots/ (offscreen).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


async def _bitcoin_order(store: object) -> str:
    """alnoor-quant's vault (three parties' multisig keys, two coins) and an emergency
    order releasing it, with the regulator's signatures in its PSBT (test data)."""
    import json

    from embit.psbt import PSBT

    from app.domain.parties import Party
    from app.services import emergency
    from app.services.emergency_btc import ReleaseRequest, import_psbt, order_psbt
    from app.services.vault import add_multisig_key, client_vault, import_utxos
    from signing.emulator.test_seeds import (
        TEST_MNEMONIC_ALL,
        TEST_MNEMONIC_LEGAL,
        TEST_MNEMONIC_ZOO,
    )
    from tests.btc_support import RELEASE_ADDRESS, account_key, funding_tx, root_of, utxo_entries

    seeds = {Party.REGULATOR: TEST_MNEMONIC_ZOO, Party.CUSTODIAN: TEST_MNEMONIC_ALL,
             Party.EXCHANGE: TEST_MNEMONIC_LEGAL}
    for party, seed in seeds.items():
        add_multisig_key(store, party, account_key(seed), actor="screenshots",  # type: ignore[arg-type]
                         is_emulator=True)
    vault = client_vault(store, "alnoor-quant")  # type: ignore[arg-type]
    fund = funding_tx([(vault.address(0).script_pubkey, 60_000_000),
                       (vault.address(3).script_pubkey, 40_000_000)])
    import_utxos(store, json.dumps({"utxos": utxo_entries(fund)}).encode(),  # type: ignore[arg-type]
                 actor="screenshots")
    document = emergency.create_order(
        store, "alnoor-quant", "Exchange outage", actor="screenshots",  # type: ignore[arg-type]
        btc_release=ReleaseRequest(RELEASE_ADDRESS),
    )
    order_id = str(document.body["id"])
    psbt = PSBT.from_string(order_psbt(store, order_id))  # type: ignore[arg-type]
    psbt.sign_with(root_of(TEST_MNEMONIC_ZOO))
    import_psbt(store, order_id, str(psbt.to_string()), actor="screenshots")  # type: ignore[arg-type]
    return order_id


def main() -> None:
    import qasync
    from PySide6.QtWidgets import QApplication, QWidget

    from app.services.desk_facade import MarginCallRow, MarginCallStatus
    from app.ui.backend.emulator import emulator_host
    from app.ui.context import DeskContext
    from app.ui.dialogs.confirm_on_device import ConfirmOnDeviceDialog
    from app.ui.dialogs.create_order import CreateOrderDialog
    from app.ui.dialogs.passphrase import PassphraseDialog
    from app.ui.dialogs.pin_matrix import PinMatrixDialog
    from app.ui.main import DeskApp, make_settings, open_facade
    from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL
    from signing.interface import NullInteraction

    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    data = tempfile.mkdtemp(prefix="desk-shots-")
    facade = open_facade(data)
    ctx = DeskContext(facade)
    desk = DeskApp(ctx, make_settings(data), None)
    w = desk.window
    w.resize(1440, 900)
    w.show()

    def shot(widget: QWidget, name: str) -> None:
        # No processEvents() here: it would step other tasks inside this one (qasync).
        widget.grab().save(str(OUT / f"{name}.png"))
        print("wrote", OUT / f"{name}.png")

    async def run() -> None:
        await desk.start(offer_emulator=False)
        a = emulator_host().start(mnemonic=TEST_MNEMONIC_ALL)
        b = emulator_host().start(mnemonic=TEST_MNEMONIC_ABANDON)
        ctx.emulator_running = True
        ctx.emulator_changed.emit(True)
        for name, emu in (("alice", a), ("bob", b)):
            await facade.register_officer(
                name, "custody officer", emu.trezor_uri, "m/44'/0'/0'/0/0", NullInteraction()
            )
        await ctx.reload_officers()
        await ctx.reload_devices()
        await w.signin_bar.controller.sign_in("alice")
        # A second snapshot a minute later (BTC down 8%) so the ratio history has a line
        # (dated relative to now: prices have an age limit).
        import json

        from app.services.demo import demo_snapshot_path

        later = json.loads(demo_snapshot_path().read_text())
        later["as_of"] = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        later["prices"]["BTC"] = "89240.00"
        later_path = Path(data) / "snapshot-1200.json"
        later_path.write_text(json.dumps(later))
        await w.import_snapshot(str(later_path))
        await w.holdings.reload()
        proxy = w.holdings.clients.proxy
        w.holdings.clients.selectRow(
            next(
                r
                for r in range(proxy.rowCount())
                if proxy.row_object(r).client_id == "palm-harbour"
            )
        )
        await asyncio.sleep(0.3)
        w.tabs.setCurrentIndex(0)
        shot(w, "holdings")
        w.holdings.side.setCurrentIndex(1)
        shot(w, "holdings-composition")
        w.holdings.side.setCurrentIndex(2)
        await asyncio.sleep(0.2)
        shot(w, "holdings-ratio-history")
        w.holdings.side.setCurrentIndex(0)
        w.holdings.stress.apply({"BTC": __import__("decimal").Decimal("-25")})
        await w.holdings.stress.settled()  # valued off the GUI thread
        shot(w, "holdings-stress-btc-25")
        w.holdings.clients.selectAll()
        await w.attestations.prepare()  # refused: one client is ineligible
        await asyncio.sleep(0.2)
        from PySide6.QtWidgets import QMessageBox

        for box in [x for x in app.topLevelWidgets() if isinstance(x, QMessageBox)]:
            if box.isVisible():
                shot(box, "dialog-attestation-refused")
        for m in [x for x in app.topLevelWidgets() if x.isVisible() and x is not w]:
            m.close()
        proxy = w.holdings.clients.proxy
        w.holdings.clients.clearSelection()
        for row in range(proxy.rowCount()):
            if proxy.row_object(row).client_id in ("alnoor-quant", "gulf-meridian-mm"):
                w.holdings.clients.selectionModel().select(
                    proxy.index(row, 0),
                    w.holdings.clients.selectionModel().SelectionFlag.Select
                    | w.holdings.clients.selectionModel().SelectionFlag.Rows,
                )
        await w.attestations.prepare()
        await w.attestations.show_detail()
        await w.attestations.verify_all_proofs()
        w.tabs.setCurrentIndex(1)
        await asyncio.sleep(0.3)
        shot(w, "attestations")
        for m in [x for x in app.topLevelWidgets() if x.isVisible() and x is not w]:
            m.close()
        w.holdings.clients.clearSelection()
        # The exchange link that delivers margin calls is another part of the desk; for the
        # picture, two calls are injected as the exchange would send them (test data).
        now = datetime.now(UTC)
        sample = [
            MarginCallRow(
                "mc-1042",
                "palm-harbour",
                "Palm Harbour Capital",
                now,
                now + timedelta(minutes=42),
                Decimal("1250000.00"),
                Decimal("44000000.00"),
                Decimal("0.5291"),
                MarginCallStatus.RECEIVED,
                False,
                desk_ratio=Decimal("0.5291"),
                desk_standing="Healthy",
            ),
            MarginCallRow(
                "mc-1041",
                "sandstone-arb",
                "Sandstone Arbitrage Fund",
                now - timedelta(hours=3),
                now - timedelta(minutes=7),
                Decimal("610000.00"),
                Decimal("34000000.00"),
                Decimal("0.4821"),
                MarginCallStatus.ESCALATED,
                True,
                desk_ratio=Decimal("0.4821"),
                desk_standing="Margin call",
            ),
        ]

        async def calls() -> list[MarginCallRow]:
            return sample

        facade.margin_calls = calls  # type: ignore[method-assign]
        # Their recorded history and document ids, as the store would hold them (test data).
        from dataclasses import replace as _replace

        from app.services.desk_facade import CallEvent, DocumentRef

        real_detail = facade.margin_call_detail

        async def call_detail(call: MarginCallRow):  # type: ignore[no-untyped-def]
            detail = await real_detail(call)
            events = [CallEvent(MarginCallStatus.RECEIVED, call.received_at, "exchange")]
            documents = [DocumentRef("margin_call", call.call_id)]
            if call.status == MarginCallStatus.ESCALATED:
                events.append(
                    CallEvent(
                        MarginCallStatus.ACKNOWLEDGED,
                        call.received_at + timedelta(minutes=4),
                        "officer:alice",
                    )
                )
                events.append(
                    CallEvent(
                        MarginCallStatus.ESCALATED,
                        call.received_at + timedelta(hours=2, minutes=51),
                        "exchange",
                        "liquidation line crossed",
                    )
                )
                documents.append(DocumentRef("liquidation_notice", "ln-" + call.call_id))
            return _replace(detail, history=tuple(events), documents=tuple(documents))

        facade.margin_call_detail = call_detail  # type: ignore[method-assign]
        # An emergency order with the custodian's share signed on alice's emulator.
        from app.documents.keys import Party, Role
        from app.services.officers import add_party_key, list_officers

        store = facade.store  # type: ignore[attr-defined]
        alice = next(o for o in list_officers(store) if o.name == "alice")
        add_party_key(
            store,
            Party.CUSTODIAN,
            alice.pubkey,
            alice.address,
            actor="screenshots",
            role=Role.EMERGENCY,
            is_emulator=True,
        )
        order = await facade.create_order(
            "gulf-meridian-mm", "Exchange outage", "alice"
        )
        await w.emergency.reload()
        w.emergency.select(order.order_id)
        await w.emergency.sign_selected()
        await w.emergency.reload()
        await w.margin_calls.reload()
        await w.audit.reload()
        calls_proxy = w.margin_calls.table.proxy
        w.margin_calls.table.selectRow(
            next(
                r
                for r in range(calls_proxy.rowCount())
                if calls_proxy.row_object(r).call_id == "mc-1041"
            )
        )
        for index, name in ((2, "margin-calls"), (3, "emergency"), (4, "devices"), (5, "audit")):
            w.tabs.setCurrentIndex(index)
            await asyncio.sleep(0.3)
            shot(w, name)
        # A Bitcoin order: the vault's release PSBT, signed so far by the regulator only
        # (test seeds; the regulator signs outside the desk, with embit's signer).
        btc_order = await _bitcoin_order(store)
        await w.emergency.reload()
        w.emergency.select(btc_order)
        w.tabs.setCurrentIndex(3)
        await asyncio.sleep(0.4)
        shot(w, "emergency-btc-psbt")
        w.emergency.select(order.order_id)
        await asyncio.sleep(0.3)
        # The smallest window (on a screen that allows it): the message still reads whole.
        from app.ui.window_size import WINDOW_MINIMUM

        w.resize(WINDOW_MINIMUM)
        w.tabs.setCurrentIndex(1)
        ctx.status_message.emit("Attestation 1 prepared: awaiting a second officer's approval.")
        await asyncio.sleep(0.4)
        shot(w, "window-minimum-size")
        w.resize(1440, 900)
        await asyncio.sleep(0.2)
        w.tabs.setCurrentIndex(2)
        calls_proxy = w.margin_calls.table.proxy
        w.margin_calls.table.selectRow(
            next(
                r
                for r in range(calls_proxy.rowCount())
                if calls_proxy.row_object(r).call_id == "mc-1041"
            )
        )
        await w.margin_calls.preview_waterfall()
        await asyncio.sleep(0.2)
        assert w.margin_calls.last_waterfall is not None
        shot(w.margin_calls.last_waterfall, "dialog-liquidation-waterfall")
        w.margin_calls.last_waterfall.reject()
        statement = w.attestations.statement.toPlainText() or "CDATT1 ..."
        confirm = ConfirmOnDeviceDialog("Emulator (Trezor)", statement, w)
        confirm.show()
        shot(confirm, "dialog-confirm-on-device")
        confirm.close()
        for dialog, name in (
            (PinMatrixDialog("Emulator (Trezor)", w), "dialog-pin-matrix"),
            (PassphraseDialog("Emulator (Trezor)", w), "dialog-passphrase"),
            (CreateOrderDialog(["alnoor-quant", "gulf-meridian-mm"], w), "dialog-create-order"),
        ):
            dialog.show()
            shot(dialog, name)
            dialog.close()
        from app.ui.dialogs.emulator_offer import EmulatorOfferDialog
        from app.ui.dialogs.register_officer import RegisterOfficerDialog

        # As a tester sees it on a first run: no officer yet, demo officers offered.
        for dialog, name in (
            (EmulatorOfferDialog(w, offer_demo_officers=True), "dialog-emulator-offer"),
            (RegisterOfficerDialog(ctx.devices, w), "dialog-register-officer"),
        ):
            dialog.show()
            shot(dialog, name)
            dialog.close()
        # The desk's settings in the window, and the message log.
        settings_dialog = w.show_settings()
        await asyncio.sleep(0.3)
        for tab in ("exchange", "keys", "backup", "about"):
            settings_dialog.show_tab(tab)
            await asyncio.sleep(0.1)
            shot(settings_dialog, f"dialog-settings-{tab}")
        form = settings_dialog.add_key_box  # the multisig account key, read from a device
        form.kind.setCurrentIndex(form.kind.findData("multisig"))
        form.source.setCurrentIndex(1)
        settings_dialog.show_tab("keys")
        await asyncio.sleep(0.1)
        shot(settings_dialog, "dialog-settings-keys-multisig")
        settings_dialog.close()
        log_dialog = w.show_messages()
        await asyncio.sleep(0.1)
        shot(log_dialog, "dialog-message-log")
        log_dialog.close()
        # The emulator's device screen ("ask on the emulator screen"), showing what bob's
        # emulator shows for the attestation: the device's own wording, then the statement.
        from app.ui.dialogs.emulator_screen import EmulatorScreenWindow

        key = b.hsm.get_public_key("m/44'/0'/0'/0/0")
        device_screen = EmulatorScreenWindow("Emulator #2 (Trezor)", b.hsm.fingerprint())
        device_screen.show_prompt(f"Sign message with {key.address} ({key.path}): {statement}")
        device_screen.resize(560, device_screen.sizeHint().height())
        device_screen.show()
        await asyncio.sleep(0.1)
        shot(device_screen, "dialog-emulator-screen")
        device_screen.close()
        from app.ui import i18n

        if i18n.translator().switch("zh_CN"):
            await asyncio.sleep(0.5)
            desk.window.resize(1440, 900)
            desk.window.tabs.setCurrentIndex(0)
            await asyncio.sleep(0.3)
            shot(desk.window, "holdings-zh_CN")
            desk.window.tabs.setCurrentIndex(1)
            await asyncio.sleep(0.3)
            shot(desk.window, "attestations-zh_CN")
            for index, name in ((2, "margin-calls-zh_CN"), (3, "emergency-zh_CN"),
                                (4, "devices-zh_CN"), (5, "audit-zh_CN")):
                desk.window.tabs.setCurrentIndex(index)
                await asyncio.sleep(0.3)
                shot(desk.window, name)
            desk.window.tabs.setCurrentIndex(3)
            await desk.window.emergency.reload()
            desk.window.emergency.select(btc_order)
            await asyncio.sleep(0.4)
            shot(desk.window, "emergency-btc-psbt-zh_CN")
            zh_settings = desk.window.show_settings("keys")
            await asyncio.sleep(0.3)
            shot(zh_settings, "dialog-settings-keys-zh_CN")
            zh_settings.close()
            desk.window.resize(WINDOW_MINIMUM)
            desk.window.tabs.setCurrentIndex(1)
            ctx.status_message.emit("证明 1 已编制：等待第二位官员审批。")
            await asyncio.sleep(0.4)
            shot(desk.window, "window-minimum-size-zh_CN")
            desk.window.resize(1440, 900)
            i18n.translator().switch("en")
            await asyncio.sleep(0.5)  # the rebuilt window loads its data

    async def dark() -> None:
        # The system switches to dark. Offscreen has no platform theme, so the dark
        # palette is set here the way a desktop would deliver it.
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QColor, QPalette

        from app.ui import theme

        app.setStyle("Fusion")
        app.styleHints().setColorScheme(Qt.ColorScheme.Dark)
        palette = QPalette()
        for role, color in (
            (QPalette.ColorRole.Window, "#202124"),
            (QPalette.ColorRole.WindowText, "#e8eaed"),
            (QPalette.ColorRole.Base, "#17181a"),
            (QPalette.ColorRole.AlternateBase, "#24262a"),
            (QPalette.ColorRole.Text, "#e8eaed"),
            (QPalette.ColorRole.Button, "#2d2f33"),
            (QPalette.ColorRole.ButtonText, "#e8eaed"),
            (QPalette.ColorRole.Highlight, "#3d6fb6"),
            (QPalette.ColorRole.HighlightedText, "#ffffff"),
            (QPalette.ColorRole.Midlight, "#303236"),
            (QPalette.ColorRole.PlaceholderText, "#9aa0a6"),
        ):
            palette.setColor(role, QColor(color))
        # Disabled controls look disabled, as under a real dark desktop palette.
        for role in (
            QPalette.ColorRole.WindowText,
            QPalette.ColorRole.Text,
            QPalette.ColorRole.ButtonText,
        ):
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b6f75"))
        app.setPalette(palette)
        theme.refresh()
        w = desk.window
        w.resize(1440, 900)
        await w.load_all()
        w.tabs.setCurrentIndex(0)
        w.holdings.stress.btc_preset.click()
        await w.holdings.stress.settled()
        await asyncio.sleep(0.3)
        shot(w, "holdings-dark")
        w.tabs.setCurrentIndex(2)
        await asyncio.sleep(0.3)
        shot(w, "margin-calls-dark")
        w.tabs.setCurrentIndex(3)
        await asyncio.sleep(0.3)
        shot(w, "emergency-dark")

    with loop:
        loop.run_until_complete(run())
        loop.run_until_complete(dark())
        emulator_host().stop_all()
    os._exit(0)  # PySide6 6.12 exit-time refcount bug, see tests/gui/conftest.py


if __name__ == "__main__":
    main()
