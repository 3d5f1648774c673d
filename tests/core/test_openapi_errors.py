"""The OpenAPI document declares the refusals each operation can answer, each with the API's error body
(``ErrorOut``; ``core.api_utils.declare_refusals`` and the complaints' own declarations), and a refusal
really answered is one its operation declares."""

import json

import pytest

ERROR_OUT = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture(scope="module")
def schema():
    from amanah.api import api

    # as /api/v1/openapi.json serves it (statuses as strings)
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield method, path, op


def _takes_input(op) -> bool:
    """A body, or a parameter that can be refused (a plain text one cannot)."""
    return bool(op.get("requestBody")) or any(
        p.get("schema", {}).get("type") != "string" or "format" in p.get("schema", {})
        for p in op.get("parameters", [])
    )


def test_every_refusal_declared_has_the_error_body(schema):
    wrong = [
        (method, path, status)
        for method, path, op in _operations(schema)
        for status, response in op["responses"].items()
        if int(status) >= 400
        and response.get("content", {}).get("application/json", {}).get("schema") != ERROR_OUT
    ]
    assert not wrong, wrong


def test_every_operation_with_a_token_declares_401(schema):
    missing = [
        (method, path)
        for method, path, op in _operations(schema)
        # ``{}`` among the schemes: an anonymous caller is let through as well, so no 401
        if op.get("security") and {} not in op["security"] and "401" not in op["responses"]
    ]
    assert not missing, missing


def test_every_operation_declares_400(schema):
    """The middleware refuses a NUL character anywhere in the query string, before any operation."""
    missing = [
        (method, path) for method, path, op in _operations(schema) if "400" not in op["responses"]
    ]
    assert not missing, missing


def test_every_operation_with_input_declares_422(schema):
    missing = [
        (method, path)
        for method, path, op in _operations(schema)
        if _takes_input(op) and "422" not in op["responses"]
    ]
    assert not missing, missing


def test_every_staff_operation_declares_its_refusal_by_role(schema):
    """Every operation that requires a staff token checks the account's roles: 403, or 404 where a case
    the account may not handle is answered as one that does not exist."""
    missing = [
        (method, path)
        for method, path, op in _operations(schema)
        if {"StaffToken": []} in op.get("security", [])
        and {} not in op["security"]
        and path != "/api/v1/staff/me"  # every account may read itself
        and not {"403", "404"} & set(op["responses"])
    ]
    assert not missing, missing


def test_throttled_operations_declare_429_with_retry_after(schema):
    for method, path, op in _operations(schema):
        if "429" in op["responses"]:
            assert "Retry-After" in op["responses"]["429"].get("headers", {}), (method, path)


def test_the_employee_import_declares_its_rejection(schema):
    for path in (
        "/api/v1/staff/employees/import",
        "/api/v1/personnel/imports/{kind}",
        "/api/v1/surveys/periods/{id}/paper",
    ):
        responses = schema["paths"][path]["post"]["responses"]
        assert "import_rejected" in responses["422"]["description"], path


# (method, documented path, request path, JSON body, status answered, with a staff token)
REFUSALS = [
    ("get", "/api/v1/staff/me", "/api/v1/staff/me", None, 401, False),
    ("get", "/api/v1/services", "/api/v1/services?agency=nope", None, 404, False),
    (
        "get",
        "/api/v1/complaints/published",
        "/api/v1/complaints/published?limit=x",
        None,
        422,
        False,
    ),
    (
        "get",
        "/api/v1/complaints/published",
        "/api/v1/complaints/published?agency=nope",
        None,
        404,
        False,
    ),
    ("get", "/api/v1/integrity/me", "/api/v1/integrity/me", None, 401, False),
    ("post", "/api/v1/integrity/session", "/api/v1/integrity/session", {}, 422, False),
    ("get", "/api/v1/integrity/cases/{id}", "/api/v1/integrity/cases/999999", None, 404, True),
    (
        "get",
        "/api/v1/surveys/periods/{id}/questionnaire",
        "/api/v1/surveys/periods/999/questionnaire",
        None,
        404,
        False,
    ),
    ("post", "/api/v1/surveys/periods", "/api/v1/surveys/periods", {}, 401, False),
    ("get", "/api/v1/personnel/employees/{nip}", "/api/v1/personnel/employees/1", None, 401, False),
    (
        "get",
        "/api/v1/personnel/employees/{nip}",
        "/api/v1/personnel/employees/199001012020011999",
        None,
        404,
        True,
    ),
    ("get", "/api/v1/transparency/{table}", "/api/v1/transparency/nope", None, 404, False),
    (
        "get",
        "/api/v1/transparency/staff/overdue",
        "/api/v1/transparency/staff/overdue",
        None,
        401,
        False,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method,doc_path,path,body,status,staff", REFUSALS, ids=[f"{r[0]} {r[2]}" for r in REFUSALS]
)
def test_a_refusal_answered_is_declared(
    schema, org, users, api, api_as, method, doc_path, path, body, status, staff
):
    client = api_as(users[("admin", None)]) if staff else api
    if method == "get":
        r = client.get(path)
    else:
        r = client.post(path, body or {})
    assert r.status_code == status, r.content
    assert set(r.json()) >= {"error", "message", "fields"}
    declared = schema["paths"][doc_path][method]["responses"]
    assert str(status) in declared, sorted(declared)


def test_no_two_schemas_share_a_name():
    """The document names each body and answer schema by its class name: two different schemas of one
    name (``ReplyIn`` of complaints and of integrity) leave one of them described by the other."""
    import inspect
    import sys

    from ninja import Schema

    import amanah.api  # noqa: F401  (imports every API module)

    by_name = {}
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("amanah.") or module is None:
            continue
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, Schema) and obj.__module__ == module_name:
                by_name.setdefault(obj.__name__, set()).add(
                    json.dumps(obj.model_json_schema(), sort_keys=True)
                )
    shared = sorted(name for name, shapes in by_name.items() if len(shapes) > 1)
    assert not shared, shared


def test_lists_answer_a_page(schema):
    """Every list of the API answers ``{count, count_more, items}`` and takes ``limit`` and ``offset``
    (none cuts a long list silently)."""
    arrays, without_window = [], []
    for method, path, op in _operations(schema):
        if method != "get":
            continue
        body = op["responses"]["200"].get("content", {}).get("application/json", {}).get("schema")
        if body and body.get("type") == "array":
            arrays.append(path)
        if body and body.get("$ref", "").startswith("#/components/schemas/Page_"):
            names = {p["name"] for p in op.get("parameters", [])}
            if not {"limit", "offset"} <= names:
                without_window.append(path)
    assert not without_window, without_window
    assert set(arrays) <= SHORT_LISTS, sorted(set(arrays) - SHORT_LISTS)


#: Lists answered whole, each a bounded reference table rather than a list of cases or people: the
#: agencies (a few hundred), a year's holidays, an agency's answer templates, training catalogue,
#: competency dictionary and position requirements, one ASN's SKP, one survey period's plans.
SHORT_LISTS = {
    "/api/v1/agencies",
    "/api/v1/calendar/holidays",
    "/api/v1/staff/answer-templates",
    "/api/v1/surveys/periods/{id}/plans",
    "/api/v1/personnel/programs",
    "/api/v1/personnel/employees/{nip}/skp",
    "/api/v1/personnel/competencies",
    "/api/v1/personnel/competency/requirements",
}
