"""The composition root: starts the GUI or hands a command to the CLI.

Start-up is ordered for speed: Qt and the lock screen first, the storage stack (SQLAlchemy,
SQLCipher, Alembic) in the background while the officer types the passphrase.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from intake_app.i18n import N_


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake-app", description="Brede intake en concept-PIP.")
    parser.add_argument("--vault", type=Path, help="map van de kluis (standaard: in de gebruikersmap)")
    parser.add_argument("--demo", action="store_true", help="wegwerpkluis met fictieve dossiers")
    parser.add_argument("--lock-after", type=float, default=5.0, metavar="MINUTEN",
                        help="automatisch vergrendelen na zoveel minuten niets doen (standaard 5)")
    parser.add_argument("--version", action="version", version=_version())
    return parser


def _version() -> str:
    from intake_app import __version__

    return f"intake_app {__version__}"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Only a word (not an option) can be a command: the plain GUI start skips importing the CLI.
    if argv and not argv[0].startswith("-") and argv[0] in _commands():
        from intake_app.cli import main as cli_main

        return cli_main(argv)
    return run_gui(_gui_parser().parse_args(argv))


def _commands() -> tuple[str, ...]:
    from intake_app.cli import COMMANDS

    return COMMANDS


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    from intake_app import logging_setup
    from intake_app.i18n import Catalog
    from intake_app.services import paths
    from intake_app.ui.controller import SessionController
    from intake_app.ui.main_window import MainWindow
    from intake_app.ui.qt_translations import install_qt_translations
    from intake_app.ui.style import apply_style

    logging_setup.install_crash_hooks(paths.log_folder())
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("intake_app")
    apply_style(app)
    catalog = Catalog("nl")
    folder = args.vault or paths.default_vault_folder()
    demo = None
    if args.demo:
        from intake_app.services.demo import DemoVault

        demo = DemoVault.create()
        folder = demo.folder
    window = MainWindow(catalog, demo=demo is not None)
    controller = SessionController(window, catalog, folder, lock_after_ms=int(args.lock_after * 60_000))
    controller.start()
    if demo is not None:
        window.lock_screen.name_edit.setText(demo.officer)
        window.lock_screen.show_message(DEMO_HINT, passphrase=demo.passphrase)
        window.lock_screen.passphrase_edit.setFocus()
    window.show()
    # Log files (logging.handlers pulls in sockets and queues) are set up once the window is up.
    controller.preloaded.connect(lambda: logging_setup.configure(paths.log_folder()))
    # Qt's own buttons and menus in the officer's language; no dialog can open before this runs.
    controller.preloaded.connect(lambda: install_qt_translations(catalog.locale))
    controller.preload_after_first_paint()
    try:
        return app.exec()
    finally:
        controller.shutdown()
        if demo is not None:
            demo.remove()


DEMO_HINT = N_("Demo: het wachtwoord is ‘{passphrase}’.")
