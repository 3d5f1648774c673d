"""Every successful answer the OpenAPI document declares says what it holds: a JSON answer has a schema
that names its fields (a client generator otherwise types it ``any``), a file or CSV answer its media type.
The real answers are checked against these schemas in each app's ``test_api_answers.py``
(``tests/core/openapi_check.py``)."""

from tests.core.openapi_check import document

#: The operations of core, which has no prefix of its own: each path with the paths under it. Not
#: ``/api/v1/staff/``, which also holds complaints' and the forum's staff operations.
CORE = (
    "/api/v1/health",
    "/api/v1/agencies",
    "/api/v1/services",
    "/api/v1/calendar",
    "/api/v1/audit",
    "/api/v1/staff/me",
    "/api/v1/staff/employees",
    "/api/v1/staff/closures",
)

#: The operations of complaints: the public ones, and the staff ones, which share ``/api/v1/staff/`` with
#: core's.
COMPLAINTS = (
    "/api/v1/complaints",
    "/api/v1/staff/complaints",
    "/api/v1/staff/answer-templates",
)

#: The apps whose operations are held to it: a prefix holds that path and the paths under it (a whole
#: segment: ``/api/v1/health`` is not ``/api/v1/healthz``).
APPS = (
    *COMPLAINTS,
    "/api/v1/integrity",
    "/api/v1/surveys",
    "/api/v1/transparency",
    "/api/v1/personnel",
    "/api/v1/forum",
    *CORE,
)


def _held(path: str, prefixes) -> bool:
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes)


def _named(schema: dict, components: dict) -> bool:
    """The schema says what the body holds: a named schema of properties, an object of properties, or a
    list of such."""
    if "$ref" in schema:
        target = components[schema["$ref"].rsplit("/", 1)[1]]
        return _named(target, components)
    if "properties" in schema:
        return True
    if schema.get("type") == "array":
        return _named(schema.get("items", {}), components)
    return False


def _unnamed_answers(doc, prefixes):
    components = doc["components"]["schemas"]
    for path, methods in doc["paths"].items():
        if not _held(path, prefixes):
            continue
        for method, op in methods.items():
            for status, response in op["responses"].items():
                if not 200 <= int(status) < 300 or status == "204":
                    continue
                content = response.get("content")
                if not content:
                    yield method, path, status, "no body declared"
                    continue
                for media, body in content.items():
                    schema = body.get("schema")
                    if not schema:
                        yield method, path, status, f"{media} without a schema"
                    elif media == "application/json" and not _named(schema, components):
                        yield method, path, status, f"{media} of no named fields: {schema}"


def test_every_successful_answer_declares_what_it_holds():
    missing = list(_unnamed_answers(document(), APPS))
    assert not missing, missing


def test_the_check_finds_an_answer_without_a_schema():
    """The check itself: an operation answering ``dict`` or declaring no answer is found."""
    doc = {
        "components": {"schemas": {"Named": {"type": "object", "properties": {"a": {}}}}},
        "paths": {
            "/api/v1/integrity/a": {
                "get": {"responses": {"200": {"description": "OK"}}},
                "post": {
                    "responses": {
                        "201": {
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "additionalProperties": True}
                                }
                            }
                        },
                        "204": {"description": "No content"},
                    }
                },
            },
            "/api/v1/integrity/b": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Named"}
                                },
                                "text/csv": {"schema": {"type": "string"}},
                            }
                        }
                    }
                }
            },
        },
    }
    found = [(m, p, s) for m, p, s, _why in _unnamed_answers(doc, APPS)]
    assert found == [("get", "/api/v1/integrity/a", "200"), ("post", "/api/v1/integrity/a", "201")]


def test_core_prefixes_hold_every_core_operation_and_no_other():
    """``CORE`` names every path of core's router (a new one is held to it too) and none of another
    app's: not complaints' staff operations, also under ``/api/v1/staff/``."""
    from amanah.core.api import router

    core = {"/api/v1" + path for path in router.path_operations}
    held = {path for path in document()["paths"] if _held(path, CORE)}
    assert held == core
    assert _held("/api/v1/staff/employees/import", CORE)
    assert not _held("/api/v1/staff/complaints", CORE)
    assert not _held("/api/v1/healthz", CORE)


def test_file_and_csv_answers_keep_their_media_types():
    paths = document()["paths"]

    def media(path):
        return set(paths[path]["get"]["responses"]["200"]["content"])

    assert media("/api/v1/transparency/summary") == {"application/json", "text/csv"}
    assert media("/api/v1/transparency/{table}") == {"application/json", "text/csv"}
    assert {"application/pdf", "image/jpeg"} <= media(
        "/api/v1/integrity/cases/{id}/evidence/{evidence_id}"
    )


def test_complaints_prefixes_hold_every_complaints_operation_and_no_other():
    """``COMPLAINTS`` names every path of the complaints router, public and staff (a new one is held to
    it too), and none of core's beside them under ``/api/v1/staff/``."""
    from amanah.complaints.api import router

    complaints = {"/api/v1" + path for path in router.path_operations}
    held = {path for path in document()["paths"] if _held(path, COMPLAINTS)}
    assert held == complaints
    assert "/api/v1/complaints/published" in held
    assert "/api/v1/staff/complaints/{tracking_code}/evidence/{evidence_id}" in held
    assert not _held("/api/v1/staff/me", COMPLAINTS)
