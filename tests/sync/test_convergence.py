"""Two and three laptops editing offline and syncing in any order end in the same state.

A Hypothesis state machine drives real vault files against a real server: random edits, removals,
repeat-group entries, syncs and conflict resolutions, in random order per laptop. At the end every
laptop syncs until quiet; then all hold the server's answers and the same open conflicts, and once
the conflicts are resolved no conflict is left anywhere and the answers are still equal.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from intake_app.forms import load_intake_form
from intake_app.services import sync_service
from intake_app.services.sync_service import Resolution
from intake_app.sync.merge import check_change
from intake_app.sync.server.store import current_answers

from sync_support import Laptop, LaptopFactory, Server

TEXTS = st.sampled_from(["Meron", "Yonas", "Sara", "Amina"])
TEXT_QUESTIONS = st.sampled_from(["given_names", "family_name", "phone_number"])
ENTRY_IDS = ["e1", "e2", "e3"]
FORM = load_intake_form()


def _open_conflicts(laptop: Laptop, case_id: str) -> set[int]:
    return {c.conflict_id for c in sync_service.list_conflicts(laptop.vault, case_id)}


def _server_answers(server: Server, case_id: str) -> dict[tuple[str, str], Any]:
    with server.engine.connect() as connection:
        return current_answers(connection, case_id)


def _make_machine(server: Server, laptops: list[Laptop]) -> type[RuleBasedStateMachine]:
    count = len(laptops)
    which = st.integers(min_value=0, max_value=count - 1)

    class Laptops(RuleBasedStateMachine):
        case_id = ""

        @initialize()
        def new_case(self) -> None:
            self.case_id = laptops[0].vault.create_case()
            laptops[0].vault.save_answer(self.case_id, ("given_names", ""), "Start")
            for laptop in laptops:
                laptop.sync()

        @rule(laptop=which, question=TEXT_QUESTIONS, value=TEXTS)
        def edit_text(self, laptop: int, question: str, value: str) -> None:
            laptops[laptop].vault.save_answer(self.case_id, (question, ""), value)

        @rule(laptop=which, value=st.integers(min_value=1, max_value=9))
        def edit_number(self, laptop: int, value: int) -> None:
            laptops[laptop].vault.save_answer(self.case_id, ("household_size", ""), value)

        @rule(laptop=which, question=st.sampled_from(["given_names", "household_size", "phone_number"]))
        def clear(self, laptop: int, question: str) -> None:
            laptops[laptop].vault.clear_answer(self.case_id, (question, ""))

        @rule(laptop=which, entry=st.sampled_from(ENTRY_IDS), field=TEXTS)
        def add_entry(self, laptop: int, entry: str, field: str) -> None:
            vault = laptops[laptop].vault
            order = list(vault.answers(self.case_id).get(("educations", ""), []))
            if entry not in order:
                order.append(entry)
            vault.apply_changes(self.case_id, [(("educations", ""), order), (("education_field", entry), field)])

        @rule(laptop=which, entry=st.sampled_from(ENTRY_IDS))
        def remove_entry(self, laptop: int, entry: str) -> None:
            vault = laptops[laptop].vault
            order = [e for e in vault.answers(self.case_id).get(("educations", ""), []) if e != entry]
            vault.apply_changes(self.case_id, [(("educations", ""), order or None), (("education_field", entry), None)])

        @rule(laptop=which)
        def sync(self, laptop: int) -> None:
            laptops[laptop].sync()

        @rule(laptop=which, choice=st.sampled_from(list(Resolution)), value=TEXTS)
        def resolve(self, laptop: int, choice: Resolution, value: str) -> None:
            conflicts = sync_service.list_conflicts(laptops[laptop].vault, self.case_id)
            if conflicts:
                conflict = conflicts[0]
                new = value if conflict.key[0] != "household_size" else len(value)
                sync_service.resolve_conflict(laptops[laptop].vault, conflict.conflict_id, choice, new)

        @invariant()
        def every_answer_on_every_laptop_fits_the_questionnaire(self) -> None:
            for laptop in laptops:
                for (question_id, entry_id), value in laptop.vault.answers(self.case_id).items():
                    assert check_change(FORM, question_id, entry_id, value) is None

        def teardown(self) -> None:
            if not self.case_id:
                return
            self._settle()
            answers = [laptop.vault.answers(self.case_id) for laptop in laptops]
            assert all(a == answers[0] for a in answers), answers
            assert answers[0] == _server_answers(server, self.case_id)
            conflicts = [_open_conflicts(laptop, self.case_id) for laptop in laptops]
            assert all(c == conflicts[0] for c in conflicts), conflicts
            for _ in range(12):  # a person resolves every conflict on the first laptop
                open_now = sync_service.list_conflicts(laptops[0].vault, self.case_id)
                if not open_now:
                    break
                sync_service.resolve_conflict(laptops[0].vault, open_now[0].conflict_id, Resolution.REMOTE)
                self._settle()
            assert all(not _open_conflicts(laptop, self.case_id) for laptop in laptops)
            answers = [laptop.vault.answers(self.case_id) for laptop in laptops]
            assert all(a == answers[0] for a in answers), answers
            assert all(laptop.vault.pending_changes() == 0 for laptop in laptops)

        def _settle(self) -> None:
            for _ in range(2):
                for laptop in laptops:
                    laptop.sync()

    Laptops.__name__ = f"Laptops{count}"
    return Laptops


@pytest.mark.parametrize("count", [2, 3])
def test_laptops_syncing_in_any_order_converge(count: int, laptops: LaptopFactory, server: Server) -> None:
    officers = ["Fatima de Vries", "Joris Bakker", "Fatima de Vries"]
    machines = [laptops(officers[i]) for i in range(count)]
    run_state_machine_as_test(
        _make_machine(server, machines),
        settings=settings(max_examples=10 if count == 2 else 8, stateful_step_count=14, deadline=None,
                          suppress_health_check=list(HealthCheck),
                          # Shrinking real vaults takes minutes; INTAKE_SHRINK=1 turns it on when debugging.
                          phases=list(Phase) if os.environ.get("INTAKE_SHRINK") else
                          [Phase.explicit, Phase.reuse, Phase.generate]),
    )
