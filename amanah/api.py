"""Assembles every app's django-ninja router under /api/v1."""

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from amanah.complaints.api import router as complaints_router
from amanah.core.api import router as core_router
from amanah.core.api_utils import (
    INVALID_BODY,
    MESSAGES,
    THROTTLED,
    ApiError,
    import_fields,
    schema_errors,
)
from amanah.core.tabular import ImportRejected
from amanah.forum.api import router as forum_router
from amanah.integrity.api import router as integrity_router
from amanah.personnel.api import router as personnel_router
from amanah.surveys.api import router as surveys_router
from amanah.transparency.api import router as transparency_router

api = NinjaAPI(
    title="Amanah API",
    version="1",
    description="Public and staff API of Amanah. Staff endpoints take `Authorization: Bearer <token>`.",
    urls_namespace="api",
)


def _error(request, status, code, message, fields=None, **extra):
    return api.create_response(
        request, {"error": code, "message": message, "fields": fields or {}, **extra}, status=status
    )


@api.exception_handler(ImportRejected)
def on_import_rejected(request, exc):
    """A spreadsheet import refused as a whole, wherever it is uploaded: 422 with every problem in
    ``fields`` keyed ``"row.column"`` (``"row"`` for one without a column, ``"0"`` for the file itself),
    and the same problems as a list in ``rows`` (``{row, column, message}``)."""
    return _error(
        request,
        422,
        "import_rejected",
        str(exc),
        import_fields(exc),
        rows=[e.as_dict() for e in exc.errors],
    )


@api.exception_handler(ApiError)
def on_api_error(request, exc):
    return _error(request, exc.status_code, exc.code, exc.message, exc.fields)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if exc.status_code == 400 and str(exc.message).startswith("Cannot parse request body"):
        # django-ninja's own refusal of a body it cannot read as JSON: said as the operations that read
        # their body by hand say it, in the site's language and with the same code.
        return _error(
            request,
            400,
            "invalid_json",
            str(MESSAGES["invalid_json"]),
        )
    return _error(request, exc.status_code, "error", str(exc.message))


@api.exception_handler(NinjaValidationError)
def on_validation(request, exc):
    fields = schema_errors(exc.errors)
    first = next(iter(fields.items()), None)
    summary = str(INVALID_BODY)
    if first:
        summary = f"{summary} {first[0]}: {first[1]}"
    return _error(request, 422, "invalid_input", summary, fields)


@api.exception_handler(Throttled)
def on_throttled(request, exc):
    return _error(request, 429, "throttled", str(THROTTLED))


@api.exception_handler(ValidationError)
def on_django_validation(request, exc):
    fields = {k: " ".join(str(m) for m in v) for k, v in getattr(exc, "message_dict", {}).items()}
    return _error(request, 422, "invalid_input", " ".join(exc.messages), fields)


@api.exception_handler(AuthenticationError)
def on_auth(request, exc):
    return _error(request, 401, "unauthorized", str(MESSAGES["unauthorized"]))


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return _error(request, 403, "forbidden", str(exc) or str(MESSAGES["forbidden"]))


@api.exception_handler(DataError)
def on_data_error(request, exc):
    """Input the database cannot store (a NUL character in a form field, a number out of range):
    the transaction was rolled back, so nothing was saved."""
    return _error(request, 400, "invalid_value", str(MESSAGES["invalid_value"]))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", str(MESSAGES["not_found"]))


@api.exception_handler(TooManyFilesSent)
def on_too_many_files(request, exc):
    # Django stops reading a body past DATA_UPLOAD_MAX_NUMBER_FILES (our own limit is far lower). An
    # answer's files are its attachments; everywhere else they are evidence.
    n = settings.UPLOAD_MAX_FILES
    if request.path.rstrip("/").endswith("/answer"):
        field = "attachments"
        message = str(MESSAGES["too_many_attachments"] % {"n": n})
    else:
        field = "evidence"
        message = str(MESSAGES["too_many_evidence"] % {"n": n})
    return _error(request, 422, "too_many_files", message, {field: message})


@api.exception_handler(TooManyFieldsSent)
def on_too_many_fields(request, exc):
    return _error(request, 400, "too_many_fields", str(MESSAGES["too_many_fields"]))


@api.exception_handler(MultiPartParserError)
@api.exception_handler(BadRequest)
def on_unreadable_body(request, exc):
    """A form body Django cannot parse (multipart without a boundary or cut short, a form in another
    encoding than UTF-8), met when an operation reads ``request.POST``: refused in the API's shape
    instead of Django's 400 page."""
    return _error(request, 400, "invalid_body", str(MESSAGES["invalid_body"]))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    return _error(request, 413, "too_large", str(MESSAGES["too_large"]))


api.add_router("/", core_router)
api.add_router("/", complaints_router)
api.add_router("/integrity", integrity_router)
api.add_router("/surveys", surveys_router)
api.add_router("/personnel", personnel_router)
api.add_router("/forum", forum_router)
api.add_router("/transparency", transparency_router)
