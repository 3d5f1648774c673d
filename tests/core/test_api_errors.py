"""Every answer under /api/ is JSON in one shape, and the schema describes the bodies read by hand."""

import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_unknown_addresses_and_methods_answer_in_the_apis_shape():
    client = Client()
    r = client.get("/api/v1/tidak-ada")
    assert r.status_code == 404 and r.json()["error"] == "not_found" and r.json()["fields"] == {}
    r = client.get("/api/v1/complaints")  # POST only
    assert r.status_code == 405 and r.json()["error"] == "method_not_allowed"
    assert "POST" in r["Allow"]
    assert (
        client.get("/tidak-ada/").headers["Content-Type"].startswith("text/html")
    )  # pages stay pages


def test_a_huge_offset_is_an_empty_page_not_a_server_error(api, org, users, api_as):
    r = api.get("/api/v1/complaints/published", {"offset": str(10**30)})
    assert r.status_code == 200 and r.json()["items"] == []
    r = api_as(users[("pengelola", "a")]).get("/api/v1/staff/complaints", {"offset": str(10**30)})
    assert r.status_code == 200 and r.json()["items"] == []


def test_the_schema_describes_the_intake_bodies_and_points_at_nothing_missing():
    schema = Client().get("/api/v1/openapi.json").json()
    refs = set(re.findall(r"#/components/schemas/(\w+)", json.dumps(schema)))
    assert refs and not refs - set(schema["components"]["schemas"])
    for path in ("/api/v1/complaints", "/api/v1/staff/complaints"):
        body = schema["paths"][path]["post"]["requestBody"]["content"]
        assert {"application/json", "multipart/form-data"} <= set(body)
        fields = body["application/json"]["schema"]["properties"]
        assert {"service", "agency", "title", "description", "identity_mode", "publish"} <= set(
            fields
        )
    staff = schema["paths"]["/api/v1/staff/complaints"]["post"]["requestBody"]["content"]
    assert {"channel", "received_at"} <= set(staff["application/json"]["schema"]["properties"])


@pytest.mark.parametrize(
    "content_type", ["application/json", "multipart/form-data; boundary=x", "text/plain"]
)
def test_a_body_that_is_not_json_is_refused_in_the_apis_words(content_type):
    """django-ninja's own refusal of a body it cannot read ("Cannot parse request body", code ``error``)
    is said as the operations reading their body by hand say it: ``invalid_json``, in Indonesian."""
    r = Client().post(
        "/api/v1/surveys/periods/1/responses", "{jawaban: 4", content_type=content_type
    )
    body = r.json()
    assert r.status_code == 400 and body["error"] == "invalid_json"
    assert (
        body["message"].startswith("Badan permintaan bukan JSON yang sah") and body["fields"] == {}
    )


def test_the_apis_refusals_are_in_the_readers_language(org):
    """A reader who chose English in the language menu gets the API's refusals in English, whole
    sentences in one language (not an Indonesian lead-in with the form's English message after it)."""
    from tests.i18n import client_in

    english, indonesian = client_in("en"), client_in("id")
    cases = [
        ("get", "/api/v1/tidak-ada", {}, "Unknown API address.", "Alamat API tidak dikenal."),
        (
            "delete",
            "/api/v1/health",
            {},
            "This method is not accepted at this address.",
            "Metode ini tidak diterima di alamat ini.",
        ),
        (
            "get",
            "/api/v1/staff/me",
            {"Authorization": "Bearer salah"},
            "The token is missing, invalid or expired.",
            "Token tidak ada, tidak sah atau kedaluwarsa.",
        ),
    ]
    for method, path, headers, en, id_ in cases:
        assert getattr(english, method)(path, headers=headers).json()["message"] == en
        assert getattr(indonesian, method)(path, headers=headers).json()["message"] == id_
    r = english.post("/api/v1/complaints", {"kind": "pengaduan"}, content_type="application/json")
    assert r.status_code == 422
    message = r.json()["message"]
    assert message.startswith("The complaint is not yet correct: ") and "belum" not in message
    r = english.post("/api/v1/surveys/periods/1/responses", "{x", content_type="application/json")
    assert r.json()["message"].startswith("The request body is not valid JSON")
