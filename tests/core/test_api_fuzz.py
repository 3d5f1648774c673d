"""Schemathesis walks the whole OpenAPI schema (public and staff operations, the latter also with a
platform admin's token) and fails on any server error (5xx) and on any status the operation does not
declare in the document (``status_code_conformance``)."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def admin_token(org, users):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from amanah.core import tokens

    # As Django's test client does: requests must not close the test transaction's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield tokens.issue(users[("admin", None)], name="fuzz")
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, admin_token):
    for headers in ({}, {"Authorization": f"Bearer {admin_token}"}):
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
