"""Every answer under /api/ is JSON in one shape, also when Django itself refuses the request: a form
body it cannot parse (multipart without a boundary, a form not in UTF-8) read by an operation that takes
its body by hand, a host it does not serve, or a server error."""

import pytest
from django.test import Client

from tests.i18n import client_in

pytestmark = pytest.mark.django_db

UNREADABLE = [
    # (content type, body): no boundary; a urlencoded form declared in another charset.
    ("multipart/form-data", "x"),
    ("application/x-www-form-urlencoded; charset=latin-1", "title=x"),
]


def _is_the_apis_refusal(r, status, code):
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/json"), r["Content-Type"]
    body = r.json()
    assert body["error"] == code and body["fields"] == {} and body["message"], body
    return body


@pytest.mark.parametrize("content_type,data", UNREADABLE)
@pytest.mark.parametrize("path", ["/api/v1/complaints", "/api/v1/integrity/reports"])
def test_an_unreadable_form_is_refused_in_the_apis_shape(org, path, content_type, data):
    r = Client().post(path, data, content_type=content_type)
    body = _is_the_apis_refusal(r, 400, "invalid_body")
    assert body["message"].startswith("Badan permintaan tidak dapat dibaca")


def test_the_refusal_is_in_the_readers_language(org):
    r = client_in("en").post("/api/v1/complaints", "x", content_type="multipart/form-data")
    body = _is_the_apis_refusal(r, 400, "invalid_body")
    assert body["message"].startswith("The request body cannot be read"), body


def test_a_host_not_served_is_refused_in_the_apis_shape(org):
    r = Client().get("/api/v1/health", HTTP_HOST="tidak-dilayani.example")
    _is_the_apis_refusal(r, 400, "bad_request")
    # Pages stay pages.
    page = Client().get("/", HTTP_HOST="tidak-dilayani.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_a_server_error_is_answered_in_the_apis_shape(org, monkeypatch):
    from amanah.core import audit

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(audit, "head", broken)
    r = client_in("en", raise_request_exception=False).get("/api/v1/audit/head")
    body = _is_the_apis_refusal(r, 500, "server_error")
    assert body["message"].startswith("A server error occurred"), body
