"""Runs the plan step for one case: the service advises, decides and stores; the step shows.

A refused decision (a deviation without enough motivation, a missing amendment reason) is the
plan package's own Dutch message, shown under the fields; nothing is stored then. The preview is
the draft rendered in memory, a moment after the officer stops changing it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from intake_app.i18n import N_, Catalog
from intake_app.plan import AdviceStatus, Route, urgency_of
from intake_app.plan.text import format_value
from intake_app.services import plan_service as ps
from intake_app.ui.plan.preview import first_page_image
from intake_app.ui.plan.step import ADVISED, PAGE_COUNT, PlanStep

log = logging.getLogger(__name__)

PROPOSED = N_("Advies: {route} — {status}.")
NOT_PROPOSED = N_("Nog geen route voorgesteld — {status}.")
NO_ADVICE = N_("Nog geen advies mogelijk.")
VERSION_ROW = N_("Versie {number} — {date} — {route} — {state}{reason} — {officer}")
STATES = {ps.VersionState.CONCEPT: N_("concept"), ps.VersionState.FIXED: N_("vastgesteld")}
SAVED = N_("Versie {number} opgeslagen als {state}.")
EXPORTED = N_("Versie {number} ({language}) geëxporteerd. Het exporteren staat in het logboek.")
SAVE_FIRST = N_("Sla eerst een versie op; exporteren kan alleen een opgeslagen versie.")
NO_PREVIEW = N_("Geen voorbeeld: {reason}")
PREVIEW_FAILED = N_("het voorbeeld kon niet worden gemaakt")
CHOOSE_ROUTE = N_("Kies een route; dan verschijnt hier het plan.")
DECISION_INCOMPLETE = N_("het besluit is nog niet compleet; zie de melding bij het besluit.")
DUE_STATE = N_("{date} — {urgency}")
FIXED_ON = N_("vastgesteld op {date} (versie {number})")
CONFIRM_TITLE = N_("Plan vaststellen")
CONFIRM_TEXT = N_(
    "Het plan wordt vastgesteld: het is dan een besluit met dagtekening {date}. Daarna kan het alleen "
    "nog worden gewijzigd om een van de drie wettelijke redenen. Doorgaan?"
)
EXPORT_TITLE = N_("PIP exporteren")
PDF_FILTER = N_("PDF-bestanden (*.pdf)")
SAVE_FAILED = N_("Opslaan mislukt: {reason}")


class PlanController(QObject):
    saved = Signal(str)  # case id: the case list shows the new status
    closed = Signal()
    intake_requested = Signal(str)

    def __init__(
        self, step: PlanStep, session: Any, case_id: str, catalog: Catalog, parent: QObject | None = None, *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.step = step
        self.session = session
        self.case_id = case_id
        self.catalog = catalog
        self.today = today
        # Replaceable in tests: the dialogs a real officer answers.
        self.confirm_fix: Callable[[date], bool] = self._ask_confirm_fix
        self.ask_export_path: Callable[[str], Path | None] = self._ask_export_path
        self.plan: ps.CasePlan | None = None
        self.proposal: ps.PlanProposal | None = None
        self.language = "nl"
        self._preview_timer = QTimer(self, singleShot=True, interval=350)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self._connections = [
            (step.inputs_changed, self._on_step_inputs_changed),
            (step.language_chosen, self._on_step_language_chosen),
            (step.save_requested, self.save),
            (step.export_requested, self.export),
            (step.back_requested, self.closed),
            (step.intake_requested, self._on_step_intake_requested),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)

    def detach(self) -> None:
        self._preview_timer.stop()
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self.step.clear()

    # -- opening -------------------------------------------------------------------------------

    def open(self, title: str) -> None:
        self.step.clear()
        self.step.case_title.setText(title)
        self.plan = ps.open_plan(self.session, self.case_id, self.today())
        plan = self.plan
        latest = plan.latest
        self.language = plan.client_language if plan.client_language in _languages() else "nl"
        self.step.set_language(self.language)
        self._show_advice()
        route = latest.route if latest is not None else (plan.advice.proposed_route if plan.advice else None)
        self.step.choose_route(route)
        self.step.motivation.blockSignals(True)
        self.step.motivation.setPlainText(latest.motivation if latest is not None and plan.fixed_version is None
                                          else "")
        self.step.motivation.blockSignals(False)
        extras = latest.extras if latest is not None else ps.PlanExtras()
        self.step.provider.setText(extras.provider_name)
        self.step.municipality.setText(extras.municipality)
        today = self.today()
        self.step.set_dagtekening(today.year, today.month, today.day)
        self.step.set_amendment_reasons(plan.fixed_version is not None)
        self._show_versions()
        self.rebuild()
        self.refresh_preview()
        checked = self.step.route_group.checkedButton()
        (checked or self.step.route_buttons[Route.B1]).setFocus()

    def reload(self) -> None:
        """A sync brought answers or plan versions of this case: show the advice and the versions
        as they are now; what the officer chose and typed on this screen (not saved) stays."""
        if self.plan is None:
            return
        was_fixed = self.plan.fixed_version is not None
        self.plan = ps.open_plan(self.session, self.case_id, self.today())
        if (self.plan.fixed_version is not None) != was_fixed:
            self.step.set_amendment_reasons(self.plan.fixed_version is not None)  # a colleague fixed it
        self._show_advice()
        self._show_versions()
        self.rebuild()
        self.refresh_preview()

    def retranslate(self, catalog: Catalog) -> None:
        """The officer switched the screen language: show the same advice and dates in it."""
        self.catalog = catalog
        if self.plan is not None:
            self._show_advice()
            self._show_versions()
            self.rebuild()

    def _show_advice(self) -> None:
        assert self.plan is not None
        _ = self.catalog.gettext
        advice = self.plan.advice
        if advice is None:
            problem = self.plan.advice_error.render(self.catalog) if self.plan.advice_error else ""
            self.step.set_advice(_(NO_ADVICE), [], [], problem)
            self.step.set_route_labels({})
            return
        status = _(advice.status.label)
        if advice.proposed_route is not None:
            text = _(PROPOSED).format(route=_(advice.proposed_route.label), status=status)
        else:
            text = _(NOT_PROPOSED).format(status=status)
        reasons = [rule.render(self.catalog) for rule in advice.fired]
        why_not = [(_(rejection.route.label), [rule.render(self.catalog) for rule in rejection.reasons])
                   for rejection in advice.rejected]
        self.step.set_advice(text, reasons, why_not)
        labels = {route: _(route.label) for route in Route}
        if advice.proposed_route is not None and advice.status is not AdviceStatus.INCOMPLETE:
            labels[advice.proposed_route] = _(ADVISED).format(route=labels[advice.proposed_route])
        self.step.set_route_labels(labels)

    def _show_versions(self) -> None:
        assert self.plan is not None
        _ = self.catalog.gettext
        rows = [
            _(VERSION_ROW).format(
                number=version.number, date=format_value(version.dagtekening, self.catalog),
                route=_(version.route.label), state=_(STATES[version.state]),
                reason=f" ({_(version.amendment_reason.label)})" if version.amendment_reason else "",
                officer=version.created_by,
            )
            for version in reversed(self.plan.versions)
        ]
        self.step.set_versions(rows)

    # -- the draft -----------------------------------------------------------------------------

    def _inputs(self) -> tuple[Route | None, date, ps.PlanExtras]:
        day = self.step.dagtekening.date()
        extras = ps.PlanExtras(provider_name=self.step.provider.text(), municipality=self.step.municipality.text())
        return self.step.chosen_route(), date(day.year(), day.month(), day.day()), extras

    def rebuild(self) -> ps.PlanProposal | None:
        """Decide and build the draft from the fields; show the plan package's message if refused."""
        if self.plan is None:
            return None
        route, on, extras = self._inputs()
        self._show_deadlines(on)
        self.proposal = None
        if route is None or self.plan.advice is None:
            self.step.show_message("")
            return None
        fixed = self.plan.fixed_version
        try:
            fixed_content = ps.stored_content(self.session, self.case_id, fixed.number) if fixed else None
            self.proposal = ps.build_plan(
                self.plan, route, on=on, motivation=self.step.motivation.toPlainText(), extras=extras,
                amendment_reason=self.step.amendment_reason(), fixed_content=fixed_content,
                step_down=self.step.step_down_evidence(),
            )
        except ps.PlanValidationError as error:
            self.step.show_message(error.render(self.catalog))
            return None
        self.step.show_message("")
        self._show_deadlines(on)
        return self.proposal

    def _show_deadlines(self, on: date) -> None:
        assert self.plan is not None

        def show(day: date) -> str:
            return format_value(day, self.catalog)

        values: dict[str, str] = {}
        deadlines = self.plan.deadlines(on)
        fixed = self.plan.fixed_version
        if fixed is not None:
            values["pip_due"] = self.catalog.gettext(FIXED_ON).format(date=show(fixed.dagtekening),
                                                                      number=fixed.number)
        elif deadlines is not None and deadlines.pip_due is not None:
            due = deadlines.pip_due.due
            urgency = urgency_of(due, self.today())
            values["pip_due"] = self.catalog.gettext(DUE_STATE).format(
                date=show(due), urgency=self.catalog.gettext(urgency.label))
        content = self.proposal.content if self.proposal is not None else None
        if content is not None:
            values["term_end"] = show(content.deadlines.term_end)
            values["route_switch"] = show(content.deadlines.route_switch_last_day)
            if content.ontzorgen is not None:
                values["ontzorgen_review"] = show(content.ontzorgen.review_date)
        elif deadlines is not None:
            values["term_end"] = show(deadlines.term.end)
            values["route_switch"] = show(deadlines.route_switch_last_day)
            if deadlines.ontzorgen_review is not None:
                values["ontzorgen_review"] = show(deadlines.ontzorgen_review)
        self.step.set_deadlines(values)

    def refresh_preview(self) -> None:
        self._preview_timer.stop()
        _ = self.catalog.gettext
        if self.plan is None or self.proposal is None:
            route_chosen = self.step.chosen_route() is not None
            reason = _(DECISION_INCOMPLETE) if route_chosen else _(CHOOSE_ROUTE)
            self.step.set_preview(None, _(NO_PREVIEW).format(reason=reason) if route_chosen else reason)
            return
        try:
            pdf = ps.preview_pdf(self.plan, self.proposal, self.language)
            image, pages = first_page_image(pdf, self.step.preview_width())
        except Exception as error:  # a preview must never cost the officer the decision
            log.error("plan preview failed: %s", type(error).__name__)
            self.step.set_preview(None, _(NO_PREVIEW).format(reason=_(PREVIEW_FAILED)))
            return
        self.step.set_preview(image, _(PAGE_COUNT).format(pages=pages))

    def _on_step_inputs_changed(self) -> None:
        self.rebuild()
        self._preview_timer.start()

    def _on_step_language_chosen(self, locale: str) -> None:
        self.language = locale
        self.refresh_preview()

    def _on_step_intake_requested(self) -> None:
        self.intake_requested.emit(self.case_id)

    # -- saving and exporting -----------------------------------------------------------------

    def save(self, fix: bool) -> bool:
        """Store the draft as the next version; refused (nothing stored) when the plan package says no."""
        _ = self.catalog.gettext
        proposal = self.rebuild()
        if self.plan is None or proposal is None:
            if self.step.chosen_route() is None:
                self.step.route_buttons[Route.B1].setFocus()
            else:
                self.step.motivation.setFocus()
            self.step.left_scroll.ensureWidgetVisible(self.step.message)
            return False
        if fix and not self.confirm_fix(proposal.content.pip_date):
            return False
        try:
            version = ps.save_plan(self.session, self.plan, proposal, fix=fix, today=self.today())
        except Exception as error:
            from intake_app.services.errors import describe_error

            report = describe_error(error)
            log.error("saving a plan version failed: %s", type(error).__name__)
            self.step.show_message(_(SAVE_FAILED).format(reason=_(report.msgid).format(**report.params)))
            return False
        self.plan = ps.open_plan(self.session, self.case_id, self.today())
        self.step.set_amendment_reasons(self.plan.fixed_version is not None)
        if fix:
            self.step.motivation.setPlainText("")
        self._show_versions()
        self.rebuild()
        self.step.show_status(_(SAVED).format(number=version.number, state=_(STATES[version.state])))
        self.saved.emit(self.case_id)
        return True

    def export(self) -> bool:
        _ = self.catalog.gettext
        latest = self.plan.latest if self.plan is not None else None
        if latest is None:
            self.step.show_message(_(SAVE_FIRST))
            return False
        path = self.ask_export_path(f"PIP-versie-{latest.number}-{self.language}.pdf")
        if path is None:
            return False
        try:
            document = ps.export_pdf(self.session, self.case_id, self.language, path)
        except Exception as error:
            from intake_app.services.errors import describe_error

            log.error("export failed: %s", type(error).__name__)
            report = describe_error(error)
            reason = str(error) if isinstance(error, ps.PlanValidationError | OSError) else _(report.msgid)
            self.step.show_message(_(SAVE_FAILED).format(reason=reason))
            return False
        self.step.show_status(_(EXPORTED).format(number=document.number, language=document.language))
        return True

    def _ask_confirm_fix(self, on: date) -> bool:
        _ = self.catalog.gettext
        answer = QMessageBox.question(
            self._dialog_parent(), _(CONFIRM_TITLE), _(CONFIRM_TEXT).format(date=format_value(on, self.catalog)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _ask_export_path(self, suggested: str) -> Path | None:
        _ = self.catalog.gettext
        chosen, _filter = QFileDialog.getSaveFileName(
            self._dialog_parent(), _(EXPORT_TITLE), str(Path.home() / suggested), _(PDF_FILTER)
        )
        return Path(chosen) if chosen else None

    def _dialog_parent(self) -> QWidget:
        return self.step.window()


def _languages() -> tuple[str, ...]:
    from intake_app.i18n.languages import CLIENT_LANGUAGES

    return CLIENT_LANGUAGES
