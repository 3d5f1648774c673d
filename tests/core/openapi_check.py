"""Checks a real answer of the API against what the OpenAPI document (``/api/v1/openapi.json``) declares
for its operation: the status, a media type declared for that status and, for JSON, the declared schema
(JSON Schema 2020-12, date formats checked, and no key the schema does not describe)."""

from __future__ import annotations

import copy
import functools
import json


@functools.cache
def document() -> dict:
    """The document as ``/api/v1/openapi.json`` serves it (statuses as strings)."""
    from amanah.api import api

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))


def _closed(schema):
    """``schema`` with every object that lists its properties closed to any other key."""
    if isinstance(schema, dict):
        out = {k: _closed(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


@functools.cache
def _validator(method: str, path: str, status: str, media: str):
    import jsonschema_rs

    declared = document()["paths"][path][method]["responses"][status]["content"][media]["schema"]
    root = {"components": _closed(copy.deepcopy(document()["components"])), **_closed(declared)}
    return jsonschema_rs.Draft202012Validator(root, validate_formats=True)


def answer(response, method: str, path: str, status: int = 200):
    """The body of ``response`` (an answer of the operation ``method path`` as the document names it,
    e.g. ``"get", "/api/v1/integrity/cases/{id}"``) after checking it is what the document declares:
    parsed JSON for a JSON answer, else the bytes."""
    assert response.status_code == status, response.content[:2000]
    declared = document()["paths"][path][method]["responses"][str(status)].get("content", {})
    media = response["Content-Type"].split(";")[0].strip()
    assert media in declared, (method, path, status, media, sorted(declared))
    if media != "application/json":
        return response.content
    body = response.json()
    errors = [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in _validator(method, path, str(status), media).iter_errors(body)
    ]
    assert not errors, (method, path, errors)
    return body


def as_json(value):
    """``value`` as the API writes it (dates ``YYYY-MM-DD``), read back."""
    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
