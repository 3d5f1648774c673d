"""Every personnel operation that answers with a body declares it in the OpenAPI document: a 2xx JSON
answer names a schema of its own (a component with its fields, or a list or page of one), never no
content nor a bare object, so a client generated from /api/v1/openapi.json knows the fields of the
competency profile, the index, the absence summary, mentoring pairs and the rest. A file answer
(the exports) declares its content types."""

import json

import pytest

PREFIX = "/api/v1/personnel/"


@pytest.fixture(scope="module")
def schema():
    from amanah.api import api

    # as /api/v1/openapi.json serves it (statuses as strings)
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))


def _component(schema, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _names_fields(schema, body: dict | None) -> bool:
    """Whether ``body`` (a response content's schema) is a component with fields, or a list of one
    (a page of the API's lists is a component whose ``items`` are)."""
    if not body:
        return False
    if body.get("type") == "array":
        return _names_fields(schema, body.get("items"))
    if "$ref" not in body:
        return False
    return bool(_component(schema, body["$ref"]).get("properties"))


def _personnel_answers(schema):
    for path, methods in schema["paths"].items():
        if path.startswith(PREFIX):
            for method, op in methods.items():
                for status, response in op["responses"].items():
                    if status.startswith("2"):
                        yield f"{method.upper()} {path} {status}", status, response


def test_every_personnel_answer_declares_its_body(schema):
    answers = list(_personnel_answers(schema))
    assert len(answers) > 40
    wrong = []
    for name, status, response in answers:
        content = response.get("content") or {}
        if status == "204":
            if content:
                wrong.append(f"{name}: 204 with a body")
            continue
        if not content:
            wrong.append(f"{name}: no content declared")
        for ctype, media in content.items():
            if ctype == "application/json":
                if not _names_fields(schema, media.get("schema")):
                    wrong.append(f"{name}: JSON without a schema of its own: {media.get('schema')}")
            elif not media.get("schema"):
                wrong.append(f"{name}: {ctype} without a schema")
    assert not wrong, "\n".join(wrong)


def test_the_named_operations_declare_their_fields(schema):
    """The operations the brief named, with the fields they answer today."""
    paths = schema["paths"]

    def fields(path, method="get", status="200"):
        body = paths[PREFIX + path][method]["responses"][status]["content"]["application/json"]
        return set(_component(schema, body["schema"]["$ref"])["properties"])

    assert fields("employees/{nip}/competency") == {"nip", "position", "requirements", "gaps"}
    assert fields("employees/{nip}/index") >= {"nip", "year", "total", "category", "advice"}
    assert fields("employees/{nip}/absences") >= {
        "cumulative",
        "consecutive",
        "consecutive_from",
        "consecutive_to",
        "suggested",
        "days",
    }
    assert fields("mentoring") == {"count", "count_more", "items"}
    assert fields("index/units") == {"agency", "year", "overall", "units"}
    export = paths[PREFIX + "exports/{kind}"]["get"]["responses"]["200"]["content"]
    assert set(export) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
