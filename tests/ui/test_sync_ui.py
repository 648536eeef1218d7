"""Sync in the app: real widgets offscreen, real vaults, a real server (uvicorn on SQLite, in a process).

The server runs once per module; each test gets its own municipality on it, so tests never see each
other's cases. Laptops other than the one in the window sync through the services, as the CLI does.
Set INTAKE_SCREENSHOTS=<folder> to keep the screenshots (docs/img takes them from there).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLineEdit, QRadioButton
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from intake_app.services import sync_service
from intake_app.services.sync_ui_support import SyncSettings
from intake_app.services.vault_service import VaultSession, create_vault
from intake_app.storage import sync_store
from intake_app.storage.keys import KdfParams
from intake_app.sync.server import admin
from intake_app.sync.server.db import create_server_engine, upgrade
from intake_app.ui.main_window import MainWindow, Screen
from intake_app.ui.sync.conflict_dialog import ConflictDialog

from support import OFFICER, PASSPHRASE
from ui_support import Shell, make_shell

COLLEAGUE = "Joris Bakker"
IMPATIENT = SyncSettings(attempts=2, first_delay=0.0, max_delay=0.0, timeout=10.0)
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
_municipalities = itertools.count(9001)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the server ----------------------------------------------------------------------------------------


@dataclass
class SyncServer:
    url: str
    engine: Engine
    port: int


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    path = tmp_path_factory.mktemp("sync-server") / "server.db"
    database = f"sqlite:///{path}"
    engine = create_server_engine(database)
    upgrade(engine)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "intake_app.sync.server.cli", "serve", "--db", database, "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the sync server exited with {process.returncode}")
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("the sync server did not start")
            time.sleep(0.05)
        yield SyncServer(url, engine, port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        engine.dispose()


@dataclass
class Office:
    """One municipality on the server, with two officers."""

    server: SyncServer
    officers: dict[str, int]

    def code(self, officer: str = OFFICER) -> str:
        return admin.create_enrolment_code(self.server.engine, self.officers[officer])


@pytest.fixture
def office(server: SyncServer) -> Office:
    code = str(next(_municipalities))
    admin.create_municipality(server.engine, code, f"Gemeente {code}")
    return Office(server, {name: admin.create_officer(server.engine, code, name) for name in (OFFICER, COLLEAGUE)})


class SlowProxy:
    """Forwards to the server and holds every answer back ``delay`` seconds: a sync that takes a while."""

    def __init__(self, target_port: int, delay: float) -> None:
        self.target_port, self.delay = target_port, delay
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._stop.set()
        self.listener.close()

    def _accept(self) -> None:
        self.listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _address = self.listener.accept()
            except OSError:
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(client, upstream, 0.0), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, self.delay), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, delay: float) -> None:
        try:
            while data := source.recv(65536):
                time.sleep(delay)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()


# -- laptops and the window -------------------------------------------------------------------------


def _vault(folder: Path, officer: str, office: Office | None = None) -> VaultSession:
    session = create_vault(folder, officer, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    if office is not None:
        sync_service.enrol(session, office.server.url, office.code(officer))
    return session


def _case(session: VaultSession, **answers: object) -> str:
    case_id = session.create_case()
    for question_id, value in answers.items():
        session.save_answer(case_id, (question_id, ""), value)
    return case_id


ShellFactory = Callable[[Path], Shell]


@pytest.fixture
def app_style() -> Iterator[None]:
    """The app's own look (the other GUI tests run without it), for the screenshots."""
    from intake_app.ui.style import apply_style

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    sheet, font = app.styleSheet(), app.font()
    apply_style(app)
    yield
    app.setStyleSheet(sheet)
    app.setFont(font)


@pytest.fixture
def shells(qtbot: QtBot) -> Iterator[ShellFactory]:
    made: list[Shell] = []

    def start(folder: Path) -> Shell:
        shell = make_shell(qtbot, folder)
        made.append(shell)
        shell.window.activateWindow()
        _unlock(qtbot, shell)
        assert shell.controller.sync is not None
        shell.controller.sync.settings = IMPATIENT
        return shell

    yield start
    for shell in made:
        shell.controller.shutdown()


def _unlock(qtbot: QtBot, shell: Shell) -> None:
    screen = shell.window.lock_screen
    screen.name_edit.setText(OFFICER)
    screen.passphrase_edit.clear()
    qtbot.keyClicks(screen.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.window.current_screen() is Screen.WORKSPACE, timeout=10_000)


def _shortcut(
    qtbot: QtBot, shell: Shell, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A window shortcut, as pressed by the officer (offscreen, the window may have lost activation)."""
    shell.window.activateWindow()
    qtbot.keyClick(shell.window, key, modifiers)


def _press_f5_and_wait(qtbot: QtBot, shell: Shell) -> None:
    with qtbot.waitSignal(shell.controller.sync.sync_finished, timeout=30_000):
        _shortcut(qtbot, shell, Qt.Key.Key_F5)


def _state(shell: Shell) -> str:
    return shell.controller.sync.status_bar.state_label.text()


def _message(shell: Shell) -> str:
    return shell.controller.sync.status_bar.message.text()


def _save(image: QImage | QPixmap, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("INTAKE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert not image.isNull()
    assert image.save(str(path))
    return path


# -- the sync action and the status line --------------------------------------------------------------


def test_f5_syncs_in_the_background_and_the_status_line_follows(
    qtbot: QtBot, office: Office, tmp_path: Path, shells: ShellFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "laptop"
    session = _vault(folder, OFFICER, office)
    _case(session, given_names="Amina", family_name="Yusuf")
    _case(session, given_names="Yonas", family_name="Tesfaye")
    session.lock()
    shell = shells(folder)
    sync, window = shell.controller.sync, shell.window
    assert "nog nooit" in _state(shell) and "4 wijzigingen wachten" in _state(shell)
    assert sync.status_bar.conflicts_button.isHidden()
    assert window.sync_action.isEnabled() and "(F5)" in window.sync_action.toolTip()

    from intake_app.services import sync_ui_support

    threads: list[str] = []
    real = sync_ui_support.sync_and_refresh

    def spy(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sync_ui_support, "sync_and_refresh", spy)
    window.resize(1366, 768)
    with qtbot.waitSignal(sync.sync_finished, timeout=30_000):
        _shortcut(qtbot, shell, Qt.Key.Key_F5)
        # Right after F5 the GUI thread is free again: the sync runs elsewhere, the bar shows it.
        assert sync.busy
        assert not window.sync_action.isEnabled()
        assert "loopt al een synchronisatie" in window.sync_action.toolTip()
        assert sync.status_bar.progress.isVisible() and sync.status_bar.phase() == "Synchroniseren…"
    assert threads and threads[0].startswith("intake-sync") and threads[0] != threading.main_thread().name
    assert not sync.status_bar.progress.isVisible()
    assert window.sync_action.isEnabled()
    assert "Laatste synchronisatie: vandaag" in _state(shell) and "alles verstuurd" in _state(shell)
    assert "Gesynchroniseerd: 4 verstuurd" in _message(shell)
    assert sync.status_bar.message.property("kind") == "ok"
    assert shell.controller.session.pending_changes() == 0


def _stacked(*pixmaps: QPixmap) -> QImage:
    """Screenshots under each other with a thin gap, for the docs."""
    width = max(p.width() for p in pixmaps)
    image = QImage(width, sum(p.height() for p in pixmaps) + 6 * (len(pixmaps) - 1), QImage.Format.Format_RGB32)
    image.fill(QColor("#9ca3af"))
    painter = QPainter(image)
    y = 0
    for pixmap in pixmaps:
        painter.drawPixmap(0, y, pixmap)
        y += pixmap.height() + 6
    painter.end()
    return image


def test_typing_in_the_wizard_goes_on_during_a_sync_and_goes_out_with_the_next(
    qtbot: QtBot, office: Office, tmp_path: Path, shells: ShellFactory, server: SyncServer, app_style: None
) -> None:
    folder = tmp_path / "laptop"
    session = _vault(folder, OFFICER, office)
    case_id = _case(session, given_names="Amina", family_name="Yusuf")
    sync_service.sync(session)
    colleague = _vault(tmp_path / "colleague", COLLEAGUE, office)
    sync_service.sync(colleague)
    for number in range(60):  # enough for the pull to take a moment
        _case(colleague, given_names=f"Persoon {number}", family_name="Collega", preferred_name="P")
    sync_service.sync(colleague)
    # A slow server: the sync is still running while the officer types.
    proxy = SlowProxy(server.port, delay=0.3)
    sync_store.set_settings(session.vault, {sync_store.SERVER_URL_KEY: f"http://127.0.0.1:{proxy.port}"})
    session.lock()
    try:
        shell = shells(folder)
        sync, bar = shell.controller.sync, shell.controller.sync.status_bar
        sync.settings = SyncSettings(attempts=2, first_delay=0.0, max_delay=0.0, timeout=10.0, pull_page=40)
        shell.controller.open_case(case_id)
        page = shell.window.wizard.current_page()
        assert page is not None
        row = page.row(next(k for k in page.rows if k.question_id == "preferred_name"))
        assert row is not None
        _shortcut(qtbot, shell, Qt.Key.Key_F5)
        row.focus()
        assert sync.busy
        edit = QApplication.focusWidget()
        assert isinstance(edit, QLineEdit)
        qtbot.keyClicks(edit, "Mina")
        qtbot.keyClick(edit, Qt.Key.Key_Return)  # saved at once, while the sync runs
        assert sync.busy
        assert shell.controller.session.answers(case_id)[("preferred_name", "")] == "Mina"
        # Pulling page by page: the bar knows how much there is.
        qtbot.waitUntil(lambda: bar.phase().startswith("Ophalen") and bar.progress.maximum() > 0
                        and 0 < bar.progress.value() < bar.progress.maximum(), timeout=30_000)
        assert bar.progress.isVisible() and re.fullmatch(r"Ophalen \d+ van \d+", bar.phase())
        QApplication.processEvents()  # let the status bar lay out its new texts before the picture
        during = shell.window.statusBar().grab()
        qtbot.waitUntil(lambda: not sync.busy, timeout=30_000)
        assert "Gesynchroniseerd" in _message(shell)
        qtbot.wait(50)
        _save(_stacked(during, shell.window.statusBar().grab()), "sync-status.png", tmp_path)
        assert page.row(row.key).value() == "Mina"  # the pull did not overwrite what was typed
        _press_f5_and_wait(qtbot, shell)
        assert "alles verstuurd" in _state(shell)
    finally:
        proxy.close()
    sync_service.sync(colleague)
    assert colleague.answers(case_id)[("preferred_name", "")] == "Mina"
    colleague.lock()


def test_an_unreachable_server_says_so_in_dutch_and_keeps_the_changes(
    qtbot: QtBot, office: Office, tmp_path: Path, shells: ShellFactory
) -> None:
    folder = tmp_path / "laptop"
    session = _vault(folder, OFFICER, office)
    case_id = _case(session, given_names="Amina", family_name="Yusuf")
    nobody = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    sync_store.set_settings(session.vault, {sync_store.SERVER_URL_KEY: nobody})
    session.lock()
    shell = shells(folder)
    _press_f5_and_wait(qtbot, shell)
    message = _message(shell)
    assert "De server is niet bereikbaar" in message and "blijven bewaard op deze laptop" in message
    assert shell.controller.sync.status_bar.message.property("kind") == "error"
    assert "nog nooit" in _state(shell) and "2 wijzigingen wachten" in _state(shell)
    assert shell.controller.session.pending_changes() == 2
    assert shell.controller.session.answers(case_id)[("given_names", "")] == "Amina"
    assert shell.window.sync_action.isEnabled()  # try again later


# -- enrolment ---------------------------------------------------------------------------------------


def test_a_laptop_that_is_not_enrolled_gets_the_enrol_dialog_and_then_syncs(
    qtbot: QtBot, office: Office, tmp_path: Path, shells: ShellFactory
) -> None:
    colleague = _vault(tmp_path / "colleague", COLLEAGUE, office)
    _case(colleague, given_names="Meron", family_name="Tesfamariam")
    sync_service.sync(colleague)
    colleague.lock()
    folder = tmp_path / "laptop"
    _vault(folder, OFFICER).lock()
    shell = shells(folder)
    sync, window = shell.controller.sync, shell.window
    assert "Niet gekoppeld aan een server" in _state(shell)
    assert "nog niet gekoppeld" in window.sync_action.toolTip()

    _shortcut(qtbot, shell, Qt.Key.Key_F5)
    dialog = sync.enrol_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.server_edit, "intake.gemeente.nl")
    qtbot.keyClick(dialog.server_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.code_edit, "fout-fout")
    qtbot.keyClick(dialog.code_edit, Qt.Key.Key_Return)
    assert "beginnend met https://" in dialog.message.text()

    dialog.server_edit.setText(office.server.url + "/")
    qtbot.keyClick(dialog.code_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "koppelcode is onbekend" in dialog.message.text(), timeout=20_000)
    assert dialog.enrol_button.isEnabled()

    dialog.code_edit.setText(office.code(OFFICER))
    with qtbot.waitSignal(sync.sync_finished, timeout=30_000):  # enrolled, then the first sync at once
        qtbot.keyClick(dialog.code_edit, Qt.Key.Key_Return)
    assert sync.enrol_dialog is None
    assert "Laatste synchronisatie: vandaag" in _state(shell)
    assert sync_service.status(shell.controller.session).server_url == office.server.url
    names = {window.workspace.model.row_data(r).display_name for r in range(window.workspace.model.rowCount())}
    assert "Meron Tesfamariam" in names  # the colleague's case came in with the first sync


# -- conflicts ---------------------------------------------------------------------------------------


def _make_conflicts(office: Office, tmp_path: Path) -> tuple[Path, VaultSession, str]:
    """Both laptops change the birth date and the sex of one case; this laptop syncs last."""
    folder = tmp_path / "laptop"
    mine = _vault(folder, OFFICER, office)
    case_id = _case(mine, given_names="Amina", family_name="Yusuf", date_of_birth="1990-03-12", sex="female")
    sync_service.sync(mine)
    colleague = _vault(tmp_path / "colleague", COLLEAGUE, office)
    sync_service.sync(colleague)
    colleague.save_answer(case_id, ("date_of_birth", ""), "1991-04-13")
    colleague.save_answer(case_id, ("sex", ""), "male")
    sync_service.sync(colleague)
    mine.save_answer(case_id, ("date_of_birth", ""), "1990-12-03")
    mine.save_answer(case_id, ("sex", ""), "unspecified")
    mine.lock()
    return folder, colleague, case_id


def _conflict_dialog(qtbot: QtBot, shell: Shell) -> ConflictDialog:
    dialog = shell.controller.sync.conflict_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.activateWindow()  # offscreen, a new window is not always made the active one
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)
    return dialog


def _click_radio(qtbot: QtBot, button: QRadioButton) -> None:
    """On its circle: a radio button only takes clicks on the circle and its text."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def _mnemonic(qtbot: QtBot, letter: str, button: QRadioButton) -> None:
    """Alt+letter where the focus is; Qt clicks the button a moment later (animateClick)."""
    key = getattr(Qt.Key, f"Key_{letter.upper()}")
    qtbot.keyClick(QApplication.focusWidget(), key, ALT)
    qtbot.waitUntil(button.isChecked, timeout=2_000)


def _cells(dialog: ConflictDialog) -> list[list[str]]:
    return [[dialog.table.item(r, c).text() for c in range(3)] for r in range(dialog.table.rowCount())]


@pytest.mark.parametrize(("choice", "expected"), [
    ("mine", "1990-12-03"), ("theirs", "1991-04-13"), ("new", "1992-01-01"),
])
def test_a_conflict_between_two_laptops_is_shown_and_resolved_each_way(
    qtbot: QtBot, office: Office, tmp_path: Path, shells: ShellFactory, choice: str, expected: str, app_style: None
) -> None:
    folder, colleague, case_id = _make_conflicts(office, tmp_path)
    shell = shells(folder)
    sync, window = shell.controller.sync, shell.window
    _press_f5_and_wait(qtbot, shell)
    assert "2 conflicten om op te lossen" in _message(shell)
    button = sync.status_bar.conflicts_button
    assert button.isVisible() and button.text() == "⚠ 2 conflicten oplossen"
    assert window.workspace.notice.isVisible() and "2 conflicten" in window.workspace.notice_label.text()
    assert _sync_cell(window, case_id).startswith("⚠ 2 conflicten")  # the case list marks the case
    if choice == "mine":
        _save(window.grab(), "caselijst-conflicten.png", tmp_path)

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = _conflict_dialog(qtbot, shell)
    assert _cells(dialog) == [
        ["Amina Yusuf", "Persoon en status › Geboortedatum", "Open"],
        ["Amina Yusuf", "Persoon en status › Geslacht (volgens BRP)", "Open"],
    ]
    # both values as people read them, with who and when
    assert dialog.mine_side.value.text() == "03-12-1990"
    assert dialog.mine_side.who.text().startswith("Fatima de Vries, vandaag ")
    assert dialog.theirs_side.value.text() == "13-04-1991"
    assert dialog.theirs_side.who.text().startswith("Joris Bakker, vandaag ")
    assert not dialog.resolve_button.isEnabled()  # nothing chosen yet
    if choice == "mine":
        qtbot.wait(50)
        _save(_over_window(window, dialog), "conflicten.png", tmp_path)

    if choice == "mine":
        qtbot.mouseClick(dialog.mine_side, Qt.MouseButton.LeftButton)  # anywhere on the card
    elif choice == "theirs":
        _click_radio(qtbot, dialog.theirs_button)
    else:
        _click_radio(qtbot, dialog.new_button)
        edit = QApplication.focusWidget()
        assert isinstance(edit, QLineEdit)  # the wizard's own date field
        edit.selectAll()
        qtbot.keyClicks(edit, "31-02-1992")
        qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
        assert dialog.validation.isVisible()  # the questionnaire's check applies: no 31 February
        assert _cells(dialog)[0][2] == "Open"
        edit.selectAll()
        qtbot.keyClicks(edit, "01-01-1992")
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    assert _cells(dialog)[0][2] == "Opgelost, nog versturen"
    assert _sync_cell(window, case_id) == "⚠ 1 conflict · te verzenden"
    assert dialog.current() is not None and dialog.current().record.key == ("sex", "")  # on to the next
    assert dialog.mine_side.value.text() == "Onbekend / X" and dialog.theirs_side.value.text() == "Man"
    qtbot.mouseClick(dialog.theirs_side, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    assert [row[2] for row in _cells(dialog)] == ["Opgelost, nog versturen"] * 2
    assert "volgende synchronisatie" in dialog.note.text() and "‘Man’" in dialog.note.text()
    assert dialog.done_label.isVisible() and "Synchroniseer (F5)" in dialog.done_label.text()
    assert button.isHidden()  # nothing left to decide; the choices wait for the next sync
    assert _sync_cell(window, case_id) == "te verzenden"
    assert shell.controller.session.answers(case_id)[("date_of_birth", "")] == expected

    with qtbot.waitSignal(sync.sync_finished, timeout=30_000):
        qtbot.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 0 and "geen conflicten" in dialog.empty_label.text()
    sync_service.sync(colleague)
    assert colleague.answers(case_id)[("date_of_birth", "")] == expected
    assert colleague.answers(case_id)[("sex", "")] == "male"
    assert sync_service.list_conflicts(colleague) == []
    colleague.lock()


def _sync_cell(window: MainWindow, case_id: str) -> str:
    """The case list's synchronisation column for a case, as shown."""
    from intake_app.ui.case_table import SYNC

    model = window.workspace.model
    return str(model.data(model.index(model.row_of(case_id), SYNC), Qt.ItemDataRole.DisplayRole))


def _over_window(window: MainWindow, dialog: ConflictDialog) -> QImage:
    """The dialog where it sits over the main window, as one 1366×768 picture."""
    base = window.grab()
    image = QImage(base.size(), QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.drawPixmap(0, 0, base)
    painter.fillRect(image.rect(), QColor(0, 0, 0, 70))
    shot = dialog.grab()
    corner = QPoint((base.width() - shot.width()) // 2, (base.height() - shot.height()) // 2)
    painter.drawPixmap(corner, shot)
    painter.setPen(QColor("#6b7280"))
    painter.drawRect(corner.x() - 1, corner.y() - 1, shot.width() + 1, shot.height() + 1)
    painter.end()
    return image


def test_the_conflict_screen_works_with_the_keyboard_only(
    qtbot: QtBot, office: Office, tmp_path: Path, shells: ShellFactory
) -> None:
    folder, colleague, case_id = _make_conflicts(office, tmp_path)
    colleague.lock()
    shell = shells(folder)
    _press_f5_and_wait(qtbot, shell)
    _shortcut(qtbot, shell, Qt.Key.Key_K, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = _conflict_dialog(qtbot, shell)
    dialog.activateWindow()
    assert QApplication.focusWidget() is dialog.table
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)  # arrows move through the list
    assert dialog.current() is not None and dialog.current().record.key == ("sex", "")
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up)
    assert dialog.current() is not None and dialog.current().record.key == ("date_of_birth", "")
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # nothing chosen: Enter does nothing
    assert _cells(dialog)[0][2] == "Open"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.mine_button

    # the birth date: Alt+N goes to the wizard's date field; an impossible date is refused
    _mnemonic(qtbot, "n", dialog.new_button)
    edit = QApplication.focusWidget()
    assert isinstance(edit, QLineEdit)
    qtbot.keyClick(edit, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(edit, "31-02-1992")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.validation.isVisible() and _cells(dialog)[0][2] == "Open"
    qtbot.keyClick(edit, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(edit, "01-01-1992")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert _cells(dialog)[0][2] == "Opgelost, nog versturen"

    # the sex: back in the list on the next open conflict; Alt+C takes the colleague's value
    assert QApplication.focusWidget() is dialog.table
    assert dialog.current() is not None and dialog.current().record.key == ("sex", "")
    _mnemonic(qtbot, "c", dialog.theirs_button)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert [row[2] for row in _cells(dialog)] == ["Opgelost, nog versturen"] * 2
    assert QApplication.focusWidget() is dialog.sync_button  # the next step: send the choices

    # changing one's mind before the sync: Alt+M on the resolved sex keeps this laptop's value after all
    _mnemonic(qtbot, "m", dialog.mine_button)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert shell.controller.session.answers(case_id)[("sex", "")] == "unspecified"
    assert shell.controller.session.answers(case_id)[("date_of_birth", "")] == "1992-01-01"

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert shell.controller.sync.conflict_dialog is None


def test_the_open_case_shows_its_conflicts_and_what_the_pull_changed(
    qtbot: QtBot, office: Office, tmp_path: Path, shells: ShellFactory
) -> None:
    folder, colleague, case_id = _make_conflicts(office, tmp_path)
    colleague.save_answer(case_id, ("preferred_name", ""), "Ami")  # a field only the colleague changed
    sync_service.sync(colleague)
    colleague.lock()
    shell = shells(folder)
    window = shell.window
    shell.controller.open_case(case_id)
    wizard = window.wizard
    assert wizard.conflict_button.isHidden()  # nothing known yet: this laptop has not synced
    page = wizard.current_page()
    assert page is not None
    given = page.row(next(k for k in page.rows if k.question_id == "given_names"))
    assert given is not None and given.editor is not None
    given.focus()
    qtbot.keyClicks(QApplication.focusWidget(), " Fatuma")  # typing, not yet saved

    _press_f5_and_wait(qtbot, shell)
    preferred = page.row(next(k for k in page.rows if k.question_id == "preferred_name"))
    assert preferred is not None and preferred.value() == "Ami"  # the colleague's edit is on screen
    assert shell.controller.intake is not None
    assert shell.controller.intake.interview.answer(preferred.key) == "Ami"
    assert given.value() == "Amina Fatuma"  # what the officer typed stays, and was saved
    assert shell.controller.session.answers(case_id)[("given_names", "")] == "Amina Fatuma"
    assert wizard.conflict_button.isVisible() and wizard.conflict_button.text() == "⚠ 2 conflicten"

    qtbot.mouseClick(wizard.conflict_button, Qt.MouseButton.LeftButton)
    dialog = _conflict_dialog(qtbot, shell)
    assert dialog.windowTitle() == "Conflicten oplossen — Amina Fatuma Yusuf"
    qtbot.mouseClick(dialog.theirs_side, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    date_row = page.row(next(k for k in page.rows if k.question_id == "date_of_birth"))
    assert date_row is not None and date_row.value() == "1991-04-13"  # the choice shows in the wizard
    assert wizard.conflict_button.text() == "⚠ 1 conflict"
    shell.controller.lock()  # as the idle lock does: no personal data stays on screen
    assert shell.controller.sync.conflict_dialog is None and not dialog.isVisible()
    assert wizard.conflict_button.isHidden()


def test_locking_during_a_sync_waits_for_it_and_loses_nothing(
    qtbot: QtBot, office: Office, tmp_path: Path, shells: ShellFactory, server: SyncServer
) -> None:
    folder = tmp_path / "laptop"
    session = _vault(folder, OFFICER, office)
    case_id = _case(session, given_names="Amina", family_name="Yusuf", preferred_name="Ami")
    proxy = SlowProxy(server.port, delay=0.5)
    sync_store.set_settings(session.vault, {sync_store.SERVER_URL_KEY: f"http://127.0.0.1:{proxy.port}"})
    session.lock()
    try:
        shell = shells(folder)
        sync, window = shell.controller.sync, shell.window
        old = shell.controller.session
        _shortcut(qtbot, shell, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: "Versturen" in sync.status_bar.phase(), timeout=10_000)
        _shortcut(qtbot, shell, Qt.Key.Key_L, CTRL)  # the push is on its way
        assert window.current_screen() is Screen.LOCK and shell.controller.session is None
        assert window.workspace.model.rowCount() == 0  # the screen locks at once
        assert sync.closing and old.is_open  # the vault closes when the sync has stopped
        # The officer unlocks again straight away: that waits for the close, then opens.
        screen = window.lock_screen
        qtbot.keyClicks(screen.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not sync.closing, timeout=20_000)
        assert not old.is_open
        qtbot.waitUntil(lambda: window.current_screen() is Screen.WORKSPACE, timeout=10_000)
        assert shell.controller.session.answers(case_id)[("given_names", "")] == "Amina"
        _press_f5_and_wait(qtbot, shell)
        assert "alles verstuurd" in _state(shell)
    finally:
        proxy.close()
    colleague = _vault(tmp_path / "colleague", COLLEAGUE, office)
    sync_service.sync(colleague)
    assert colleague.answers(case_id)[("preferred_name", "")] == "Ami"
    colleague.lock()


def test_each_option_of_the_conflict_screen_has_its_own_mnemonic(
    qtbot: QtBot, office: Office, tmp_path: Path, shells: ShellFactory
) -> None:
    folder, colleague, _case_id = _make_conflicts(office, tmp_path)
    colleague.lock()
    shell = shells(folder)
    _press_f5_and_wait(qtbot, shell)
    shell.controller.sync.show_conflicts()
    dialog = _conflict_dialog(qtbot, shell)
    texts = [button.text() for button in dialog.findChildren(QRadioButton) if "&" in button.text()]
    texts += [dialog.resolve_button.text(), dialog.sync_button.text()]
    keys = [text[text.index("&") + 1].lower() for text in texts]
    assert len(keys) == len(set(keys)) == 5


def test_the_status_line_and_the_actions_follow_the_officer_language(
    qtbot: QtBot, office: Office, tmp_path: Path, shells: ShellFactory
) -> None:
    folder = tmp_path / "laptop"
    session = _vault(folder, OFFICER, office)
    _case(session, given_names="Amina")
    session.lock()
    shell = shells(folder)
    shell.window.officer_language_chosen.emit("en")
    assert _state(shell) == "Last sync: never · 1 change waiting"
    assert shell.window.sync_action.text() == "&Synchronise"
    assert shell.window.sync_action.toolTip().endswith("(F5)")
    _press_f5_and_wait(qtbot, shell)
    assert _message(shell).startswith("Synchronised: 1 sent")
    shell.window.officer_language_chosen.emit("nl")
    assert _message(shell).startswith("Gesynchroniseerd: 1 verstuurd")
    assert "alles verstuurd" in _state(shell)


def test_answers_and_questions_read_as_the_officer_knows_them() -> None:
    from datetime import datetime, timedelta

    from intake_app.forms import load_intake_form
    from intake_app.i18n import Catalog
    from intake_app.ui.sync.texts import question_text, value_text, when_text

    form, nl = load_intake_form(), Catalog("nl")
    assert value_text(form, "mother_tongues", ["ti", "ar"], nl) == "Tigrinya, Arabisch"
    assert value_text(form, "sex", "female", nl) == "Vrouw"
    assert value_text(form, "has_children", "unknown", nl) == "Onbekend"
    assert value_text(form, "date_of_birth", "1990-03-12", nl) == "12-03-1990"
    assert value_text(form, "children", ["a1", "b2"], nl) == "2 regels"
    assert value_text(form, "sex", None, nl) == "(geen antwoord)"
    answers = {("children", ""): ["e1", "e2"]}
    page = form.domain_of("children").title
    assert question_text(form, ("child_date_of_birth", "e2"), nl, answers) == f"{page} › Kind 2 › Geboortedatum kind"
    assert question_text(form, ("gone_question", ""), nl) == "vraag ‘gone_question’ (niet meer in de vragenlijst)"
    now = datetime.now().astimezone()
    assert when_text(None, nl) == "nog nooit"
    assert when_text(now, nl) == f"vandaag {now:%H:%M}"
    assert when_text(now - timedelta(days=1), nl) == f"gisteren {now:%H:%M}"
    assert when_text(now - timedelta(days=3), nl) == f"{now - timedelta(days=3):%d-%m-%Y %H:%M}"
    assert value_text(form, "sex", "male", Catalog("en")) == "Male"


def test_a_case_a_colleague_deleted_closes_here_with_a_word_why(
    qtbot: QtBot, office: Office, tmp_path: Path, shells: ShellFactory
) -> None:
    from intake_app.services.case_service import DeletionReason

    folder = tmp_path / "laptop"
    mine = _vault(folder, OFFICER, office)
    case_id = _case(mine, given_names="Amina", family_name="Yusuf")
    sync_service.sync(mine)
    mine.lock()
    colleague = _vault(tmp_path / "colleague", COLLEAGUE, office)
    sync_service.sync(colleague)
    colleague.cases.delete(case_id, DeletionReason.DUPLICATE)
    sync_service.sync(colleague)
    colleague.lock()

    shell = shells(folder)
    shell.controller.open_case(case_id)
    assert shell.window.current_screen() is Screen.INTAKE
    _press_f5_and_wait(qtbot, shell)
    assert shell.window.current_screen() is Screen.WORKSPACE
    assert shell.controller.intake is None
    assert "door een collega verwijderd" in shell.window.workspace.notice_label.text()
    assert shell.controller.session is not None and not shell.controller.session.has_case(case_id)


def test_the_open_plan_shows_the_versions_and_advice_a_pull_brought(
    qtbot: QtBot, office: Office, tmp_path: Path, shells: ShellFactory
) -> None:
    from datetime import date

    from planstep.planstep_profiles import refugee

    from intake_app.services import plan_service as ps

    folder = tmp_path / "laptop"
    mine = _vault(folder, OFFICER, office)
    case_id = mine.create_case(client_language="en")
    mine.apply_changes(case_id, list(refugee(lbt_score=20).items()))  # advice: Z-route
    sync_service.sync(mine)
    mine.lock()
    colleague = _vault(tmp_path / "colleague", COLLEAGUE, office)
    sync_service.sync(colleague)

    shell = shells(folder)
    shell.controller.show_plan(case_id)
    step = shell.window.plan_step
    assert shell.window.current_screen() is Screen.PLAN
    assert step.versions.count() == 1 and COLLEAGUE not in step.versions.item(0).text()  # "no versions yet"
    advice_before = (step.advice_status.text(), step.reasons.text())
    step.provider.setText("Taalschool Noord")  # typed here, not saved yet

    # Meanwhile the colleague corrects the language test score and saves a concept plan.
    assert "Z-route" in advice_before[0]
    colleague.save_answer(case_id, ("lbt_score", ""), 32)
    plan = ps.open_plan(colleague, case_id, date.today())
    assert plan.advice is not None and plan.advice.proposed_route is not None
    ps.save_plan(colleague, plan, ps.build_plan(plan, plan.advice.proposed_route, on=date.today()), fix=False)
    sync_service.sync(colleague)
    colleague.lock()

    _press_f5_and_wait(qtbot, shell)
    assert step.versions.count() == 1 and COLLEAGUE in step.versions.item(0).text()
    assert "B1-route" in step.advice_status.text()  # the advice follows the corrected score
    assert step.provider.text() == "Taalschool Noord"  # what the officer typed stays
    assert shell.controller.plan is not None and len(shell.controller.plan.plan.versions) == 1  # type: ignore[union-attr]
