"""Shared API pieces: bearer-token auth for staff, and structured errors."""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpResponseBase
from django.utils.translation import gettext_lazy, ngettext_lazy
from ninja import Field, Schema, Status
from ninja.constants import NOT_SET
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


class ImportProblemOut(Schema):
    """One problem of a refused spreadsheet import (:class:`amanah.core.tabular.RowError`)."""

    row: int = Field(
        description="The row of the file (1 is the header), or 0 for the file as a whole"
    )
    column: str = Field(
        description="The column the problem is in; empty for a whole row or the file"
    )
    message: str = Field(description="What is wrong, for people, in the reader's language")


class ErrorOut(Schema):
    """The body of every refusal of the API (``amanah/api.py``): a machine-readable code, a message for
    people and, for input, a message per field; a refused spreadsheet import also lists its problems."""

    error: str
    message: str
    fields: dict[str, str] = {}
    rows: list[ImportProblemOut] = Field(
        default_factory=list,
        description="Only with `import_rejected` (a spreadsheet import refused as a whole): every problem "
        'of the file; the same as `fields` keyed `"row.column"`.',
    )


#: The ``Retry-After`` header of a 429, for ``openapi_extra`` (``RetryAfterMiddleware`` sets it).
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds until the rate-limit window that refused the request ends.",
        "schema": {"type": "integer", "minimum": 1},
    }
}


# --- Refusals, as the OpenAPI document declares them ----------------------------------------------------


def refusals(descriptions: dict[int, str]) -> dict:
    """The ``responses`` of ``openapi_extra`` that say when an operation answers each refusal (merged
    into ninja's own, which give the body and only the status's name); a 429 also names its
    ``Retry-After`` header."""
    out = {status: {"description": text} for status, text in descriptions.items()}
    if 429 in out:
        out[429]["headers"] = RETRY_AFTER
    return out


def error_bodies(descriptions: dict[int, str]) -> dict:
    """The ``response=`` entries of those refusals: each answers with the API's error body."""
    return dict.fromkeys(descriptions, ErrorOut)


#: What each refusal means, for an operation that says nothing more particular about it.
REFUSED = {
    400: "The request cannot be used: a body that is not JSON (`invalid_json`) or a form that cannot be "
    "read (`invalid_body`), a NUL character (`invalid_characters`), a value the database cannot store "
    "(`invalid_value`) or a value refused by the operation (`invalid_*`, `out_of_range`…).",
    401: "No token, or a token that is not valid, expired or revoked (`unauthorized`).",
    403: "The account's roles do not allow this (`forbidden` or a more particular code).",
    404: "What the path or a parameter names does not exist or is not visible to the caller "
    "(`not_found`, `unknown_agency`…).",
    409: "The record is not in a state that allows this now, or it already exists (`invalid_state`, "
    "`exists`…).",
    413: "The body is too large (`too_large`).",
    422: "A parameter or a field of the body is missing or not valid (`invalid_input` or a more "
    "particular code), with a message per field in `fields`.",
    429: "Too many requests from this client (`throttled`, `rate_limited`); `Retry-After` says how long "
    "to wait.",
}

#: Every operation may answer it: the middleware refuses a NUL character anywhere in the query string
#: (even in a parameter the operation does not take) before the operation runs.
NUL = "A NUL character in the query string or the body (`invalid_characters`)."

_WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _is_optional(auth) -> bool:
    """An ``auth=[…]`` that lets anonymous callers through (ends in a plain callable)."""
    return isinstance(auth, (list, tuple)) and any(
        not hasattr(a, "openapi_security_schema") for a in auth
    )


def _always(view, status: int):
    """``view`` answering ``status`` when it returns a bare body (ninja only takes a bare body as the
    one declared status while there is one)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        result = view(*args, **kwargs)
        if isinstance(result, (HttpResponseBase, Status, tuple)):
            return result
        return Status(status, result)

    return wrapped


def declare_refusals(router, extra: dict | None = None, *, default=(), staff=(), writes=()) -> None:
    """Declares in the OpenAPI document, on every operation of ``router`` that declares none yet, the
    refusals it can answer, each with the :class:`ErrorOut` body:

    - ``401`` when it takes a token (not when an anonymous caller is let through: its ``security`` then
      also lists ``{}``, OpenAPI's "no authentication");
    - ``400`` (a NUL character in the query, refused by the middleware, also on an operation that
      declares its own refusals), ``422`` when it takes parameters or a body, ``413`` when it takes a
      body;
    - ``429`` when it is throttled;
    - ``default`` (statuses) for every operation of the router, ``staff`` for every one that requires a
      staff token, ``writes`` for every POST, PUT, PATCH or DELETE that does, and ``extra`` per
      operation: the view function's name → statuses, or → ``{status: description}`` (a description of
      its own for a status it answers anyway).

    Called at the end of an app's ``api.py``, after its operations."""
    extra = extra or {}
    known = set()
    for path_view in router.path_operations.values():
        for op in path_view.operations:
            name = op.view_func.__name__
            known.add(name)
            declared = {s for s in op.response_models if isinstance(s, int) and s >= 400}
            if not op.include_in_schema:
                continue
            if declared:  # it declares its own (most of complaints): all but the NUL refusal
                if 400 not in declared:
                    op.response_models[400] = op._create_response_model(ErrorOut)
                    openapi = dict(op.openapi_extra or {})
                    openapi["responses"] = {**refusals({400: NUL}), **openapi.get("responses", {})}
                    op.openapi_extra = openapi
                continue
            auth = router.auth if op.auth_param is NOT_SET else op.auth_param
            optional = _is_optional(auth)
            takes = [m for m in op.models if m.model_fields]
            by_hand = "requestBody" in (op.openapi_extra or {})  # a body read by hand
            body = any(m.__ninja_param_source__ in ("body", "form", "file") for m in takes)
            wanted: dict[int, str] = {}
            for status in default:
                wanted[status] = REFUSED[status]
            if auth not in (None, NOT_SET) and not optional:
                wanted[401] = REFUSED[401]
                if auth is staff_auth or (isinstance(auth, (list, tuple)) and staff_auth in auth):
                    for status in staff:
                        wanted[status] = REFUSED[status]
                    if set(op.methods) & _WRITES:
                        for status in writes:
                            wanted[status] = REFUSED[status]
            wanted[400] = REFUSED[400] if takes or by_hand else NUL
            if takes or by_hand:
                wanted[422] = REFUSED[422]
            if body or by_hand:
                wanted[413] = REFUSED[413]
            if op.throttle_objects:
                wanted[429] = REFUSED[429]
            more = extra.get(name, {})
            if not isinstance(more, dict):
                more = {status: REFUSED[status] for status in more}
            wanted.update(more)
            wanted = dict(sorted(wanted.items()))
            ok = [s for s in op.response_models if isinstance(s, int) and s < 400]
            if len(ok) == 1 and ok[0] != 200 and wanted:
                op.view_func = _always(op.view_func, ok[0])
            for status in wanted:
                op.response_models[status] = op._create_response_model(ErrorOut)
            openapi = dict(op.openapi_extra or {})
            openapi["responses"] = {**refusals(wanted), **openapi.get("responses", {})}
            if optional:
                openapi.setdefault(
                    "security",
                    [{type(a).__name__: []} for a in auth if hasattr(a, "openapi_security_schema")]
                    + [{}],
                )
            op.openapi_extra = openapi
    unknown = set(extra) - known
    assert not unknown, f"declare_refusals: no such operation {sorted(unknown)}"


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
