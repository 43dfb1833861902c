"""Property-based API tests (schemathesis) against /api/v1/openapi.json, in process, with a token:
no server error, and every response matches the schema (status codes, content type, body)."""

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the dev extras")
from hypothesis import HealthCheck, given, settings  # noqa: E402

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 12


def test_api_answers_every_generated_request_within_its_schema(world, national_admin, settings_):
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from config.wsgi import application
    from revive.accounts.services import token_create

    token = token_create(user=national_admin)
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    calls: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            calls.append(case.operation.label)
            case.call_and_validate(headers=headers, checks=checks)

        run()
    assert set(calls) == {op.label for op in operations}  # every operation was really exercised


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
