"""The plan's sections, in order, from :class:`~intake_app.plan.content.PipContent` to flowables.

Each function renders one section through a :class:`~intake_app.plan.pdf.story.Writer`, so the
Dutch and the translated PDF are the same code with another catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from reportlab.platypus import Flowable

from intake_app.plan import content as c
from intake_app.plan.enums import LbtStatus, Route
from intake_app.plan.pdf import texts as t
from intake_app.plan.pdf.story import BODY, LEAD, SMALL, STRONG, Writer


def person(w: Writer, content: c.PipContent) -> list[Flowable]:
    p = content.person
    rows = [
        (w.tr(t.L_NAME), w.free(p.full_name)),
        (w.tr(t.L_BIRTH_DATE), w.value(p.date_of_birth)),
        (w.tr(t.L_TARGET_GROUP), w.value(p.target_group)),
    ]
    if p.sub_group:
        rows.append((w.tr(t.L_SUB_GROUP), w.free(p.sub_group)))
    if p.bsn:
        rows.append((w.tr(t.L_BSN), w.value(p.bsn)))
    if p.v_number:
        rows.append((w.tr(t.L_V_NUMBER), w.value(p.v_number)))
    return [w.fields(rows)]


def route(w: Writer, content: c.PipContent) -> list[Flowable]:
    r = content.route
    level = w.value(r.target_level) if r.target_level is not None else w.tr(t.Z_ROUTE_NO_LEVEL)
    rows = [(w.tr(t.L_ROUTE), w.value(r.route)), (w.tr(t.L_TARGET_LEVEL), level), (w.tr(t.L_LBT), _lbt(w, r.lbt))]
    rows.append((w.tr(t.L_ALFABETISERING), w.yes_no(r.alfabetisering)))
    if r.course_hours is not None:
        rows.append((w.tr(t.L_COURSE_HOURS), _hours(w, r.course_hours)))
    if r.participation_hours is not None:
        rows.append((w.tr(t.L_PARTICIPATION_HOURS), _hours(w, r.participation_hours)))
    return [w.fields(rows)]


def _lbt(w: Writer, lbt: c.LbtSummary) -> str:
    if lbt.status is LbtStatus.TAKEN and lbt.score is not None and lbt.test_date is not None:
        return w.fmt(
            t.LBT_TAKEN,
            score=lbt.score,
            max_score=lbt.max_score,
            pass_mark=lbt.pass_mark if lbt.pass_mark is not None else "—",
            date=lbt.test_date,
        )
    return w.value(lbt.status)


def _hours(w: Writer, hours: int) -> str:
    return w.ngettext("{count} uur", "{count} uur", hours)


def reasoning(w: Writer, content: c.PipContent) -> list[Flowable]:
    r = content.reasoning
    rows = [(w.tr(t.L_ADVICE), w.value(r.advice_status))]
    if r.advised_route is not None:
        rows.append((w.tr(t.L_ADVISED_ROUTE), w.value(r.advised_route)))
    rows.append((w.tr(t.L_DECIDED_ON), w.value(r.decided_on)))
    story: list[Flowable] = [w.fields(rows)]
    if r.fired_rules:
        story.append(w.paragraph(w.tr(t.ADVICE_RULES), STRONG))
        story += w.bullets([w.fmt(rule.reason, **rule.params) for rule in r.fired_rules])
    if r.motivation:
        story.append(w.paragraph(w.tr(t.DEVIATES if r.deviates_from_advice else t.MOTIVATION), STRONG))
        story.append(w.paragraph(w.free(r.motivation)))
    if r.alternatives:
        story.append(w.paragraph(w.tr(t.ALTERNATIVES), STRONG))
        for alternative in r.alternatives:
            items = [w.fmt(rule.reason, **rule.params) for rule in alternative.reasons]
            if alternative.officer_note:
                items.append(w.fmt(t.OFFICER_NOTE, note=w.free(alternative.officer_note)))
            story.append(w.paragraph(w.fmt(t.ALTERNATIVE, route=alternative.route), LEAD if items else BODY))
            story += w.bullets(items)
    return story


def exams(w: Writer, content: c.PipContent) -> list[Flowable]:
    e = content.exams
    story: list[Flowable] = []
    if e.components and e.target_level is not None:
        story.append(w.paragraph(w.fmt(t.EXAMS_INTRO, level=e.target_level), LEAD))
        story += w.bullets([w.value(component) for component in e.components])
    elif not e.components:
        story.append(w.paragraph(w.tr(t.NO_EXAMS)))
    if e.final_conversation:
        story.append(w.paragraph(w.tr(t.FINAL_CONVERSATION)))
    return story


def modules(w: Writer, content: c.PipContent) -> list[Flowable]:
    rows = []
    for label, module, absent in (
        (t.L_PVT, content.pvt, t.NO_PVT),
        (t.L_MAP, content.map, t.NO_MAP_ONDERWIJS if content.route.route is Route.ONDERWIJS else t.NO_MAP),
    ):
        if module is None:
            rows.append((w.tr(label), w.tr(absent)))
            continue
        parts = [w.fmt(t.MODULE_HOURS, min_hours=module.min_hours, planned_hours=module.planned_hours)]
        if module.hours_per_week:
            parts.append(w.fmt(t.MODULE_PER_WEEK, hours=module.hours_per_week))
        if module.description:
            parts.append(w.free(module.description))
        rows.append((w.tr(label), "\n".join(parts)))
    return [w.fields(rows)]


def participation(w: Writer, content: c.PipContent) -> list[Flowable]:
    p = content.participation
    rows = [(w.tr(t.L_GOAL), w.value(p.goal))]
    if p.description:
        rows.append((w.tr(t.L_DESCRIPTION), w.free(p.description)))
    rows.append((w.tr(t.L_DUAL), w.yes_no(p.dual_trajectory)))
    if p.activities:
        rows.append((w.tr(t.L_ACTIVITIES), "\n".join(w.free(activity) for activity in p.activities)))
    if p.required_participation_hours is not None:
        rows.append((w.tr(t.L_REQUIRED_PARTICIPATION), _hours(w, p.required_participation_hours)))
    return [w.fields(rows)]


def support(w: Writer, content: c.PipContent) -> list[Flowable]:
    s = content.support
    arrangements = "\n".join(w.free(item) for item in s.arrangements) or w.tr(t.NONE)
    return [
        w.fields(
            [(w.tr(t.L_SOCIAL_GUIDANCE), w.yes_no(s.social_guidance)), (w.tr(t.L_ARRANGEMENTS), arrangements)]
        )
    ]


def preconditions(w: Writer, content: c.PipContent) -> list[Flowable]:
    p = content.preconditions
    rows = [(w.tr(t.L_CHILDCARE), w.yes_no(p.childcare_needed))]
    if p.childcare_arrangement:
        rows.append((w.tr(t.L_CHILDCARE_ARRANGEMENT), w.free(p.childcare_arrangement)))
    rows.append((w.tr(t.L_VVE_INFORMATION), w.yes_no(p.vve_information_given)))
    if p.vve_children:
        rows.append((w.tr(t.L_VVE_CHILDREN), "\n".join(w.free(child) for child in p.vve_children)))
    if p.other:
        rows.append((w.tr(t.L_OTHER_PRECONDITIONS), "\n".join(w.free(item) for item in p.other)))
    return [w.fields(rows)]


def provider(w: Writer, content: c.PipContent) -> list[Flowable]:
    p = content.provider
    rows = [(w.tr(t.L_PROVIDER), w.free(p.name))]
    if p.contact:
        rows.append((w.tr(t.L_PROVIDER_CONTACT), w.value(p.contact)))
    rows.append((w.tr(t.L_PAID_BY), w.value(p.chosen_and_paid_by)))
    return [w.fields(rows)]


def ontzorgen(w: Writer, content: c.PipContent) -> list[Flowable]:
    o = content.ontzorgen
    if o is None:
        refugee = content.person.target_group.is_refugee
        return [w.paragraph(w.tr(t.ONTZORGEN_NO_ASSISTANCE if refugee else t.ONTZORGEN_NOT_REFUGEE))]
    items = sorted(o.items, key=list(c.OntzorgenItem).index)
    duration = w.ngettext("ten minste {count} maand", "ten minste {count} maanden", o.min_months)
    return [
        w.paragraph(w.tr(t.ONTZORGEN_INTRO), LEAD),
        *w.bullets([w.value(item) for item in items]),
        w.fields(
            [
                (w.tr(t.L_ONTZORGEN_FROM), w.value(o.from_date)),
                (w.tr(t.L_ONTZORGEN_DURATION), duration),
                (w.tr(t.L_ONTZORGEN_REVIEW), w.value(o.review_date)),
            ]
        ),
    ]


def monitoring(w: Writer, content: c.PipContent) -> list[Flowable]:
    template = content.monitoring.text
    return [w.paragraph(w.fmt(template.text, **template.params))]


def deadlines(w: Writer, content: c.PipContent) -> list[Flowable]:
    d = content.deadlines
    rows = [(w.tr(t.L_PIP_DATE), w.value(d.pip_date)), (w.tr(t.L_TERM_START), w.value(d.term_start))]
    rows.append((w.tr(t.L_TERM_END), w.value(d.term_end)))
    if d.regular_term_end != d.term_end:
        rows.append((w.tr(t.L_REGULAR_TERM_END), w.value(d.regular_term_end)))
    rows.append((w.tr(t.L_ROUTE_SWITCH), w.value(d.route_switch_last_day)))
    story: list[Flowable] = [w.fields(rows)]
    for extension in d.term_extensions:
        lengths = []
        if extension.months:
            lengths.append(w.ngettext("{count} maand", "{count} maanden", extension.months))
        if extension.days:
            lengths.append(w.ngettext("{count} dag", "{count} dagen", extension.days))
        story += w.bullets([w.fmt(t.EXTENSION, length=" + ".join(lengths), reason=w.free(extension.reason))])
    return story


def contact(w: Writer, content: c.PipContent) -> list[Flowable]:
    p = content.contact
    rows = [
        (w.tr(t.L_NAME), w.free(p.name)),
        (w.tr(t.L_ROLE), w.tr(p.role)),
        (w.tr(t.L_MUNICIPALITY), w.free(p.municipality)),
    ]
    if p.phone:
        rows.append((w.tr(t.L_PHONE), w.value(p.phone)))
    if p.email:
        rows.append((w.tr(t.L_EMAIL), w.value(p.email)))
    return [w.fields(rows)]


def objection(w: Writer, content: c.PipContent) -> list[Flowable]:
    clause = content.objection_clause
    return [w.paragraph(w.fmt(clause.text, **clause.params))]


def signatures(w: Writer, content: c.PipContent, interpreter: str) -> list[Flowable]:
    blocks = []
    for block in content.signatures:
        lines = [(w.value(block.signatory), SMALL), (w.free(block.name), STRONG)]
        blocks.append(lines)
    blocks.append([(w.tr(t.INTERPRETER), SMALL), (w.free(interpreter), STRONG)])
    # The heading, this sentence and the signature table keep together (keepWithNext chain).
    return [w.paragraph(w.tr(t.TOGETHER), LEAD), w.signature_row(blocks)]


Section = Callable[[Writer, c.PipContent], list[Flowable]]
SECTIONS: Final[tuple[tuple[str, Section], ...]] = (
    (t.H_PERSON, person),
    (t.H_ROUTE, route),
    (t.H_REASONING, reasoning),
    (t.H_EXAMS, exams),
    (t.H_MODULES, modules),
    (t.H_PARTICIPATION, participation),
    (t.H_SUPPORT, support),
    (t.H_PRECONDITIONS, preconditions),
    (t.H_PROVIDER, provider),
    (t.H_ONTZORGEN, ontzorgen),
    (t.H_MONITORING, monitoring),
    (t.H_DEADLINES, deadlines),
    (t.H_CONTACT, contact),
    (t.H_OBJECTION, objection),
)
