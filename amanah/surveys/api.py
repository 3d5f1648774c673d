"""SKM API under /api/v1/surveys: periods (staff), answers (public), results, paper uploads, follow-up."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from amanah.core import paging, permissions, ratelimit
from amanah.core.api_utils import ApiError, declare_refusals, staff_auth
from amanah.core.models import Service, Unit
from amanah.core.paging import Page
from amanah.core.records import translated

from . import rules, selectors, services
from .models import Channel, FollowUpPlan, PeriodStatus, SurveyPeriod

router = Router(tags=["surveys"])


def _anonymous(request):
    """Lets a request without a token through; the view decides what the public may see."""
    return "anonymous"


optional_auth = [staff_auth, _anonymous]


def _user(request):
    user = getattr(request, "auth", None)
    return user if getattr(user, "is_authenticated", False) else None


def _raise(exc):
    if isinstance(exc, services.SurveyError):
        raise ApiError(exc.status, exc.code, exc.message, exc.fields)
    if isinstance(exc, rules.AnswerError):
        raise ApiError(
            422,
            "invalid_answers",
            _("Jawaban survei tidak lengkap atau tidak valid."),
            {field: translated(text) for field, text in exc.fields.items()},
        )
    raise exc


def _period(id: int) -> SurveyPeriod:
    return get_object_or_404(
        SurveyPeriod.objects.select_related("unit", "service", "agency"), pk=id
    )


def _readable(request, id: int) -> SurveyPeriod:
    """Published periods are public; others only for staff who may read them (else 404, revealing nothing)."""
    period = _period(id)
    if period.status == PeriodStatus.PUBLISHED:
        return period
    user = _user(request)
    if user is None or not selectors.can_read(user, period):
        raise ApiError(404, "not_found", _("Periode survei tidak ditemukan."))
    return period


def _period_out(period: SurveyPeriod) -> dict:
    from django.urls import reverse

    return {
        "id": period.pk,
        "unit": period.unit.code,
        "service": period.service.code if period.service_id else None,
        "title": str(period),
        "start": period.start,
        "end": period.end,
        "population": period.population,
        "required_sample": period.required_sample,
        "weight": period.weight,
        "status": period.status,
        "short_url": reverse("surveys:short", args=[period.short_code]),
    }


class SurveyPeriodIn(Schema):
    unit: str = Field(description="Unit code")
    start: dt.date
    end: dt.date
    population: int = Field(description="Number of service users in the period")
    service: str | None = Field(
        None, description="Service code or id (optional: a survey of one service)"
    )
    title: str = Field("", description="At most 200 characters (a longer one is refused)")
    weight: str | None = Field(None, description='"exact" (1/9, default) or "0.111"')


class PeriodOut(Schema):
    id: int
    unit: str
    service: str | None
    title: str
    start: dt.date
    end: dt.date
    population: int
    required_sample: int
    weight: str
    status: str
    short_url: str


@router.post(
    "/periods", response={201: PeriodOut}, auth=staff_auth, summary="Create a survey period"
)
def create_period(request, payload: SurveyPeriodIn):
    unit = Unit.objects.filter(code=payload.unit).select_related("agency").first()
    if unit is None:
        raise ApiError(
            422,
            "unknown_unit",
            _("Unit tidak dikenal."),
            {"unit": _("Kode unit tidak dikenal.")},
        )
    service = None
    if payload.service:
        text = payload.service.strip()
        service = Service.objects.filter(code=text).first() or (
            Service.objects.filter(pk=int(text)).first() if text.isdecimal() else None
        )
        if service is None:
            raise ApiError(
                422,
                "unknown_service",
                _("Layanan tidak dikenal."),
                {"service": _("Layanan tidak dikenal.")},
            )
    try:
        period = services.create_period(
            request.auth,
            unit=unit,
            start=payload.start,
            end=payload.end,
            population=payload.population,
            service=service,
            title=payload.title,
            weight=payload.weight,
        )
    except services.SurveyError as exc:
        _raise(exc)
    return Status(201, _period_out(period))


@router.get(
    "/periods", response=Page[PeriodOut], auth=staff_auth, summary="Periods I may see (staff)"
)
def list_periods(request, unit: str = "", status: str = "", limit: int = 50, offset: int = 0):
    """Survey periods of the units the caller reads (of ``unit``; in ``status``), the latest start
    first, a page at a time."""
    if unit:
        found = Unit.objects.filter(code=unit).first()
        if found is None or not permissions.has_role(request.auth, rules.READ_ROLES, unit=found):
            raise ApiError(404, "not_found", _("Unit tidak ditemukan."))
    elif not permissions.scopes(request.auth, rules.READ_ROLES):
        raise ApiError(403, "forbidden", _("Anda tidak berwenang melihat survei."))
    qs = selectors.staff_periods(request.auth).select_related("unit", "service")
    if unit:
        qs = qs.filter(unit=found)
    if status:
        qs = qs.filter(status=status)
    return paging.page(qs, limit, offset, lambda rows: [_period_out(p) for p in rows])


class ElementOut(Schema):
    code: str
    name: str
    question: str
    labels: list[str]


class QuestionnaireOut(Schema):
    period: int
    unit: str
    title: str
    elements: list[ElementOut]
    services: list[dict]
    education: list[str]
    occupation: list[str]


@router.get(
    "/periods/{id}/questionnaire", response=QuestionnaireOut, auth=None, summary="The questionnaire"
)
def questionnaire(request, id: int):
    """Only while the period takes answers (as the page and ``POST …/responses``): open, and today by the
    agency's date between its start and end; else 409 ``period_closed``, ``period_not_started`` or
    ``period_ended``."""
    period = _period(id)
    try:
        services.check_takes_answers(period)
    except services.SurveyError as exc:
        _raise(exc)
    return {
        "period": period.pk,
        "unit": period.unit.name,
        "title": str(period),
        "elements": [  # in the reader's language, as the page shows them (msgids in i18n.py)
            {
                "code": e.code,
                "name": _(e.name),
                "question": _(e.question),
                "labels": [_(label) for label in e.labels],
            }
            for e in rules.ELEMENTS
        ],
        "services": [{"id": s.pk, "code": s.code, "name": s.name} for s in _services(period)],
        "education": list(rules.EDUCATION),
        "occupation": list(rules.OCCUPATIONS),
    }


def _services(period):
    if period.service_id:
        return [period.service]
    return list(
        Service.objects.filter(unit_id__in=period.unit.descendant_ids(), is_active=True).order_by(
            "name"
        )
    )


class ProfileIn(Schema):
    gender: str | None = None
    age: int | str | None = None
    education: str | None = None
    occupation: str | None = None
    service: int | str | None = None


class ResponseIn(Schema):
    answers: dict[str, Any]
    profile: ProfileIn | None = None
    suggestion: str = ""
    website: str = Field("", description="Leave empty (anti-spam field)")


def device_of(request) -> str:
    """An opaque per-device identifier for the one-answer-per-day rule: the client's own ``X-Device-Id``
    if it sends one, else a hash of the connection (address and browser string), never stored as such."""
    given = request.headers.get("X-Device-Id", "").strip()[:200]
    if given:
        return "dev:" + given
    raw = f"{ratelimit.client_ip(request)}|{request.headers.get('User-Agent', '')[:300]}"
    return "conn:" + hashlib.sha256(raw.encode()).hexdigest()


class SurveyAnswerSavedOut(Schema):
    status: str = Field(description="`saved`")
    message: str = Field(description="A thank-you in the reader's language")


@router.post(
    "/periods/{id}/responses",
    response={201: SurveyAnswerSavedOut},
    auth=None,
    summary="Answer the survey",
)
def answer(request, id: int, payload: ResponseIn):
    period = _period(id)
    try:
        services.check_rate(ratelimit.client_ip(request))
        profile = payload.profile.dict() if payload.profile else None
        services.record_response(
            period,
            answers=payload.answers,
            profile=profile,
            suggestion=payload.suggestion,
            channel=Channel.API,
            device=device_of(request),
            honeypot=payload.website,
        )
    except (services.SurveyError, rules.AnswerError) as exc:
        _raise(exc)
    # A filled honeypot stores nothing but gets the same answer, so a bot learns nothing.
    return Status(
        201, {"status": "saved", "message": _("Terima kasih. Jawaban Anda sudah tercatat.")}
    )


class UnsurOut(Schema):
    code: str
    name: str
    total: int
    nrr: float | None
    nrr_weighted: float | None


class ResultsOut(Schema):
    respondents: int
    unsur: list[UnsurOut]
    ikm_unit: float | None
    ikm: float | None
    mutu: str | None
    kinerja: str | None
    weight: str
    lowest: list[str]
    required_sample: int
    sample_adequate: bool
    period: dict


@router.get(
    "/periods/{id}/results",
    response=ResultsOut,
    auth=optional_auth,
    summary="IKM of a period (public once published)",
)
def period_results(request, id: int):
    """The result, its element names and the unit's performance (``kinerja``) in the reader's language
    (codes, ``mutu`` letters and numbers are the same in every language)."""
    period = _readable(request, id)
    if period.status == PeriodStatus.OPEN:
        out = selectors.results(period)
    else:
        out = selectors.frozen_results(period)
    return _in_language(out)


def _in_language(out: dict) -> dict:
    """A result (of a period, a service, a period of the trend) with its element names and ``kinerja``
    in the reader's language; the selectors give the Indonesian msgids."""
    out = dict(out)
    if "unsur" in out:
        out["unsur"] = [{**u, "name": _(u["name"])} for u in out["unsur"]]
    if out.get("kinerja"):
        out["kinerja"] = _(out["kinerja"])
    return out


class SurveyServiceIkmOut(Schema):
    """The IKM of the answers about one service (``service`` None: those that named none, or the
    ``merged`` row of the hidden groups)."""

    service: str | None = Field(description="The service's code")
    name: str
    respondents: int
    unsur: list[UnsurOut] = Field(description="Empty when `suppressed`")
    ikm_unit: float | None
    ikm: float | None
    mutu: str | None
    kinerja: str | None
    weight: str
    lowest: list[str]
    suppressed: bool = Field(
        description="Too few respondents (or it would give another group away)"
    )
    merged: bool = Field(description="The row joining the suppressed groups")


class SurveyProfileGroupOut(Schema):
    value: str | None = Field(description="The profile's value; None: not filled in, or `merged`")
    label: str
    respondents: int
    percent: float
    ikm: float | None
    suppressed: bool
    merged: bool


class SurveyComparedElementOut(Schema):
    code: str
    name: str
    previous: float | None
    current: float | None
    change: str | None = Field(description="`naik`, `turun` or `tetap`")
    had_plan: bool = Field(description="The previous period had a follow-up plan for it")


class SurveyComparedPeriodOut(Schema):
    id: int
    label: str
    end: dt.date


class SurveyComparisonOut(Schema):
    period: SurveyComparedPeriodOut = Field(description="The previous period")
    previous_ikm: float | None
    ikm: float | None
    change: str | None = Field(description="`naik`, `turun` or `tetap`")
    unsur: list[SurveyComparedElementOut]


class SurveyTrendPointOut(Schema):
    id: int
    label: str
    start: dt.date
    end: dt.date
    respondents: int
    ikm: float | None
    mutu: str | None
    kinerja: str | None


class SurveyBreakdownsOut(Schema):
    by_service: list[SurveyServiceIkmOut]
    by_profile: dict[str, list[SurveyProfileGroupOut]] = Field(
        description="By `gender`, `age`, `education` and `occupation`"
    )
    min_group: int = Field(description="The fewest respondents a group needs for its IKM")
    comparison: SurveyComparisonOut | None = Field(
        description="Against the previous period (None: there is none)"
    )
    trend: list[SurveyTrendPointOut]


@router.get(
    "/periods/{id}/breakdowns",
    response=SurveyBreakdownsOut,
    auth=optional_auth,
    summary="IKM by service, by profile; trend",
)
def breakdowns(request, id: int):
    """``comparison`` and ``trend`` hold published periods only, unless the caller is staff who may read
    the unit's surveys: then closed periods not yet published count too. A group of ``by_service`` or
    ``by_profile`` with fewer than ``min_group`` respondents (``AMANAH_SKM_MIN_GROUP``), and any other
    whose result would give it away, has ``suppressed`` true and no IKM; a ``merged`` row joins them when
    they hold ``min_group`` respondents together."""
    period = _readable(request, id)
    user = _user(request)
    public = user is None or not selectors.can_read(user, period)
    comparison = selectors.comparison(period, published_only=public)
    parts = selectors.breakdowns(period)  # a published period's are frozen: no answer is read
    return {
        # In the reader's language, as ``/results``: element names, ``kinerja``, profile labels and the
        # name of the answers that named no service (a service's own name is as the agency wrote it).
        "by_service": [
            {
                **_in_language(s),
                "name": s["name"] if s["service"] and not s["merged"] else _(s["name"]),
            }
            for s in parts["by_service"]
        ],
        "by_profile": {
            field: [{**i, "label": _(i["label"])} for i in items]
            for field, items in parts["by_profile"].items()
        },
        "min_group": selectors.min_group(),
        "comparison": _in_language(comparison) if comparison else None,
        "trend": [
            _in_language(p)
            for p in selectors.trend(period.unit, period.service, published_only=public)
        ],
    }


class SurveyUnitTrendOut(Schema):
    unit: str
    name: str
    service: str | None
    periods: list[SurveyTrendPointOut]


@router.get(
    "/units/{code}/trend",
    response=SurveyUnitTrendOut,
    auth=None,
    summary="Published IKM of a unit across periods",
)
def unit_trend(request, code: str, service: str = ""):
    """The unit-wide periods, or with ``service`` (a service code of the unit) that service's periods."""
    unit = get_object_or_404(Unit, code=code)
    svc = get_object_or_404(Service, unit=unit, code=service) if service else None
    return {
        "unit": unit.code,
        "name": unit.name,
        "service": svc.code if svc else None,
        "periods": [_in_language(p) for p in selectors.trend(unit, svc)],
    }


def _transition(request, id, fn, **kw):
    period = _period(id)
    if not selectors.can_read(request.auth, period):
        raise ApiError(404, "not_found", _("Periode survei tidak ditemukan."))
    try:
        period = fn(request.auth, period, **kw)
    except services.SurveyError as exc:
        _raise(exc)
    return _period_out(period)


@router.post("/periods/{id}/close", response=PeriodOut, auth=staff_auth, summary="Close a period")
def close(request, id: int):
    return _transition(request, id, services.close_period)


class ReopenIn(Schema):
    end: dt.date | None = Field(
        None,
        description="A new end date, today or later (by the agency's date); required when the "
        "period's end has passed (else 422 `end_passed`); may not overlap another period of the "
        "same unit and service (409 `period_overlap`)",
    )


@router.post(
    "/periods/{id}/reopen", response=PeriodOut, auth=staff_auth, summary="Reopen a closed period"
)
def reopen(request, id: int, payload: ReopenIn | None = None):
    return _transition(request, id, services.reopen_period, end=payload.end if payload else None)


class ResultsPublishIn(Schema):
    analysis: str | None = Field(
        None, description="At most 10000 characters (a longer one is refused)"
    )


@router.post(
    "/periods/{id}/publish", response=PeriodOut, auth=staff_auth, summary="Publish the results"
)
def publish(request, id: int, payload: ResultsPublishIn | None = None):
    return _transition(
        request, id, services.publish_period, analysis=payload.analysis if payload else None
    )


class SurveyPaperImportOut(Schema):
    imported: int = Field(description="How many questionnaires were recorded")


@router.post(
    "/periods/{id}/paper",
    response=SurveyPaperImportOut,
    auth=staff_auth,
    summary="Upload paper questionnaires (XLSX or CSV)",
)
def paper(request, id: int, file: File[UploadedFile]):
    period = _period(id)
    if not selectors.can_read(request.auth, period):
        raise ApiError(404, "not_found", _("Periode survei tidak ditemukan."))
    try:
        n = services.import_paper(request.auth, period, file, filename=file.name)
    except services.SurveyError as exc:  # a refused file: amanah/api.py's 422 ``import_rejected``
        _raise(exc)
    return {"imported": n}


class FollowUpPlanIn(Schema):
    element: str
    action: str = Field(description="At most 4000 characters (a longer one is refused)")
    owner: str = Field(description="At most 200 characters (a longer one is refused)")
    due: dt.date


class PlanOut(Schema):
    id: int
    period: int
    element: str
    action: str
    owner: str
    due: dt.date
    status: str
    progress: int
    progress_note: str


def _plan_out(plan: FollowUpPlan) -> dict:
    return {
        "id": plan.pk,
        "period": plan.period_id,
        "element": plan.element,
        "action": plan.action,
        "owner": plan.owner,
        "due": plan.due,
        "status": plan.status,
        "progress": plan.progress,
        "progress_note": plan.progress_note,
    }


@router.post(
    "/periods/{id}/plans", response={201: PlanOut}, auth=staff_auth, summary="Add a follow-up plan"
)
def add_plan(request, id: int, payload: FollowUpPlanIn):
    period = _period(id)
    if not selectors.can_read(request.auth, period):
        raise ApiError(404, "not_found", _("Periode survei tidak ditemukan."))
    try:
        plan = services.add_plan(
            request.auth,
            period,
            element=payload.element,
            action=payload.action,
            owner=payload.owner,
            due=payload.due,
        )
    except services.SurveyError as exc:
        _raise(exc)
    return Status(201, _plan_out(plan))


@router.get(
    "/periods/{id}/plans", response=list[PlanOut], auth=optional_auth, summary="Follow-up plans"
)
def list_plans(request, id: int):
    period = _readable(request, id)
    return [_plan_out(p) for p in period.plans.all()]


class ProgressIn(Schema):
    progress: int
    note: str = Field("", description="At most 4000 characters (a longer one is refused)")
    status: str | None = None


@router.post(
    "/plans/{id}/progress", response=PlanOut, auth=staff_auth, summary="Report follow-up progress"
)
def plan_progress(request, id: int, payload: ProgressIn):
    plan = get_object_or_404(FollowUpPlan.objects.select_related("period__unit"), pk=id)
    if not selectors.can_read(request.auth, plan.period):
        raise ApiError(404, "not_found", _("Rencana tidak ditemukan."))
    try:
        plan = services.report_progress(
            request.auth, plan, progress=payload.progress, note=payload.note, status=payload.status
        )
    except services.SurveyError as exc:
        _raise(exc)
    return _plan_out(plan)


class SuggestionOut(Schema):
    submitted_on: dt.date = Field(description="The day of the answer (the agency's date)")
    channel: str = Field(description="`web`, `api` or `kertas` (paper)")
    service: str | None = Field(description="The service's code, when the respondent named one")
    service_name: str | None = Field(description="The service's name")
    suggestion: str = Field(description="The respondent's own words (saran dan masukan)")


@router.get(
    "/periods/{id}/suggestions",
    response=Page[SuggestionOut],
    auth=staff_auth,
    summary="Respondents' suggestions (the unit's survey staff)",
)
def list_suggestions(request, id: int, limit: int = 50, offset: int = 0):
    """The suggestions (saran dan masukan) respondents wrote in ``period``, newest first (by the answer's
    day), a page at a time, as the period's staff page shows them: for the unit's survey staff only (roles
    ``unit``, ``pengelola``, ``operator`` over the period's unit). A role that only reads results
    (leadership, auditor, inspectorate) is refused (403 ``forbidden``); anyone who may not read the period
    gets 404. Free text that may name the respondent or an officer: each page read is audited
    (``surveys.suggestions_read``). A suggestion is not tied to its answer (no id, no scores)."""
    period = _period(id)
    if not selectors.can_read(request.auth, period):
        raise ApiError(404, "not_found", _("Periode survei tidak ditemukan."))
    if not selectors.can_read_suggestions(request.auth, period):
        raise ApiError(
            403, "forbidden", _("Saran responden hanya dapat dibaca petugas survei unit ini.")
        )
    out = paging.page(
        selectors.suggestions(period),
        limit,
        offset,
        lambda rows: [
            {
                "submitted_on": r.submitted_on,
                "channel": r.channel,
                "service": r.service.code if r.service else None,
                "service_name": r.service.name if r.service else None,
                "suggestion": r.suggestion,
            }
            for r in rows
        ],
    )
    services.record_suggestions_read(
        request.auth, period, offset=paging.window(limit, offset)[1], items=len(out["items"])
    )
    return out


#: The refusals each operation declares beyond those of its token and its input
#: (``core.api_utils.declare_refusals``): a period, unit or plan that does not exist or is not visible is
#: 404; a staff operation may be refused by role (403), and a step the period's state does not allow is
#: 409.
declare_refusals(
    router,
    {
        "questionnaire": (404, 409),
        "answer": (404, 409, 422, 429),
        "period_results": (404,),
        "breakdowns": (404,),
        "unit_trend": (404,),
        "list_plans": (404,),
        "paper": {
            422: "A field is not valid, or the file is rejected as a whole (`import_rejected`): every "
            'problem in `fields`, keyed `"row.column"`, and listed in `rows`.',
        },
    },
    staff=(403, 404),
    writes=(409, 422),
)
