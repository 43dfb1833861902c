"""Property-based API tests (schemathesis) against /api/v1/openapi.json, in process, with a token, with
all of schemathesis's checks: the schema is exact (every status an operation answers, every bound its
validation applies), so generated requests and answers agree with it both ways."""

import os

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the dev extras")
from hypothesis import HealthCheck, given, settings  # noqa: E402

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 12


# REVIVE_SCHEMATHESIS_ONLY="GET /api/v1/kpis/targets" runs one operation (while working on it).
ONLY = os.environ.get("REVIVE_SCHEMATHESIS_ONLY", "")


def test_api_answers_every_generated_request_within_its_schema(world, national_admin, settings_):
    """Every check schemathesis has (no server error, documented statuses, content types, headers and
    bodies, schema-valid requests accepted, schema-invalid ones refused), on requests generated from
    the schema and on requests built to break it (huge page numbers, wrong types, missing fields)."""
    from schemathesis.generation.modes import GenerationMode

    from config.wsgi import application
    from revive.accounts.services import token_create

    token = token_create(user=national_admin)
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    operations = [op for op in operations if not ONLY or op.label in ONLY.split(",")]

    calls: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                calls.append(case.operation.label)
                case.call_and_validate(headers=headers)  # every check, every operation

            run()
    assert set(calls) == {op.label for op in operations}  # every operation was really exercised


@pytest.mark.parametrize("path", ["/api/v1/parks", "/api/v1/units", "/api/v1/cases", "/api/v1/loan-requests"])
def test_a_huge_page_number_is_a_documented_400(world, national_admin, settings_, path):
    from config.wsgi import application
    from revive.accounts.services import token_create

    token = token_create(user=national_admin)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operation = schema[path]["GET"]
    case = operation.Case(query={"page": 37389339423807090196480})
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and set(response.json()) == {"message", "details"}
    case.validate_response(response)  # the 400 and its shape are in the schema


@pytest.fixture
def settings_(settings):
    """The WSGI app is called directly, not through Django's test Client: like the Client, keep the
    test's database connection open across requests (it holds the test transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield settings
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
