"""'Nog ontbrekend': what the intake still lacks, per domain; Enter jumps to the question."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from intake_app.forms import AnswerKey, Form
from intake_app.i18n import N_, Catalog

TITLE = N_("Nog ontbrekend")
INTRO = N_("Deze verplichte vragen zijn nog niet (goed) beantwoord. Kies een vraag en druk op Enter om erheen te gaan.")
NOTHING = N_("Alle verplichte vragen zijn beantwoord.")


class MissingDialog(QDialog):
    def __init__(
        self, form: Form, missing: dict[str, tuple[AnswerKey, ...]], catalog: Catalog, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("missingDialog")
        _ = catalog.gettext
        self.setWindowTitle(_(TITLE))
        self.chosen: AnswerKey | None = None
        self.tree = QTreeWidget(objectName="missingTree")
        self.tree.setHeaderHidden(True)
        for domain_id, keys in missing.items():
            title = catalog.pgettext(f"domain:{domain_id}", form.domain(domain_id).title)
            domain_item = QTreeWidgetItem([f"{title} ({len(keys)})"])
            for key in keys:
                child = QTreeWidgetItem([catalog.pgettext(key.question_id, form.question(key.question_id).label)])
                child.setData(0, Qt.ItemDataRole.UserRole, tuple(key))
                domain_item.addChild(child)
            self.tree.addTopLevelItem(domain_item)
        self.tree.expandAll()
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_(INTRO) if missing else _(NOTHING), wordWrap=True))
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(560, 480)
        if self.tree.topLevelItemCount():
            first = self.tree.topLevelItem(0)
            self.tree.setCurrentItem(first.child(0) if first.childCount() else first)

    def _on_tree_item_activated(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if data:
            self.chosen = AnswerKey(*data)
            self.accept()
