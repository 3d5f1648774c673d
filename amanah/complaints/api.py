"""Complaint API: public intake and tracking (no account), staff workflow (bearer token).

Public: ``POST /complaints`` (JSON or multipart with repeatable ``evidence``), ``GET /complaints/{code}``,
replies, confirm, dispute, rating and the published list. Staff: ``/staff/complaints…``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated

from django.conf import settings
from django.http import HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.responses import Status
from pydantic import BeforeValidator

from amanah.core import calendar, files, paging, permissions, ratelimit
from amanah.core.api_utils import (
    FILES_FIELD,
    ApiError,
    ErrorOut,
    PublicWrites,
    declare_refusals,
    json_or_multipart_body,
    staff_auth,
)
from amanah.core.api_utils import error_bodies as _error_bodies
from amanah.core.api_utils import refusals as _refusals
from amanah.core.models import Agency, User
from amanah.core.selectors import agency_by_ref

from . import rules, selectors, services
from .forms import AssistedIntakeForm, IntakeForm, sent_as_text
from .models import Channel, Complaint, EventKind
from .schemas import (
    ComplaintCaseSummaryOut,
    ComplaintPublishedOut,
    ComplaintStaffCaseOut,
    ComplaintStaffStepOut,
    ComplaintTrackedOut,
    ComplaintTransferredOut,
)

router = Router(tags=["complaints"])


# --- Refusals, as the schema documents them ------------------------------------------------------------


#: A body that django-ninja cannot read for an operation with a JSON schema (its own refusal).
UNPARSEABLE = "The body is not JSON (`invalid_json`)."
#: A body read by hand (JSON, or multipart/form-data with files).
NOT_A_JSON_OBJECT = (
    "The body is not valid JSON or not a JSON object (`invalid_json`), a form that cannot be read "
    "(`invalid_body`: multipart without a boundary or cut short, a form not in UTF-8), or a form with "
    "too many fields (`too_many_fields`)."
)
TOO_LARGE = "The body (without its files) is larger than the server accepts (`too_large`)."
NOT_JSON_OR_MULTIPART = (
    "The body is neither JSON nor multipart/form-data (`unsupported_media_type`)."
)
#: The limit of the public forms (``PublicWrites``, ``PUBLIC_FORM_RATE`` per client).
FORMS_THROTTLED = "Too many of these requests from this client (`throttled`)."
TEXT_REFUSED = (
    "too long (`too_long`), with HTML (`markup`) or with invisible control characters "
    "(`control_character`)"
)


class ComplaintIn(Schema):
    """The documented intake fields (validated by the same form as the web page)."""

    kind: str = "pengaduan"
    service: str | int | None = None
    agency: str | int | None = None
    title: str
    description: str
    incident_date: dt.date | None = None
    incident_place: str = ""
    loss: str = ""
    remedy: str = ""
    identity_mode: str = "biasa"
    name: str = ""
    email: str = ""
    phone: str = ""
    publish: bool = False


class StaffComplaintIn(ComplaintIn):
    channel: str
    received_at: dt.datetime | None = None


#: An ``Idempotency-Key`` header: visible ASCII without spaces or quotes, at most 255 characters, bare or
#: as a quoted string (the header's structured-field form).
IDEMPOTENCY_KEY = re.compile(r'"([\x21\x23-\x7e]{1,255})"|([\x21\x23-\x7e]{1,255})')
#: A public key must be hard to guess (a UUID has 32 hex digits): with a guessable one, anyone who read a
#: published anonymous complaint could send its words again and get its tracking code back.
PUBLIC_KEY_MIN_LENGTH = 16


def _idempotency_parameter(min_length: int) -> dict:
    return {
        "in": "header",
        "name": "Idempotency-Key",
        "required": False,
        "schema": {
            "type": "string",
            "minLength": min_length,
            "maxLength": 257,
            "pattern": f'^(?:"[!#-~]{{{min_length},255}}"|[!#-~]{{{min_length},255}})$',
        },
        "description": (
            "A key of the client's own (a UUID, say) that makes the request safe to retry: the same key "
            "with the same content answers 201 with the complaint already filed (header "
            "`Idempotent-Replayed: true`) instead of filing it again; the same key with other content files "
            "a new complaint. A malformed key is refused with 400 `invalid_idempotency_key`."
            + (
                " Public keys hold for a day."
                if min_length > 1
                else " An officer's key holds for them alone."
            )
        ),
    }


def _replayed_header(description: str) -> dict:
    """The ``Idempotent-Replayed`` header of a 201 that may repeat an earlier answer."""
    return {
        "headers": {
            "Idempotent-Replayed": {
                "description": description,
                "schema": {"type": "string", "enum": ["true"]},
            }
        }
    }


def _intake_operation(schema, min_length: int) -> dict:
    return {
        **json_or_multipart_body(schema),
        "parameters": [_idempotency_parameter(min_length)],
        # Merged into ninja's own description of the 201 (its keys are status codes as numbers).
        "responses": {
            201: _replayed_header(
                "`true` when this answer is the complaint already filed with the same "
                "Idempotency-Key and content (nothing was filed again)."
            ),
            400: {"description": "Malformed Idempotency-Key (`invalid_idempotency_key`) or body."},
        },
    }


INTAKE_BODY = _intake_operation(ComplaintIn, PUBLIC_KEY_MIN_LENGTH)
INTAKE_REFUSALS = {
    400: NOT_A_JSON_OBJECT[:-1] + ", or a malformed Idempotency-Key (`invalid_idempotency_key`).",
    413: TOO_LARGE,
    415: NOT_JSON_OR_MULTIPART,
    422: "The complaint is not complete or not valid (`invalid_input`, with a message per field in "
    "`fields`: a required field, an unknown agency or service, a refused file …), a value is an object "
    "or a list (`invalid_input`), or more files were sent than the server reads (`too_many_files`).",
    429: "Too many complaints from this client (`throttled`).",
}


class Created(Schema):
    tracking_code: str
    status: str
    status_label: str
    received_at: dt.datetime
    verification_due: dt.date | None
    response_due: dt.date | None
    resolution_due: dt.date | None
    late_filing: bool
    tracking_url: str


def _fail(exc: services.ComplaintError):
    status = exc.status
    fields = {exc.field: exc.text} if exc.field else {}
    return ApiError(status, exc.code, exc.text, fields)


def _call(fn, *args, **kwargs):
    """Run a service; its refusals become structured API errors."""
    try:
        return fn(*args, **kwargs)
    except services.ComplaintError as exc:
        raise _fail(exc) from None
    except rules.TransitionError as exc:
        raise ApiError(409, exc.code, services.transition_text(exc)) from None


def _idempotency_key(request, form, *scope, min_length: int = 1) -> str:
    """The submission key of the request's ``Idempotency-Key`` (none without the header), bound to the
    content sent with it."""
    key = _client_key(request, min_length)
    if not key:
        return ""
    fingerprint = services.content_fingerprint(form.service_data(), form.clean_evidence_files)
    return services.submission_key(*scope, key, fingerprint)


def _client_key(request, min_length: int) -> str:
    """The request's ``Idempotency-Key`` as the client sent it ("" without the header); a malformed one
    is refused."""
    raw = request.headers.get("Idempotency-Key")
    if raw is None:
        return ""
    match = IDEMPOTENCY_KEY.fullmatch(raw.strip())
    key = (match.group(1) or match.group(2)) if match else ""
    if len(key) < min_length:
        raise ApiError(
            400,
            "invalid_idempotency_key",
            _("Idempotency-Key harus %(n)d–255 karakter ASCII tanpa spasi.") % {"n": min_length},
            {"Idempotency-Key": _("Misalnya, gunakan UUID.")},
        )
    return key


def _filed(response: HttpResponse, c: Complaint):
    """The 201 of an intake; a repeated ``Idempotency-Key`` gets the same answer, marked as a replay."""
    if c.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(201, _created(c))


def _throttle(request, scope: str, limit: int, window: int):
    if not ratelimit.hit(scope, ratelimit.client_ip(request), limit, window):
        raise ApiError(
            429, "throttled", _("Terlalu banyak permintaan. Coba lagi beberapa menit lagi.")
        )


def _parse_body(request):
    """(data, files) from a JSON or a multipart/urlencoded body."""
    ctype = (request.content_type or "").lower()
    if ctype == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise ApiError(
                400, "invalid_json", _("Badan permintaan bukan JSON yang sah.")
            ) from None
        if not isinstance(body, dict):
            raise ApiError(400, "invalid_json", _("Badan permintaan harus objek JSON."))
        data = {}
        for k, v in body.items():
            if v is None:
                continue
            if isinstance(v, (dict, list)):
                raise ApiError(
                    422,
                    "invalid_input",
                    _("Data yang dikirim tidak valid."),
                    {k: _("Harus teks atau angka.")},
                )
            data[k] = v
        return data, MultiValueDict()
    if ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return request.POST, request.FILES
    raise ApiError(415, "unsupported_media_type", _("Kirim JSON atau multipart/form-data."))


def _head(path: str, auth):
    """Register a view as the HEAD operation of ``path``, beside its GET: answered as the GET is (status
    and headers) without a body (``files.head_as_get``), and left out of the schema, where the GET's
    description says HEAD is answered (an operation of its own would repeat it all)."""

    def register(view):
        wrapped = decorate_view(files.head_as_get)(view)
        return router.api_operation(["HEAD"], path, auth=auth, include_in_schema=False)(wrapped)

    return register


def _files_only(data, field: str, label: str) -> None:
    """Refuse ``field`` sent as text — a name or a link where a file belongs (JSON, a form field, a
    multipart part without a file name) — rather than go on without the file."""
    if sent_as_text(data, field):
        raise ApiError(
            422,
            "invalid_input",
            _("%(what)s harus dikirim sebagai berkas (multipart/form-data, isian %(field)s).")
            % {"what": label, "field": field},
            field=field,
        )


def _form_errors(form) -> ApiError:
    fields = {name: " ".join(str(e) for e in errs) for name, errs in form.errors.items()}
    codes = {name: [e.code for e in errs.as_data()][0] for name, errs in form.errors.items()}
    first = next(iter(fields.values()), "")
    err = ApiError(
        422, "invalid_input", _("Data pengaduan belum benar: %(first)s") % {"first": first}, fields
    )
    err.fields_codes = codes
    return err


def _created(c: Complaint):
    return {
        "tracking_code": c.tracking_code,
        "status": c.status,
        "status_label": c.get_status_display(),
        "received_at": c.received_at,
        "verification_due": c.verification_due,
        "response_due": c.response_due,
        "resolution_due": c.resolution_due,
        "late_filing": c.late_filing,
        "tracking_url": services.tracking_url(c),
    }


@router.post(
    "/complaints",
    auth=None,
    response={201: Created, **_error_bodies(INTAKE_REFUSALS)},
    openapi_extra={
        **INTAKE_BODY,
        "responses": {**INTAKE_BODY["responses"], **_refusals(INTAKE_REFUSALS)},
    },
    summary="File a complaint (public)",
)
def create_complaint(request, response: HttpResponse):
    """File a complaint without an account. JSON, or multipart with files in the repeatable ``evidence``
    field. Answers 201 with the tracking code, status and due dates; 422 with per-field errors. With an
    ``Idempotency-Key`` header a retry of the same request does not file the complaint twice."""
    _throttle(request, "complaint-intake", *settings.PUBLIC_FORM_RATE)
    data, upload = _parse_body(request)
    form = IntakeForm(data, upload, validate_only=True)
    if not form.is_valid():
        raise _form_errors(form)
    c = _call(
        services.submit,
        None,
        form.service_data(),
        form.clean_evidence_files,
        channel=Channel.API,
        key=_idempotency_key(request, form, "api", min_length=PUBLIC_KEY_MIN_LENGTH),
    )
    return _filed(response, c)


# --- Tracking -----------------------------------------------------------------------------------------


def _track_limit():
    return getattr(settings, "COMPLAINT_TRACK_RATE", (20, 600))


STAFF_REFUSAL = gettext_lazy(
    "Petugas tidak dapat membalas, mengonfirmasi, menyanggah atau menilai atas nama pengadu."
)


def tracked_for_complainant(request, code: str) -> Complaint:
    """:func:`tracked`, for the complainant's own steps: refused to staff (``selectors.acting_staff``)."""
    if selectors.acting_staff(request):
        raise ApiError(403, "staff_not_complainant", STAFF_REFUSAL)
    return tracked(request, code)


def tracked(request, code: str) -> Complaint:
    """The case for a tracking code. Failed guesses are counted per client (hashed address); after the
    limit every lookup from that client is refused for the window, valid code or not."""
    limit, window = _track_limit()
    ident = ratelimit.client_ip(request)
    if ratelimit.reached("complaint-track", ident, limit, window):
        raise ApiError(
            429, "throttled", _("Terlalu banyak kode yang salah. Coba lagi beberapa menit lagi.")
        )
    c = selectors.by_code(code)
    if c is None:
        ratelimit.hit("complaint-track", ident, limit, window)
        raise ApiError(
            404, "not_found", _("Kode lacak tidak ditemukan. Periksa kembali kode Anda.")
        )
    return c


#: The refusals of a public operation by tracking code (:func:`tracked`), in ``response=``.
TRACKED_REFUSALS = {404: ErrorOut, 429: ErrorOut}
NOT_FOUND = "No complaint has this tracking code (`not_found`); each one counts as a guess."
GUESSED = (
    "Too many wrong codes from this client (`throttled`): every lookup is refused, valid code or not, "
    "until the window ends."
)
#: The complainant's own steps by tracking code (:func:`tracked_for_complainant`).
STAFF_REFUSED = (
    "The request comes from staff - a signed-in officer or a valid API token "
    "(`staff_not_complainant`): only the complainant replies, confirms, disputes or rates."
)
STEP_THROTTLED = (
    "Too many of the complainant's steps from this client (`throttled`), or too many wrong codes "
    "(`throttled`; every lookup is refused, valid code or not, until the window ends)."
)


def _file(ev) -> dict:
    return {
        "id": ev.pk,
        "filename": ev.file.filename,
        "content_type": ev.file.content_type,
        "size": ev.file.size,
    }


def _event(e, *, staff=False, files=True):
    by = {"warga": "pengadu", "sistem": "sistem"}.get(e.actor_role, "petugas")
    out = {
        "at": e.at,
        "kind": e.kind,
        "action": e.action,
        "status": e.status_to,
        "text": e.shown_text,
        "by": by,
        # Files the agency attached to the step (an answer's letter): for the holder of the code,
        # ``GET /complaints/{tracking_code}/attachments/{id}``; for staff, the evidence download.
        # ``files`` off (a *rahasia* case, for a reader who may not open its files): none listed.
        "attachments": [_file(f) for f in getattr(e, "files", ())] if files else [],
    }
    if staff:
        out.update(
            public=e.public,
            actor=e.actor.get_full_name() if e.actor_id else None,
            role=e.actor_role,
        )
    return out


def _ref(obj):
    return {"id": obj.id, "code": obj.code, "name": obj.name} if obj is not None else None


def public_view(c: Complaint) -> dict:
    """What the holder of the tracking code sees: never an identity, never internal notes."""
    today = selectors.today_for(c)
    offers = selectors.complainant_offers(c, today)
    timeline = [_event(e) for e in selectors.public_timeline(c)]
    answers = [e for e in timeline if e["kind"] == EventKind.ANSWER]
    return {
        "tracking_code": c.tracking_code,
        "status": c.status,
        "status_label": c.get_status_display(),
        "open311_status": rules.OPEN311_STATUS[c.status],
        "kind": c.kind,
        "channel": c.channel,
        "title": c.title,
        "description": c.description,
        "agency": _ref(c.agency),
        "unit": _ref(c.unit),
        "service": _ref(c.service),
        "identity_mode": c.identity_mode,
        "received_at": c.received_at,
        # While the file waits for completion the verification clock is stopped: its date no longer
        # holds (it is counted again when the file is completed), and ``completion_due`` is the date.
        "verification_due": c.verification_due_now,
        "response_due": c.response_due,
        "resolution_due": c.resolution_due,
        "auto_close_due": c.auto_close_due,
        "completion_due": c.completion_due,
        "closed_at": c.closed_at,
        "is_overdue": c.is_overdue_on(today),
        "escalation_level": c.escalation_level,
        "rating": c.rating,
        "timeline": timeline,
        "answers": answers,
        # A passed deadline counts, sweeper or not (``selectors.complainant_offers``).
        **{f"can_{step}": offered for step, offered in offers.items()},
        "survey_url": services._survey_link(c) if c.status == rules.CLOSED else None,
        "evidence_count": c.evidence.count(),
    }


@router.get(
    "/complaints/published",
    auth=None,
    response=paging.Page[ComplaintPublishedOut],
    summary="Published complaints (public list)",
)
def published(request, agency: str = "", limit: int = 50, offset: int = 0):
    """Complaints whose complainant opted in and staff approved, without any identity."""
    found = None
    if agency:
        found = agency_by_ref(agency)
        if found is None:
            raise ApiError(404, "unknown_agency", _("Instansi tidak dikenal."), field="agency")
    return paging.page(
        selectors.published(found),
        limit,
        offset,
        lambda rows: [
            {
                "id": selectors.public_id(c),
                "title": c.title,
                "description": c.description,
                "kind": c.kind,
                "status": c.status,
                "status_label": c.get_status_display(),
                "agency": _ref(c.agency),
                "service": _ref(c.service),
                "received_at": c.received_at,
                "closed_at": c.closed_at,
            }
            for c in rows
        ],
    )


class ResendIn(Schema):
    contact: str = Field(max_length=254)


class ResendOut(Schema):
    message: str


#: The same answer whether or not any complaint has that contact, in the reader's language.
RESEND_ANSWER = gettext_lazy(
    "Jika ada pengaduan yang diajukan dengan kontak itu, kode lacaknya sudah dikirim ke sana."
)


RESEND_REFUSALS = {
    400: UNPARSEABLE,
    413: TOO_LARGE,
    422: "`contact` is missing or longer than 254 characters (`invalid_input`), is no e-mail address "
    "(nor, with an SMS gateway, a mobile number) (`invalid_contact`), or is a mobile number while the "
    "installation has no SMS gateway (`sms_unavailable`).",
    429: FORMS_THROTTLED[:-1] + ". (A contact past its few reminders a day still gets the 202, and "
    "nothing is sent.)",
}


@router.post(
    "/complaints/codes",
    auth=None,
    response={202: ResendOut, **_error_bodies(RESEND_REFUSALS)},
    openapi_extra={"responses": _refusals(RESEND_REFUSALS)},
    summary="Send lost tracking codes to the complainant's own contact (public)",
    throttle=[PublicWrites("complaint-resend-client")],
)
def resend_codes(request, payload: ResendIn):
    """The tracking codes of the complaints filed with ``contact`` (an e-mail address, or a mobile number
    when the installation has an SMS gateway) are sent to that contact. The answer is the same 202 whether
    or not any complaint has it, so the endpoint tells nobody who complained; a contact gets a few
    reminders a day at most."""
    _call(services.resend_codes, payload.contact)
    return Status(202, {"message": str(RESEND_ANSWER)})


@router.get(
    "/complaints/{tracking_code}",
    auth=None,
    response={200: ComplaintTrackedOut, **TRACKED_REFUSALS},
    openapi_extra={"responses": _refusals({404: NOT_FOUND, 429: GUESSED})},
    summary="Track a complaint (public)",
)
def track(request, tracking_code: str):
    """What the holder of the tracking code may see of the case: its status, deadlines, public steps and
    the agency's answers. Wrong codes count as guesses. HEAD is answered too, with the same status and
    headers and no body; a wrong code sent by HEAD counts as a guess all the same."""
    return public_view(tracked(request, tracking_code))


@_head("/complaints/{tracking_code}", auth=None)
def track_head(request, tracking_code: str):
    return public_view(tracked(request, tracking_code))


def _file_answer(description: str) -> dict:
    """The 200 answer of a file download, for ``openapi_extra``: the file itself, served in the type it
    was checked to be when it was stored, one of ``files.ALLOWED_TYPES`` (the complainant's evidence and
    an answer's attachments alike pass ``services.clean_files``). ninja's own key for the operation's
    answer is the number 200: the same key, merged."""
    return {
        200: {
            "description": description,
            "content": {t: {"schema": FILES_FIELD["items"]} for t in sorted(files.ALLOWED_TYPES)},
        }
    }


@router.get(
    "/complaints/{tracking_code}/attachments/{attachment_id}",
    auth=None,
    summary="Download an attachment of the agency's answer (public)",
    # No schema for the 200 here: the file is the answer, described below.
    response={200: None, **TRACKED_REFUSALS, 422: ErrorOut},
    openapi_extra={
        "responses": {
            # ninja's own key for the operation's answer is the number 200: the same key, merged.
            **_file_answer("The file, as a download (its metadata removed when it was attached)."),
            **_refusals(
                {
                    404: "No complaint has this tracking code (`not_found`; it counts as a guess), "
                    "or its answers have no attachment with this id (`not_found`).",
                    422: "The attachment id is not a whole number (`invalid_input`).",
                    429: "Too many wrong codes from this client (`throttled`; every lookup is refused, "
                    "valid code or not, until the window ends), or too many downloads (`throttled`).",
                }
            ),
        }
    },
)
def track_attachment(request, tracking_code: str, attachment_id: int):
    """A file the agency attached to its answer (listed under ``attachments`` of the answer in
    ``GET /complaints/{tracking_code}``). Only those files: the complainant's own evidence is never handed
    out by tracking code. Wrong codes count as guesses; downloads are rate-limited per client. HEAD is
    answered too, with the same status and headers and no body; it is not recorded as a download but
    counts like one against both limits."""
    return _attachment(request, tracking_code, attachment_id)


@_head("/complaints/{tracking_code}/attachments/{attachment_id}", auth=None)
def track_attachment_head(request, tracking_code: str, attachment_id: int):
    return _attachment(request, tracking_code, attachment_id)


def _attachment(request, tracking_code: str, attachment_id: int):
    """The download of :func:`track_attachment`; for a HEAD its headers only: no file read, no audit."""
    c = tracked(request, tracking_code)
    _throttle(request, "complaint-attachment", *settings.COMPLAINT_ATTACHMENT_RATE)
    read = request.method != "HEAD"
    return files.download_response(*_call(services.open_attachment, c, attachment_id, read=read))


class ReplyIn(Schema):
    text: str


REPLY_BODY = {
    "requestBody": {
        "content": {
            # inline: the body is read by hand, so ninja registers no component for it
            "application/json": {"schema": ReplyIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "evidence": FILES_FIELD,
                    },
                }
            },
        }
    }
}


#: A reply's ``Idempotency-Key``: the intake's header, holding for the case and what the reply says.
REPLY_KEY = {
    **_idempotency_parameter(PUBLIC_KEY_MIN_LENGTH),
    "description": (
        "A key of the client's own (a UUID, say) that makes the request safe to retry: the same key with "
        "the same text and files answers 201 with the reply already stored (header "
        "`Idempotent-Replayed: true`) instead of storing it again. A malformed key is refused with 400 "
        "`invalid_idempotency_key`."
    ),
}

REPLY_REFUSALS = {
    400: NOT_A_JSON_OBJECT[:-1] + ", or a malformed Idempotency-Key (`invalid_idempotency_key`).",
    403: STAFF_REFUSED,
    404: NOT_FOUND,
    409: "The case takes no more information in its status (`invalid_transition`; once it is answered, "
    "confirm or dispute the answer instead), or its time to complete the file has passed, so it counts "
    "as withdrawn (`completion_lapsed`).",
    413: TOO_LARGE,
    415: NOT_JSON_OR_MULTIPART,
    422: f"`text` is missing without files (`required`), is not text (`invalid_input`), is {TEXT_REFUSED}; "
    "or too many files (`too_many_files`), or a file refused (the reason: `unsupported`, "
    "`too_large`, `too_many_pixels`, `type_mismatch`, `corrupt`, `empty`).",
    429: STEP_THROTTLED,
}


@router.post(
    "/complaints/{tracking_code}/replies",
    auth=None,
    response={201: ComplaintTrackedOut, **_error_bodies(REPLY_REFUSALS)},
    openapi_extra={
        **REPLY_BODY,
        "parameters": [REPLY_KEY],
        "responses": {
            201: _replayed_header(
                "`true` when the reply was already stored with the same Idempotency-Key, text and "
                "files (nothing was stored again)."
            ),
            **_refusals(REPLY_REFUSALS),
        },
    },
    summary="Add information or reply (public)",
    throttle=[PublicWrites("complaint-reply")],
)
def add_reply(request, tracking_code: str, response: HttpResponse):
    """Add information (and files). When staff asked for completion, this completes the file and the
    verification clock resumes."""
    c = tracked_for_complainant(request, tracking_code)
    data, upload = _parse_body(request)
    _files_only(data, "evidence", _("Bukti"))  # the reply would be stored without the photo
    text = data.get("text", "")
    if not isinstance(text, str):
        raise ApiError(422, "invalid_input", _("Teks harus berupa teks."), field="text")
    clean = _call(
        services.clean_files, upload.getlist("evidence") if hasattr(upload, "getlist") else []
    )
    key = services.reply_key(c, _client_key(request, PUBLIC_KEY_MIN_LENGTH), text, clean)
    c = _call(services.reply, c, text=text, evidence=clean, key=key)
    if c.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(201, public_view(c))


def _no_yes_or_no(value):
    """A rating is a number: JSON ``true`` would otherwise count as 1, the worst score, on the unit's
    record, and a case is rated only once."""
    if isinstance(value, bool):
        raise ValueError("Penilaian harus angka 1 sampai 5.")
    return value


#: A rating as the API takes it: a whole number (or one written as text), never a yes/no.
Rating = Annotated[int, BeforeValidator(_no_yes_or_no)]


class ConfirmIn(Schema):
    rating: Rating | None = None
    comment: str = ""


#: The refusals of confirm, dispute and rating, which read a JSON body by its schema.
STEP_REFUSALS = {
    400: UNPARSEABLE,
    403: STAFF_REFUSED,
    404: NOT_FOUND,
    413: TOO_LARGE,
    429: STEP_THROTTLED,
}
CONFIRM_REFUSALS = {
    **STEP_REFUSALS,
    409: "The case is not waiting for the complainant's answer (`invalid_transition`).",
    422: "No body, or a field of the wrong type (`invalid_input`, per field); `rating` not 1 to 5 "
    f"(`invalid_rating`); `comment` {TEXT_REFUSED}.",
}


@router.post(
    "/complaints/{tracking_code}/confirm",
    auth=None,
    response={200: ComplaintTrackedOut, **_error_bodies(CONFIRM_REFUSALS)},
    openapi_extra={"responses": _refusals(CONFIRM_REFUSALS)},
    summary="Confirm the answer (public)",
    throttle=[PublicWrites("complaint-reply")],
)
def confirm(request, tracking_code: str, payload: ConfirmIn):
    c = tracked_for_complainant(request, tracking_code)
    return public_view(_call(services.confirm, c, rating=payload.rating, comment=payload.comment))


class DisputeIn(Schema):
    reason: str


DISPUTE_REFUSALS = {
    **STEP_REFUSALS,
    409: "The case is not waiting for the complainant's answer (`invalid_transition`), or the answer "
    "already counts as accepted: it went unanswered for 10 working days and the case closed "
    "automatically (`auto_closed`).",
    422: "No body, or `reason` missing or not text (`invalid_input`, per field); `reason` empty "
    f"(`required`) or {TEXT_REFUSED}.",
}


@router.post(
    "/complaints/{tracking_code}/dispute",
    auth=None,
    response={200: ComplaintTrackedOut, **_error_bodies(DISPUTE_REFUSALS)},
    openapi_extra={"responses": _refusals(DISPUTE_REFUSALS)},
    summary="Dispute the answer (public)",
    throttle=[PublicWrites("complaint-reply")],
)
def dispute(request, tracking_code: str, payload: DisputeIn):
    c = tracked_for_complainant(request, tracking_code)
    return public_view(_call(services.dispute, c, reason=payload.reason))


class RatingIn(Schema):
    rating: Rating
    comment: str = ""


RATING_REFUSALS = {
    **STEP_REFUSALS,
    409: "The case is not closed (`invalid_transition`) or is rated already (`already_rated`).",
    422: "No body, or `rating` missing or not a whole number (`invalid_input`, per field); `rating` not "
    f"1 to 5 (`invalid_rating`); `comment` {TEXT_REFUSED}.",
}


@router.post(
    "/complaints/{tracking_code}/rating",
    auth=None,
    response={200: ComplaintTrackedOut, **_error_bodies(RATING_REFUSALS)},
    openapi_extra={"responses": _refusals(RATING_REFUSALS)},
    summary="Rate the answer of a closed case (public)",
    throttle=[PublicWrites("complaint-reply")],
)
def rating(request, tracking_code: str, payload: RatingIn):
    c = tracked_for_complainant(request, tracking_code)
    return public_view(_call(services.rate, c, rating=payload.rating, comment=payload.comment))


# --- Staff ------------------------------------------------------------------------------------------------


# --- Staff refusals, as the schema documents them -----------------------------------------------------

UNAUTHORIZED = "No bearer token, or one that is unknown, revoked or expired (`unauthorized`)."
CASE_NOT_FOUND = (
    "No complaint has this tracking code in the caller's scope (`not_found`): another agency's case "
    "answers the same as one that does not exist."
)
STEP_FORBIDDEN = "The caller's role does not take this step on this case (`forbidden`)."
NOT_A_STEP_NOW = "The case's status does not allow this step (`invalid_transition`)"
BAD_TYPE = "A field missing or of the wrong type (`invalid_input`)"


def _staff_step(
    conflict: str = "", invalid: str = "", *, body: bool = True, transition: bool = True
) -> dict:
    """The refusals of a step on a case: ``conflict`` and ``invalid`` add the step's own reasons to the
    409 (after the workflow's refusal, unless the step is no ``transition``) and to the 422."""
    out = {
        401: UNAUTHORIZED,
        403: STEP_FORBIDDEN,
        404: CASE_NOT_FOUND,
        422: BAD_TYPE + invalid + ", with a message per field in `fields`.",
    }
    if transition or conflict:
        out[409] = (NOT_A_STEP_NOW + conflict if transition else conflict) + "."
    if body:
        out[400], out[413] = UNPARSEABLE, TOO_LARGE
    return out


def _staff_operation(method, path: str, summary: str, refusals: dict, ok=None, **extra):
    """A staff operation that documents its refusals (each with the API's error body) beside its
    success, ``ok`` (status → schema, default 200 with the case as staff see it)."""
    openapi = dict(extra.pop("openapi_extra", {}))
    openapi["responses"] = {**openapi.get("responses", {}), **_refusals(refusals)}
    return method(
        path,
        auth=staff_auth,
        tags=["staff"],
        summary=summary,
        response={**(ok or {200: ComplaintStaffCaseOut}), **_error_bodies(refusals)},
        openapi_extra=openapi,
        **extra,
    )


STAFF_INTAKE_REFUSALS = {
    400: NOT_A_JSON_OBJECT[:-1] + ", or a malformed Idempotency-Key (`invalid_idempotency_key`).",
    401: UNAUTHORIZED,
    403: "The caller is neither an operator nor a complaint manager (`forbidden`).",
    413: TOO_LARGE,
    415: NOT_JSON_OR_MULTIPART,
    422: "The complaint is not complete or not valid (`invalid_input`, with a message per field in "
    "`fields`: a required field, an unknown agency, service or channel, a refused file …); "
    "`received_at` not an ISO 8601 date-time with an offset or in the future (`invalid_input`), or "
    "before the calendar (`too_old`); or more files than the server reads (`too_many_files`).",
}


@_staff_operation(
    router.post,
    "/staff/complaints",
    "Assisted intake by an officer",
    STAFF_INTAKE_REFUSALS,
    ok={201: Created},
    openapi_extra=_intake_operation(StaffComplaintIn, 1),
)
def staff_create(request, response: HttpResponse):
    """An officer enters a walk-in, phone, letter, box, social-media or SP4N-LAPOR! complaint. Deadlines
    run from ``received_at`` (ISO date-time with offset; never in the future)."""
    if not permissions.scopes(request.auth, rules.INTAKE_ROLES):
        raise ApiError(
            403,
            "forbidden",
            _("Hanya petugas atau pengelola pengaduan yang dapat mencatat pengaduan."),
        )
    data, upload = _parse_body(request)
    raw = data.get("received_at")
    if raw is not None and not isinstance(raw, str):
        raise ApiError(
            422,
            "invalid_input",
            _("received_at harus tanggal-waktu ISO 8601."),
            {"received_at": _("Kirim teks ISO 8601, misalnya 2026-03-02T09:30:00+07:00.")},
        )
    if isinstance(raw, str) and raw.strip():
        try:
            parsed = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ApiError(
                422,
                "invalid_input",
                _("received_at harus tanggal-waktu ISO 8601."),
                {
                    "received_at": _(
                        "Waktu harus berformat ISO 8601, misalnya 2026-03-02T09:30:00+07:00."
                    )
                },
            ) from None
        if parsed.tzinfo is None:
            raise ApiError(
                422,
                "invalid_input",
                _("received_at harus memuat zona waktu."),
                {"received_at": _("Sertakan zona waktu, misalnya +07:00.")},
            )
        if parsed.year < services.EARLIEST_RECEIVED_YEAR:
            raise ApiError(422, "too_old", services.too_old_message(), field="received_at")
        if isinstance(data, MultiValueDict):
            data = data.copy()
            data["received_at"] = parsed
        else:
            data = dict(data, received_at=parsed)
    form = AssistedIntakeForm(data, upload, validate_only=True)
    if not form.is_valid():
        raise _form_errors(form)
    c = _call(
        services.submit,
        request.auth,
        form.service_data(),
        form.clean_evidence_files,
        channel=form.cleaned_data["channel"],
        received_at=form.cleaned_data.get("received_at"),
        key=_idempotency_key(request, form, "staff-api", request.auth.pk),
    )
    return _filed(response, c)


def _summary(c: Complaint, today=None) -> dict:
    today = today or selectors.today_for(c)
    return {
        # The number to name the case by wherever people read it (``AMN-<n>``, as the staff pages do);
        # ``tracking_code`` stays for the programs that use it, but it is the complainant's key.
        "case_number": selectors.case_number(c),
        "tracking_code": c.tracking_code,
        "title": c.title,
        "kind": c.kind,
        "channel": c.channel,
        "status": c.status,
        "status_label": c.get_status_display(),
        "identity_mode": c.identity_mode,
        "agency": _ref(c.agency),
        "unit": _ref(c.unit),
        "service": _ref(c.service),
        "received_at": c.received_at,
        # As the tracking API: while the file waits for completion the verification clock is stopped,
        # its old date no longer holds (it is counted again once completed); ``completion_due`` holds.
        "verification_due": c.verification_due_now,
        "response_due": c.response_due,
        "resolution_due": c.resolution_due,
        "completion_due": c.completion_due,
        "stage_due": c.stage_due,
        "is_overdue": c.is_overdue_on(today),
        "escalation_level": c.escalation_level,
        "late_filing": c.late_filing,
        "assignee": c.assignee.get_full_name() if c.assignee_id else None,
    }


@_staff_operation(
    router.get,
    "/staff/complaints",
    "Staff inbox",
    {
        400: "`q` longer than 200 characters (`query_too_long`) or an unknown `order` "
        "(`invalid_order`).",
        401: UNAUTHORIZED,
        403: "The caller holds no role that sees complaints (`forbidden`).",
        422: "A parameter of the wrong type (`invalid_input`): a date not YYYY-MM-DD, a flag not "
        "true/false, a number not whole; a `status` part that names no status nor `open`/`closed` "
        "(`invalid_status`), a `channel` that is none (`invalid_channel`).",
    },
    ok={200: paging.Page[ComplaintCaseSummaryOut]},
)
def staff_list(
    request,
    status: str = "",
    overdue: bool = False,
    due_soon: bool = False,
    service: str = "",
    channel: str = "",
    unit: str = "",
    agency: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: str = "",
    mine: bool = False,
    order: str = "",
    limit: int = 50,
    offset: int = 0,
):
    """Cases in the caller's scope (agency, unit and role), newest first, filtered; ``q`` searches title
    and description (PostgreSQL full-text search) or matches a tracking code. ``order=due``: nearest due
    date of the current stage first (the most overdue at the top), cases without a running clock last.
    Each item's dates are the detail's: while the file waits for completion ``verification_due`` is
    ``null`` (the clock is stopped) and ``completion_due`` is the date that holds."""
    if not permissions.scopes(request.auth, rules.VIEW_ROLES):
        raise ApiError(403, "forbidden", _("Anda tidak berwenang melihat pengaduan."))
    if len(q) > 200:
        raise ApiError(
            400, "query_too_long", _("Kata kunci paling panjang 200 karakter."), field="q"
        )
    if order not in selectors.ORDERS:
        raise ApiError(
            400,
            "invalid_order",
            _("Urutan tidak dikenal: pakai order=due atau kosongkan."),
            field="order",
        )
    for name, day in (("date_from", date_from), ("date_to", date_to)):
        if day and (problem := calendar.out_of_years(day)):
            raise ApiError(400, "invalid_date", problem, field=name)
    # A value that names nothing is refused: answered as a filter, it would list no case (count 0), as
    # if none had that status.
    named, unknown = rules.status_filter(status[:200])
    if status and (len(status) > 200 or unknown or not named):
        raise ApiError(
            422,
            "invalid_status",
            _("Status tidak dikenal: %(value)s. Pakai open, closed atau status: %(statuses)s.")
            % {"value": ", ".join(unknown) or status[:40], "statuses": ", ".join(rules.STATUSES)},
            field="status",
        )
    if channel and channel not in rules.CHANNELS:
        raise ApiError(
            422,
            "invalid_channel",
            _("Saluran tidak dikenal. Pakai salah satu: %(channels)s.")
            % {"channels": ", ".join(rules.CHANNELS)},
            field="channel",
        )
    qs = selectors.inbox(
        request.auth,
        status=status,
        overdue=overdue,
        due_soon=due_soon,
        service=service,
        channel=channel,
        unit=unit,
        agency=agency,
        date_from=date_from,
        date_to=date_to,
        q=q,
        mine=mine,
        order=order,
    )
    today = selectors.today_by_zone()
    # Counted up to LIST_COUNT_CAP (10 000); ``count_more`` says there are more than that.
    return paging.page(qs, limit, offset, lambda rows: [_summary(c, today(c)) for c in rows])


def staff_view(user, c: Complaint) -> dict:
    out = _summary(c)
    show = selectors.can_see_identity(user, c)
    legal = selectors.statutory(c)
    # A rahasia case's files may name the complainant ("KTP_Budi_Santoso.jpg"): who may not open them
    # gets how many there are, not their names, types or sizes.
    may_open = selectors.may_open_evidence(user, c)
    evidence = list(c.evidence.select_related("file"))
    original = (
        c.duplicate_of if c.duplicate_of_id and selectors.can_view(user, c.duplicate_of) else None
    )
    source = (
        c.transferred_from
        if c.transferred_from_id and selectors.can_view(user, c.transferred_from)
        else None
    )
    transfers = [t for t in c.transfers.all() if selectors.can_view(user, t)]
    out.update(
        statutory_answer_due=legal["answer_due"],
        statutory_decision_due=legal["decision_due"],
        statutory_warnings=[k for k in ("first_answer_late", "decision_late") if legal[k]],
        description=c.description,
        incident_date=c.incident_date,
        incident_place=c.incident_place,
        # The Open311 photo link (an outside site): where the case's evidence opens, else null.
        media_url=(c.media_url or None) if may_open else None,
        loss=c.loss,
        remedy=c.remedy,
        tier=c.tier,
        auto_close_due=c.auto_close_due,
        first_response_at=c.first_response_at,
        answered_at=c.answered_at,
        closed_at=c.closed_at,
        close_reason=c.close_reason,
        reject_reason=c.reject_reason,
        # The other case's code only to those who may open it: it is also the complainant's key to it.
        # The ``*_number`` keys name the same case by its case number (``AMN-<n>``), which staff use;
        # the code keys stay for the integrations that read them.
        duplicate_of=original.tracking_code if original else None,
        duplicate_of_number=selectors.case_number(original) if original else None,
        transferred_from=source.tracking_code if source else None,
        transferred_from_number=selectors.case_number(source) if source else None,
        transferred_to=[t.tracking_code for t in transfers],
        transferred_to_numbers=[selectors.case_number(t) for t in transfers],
        publish_requested=c.publish_requested,
        publish_approved=c.publish_approved,
        rating=c.rating,
        rating_comment=c.rating_comment,
        complainant=(
            {"name": c.name, "email": c.email, "phone": c.phone}
            if show and c.has_identity
            else None
        ),
        identity_hidden=c.identity_mode != "biasa" and not show,
        entered_by=c.entered_by.get_full_name() if c.entered_by_id else None,
        # The Open311 integration that filed the case (staff only: no public or complainant answer).
        open311_integration=(
            {
                "name": c.open311_key.name,
                "key_prefix": c.open311_key.prefix,
                "revoked": c.open311_key.revoked_at is not None,
            }
            if c.open311_key_id
            else None
        ),
        evidence=[
            {
                "id": e.pk,
                "filename": e.file.filename,
                "content_type": e.file.content_type,
                "size": e.file.size,
                "from_complainant": e.added_by_citizen,
                # An answer's attachment, which the holder of the tracking code may download.
                "shared_with_complainant": e.shared,
            }
            for e in evidence
        ]
        if may_open
        else [],
        evidence_count=len(evidence),
        evidence_withheld=bool(evidence) and not may_open,
        events=[_event(e, staff=True, files=may_open) for e in selectors.staff_timeline(c, user)],
        allowed_actions=selectors.allowed_actions(user, c),
        similar=[
            {
                "case_number": selectors.case_number(o),
                "tracking_code": o.tracking_code,
                "title": o.title,
                "status": o.status,
                "score": round(s, 2),
            }
            for o, s in selectors.similar(user, c)
        ]
        if c.status == rules.RECEIVED
        else [],
    )
    return out


@_staff_operation(
    router.get,
    "/staff/complaints/{tracking_code}",
    "Case detail (staff)",
    {401: UNAUTHORIZED, 404: CASE_NOT_FOUND},
)
def staff_detail(request, tracking_code: str):
    """The case as its handlers see it. Deadlines: ``stage_due`` is the due date of the current stage
    (``null`` when no clock runs); while the file waits for completion the verification clock is stopped,
    so ``verification_due`` is ``null`` (as in the tracking API) and ``completion_due`` is the date by which
    the complainant completes the file."""
    return staff_view(request.auth, selectors.for_staff(request.auth, tracking_code))


#: The answer of a staff evidence download (:func:`_file_answer`).
EVIDENCE_FILE = _file_answer("The file, as a download (its metadata removed when it was stored).")


@_staff_operation(
    router.get,
    "/staff/complaints/{tracking_code}/evidence/{evidence_id}",
    "Download an evidence file (staff)",
    {
        401: UNAUTHORIZED,
        404: CASE_NOT_FOUND[:-1] + "; or the case has no file with this id (`not_found`).",
        422: "`evidence_id` is not a whole number (`invalid_input`).",
    },
    ok={200: None},
    openapi_extra={"responses": EVIDENCE_FILE},
)
def staff_evidence(request, tracking_code: str, evidence_id: int):
    """One evidence file; the download is audited. HEAD is answered too, with the same status and
    headers and no body, after the same checks; it reads no file and is not audited."""
    c = selectors.for_staff(request.auth, tracking_code)
    read = request.method != "HEAD"
    return files.download_response(
        *_call(services.open_evidence, request.auth, c, evidence_id, read=read)
    )


@_head("/staff/complaints/{tracking_code}/evidence/{evidence_id}", auth=staff_auth)
def staff_evidence_head(request, tracking_code: str, evidence_id: int):
    return staff_evidence(request, tracking_code, evidence_id)


def _staff_case(request, code):
    return selectors.for_staff(request.auth, code)


class VerifyIn(Schema):
    unit: str | None = None
    tier: str | None = None
    note: str = ""


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/verify",
    "Verify and forward to a unit",
    _staff_step(
        invalid="; the unit unknown in the agency (`unknown_unit`), missing when the case has none "
        "(`unit_required`), of another agency (`unit_agency`) or inactive (`inactive_unit`); an unknown "
        f"`tier` (`invalid_tier`); `note` {TEXT_REFUSED}"
    ),
)
def staff_verify(request, tracking_code: str, payload: VerifyIn):
    c = _staff_case(request, tracking_code)
    unit = None
    if payload.unit:
        unit = services.unit_for(c.agency, payload.unit)
        if unit is None:
            raise ApiError(
                422, "unknown_unit", _("Unit tidak dikenal di instansi ini."), field="unit"
            )
    return staff_view(
        request.auth,
        _call(services.verify, request.auth, c, unit=unit, tier=payload.tier, note=payload.note),
    )


class MessageIn(Schema):
    message: str


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/request-completion",
    "Ask the complainant to complete the file (pauses the clock)",
    _staff_step(invalid=f"; `message` empty (`required`) or {TEXT_REFUSED}"),
)
def staff_request_completion(request, tracking_code: str, payload: MessageIn):
    c = _staff_case(request, tracking_code)
    return staff_view(
        request.auth, _call(services.request_completion, request.auth, c, message=payload.message)
    )


class NoteIn(Schema):
    note: str = ""


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/complete",
    "Record that the file was completed by another channel",
    _staff_step(
        ", or its time to complete the file has passed and it counts as withdrawn "
        "(`completion_lapsed`)",
        f"; `note` {TEXT_REFUSED}",
    ),
)
def staff_complete(request, tracking_code: str, payload: NoteIn):
    c = _staff_case(request, tracking_code)
    return staff_view(
        request.auth, _call(services.complete_for, request.auth, c, note=payload.note)
    )


class TransferIn(Schema):
    agency: str
    note: str = ""


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/transfer",
    "Not our authority: transfer to another agency",
    _staff_step(
        invalid="; the agency unknown (`unknown_agency`), the case's own (`same_agency`) or not active "
        f"on Amanah (`inactive_agency`); `note` {TEXT_REFUSED}"
    ),
    ok={200: ComplaintTransferredOut},
)
def staff_transfer(request, tracking_code: str, payload: TransferIn):
    """Closes the case and opens a new one at ``agency``. ``new_case`` is the new case's tracking code
    and ``new_case_number`` its case number (``AMN-<n>``), both only for a caller who may open it (a
    platform administrator, an officer of both agencies), else ``null``: the code is also the
    complainant's key to the new case."""
    c = _staff_case(request, tracking_code)
    target = agency_by_ref(payload.agency)
    if target is None:
        raise ApiError(422, "unknown_agency", _("Instansi tidak dikenal."), field="agency")
    result = _call(services.transfer, request.auth, c, agency=target, note=payload.note)
    out = staff_view(request.auth, result)
    new = result.transferred_to
    shown = selectors.can_view(request.auth, new)
    out["new_case"] = new.tracking_code if shown else None
    out["new_case_number"] = selectors.case_number(new) if shown else None
    return out


class RejectIn(Schema):
    reason: str
    duplicate_of: str | None = None
    note: str = ""


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/reject",
    "Reject (spam, duplicate, unclear)",
    _staff_step(
        invalid="; an unknown `reason` (`invalid_reason`); for a duplicate, `duplicate_of` missing "
        "(`required`), unknown or outside the caller's scope, answered alike (`unknown_original`), "
        "not another case of the agency (`invalid_duplicate`) or itself a duplicate "
        "(`duplicate_of_duplicate`, naming the original only to a caller who may open it); `note` "
        f"missing where the reason needs one (`required`) or {TEXT_REFUSED}"
    ),
)
def staff_reject(request, tracking_code: str, payload: RejectIn):
    c = _staff_case(request, tracking_code)
    original = None
    if payload.duplicate_of:
        # Unknown and outside the caller's scope are answered alike (no probing of other agencies).
        original = selectors.viewable_by_code(request.auth, payload.duplicate_of)
        if original is None:
            raise ApiError(
                422,
                "unknown_original",
                _("Kode pengaduan asli tidak ditemukan."),
                field="duplicate_of",
            )
    return staff_view(
        request.auth,
        _call(
            services.reject,
            request.auth,
            c,
            reason=payload.reason,
            duplicate_of=original,
            note=payload.note,
        ),
    )


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/start",
    "The unit takes the case up",
    _staff_step(invalid=f"; `note` {TEXT_REFUSED}"),
)
def staff_start(request, tracking_code: str, payload: NoteIn):
    c = _staff_case(request, tracking_code)
    return staff_view(request.auth, _call(services.start, request.auth, c, note=payload.note))


class UnitIn(Schema):
    unit: str
    note: str = ""


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/reassign",
    "Move the case to another unit",
    _staff_step(
        invalid="; the unit unknown in the agency (`unknown_unit`), of another agency (`unit_agency`), "
        f"inactive (`inactive_unit`) or the case's own (`same_unit`); `note` {TEXT_REFUSED}"
    ),
)
def staff_reassign(request, tracking_code: str, payload: UnitIn):
    c = _staff_case(request, tracking_code)
    unit = services.unit_for(c.agency, payload.unit)
    if unit is None:
        raise ApiError(422, "unknown_unit", _("Unit tidak dikenal di instansi ini."), field="unit")
    return staff_view(
        request.auth, _call(services.reassign_unit, request.auth, c, unit=unit, note=payload.note)
    )


class AnswerIn(Schema):
    text: str = ""
    template: int | None = None


def _answer_input(data) -> tuple[str, int | None]:
    """``text`` and ``template`` of an answer, from JSON or from form fields (where all is text)."""
    text, template = data.get("text", ""), data.get("template")
    if not isinstance(text, str):
        raise ApiError(422, "invalid_input", _("Teks harus berupa teks."), field="text")
    if template in (None, ""):
        return text, None
    if isinstance(template, str) and template.strip().isdecimal():
        template = int(template)
    if isinstance(template, bool) or not isinstance(template, int):
        raise ApiError(422, "invalid_input", _("Templat harus nomor templat."), field="template")
    return text, template


ANSWER_REFUSALS = {
    **_staff_step(
        invalid="; `text` empty without a template (`required`) or "
        f"{TEXT_REFUSED}; `template` not a number (`invalid_input`) or not one of the agency's "
        "(`unknown_template`); `attachments` sent as text (`invalid_input`), too many "
        "(`too_many_files`) or a file refused (the reason: `unsupported`, `too_large`, "
        "`too_many_pixels`, `type_mismatch`, `corrupt`, `empty`)"
    ),
    400: NOT_A_JSON_OBJECT,
    413: TOO_LARGE,
    415: NOT_JSON_OR_MULTIPART,
}


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/answer",
    "Answer",
    ANSWER_REFUSALS,
    openapi_extra=json_or_multipart_body(AnswerIn, "attachments"),
)
def staff_answer(request, tracking_code: str):
    """Answer the complainant; ``template`` (id of an answer template) fills an empty ``text``. As
    multipart, files in the repeatable ``attachments`` field (the official answer letter, a photo of the
    repair) go with the answer: checked and cleaned like evidence, and downloadable by the holder of the
    tracking code."""
    c = _staff_case(request, tracking_code)
    data, upload = _parse_body(request)
    # The answer would go out without its letter, and an answered case takes no second answer.
    _files_only(data, "attachments", _("Lampiran"))
    text, template = _answer_input(data)
    if not text.strip() and template:
        from .models import AnswerTemplate

        t = AnswerTemplate.objects.filter(pk=template, agency=c.agency).first()
        if t is None:
            raise ApiError(
                422, "unknown_template", _("Templat jawaban tidak dikenal."), field="template"
            )
        text = t.body
    attached = _call(
        services.clean_attachments,
        upload.getlist("attachments") if hasattr(upload, "getlist") else [],
    )
    return staff_view(
        request.auth, _call(services.answer, request.auth, c, text=text, attachments=attached)
    )


class EscalateIn(Schema):
    reason: str = ""


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/escalate",
    "Escalate one level up",
    _staff_step(
        ", or it is already at the top level (`already_escalated`)", f"; `reason` {TEXT_REFUSED}"
    ),
)
def staff_escalate(request, tracking_code: str, payload: EscalateIn):
    c = _staff_case(request, tracking_code)
    return staff_view(
        request.auth, _call(services.escalate, request.auth, c, reason=payload.reason)
    )


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/refer",
    "Refer to the Ombudsman RI",
    _staff_step(invalid=f"; `note` {TEXT_REFUSED}"),
)
def staff_refer(request, tracking_code: str, payload: NoteIn):
    c = _staff_case(request, tracking_code)
    return staff_view(request.auth, _call(services.refer, request.auth, c, note=payload.note))


class AssignIn(Schema):
    user: int


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/assign",
    "Assign to an officer",
    _staff_step(
        invalid="; `user` not an active officer who handles the case at its stage "
        "(`invalid_assignee`)"
    ),
)
def staff_assign(request, tracking_code: str, payload: AssignIn):
    c = _staff_case(request, tracking_code)
    user = User.objects.filter(pk=payload.user, is_active=True).first()
    return staff_view(request.auth, _call(services.assign, request.auth, c, user=user))


class TextIn(Schema):
    text: str


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/notes",
    "Internal note (never shown to the complainant)",
    _staff_step(invalid=f"; `text` empty (`required`) or {TEXT_REFUSED}", transition=False),
    ok={201: ComplaintStaffStepOut},
)
def staff_note(request, tracking_code: str, payload: TextIn):
    c = _staff_case(request, tracking_code)
    ev = _call(services.add_note, request.auth, c, text=payload.text)
    return Status(201, _event(ev, staff=True))


class PublishIn(Schema):
    approve: bool = True


@_staff_operation(
    router.post,
    "/staff/complaints/{tracking_code}/publish",
    "Approve publication on the public list",
    _staff_step(
        "The complainant did not ask for publication (`not_requested`), or the case was rejected as "
        "spam or improper (`rejected_as_spam`)",
        transition=False,
    ),
)
def staff_publish(request, tracking_code: str, payload: PublishIn):
    c = _staff_case(request, tracking_code)
    return staff_view(
        request.auth, _call(services.set_publication, request.auth, c, approve=payload.approve)
    )


class TemplateOut(Schema):
    id: int
    title: str
    body: str


class TemplateIn(Schema):
    agency: str
    title: str
    body: str


def _agency(ref) -> Agency:
    found = agency_by_ref(ref)
    if found is None:
        raise ApiError(404, "unknown_agency", _("Instansi tidak dikenal."), field="agency")
    return found


@_staff_operation(
    router.get,
    "/staff/answer-templates",
    "Answer templates of an agency",
    {
        401: UNAUTHORIZED,
        403: "The caller does not handle complaints in the agency (`forbidden`).",
        404: "No agency has this id or code (`unknown_agency`).",
        422: "`agency` is missing (`invalid_input`).",
    },
    ok={200: list[TemplateOut]},
)
def staff_templates(request, agency: str):
    found = _agency(agency)
    ids = permissions.agency_ids(request.auth, rules.HANDLER_ROLES)
    if ids is not None and found.pk not in ids:
        raise ApiError(403, "forbidden", _("Anda tidak berwenang."))
    from .models import AnswerTemplate

    return [
        {"id": t.pk, "title": t.title, "body": t.body}
        for t in AnswerTemplate.objects.filter(agency=found)
    ]


@_staff_operation(
    router.post,
    "/staff/answer-templates",
    "Add an answer template",
    {
        400: UNPARSEABLE,
        401: UNAUTHORIZED,
        413: TOO_LARGE,
        403: "The caller is not a complaint manager of the agency (`forbidden`).",
        404: "No agency has this id or code (`unknown_agency`).",
        422: "A field missing or of the wrong type (`invalid_input`); `title` or `body` empty "
        f"(`required`), {TEXT_REFUSED}, per field.",
    },
    ok={201: TemplateOut},
)
def staff_template_add(request, payload: TemplateIn):
    t = _call(
        services.save_template,
        request.auth,
        _agency(payload.agency),
        title=payload.title,
        body=payload.body,
    )
    return Status(201, {"id": t.pk, "title": t.title, "body": t.body})


class TemplateChangeIn(Schema):
    title: str
    body: str


class TemplatePatchIn(Schema):
    title: str | None = None
    body: str | None = None


TEMPLATE_NOT_FOUND = (
    "No answer template has this id in an agency where the caller handles complaints (`not_found`)."
)
TEMPLATE_FORBIDDEN = "The caller is not a complaint manager of the template's agency (`forbidden`)."
TEMPLATE_CHANGE_REFUSALS = {
    400: UNPARSEABLE,
    401: UNAUTHORIZED,
    413: TOO_LARGE,
    403: TEMPLATE_FORBIDDEN,
    404: TEMPLATE_NOT_FOUND,
    422: "A field missing or of the wrong type (`invalid_input`); `title` or `body` empty "
    f"(`required`), {TEXT_REFUSED}, per field.",
}
TEMPLATE_DELETE_REFUSALS = {
    401: UNAUTHORIZED,
    403: TEMPLATE_FORBIDDEN,
    404: TEMPLATE_NOT_FOUND,
    422: "`template_id` is not a whole number (`invalid_input`).",
}


def _template_out(t) -> dict:
    return {"id": t.pk, "title": t.title, "body": t.body}


@router.put(
    "/staff/answer-templates/{template_id}",
    auth=staff_auth,
    response={200: TemplateOut, **_error_bodies(TEMPLATE_CHANGE_REFUSALS)},
    openapi_extra={"responses": _refusals(TEMPLATE_CHANGE_REFUSALS)},
    tags=["staff"],
    summary="Replace an answer template",
)
def staff_template_replace(request, template_id: int, payload: TemplateChangeIn):
    """Set a template's title and text (complaint manager of its agency). Answers already sent keep
    their own text."""
    t = selectors.template_for_staff(request.auth, template_id)
    t = _call(services.update_template, request.auth, t, title=payload.title, body=payload.body)
    return _template_out(t)


@router.patch(
    "/staff/answer-templates/{template_id}",
    auth=staff_auth,
    response={200: TemplateOut, **_error_bodies(TEMPLATE_CHANGE_REFUSALS)},
    openapi_extra={"responses": _refusals(TEMPLATE_CHANGE_REFUSALS)},
    tags=["staff"],
    summary="Change an answer template",
)
def staff_template_change(request, template_id: int, payload: TemplatePatchIn):
    """Change a template's title, text or both (complaint manager of its agency); a field left out
    keeps its value."""
    t = selectors.template_for_staff(request.auth, template_id)
    title = t.title if payload.title is None else payload.title
    body = t.body if payload.body is None else payload.body
    return _template_out(_call(services.update_template, request.auth, t, title=title, body=body))


@router.delete(
    "/staff/answer-templates/{template_id}",
    auth=staff_auth,
    response={204: None, **_error_bodies(TEMPLATE_DELETE_REFUSALS)},
    openapi_extra={"responses": _refusals(TEMPLATE_DELETE_REFUSALS)},
    tags=["staff"],
    summary="Remove an answer template",
)
def staff_template_delete(request, template_id: int):
    """Remove a template (complaint manager of its agency). Answers already sent keep their text."""
    t = selectors.template_for_staff(request.auth, template_id)
    _call(services.delete_template, request.auth, t)
    return Status(204, None)


# The operations above that declare no refusal of their own get those of their input
# (``core.api_utils.declare_refusals``); the published list names an agency that may not exist.
declare_refusals(router, {"published": (404,)})
