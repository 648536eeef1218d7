"""Screenshots of the app's screens, offscreen, for looking at them and for the user guide.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("INTAKE_APP_HOME", tempfile.mkdtemp(prefix="intake-shots-"))

from PySide6.QtWidgets import QApplication

from intake_app.i18n import Catalog
from intake_app.services.demo import DemoVault
from intake_app.ui.controller import SessionController
from intake_app.ui.main_window import MainWindow, Screen
from intake_app.ui.style import apply_style


def wait_until(app: QApplication, condition: object, timeout_s: float = 20) -> None:
    import time

    end = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < end:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.01)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    apply_style(app)
    catalog = Catalog("nl")

    first = MainWindow(catalog)
    first_controller = SessionController(first, catalog, Path(tempfile.mkdtemp()) / "vault")
    first_controller.start()
    first_controller.preload()
    first.show()
    wait_until(app, lambda: first.first_run._judge is not None)
    first.first_run.name_edit.setText("Fatima de Vries")
    first.first_run.passphrase_edit.setText("welkom2026")
    app.processEvents()
    first.grab().save(str(out / "01-eerste-start.png"))

    demo = DemoVault.create()
    window = MainWindow(catalog, demo=True)
    controller = SessionController(window, catalog, demo.folder)
    controller.start()
    window.show()
    window.lock_screen.name_edit.setText(demo.officer)
    app.processEvents()
    window.grab().save(str(out / "02-vergrendeld.png"))
    controller.unlock(demo.officer, demo.passphrase)
    wait_until(app, lambda: window.current_screen() is Screen.WORKSPACE)
    window.workspace.table.selectRow(0)
    app.processEvents()
    window.grab().save(str(out / "03-dossiers.png"))
    controller.open_case(window.workspace.selected_case())
    wait_until(app, lambda: window.current_screen() is Screen.INTAKE)
    intake = controller.intake
    assert intake is not None
    for number, domain in enumerate(intake.form.domains, start=1):
        if not intake.interview.is_domain_relevant(domain.id):
            continue
        intake.show_domain(domain.id)
        app.processEvents()
        window.grab().save(str(out / f"04-intake-{number:02d}-{domain.id}.png"))
    controller.shutdown()
    demo.remove()
    print(f"screenshots in {out}/")


if __name__ == "__main__":
    main()
