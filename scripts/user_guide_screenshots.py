"""Screenshots for the Dutch user guide (docs/gebruikershandleiding.md), offscreen, into docs/img/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/user_guide_screenshots.py [OUT_DIR]

Everything shown is the demo vault's fictitious people. The window is 1366x768, the size of a
typical municipal laptop. Screens built by others (the plan step) are shot when they exist; a
missing one is reported and skipped, so the guide's other pictures are still made.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("INTAKE_APP_HOME", tempfile.mkdtemp(prefix="intake-guide-"))

from PySide6.QtWidgets import QApplication, QWidget

from intake_app.i18n import Catalog
from intake_app.services.demo import DemoVault
from intake_app.ui.case_table import DeadlineFilter, StatusFilter
from intake_app.ui.controller import SessionController
from intake_app.ui.main_window import MainWindow, Screen
from intake_app.ui.style import apply_style

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "coa-voorbeeld.json"


def wait_until(app: QApplication, condition: Callable[[], bool], timeout_s: float = 30) -> None:
    end = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()
        time.sleep(0.02)


class Shooter:
    def __init__(self, app: QApplication, out: Path) -> None:
        self.app, self.out = app, out
        self.made: list[str] = []
        self.skipped: list[str] = []

    def save(self, widget: QWidget, name: str) -> None:
        settle(self.app)
        widget.grab().save(str(self.out / name))
        self.made.append(name)

    def attempt(self, name: str, shoot: Callable[[], None]) -> None:
        try:
            shoot()
        except Exception:
            traceback.print_exc()
            self.skipped.append(name)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    apply_style(app)
    catalog = Catalog("nl")
    shots = Shooter(app, out)

    # 1. First start: the officer makes a vault.
    first = MainWindow(catalog)
    first_controller = SessionController(first, catalog, Path(tempfile.mkdtemp()) / "vault")
    first_controller.start()
    first_controller.preload()
    first.show()
    wait_until(app, lambda: first.first_run._judge is not None)
    first.first_run.name_edit.setText("Fatima de Vries")
    first.first_run.passphrase_edit.setText("paarse kameel fietst naar Dokkum")
    first.first_run.repeat_edit.setText("paarse kameel fietst naar Dokkum")
    shots.save(first, "01-eerste-start.png")
    first.close()

    demo = DemoVault.create(with_plans=True)
    window = MainWindow(catalog, demo=True)
    controller = SessionController(window, catalog, demo.folder)
    controller.start()
    controller.preload()
    window.show()
    window.lock_screen.name_edit.setText(demo.officer)
    window.lock_screen.passphrase_edit.setFocus()
    shots.save(window, "02-ontgrendelen.png")
    wait_until(app, lambda: controller._judge is not None)
    controller.unlock(demo.officer, demo.passphrase)
    wait_until(app, lambda: window.current_screen() is Screen.WORKSPACE)
    workspace = window.workspace
    workspace.select_case(workspace.model.case_id(0))
    shots.save(window, "03-dossiers.png")

    # The filter as the officer types, and a dashboard count chosen.
    workspace.focus_search()
    workspace.search_edit.setText("ha")
    shots.save(window, "04-zoeken.png")
    workspace.search_edit.clear()
    workspace.set_status_filter(StatusFilter.OPEN)
    workspace.set_deadline_filter(DeadlineFilter.PIP_OVERDUE)
    shots.save(window, "05-verlopen-pip-termijnen.png")
    workspace.set_deadline_filter(DeadlineFilter.ALL)

    ws_controller = controller.workspace_controller
    assert ws_controller is not None

    def coa_preview() -> None:
        from intake_app.services import coa_import
        from intake_app.ui.import_dialog import CoaImportDialog

        dialog = CoaImportDialog(coa_import.preview(controller.session, EXAMPLE), catalog, window)
        dialog.show()
        shots.save(dialog, "06-coa-import-voorbeeld.png")
        dialog.close()
        broken = Path(tempfile.mkdtemp()) / "coa-met-fouten.json"
        broken.write_text(EXAMPLE.read_text(encoding="utf-8").replace('"245816707"', '"245816708"')
                          .replace('"female"', '"vrouw"').replace('"family_name"', '"achternaam"'), encoding="utf-8")
        dialog = CoaImportDialog(coa_import.preview(controller.session, broken), catalog, window)
        dialog.show()
        shots.save(dialog, "07-coa-import-fouten.png")
        dialog.close()

    shots.attempt("coa", coa_preview)

    def life_cycle() -> None:
        from intake_app.services.case_service import DeletionReason
        from intake_app.ui.workspace_dialogs import DeleteDialog, RetentionDialog, TransferExportDialog

        case_id = workspace.model.case_id(1)
        workspace.select_case(case_id)
        ws_controller.close_case(case_id)
        shots.save(window, "08-gesloten-ongedaan-maken.png")
        ws_controller.reopen_case(case_id)
        reasons = [(r, r.label) for r in DeletionReason if r is not DeletionReason.IMPORT_UNDONE]
        dialog = DeleteDialog(ws_controller._name(case_id), reasons, catalog, window)
        dialog.reason_combo.setCurrentIndex(1)
        dialog.show()
        shots.save(dialog, "09-verwijderen.png")
        dialog.close()
        retention = RetentionDialog(controller.session.cases.retention_months(), ws_controller.expired_cases(), catalog,
                                    lambda _m: None, lambda _c: None, window)
        retention.show()
        shots.save(retention, "10-bewaartermijn.png")
        retention.close()
        export = TransferExportDialog(ws_controller._name(case_id), catalog, lambda: None, lambda _p: "", window)
        export.municipality.setText("Gemeente Voorbeeldstad")
        export.show()
        export.municipality.deselect()
        export.passphrase.setFocus()
        shots.save(export, "11-overdragen.png")
        export.close()

    shots.attempt("life cycle", life_cycle)

    # An intake with an interpreter: the officer's window and the client's second screen.
    def intake() -> None:
        workspace.set_status_filter(StatusFilter.ALL)
        target = next(row.id for row in workspace.model.all_rows() if row.display_name == "Amina Haddad")
        controller.session.set_position(target, ("mother_tongues", ""))
        controller.open_case(target)
        wait_until(app, lambda: window.current_screen() is Screen.INTAKE)
        shots.save(window, "12-intake.png")
        controller.show_interpreter(True)
        assert controller.interpreter is not None
        controller.interpreter.resize(1024, 600)
        shots.save(controller.interpreter, "13-tolkvenster.png")
        controller.show_interpreter(False)
        controller.close_case()

    shots.attempt("intake", intake)

    def plan() -> None:
        target = next(row.id for row in workspace.model.all_rows() if row.status == "pip_vastgesteld")
        controller.show_plan(target)  # type: ignore[attr-defined]
        wait_until(app, lambda: window.current_screen() is Screen.PLAN)  # type: ignore[attr-defined]
        shots.save(window, "14-plan.png")
        controller.close_plan()  # type: ignore[attr-defined]

    shots.attempt("plan", plan)

    controller.lock()
    shots.save(window, "15-vergrendeld.png")
    controller.shutdown()
    window.close()
    demo.remove()
    print(f"{len(shots.made)} screenshots in {out}: {', '.join(shots.made)}")
    if shots.skipped:
        print(f"skipped (screen not available): {', '.join(shots.skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
