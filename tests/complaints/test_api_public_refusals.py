"""The public API's writes - filing a complaint, asking for lost codes, and the complainant's own steps by
tracking code (reply, confirm, dispute, rating) - document every refusal they send: each status in the
schema with the API's error body (``ErrorOut``) and a description naming its error codes, and each
documented refusal really comes, with that body and one of those codes."""

import pytest
from django.test import Client

from .conftest import BASE
from .test_public_downloads import conforms, error_schema

pytestmark = pytest.mark.django_db

WRONG = "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
CREATE = "/api/v1/complaints"
CODES = "/api/v1/complaints/codes"
STEP = "/api/v1/complaints/{tracking_code}/"
#: What each operation documents besides its success.
DOCUMENTED = {
    CREATE: {"201", "400", "413", "415", "422", "429"},
    CODES: {"202", "400", "413", "422", "429"},
    STEP + "replies": {"201", "400", "403", "404", "409", "413", "415", "422", "429"},
    STEP + "confirm": {"200", "400", "403", "404", "409", "413", "422", "429"},
    STEP + "dispute": {"200", "400", "403", "404", "409", "413", "422", "429"},
    STEP + "rating": {"200", "400", "403", "404", "409", "413", "422", "429"},
}
DEFAULT_DESCRIPTIONS = {
    "Bad Request",
    "Forbidden",
    "Not Found",
    "Conflict",
    "Content Too Large",
    "Payload Too Large",
    "Unsupported Media Type",
    "Unprocessable Content",
    "Unprocessable Entity",
    "Too Many Requests",
    "Unknown Status Code",
}


@pytest.fixture
def schema():
    return Client().get("/api/v1/openapi.json").json()


def test_the_schema_documents_the_refusals_of_the_public_writes(schema):
    for path, statuses in DOCUMENTED.items():
        op = schema["paths"][path]["post"]
        assert set(op["responses"]) == statuses, path
        for status in statuses - {"200", "201", "202"}:
            response = op["responses"][status]
            assert response["description"] not in DEFAULT_DESCRIPTIONS, (path, status)
            assert "`" in response["description"], (path, status)  # names its error codes
            error = error_schema(schema, op, status)
            # The shared error body; `rows` only comes with a refused spreadsheet import.
            assert set(error["properties"]) == {"error", "message", "fields", "rows"}
            assert set(error["required"]) == {"error", "message"}
            assert set(error["required"]) == {"error", "message"}
        assert "Retry-After" in op["responses"]["429"]["headers"], path
    # What was documented before stays: the intake's replay header, the answers' own schemas.
    create = schema["paths"][CREATE]["post"]["responses"]
    assert "Idempotent-Replayed" in create["201"]["headers"]
    assert create["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/Created")
    assert schema["paths"][CODES]["post"]["responses"]["202"]["content"]
    for step in ("replies", "confirm", "dispute", "rating"):
        ok = schema["paths"][STEP + step]["post"]["responses"]
        assert ok[next(s for s in ok if s.startswith("2"))]["content"]["application/json"]
    # The staff intake shares the intake's description but documents no more than before.
    staff = schema["paths"]["/api/v1/staff/complaints"]["post"]["responses"]
    assert {"201", "400", "401", "403", "413", "415", "422"} == set(staff)


@pytest.fixture
def cases(org, submit, walk, settings):
    """A case received, one answered and one closed and rated; the public forms' limit out of the way
    until a test lowers it."""
    settings.PUBLIC_FORM_RATE = (1000, 600)
    received = submit()
    answered = walk(submit(), "dijawab")
    closed = walk(submit(), "selesai")
    return {"received": received, "answered": answered, "closed": closed}


def _sender(api_as, users):
    """``send(path, body, **how)``: a POST as the API's clients send it. ``body`` a dict is JSON, a str
    is sent as it is (``content_type``), ``multipart=True`` sends a form; ``staff=True`` with an
    officer's token."""

    def send(path, body=None, *, content_type="application/json", multipart=False, staff=False):
        if staff:
            return api_as(users[("operator", "a")]).post(path, body or {})
        client = Client()
        if multipart:
            return client.post(path, body or {})
        if isinstance(body, str):
            return client.post(path, body, content_type=content_type)
        return client.post(path, body if body is not None else {}, content_type=content_type)

    return send


def _check(schema, operation, response, status, code):
    """``response`` is the documented refusal: its status documented with the error body, the body of
    that shape, and its code one the description names."""
    op = schema["paths"][operation]["post"]
    assert response.status_code == status, (operation, response.content)
    assert str(status) in op["responses"], (operation, status)
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert conforms(body, error_schema(schema, op, str(status))), body
    assert body["error"] == code, body
    assert f"`{code}`" in op["responses"][str(status)]["description"], (operation, status, code)
    if status == 429:
        assert int(response["Retry-After"]) >= 1


def test_filing_a_complaint_sends_the_documented_refusals(schema, cases, settings, api_as, users):
    send, seen = _sender(api_as, users), set()

    def check(response, status, code):
        _check(schema, CREATE, response, status, code)
        seen.add(str(status))

    valid = dict(BASE, service="kab-a-ktp")
    check(send(CREATE, "{x"), 400, "invalid_json")
    check(send(CREATE, "[1]"), 400, "invalid_json")
    check(send(CREATE, "x", content_type="multipart/form-data"), 400, "invalid_body")  # no boundary
    check(
        Client().post(
            CREATE, valid, content_type="application/json", headers={"Idempotency-Key": "x"}
        ),
        400,
        "invalid_idempotency_key",
    )
    check(send(CREATE, "title=x", content_type="text/plain"), 415, "unsupported_media_type")
    check(send(CREATE, {}), 422, "invalid_input")
    check(send(CREATE, dict(valid, title={"a": 1})), 422, "invalid_input")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    check(send(CREATE, dict(valid, description="x" * 2000)), 413, "too_large")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    settings.PUBLIC_FORM_RATE = (1, 600)  # the requests above used it up, refused ones too
    check(send(CREATE, valid), 429, "throttled")
    assert seen == DOCUMENTED[CREATE] - {"201"}


def test_asking_for_lost_codes_sends_the_documented_refusals(
    schema, cases, settings, api_as, users
):
    send, seen = _sender(api_as, users), set()

    def check(response, status, code):
        _check(schema, CODES, response, status, code)
        seen.add(str(status))

    check(send(CODES, "{x"), 400, "invalid_json")
    check(send(CODES, {"contact": "siti@example.id"}, multipart=True), 400, "invalid_json")
    check(send(CODES, {}), 422, "invalid_input")
    check(send(CODES, {"contact": "a" * 300 + "@example.id"}), 422, "invalid_input")
    check(send(CODES, {"contact": "bukan kontak"}), 422, "invalid_contact")
    check(send(CODES, {"contact": "081234567890"}), 422, "sms_unavailable")  # no SMS gateway
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    check(send(CODES, {"contact": "x" * 2000}), 413, "too_large")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    assert send(CODES, {"contact": "siti@example.id"}).status_code == 202
    settings.PUBLIC_FORM_RATE = (1, 600)  # the requests above used it up, refused ones too
    check(send(CODES, {"contact": "siti@example.id"}), 429, "throttled")
    assert seen == DOCUMENTED[CODES] - {"202"}


def _step_refusals(case):
    """For each step: ``(status, code, the case (or a wrong code), body, how)`` of each refusal it sends
    besides the ones common to all (staff, wrong code, too large, too many)."""
    received, answered, closed = case["received"], case["answered"], case["closed"]
    return {
        "replies": [
            (400, "invalid_json", received, "{x", {}),
            (400, "invalid_json", received, "[]", {}),
            (400, "invalid_body", received, "x", {"content_type": "multipart/form-data"}),
            (409, "invalid_transition", closed, {"text": "Ada tambahan informasi."}, {}),
            (415, "unsupported_media_type", received, "teks", {"content_type": "text/plain"}),
            (422, "required", received, {"text": "  "}, {}),
            (422, "invalid_input", received, {"text": 5}, {}),
            (422, "markup", received, {"text": "<script>alert(1)</script>"}, {}),
            (422, "too_long", received, {"text": "x" * 5001}, {}),
        ],
        "confirm": [
            (400, "invalid_json", answered, "{x", {}),
            (409, "invalid_transition", received, {"rating": 5}, {}),
            (422, "invalid_input", answered, "", {}),  # no body
            (422, "invalid_input", answered, {"rating": "lima"}, {}),
            (422, "invalid_rating", answered, {"rating": 9}, {}),
            (422, "markup", answered, {"comment": "<b>bagus</b>"}, {}),
        ],
        "dispute": [
            (400, "invalid_json", answered, {"reason": "Belum beres."}, {"multipart": True}),
            (409, "invalid_transition", received, {"reason": "Belum beres sama sekali."}, {}),
            (422, "invalid_input", answered, {}, {}),
            (422, "required", answered, {"reason": " "}, {}),
            (422, "too_long", answered, {"reason": "x" * 5001}, {}),
        ],
        "rating": [
            (400, "invalid_json", closed, "{x", {}),
            (409, "invalid_transition", answered, {"rating": 4}, {}),
            (409, "already_rated", closed, {"rating": 4}, {}),
            (422, "invalid_input", closed, {}, {}),
            (422, "invalid_rating", closed, {"rating": 0}, {}),
        ],
    }


@pytest.mark.parametrize("step", ["replies", "confirm", "dispute", "rating"])
def test_the_complainants_steps_send_the_documented_refusals(
    schema, cases, settings, api_as, users, step
):
    operation, send, seen = STEP + step, _sender(api_as, users), set()
    path = f"/api/v1/complaints/{{}}/{step}"
    own = cases["answered"] if step in ("confirm", "dispute") else cases["closed"]
    ok_body = {"replies": {"text": "Ada tambahan."}, "dispute": {"reason": "Belum beres."}}.get(
        step, {"rating": 5}
    )

    def check(response, status, code):
        _check(schema, operation, response, status, code)
        seen.add(str(status))

    for status, code, case, body, how in _step_refusals(cases)[step]:
        check(send(path.format(case.tracking_code), body, **how), status, code)
    # Refused to staff, whatever the code; an unknown code is a guess.
    check(send(path.format(own.tracking_code), ok_body, staff=True), 403, "staff_not_complainant")
    check(send(path.format(WRONG), ok_body), 404, "not_found")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    check(send(path.format(own.tracking_code), {"text": "x" * 2000}), 413, "too_large")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    # Too many wrong codes: every lookup is refused, the right code too.
    settings.COMPLAINT_TRACK_RATE = (1, 600)
    check(send(path.format(own.tracking_code), ok_body), 429, "throttled")
    settings.COMPLAINT_TRACK_RATE = (20, 600)
    # Too many steps from one client (the public forms' limit).
    settings.PUBLIC_FORM_RATE = (1, 600)
    check(send(path.format(WRONG), ok_body), 429, "throttled")
    assert seen == DOCUMENTED[operation] - {"200", "201"}
