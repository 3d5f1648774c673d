"""Shared API pieces: bearer-token auth for staff, and structured errors."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy, ngettext_lazy
from ninja import Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from . import ratelimit, tokens


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
    """A 4xx answer with a machine-readable code, a message and optional per-field errors.

    ``fields`` maps a field to a message for people, like ``message``; a refusal about one field alone
    names it with ``field=``, which repeats the message there (the code stays in ``error``)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict | None = None,
        *,
        field: str | None = None,
    ):
        super().__init__(status, message)
        self.code = code
        self.fields = dict(fields or {})
        if field is not None:
            self.fields[field] = message


class ErrorOut(Schema):
    """The body of every refusal of the API (``amanah/api.py``): a machine-readable code, a message for
    people and, for input, a message per field."""

    error: str
    message: str
    fields: dict[str, str] = {}


#: The ``Retry-After`` header of a 429, for ``openapi_extra`` (``RetryAfterMiddleware`` sets it).
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds until the rate-limit window that refused the request ends.",
        "schema": {"type": "integer", "minimum": 1},
    }
}


class PublicWrites(BaseThrottle):
    """The rate limit of the public forms (``PUBLIC_FORM_RATE`` per client address, counted under
    ``scope``) on an API operation. django-ninja checks it before it reads the body, so a refused body
    counts like an accepted one, as on the page; a refusal is a 429 with ``Retry-After``."""

    def __init__(self, scope: str):
        self.scope = scope

    def allow_request(self, request) -> bool:
        count, window = settings.PUBLIC_FORM_RATE
        return ratelimit.hit(self.scope, ratelimit.client_ip(request), count, window)

    def wait(self):
        return ratelimit.retry_after()


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


#: What a body that does not fit an operation's schema is told, by pydantic's error type, in the reader's
#: language (pydantic's own messages are English only).
VALIDATION_MESSAGES = {
    "missing": gettext_lazy("Wajib diisi."),
    "string_type": gettext_lazy("Harus berupa teks."),
    "int_type": gettext_lazy("Harus bilangan bulat."),
    "int_parsing": gettext_lazy("Harus bilangan bulat."),
    "int_from_float": gettext_lazy("Harus bilangan bulat."),
    "float_type": gettext_lazy("Harus berupa angka."),
    "float_parsing": gettext_lazy("Harus berupa angka."),
    "bool_type": gettext_lazy("Isi ya atau tidak (true/false)."),
    "bool_parsing": gettext_lazy("Isi ya atau tidak (true/false)."),
    "date_type": gettext_lazy("Tanggal harus berformat TTTT-BB-HH."),
    "date_parsing": gettext_lazy("Tanggal harus berformat TTTT-BB-HH."),
    "date_from_datetime_parsing": gettext_lazy("Tanggal harus berformat TTTT-BB-HH."),
    "datetime_type": gettext_lazy(
        "Waktu harus berformat ISO 8601, misalnya 2026-06-01T09:30:00+07:00."
    ),
    "datetime_parsing": gettext_lazy(
        "Waktu harus berformat ISO 8601, misalnya 2026-06-01T09:30:00+07:00."
    ),
    "datetime_from_date_parsing": gettext_lazy(
        "Waktu harus berformat ISO 8601, misalnya 2026-06-01T09:30:00+07:00."
    ),
    "list_type": gettext_lazy("Harus berupa daftar."),
    "dict_type": gettext_lazy("Harus berupa objek JSON."),
    "model_type": gettext_lazy("Harus berupa objek JSON."),
    "model_attributes_type": gettext_lazy("Harus berupa objek JSON."),
    "json_invalid": gettext_lazy("Badan permintaan bukan JSON yang sah."),
    "string_too_long": gettext_lazy("Terlalu panjang."),
    "string_too_short": gettext_lazy("Terlalu pendek."),
    "literal_error": gettext_lazy("Pilihan tidak dikenal."),
    "enum": gettext_lazy("Pilihan tidak dikenal."),
    "greater_than": gettext_lazy("Di luar rentang yang diterima."),
    "greater_than_equal": gettext_lazy("Di luar rentang yang diterima."),
    "less_than": gettext_lazy("Di luar rentang yang diterima."),
    "less_than_equal": gettext_lazy("Di luar rentang yang diterima."),
}


def schema_errors(errors) -> dict[str, str]:
    """django-ninja's validation errors as ``{field: message}`` in the reader's language."""
    fields: dict[str, str] = {}
    for err in errors:
        loc = [
            str(p)
            for p in err.get("loc", [])
            if p not in ("body", "query", "path", "form", "payload")
        ]
        message = VALIDATION_MESSAGES.get(err.get("type", ""), gettext_lazy("Isian tidak valid."))
        fields.setdefault(".".join(loc) or "body", str(message))
    return fields


def import_fields(exc) -> dict[str, str]:
    """The problems of a refused spreadsheet import (:class:`amanah.core.tabular.ImportRejected`) as
    ``fields``: keyed ``"row.column"`` (``"row"`` alone for a problem of a whole row), messages of one key
    joined."""
    fields: dict[str, str] = {}
    for e in exc.errors:
        key = f"{e.row}.{e.column}" if e.column else str(e.row)
        fields[key] = f"{fields[key]} {e.message}" if key in fields else e.message
    return fields


#: The messages of ``amanah/api.py``'s handlers (kept here, in core's catalogue).
INVALID_BODY = gettext_lazy("Data yang dikirim tidak valid.")
THROTTLED = gettext_lazy("Terlalu banyak permintaan. Coba lagi beberapa menit lagi.")

#: The API's own refusals (``amanah/api.py``), in the reader's language.
MESSAGES = {
    "unauthorized": gettext_lazy("Token tidak ada, tidak sah atau kedaluwarsa."),
    "forbidden": gettext_lazy("Anda tidak berwenang."),
    "invalid_value": gettext_lazy("Sebagian data tidak dapat disimpan: periksa isian Anda."),
    "not_found": gettext_lazy("Data tidak ditemukan."),
    "too_many_fields": gettext_lazy("Permintaan memuat terlalu banyak isian."),
    "too_large": gettext_lazy("Permintaan terlalu besar."),
    "invalid_json": gettext_lazy(
        "Badan permintaan bukan JSON yang sah: kirim objek JSON (application/json)."
    ),
    "invalid_body": gettext_lazy(
        "Badan permintaan tidak dapat dibaca: kirim objek JSON (application/json) atau formulir "
        "multipart/form-data yang utuh."
    ),
    "bad_request": gettext_lazy("Permintaan tidak dapat diproses."),
    "server_error": gettext_lazy("Terjadi kesalahan pada server. Coba lagi beberapa saat lagi."),
    "too_many_attachments": ngettext_lazy(
        "Paling banyak %(n)d berkas lampiran.", "Paling banyak %(n)d berkas lampiran.", "n"
    ),
    "too_many_evidence": ngettext_lazy(
        "Paling banyak %(n)d berkas bukti.", "Paling banyak %(n)d berkas bukti.", "n"
    ),
}
