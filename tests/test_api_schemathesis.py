"""Schemathesis against the served OpenAPI schema: every operation, valid and malformed input.

No server error, every status code, content type and body as the schema states, malformed
input (a year that is not a number, an unknown code) refused with 4xx. Deterministic and
bounded: a few examples per operation, no example database.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis import GenerationMode

MAX_EXAMPLES = 6


@pytest.fixture
def in_process_requests():
    """Keep the test's database connection (and its transaction) open across WSGI requests,
    as Django's own test client does: the app would otherwise close it after each one."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def api_schema(db, settings, in_process_requests):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]  # schemathesis' WSGI client's host
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=MAX_EXAMPLES,
        deterministic=True,
        database="none",
    )
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_the_api_answers_every_input_as_its_schema_says(case):
    case.call_and_validate()
