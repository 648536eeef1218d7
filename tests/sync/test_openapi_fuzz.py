"""Schemathesis against the sync server's own OpenAPI document.

Every operation is called in-process (ASGI, no network) with boundary and negative cases (the
"coverage" phase) and random valid and invalid data ("fuzzing"): with a valid device token, without
one, with a wrong one, and while the address is throttled. No answer may be a server error, and every
answer must be documented: its status code, content type, headers and body (a Problem for each 4xx).

Random push bodies name random questions and are refused before they reach the store, so a hook
points a part of them at real questions of the intake form, at an existing case, at another
municipality's case and at another device's batch id: the merge and the refusals get fuzzed too.
"""

from __future__ import annotations

import itertools
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from intake_app.forms import load_intake_form
from intake_app.sync import protocol
from intake_app.sync.merge import check_change
from intake_app.sync.server import admin
from intake_app.sync.server.app import create_app
from intake_app.sync.server.auth import AuthThrottle
from intake_app.sync.server.db import create_server_engine, upgrade

# Fuzzing examples per operation (the coverage phase adds its own few dozen): a refused token is
# refused whatever the body, so those scenarios need fewer.
MAX_EXAMPLES = {"valid token": 40, "no token": 10, "wrong token": 10, "throttled": 10}


def _config(max_examples: int) -> schemathesis.Config:
    """Explicit, so that a schemathesis.toml lying around changes nothing; the same cases on every run."""
    return schemathesis.Config.from_dict({
        "seed": 20_260_101,
        "generation": {"mode": "all", "deterministic": True, "database": "none", "max-examples": max_examples},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
                   "stateful": {"enabled": False}},
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
            "response_headers_conformance": {"enabled": True},
        },
    })


OWN_CASE, OTHER_CASE = "a" * 32, "b" * 32  # Amsterdam's, Rotterdam's
OTHER_BATCH = "0b0b0b0b-0000-4000-8000-000000000000"  # a batch id Rotterdam's laptop used


@dataclass
class Throttle(AuthThrottle):
    """Never throttles (wrong tokens by the hundred must not turn into 429s), unless ``blocked``:
    then every address must wait, and each authenticated call and each enrolment gets 429."""

    free_failures: int = 10**9
    blocked: bool = False

    def retry_after(self, address: str) -> float:
        return 60.0 if self.blocked else super().retry_after(address)


@dataclass
class Scenario:
    name: str
    headers: dict[str, str] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)


# What each scenario must have met at least once, so that a broken setup cannot pass unnoticed.
EXPECTED = {
    "valid token": {"POST /v1/push 200", "POST /v1/push 403", "POST /v1/push 409", "POST /v1/push 422",
                    "GET /v1/pull 200", "GET /v1/pull 422", "GET /v1/cases 200", "POST /v1/enrol 401"},
    "no token": {"POST /v1/push 401", "GET /v1/pull 401", "GET /v1/cases 401"},
    "wrong token": {"POST /v1/push 401", "GET /v1/pull 401", "GET /v1/cases 401"},
    "throttled": {"POST /v1/push 429", "GET /v1/pull 429", "GET /v1/cases 429", "POST /v1/enrol 429"},
}


SAMPLES: dict[type, Any] = {str: "x", int: 1, float: 1.5, list: ["x"], bool: True, type(None): None}


def _questions_by_value_type() -> dict[type, list[tuple[str, bool]]]:
    """(question id, in a repeat group) of the questions that take a value of each JSON type."""
    form = load_intake_form()
    found: dict[type, list[tuple[str, bool]]] = {kind: [] for kind in SAMPLES}
    for question in form.all_questions():
        in_group = form.group_of(question.id) is not None
        for kind, sample in SAMPLES.items():
            if check_change(form, question.id, "e1" if in_group else "", sample) is None:
                found[kind].append((question.id, in_group))
    return found


QUESTIONS = _questions_by_value_type()
# A change travels as a row; where its fields are (only the first six are always there).
COLUMNS = {name: number for number, name in enumerate(protocol.CHANGE_COLUMNS[:6])}


_bodies = itertools.count()


def _aim_at_real_questions(context: schemathesis.HookContext, body: Any) -> Any:
    """``map_body`` hook: rewrite most generated push bodies so that they pass the questionnaire check
    (each change names a question that takes its value) and reach the store, in turn for: the existing
    case, another municipality's case (403), another device's batch id (409), new cases."""
    operation = context.operation
    if operation is None or operation.path != "/v1/push" or not isinstance(body, dict):
        return body
    changes = body.get("changes")
    if not isinstance(changes, list) or not changes:
        return body
    turn = next(_bodies) % 6
    if turn == 0:
        return body  # left as generated
    case_id = {1: OWN_CASE, 2: OWN_CASE, 3: OTHER_CASE, 4: OWN_CASE}.get(turn)
    if turn == 4:
        body["batch_id"] = OTHER_BATCH
    spin = sum(len(str(change)) for change in changes)  # which questions: varies with the body
    for number, change in enumerate(changes):
        if isinstance(change, list) and len(change) >= len(COLUMNS):
            pool = QUESTIONS.get(type(change[COLUMNS["value"]]))
            if not pool:  # no question takes such a value (a bool, say): remove the answer instead
                change[COLUMNS["value"]], pool = None, QUESTIONS[type(None)]
            question, in_group = pool[(spin + number) % len(pool)]
            change[COLUMNS["question_id"]] = question
            change[COLUMNS["entry_id"]] = f"e{number}" if in_group else ""
            if case_id is not None:
                change[COLUMNS["case_id"]] = case_id
    return body


def _change(question: str, value: Any, version: str, case: str = OWN_CASE) -> list[Any]:
    change = {"case_id": case, "question_id": question, "entry_id": "", "value": value, "version": version,
              "base_version": None}
    return [change[column] for column in protocol.CHANGE_COLUMNS[:6]]


def _seed(app: FastAPI, amsterdam: str, rotterdam: str) -> None:
    """Answers, a conflict and a case of the other municipality, so that pull has real events to page."""
    pushes = [
        (amsterdam, str(uuid.uuid4()), [_change("given_names", "Meron", "170000000000000-00000-dev1"),
                                        _change("household_size", 3, "170000000000001-00000-dev1")]),
        (amsterdam, str(uuid.uuid4()), [_change("given_names", "Meron T.", "170000000000002-00000-dev2")]),
        (rotterdam, OTHER_BATCH, [_change("given_names", "Sanne", "170000000000003-00000-dev3", OTHER_CASE)]),
    ]
    with TestClient(app) as http:
        for token, batch_id, changes in pushes:
            answer = http.post("/v1/push", json={"batch_id": batch_id, "changes": changes},
                               headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 200, answer.text


@pytest.fixture(params=list(MAX_EXAMPLES))
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return Scenario(str(request.param))


@pytest.fixture
def api_schema(scenario: Scenario, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    if not hasattr(request.node, "_nodeid"):
        # schemathesis 4.32's from_fixture renames the test node through Node._nodeid, which pytest 9.2 dropped.
        request.node._nodeid = request.node.nodeid
    engine = create_server_engine(f"sqlite:///{tmp_path / 'server.db'}")
    upgrade(engine)
    tokens = {}
    throttle = Throttle()
    app = create_app(engine, migrate=False, throttle=throttle)
    with TestClient(app) as http:
        for code, place, officer in (("0363", "Amsterdam", "Fatima de Vries"), ("0599", "Rotterdam", "Sanne Jansen")):
            admin.create_municipality(engine, code, place)
            enrol_code = admin.create_enrolment_code(engine, admin.create_officer(engine, code, officer))
            enrolled = http.post("/v1/enrol", json={"code": enrol_code, "device_name": f"laptop {place}"})
            tokens[place] = enrolled.json()["token"]
    _seed(app, tokens["Amsterdam"], tokens["Rotterdam"])
    if scenario.name in ("valid token", "throttled"):  # throttled: even a good token waits
        scenario.headers = {"Authorization": f"Bearer {tokens['Amsterdam']}"}
    elif scenario.name == "wrong token":
        scenario.headers = {"Authorization": f"Bearer {'x' * 43}"}
    throttle.blocked = scenario.name == "throttled"
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=_config(MAX_EXAMPLES[scenario.name]))
    schema.hook("map_body")(_aim_at_real_questions)
    yield schema
    engine.dispose()
    missing = EXPECTED[scenario.name] - set(scenario.statuses)
    assert not missing, f"{scenario.name}: never saw {sorted(missing)}; saw {dict(scenario.statuses)}"


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_answer_is_documented(case: Any, scenario: Scenario) -> None:
    response = case.call_and_validate(headers=scenario.headers)
    scenario.statuses[f"{case.operation.label} {response.status_code}"] += 1


def test_every_documented_error_is_a_problem(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'server.db'}", throttle=Throttle())
    spec = app.openapi()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    operations = {f"{method.upper()} {path}": operation
                  for path, methods in spec["paths"].items() for method, operation in methods.items()}
    for label, operation in operations.items():
        errors = {status: response for status, response in operation["responses"].items() if status[0] == "4"}
        for status, response in errors.items():
            assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Problem"}, (
                label, status)
        if "429" in errors:
            assert errors["429"]["headers"]["Retry-After"]["required"], label
        if label != "GET /health":
            assert {"401", "429"} <= set(errors), label  # a token or an enrolment code, and the throttle
        if "requestBody" in operation:
            assert {"400", "413", "422"} <= set(errors), label
    assert {"403", "409"} <= set(operations["POST /v1/push"]["responses"])


def test_fastapis_own_refusals_are_problems_too(tmp_path: Path) -> None:
    http = TestClient(create_app(f"sqlite:///{tmp_path / 'server.db'}", throttle=Throttle()))
    unreadable = http.post("/v1/enrol", content=b'{"code": "\xff"}', headers={"Content-Type": "application/json"})
    assert (unreadable.status_code, unreadable.json()["code"]) == (400, "unreadable_body")
    missing = http.get("/v2/pull")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    wrong_method = http.delete("/v1/cases")
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, "method_not_allowed")
    assert wrong_method.headers["Allow"] == "GET"
