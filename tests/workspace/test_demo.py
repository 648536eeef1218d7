"""The demo vault: every status, target group and client language, valid answers, marked DEMO."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from intake_app.forms import AnswerKey, Interview, load_intake_form
from intake_app.i18n.languages import CLIENT_LANGUAGES
from intake_app.services.case_service import dashboard
from intake_app.services.demo import DemoVault
from intake_app.services.vault_service import CaseStatus, unlock_vault


def test_the_demo_vault_opens_with_every_status_group_and_language(tmp_path: Path) -> None:
    demo = DemoVault.create(tmp_path / "demo")
    session = unlock_vault(demo.folder, demo.officer, demo.passphrase)
    try:
        rows = session.cases.rows()
        assert len(rows) == 30
        assert {row.status for row in rows} == {status.value for status in CaseStatus}
        assert {row.target_group for row in rows} == {"asylum_permit_holder", "family_migrant", "other_migrant"}
        assert {row.client_language for row in rows} == set(CLIENT_LANGUAGES)
        assert all(row.is_demo for row in rows)
        assert Counter(row.origin for row in rows)["coa_import"] == 2
        assert Counter(row.origin for row in rows)["transfer_in"] == 2
        counts = dashboard(rows, date.today())
        assert counts.demo and counts.overdue_pip >= 2 and counts.pip_this_week >= 2 and counts.without_lbt >= 3
        kinds = {row.deadline_kind for row in rows}
        assert {"pip_termijn", "evaluatie_ontzorgen", "laatste_dag_routewissel"} <= kinds
        assert len(session.cases.expired()) == 2  # closed long ago: offered for deletion
        form = load_intake_form()
        for row in rows:
            interview = Interview(form, {AnswerKey(*key): value for key, value in session.answers(row.id).items()})
            invalid = [key for key in interview.relevant_answers() if not interview.validation(key).ok]
            assert invalid == [], (row.display_name, invalid)
            assert interview.unknown_answers() == ()
    finally:
        session.lock()
        demo.remove()
