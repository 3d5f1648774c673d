"""The staff API's complaint operations - the inbox, a case, its files, every step on it, and the answer
templates - document every refusal they send, as the public writes do: each status in the schema with the
API's error body (``ErrorOut``) and a description naming its error codes; and each documented refusal really
comes, with that body and one of those codes. An integrator can then handle every answer from the schema."""

import json

import pytest
from django.test import Client

from .conftest import BASE
from .test_api_public_refusals import DEFAULT_DESCRIPTIONS as PUBLIC_DEFAULTS
from .test_public_downloads import conforms, error_schema

pytestmark = pytest.mark.django_db

WRONG = "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
CASE = "/api/v1/staff/complaints/{tracking_code}"
TEMPLATE = "/api/v1/staff/answer-templates/{template_id}"
#: ninja's own descriptions (the status's name), which say nothing of the error codes.
DEFAULT_DESCRIPTIONS = PUBLIC_DEFAULTS | {"Unauthorized"}


@pytest.fixture
def schema():
    return Client().get("/api/v1/openapi.json").json()


def _staff_operations(schema):
    """Every staff complaint operation of the schema, as ``(method, path)``."""
    return {
        (method, path)
        for path, ops in schema["paths"].items()
        if path.startswith(("/api/v1/staff/complaints", "/api/v1/staff/answer-templates"))
        for method in ops
    }


def test_every_staff_complaint_operation_documents_its_refusals(schema):
    operations = _staff_operations(schema)
    assert len(operations) == 22
    for method, path in operations:
        op = schema["paths"][path][method]
        refusals = {s for s in op["responses"] if not s.startswith("2")}
        assert "401" in refusals, (method, path)
        if "{tracking_code}" in path:
            assert "404" in refusals, (method, path)
        if method in ("post", "put", "patch"):
            assert {"400", "413"} <= refusals, (method, path)
        for status in refusals:
            response = op["responses"][status]
            assert response["description"] not in DEFAULT_DESCRIPTIONS, (method, path, status)
            assert "`" in response["description"], (method, path, status)  # names its codes
            error = error_schema(schema, op, status)
            # The shared error body; `rows` only comes with a refused spreadsheet import.
            assert set(error["properties"]) == {"error", "message", "fields", "rows"}
            assert set(error["required"]) == {"error", "message"}
    # The successes keep their own schemas.
    intake = schema["paths"]["/api/v1/staff/complaints"]["post"]["responses"]
    assert intake["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/Created")
    assert "Idempotent-Replayed" in intake["201"]["headers"]
    listed = schema["paths"]["/api/v1/staff/answer-templates"]["get"]["responses"]["200"]
    assert listed["content"]["application/json"]["schema"]["type"] == "array"


@pytest.fixture
def world(org, users, submit, walk, settings):
    """Cases at several stages, an answer template, and tokens for the people who send the requests."""
    from amanah.complaints.models import AnswerTemplate
    from amanah.core import tokens

    def token(role, key="a"):
        return tokens.issue(users[(role, key)], name="test")

    received = submit()
    return {
        "received": received,
        "forwarded": walk(submit(), "diteruskan"),
        "closed": walk(submit(), "selesai"),
        "template": AnswerTemplate.objects.create(
            agency=org["a"]["agency"], title="Salam", body="Terima kasih."
        ),
        "manager": token("pengelola"),
        "operator": token("operator"),
        "auditor": token("auditor"),
        "hr": token("kepegawaian"),
        "manager_b": token("pengelola", "b"),
    }


def _send(
    world, who, method, path, body=None, *, content_type="application/json", params=None, query=""
):
    path += query
    headers = {"Authorization": f"Bearer {world[who]}"} if who else {}
    client = Client()
    if method == "get":
        return client.get(path, params or {}, headers=headers)
    if isinstance(body, str):
        data = body
    elif content_type == "application/json":
        data = json.dumps(body if body is not None else {})
    else:
        data = body
    return client.generic(method.upper(), path, data, content_type=content_type, headers=headers)


def _refusals(world):
    """``(method, path template, status, code, who, path values, body, how)`` for one refusal of each
    status that each operation documents."""
    received, forwarded, closed = world["received"], world["forwarded"], world["closed"]
    r, f, c = received.tracking_code, forwarded.tracking_code, closed.tracking_code
    t = world["template"].pk
    out = []
    case_steps = {
        # step: (a case it cannot take now, or None; a body refused at a field; a valid body)
        "verify": (c, {"tier": [1]}, {}),
        "request-completion": (c, {}, {"message": "Mohon lengkapi lokasi."}),
        "complete": (c, {"note": [1]}, {}),
        "transfer": (c, {}, {"agency": "kab-b"}),
        "reject": (c, {}, {"reason": "spam"}),
        "start": (r, {"note": [1]}, {}),
        "reassign": (c, {}, {"unit": "kab-a-dukcapil"}),
        "escalate": (c, {"reason": [1]}, {}),
        "refer": (r, {"note": [1]}, {}),
        "assign": (c, {}, {"user": 1}),
        "notes": (None, {}, {"text": "Catatan."}),
        "publish": (r, {"approve": "mungkin"}, {"approve": True}),
        "answer": (r, {"text": [1]}, {"text": "Sudah kami perbaiki."}),
    }
    for step, (conflict, invalid, valid) in case_steps.items():
        path = CASE + "/" + step
        out += [
            ("post", path, 400, "invalid_json", "manager", {"tracking_code": f}, "{x", {}),
            ("post", path, 401, "unauthorized", None, {"tracking_code": f}, valid, {}),
            ("post", path, 403, "forbidden", "auditor", {"tracking_code": f}, valid, {}),
            ("post", path, 404, "not_found", "manager", {"tracking_code": WRONG}, valid, {}),
            ("post", path, 404, "not_found", "manager_b", {"tracking_code": f}, valid, {}),
            (
                "post",
                path,
                413,
                "too_large",
                "manager",
                {"tracking_code": f},
                {"x": "x" * 2000},
                {},
            ),
            ("post", path, 422, "invalid_input", "manager", {"tracking_code": f}, invalid, {}),
        ]
        if conflict:
            code = "not_requested" if step == "publish" else "invalid_transition"
            out.append(("post", path, 409, code, "manager", {"tracking_code": conflict}, valid, {}))
    verify = CASE + "/verify"
    out.append(
        ("post", verify, 422, "unknown_unit", "manager", {"tracking_code": r}, {"unit": "x"}, {})
    )
    answer = CASE + "/answer"
    out.append(
        (
            "post",
            answer,
            415,
            "unsupported_media_type",
            "manager",
            {"tracking_code": f},
            "teks",
            {"content_type": "text/plain"},
        )
    )
    intake = "/api/v1/staff/complaints"
    walk_in = dict(BASE, service="kab-a-ktp", channel="datang_langsung")
    out += [
        ("post", intake, 400, "invalid_json", "operator", {}, "{x", {}),
        ("post", intake, 401, "unauthorized", None, {}, walk_in, {}),
        ("post", intake, 403, "forbidden", "auditor", {}, walk_in, {}),
        ("post", intake, 413, "too_large", "operator", {}, dict(walk_in, loss="x" * 2000), {}),
        (
            "post",
            intake,
            415,
            "unsupported_media_type",
            "operator",
            {},
            "teks",
            {"content_type": "text/plain"},
        ),
        (
            "post",
            intake,
            422,
            "invalid_input",
            "operator",
            {},
            dict(walk_in, channel="merpati"),
            {},
        ),
        (
            "post",
            intake,
            422,
            "invalid_input",
            "operator",
            {},
            dict(walk_in, received_at="2999-01-01T09:00:00+07:00"),
            {},
        ),
        (
            "post",
            intake,
            422,
            "too_old",
            "operator",
            {},
            dict(walk_in, received_at="1949-01-01T09:00:00+07:00"),
            {},
        ),
        ("get", intake, 400, "query_too_long", "manager", {}, None, {"params": {"q": "x" * 201}}),
        ("get", intake, 400, "invalid_order", "manager", {}, None, {"params": {"order": "acak"}}),
        (
            "get",
            intake,
            422,
            "invalid_status",
            "manager",
            {},
            None,
            {"params": {"status": "bogus"}},
        ),
        (
            "get",
            intake,
            422,
            "invalid_channel",
            "manager",
            {},
            None,
            {"params": {"channel": "merpati"}},
        ),
        ("get", intake, 401, "unauthorized", None, {}, None, {}),
        ("get", intake, 403, "forbidden", "hr", {}, None, {}),
        (
            "get",
            intake,
            422,
            "invalid_input",
            "manager",
            {},
            None,
            {"params": {"date_from": "kemarin"}},
        ),
        ("get", CASE, 401, "unauthorized", None, {"tracking_code": r}, None, {}),
        ("get", CASE, 404, "not_found", "manager_b", {"tracking_code": r}, None, {}),
    ]
    evidence = CASE + "/evidence/{evidence_id}"
    out += [
        (
            "get",
            evidence,
            401,
            "unauthorized",
            None,
            {"tracking_code": r, "evidence_id": 1},
            None,
            {},
        ),
        (
            "get",
            evidence,
            404,
            "not_found",
            "manager",
            {"tracking_code": r, "evidence_id": 999999},
            None,
            {},
        ),
        (
            "get",
            evidence,
            422,
            "invalid_input",
            "manager",
            {"tracking_code": r, "evidence_id": "x"},
            None,
            {},
        ),
    ]
    templates = "/api/v1/staff/answer-templates"
    new = {"agency": "kab-a", "title": "Maaf", "body": "Mohon maaf atas ketidaknyamanan."}
    out += [
        ("get", templates, 401, "unauthorized", None, {}, None, {"params": {"agency": "kab-a"}}),
        (
            "get",
            templates,
            403,
            "forbidden",
            "manager_b",
            {},
            None,
            {"params": {"agency": "kab-a"}},
        ),
        ("get", templates, 404, "unknown_agency", "manager", {}, None, {"params": {"agency": "x"}}),
        ("get", templates, 422, "invalid_input", "manager", {}, None, {}),
        ("post", templates, 400, "invalid_json", "manager", {}, "{x", {}),
        ("post", templates, 401, "unauthorized", None, {}, new, {}),
        ("post", templates, 403, "forbidden", "operator", {}, new, {}),
        ("post", templates, 404, "unknown_agency", "manager", {}, dict(new, agency="x"), {}),
        ("post", templates, 413, "too_large", "manager", {}, dict(new, body="x" * 2000), {}),
        ("post", templates, 422, "required", "manager", {}, dict(new, title=" "), {}),
    ]
    change = {"title": "Salam", "body": "Terima kasih banyak."}
    for method in ("put", "patch"):
        out += [
            (method, TEMPLATE, 400, "invalid_json", "manager", {"template_id": t}, "{x", {}),
            (method, TEMPLATE, 401, "unauthorized", None, {"template_id": t}, change, {}),
            (method, TEMPLATE, 403, "forbidden", "operator", {"template_id": t}, change, {}),
            (method, TEMPLATE, 404, "not_found", "manager", {"template_id": 999999}, change, {}),
            (
                method,
                TEMPLATE,
                413,
                "too_large",
                "manager",
                {"template_id": t},
                dict(change, body="x" * 2000),
                {},
            ),
            (
                method,
                TEMPLATE,
                422,
                "invalid_input",
                "manager",
                {"template_id": t},
                {"title": 5},
                {},
            ),
        ]
    out += [
        ("delete", TEMPLATE, 401, "unauthorized", None, {"template_id": t}, None, {}),
        ("delete", TEMPLATE, 403, "forbidden", "operator", {"template_id": t}, None, {}),
        ("delete", TEMPLATE, 404, "not_found", "manager_b", {"template_id": t}, None, {}),
        ("delete", TEMPLATE, 422, "invalid_input", "manager", {"template_id": "x"}, None, {}),
    ]
    # A NUL character anywhere in the query string is refused by the middleware before any operation.
    nul = "invalid_characters"
    out += [
        ("get", templates, 400, nul, "manager", {}, None, {"params": {"agency": "kab-a\x00"}}),
        ("get", CASE, 400, nul, "manager", {"tracking_code": r}, None, {"query": "?x=%00"}),
        (
            "get",
            CASE + "/evidence/{evidence_id}",
            400,
            nul,
            "manager",
            {"tracking_code": r, "evidence_id": 1},
            None,
            {"query": "?x=%00"},
        ),
        ("delete", TEMPLATE, 400, nul, "manager", {"template_id": t}, None, {"query": "?x=%00"}),
    ]
    return out


def test_every_documented_staff_refusal_comes_with_its_body_and_code(schema, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1500
    seen = set()
    for method, template, status, code, who, values, body, how in _refusals(world):
        path = template.format(**values)
        response = _send(world, who, method, path, body, **how)
        where = (method, template, status, code)
        assert response.status_code == status, (where, response.content[:300])
        assert response["Content-Type"].startswith("application/json"), where
        op = schema["paths"][template][method]
        assert str(status) in op["responses"], where
        payload = response.json()
        assert conforms(payload, error_schema(schema, op, str(status))), (where, payload)
        assert payload["error"] == code, (where, payload)
        assert f"`{code}`" in op["responses"][str(status)]["description"], where
        seen.add((method, template, str(status)))
    documented = {
        (method, path, status)
        for method, path in _staff_operations(schema)
        for status in schema["paths"][path][method]["responses"]
        if not status.startswith("2")
    }
    assert seen == documented, documented ^ seen
    # Nothing was changed by the refused requests.
    world["received"].refresh_from_db()
    assert world["received"].status == "diterima"
    world["template"].refresh_from_db()
    assert world["template"].body == "Terima kasih."
