"""SKM pages: the public questionnaire and results, the counter poster, and the staff workspace."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import Form
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_POST

from amanah.core import permissions, ratelimit, tabular
from amanah.core.models import Service, Unit
from amanah.core.paging import CappedPaginator
from amanah.core.records import translated

from . import reports, rules, selectors, services
from .forms import (
    AnalysisForm,
    PaperForm,
    PeriodForm,
    PlanForm,
    ProgressForm,
    QuestionnaireForm,
    ReopenForm,
)
from .models import Channel, FollowUpPlan, PeriodStatus, SurveyPeriod

DEVICE_COOKIE = "skm_perangkat"

#: The performance categories of the IKM table (surveys.rules.CATEGORIES), which pages show in
#: their reader's language.
KINERJA_LABELS = (
    gettext_noop("Sangat Baik"),
    gettext_noop("Baik"),
    gettext_noop("Kurang Baik"),
    gettext_noop("Tidak Baik"),
)


# --- public -------------------------------------------------------------------------------------------------
#: The longest search the SKM index takes (longer text is cut), and the most open surveys it lists.
INDEX_SEARCH_MAX = 100
OPEN_LIST_MAX = 200
#: Published periods on a page of the public lists (the SKM index and a unit's page).
PUBLIC_PER_PAGE = 50


def _matching(qs, words):
    """Periods whose agency, unit or service matches every word (a part of a name, or a whole code)."""
    for word in words:
        qs = qs.filter(
            Q(unit__name__icontains=word)
            | Q(unit__code__iexact=word)
            | Q(agency__name__icontains=word)
            | Q(agency__code__iexact=word)
            | Q(service__name__icontains=word)
        )
    return qs


def index(request):
    """Open surveys and published results, the latter a page at a time (the latest first), both narrowed
    by ``?cari=`` (agency, unit or service)."""
    search = " ".join(str(request.GET.get("cari") or "").split())[:INDEX_SEARCH_MAX]
    words = search.split()
    open_periods = list(
        _matching(selectors.taking_answers(), words)
        .select_related("unit", "agency", "service")
        .order_by("agency__name", "unit__name", "id")[: OPEN_LIST_MAX + 1]
    )
    published = _matching(selectors.public_periods(), words).order_by("-end", "-id")
    return render(
        request,
        "surveys/index.html",
        {
            "search": search,
            "open_periods": open_periods[:OPEN_LIST_MAX],
            "open_more": len(open_periods) > OPEN_LIST_MAX,
            "page": CappedPaginator(published, PUBLIC_PER_PAGE).get_page(request.GET.get("hal")),
        },
    )


def _services(period):
    if period.service_id:
        return [period.service]
    return list(
        Service.objects.filter(unit_id__in=period.unit.descendant_ids(), is_active=True).order_by(
            "name"
        )
    )


def _device(request) -> str:
    token = request.COOKIES.get(DEVICE_COOKIE, "")
    if 16 <= len(token) <= 64 and token.isalnum():
        return "cookie:" + token
    raw = f"{ratelimit.client_ip(request)}|{request.headers.get('User-Agent', '')[:300]}"
    return "conn:" + hashlib.sha256(raw.encode()).hexdigest()


def _with_device_cookie(request, response):
    if DEVICE_COOKIE not in request.COOKIES:
        # A random, meaningless identifier: lets the service refuse a second answer from this browser on the
        # same day. It is never stored; only a daily keyed hash of it is.
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_hex(16),
            max_age=2 * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def questionnaire(request, code):
    period = get_object_or_404(
        SurveyPeriod.objects.select_related("unit", "agency", "service"), short_code=code
    )
    svc = _services(period)
    status = 200
    try:
        services.check_takes_answers(period)  # by the agency's date
    except services.SurveyError as exc:
        return render(
            request,
            "surveys/closed.html",
            {"period": period, "not_started": exc.code == "period_not_started"},
            status=410,
        )
    form = QuestionnaireForm(request.POST or None, services=svc, fixed_service=period.service)
    error = None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.check_rate(ratelimit.client_ip(request))
                services.record_response(
                    period,
                    answers=form.answers(),
                    profile=form.profile(),
                    suggestion=form.cleaned_data.get("suggestion", ""),
                    channel=Channel.WEB,
                    device=_device(request),
                    honeypot=form.cleaned_data.get("website", ""),
                )
            except services.SurveyError as exc:
                if exc.code == "already_answered":
                    # A second tap, or the same browser again today: nothing in the answers is wrong,
                    # so no form to fix, only what happened.
                    response = render(
                        request,
                        "surveys/thanks.html",
                        {"period": period, "already": exc.message},
                        status=exc.status,
                    )
                    return _with_device_cookie(request, response)
                if exc.code.startswith("period_"):  # closed (or ended at midnight) while answering
                    return render(
                        request,
                        "surveys/closed.html",
                        {"period": period, "not_started": exc.code == "period_not_started"},
                        status=410,
                    )
                error, status = exc.message, exc.status
            except rules.AnswerError as exc:
                for field, message in exc.fields.items():
                    name = field.removeprefix("profile.").lower()
                    form.add_error(name if name in form.fields else None, translated(message))
                status = 400
            else:
                return redirect("surveys:thanks", code=period.short_code)
        else:
            status = 400
    response = render(
        request,
        "surveys/questionnaire.html",
        {"period": period, "form": form, "error": error},
        status=status,
    )
    return _with_device_cookie(request, response)


def thanks(request, code):
    period = get_object_or_404(SurveyPeriod.objects.select_related("unit"), short_code=code)
    return render(request, "surveys/thanks.html", {"period": period})


def unit_entry(request, unit_code):
    """The stable poster link of a unit: on to the unit-wide questionnaire; when only surveys of some of
    its services are open, a page asking which service the person received (answers to a service's survey
    all count for that service, so none is picked for them); else a page saying there is none."""
    unit = get_object_or_404(Unit, code=unit_code)
    periods = selectors.open_periods(unit)
    if periods and periods[0].service_id is None:
        return redirect("surveys:short", code=periods[0].short_code)
    if periods:
        return render(request, "surveys/choose_service.html", {"unit": unit, "periods": periods})
    latest = selectors.public_periods().filter(unit=unit).order_by("-end").first()
    return render(request, "surveys/no_survey.html", {"unit": unit, "latest": latest}, status=404)


def unit_results(request, unit_code):
    """A unit's public SKM page: its open surveys (the questionnaires first) and every published period,
    the latest first, a page at a time, each leading to its results. A unit no longer active keeps its
    page: published results stay public."""
    unit = get_object_or_404(Unit.objects.select_related("agency"), code=unit_code)
    published = selectors.public_periods().filter(unit=unit).order_by("-end", "-id")
    return render(
        request,
        "surveys/unit_results.html",
        {
            "unit": unit,
            "open_periods": selectors.open_periods(unit),
            "page": CappedPaginator(published, PUBLIC_PER_PAGE).get_page(request.GET.get("hal")),
        },
    )


def _viewable(request, pk) -> SurveyPeriod:
    period = get_object_or_404(
        SurveyPeriod.objects.select_related("unit", "agency", "service"), pk=pk
    )
    if period.status == PeriodStatus.PUBLISHED:
        return period
    if request.user.is_authenticated and selectors.can_read(request.user, period):
        return period
    raise Http404


def _internal(request, period) -> bool:
    """Whether the public results page and report of ``period`` may hold closed, unpublished periods
    (comparison and trend). A published period's page and report are public output, whoever looks:
    published periods only. An unpublished period is only shown to staff who may read the unit's
    surveys, and with its unpublished neighbours."""
    return period.status != PeriodStatus.PUBLISHED and selectors.can_read(request.user, period)


def results_page(request, pk):
    period = _viewable(request, pk)
    ctx = reports.report_context(period, staff=_internal(request, period))
    return render(request, "surveys/results.html", ctx)


def report_pdf(request, pk):
    period = _viewable(request, pk)
    response = HttpResponse(
        reports.report_pdf(period, staff=_internal(request, period)), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="laporan-skm-{period.unit.code}-{period.end:%Y%m%d}.pdf"'
    )
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def answers_xlsx(request, pk):
    """The public answers file: the count of each score per element, the summary and the breakdowns
    (``reports.write_public_answers``), the same for everyone who reaches it, staff too; their full list
    of answers is ``staff_answers_xlsx``."""
    period = _viewable(request, pk)
    return FileResponse(
        reports.public_answers_file(period),
        as_attachment=True,
        filename=f"jawaban-skm-{period.unit.code}-{period.end:%Y%m%d}.xlsx",
        content_type=XLSX,
    )


def poster_svg(request, unit_code):
    unit = get_object_or_404(Unit, code=unit_code)
    return HttpResponse(reports.poster_svg(unit), content_type="image/svg+xml")


def poster_pdf(request, unit_code):
    unit = get_object_or_404(Unit, code=unit_code)
    response = HttpResponse(reports.poster_pdf(unit), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-skm-{unit.code}.pdf"'
    return response


# --- staff --------------------------------------------------------------------------------------------------
def _manage_units(user):
    scopes = permissions.scopes(user, rules.MANAGE_ROLES)
    if (None, None) in scopes:
        return Unit.objects.filter(is_active=True)
    ids: set[int] = set()
    for agency_id, unit_id in scopes:
        if unit_id is None:
            ids.update(Unit.objects.filter(agency_id=agency_id).values_list("pk", flat=True))
        else:
            ids.update(Unit.objects.get(pk=unit_id).descendant_ids())
    return Unit.objects.filter(pk__in=ids, is_active=True)


STAFF_LIST_PER_PAGE = 50


def may_open_staff_area(user) -> bool:
    """Whether the staff list of SKM periods opens for ``user``: a role that reads periods (those that
    manage or enter them are among them). The staff home asks the same before it lists SKM."""
    return bool(permissions.scopes(user, rules.READ_ROLES))


@login_required
def staff_list(request):
    if not may_open_staff_area(request.user):
        raise PermissionDenied
    periods = selectors.staff_periods(request.user).select_related("unit", "agency", "service")
    units = _manage_units(request.user).select_related("agency").order_by("agency__name", "name")
    form = PeriodForm(
        request.POST or None,
        units=units,
        service_qs=Service.objects.filter(unit__in=units).order_by("name"),
    )
    status = 200
    if request.method == "POST":
        if not units.exists():
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                period = services.create_period(
                    request.user,
                    unit=d["unit"],
                    service=d["service"],
                    start=d["start"],
                    end=d["end"],
                    population=d["population"],
                    title=d["title"],
                )
            except services.SurveyError as exc:
                _refused(form, exc)
                status = 400
            else:
                messages.success(request, _("Periode survei dibuat dan dibuka."))
                return redirect("surveys:staff-period", pk=period.pk)
        else:
            status = 400
    return render(
        request,
        "surveys/staff_list.html",
        {
            "page": CappedPaginator(periods, STAFF_LIST_PER_PAGE).get_page(request.GET.get("hal")),
            "form": form,
            "can_create": units.exists(),
        },
        status=status,
    )


def _staff_period(request, pk) -> SurveyPeriod:
    period = get_object_or_404(
        SurveyPeriod.objects.select_related("unit", "agency", "service"), pk=pk
    )
    if not selectors.can_read(request.user, period):
        raise Http404
    return period


def _refused(form, exc) -> None:
    """Put a refused action's message on its form, with each field's own reason on the field, so
    that the error summary at the top of the page says it and leads to the fields."""
    for field, message in exc.fields.items():
        form.add_error(field if field in form.fields else None, message)
    if not exc.fields:
        form.add_error(None, exc.message)


#: Suggestions on a page of the staff period page.
SUGGESTIONS_PER_PAGE = 20


def _detail(request, period, *, status=200, error="", progress_plan=None, **forms_):
    """The period page; a refused form (``plan_form``, ``analysis_form``, ``paper_form``, or
    ``progress_form`` in the row of the plan ``progress_plan``) is shown again with its errors,
    summed up at the top with ``error``, a refusal the form does not hold."""
    ctx = reports.report_context(period, staff=True)  # the caller checked selectors.can_read
    failed = [f for f in forms_.values() if isinstance(f, Form)]
    ctx.update(
        {
            "error_form": failed[0] if status != 200 and failed else None,
            "error": error,
        }
    )
    ctx.update(
        {
            "can_manage": selectors.can_manage(request.user, period),
            "can_enter": selectors.can_enter(request.user, period),
            "paper_form": forms_.get("paper_form") or PaperForm(),
            "plan_form": forms_.get("plan_form")
            or PlanForm(initial={"element": (ctx["lowest"] or [{}])[0].get("code")}),
            "analysis_form": forms_.get("analysis_form")
            or AnalysisForm(initial={"analysis": period.analysis}),
            "progress_form": forms_.get("progress_form"),
            "reopen_form": forms_.get("reopen_form")
            or ReopenForm(period=period, today=selectors.local_today(period.agency)),
            "progress_plan": progress_plan,
            "import_errors": forms_.get("import_errors"),
            "survey_link": reports.unit_link(period.unit),
        }
    )
    if selectors.can_read_suggestions(request.user, period):
        # free text, newest first, a page at a time (?saran=), for the unit's survey staff only
        ctx["suggestions"] = CappedPaginator(
            selectors.suggestions(period), SUGGESTIONS_PER_PAGE
        ).get_page(request.GET.get("saran"))
    return render(request, "surveys/staff_period.html", ctx, status=status)


@login_required
def staff_period(request, pk):
    return _detail(request, _staff_period(request, pk))


@login_required
def staff_answers_xlsx(request, pk):
    """Every answer with its date, channel, service and profile (``reports.write_staff_answers``), for
    the staff who may read the unit's surveys (else 404, as the period page), with the suggestions for
    the unit's survey staff (``selectors.can_read_suggestions``); the download is audited."""
    period = _staff_period(request, pk)
    suggestions = selectors.can_read_suggestions(request.user, period)
    response = FileResponse(
        reports.staff_answers_file(period, suggestions=suggestions),
        as_attachment=True,
        filename=f"jawaban-lengkap-skm-{period.unit.code}-{period.end:%Y%m%d}.xlsx",
        content_type=XLSX,
    )
    services.record_answers_export(request.user, period, suggestions=suggestions)
    return response


@login_required
@require_POST
def staff_status(request, pk):
    period = _staff_period(request, pk)
    action = request.POST.get("action")
    fn = {
        "close": services.close_period,
        "reopen": services.reopen_period,
        "publish": services.publish_period,
    }.get(action)
    if fn is None:
        messages.error(request, _("Tindakan tidak dikenal."))
        return redirect("surveys:staff-period", pk=pk)
    if action == "reopen":
        return _reopen(request, period)
    try:
        fn(request.user, period)
    except services.SurveyError as exc:
        messages.error(request, exc.message)
    else:
        done = {
            "close": _("Periode ditutup."),
            "reopen": _("Periode dibuka kembali."),
            "publish": _("Hasil survei dipublikasikan."),
        }
        messages.success(request, done[action])
    return redirect("surveys:staff-period", pk=pk)


def _reopen(request, period):
    """Open a closed period again, with the end date of the form (a new one when the old has passed);
    a refused date is shown at the field, as it was typed."""
    form = ReopenForm(request.POST, period=period, today=selectors.local_today(period.agency))
    if not form.is_valid():
        return _detail(request, period, status=400, reopen_form=form)
    try:
        services.reopen_period(request.user, period, end=form.cleaned_data["end"])
    except services.SurveyError as exc:
        if not exc.fields:  # refused for the period's state, as a close or a publication is
            messages.error(request, exc.message)
            return redirect("surveys:staff-period", pk=period.pk)
        _refused(form, exc)
        return _detail(request, period, status=exc.status, reopen_form=form)
    messages.success(request, _("Periode dibuka kembali."))
    return redirect("surveys:staff-period", pk=period.pk)


@login_required
@require_POST
def staff_analysis(request, pk):
    period = _staff_period(request, pk)
    form = AnalysisForm(request.POST)
    if form.is_valid():
        try:
            services.set_analysis(request.user, period, form.cleaned_data["analysis"])
        except services.SurveyError as exc:
            _refused(form, exc)
            return _detail(request, period, status=exc.status, analysis_form=form)
        messages.success(request, _("Analisis disimpan."))
        return redirect("surveys:staff-period", pk=pk)
    return _detail(request, period, status=400, analysis_form=form)


@login_required
@require_POST
def staff_paper(request, pk):
    period = _staff_period(request, pk)
    form = PaperForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, period, status=400, paper_form=form)
    upload = form.cleaned_data["file"]
    try:
        n = services.import_paper(request.user, period, upload, filename=upload.name)
    except tabular.ImportRejected as exc:
        return _detail(
            request,
            period,
            status=400,
            error=str(exc),
            paper_form=form,
            import_errors=exc.errors,
        )
    except services.SurveyError as exc:
        _refused(form, exc)
        return _detail(request, period, status=exc.status, paper_form=form)
    messages.success(
        request,
        ngettext("%(n)d kuesioner kertas disimpan.", "%(n)d kuesioner kertas disimpan.", n)
        % {"n": n},
    )
    return redirect("surveys:staff-period", pk=pk)


@login_required
@require_POST
def staff_plan(request, pk):
    period = _staff_period(request, pk)
    form = PlanForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_plan(
                request.user,
                period,
                element=d["element"],
                action=d["action"],
                owner=d["owner"],
                due=d["due"],
            )
        except services.SurveyError as exc:
            _refused(form, exc)
            return _detail(request, period, status=exc.status, plan_form=form)
        messages.success(request, _("Rencana tindak lanjut disimpan."))
        return redirect("surveys:staff-period", pk=pk)
    return _detail(request, period, status=400, plan_form=form)


@login_required
@require_POST
def staff_progress(request, pk, plan_id):
    period = _staff_period(request, pk)
    plan = get_object_or_404(FollowUpPlan, pk=plan_id, period=period)
    # The ids of the plan's own row on the period page, so that the error summary leads to them.
    form = ProgressForm(request.POST, auto_id=f"%s-{plan.pk}")
    if not form.is_valid():
        return _detail(request, period, status=400, progress_form=form, progress_plan=plan.pk)
    d = form.cleaned_data
    try:
        services.report_progress(
            request.user,
            plan,
            progress=d["progress"],
            note=d["note"],
            status=d["status"] or None,
        )
    except services.SurveyError as exc:
        _refused(form, exc)
        return _detail(
            request, period, status=exc.status, progress_form=form, progress_plan=plan.pk
        )
    messages.success(request, _("Kemajuan dicatat."))
    return redirect("surveys:staff-period", pk=pk)
