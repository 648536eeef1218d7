"""The sync line in the status bar: when it last synced, what waits, conflicts, progress, the outcome.

Shown while the vault is unlocked. The progress bar appears only while a sync runs (push, then
pull; it moves once it knows how much there is). The conflicts button opens the conflict screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget

from intake_app.i18n import N_, NP_, Catalog
from intake_app.ui.sync.texts import when_text

LAST_SYNC = N_("Laatste synchronisatie: {when}")
WAITING = NP_("{count} wijziging wacht", "{count} wijzigingen wachten")
NOTHING_WAITING = N_("alles verstuurd")
NOT_ENROLLED = N_("Niet gekoppeld aan een server")
CONFLICTS = NP_("⚠ {count} conflict oplossen", "⚠ {count} conflicten oplossen")
CONFLICTS_TIP = N_("Conflicten oplossen (Ctrl+Shift+K)")
STATE_TIP = N_("Server: {server}")
STARTING = N_("Synchroniseren…")
PUSHING = N_("Versturen {done} van {total}")
PULLING = N_("Ophalen {done} van {total}")
PROGRESS_NAME = N_("Voortgang van de synchronisatie")
SEPARATOR = " · "
SUCCESS_SHOWN_MS = 30_000

STYLE = """
QLabel#syncMessage[kind="ok"] { color: #15803d; }
QLabel#syncMessage[kind="error"] { color: #b91c1c; font-weight: 600; }
QLabel#syncState { color: #374151; }
QPushButton#syncConflicts { color: #9a3412; background: #fff7ed; border: 1px solid #fdba74; padding: 1px 10px;
    font-weight: 600; }
QPushButton#syncConflicts:focus { border: 2px solid #f59e0b; }
QProgressBar#syncProgress { min-width: 140px; max-width: 140px; max-height: 14px; }
QLabel#syncPhase { color: #1e3a8a; font-weight: 600; }
"""


class _ElidedLabel(QLabel):
    """Gives way to the permanent part of the status bar: a long message ends in '…' (full text as tooltip)."""

    def __init__(self, name: str) -> None:
        super().__init__(objectName=name)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)


class SyncStatusBar(QWidget):
    """The permanent part (right): state, conflicts, progress. The message sits left, as ``message``."""

    conflicts_requested = Signal()

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setStyleSheet(STYLE)
        self._catalog = catalog
        self.progress = QProgressBar(objectName="syncProgress")
        self.progress.setTextVisible(False)  # a busy bar shows no text in most styles: the label does
        self.progress.hide()
        self.phase_label = QLabel(objectName="syncPhase")
        self.phase_label.hide()
        self.state_label = QLabel(objectName="syncState")
        self.conflicts_button = QPushButton(objectName="syncConflicts")
        self.conflicts_button.setFlat(True)
        self.conflicts_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.conflicts_button.setAutoDefault(False)
        self.conflicts_button.clicked.connect(self.conflicts_requested)
        self.conflicts_button.hide()
        # The outcome of the last sync: left in the status bar, where long texts have room.
        self.message = _ElidedLabel("syncMessage")
        self.message.setStyleSheet(STYLE)
        self._message_timer = QTimer(self, singleShot=True, interval=SUCCESS_SHOWN_MS)
        self._message_timer.timeout.connect(self.clear_message)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(10)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.state_label)
        layout.addWidget(self.conflicts_button)
        self._enrolled = False
        self._server = ""
        self._waiting = 0
        self._to_resolve = 0
        self._last_sync: datetime | None = None
        self._phase_text: Callable[[Catalog], str] | None = None
        self._render_message: Callable[[Catalog], str] | None = None
        self.retranslate(catalog)

    def retranslate(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self.progress.setAccessibleName(catalog.gettext(PROGRESS_NAME))
        self.conflicts_button.setToolTip(catalog.gettext(CONFLICTS_TIP))
        self._show_state()
        if self._phase_text is not None:
            self._set_phase(self._phase_text)
        if self._render_message is not None:
            self.message.setText(self._render_message(catalog))
            self.message.setToolTip(self.message.text())

    # -- state -------------------------------------------------------------------------------------

    def show_overview(
        self, enrolled: bool, server: str, waiting: int, to_resolve: int, last_sync: datetime | None
    ) -> None:
        """``last_sync`` None: never synced."""
        self._enrolled, self._server, self._waiting = enrolled, server, waiting
        self._to_resolve, self._last_sync = to_resolve, last_sync
        self._show_state()

    def _show_state(self) -> None:
        catalog = self._catalog
        _ = catalog.gettext
        if not self._enrolled:
            parts = [_(NOT_ENROLLED)]
            if self._waiting:
                parts.append(catalog.ngettext(*WAITING, self._waiting).format(count=self._waiting))
            self.state_label.setText(SEPARATOR.join(parts))
            self.state_label.setToolTip("")
        else:
            waiting = (catalog.ngettext(*WAITING, self._waiting).format(count=self._waiting) if self._waiting
                       else _(NOTHING_WAITING))
            when = when_text(self._last_sync, catalog)
            self.state_label.setText(SEPARATOR.join([_(LAST_SYNC).format(when=when), waiting]))
            self.state_label.setToolTip(_(STATE_TIP).format(server=self._server))
        count = self._to_resolve
        self.conflicts_button.setText(catalog.ngettext(*CONFLICTS, count).format(count=count))
        self.conflicts_button.setAccessibleName(self.conflicts_button.text())
        self.conflicts_button.setVisible(count > 0)

    # -- a running sync --------------------------------------------------------------------------------

    def show_started(self) -> None:
        self.clear_message()
        self.progress.setRange(0, 0)  # busy until the first step says how much there is
        self._set_phase(lambda catalog: catalog.gettext(STARTING))
        self.progress.show()
        self.phase_label.show()

    def show_progress(self, pulling: bool, done: int, total: int) -> None:
        text = PULLING if pulling else PUSHING
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
        self._set_phase(lambda catalog: catalog.gettext(text).format(done=done, total=total))

    def show_finished(self) -> None:
        self.progress.hide()
        self.phase_label.hide()
        self.phase_label.clear()
        self._phase_text = None

    def phase(self) -> str:
        """What the running sync is doing ("Versturen 3 van 10"); "" when none runs."""
        return self.phase_label.text() if self._phase_text is not None else ""

    def _set_phase(self, text: Callable[[Catalog], str]) -> None:
        self._phase_text = text
        self.phase_label.setText(text(self._catalog))
        self.progress.setAccessibleDescription(self.phase_label.text())

    # -- the outcome -------------------------------------------------------------------------------------

    def show_message(self, render: Callable[[Catalog], str], *, error: bool) -> None:
        """A success fades after a while; an error stays until the next sync."""
        self._render_message = render
        self.message.setProperty("kind", "error" if error else "ok")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(render(self._catalog))
        self.message.setToolTip(self.message.text())
        if error:
            self._message_timer.stop()
        else:
            self._message_timer.start()

    def clear_message(self) -> None:
        self._render_message = None
        self._message_timer.stop()
        self.message.clear()
        self.message.setToolTip("")

    def clear(self) -> None:
        """Locked: nothing shown."""
        self.clear_message()
        self.show_finished()
        self.show_overview(False, "", 0, 0, None)
        self.state_label.clear()
