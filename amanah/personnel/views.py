"""Kepegawaian pages: self-service for a logged-in ASN, pages for supervisors and mentors, and HR
pages. Thin: writes go through ``services``, reads through ``selectors``."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from amanah.core import permissions, tabular
from amanah.core.calendar import Calendar
from amanah.core.models import Agency, Employee, Unit
from amanah.core.paging import CappedPaginator

from . import forms, rules, selectors, services
from .models import Award, Competency, DisciplineCase, Mentoring, Skp, SkpPeriod, SkpStatus

PER_PAGE = 50  # rows of a list page (cases, awards, mentoring pairs, employees, JP shortfalls)


def _page(request, qs):
    """The page (``?hal=``) of ``qs`` shown; the count behind the pager stops at ``LIST_COUNT_CAP``."""
    return CappedPaginator(qs, PER_PAGE).get_page(request.GET.get("hal"))


def _year(request) -> int:
    raw = request.GET.get("tahun", "")
    year = int(raw) if raw.isdecimal() else timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class Access(NamedTuple):
    """Who opens a staff page about an agency: a holder of one of ``roles`` there, agency-wide when
    ``whole`` (a page about the agency as a whole), else held anywhere in it (the page then shows the
    units the role covers). The pages take their agency through it (:func:`_agency`, :func:`_scope`)
    and offer a link to another page only where it opens (:func:`links`), from the same table."""

    roles: list[str]
    whole: bool


OVERVIEW = Access(services.READERS, whole=False)  # staf/, pegawai/, jp/, indeks/, penghargaan/
CATALOGUE = Access(services.READERS, whole=True)  # program/, kompetensi/
CASES = Access(services.DISCIPLINE_READERS, whole=False)  # disiplin/
HR_WHOLE = Access(services.HR, whole=True)  # impor/, mutasi/, pegawai/baru/
EXPORTS = Access(services.HR, whole=False)  # ekspor/<kind>/

#: The staff pages about an agency (by URL name) and who opens them.
PAGES = {
    "dashboard": OVERVIEW,
    "employees": OVERVIEW,
    "behind": OVERVIEW,
    "index": OVERVIEW,
    "awards": OVERVIEW,
    "programs": CATALOGUE,
    "competency": CATALOGUE,
    "cases": CASES,
    "imports": HR_WHOLE,
    "transfers": HR_WHOLE,
    "employee-new": HR_WHOLE,
    "export": EXPORTS,
}


def _agency_ids(user, access: Access) -> set[int] | None:
    """The agencies where ``access`` opens for ``user`` (None: every agency)."""
    if access.whole:
        return permissions.coverage(user, access.roles)[0]
    return permissions.agency_ids(user, access.roles)


def may_open(user, access: Access, agency) -> bool:
    """Whether a page of ``access`` opens for ``user`` on ``agency``."""
    ids = _agency_ids(user, access)
    return ids is None or (agency.pk if isinstance(agency, Agency) else agency) in ids


def links(user, agency) -> dict[str, bool]:
    """Which staff pages about ``agency`` open for ``user`` (by URL name), for the links a page
    offers; with the pages everyone logged in opens (``mentoring``) and the ASN's own (``me``)."""
    out = {name: may_open(user, access, agency) for name, access in PAGES.items()}
    out["mentoring"] = True
    out["me"] = getattr(user, "employee", None) is not None
    return out


def _pick_agency(request, ids) -> Agency:
    qs = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
    code = request.GET.get("instansi") or request.POST.get("instansi")
    agency = qs.filter(code=code).first() if code else qs.order_by("name").first()
    if agency is None:
        raise PermissionDenied(_("Halaman ini untuk kepegawaian, pimpinan dan auditor instansi."))
    return agency


def _agency(request, access: Access) -> Agency:
    """The agency of a page about the agency as a whole (``instansi``, else the first by name): only
    for the roles of ``access`` held agency-wide; a role held in a unit is refused (403)."""
    return _pick_agency(request, _agency_ids(request.user, access))


def _scope(request, access: Access) -> tuple[Agency, set[int] | None]:
    """The agency of a list of ASN or their records, and the units it is limited to: ``None`` (the
    whole agency) for the roles of ``access`` held agency-wide, else the units a role held in a unit
    covers."""
    agency = _pick_agency(request, _agency_ids(request.user, access))
    return agency, permissions.agency_scope(request.user, access.roles, agency)


def _unit_names(units) -> list[str]:
    """The names of the units a scoped page is limited to, without the ones below them (none: the
    whole agency)."""
    if units is None:
        return []
    tops = Unit.objects.filter(pk__in=units).exclude(parent_id__in=units)
    return list(tops.order_by("name").values_list("name", flat=True))


def _is_reader(user) -> bool:
    return bool(
        permissions.agency_ids(user, services.READERS) is None
        or permissions.agency_ids(user, services.READERS)
    )


def may_open_staff_area(user) -> bool:
    """Whether ``/kepegawaian/`` opens for ``user``: a reader of ASN records goes on to the dashboard, an
    account linked to an employee to its own page. The staff home asks the same before it lists it."""
    return _is_reader(user) or getattr(user, "employee", None) is not None


@login_required
def home(request):
    if not may_open_staff_area(request.user):
        raise PermissionDenied(_("Akun Anda tidak terhubung dengan data pegawai."))
    if _is_reader(request.user):
        return redirect("personnel:dashboard")
    return redirect("personnel:me")


def _profile_context(user, emp, year):
    """Everything about one ASN that ``user`` may see."""
    ctx = {
        "emp": emp,
        "year": year,
        "dev": selectors.development(emp, year),
        "competency": selectors.competency_profile(emp),
        "awards": selectors.awards_of(emp),
        "mentoring": Mentoring.objects.filter(mentee=emp)
        .select_related("mentor")
        .prefetch_related("sessions"),
        "can_performance": services.can_view(user, emp, "performance"),
        "can_discipline": services.can_view(user, emp, "discipline"),
    }
    if ctx["can_performance"]:
        ctx["skps"] = list(Skp.objects.filter(employee=emp).select_related("period", "rater"))
        if services.is_self(user, emp):
            for skp in ctx["skps"]:  # each objection form with its own ids
                skp.objection_form = forms.ObjectionForm(skp=skp)
        ctx["index"] = selectors.index_for(emp, year)
        ctx["index_weights"] = services.rule_tables(emp.unit.agency)["index_weights"]
    if ctx["can_discipline"]:
        ctx["cases"] = selectors.cases_of(user, emp)
        ctx["absence"] = selectors.absence_summary(emp, year)
    return ctx


def _self_enrol_form(emp, data=None):
    """The ASN's own enrolment form: the active programmes open to their agency (national ones and
    the agency's own); prefixed so its ids never clash with HR's enrolment form."""
    return forms.EnrolForm(data, programs=selectors.programs_for(emp.unit.agency), prefix="ikut")


def _me_page(request, emp, enrol_form=None, status=200):
    ctx = _profile_context(request.user, emp, _year(request))
    ctx["enrol_form"] = enrol_form or _self_enrol_form(emp)
    ctx["error_form"] = enrol_form if status != 200 else None
    ctx["mentoring_given"] = Mentoring.objects.filter(mentor=emp).select_related("mentee")
    ctx["subordinates"] = selectors.subordinates(request.user)
    ctx["to_rate"] = Skp.objects.filter(
        employee__in=ctx["subordinates"], status=SkpStatus.DRAFT
    ).select_related("employee", "period")
    return render(request, "personnel/me.html", ctx, status=status)


@login_required
def me(request):
    """Self-service: the logged-in ASN's JP, trainings, mentoring, SKP, index, awards and cases."""
    emp = getattr(request.user, "employee", None)
    if emp is None:
        raise Http404
    return _me_page(request, emp)


@login_required
@require_POST
def self_enrol(request):
    """The ASN enrols themself in an open programme of the catalogue (the service checks it)."""
    emp = getattr(request.user, "employee", None)
    if emp is None:
        raise Http404
    form = _self_enrol_form(emp, request.POST)
    if form.is_valid():
        program = form.cleaned_data["program"]
        try:
            services.enrol(request.user, emp, program)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(
                request, _("Anda terdaftar di %(program)s.") % {"program": program.title}
            )
            return redirect("personnel:me")
    return _me_page(request, emp, enrol_form=form, status=400)


@login_required
@require_POST
def object_skp(request, pk):
    skp = get_object_or_404(Skp.objects.select_related("employee__unit__agency", "period"), pk=pk)
    if not services.is_self(request.user, skp.employee):
        raise Http404
    form = forms.ObjectionForm(request.POST, skp=skp)
    if form.is_valid():
        try:
            services.object_skp(request.user, skp, text=form.cleaned_data["text"])
        except ValidationError as exc:
            forms.apply_errors(form, exc, rename={"objection": "text"})
        else:
            messages.success(request, _("Keberatan Anda sudah dicatat."))
            return redirect("personnel:me")
    ctx = _profile_context(request.user, skp.employee, _year(request))
    for other in ctx.get("skps", []):
        if other.pk == skp.pk:
            other.objection_form = form
    ctx.update(
        subordinates=[],
        to_rate=[],
        mentoring_given=[],
        enrol_form=_self_enrol_form(skp.employee),
        error_form=form,
    )
    return render(request, "personnel/me.html", ctx, status=400)


@login_required
def dashboard(request):
    agency, units = _scope(request, PAGES["dashboard"])
    year = _year(request)
    is_hr = permissions.has_role(request.user, services.HR, agency=agency)
    period_form = forms.PeriodForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not is_hr:
            raise PermissionDenied
        if period_form.is_valid():
            try:
                services.create_skp_period(request.user, agency=agency, **period_form.cleaned_data)
            except ValidationError as exc:
                forms.apply_errors(period_form, exc)
            else:
                messages.success(request, _("Periode SKP dibuat."))
                return redirect(f"{request.path}?instansi={agency.code}")
        status = 400
    cases = selectors.cases_for(request.user).filter(agency=agency)
    ctx = {
        "agency": agency,
        "year": year,
        "scope_units": _unit_names(units),
        "behind_count": selectors.behind_employees(agency, year, units=units).count(),
        "employees": selectors.within(
            Employee.objects.filter(unit__agency=agency, is_active=True), units
        ).count(),
        "is_hr": permissions.has_role(request.user, services.HR, agency=agency),
        "distribution": selectors.skp_distribution(agency, units=units),
        "open_cases": cases.exclude(status="ditutup").count()
        if permissions.agency_scope(request.user, services.DISCIPLINE_READERS, agency) != set()
        else None,
        "predicates": {k: _(v) for k, v in rules.PREDICATES.items()},
        "jp_minimum": services.rule_tables(agency)["jp_minimum"],
        "min_group": rules.MIN_GROUP,
        "period_form": period_form,
        "periods": SkpPeriod.objects.filter(agency=agency),
    }
    return render(request, "personnel/dashboard.html", ctx, status=status)


@login_required
def employee_list(request):
    agency, units = _scope(request, PAGES["employees"])
    q = request.GET.get("q", "")[:100]
    qs = selectors.employees_for(request.user).filter(unit__agency=agency)
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(nip__startswith=q.replace(" ", ""))
    return render(
        request,
        "personnel/employees.html",
        {
            "agency": agency,
            "scope_units": _unit_names(units),
            "page": _page(request, qs.order_by("name", "pk")),
            "q": q,
            "is_hr": permissions.has_role(request.user, services.HR, agency=agency),
        },
    )


@login_required
def employee_new(request):
    agency = _agency(request, PAGES["employee-new"])
    units = Unit.objects.filter(agency=agency, is_active=True)
    form = forms.EmployeeForm(request.POST or None, units=units)
    transfer_url = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            emp = services.create_employee(
                request.user,
                nip=d["nip"],
                name=d["name"],
                unit=d["unit"],
                position=d["position"],
                email=d["email"],
                education=d["education"],
            )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
            nip_errors = getattr(exc, "error_dict", {}).get("nip", [])
            if any(e.code == "registered_elsewhere" for e in nip_errors):
                # Registered at another agency: the way forward is a transfer request.
                query = urlencode({"instansi": agency.code, "nip": form.data.get("nip", "")})
                transfer_url = f"{reverse('personnel:transfers')}?{query}"
        else:
            messages.success(request, _("Pegawai %(name)s ditambahkan.") % {"name": emp.name})
            return redirect("personnel:employee", nip=emp.nip)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "personnel/employee_new.html",
        {"form": form, "agency": agency, "transfer_url": transfer_url},
        status=status,
    )


def _employee(request, nip, what="development"):
    try:
        return selectors.employee_for(request.user, nip, what)
    except Http404:
        raise Http404 from None


def _employee_page(request, emp, bound=None, status=200):
    """The employee page with its forms; ``bound`` holds the form that failed (by name), so what
    the person typed is shown again with the errors next to the fields."""
    bound = bound or {}
    agency = emp.unit.agency
    today = timezone.localdate()
    ctx = _profile_context(request.user, emp, _year(request))
    ctx["is_hr"] = permissions.has_role(request.user, services.HR, agency=agency)
    if ctx["is_hr"]:
        programs = selectors.programs_for(agency)
        ctx["training_form"] = bound.get("training") or forms.TrainingForm(
            programs=programs, initial={"completed_on": today}
        )
        ctx["absence_form"] = bound.get("absence") or forms.AbsenceForm()
        ctx["enrol_form"] = bound.get("enrol") or forms.EnrolForm(programs=programs)
        ctx["assessment_form"] = bound.get("assessment") or forms.AssessmentForm(
            competencies=selectors.competencies_for(agency), initial={"assessed_on": today}
        )
        failed = bound.get("complete")
        ctx["completion_forms"] = [
            failed
            if failed is not None and failed.training.pk == t.pk
            else forms.CompleteForm(training=t, initial={"completed_on": today})
            for t in selectors.enrolments_of(emp)
        ]
    # The form sent and refused: its errors are summed up at the top of the page.
    ctx["error_form"] = next(iter(bound.values())) if status != 200 and bound else None
    own = services.is_self(request.user, emp)
    if not own and (ctx["is_hr"] or services.is_superior(request.user, emp) or "skp" in bound):
        ctx["skp_form"] = bound.get("skp") or forms.SkpForm(
            periods=SkpPeriod.objects.filter(agency=agency)
        )
    return render(request, "personnel/employee.html", ctx, status=status)


@login_required
def employee_detail(request, nip):
    return _employee_page(request, _employee(request, nip))


@login_required
@require_POST
def employee_action(request, nip, action):
    """The forms of the employee page: create an SKP (HR or a superior), record unexcused absences,
    enrol in a programme or record a competency assessment (HR). The services check permission."""
    emp = _employee(request, nip)
    agency = emp.unit.agency
    user = request.user
    if action == "skp":
        name = "skp"
        form = forms.SkpForm(request.POST, periods=SkpPeriod.objects.filter(agency=agency))
    elif action == "ketidakhadiran":
        name, form = "absence", forms.AbsenceForm(request.POST)
    elif action == "pendaftaran":
        name = "enrol"
        form = forms.EnrolForm(request.POST, programs=selectors.programs_for(agency))
    elif action == "asesmen":
        name = "assessment"
        form = forms.AssessmentForm(request.POST, competencies=selectors.competencies_for(agency))
    else:
        raise Http404
    if form.is_valid():
        d = form.cleaned_data
        try:
            if name == "skp":
                skp = services.create_skp(user, emp, d["period"], indicators=form.indicators())
                messages.success(request, _("SKP dibuat."))
                return redirect("personnel:skp", pk=skp.pk)
            if name == "absence":
                n = services.record_absences(user, emp, d["dates"])
                messages.success(
                    request,
                    ngettext(
                        "%(n)d hari ketidakhadiran dicatat.",
                        "%(n)d hari ketidakhadiran dicatat.",
                        n,
                    )
                    % {"n": n},
                )
            elif name == "enrol":
                services.enrol(user, emp, d["program"])
                messages.success(
                    request,
                    _("%(name)s didaftarkan ke %(program)s.")
                    % {"name": emp.name, "program": d["program"].title},
                )
            else:
                a = services.record_assessment(
                    user,
                    emp,
                    competency=d["competency"],
                    level=d["level"],
                    assessed_on=d["assessed_on"],
                    method=d["method"],
                )
                messages.success(
                    request,
                    _("Hasil asesmen %(competency)s dicatat: level %(level)d.")
                    % {"competency": a.competency.name, "level": a.level},
                )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            return redirect("personnel:employee", nip=emp.nip)
    return _employee_page(request, emp, {name: form}, status=400)


@login_required
@require_POST
def record_training(request, nip):
    emp = _employee(request, nip)
    agency = emp.unit.agency
    form = forms.TrainingForm(request.POST, request.FILES, programs=selectors.programs_for(agency))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_training(
                request.user,
                emp,
                program=d["program"],
                title=d["title"],
                jp=d["jp"],
                completed_on=d["completed_on"],
                category=d["category"],
                method=d["method"],
                certificate=d["certificate"],
                certificate_number=d["certificate_number"],
            )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Pelatihan dicatat."))
            return redirect("personnel:employee", nip=emp.nip)
    return _employee_page(request, emp, {"training": form}, status=400)


@login_required
@require_POST
def complete_enrolment(request, nip, pk):
    """HR marks a running enrolment completed (its JP then count for the year of completion)."""
    emp = _employee(request, nip)
    training = get_object_or_404(selectors.enrolments_of(emp), pk=pk)
    form = forms.CompleteForm(request.POST, request.FILES, training=training)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.complete_training(
                request.user,
                training,
                completed_on=d["completed_on"],
                certificate=d["certificate"],
                certificate_number=d["certificate_number"],
            )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("%(title)s ditandai selesai.") % {"title": training.title})
            return redirect("personnel:employee", nip=emp.nip)
    return _employee_page(request, emp, {"complete": form}, status=400)


@login_required
def certificate(request, nip, pk):
    from amanah.core import files

    emp = _employee(request, nip)
    training = get_object_or_404(
        emp.trainings.select_related("certificate"), pk=pk, certificate__isnull=False
    )
    response = HttpResponse(
        files.read(training.certificate), content_type=training.certificate.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{training.certificate.filename}"'
    return response


@login_required
def behind(request):
    agency, units = _scope(request, PAGES["behind"])
    year = _year(request)
    is_hr = permissions.has_role(request.user, services.HR, agency=agency)
    if request.method == "POST":
        if not is_hr:
            raise PermissionDenied
        sent = services.send_jp_reminders(request.user, agency, year)
        messages.success(
            request,
            ngettext("%(n)d pengingat dikirim.", "%(n)d pengingat dikirim.", sent) % {"n": sent},
        )
        return redirect(f"{request.path}?instansi={agency.code}&tahun={year}")
    minimum = services.rule_tables(agency)["jp_minimum"]
    page = _page(request, selectors.behind_employees(agency, year, units=units))
    return render(
        request,
        "personnel/behind.html",
        {
            "agency": agency,
            "scope_units": _unit_names(units),
            "year": year,
            "page": page,
            "rows": selectors.behind_rows(page, minimum),
            "is_hr": is_hr,
            "minimum": minimum,
        },
    )


def _skp_for(request, pk) -> Skp:
    skp = get_object_or_404(
        Skp.objects.select_related("employee__unit__agency", "period", "rater"), pk=pk
    )
    if not services.can_view(request.user, skp.employee, "performance"):
        raise Http404
    return skp


@login_required
def skp_detail(request, pk):
    skp = _skp_for(request, pk)
    # The ASN is never offered the rating or the answer to their objection (even holding HR).
    own = services.is_self(request.user, skp.employee)
    hr = permissions.has_role(request.user, services.HR, agency=skp.employee.unit.agency_id)
    may_rate = not own and (services.is_superior(request.user, skp.employee) or hr)
    may_resolve = not own and (
        hr or (skp.rater is not None and services.is_superior(request.user, skp.rater))
    )
    rating_form = forms.RatingForm(
        initial={"hasil_kerja": skp.hasil_kerja, "perilaku": skp.perilaku}
    )
    response_form = forms.ObjectionResponseForm()
    status, conflict, sent, typed_results = 200, None, None, {}
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "rate" and may_rate:
        sent = rating_form = forms.RatingForm(request.POST)
        typed_results = {k[7:]: v for k, v in request.POST.items() if k.startswith("result-")}
        if rating_form.is_valid():
            d = rating_form.cleaned_data
            try:
                rated = services.rate_skp(
                    request.user,
                    skp,
                    hasil_kerja=d["hasil_kerja"],
                    perilaku=d["perilaku"],
                    results={k: v for k, v in typed_results.items() if v.strip()},
                    notes=d["notes"],
                )
            except services.StateConflict as exc:
                conflict = exc
            except ValidationError as exc:
                forms.apply_errors(rating_form, exc)
            else:
                messages.success(
                    request,
                    _("Penilaian disimpan: predikat %(p)s.")
                    % {"p": _(rules.PREDICATES[rated.predicate])},
                )
                return redirect("personnel:skp", pk=skp.pk)
        else:
            conflict = services.rating_conflict(skp)
        status = 400
    elif action == "resolve" and may_resolve:
        sent = response_form = forms.ObjectionResponseForm(request.POST)
        if response_form.is_valid():
            d = response_form.cleaned_data
            try:
                services.resolve_objection(
                    request.user,
                    skp,
                    response=d["response"],
                    hasil_kerja=d["hasil_kerja"] or None,
                    perilaku=d["perilaku"] or None,
                )
            except services.StateConflict as exc:
                conflict = exc
            except ValidationError as exc:
                forms.apply_errors(response_form, exc)
            else:
                return redirect("personnel:skp", pk=skp.pk)
        else:
            conflict = services.objection_response_conflict(skp)
        status = 400
    elif request.method == "POST":
        raise PermissionDenied
    indicators = list(skp.indicators.all())
    kept = []
    if conflict is not None:
        # The SKP moved on since the page was read (an objection, a finalisation, an answer): the
        # form is gone; say why at the top and hand back what was typed.
        status = 409
        kept = forms.typed_back(sent)
        for i in indicators:
            value = typed_results.get(str(i.pk), "").strip()
            if value:
                kept.append({"label": _("Realisasi"), "detail": i.description, "value": value})
        skp = _skp_for(request, pk)
        indicators = list(skp.indicators.all())
    elif sent is rating_form and rating_form.is_bound:
        for i in indicators:  # the results typed stay in their boxes
            i.result = typed_results.get(str(i.pk), i.result)
    can_rate = may_rate and skp.status in (SkpStatus.DRAFT, SkpStatus.RATED)
    can_resolve = may_resolve and skp.status == SkpStatus.OBJECTED
    return render(
        request,
        "personnel/skp.html",
        {
            "skp": skp,
            "indicators": indicators,
            "can_rate": can_rate,
            "can_resolve": can_resolve,
            "rating_form": rating_form,
            "response_form": response_form,
            "error_form": sent if status == 400 else None,
            "conflict": conflict.message_text if conflict is not None else "",
            "kept": kept,
            "berakhlak": {k: _(v) for k, v in rules.BERAKHLAK.items()},
            "predicate_label": _(rules.PREDICATES[skp.predicate]) if skp.predicate else "",
        },
        status=status,
    )


@login_required
def case_list(request):
    agency, units = _scope(request, PAGES["cases"])
    # The appeal comes with each case: an undecided keberatan past its ruling deadline is marked.
    cases = selectors.cases_for(request.user).filter(agency=agency).select_related("appeal")
    can_open = permissions.has_role(request.user, services.DISCIPLINE_HANDLERS, agency=agency)
    form = forms.CaseForm(request.POST or None)
    if request.method == "POST":
        if not can_open:
            raise PermissionDenied
        if form.is_valid():
            emp = Employee.objects.filter(
                nip="".join(form.cleaned_data["nip"].split()), unit__agency=agency
            ).first()
            if emp is None:
                form.add_error("nip", _("NIP tidak terdaftar di instansi ini."))
            else:
                try:
                    case = services.open_discipline_case(
                        request.user, employee=emp, allegation=form.cleaned_data["allegation"]
                    )
                except ValidationError as exc:
                    forms.apply_errors(form, exc)
                else:
                    return redirect("personnel:case", number=case.number)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "personnel/cases.html",
        {
            "agency": agency,
            "scope_units": _unit_names(units),
            "page": _page(request, cases),
            "form": form,
            "can_open": can_open,
            "today": Calendar(agency).local_date(),
        },
        status=status,
    )


CASE_ACTIONS = {
    "summons": forms.SummonsForm,
    "examination": forms.ExaminationForm,
    "decision": forms.DecisionForm,
    "delivery": forms.DeliveryForm,
    "deemed_delivery": forms.DeemedDeliveryForm,
    "appeal": forms.AppealForm,
    "appeal_decision": forms.AppealDecisionForm,
}


def _do_case_action(request, case, action, form):
    d = form.cleaned_data
    user = request.user
    if action == "summons":
        services.summon(user, case, sent_on=d["sent_on"], examination_on=d["examination_on"])
    elif action == "examination":
        # The team's NIPs are checked before anything is written; the attendance at the latest
        # summons and the BAP are then saved together, or not at all.
        nips = [n.strip().replace(" ", "") for n in d["team"].split(",") if n.strip()]
        # Only the case's agency is searched: another agency's NIP is as unknown as a made-up one.
        team = list(
            Employee.objects.filter(nip__in=nips, unit__agency_id=case.agency_id).select_related(
                "unit"
            )
        )
        if len(team) != len(set(nips)):
            raise ValidationError({"team": [_("Ada NIP tim yang tidak terdaftar.")]})
        services.record_examination(
            user,
            case,
            held_on=d["held_on"],
            bap_number=d["bap_number"],
            summary=d["summary"],
            team=team,
            attended=d["attended"] == "1",
        )
    elif action == "decision":
        official = _official(case, d["official"])
        services.decide_case(
            user,
            case,
            proven=d["proven"] == "1",
            official=official,
            decision_number=d["decision_number"],
            decided_on=d["decided_on"],
            level=d["level"],
            sanction=d["sanction"],
            sanction_start=d["sanction_start"],
            delivered_on=d["delivered_on"],
        )
    elif action == "delivery":
        services.record_delivery(user, case, delivered_on=d["delivered_on"])
    elif action == "deemed_delivery":
        services.record_deemed_delivery(
            user, case, sent_on=d["sent_on"], deemed_on=d["deemed_on"], reason=d["reason"]
        )
    elif action == "appeal":
        services.file_appeal(user, case, filed_on=d["filed_on"], grounds=d["grounds"])
    elif action == "appeal_decision":
        services.decide_appeal(
            user,
            case,
            outcome=d["outcome"],
            decided_on=d["decided_on"],
            level=d["level"],
            sanction=d["sanction"],
            official=_official(case, d["official"]) if d["official"].strip() else None,
        )


def _official(case, nip: str) -> Employee:
    """The official named by ``nip`` in a decision form on ``case``; a NIP not in the directory, or only
    in another agency (:func:`selectors.official_named`), is refused on it with the same message."""
    official = selectors.official_named(case, nip)
    if official is None:
        raise ValidationError({"official": [_("NIP pejabat tidak terdaftar.")]})
    return official


def _case_for(request, number) -> DisciplineCase:
    case = get_object_or_404(
        DisciplineCase.objects.select_related("employee__unit__agency", "decided_by"), number=number
    )
    if not services.can_view_case(request.user, case):
        raise Http404
    return case


@login_required
def case_detail(request, number):
    case = _case_for(request, number)
    agency = case.agency
    is_self = services.is_self(request.user, case.employee)
    # The ASN concerned is offered no step of their own case, whatever role they hold.
    handler = not is_self and permissions.has_role(
        request.user, services.DISCIPLINE_HANDLERS, agency=agency
    )
    recorder = not is_self and permissions.has_role(
        request.user, services.DECISION_RECORDERS, agency=agency
    )
    bound = {}
    status, conflict, kept = 200, None, []
    action = request.POST.get("action") if request.method == "POST" else None
    notice = services.rule_tables(agency)["summons_notice_working_days"]
    if action in CASE_ACTIONS:
        kwargs = {"notice": notice} if action == "summons" else {}
        form = CASE_ACTIONS[action](request.POST, **kwargs)
        bound[action] = form
        if form.is_valid():
            try:
                _do_case_action(request, case, action, form)
            except services.StateConflict as exc:
                conflict = exc
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(request, _("Tersimpan."))
                return redirect("personnel:case", number=case.number)
        else:
            conflict = services.case_step_conflict(case, action)
        status = 400
        if conflict is not None:
            # The case moved on since the page was read (decided, appealed, the appeal decided): the
            # form is gone; say why at the top and hand back what was typed.
            status, kept = 409, forms.typed_back(form)
            del bound[action]
            case = _case_for(request, number)
    elif request.method == "POST":
        raise PermissionDenied
    today = timezone.localdate()
    appeal = getattr(case, "appeal", None) if hasattr(case, "appeal") else None
    ctx = {
        "case": case,
        "deadlines": selectors.case_deadlines(case, today),
        "absence": selectors.absence_summary(case.employee, today.year),
        "sanction_label": _(rules.SANCTIONS[case.sanction].label) if case.sanction else "",
        "forms": {
            "summons": bound.get("summons")
            or forms.SummonsForm(initial={"sent_on": today}, notice=notice),
            "examination": bound.get("examination")
            or forms.ExaminationForm(initial={"held_on": today}),
            "decision": bound.get("decision") or forms.DecisionForm(initial={"decided_on": today}),
            "delivery": bound.get("delivery")
            or forms.DeliveryForm(initial={"delivered_on": case.delivered_on}),
            "deemed_delivery": bound.get("deemed_delivery")
            or forms.DeemedDeliveryForm(
                initial={
                    "sent_on": case.delivery_sent_on,
                    "deemed_on": case.delivered_on if case.delivery_sent_on else None,
                    "reason": case.delivery_reason,
                }
            ),
            "appeal": bound.get("appeal") or forms.AppealForm(initial={"filed_on": today}),
            "appeal_decision": bound.get("appeal_decision")
            or forms.AppealDecisionForm(initial={"decided_on": today}),
        },
        "error_form": bound.get(action) if status == 400 else None,
        "conflict": conflict.message_text if conflict is not None else "",
        "kept": kept,
        "appeal": appeal,
        # A sanction open to an appeal (not a reprimand): its deadline, or that it waits for delivery.
        "appealable": bool(case.sanction) and rules.appeal_kind(case.sanction) is not None,
        "ruling_overdue": appeal is not None
        and appeal.ruling_overdue(Calendar(agency).local_date()),
        "delivery_late": case.delivery_late(Calendar(agency).local_date()),
        "handler": handler,
        "recorder": recorder,
        "is_self": is_self,
        "hr": permissions.has_role(request.user, services.HR, agency=agency),
    }
    return render(request, "personnel/case.html", ctx, status=status)


@login_required
def mentoring(request):
    pairs = selectors.mentoring_list(request.user)
    agencies, _units = permissions.coverage(request.user, services.HR)
    is_hr = agencies is None or bool(agencies)  # starting a pair is for HR of the whole agency
    starting = request.method == "POST" and request.POST.get("action") == "start"
    form = forms.MentoringForm(request.POST if starting else None) if is_hr else None
    status, failed = 200, None
    if starting:
        if not is_hr:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            # Looked up only where the user is HR: another agency's NIP is as unknown as a made-up one.
            hr_agencies = permissions.agency_ids(request.user, services.HR)
            mentor = selectors.employees_named(d["mentor"], hr_agencies).first()
            mentee = selectors.employees_named(d["mentee"], hr_agencies).first()
            if mentor is None:
                form.add_error("mentor", _("NIP tidak terdaftar."))
            if mentee is None:
                form.add_error("mentee", _("NIP tidak terdaftar."))
            if mentor and mentee:
                try:
                    services.start_mentoring(
                        request.user,
                        mentor=mentor,
                        mentee=mentee,
                        goals=d["goals"],
                        start=d["start"],
                        kind=d["kind"],
                    )
                except (ValidationError, PermissionDenied) as exc:
                    if isinstance(exc, PermissionDenied):
                        form.add_error("mentee", str(exc))
                    else:
                        forms.apply_errors(form, exc)
                else:
                    return redirect("personnel:mentoring")
        status = 400
    elif request.method == "POST" and request.POST.get("action") == "session":
        pair = get_object_or_404(
            pairs,
            pk=request.POST.get("pair", "0") if request.POST.get("pair", "").isdecimal() else 0,
        )
        sform = _session_form(pair, request.POST)
        if sform.is_valid():
            try:
                services.add_session(request.user, pair, **sform.cleaned_data)
            except ValidationError as exc:
                forms.apply_errors(sform, exc)
            else:
                messages.success(request, _("Sesi dicatat."))
                return redirect("personnel:mentoring")
        # Refused: the page again (400), the pair's form holding what was typed, each error at its field.
        status, failed = 400, sform
    page = _page(request, pairs)
    shown = list(page)
    if failed and failed.pair_id not in {m.pk for m in shown}:
        shown.insert(0, pair)  # a refused session shows with its pair, whichever page that is on
    for m in shown:
        m.session_form = failed if failed and failed.pair_id == m.pk else _session_form(m)
    return render(
        request,
        "personnel/mentoring.html",
        {
            "page": page,
            "pairs": shown,
            "form": form,
            "fields_in_error": _session_errors(failed) if failed else [],
            "me": getattr(request.user, "employee", None),
        },
        status=status,
    )


def _session_form(pair, data=None):
    """The form recording a session of ``pair``; every pair on the page has one, so its ids carry the
    pair's (``s<id>-topic``)."""
    sform = forms.SessionForm(
        data, auto_id=f"s{pair.pk}-%s", initial={"held_on": timezone.localdate()}
    )
    sform.pair_id = pair.pk
    return sform


def _session_errors(sform) -> list[dict]:
    """The refused session form's errors for the page's error summary, each linked to its field; an
    error of no field (the pair has ended) links to the form's date."""
    out = []
    for name, errors in sform.errors.items():
        bound = sform[name] if name in sform.fields else sform["held_on"]
        label = bound.label if name in sform.fields else _("Sesi")
        out += [{"anchor": bound.auto_id, "label": label, "message": e} for e in errors]
    return out


@login_required
def index_units(request):
    agency, units = _scope(request, PAGES["index"])
    year = _year(request)
    emps = list(
        selectors.within(Employee.objects.filter(unit__agency=agency, is_active=True), units)
    )
    overall, by_unit = selectors.index_overview(agency, year, emps, units=units)
    tables = services.rule_tables(agency)
    return render(
        request,
        "personnel/index_units.html",
        {
            "agency": agency,
            "year": year,
            "scope_units": _unit_names(units),
            "overall": overall,
            "units": by_unit,
            "categories": selectors.category_labels(tables["index_categories"]),
            "weights": tables["index_weights"],
            "min_group": rules.MIN_GROUP,
        },
    )


@login_required
def awards(request):
    agency, units = _scope(request, PAGES["awards"])
    can_propose = permissions.has_role(request.user, services.AWARD_PROPOSERS, agency=agency)
    can_approve = permissions.has_role(request.user, services.AWARD_APPROVERS, agency=agency)
    form = forms.AwardForm(request.POST or None, initial={"year": timezone.localdate().year})
    status = 200
    if request.method == "POST" and request.POST.get("action") == "propose":
        if not can_propose:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            emp = Employee.objects.filter(
                nip="".join(d["nip"].split()), unit__agency=agency
            ).first()
            if emp is None:
                form.add_error("nip", _("NIP tidak terdaftar di instansi ini."))
            else:
                try:
                    services.propose_award(
                        request.user,
                        emp,
                        kind=d["kind"],
                        title=d["title"],
                        reason=d["reason"],
                        year=d["year"],
                    )
                except ValidationError as exc:
                    forms.apply_errors(form, exc)
                else:
                    return redirect(f"{request.path}?instansi={agency.code}")
        status = 400
    elif request.method == "POST" and request.POST.get("action") in ("approve", "reject"):
        award = get_object_or_404(
            Award,
            pk=int(request.POST["award"]) if request.POST.get("award", "").isdecimal() else 0,
            employee__unit__agency=agency,
        )
        if not can_approve:
            raise PermissionDenied
        try:
            services.decide_award(request.user, award, approve=request.POST["action"] == "approve")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:  # the proposer cannot approve their own proposal
            messages.error(request, str(exc))
        return redirect(f"{request.path}?instansi={agency.code}")
    page = _page(
        request,
        selectors.within(
            Award.objects.filter(employee__unit__agency=agency), units, "employee__unit"
        ).select_related("employee", "withdrawn_for__from_agency"),
    )
    if can_approve:
        # No buttons on a leader's own award or own proposal (the service refuses them): one line why.
        page.object_list = list(page.object_list)
        for a in page.object_list:
            refusal = (
                services.own_award_refusal(request.user, a) if a.status == "diusulkan" else None
            )
            a.own_refusal = {
                "own_award": _("Usulan untuk diri Anda sendiri: diputus pimpinan lain."),
                "own_proposal": _("Usulan Anda sendiri: diputus pimpinan lain."),
            }.get(getattr(refusal, "code", None), "")
    return render(
        request,
        "personnel/awards.html",
        {
            "agency": agency,
            "scope_units": _unit_names(units),
            "form": form,
            "can_propose": can_propose,
            "can_approve": can_approve,
            "page": page,
            "candidates": selectors.award_candidates(agency, timezone.localdate().year)
            if can_propose
            else [],
        },
        status=status,
    )


@login_required
def imports(request):
    agency = _agency(request, PAGES["imports"])
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors, refused, result, status = [], "", None, 200
    if request.method == "POST" and form.is_valid():
        importer = {
            "asn": services.import_asn,
            "diklat": services.import_trainings,
            "skp": services.import_skp,
        }[form.cleaned_data["kind"]]
        upload = form.cleaned_data["file"]
        try:
            result = importer(request.user, agency, upload, filename=upload.name)
        except tabular.ImportRejected as exc:  # said in the error summary, leading to the rows
            errors, refused, status = exc.errors, str(exc), 400
        else:
            messages.success(
                request,
                _("Impor berhasil: %(r)s")
                % {"r": ", ".join(f"{k} {v}" for k, v in result.items())},
            )
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "personnel/imports.html",
        {
            "agency": agency,
            "form": form,
            "errors": errors,
            "refused": refused,
            "exports": selectors.EXPORTS,
            "year": _year(request),
        },
        status=status,
    )


@login_required
def export(request, kind):
    agency, units = _scope(request, PAGES["export"])
    if kind not in selectors.EXPORTS:
        raise Http404
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        fmt = "csv"
    year = _year(request)
    header, rows = selectors.export_rows(kind, agency, year, units=units)
    data, ctype = selectors.render_export(header, rows, fmt)
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{kind}-{agency.code}-{year}.{fmt}"'
    return response


@login_required
def programs(request):
    from django.db.models import Q

    agency = _agency(request, PAGES["programs"])
    is_hr = permissions.has_role(request.user, services.HR, agency=agency)
    comps = Competency.objects.filter(Q(agency=agency) | Q(agency__isnull=True))
    form = forms.ProgramForm(request.POST or None, competencies=comps)
    status = 200
    if request.method == "POST":
        if not is_hr:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.create_program(
                    request.user,
                    agency=agency,
                    code=d["code"],
                    title=d["title"],
                    category=d["category"],
                    method=d["method"],
                    competency_type=d["competency_type"],
                    jp=d["jp"],
                    provider=d["provider"],
                    competencies=d["competencies"],
                )
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(request, _("Program ditambahkan."))
                return redirect(f"{request.path}?instansi={agency.code}")
        status = 400
    return render(
        request,
        "personnel/programs.html",
        {
            "agency": agency,
            "programs": selectors.programs_for(agency).prefetch_related("competencies"),
            "form": form if is_hr else None,
        },
        status=status,
    )


def _competency_page(request, agency, bound=None, status=200):
    """The competency standards page; ``bound`` holds the form that failed (by name), so what was
    typed is shown again with the errors next to the fields."""
    bound = bound or {}
    is_hr = permissions.has_role(request.user, services.HR, agency=agency)
    ctx = {
        "agency": agency,
        "requirements": selectors.requirements_for(agency),
        "national": [c for c in selectors.competencies_for(agency) if c.agency_id is None],
        "own": selectors.own_competencies(agency),
        "is_hr": is_hr,
        "positions": [],
        "form": None,
        # The form sent and refused: its errors are summed up at the top of the page.
        "error_form": next(iter(bound.values())) if status != 200 and bound else None,
    }
    if is_hr:
        ctx["positions"] = selectors.positions_of(agency)
        ctx["form"] = bound.get("requirement") or forms.RequirementForm(
            competencies=selectors.competencies_for(agency)
        )
        ctx["competency_form"] = bound.get("competency") or forms.CompetencyForm()
        failed = bound.get("rename")
        ctx["rename_forms"] = [
            failed
            if failed is not None and failed.competency.pk == c.pk
            else forms.CompetencyRenameForm(competency=c)
            for c in ctx["own"]
        ]
    return render(request, "personnel/competency.html", ctx, status=status)


def _back_to_competency(agency):
    return redirect(f"{reverse('personnel:competency')}?instansi={agency.code}")


@login_required
def competency_standards(request):
    """The required competency levels per position and the competency dictionary: readers see them,
    HR sets a position's level here (the other HR forms of the page post to their own address)."""
    agency = _agency(request, PAGES["competency"])
    if request.method != "POST":
        return _competency_page(request, agency)
    if not permissions.has_role(request.user, services.HR, agency=agency):
        raise PermissionDenied
    form = forms.RequirementForm(request.POST, competencies=selectors.competencies_for(agency))
    if form.is_valid():
        d = form.cleaned_data
        try:
            req = services.set_requirement(
                request.user,
                agency=agency,
                position=d["position"],
                competency=d["competency"],
                level=d["level"],
            )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Standar %(position)s: %(competency)s level %(level)d.")
                % {
                    "position": req.position,
                    "competency": req.competency.name,
                    "level": req.level,
                },
            )
            return _back_to_competency(agency)
    return _competency_page(request, agency, {"requirement": form}, status=400)


def _hr_agency(request) -> Agency:
    agency = _agency(request, PAGES["competency"])
    if not permissions.has_role(request.user, services.HR, agency=agency):
        raise PermissionDenied
    return agency


@login_required
@require_POST
def competency_create(request):
    """HR adds a technical competency of its own agency."""
    agency = _hr_agency(request)
    form = forms.CompetencyForm(request.POST)
    if form.is_valid():
        try:
            comp = services.create_competency(
                request.user,
                agency=agency,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(
                request, _("Kompetensi teknis %(name)s ditambahkan.") % {"name": comp.name}
            )
            return _back_to_competency(agency)
    return _competency_page(request, agency, {"competency": form}, status=400)


@login_required
@require_POST
def competency_rename(request, pk):
    """HR renames one of its agency's own technical competencies."""
    agency = _hr_agency(request)
    comp = get_object_or_404(selectors.own_competencies(agency), pk=pk)
    form = forms.CompetencyRenameForm(request.POST, competency=comp)
    if form.is_valid():
        try:
            services.rename_competency(request.user, comp, name=form.cleaned_data["name"])
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Nama kompetensi diganti: %(name)s.") % {"name": comp.name})
            return _back_to_competency(agency)
    return _competency_page(request, agency, {"rename": form}, status=400)


@login_required
@require_POST
def requirement_remove(request, pk):
    """HR removes a position's required level of one competency."""
    agency = _hr_agency(request)
    req = selectors.requirement_of(agency, pk)
    if req is None:
        raise Http404
    services.remove_requirement(request.user, req)
    messages.success(
        request,
        _("Standar %(position)s untuk %(competency)s dihapus.")
        % {"position": req.position, "competency": req.competency.name},
    )
    return _back_to_competency(agency)


# --- Transfer between agencies (mutasi) -------------------------------------------------------------


@login_required
def transfers(request):
    """HR's transfers: the requests into the agency (with the form for a new one) and out of it."""
    agency = _agency(request, PAGES["transfers"])
    units = Unit.objects.filter(agency=agency, is_active=True).order_by("name")
    form = forms.TransferForm(
        request.POST or None, units=units, initial={"nip": request.GET.get("nip", "")[:40]}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                transfer = services.request_transfer(
                    request.user,
                    nip=d["nip"],
                    to_unit=d["unit"],
                    position=d["position"],
                    sk_number=d["sk_number"],
                    sk_date=d["sk_date"],
                )
            except ValidationError as exc:
                forms.apply_errors(form, exc)
                if isinstance(exc, services.StateConflict):
                    status = 409
            else:
                messages.success(
                    request,
                    _("Permintaan mutasi dikirim ke instansi asal %(agency)s.")
                    % {"agency": transfer.from_agency.name},
                )
                return redirect("personnel:transfer", pk=transfer.pk)
    qs = selectors.transfers_of(agency)
    return render(
        request,
        "personnel/transfers.html",
        {
            "agency": agency,
            "form": form,
            "incoming": _named_page(request, qs.filter(to_agency=agency), "masuk"),
            "outgoing": _named_page(request, qs.filter(from_agency=agency), "keluar"),
        },
        status=status,
    )


def _named_page(request, qs, param: str):
    """The page (``?<param>=``) of ``qs`` shown, for a page with two lists each paged on its own; its
    ``prev_query`` and ``next_query`` set ``param`` to the page before and after
    (``personnel/_pager_named.html``, which keeps the other parameters of the address)."""
    page = CappedPaginator(qs, PER_PAGE).get_page(request.GET.get(param))
    page.prev_query = {param: page.previous_page_number()} if page.has_previous() else None
    page.next_query = {param: page.next_page_number()} if page.has_next() else None
    return page


@login_required
def transfer_detail(request, pk):
    transfer = get_object_or_404(selectors.transfers(), pk=pk)
    if not services.may_see_transfer(request.user, transfer):
        raise Http404
    origin_hr = permissions.has_role(request.user, services.HR, agency=transfer.from_agency_id)
    own = ""
    if services.is_self(request.user, transfer.employee):
        own = _("Mutasi Anda sendiri: diputus petugas kepegawaian lain.")
    elif transfer.requested_by_id == request.user.pk:
        own = _("Permintaan Anda sendiri: diputus kepegawaian instansi asal.")
    form = forms.TransferDecisionForm(request.POST or None)
    status, conflict, kept = 200, "", []
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("approve", "refuse") or not origin_hr:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                services.decide_transfer(
                    request.user,
                    transfer,
                    approve=action == "approve",
                    reason=form.cleaned_data["reason"],
                )
            except services.StateConflict as exc:
                conflict, kept, status = exc.message_text, forms.typed_back(form), 409
                transfer = selectors.transfers().get(pk=pk)
            except services.OwnRecord as exc:
                raise PermissionDenied(str(exc)) from None
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Mutasi disetujui: pegawai pindah ke %(agency)s.")
                    % {"agency": transfer.to_agency.name}
                    if action == "approve"
                    else _("Permintaan mutasi ditolak."),
                )
                return redirect("personnel:transfer", pk=transfer.pk)
    waiting = transfer.status == "diajukan"
    return render(
        request,
        "personnel/transfer.html",
        {
            "agency": transfer.from_agency if origin_hr else transfer.to_agency,
            "transfer": transfer,
            "can_decide": waiting and origin_hr and not own,
            "own": own if waiting and origin_hr else "",
            "blocker": services.transfer_blockers(transfer) if waiting and origin_hr else None,
            "form": form,
            "conflict": conflict,
            "kept": kept,
        },
        status=status,
    )
