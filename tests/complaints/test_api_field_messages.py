"""A refusal's ``fields`` say, for each field named, what is wrong in words for people - the same kind of
text as ``message`` - while the machine-readable reason stays in ``error``. A bare code such as
``"unknown"`` in ``fields`` would reach a client's form as the error shown under the field."""

import re

import pytest

pytestmark = pytest.mark.django_db

CODE = re.compile(r"[a-z_]+")


def _refusal(r, status, field):
    assert r.status_code == status, r.content
    body = r.json()
    text = body["fields"][field]
    assert not CODE.fullmatch(text), (field, text)
    assert text.endswith(".") and " " in text
    assert CODE.fullmatch(body["error"])
    return body


def test_public_refusals_about_one_field_say_it_in_words(api, org):
    body = _refusal(api.get("/api/v1/calendar/holidays", {"year": "19"}), 400, "year")
    assert body["error"] == "invalid_year" and body["fields"]["year"] == body["message"]
    body = _refusal(api.get("/api/v1/complaints/published", {"agency": "tidak-ada"}), 404, "agency")
    assert body["error"] == "unknown_agency"
    body = _refusal(api.get("/api/v1/transparency/tidak-ada"), 404, "table")
    assert body["error"] == "unknown_table"


def test_staff_refusals_about_one_field_say_it_in_words(api_as, users, org, submit):
    manager = api_as(users[("pengelola", "a")])
    body = _refusal(
        manager.get("/api/v1/staff/answer-templates", {"agency": "tidak-ada"}), 404, "agency"
    )
    assert body["error"] == "unknown_agency"
    c = submit()
    body = _refusal(
        manager.post(
            f"/api/v1/staff/complaints/{c.tracking_code}/reject",
            {"reason": "duplikat", "duplicate_of": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"},
        ),
        422,
        "duplicate_of",
    )
    assert body["error"] == "unknown_original"
    body = _refusal(
        manager.post(
            f"/api/v1/staff/complaints/{c.tracking_code}/verify",
            {"unit": "tidak-ada"},
        ),
        422,
        "unit",
    )
    assert body["error"] == "unknown_unit"
