"""Whistleblowing API under /api/v1/integrity.

Public: file a report (multipart, files in ``evidence``), exchange a receipt for a short-lived
session token, statistics. Reporter (``Authorization: Bearer wbs_…`` from ``/session``): the case,
replies, evidence, retaliation, the contact for the news mails. Staff (``Bearer amanah_…``): the
case workflow.

Nothing here reads or logs the client address except ``ratelimit`` (keyed, expiring hash in the cache).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import wraps

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from amanah.core import files, paging, ratelimit
from amanah.core.api_utils import FILES_FIELD, REFUSED, ApiError, declare_refusals, staff_auth
from amanah.core.models import User
from amanah.core.paging import Page

from . import selectors, services
from .forms import ContactForm, GratificationForm, ReportForm

router = Router(tags=["integrity"])


class ReporterToken(HttpBearer):
    """The reporter's short-lived session token (``wbs_…``) from ``POST /integrity/session``."""

    def authenticate(self, request, token):
        report = services.session_report(token)
        if report is None:
            return None
        request.integrity_report = report
        request.integrity_token = token
        return report


reporter_auth = ReporterToken()


class ReporterWrites(BaseThrottle):
    """The limit of the reporter's writes (``INTEGRITY_REPLY_RATE`` per client, shared with the pages:
    ``services.reporter_write_allowed``), checked before the body and its files are read; a refusal is
    429 ``throttled`` with ``Retry-After``."""

    def allow_request(self, request) -> bool:
        return services.reporter_write_allowed(ratelimit.client_ip(request))

    def wait(self):
        return ratelimit.retry_after()


reporter_writes = [ReporterWrites()]

STATE_CODES = {
    "invalid_state",
    "closed",
    "already_decided",
    "already_pending",
    "already_answered",
    "consent_missing",
    "reporter_objected",
}


def _invalid(exc: services.InvalidInput):
    status = 409 if exc.code in STATE_CODES else 422
    return ApiError(status, exc.code, exc.message, exc.fields)


def translate_errors(view):
    @wraps(view)
    def inner(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except services.InvalidInput as exc:
            raise _invalid(exc) from None

    return inner


def _form_data(request) -> tuple[MultiValueDict | dict, list]:
    try:
        return _read_form(request)
    except RequestDataTooBig:
        raise ApiError(
            413,
            "too_large",
            _(
                "Laporan terlalu besar. Kirim berkas besar satu per satu "
                "(paling besar %(mb)s MB per berkas) dan persingkat teksnya."
            )
            % {"mb": files.max_megabytes()},
        ) from None


def _read_form(request):
    if (request.content_type or "").startswith("application/json"):
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise ApiError(
                400, "invalid_json", _("Badan permintaan bukan JSON yang sah.")
            ) from None
        if not isinstance(data, dict):
            raise ApiError(400, "invalid_json", _("Badan permintaan harus objek JSON."))
        data = {
            k: ("" if v is None else (v if isinstance(v, bool) else str(v)))
            for k, v in data.items()
        }
        return data, []
    return request.POST, request.FILES.getlist("evidence")


def _form_errors(form) -> dict:
    return {field: " ".join(str(m) for m in msgs) for field, msgs in form.errors.items()}


# --- answers ----------------------------------------------------------------------------------
# The bodies the operations answer, as ``selectors`` builds them (``reporter_view``, ``case_summary``,
# ``case_detail``, ``export_case``, ``statistics``); every date is a day (YYYY-MM-DD), never a time.


class IntegrityReporterMessageOut(Schema):
    id: int
    from_: str = Field(alias="from", description="`pelapor` (the reporter) or `tim` (the team)")
    kind: str
    body: str = Field(description="In the reader's language when the system wrote it")
    created_on: dt.date


class IntegrityReporterDisclosureOut(Schema):
    id: int
    requested_on: dt.date
    reason: str
    state: str
    state_text: str
    consent: str
    consent_text: str
    can_consent: bool = Field(description="It waits for the reporter's consent")
    can_object: bool = Field(description="The reporter may still object (waiting or approved)")


class IntegrityReporterCaseOut(Schema):
    """The case as its reporter sees it."""

    case_number: str
    kind: str
    status: str
    status_text: str = Field(description="The status in plain words, in the reader's language")
    violation_type: str
    created_on: dt.date
    outcome: str | None = Field(description="Once the case is concluded")
    protection_flag: bool
    upg_due: dt.date | None
    kpk_due: dt.date | None
    can_reply: bool
    messages: list[IntegrityReporterMessageOut]
    evidence_count: int = Field(description="Files the reporter sent")
    disclosures: list[IntegrityReporterDisclosureOut]
    contact_given: bool = Field(
        description="The reporter gave a contact (never shown: `PUT`/`DELETE /me/contact` change it)"
    )
    news_by_mail: bool = Field(
        description="News mails go to it (an e-mail address the reporter agreed to be contacted at)"
    )


class IntegrityCaseSummaryOut(Schema):
    id: int
    case_number: str
    kind: str
    agency: str = Field(description="Code of the reported person's agency")
    unit: str | None
    handling_agency: str | None = Field(
        description="Code of the agency handling it (None: platform)"
    )
    escalated: bool
    violation_type: str
    status: str
    outcome: str | None
    sanction_level: str | None
    priority: str | None
    protection_flag: bool
    created_on: dt.date
    assessment_due: dt.date | None
    acknowledge_due: dt.date | None
    feedback_due: dt.date | None


class IntegrityCaseMessageOut(Schema):
    id: int
    direction: str
    kind: str
    kind_label: str
    body: str
    created_on: dt.date


class IntegrityEvidenceOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    from_reporter: bool
    created_on: dt.date


class IntegrityAssignmentOut(Schema):
    user: int
    name: str
    lead: bool


class IntegritySummonsOut(Schema):
    id: int
    person: str
    number: int
    issued_on: dt.date
    hearing_on: dt.date
    attended: bool | None


class IntegrityRecordOut(Schema):
    id: int
    held_on: dt.date
    examined: str
    content: str


class IntegrityCaseDisclosureOut(Schema):
    id: int
    state: str
    state_text: str
    consent: str
    consent_text: str
    requested_on: dt.date
    consent_on: dt.date | None
    decided_on: dt.date | None


class IntegrityCaseDetailOut(IntegrityCaseSummaryOut):
    """Everything a handler sees, except the reporter's identity (``/identity``)."""

    reported_name: str
    reported_nip: str
    reported_position: str
    description: str
    incident_date: str = Field(description="As the reporter wrote it")
    incident_place: str
    witnesses: str
    reporter_identified: bool
    may_contact: bool
    gift_received_on: dt.date | None
    gift_giver: str
    gift_value: str
    upg_due: dt.date | None
    kpk_due: dt.date | None
    credibility: str | None
    seriousness: str | None
    retaliation_risk: str | None
    assessment_note: str
    examination_plan: str
    finding_note: str
    sanction: str | None
    referral_body: str | None
    discipline_pending: bool
    messages: list[IntegrityCaseMessageOut]
    evidence: list[IntegrityEvidenceOut]
    assignments: list[IntegrityAssignmentOut]
    summons: list[IntegritySummonsOut]
    records: list[IntegrityRecordOut]
    disclosures: list[IntegrityCaseDisclosureOut]


class IntegrityExportEvidenceOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    created_on: dt.date


class IntegrityExportOut(Schema):
    """The case file for a referral (``selectors.EXPORT_FIELDS``): never the reporter."""

    id: int
    case_number: str
    kind: str
    agency: str
    unit: str | None
    handling_agency: str | None
    violation_type: str
    status: str
    outcome: str | None
    sanction_level: str | None
    sanction: str | None
    created_on: dt.date
    reported_name: str
    reported_nip: str
    reported_position: str
    description: str
    incident_date: str
    incident_place: str
    witnesses: str
    gift_received_on: dt.date | None
    gift_giver: str
    gift_value: str
    examination_plan: str
    summons: list[IntegritySummonsOut]
    records: list[IntegrityRecordOut]
    finding_note: str
    referral_body: str | None
    evidence: list[IntegrityExportEvidenceOut]
    sanction_label: str | None


class IntegrityIdentityOut(Schema):
    reporter_name: str
    reporter_contact: str
    may_contact: bool


class IntegrityDisclosureRequestOut(Schema):
    id: int
    case_number: str
    reason: str
    state: str
    consent: str
    requested_on: dt.date


class IntegrityDisclosureStateOut(Schema):
    id: int
    state: str


class IntegrityProtectedCaseOut(Schema):
    case_number: str
    agency: str
    protection_since: dt.date | None
    status: str


class IntegrityOkOut(Schema):
    ok: bool


class IntegrityEscalatedOut(Schema):
    escalated: bool = Field(description="The case went up a level")


class IntegrityIdOut(Schema):
    id: int


class IntegritySummonsIssuedOut(Schema):
    id: int
    number: int
    issued_on: dt.date
    hearing_on: dt.date


class IntegrityAttendanceOut(Schema):
    id: int
    attended: bool | None
    decide_on_evidence: bool = Field(
        description="The case may now be decided on the evidence (a second summons was missed)"
    )


#: A count of the statistics: a number, "< 5" for one from 1 to 4 standing alone, or "disembunyikan"
#: for a cell hidden in a breakdown.
MaskedCount = int | str


class IntegrityPeriodOut(Schema):
    start: dt.date
    end: dt.date


class IntegrityStatisticsOut(Schema):
    period: IntegrityPeriodOut
    quarter: str = Field(description="`2026-Q3`")
    total: MaskedCount = Field(description='A number, or "< 5"')
    by_type: dict[str, MaskedCount] = Field(
        description='By violation type: a number, "< 5" or "disembunyikan" (hidden)'
    )
    by_status: dict[str, MaskedCount]
    by_outcome: dict[str, MaskedCount]
    by_sanction_level: dict[str, MaskedCount]
    gratification_self_reports: MaskedCount
    protection_cases: MaskedCount


#: The answer of ``GET /cases/{id}/evidence/{evidence_id}``: the file itself, in its own type.
EVIDENCE_FILE = {
    "responses": {
        200: {
            "description": "The evidence file (its metadata removed when it was stored).",
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in sorted(files.ALLOWED_TYPES)
            },
        }
    }
}


class ReceiptOut(Schema):
    receipt: str


REPORT_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [
                        "reported_name",
                        "reported_agency",
                        "violation_type",
                        "description",
                    ],
                    "properties": {
                        **{
                            f: {"type": "string"}
                            for f in (
                                "reported_name",
                                "reported_nip",
                                "reported_position",
                                "reported_agency",
                                "reported_unit",
                                "description",
                                "incident_place",
                                "witnesses",
                                "reporter_name",
                                "reporter_contact",
                                "kind",
                                "gift_giver",
                                "gift_value",
                            )
                        },
                        "violation_type": {
                            "type": "string",
                            "enum": [
                                "korupsi",
                                "gratifikasi",
                                "pungutan_liar",
                                "penyalahgunaan_wewenang",
                                "konflik_kepentingan",
                                "pelanggaran_disiplin",
                                "pelanggaran_kode_etik",
                                "lainnya",
                            ],
                        },
                        "incident_date": {"type": "string", "format": "date"},
                        "gift_received_on": {"type": "string", "format": "date"},
                        "may_contact": {"type": "boolean"},
                        "evidence": FILES_FIELD,
                    },
                }
            }
        },
        "required": True,
    }
}


@router.post("/reports", auth=None, response={201: ReceiptOut}, openapi_extra=REPORT_BODY)
def file_report(request):
    """File a report. With ``kind=gratifikasi_diri`` an ASN reports a gift they received (name, NIP and
    ``gift_received_on`` required). The answer's receipt is shown only here: keep it."""
    from django.conf import settings

    limit, window = settings.PUBLIC_FORM_RATE
    if not ratelimit.hit("integrity-report", ratelimit.client_ip(request), limit, window):
        raise ApiError(
            429, "throttled", _("Terlalu banyak laporan dari sambungan ini. Tunggu beberapa menit.")
        )
    data, uploads = _form_data(request)
    form_class = GratificationForm if data.get("kind") == "gratifikasi_diri" else ReportForm
    form = form_class(data)
    if not form.is_valid():
        raise ApiError(
            422, "invalid_input", _("Laporan belum lengkap atau tidak valid."), _form_errors(form)
        )
    try:
        _report, receipt = services.submit_report(form.cleaned_data, uploads)
    except services.InvalidInput as exc:
        raise _invalid(exc) from None
    except files.FileRejected as exc:
        raise ApiError(422, exc.code, str(exc), {"evidence": str(exc)}) from None
    return Status(201, {"receipt": receipt})


class ReceiptIn(Schema):
    receipt: str


class SessionOut(Schema):
    token: str
    expires_in: int


@router.post("/session", auth=None, response=SessionOut)
def open_session(request, payload: ReceiptIn):
    """Exchange the receipt for a token. It ends after ``expires_in`` seconds without use (each call
    with it extends it), and at the latest ``INTEGRITY_SESSION_MAX_SECONDS`` after it was opened.
    Wrong receipts: 401; after a few, 429."""
    try:
        token, _report = services.open_session(payload.receipt, ratelimit.client_ip(request))
    except services.SessionError as exc:
        raise ApiError(exc.status, exc.code, exc.message) from None
    return {"token": token, "expires_in": services.session_seconds()}


@router.delete("/session", auth=reporter_auth, response={204: None})
def close_session(request):
    """End the session: the token stops working at once."""
    services.close_session(request.integrity_token)
    return Status(204, None)


@router.get("/me", auth=reporter_auth, response=IntegrityReporterCaseOut, by_alias=True)
def me(request):
    """The reporter's case: plain-language status and the messages; whether a contact was given and
    news mails go to it, never the contact itself."""
    return selectors.reporter_view(request.integrity_report)


class ReporterReplyIn(Schema):
    body: str


@router.post(
    "/me/messages",
    auth=reporter_auth,
    response={201: IntegrityReporterCaseOut},
    by_alias=True,
    throttle=reporter_writes,
)
@translate_errors
def reply(request, payload: ReporterReplyIn):
    """Answer the investigators (JSON ``{"body": …}``)."""
    services.reporter_reply(request.integrity_report, payload.body)
    request.integrity_report.refresh_from_db()
    return Status(201, selectors.reporter_view(request.integrity_report))


@router.post(
    "/me/evidence",
    auth=reporter_auth,
    response={201: IntegrityReporterCaseOut},
    by_alias=True,
    throttle=reporter_writes,
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "body": {"type": "string"},
                            "evidence": FILES_FIELD,
                        },
                    }
                }
            }
        }
    },
)
@translate_errors
def add_evidence(request):
    """Add evidence files (multipart ``evidence``) with an optional message ``body``."""
    uploads = request.FILES.getlist("evidence")
    if not uploads:
        raise ApiError(
            422,
            "no_files",
            _("Lampirkan paling sedikit satu berkas."),
            field="evidence",
        )
    services.reporter_reply(request.integrity_report, request.POST.get("body", ""), uploads)
    request.integrity_report.refresh_from_db()
    return Status(201, selectors.reporter_view(request.integrity_report))


class RetaliationIn(Schema):
    kind: str
    description: str


@router.post(
    "/me/retaliation",
    auth=reporter_auth,
    response={201: IntegrityReporterCaseOut},
    by_alias=True,
    throttle=reporter_writes,
)
@translate_errors
def retaliation(request, payload: RetaliationIn):
    """Report retaliation (mutasi, demosi, tekanan, lainnya); the case gets a protection flag."""
    services.report_retaliation(request.integrity_report, payload.kind, payload.description)
    request.integrity_report.refresh_from_db()
    return Status(201, selectors.reporter_view(request.integrity_report))


@router.post(
    "/me/disclosures/{id}/consent",
    auth=reporter_auth,
    response=IntegrityReporterCaseOut,
    by_alias=True,
    throttle=reporter_writes,
)
@translate_errors
def consent(request, id: int):
    """Consent to a request to see your identity. A custodian then decides; without your consent
    your identity is never opened."""
    services.answer_disclosure(request.integrity_report, id, consent=True)
    request.integrity_report.refresh_from_db()
    return selectors.reporter_view(request.integrity_report)


@router.post(
    "/me/disclosures/{id}/objection",
    auth=reporter_auth,
    response=IntegrityReporterCaseOut,
    by_alias=True,
    throttle=reporter_writes,
)
@translate_errors
def objection(request, id: int):
    """Object to a request to see your identity: it ends, also after an approval (your consent is
    withdrawn)."""
    services.answer_disclosure(request.integrity_report, id, consent=False)
    request.integrity_report.refresh_from_db()
    return selectors.reporter_view(request.integrity_report)


class ContactIn(Schema):
    contact: str = Field(description="One e-mail address or one Indonesian telephone number")


@router.put(
    "/me/contact",
    auth=reporter_auth,
    response=IntegrityReporterCaseOut,
    by_alias=True,
    throttle=reporter_writes,
)
def change_contact(request, payload: ContactIn):
    """Give a new contact for the news about your report, and agree to be contacted there: one e-mail
    address (news mails go only to an e-mail address) or one Indonesian telephone number. Checked as on
    the case page; anything else is refused with 422 ``invalid_input`` naming ``contact``. The stop link
    of the mails sent to the old contact stops working. The answer says only whether a contact is
    given and whether news goes to it, never the contact itself."""
    form = ContactForm({"contact": payload.contact})
    if not form.is_valid():
        errors = _form_errors(form)
        raise ApiError(422, "invalid_input", errors.get("contact", ""), errors)
    services.change_contact(request.integrity_report, form.cleaned_data["contact"])
    request.integrity_report.refresh_from_db()
    return selectors.reporter_view(request.integrity_report)


@router.delete(
    "/me/contact",
    auth=reporter_auth,
    response=IntegrityReporterCaseOut,
    by_alias=True,
    throttle=reporter_writes,
)
def remove_contact(request):
    """Stop the news about your report: the contact you gave is erased (not only switched off), and
    the stop link of the mails already sent stops working. The report is handled as before; its
    progress can still be read here with the receipt. On a report without a contact it changes
    nothing."""
    services.remove_contact(request.integrity_report, via="api")
    request.integrity_report.refresh_from_db()
    return selectors.reporter_view(request.integrity_report)


@router.get("/statistics", auth=None, response=IntegrityStatisticsOut)
def statistics(request, agency: str = "", quarter: str = ""):
    """Counts of the reports received in one calendar quarter that is over (``quarter`` as
    ``2026-Q3``; the latest by default), for one agency (id or code) or for all, by type, status,
    outcome and sanction level. A count from 1 to 4 standing alone is given as "< 5"; in a breakdown,
    small counts and the cells hidden so that they cannot be worked out from the total are all given
    as "disembunyikan". The national figures add up the agencies with at least five reports in the
    quarter."""
    from amanah.core.selectors import agency_by_ref

    found = None
    if agency:
        found = agency_by_ref(agency)
        if found is None:
            raise ApiError(404, "unknown_agency", _("Instansi tidak dikenal."), field="agency")
    period = None
    if quarter:
        period = selectors.parse_quarter(quarter)
        if period is None:
            raise ApiError(
                400,
                "invalid_quarter",
                _("Triwulan ditulis TTTT-Qn (misalnya 2026-Q3) dan harus sudah berakhir."),
                field="quarter",
            )
    return selectors.statistics(found.pk if found else None, period)


# --- staff ------------------------------------------------------------------------------------


def _require_scope(user, roles, agency_ref: str):
    """Lists are refused (403) unless the caller holds one of ``roles`` in ``agency`` (code or id;
    or anywhere, without ``agency``). Returns that agency (``None`` without one), to which the list is
    then narrowed; the selectors keep it to the caller's scope."""
    from amanah.core import permissions
    from amanah.core.selectors import agency_by_ref

    if agency_ref:
        agency = agency_by_ref(agency_ref)
        if agency is None or not permissions.has_role(user, roles, agency=agency):
            raise ApiError(403, "forbidden", _("Anda tidak berwenang."))
        return agency
    if not permissions.scopes(user, roles):
        raise ApiError(403, "forbidden", _("Anda tidak berwenang."))
    return None


@router.get("/cases", auth=staff_auth, response=Page[IntegrityCaseSummaryOut])
def list_cases(request, status: str = "", agency: str = "", limit: int = 50, offset: int = 0):
    """Cases handled by the caller's inspectorate, without those the caller is excluded from; newest
    first, a page at a time."""
    found = _require_scope(request.user, ["inspektorat"], agency)
    return paging.page(
        selectors.visible_cases(request.user, status=status, agency=found),
        limit,
        offset,
        lambda rows: [selectors.case_summary(r) for r in rows],
    )


@router.get("/cases/{id}", auth=staff_auth, response=IntegrityCaseDetailOut)
def get_case(request, id: int):
    report = services.case_for(request.user, id)
    return selectors.case_detail(report)


class AckIn(Schema):
    message: str = ""


@router.post("/cases/{id}/acknowledge", auth=staff_auth, response=IntegrityCaseSummaryOut)
@translate_errors
def acknowledge(request, id: int, payload: AckIn):
    return selectors.case_summary(services.acknowledge(request.user, id, payload.message))


class AssessIn(Schema):
    credibility: str
    seriousness: str
    retaliation_risk: str
    decision: str
    note: str = ""
    reporter_message: str = ""
    referral_body: str = ""


@router.post("/cases/{id}/assess", auth=staff_auth, response=IntegrityCaseSummaryOut)
@translate_errors
def assess(request, id: int, payload: AssessIn):
    return selectors.case_summary(services.assess(request.user, id, **payload.dict()))


class CaseAssignIn(Schema):
    user: int
    lead: bool = False


@router.post("/cases/{id}/assign", auth=staff_auth, response=IntegrityOkOut)
@translate_errors
def assign(request, id: int, payload: CaseAssignIn):
    investigator = User.objects.filter(pk=payload.user).first()
    services.assign(request.user, id, investigator, lead=payload.lead)
    return {"ok": True}


class ReportedIn(Schema):
    nip: str


@router.post("/cases/{id}/reported", auth=staff_auth, response=IntegrityEscalatedOut)
@translate_errors
def name_reported(request, id: int, payload: ReportedIn):
    """Name the reported employee by NIP: they and their superiors are excluded from the case, and a
    case about the inspectorate or its leadership goes up a level. Never undoes an exclusion or moves
    a case down."""
    report = services.name_reported_employee(request.user, id, payload.nip)
    return {"escalated": report.escalated}


class ConflictIn(Schema):
    reason: str = ""


@router.post("/cases/{id}/conflict", auth=staff_auth, response={204: None})
@translate_errors
def declare_conflict(request, id: int, payload: ConflictIn):
    """Declare a conflict of interest: the case disappears for you."""
    services.declare_conflict(request.user, id, payload.reason)
    return Status(204, None)


class InvestigationPlanIn(Schema):
    plan: str


@router.post("/cases/{id}/plan", auth=staff_auth, response=IntegrityOkOut)
@translate_errors
def plan(request, id: int, payload: InvestigationPlanIn):
    services.set_plan(request.user, id, payload.plan)
    return {"ok": True}


class CaseSummonsIn(Schema):
    person: str
    hearing_on: dt.date
    issued_on: dt.date | None = None
    number: int = 1


@router.post("/cases/{id}/summons", auth=staff_auth, response={201: IntegritySummonsIssuedOut})
@translate_errors
def summon(request, id: int, payload: CaseSummonsIn):
    """Written summons: at least 7 working days ahead (PP 94/2021); a second only after a missed first."""
    s = services.issue_summons(request.user, id, **payload.dict())
    return Status(
        201, {"id": s.pk, "number": s.number, "issued_on": s.issued_on, "hearing_on": s.hearing_on}
    )


class AttendanceIn(Schema):
    attended: bool


@router.post(
    "/cases/{id}/summons/{summons_id}/attendance",
    auth=staff_auth,
    response=IntegrityAttendanceOut,
)
@translate_errors
def attendance(request, id: int, summons_id: int, payload: AttendanceIn):
    s = services.record_attendance(request.user, id, summons_id, payload.attended)
    report = services.case_for(request.user, id)
    return {
        "id": s.pk,
        "attended": s.attended,
        "decide_on_evidence": services.may_decide_on_evidence(report, s),
    }


class BapIn(Schema):
    held_on: dt.date
    examined: str
    content: str
    summons_id: int | None = None


@router.post("/cases/{id}/records", auth=staff_auth, response={201: IntegrityIdOut})
@translate_errors
def bap(request, id: int, payload: BapIn):
    """Berita acara pemeriksaan (BAP)."""
    r = services.record_bap(request.user, id, **payload.dict())
    return Status(201, {"id": r.pk})


class FindingIn(Schema):
    outcome: str
    note: str
    sanction_level: str = ""
    sanction: str = ""
    reporter_message: str = ""


@router.post("/cases/{id}/finding", auth=staff_auth, response=IntegrityCaseSummaryOut)
@translate_errors
def finding(request, id: int, payload: FindingIn):
    """terbukti / tidak_terbukti / sebagian, with a PP 94/2021 sanction recommendation when proven."""
    return selectors.case_summary(services.record_finding(request.user, id, **payload.dict()))


class ReferralIn(Schema):
    body: str
    note: str = ""
    reporter_message: str = ""


@router.post("/cases/{id}/referral", auth=staff_auth, response=IntegrityCaseSummaryOut)
@translate_errors
def referral(request, id: int, payload: ReferralIn):
    """Refer to KPK, Ombudsman or APH."""
    return selectors.case_summary(services.refer(request.user, id, **payload.dict()))


@router.get("/cases/{id}/export", auth=staff_auth, response=IntegrityExportOut)
def export(request, id: int):
    """The case file for the referral, without the reporter's identity."""
    report = services.case_for(request.user, id)
    services.record_read(request.user, report, "case_exported")
    return selectors.export_case(report)


class CaseMessageIn(Schema):
    body: str
    question: bool = False


@router.post("/cases/{id}/messages", auth=staff_auth, response={201: IntegrityIdOut})
@translate_errors
def message(request, id: int, payload: CaseMessageIn):
    m = services.send_message(request.user, id, payload.body, question=payload.question)
    return Status(201, {"id": m.pk})


@router.get("/cases/{id}/evidence/{evidence_id}", auth=staff_auth, openapi_extra=EVIDENCE_FILE)
def evidence(request, id: int, evidence_id: int):
    report = services.case_for(request.user, id)
    ev = report.evidence.select_related("file").filter(pk=evidence_id).first()
    if ev is None:
        raise ApiError(404, "not_found", _("Data tidak ditemukan."))
    services.record_read(request.user, report, "evidence_viewed", {"evidence": ev.pk})
    response = HttpResponse(files.read(ev.file), content_type=ev.file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, ev.file.filename)
    return response


class DisclosureIn(Schema):
    reason: str


@router.post(
    "/cases/{id}/disclosures", auth=staff_auth, response={201: IntegrityDisclosureStateOut}
)
@translate_errors
def request_disclosure(request, id: int, payload: DisclosureIn):
    """Ask to see the reporter's identity: the reporter is asked to consent, then a custodian decides.
    Refused (409) on a case closed without examination and while another request waits."""
    d = services.request_disclosure(request.user, id, payload.reason)
    return Status(201, {"id": d.pk, "state": d.state})


@router.get("/cases/{id}/identity", auth=staff_auth, response=IntegrityIdentityOut)
def identity(request, id: int):
    """The reporter's identity: only after the caller's own request was approved by a custodian."""
    try:
        return services.reveal_identity(request.user, id)
    except PermissionDenied as exc:
        raise ApiError(403, "disclosure_not_approved", str(exc)) from None


@router.get("/disclosures", auth=staff_auth, response=Page[IntegrityDisclosureRequestOut])
def disclosures(request, agency: str = "", limit: int = 50, offset: int = 0):
    """Disclosure requests for the custodian to decide, a page at a time."""
    found = _require_scope(request.user, ["kustodian"], agency)
    return paging.page(
        selectors.pending_disclosures(request.user, agency=found),
        limit,
        offset,
        lambda rows: [
            {
                "id": d.pk,
                "case_number": d.report.case_number,
                "reason": d.reason,
                "state": d.state,
                "consent": d.consent,
                "requested_on": d.requested_on,
            }
            for d in rows
        ],
    )


class DecideIn(Schema):
    approve: bool


@router.post("/disclosures/{id}/decide", auth=staff_auth, response=IntegrityDisclosureStateOut)
@translate_errors
def decide(request, id: int, payload: DecideIn):
    """Approve (only once the reporter consented: otherwise 409 ``consent_missing``, or
    ``reporter_objected``) or refuse."""
    d = services.decide_disclosure(request.user, id, payload.approve)
    return {"id": d.pk, "state": d.state}


@router.get("/protection", auth=staff_auth, response=Page[IntegrityProtectedCaseOut])
def protection(request, agency: str = "", limit: int = 50, offset: int = 0):
    """Cases whose reporter reported retaliation (for leadership and the inspectorate), a page at a
    time."""
    found = _require_scope(request.user, ["pimpinan", "inspektorat"], agency)
    return paging.page(
        selectors.protected_cases(request.user, agency=found),
        limit,
        offset,
        lambda rows: [
            {
                "case_number": r.case_number,
                "agency": r.agency.code,
                "protection_since": r.protection_since,
                "status": r.status,
            }
            for r in rows
        ],
    )


#: The refusals each operation declares beyond those of its token and its input
#: (``core.api_utils.declare_refusals``): a staff operation may be refused by role (403) and does not
#: show a case or agency it may not see (404); ``translate_errors`` answers 409 for a step the case's
#: state does not allow and 422 for refused input.
_STEP = (404, 409, 422)
declare_refusals(
    router,
    {
        "file_report": {429: REFUSED[429]},
        "open_session": {
            400: "The receipt is malformed.",
            401: "The receipt matches no report (`wrong_receipt`).",
            429: "Too many attempts from this client (`throttled`).",
        },
        "statistics": (404,),
        "reply": _STEP,
        "add_evidence": _STEP,
        "retaliation": _STEP,
        "consent": _STEP,
        "objection": _STEP,
        **dict.fromkeys(
            [
                "acknowledge",
                "assess",
                "assign",
                "name_reported",
                "declare_conflict",
                "plan",
                "summon",
                "attendance",
                "bap",
                "finding",
                "referral",
                "message",
                "request_disclosure",
                "decide",
            ],
            _STEP,
        ),
    },
    staff=(403, 404),
)
