"""Shared API pieces: bearer-token auth for staff, and structured errors."""

from __future__ import annotations

from ninja.errors import HttpError
from ninja.security import HttpBearer

from . import tokens


class StaffToken(HttpBearer):
    """``Authorization: Bearer amanah_…`` for staff accounts and integrations."""

    def authenticate(self, request, token):
        user = tokens.authenticate(token)
        if user is None:
            return None
        request.user = user
        return user


staff_auth = StaffToken()


class ApiError(HttpError):
    """A 4xx answer with a machine-readable code, a message and optional per-field errors."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(status, message)
        self.code = code
        self.fields = fields or {}


#: OpenAPI schema of a repeatable multipart file field (``evidence`` in the intake forms).
FILES_FIELD = {"type": "array", "items": {"type": "string", "format": "binary"}}


def json_or_multipart_body(schema, files_field: str = "evidence") -> dict:
    """``openapi_extra`` for an operation that reads its body by hand (JSON, or the same fields as multipart
    form data with repeatable files in ``files_field``) and so has no body parameter from which ninja would
    describe it: the schema class is written into the operation itself (a ``$ref`` would point at a
    component that ninja never adds)."""
    ref = schema.model_json_schema()
    return {
        "requestBody": {
            "content": {
                "application/json": {"schema": ref},
                "multipart/form-data": {
                    "schema": {"allOf": [ref], "properties": {files_field: FILES_FIELD}}
                },
            },
            "required": True,
        }
    }
