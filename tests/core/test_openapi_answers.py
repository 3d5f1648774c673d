"""Every successful answer the OpenAPI document declares says what it holds: a JSON answer has a schema
that names its fields (a client generator otherwise types it ``any``), a file or CSV answer its media type.
The real answers are checked against these schemas in each app's ``test_api_answers.py``
(``tests/core/openapi_check.py``)."""

from tests.core.openapi_check import document

#: The apps whose operations are held to it. complaints and personnel still answer some bodies without a
#: schema (``/complaints/published``, the reporter's and the officer's case, the personnel competency,
#: index, absences and mentoring lists…): add their prefixes here once they declare them.
APPS = (
    "/api/v1/integrity/",
    "/api/v1/surveys/",
    "/api/v1/transparency/",
    "/api/v1/personnel/",
)


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
        if not path.startswith(prefixes):
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


def test_file_and_csv_answers_keep_their_media_types():
    paths = document()["paths"]

    def media(path):
        return set(paths[path]["get"]["responses"]["200"]["content"])

    assert media("/api/v1/transparency/summary") == {"application/json", "text/csv"}
    assert media("/api/v1/transparency/{table}") == {"application/json", "text/csv"}
    assert {"application/pdf", "image/jpeg"} <= media(
        "/api/v1/integrity/cases/{id}/evidence/{evidence_id}"
    )
