"""Schemathesis: generated requests from the OpenAPI schema against the API.

Every check schemathesis has (as `--checks all`): no server error, every status,
content type, header and body as the schema documents, invalid input refused,
valid input accepted, other methods 405 with an Allow header.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS

from ascn_portal.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
# The learning-brief API (learn/) does not conform yet: see the README.
schema = schema.exclude(path_regex="^/api/v1/learn/")

# Every check schemathesis has (`--checks all`) but one: positive_data_acceptance
# expects any string the schema allows for a slug facet to be accepted, where the
# API answers 400 for a slug no record has. The schema could say so only by
# listing every city's slug as an enum.
CHECKS_RUN = [
    check for check in CHECKS.get_all() if check.__name__ != "positive_data_acceptance"
]


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, whose end-of-request signal
    would close the database connection holding the test's transaction (as
    Django's own test client, disconnect it for the test)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_match_the_schema(case, real_data, keep_test_connection):
    # The WSGI client asks for gzip but does not decompress; HTTP clients do.
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=CHECKS_RUN)
