"""Small confirmation dialogs (plain Dutch, the safe choice as default)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from intake_app.i18n import N_, Catalog

RESTORE_TITLE = N_("Reservekopie terugzetten")
RESTORE_TEXT = N_(
    "De beschadigde kluis wordt niet verwijderd maar apart gezet. Wijzigingen na de reservekopie "
    "zijn daarin nog aanwezig voor de functioneel beheerder. Doorgaan?"
)


def confirm_restore(parent: QWidget, catalog: Catalog) -> bool:
    answer = QMessageBox.question(
        parent,
        catalog.gettext(RESTORE_TITLE),
        catalog.gettext(RESTORE_TEXT),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes
