"""Start the test emulator? Offered at start when no device is found, and by the Devices tab.

On a desk with no registered officers it also offers (on by default) two demo
officers with test keys, so a tester can run the maker-checker flow at once.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget


class EmulatorOfferDialog(QMessageBox):
    """*Start test emulator* starts the in-process software HSM emulator (test only)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        no_device: bool = True,
        offer_demo_officers: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("emulatorOfferDialog")
        self.setIcon(QMessageBox.Icon.Question)
        if no_device:
            self.setWindowTitle(self.tr("No signing device found"))
            self.setText(self.tr("No hardware signing device is plugged in."))
        else:
            self.setWindowTitle(self.tr("Start the test emulator"))
            self.setText(self.tr("Start the software HSM emulator?"))
        informative = self.tr(
            "Start the software HSM emulator for testing? Everything it signs is marked"
            " TEST and refused by a production desk. Plug in a real device to sign for real."
        )
        self.demo_officers: QCheckBox | None = None
        if offer_demo_officers:
            informative += "\n\n" + self.tr(
                "No officer is registered yet. One officer prepares an attestation and a"
                " different officer, on a different device, approves it: the demo officers"
                " alice and bob each get their own emulator with a public test key, and"
                " alice is put on duty."
            )
            self.demo_officers = QCheckBox(
                self.tr("Also register two &demo officers with test keys")
            )
            self.demo_officers.setObjectName("demoOfficersCheck")
            self.demo_officers.setChecked(True)
            self.setCheckBox(self.demo_officers)
        self.setInformativeText(informative)
        self.start_button = self.addButton(
            self.tr("Start test emulator"), QMessageBox.ButtonRole.AcceptRole
        )
        self.later_button = self.addButton(self.tr("Not now"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.later_button if no_device else self.start_button)

    def wants_demo_officers(self) -> bool:
        """Whether the tester left "register two demo officers" ticked."""
        return self.demo_officers is not None and self.demo_officers.isChecked()
