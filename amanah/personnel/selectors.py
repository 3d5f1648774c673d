"""Reads shared by pages, the API, tasks and the dashboard. Individual records are filtered by the
privacy rule of ``services.can_view``; aggregates suppress small groups."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from amanah.core import permissions
from amanah.core.calendar import Calendar
from amanah.core.models import Employee
from amanah.core.rules import protect_columns, suppress_group

from . import rules
from .models import (
    Absence,
    Assessment,
    Award,
    CaseStatus,
    Competency,
    DisciplineCase,
    Mentoring,
    PositionRequirement,
    Profile,
    Program,
    Skp,
    SkpPeriod,
    Training,
    TrainingStatus,
    Transfer,
    TransferStatus,
)


def _services():
    from . import services

    return services


def _covered(user, roles, field: str = "unit") -> Q:
    """The condition on ``<field>`` (a unit) for what ``user`` covers with one of ``roles``: every unit
    of the agencies where a role is held agency-wide, and the units (with the ones below) where it is
    held in a unit. ``Q()`` (everything) for the platform admin."""
    agencies, units = permissions.coverage(user, roles)
    if agencies is None:
        return Q()
    return Q(**{f"{field}__agency_id__in": agencies}) | Q(**{f"{field}_id__in": units})


def within(qs, units, field: str = "unit"):
    """``qs`` limited to the units of a scope (``permissions.agency_scope``: None is the whole agency)."""
    if units is None:
        return qs
    return qs.filter(**{f"{field}_id__in" if field else "pk__in": units})


def employees_for(user, roles=None):
    """Active employees that ``user`` covers with one of ``roles`` (default: readers): all of an
    agency where the role is held agency-wide, those of the unit and the units below where it is held
    in a unit."""
    roles = roles or _services().READERS
    qs = Employee.objects.filter(is_active=True).select_related("unit", "unit__agency")
    return qs.filter(_covered(user, roles))


def employee_for(user, nip: str, what: str = "development") -> Employee:
    """The employee with ``nip`` if ``user`` may see that part of their record; 404 otherwise (an
    outsider learns nothing about whether the NIP exists)."""
    nip = "".join((nip or "").split())
    emp = Employee.objects.select_related("unit", "unit__agency").filter(nip=nip).first()
    if emp is None or not _services().can_view(user, emp, what):
        raise Http404
    return emp


def employees_named(nip: str, agencies: set[int] | None):
    """Employees whose NIP is ``nip`` (spaces ignored) in ``agencies`` (ids; None: every agency).

    A NIP a caller names is looked up only where they act: one that exists only in another agency is
    then answered exactly as one that does not exist, so that no agency learns which NIPs another has."""
    qs = Employee.objects.filter(nip="".join((nip or "").split())).select_related("unit__agency")
    return qs if agencies is None else qs.filter(unit__agency_id__in=agencies)


def official_named(case, nip: str) -> Employee | None:
    """The official named by ``nip`` for a decision on ``case``: an employee of the case's agency, or of
    another one only when they stand in authority over the ASN there (one holding the leadership role in
    the case's agency whose own record is elsewhere). Anyone else is None, as a NIP that does not exist."""
    official = employees_named(nip, None).first()
    if official is None:
        return None
    if official.unit.agency_id == case.agency_id or _services().official_standings(
        official, case.employee, case.agency
    ):
        return official
    return None


def subordinates(user):
    """Employees below the user's own employee record (in units the user heads, and below). None for a
    head who has left (directory entry switched off): they are no one's superior any more."""
    emp = getattr(user, "employee", None)
    if emp is None or not emp.is_active:
        return Employee.objects.none()
    unit_ids = set()
    for unit in emp.headed_units.all():
        unit_ids |= unit.descendant_ids()
    return (
        Employee.objects.filter(unit_id__in=unit_ids, is_active=True)
        .exclude(pk=emp.pk)
        .select_related("unit")
    )


# --- Development -------------------------------------------------------------------------------


ONE_DECIMAL = Decimal("0.1")


def _q(value) -> Decimal:
    return Decimal(value or 0).quantize(ONE_DECIMAL)


def jp_totals(employee_ids, year: int) -> dict[int, Decimal]:
    rows = (
        Training.objects.filter(
            employee_id__in=employee_ids, status=TrainingStatus.COMPLETED, completed_on__year=year
        )
        .values("employee_id")
        .annotate(total=Sum("jp"))
    )
    return {r["employee_id"]: _q(r["total"]) for r in rows}


def development(employee, year: int) -> dict:
    """JP total of ``year`` against the minimum (PP 11/2017 Pasal 203(4)) and the year's records."""
    minimum = _services().rule_tables(employee.unit.agency)["jp_minimum"]
    trainings = list(
        Training.objects.filter(employee=employee)
        .filter(Q(completed_on__year=year) | Q(status=TrainingStatus.ENROLLED))
        .select_related("program")
    )
    total = _q(
        rules.jp_total(
            [(t.completed_on, t.jp) for t in trainings if t.status == TrainingStatus.COMPLETED],
            year,
        )
    )
    return {
        "year": year,
        "jp_total": total,
        "minimum": minimum,
        "meets_minimum": rules.meets_minimum(total, minimum),
        "shortfall": _q(rules.jp_shortfall(total, minimum)),
        "percent": min(int(total * 100 / minimum), 100) if minimum else 100,
        "trainings": trainings,
    }


def behind(agency, year: int, unit=None, units=None) -> list[dict]:
    """ASN of ``agency`` (or of ``unit`` and below; only of ``units`` when given) whose JP total for
    ``year`` is below the minimum, lowest total first (``behind_rows`` of ``behind_employees``)."""
    minimum = _services().rule_tables(agency)["jp_minimum"]
    return behind_rows(behind_employees(agency, year, unit, units=units), minimum)


def behind_employees(agency, year: int, unit=None, units=None):
    """The ASN of :func:`behind` as a query, for a page of them or their number (``count()``): each
    annotated with ``jp_sum``, the JP of the trainings completed in ``year``; lowest total first, then
    by name.

    A record's JP has one decimal, so a total is below the minimum exactly when the sum is below
    ``minimum - 0.05`` (which also holds for SQLite's floating-point sums)."""
    minimum = _services().rule_tables(agency)["jp_minimum"]
    qs = within(Employee.objects.filter(unit__agency=agency, is_active=True), units)
    if unit is not None:
        qs = qs.filter(unit_id__in=unit.descendant_ids())
    completed = Q(trainings__status=TrainingStatus.COMPLETED, trainings__completed_on__year=year)
    jp_sum = Coalesce(
        Sum("trainings__jp", filter=completed),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=12, decimal_places=1),
    )
    return (
        qs.annotate(jp_sum=jp_sum)
        .filter(jp_sum__lt=Decimal(minimum) - Decimal("0.05"))
        .select_related("unit")
        .order_by("jp_sum", "name", "pk")
    )


def behind_rows(employees, minimum) -> list[dict]:
    """The rows of :func:`behind` for ``employees`` of :func:`behind_employees` (a page of them)."""
    out = []
    for emp in employees:
        total = _q(emp.jp_sum)
        out.append(
            {
                "employee": emp,
                "jp_total": total,
                "shortfall": _q(rules.jp_shortfall(total, minimum)),
            }
        )
    return out


def programs_for(agency):
    return Program.objects.filter(Q(agency=agency) | Q(agency__isnull=True), is_active=True)


def enrolments_of(employee):
    """The ASN's running enrolments (not yet completed or cancelled), oldest first."""
    return (
        Training.objects.filter(employee=employee, status=TrainingStatus.ENROLLED)
        .select_related("program")
        .order_by("enrolled_on", "pk")
    )


# --- Competency profile ----------------------------------------------------------------------------


def competencies_for(agency):
    """The competency dictionary usable in ``agency``: the nine standard ones and its own technical
    competencies."""
    return Competency.objects.filter(Q(agency=agency) | Q(agency__isnull=True)).order_by(
        "type", "name"
    )


def own_competencies(agency):
    """The technical competencies ``agency`` defined itself (HR may rename them), by name."""
    return Competency.objects.filter(agency=agency).order_by("name", "pk")


def agency_competency(agency, code: str):
    """The competency with ``code`` usable in ``agency`` (its own first, then a national one; SQLite
    sorts NULL first, PostgreSQL last, hence ``nulls_last``)."""
    return (
        Competency.objects.filter(Q(agency=agency) | Q(agency__isnull=True), code=code)
        .order_by(F("agency_id").asc(nulls_last=True))
        .first()
    )


def requirement_of(agency, pk):
    """One position requirement of ``agency`` (``None`` if it is not the agency's)."""
    return (
        PositionRequirement.objects.filter(agency=agency, pk=pk)
        .select_related("competency")
        .first()
    )


def requirements_for(agency):
    """The required competency levels of every position of ``agency``, by position."""
    return (
        PositionRequirement.objects.filter(agency=agency)
        .select_related("competency")
        .order_by("position", "competency__type", "competency__name")
    )


def positions_of(agency) -> list[str]:
    """Position titles in use in ``agency`` (active ASN and existing requirements), sorted."""
    titles = set(
        Employee.objects.filter(unit__agency=agency, is_active=True).values_list(
            "position", flat=True
        )
    )
    titles |= set(
        PositionRequirement.objects.filter(agency=agency).values_list("position", flat=True)
    )
    return sorted((t for t in titles if t), key=str.lower)


def competency_profile(employee) -> dict:
    """Required levels of the position, latest assessed levels, the gaps and catalogue programmes
    that develop each gap's competency (PermenPANRB 38/2017)."""
    agency = employee.unit.agency
    reqs = list(
        PositionRequirement.objects.filter(
            agency=agency, position__iexact=employee.position
        ).select_related("competency")
    )
    latest: dict[int, Assessment] = {}
    for a in Assessment.objects.filter(employee=employee).select_related("competency"):
        latest.setdefault(a.competency_id, a)
    required = {str(r.competency_id): r.level for r in reqs}
    assessed = {str(k): a.level for k, a in latest.items()}
    gaps = rules.competency_gaps(required, assessed)
    by_id = {str(r.competency_id): r.competency for r in reqs}
    catalogue = programs_for(agency).prefetch_related("competencies")
    suggestions = {}
    for gap in gaps:
        comp = by_id[gap.competency]
        suggestions[gap.competency] = [
            p for p in catalogue if any(c.pk == comp.pk for c in p.competencies.all())
        ][:5]
    return {
        "requirements": [
            {
                "competency": r.competency,
                "required": r.level,
                "assessed": latest[r.competency_id].level if r.competency_id in latest else None,
            }
            for r in reqs
        ],
        "assessments": list(latest.values()),
        "gaps": [
            {
                "competency": by_id[g.competency],
                "required": g.required,
                "assessed": g.assessed,
                "size": g.size,
                "programs": suggestions[g.competency],
            }
            for g in gaps
        ],
    }


# --- Mentoring -------------------------------------------------------------------------------------


def mentoring_for(user):
    """Pairs the user mentors or is mentored in; HR sees every pair whose mentee it covers (the
    agency, or its unit and the units below)."""
    emp = getattr(user, "employee", None)
    q = Q(pk__in=[])
    if emp is not None:
        q |= Q(mentor=emp) | Q(mentee=emp)
    q |= _covered(user, _services().HR, "mentee__unit")
    return (
        Mentoring.objects.filter(q)
        .select_related("mentor", "mentee", "mentee__unit")
        .prefetch_related("sessions")
    )


def mentoring_list(user):
    """:func:`mentoring_for` as the mentoring page lists it: running pairs first (those a session is
    recorded for), then the most recently started."""
    running = Case(When(status="aktif", then=Value(0)), default=Value(1))
    return mentoring_for(user).order_by(running, "-start", "-pk")


# --- SKP -------------------------------------------------------------------------------------------


def skp_distribution(agency, period: SkpPeriod | None = None, units=None) -> dict:
    """How many ASN of the agency (of ``units`` when given) received each predicate in a period. The
    total is published, so the counts are protected as one group (``core.rules.suppress_group``):
    small counts are hidden (None), and so are further ones until no hidden count can be worked out
    as the total minus the shown ones. ``raw`` is for internal use only, never shown."""
    qs = within(Skp.objects.filter(employee__unit__agency=agency), units, "employee__unit")
    qs = qs.exclude(predicate="")
    if period is not None:
        qs = qs.filter(period=period)
    counts = Counter(qs.values_list("predicate", flat=True))
    raw = {code: counts.get(code, 0) for code in rules.PREDICATES}
    return {
        "total": sum(raw.values()),
        "counts": suppress_group(raw, rules.MIN_GROUP, total_shown=True),
        "raw": raw,
    }


def skps_of(employee):
    """The ASN's SKP, newest period first (the caller has checked who may see them)."""
    return (
        Skp.objects.filter(employee=employee)
        .select_related("employee", "period", "rater")
        .prefetch_related("indicators")
        .order_by("-period__start")
    )


def latest_predicates(employee_ids, year: int | None = None) -> dict[int, str]:
    """The predicate of the latest rated SKP of each employee (of a period starting in ``year`` or
    before, when given), by employee pk, in one query; employees with none are left out."""
    qs = Skp.objects.filter(employee_id__in=employee_ids).exclude(predicate="")
    if year:
        qs = qs.filter(period__start__year__lte=year)
    out: dict[int, str] = {}
    for emp_id, predicate in qs.order_by("employee_id", "-period__start").values_list(
        "employee_id", "predicate"
    ):
        out.setdefault(emp_id, predicate)
    return out


def latest_predicate(employee, year: int | None = None) -> str | None:
    return latest_predicates([employee.pk], year).get(employee.pk)


# --- Discipline ------------------------------------------------------------------------------------


def cases_for(user):
    """Discipline cases of the ASN the user covers as a discipline reader (the agency, or its unit and
    the units below), and, for a reader of the whole agency, the agency's own cases of ASN who have
    left it by transfer (its records stay with it: ``services.can_view_case``)."""
    roles = _services().DISCIPLINE_READERS
    qs = DisciplineCase.objects.select_related("employee", "employee__unit")
    agencies, _units = permissions.coverage(user, roles)
    covered = _covered(user, roles, "employee__unit")
    if agencies:
        covered |= Q(agency_id__in=agencies)
    return qs.filter(covered)


def case_deadlines(case, today: dt.date) -> dict:
    """The next dates that matter in a discipline case (PP 94/2021 Pasal 26): the earliest
    examination date for a summons sent today, and the last day for a second summons after a missed
    first one."""
    cal = Calendar(case.agency)
    tables = _services().rule_tables(case.agency)
    out = {
        "earliest_examination": cal.add(today, tables["summons_notice_working_days"]),
        "second_summons_by": None,
    }
    summonses = list(case.summonses.all())
    if len(summonses) == 1 and summonses[0].attended is False:
        out["second_summons_by"] = cal.add(
            summonses[0].examination_on, tables["second_summons_within_working_days"]
        )
    return out


SANCTIONED = [CaseStatus.DECIDED, CaseStatus.APPEALED, CaseStatus.CLOSED]
LEVEL_ORDER = {"ringan": 1, "sedang": 2, "berat": 3}


def _in_force(case, on: dt.date, months: int) -> bool:
    """Whether the decided sanction of ``case`` is in force on ``on`` (see :func:`active_sanctions`)."""
    if case.sanction_start is None:
        return False
    end = case.sanction_end or rules.counts_until(case.sanction, case.sanction_start, months)
    return rules.SANCTIONS[case.sanction].permanent or case.sanction_start <= on <= end


def active_sanctions(employee, on: dt.date):
    """Sanctions decided and in force on ``on``: a timed sanction until its end, a reprimand for the
    configured ``reprimand_counts_months`` from its start (:func:`rules.counts_until`), dismissal for
    good."""
    qs = DisciplineCase.objects.filter(employee=employee, proven=True).exclude(sanction="")
    qs = qs.filter(status__in=SANCTIONED)
    months = _services().rule_tables(employee.unit.agency)["reprimand_counts_months"]
    return [
        case
        for case in qs
        if _in_force(case, on, months)
        and (case.agency_id == employee.unit.agency_id or case_follows(case))
    ]


def case_follows(case, today: dt.date | None = None) -> bool:
    """Whether a case of an agency the ASN has left (``case.agency`` is not their agency now) follows
    them to the agency they moved to: only a proven sanction still in force there today (a timed
    sanction until its end, a reprimand for ``reprimand_counts_months``, dismissal for good). Cases
    not proven, sanctions lifted on appeal and sanctions served stay with the agency that decided
    them (docs/personnel.md, "Transfer")."""
    if not (case.proven and case.sanction and case.status in SANCTIONED):
        return False
    agency = case.employee.unit.agency
    today = today or Calendar(agency).local_date()
    months = _services().rule_tables(agency)["reprimand_counts_months"]
    return _in_force(case, today, months)


def _employee_tables(employees) -> dict[int, dict]:
    """``services.rule_tables`` of each employee's agency, by employee pk: worked out once per agency,
    and the units (with their agency) not already loaded with the employees are read in one query."""
    from amanah.core.models import Unit

    agencies, missing = {}, set()
    for e in employees:
        unit = e.unit if Employee.unit.is_cached(e) else None
        if unit is not None and Unit.agency.is_cached(unit):
            agencies[e.unit_id] = unit.agency
        else:
            missing.add(e.unit_id)
    if missing:
        agencies |= {
            u.pk: u.agency for u in Unit.objects.filter(pk__in=missing).select_related("agency")
        }
    by_agency: dict[int, dict] = {}
    for agency in agencies.values():
        if agency.pk not in by_agency:
            by_agency[agency.pk] = _services().rule_tables(agency)
    return {e.pk: by_agency[agencies[e.unit_id].pk] for e in employees}


def heaviest_levels(employees, year: int, tables: dict[int, dict] | None = None) -> dict[int, str]:
    """The heaviest discipline level of each employee in ``year`` (a sanction in force on 31
    December, :func:`active_sanctions`, or a proven case decided in the year), by employee pk, read in
    one query; employees with none are left out. ``tables`` are :func:`_employee_tables` when the
    caller has them."""
    employees = list(employees)
    if not employees:
        return {}
    tables = tables if tables is not None else _employee_tables(employees)
    on = dt.date(year, 12, 31)
    qs = DisciplineCase.objects.filter(employee_id__in=[e.pk for e in employees], proven=True)
    qs = qs.filter(
        (Q(status__in=SANCTIONED) & ~Q(sanction="")) | (Q(decided_on__year=year) & ~Q(level=""))
    ).annotate(now_agency=F("employee__unit__agency_id"))
    levels: dict[int, list[str]] = {}
    for case in qs:
        found = levels.setdefault(case.employee_id, [])
        if case.agency_id != case.now_agency and not case_follows(case):
            continue  # a case of the agency the ASN left that stays there
        months = tables[case.employee_id]["reprimand_counts_months"]
        if case.status in SANCTIONED and case.sanction and _in_force(case, on, months):
            found.append(case.level)
        if case.decided_on is not None and case.decided_on.year == year and case.level:
            found.append(case.level)
    return {pk: max(found, key=lambda v: LEVEL_ORDER[v]) for pk, found in levels.items() if found}


def heaviest_level(employee, year: int) -> str | None:
    return heaviest_levels([employee], year).get(employee.pk)


def has_recent_sanction(employee, year: int) -> bool:
    return heaviest_level(employee, year) is not None


def absence_summary(employee, year: int) -> dict:
    """Unexcused absence in ``year``: cumulative working days, longest consecutive run and the
    sanction PP 94/2021 suggests (Pasal 9–11: 28 working days in a year, or 10 consecutive working
    days, lead to dismissal; docs/personnel.md lists the table).

    The cumulative count is per calendar year. A consecutive run is counted in the agency's working
    days and does not stop at New Year: it belongs to the year in which it ends, counted there in full.
    Ten working days from 21 December 2026 to 7 January 2027 suggest dismissal in the 2027 summary; the
    2026 summary shows the part up to 31 December, as the run stood when that year ended.
    ``consecutive_from``/``consecutive_to`` are the first and last day of that run."""
    cal = Calendar(employee.unit.agency)
    arrived = moved_in_on(employee)
    days = sorted(
        _absences_here(employee, arrived).filter(date__year=year).values_list("date", flat=True)
    )
    carried = _run_into_year(employee, cal, year, days, arrived)
    working = []
    if days:
        d = (carried or days)[0]
        while d <= days[-1]:
            if cal.is_working_day(d):
                working.append(d)
            d += dt.timedelta(days=1)
    consecutive, run_from, run_to = rules.longest_run_span(carried + days, working)
    tables = _services().rule_tables(employee.unit.agency)
    code = rules.absence_sanction(
        len(days), consecutive, tables["absence_table"], tables["absence_consecutive_dismissal"]
    )
    return {
        "year": year,
        "days": days,
        "cumulative": len(days),
        "consecutive": consecutive,
        "consecutive_from": run_from,
        "consecutive_to": run_to,
        "suggested": code,
        "suggested_label": _(rules.SANCTIONS[code].label) if code else None,
        "level": rules.SANCTIONS[code].level if code else None,
    }


def moved_in_on(employee) -> dt.date | None:
    """The day the ASN moved to their present agency by an approved transfer (None: never moved)."""
    return (
        Transfer.objects.filter(
            employee=employee,
            status=TransferStatus.APPROVED,
            to_agency_id=employee.unit.agency_id,
        )
        .order_by("-moved_on", "-pk")
        .values_list("moved_on", flat=True)
        .first()
    )


def _absences_here(employee, arrived: dt.date | None):
    """The ASN's absences at their present agency: those before a transfer stay with the origin."""
    qs = Absence.objects.filter(employee=employee)
    return qs if arrived is None else qs.filter(date__gte=arrived)


def _run_into_year(
    employee, cal: Calendar, year: int, days: list[dt.date], arrived: dt.date | None = None
) -> list[dt.date]:
    """The absences of the run still going when ``year`` begins: the absent working days right before
    the year's first working day, when that day is an absence too (else []). Read a year at a time,
    backwards, as long as the run lasts."""
    first = dt.date(year, 1, 1)
    while not cal.is_working_day(first):
        first += dt.timedelta(days=1)
    if not days or days[0] != first:
        return []
    carried: list[dt.date] = []
    d, absent, loaded = first - dt.timedelta(days=1), set(), None
    while True:
        if d.year != loaded:
            loaded = d.year
            absent = set(
                _absences_here(employee, arrived)
                .filter(date__year=d.year)
                .values_list("date", flat=True)
            )
            if not absent:
                break
        if cal.is_working_day(d):
            if d not in absent:
                break
            carried.append(d)
        d -= dt.timedelta(days=1)
    return carried[::-1]


# --- Recognition ------------------------------------------------------------------------------------


def awards_of(employee, approved_only=True):
    qs = Award.objects.filter(employee=employee)
    return qs.filter(status="disetujui") if approved_only else qs


def award_candidates(agency, year: int) -> list[dict]:
    """Suggestions for recognition, proposed and approved by people (never automatic):

    - ``rekam_bersih``: a clean record, the JP minimum met and a latest predicate of at least Baik;
    - ``pelayanan``: staff whose answered complaints closed in ``year`` were rated on average at least
      ``award_min_avg_rating`` by the complainants (at least ``award_min_ratings`` ratings);
    - ``ikm``: heads of units whose latest IKM rose above the previous period's (a head who has left
      is not proposed: the nearest active head above is, or no one).

    The complaint and survey figures are read through those apps when they are installed."""
    tables = _services().rule_tables(agency)
    emps = list(Employee.objects.filter(unit__agency=agency, is_active=True).select_related("unit"))
    ids = [e.pk for e in emps]
    totals = jp_totals(ids, year)
    predicates = latest_predicates(ids, year)
    sanctioned = heaviest_levels(emps, year, tables=dict.fromkeys(ids, tables))
    minimum = tables["jp_minimum"]
    out = []
    for e in emps:
        pred = predicates.get(e.pk)
        if (
            pred in ("sangat_baik", "baik")
            and totals.get(e.pk, 0) >= minimum
            and e.pk not in sanctioned
        ):
            out.append(
                {
                    "employee": e,
                    "kind": "rekam_bersih",
                    "predicate": pred,
                    "jp_total": totals.get(e.pk, Decimal(0)),
                    "reason": _("Rekam jejak bersih, %(jp)s JP, predikat %(p)s")
                    % {"jp": totals.get(e.pk, Decimal(0)), "p": _(rules.PREDICATES[pred])},
                }
            )
    out += _service_candidates(agency, year, tables)
    out += _ikm_candidates(agency, emps)
    return out


def _service_candidates(agency, year, tables) -> list[dict]:
    try:
        from amanah.complaints.models import Complaint
    except ImportError:  # pragma: no cover - the complaints app is part of the project
        return []
    from django.db.models import Avg, Count

    rows = (
        Complaint.objects.filter(
            agency=agency,
            rating__isnull=False,
            closed_at__year=year,
            assignee__employee__isnull=False,
        )
        .values("assignee__employee")
        .annotate(avg=Avg("rating"), n=Count("pk"))
        .filter(n__gte=tables["award_min_ratings"], avg__gte=tables["award_min_avg_rating"])
    )
    by_id = {r["assignee__employee"]: r for r in rows}
    out = []
    for e in Employee.objects.filter(pk__in=by_id, is_active=True):
        r = by_id[e.pk]
        out.append(
            {
                "employee": e,
                "kind": "pelayanan",
                "reason": ngettext(
                    "Rata-rata penilaian pengadu %(avg).1f dari %(n)d penilaian",
                    "Rata-rata penilaian pengadu %(avg).1f dari %(n)d penilaian",
                    r["n"],
                )
                % {"avg": r["avg"], "n": r["n"]},
            }
        )
    return out


def _ikm_candidates(agency, emps) -> list[dict]:
    try:
        from amanah.surveys.selectors import latest_ikm_by_unit
    except ImportError:  # pragma: no cover
        return []
    from amanah.core.models import Unit

    units = {u.pk: u for u in Unit.objects.filter(agency=agency).select_related("head")}

    def recipient(unit):
        """The unit's head, or when the head has left (directory entry switched off) the nearest active
        head above, as ``services.active_superior`` walks the chain; None when no one is left."""
        node, seen = unit, set()
        while node is not None and node.pk not in seen:
            if node.head is not None and node.head.is_active:
                return node.head
            seen.add(node.pk)
            node = units.get(node.parent_id)
        return None

    headed = [pk for pk, u in units.items() if u.head_id is not None]
    out = []
    # Award candidates are read by HR and leadership only: a closed period not yet published counts.
    for unit_id, row in latest_ikm_by_unit(headed, include_closed=True).items():
        prev, ikm = row.get("previous_ikm"), row.get("ikm")
        if prev is None or ikm is None or ikm <= prev:
            continue
        unit = units[unit_id]
        head = recipient(unit)
        if head is None:
            continue
        figures = {"unit": unit.name, "a": prev, "b": ikm}
        out.append(
            {
                "employee": head,
                "kind": "ikm",
                "reason": _("IKM %(unit)s naik dari %(a)s ke %(b)s") % figures
                if head.pk == unit.head_id
                else _(
                    "IKM %(unit)s naik dari %(a)s ke %(b)s; kepala unitnya sudah tidak aktif, "
                    "diusulkan atasan terdekat"
                )
                % figures,
            }
        )
    return out


# --- Professionalism index -------------------------------------------------------------------------


TECHNICAL_CATEGORIES = ["teknis", "sosial_kultural", "soft_skill"]
TECHNICAL_METHODS = ["pelatihan", "on_the_job", "off_the_job", "e_learning", "workshop"]


def index_inputs(employees, year: int, tables: dict[int, dict] | None = None) -> dict:
    """The :class:`rules.IndexInput` of each of ``employees`` for ``year``, by employee pk, read with
    the same few queries however many there are: the profiles, one aggregate of the completed
    trainings per employee, the latest predicates (:func:`latest_predicates`) and the discipline
    levels (:func:`heaviest_levels`). ``tables`` are :func:`_employee_tables` when the caller has
    them."""
    employees = list(employees)
    ids = list(dict.fromkeys(e.pk for e in employees))
    if not ids:
        return {}
    education = dict(
        Profile.objects.filter(employee_id__in=ids).values_list("employee_id", "education")
    )
    technical = Q(category__in=TECHNICAL_CATEGORIES, method__in=TECHNICAL_METHODS)
    trainings = {
        r["employee_id"]: r
        for r in Training.objects.filter(employee_id__in=ids, status=TrainingStatus.COMPLETED)
        .values("employee_id")
        .annotate(
            jp=Sum("jp", filter=Q(completed_on__year=year)),
            leadership=Count("pk", filter=Q(category="kepemimpinan")),
            technical=Count("pk", filter=technical),
            seminar=Count("pk", filter=Q(method="seminar")),
        )
        .order_by()
    }
    predicates = latest_predicates(ids, year)
    levels = heaviest_levels(employees, year, tables)
    untrained = {"jp": None, "leadership": 0, "technical": 0, "seminar": 0}
    out = {}
    for pk in ids:
        t = trainings.get(pk, untrained)
        out[pk] = rules.IndexInput(
            education=education.get(pk),
            leadership_training=t["leadership"] > 0,
            technical_training=t["technical"] > 0,
            jp_total=Decimal(t["jp"] or 0),
            seminar=t["seminar"] > 0,
            predicate=predicates.get(pk),
            heaviest_sanction_level=levels.get(pk),
        )
    return out


def index_input(employee, year: int) -> rules.IndexInput:
    """The index inputs of one ASN: :func:`index_inputs` of a group of one."""
    return index_inputs([employee], year)[employee.pk]


ADVICE = {
    "kepemimpinan": gettext_noop(
        "Ikuti pelatihan kepemimpinan/manajerial yang sesuai jenjang jabatan."
    ),
    "fungsional_teknis": gettext_noop(
        "Ikuti pelatihan teknis atau fungsional yang sesuai jabatan."
    ),
    "jp_minimum": gettext_noop("Penuhi minimal JP pengembangan kompetensi tahun ini."),
    "seminar": gettext_noop("Ikuti seminar, lokakarya atau konferensi yang relevan."),
    "kinerja": gettext_noop(
        "Tingkatkan capaian SKP bersama atasan (target terukur, perilaku BerAKHLAK)."
    ),
    "kualifikasi": gettext_noop("Lanjutkan pendidikan ke jenjang berikutnya (tugas/izin belajar)."),
}


def index_for(employee, year: int) -> dict:
    """The professionalism index of one ASN: :func:`index_scores` of a group of one."""
    return index_scores([employee], year)[0]


def index_scores(employees, year: int) -> list[dict]:
    """The professionalism index of each of ``employees``, in order, from the inputs of all of them
    read at once (:func:`index_inputs`) and scored with ``rules.professionalism_index`` under each
    employee's agency tables: the number of queries does not grow with the group."""
    employees = list(employees)
    return _index_scores(employees, year, _employee_tables(employees))


def _index_scores(employees: list, year: int, tables: dict[int, dict]) -> list[dict]:
    """:func:`index_scores` with the employees' tables (:func:`_employee_tables`) already read."""
    inputs = index_inputs(employees, year, tables)
    return [
        _index_result(
            rules.professionalism_index(inputs[e.pk], tables[e.pk]),
            year,
            tables[e.pk]["index_categories"],
        )
        for e in employees
    ]


def category_labels(categories) -> dict[str, str]:
    """The translated label of each category of an index category table (the agency's
    ``index_categories``, :func:`services.rule_tables`), by code, highest first."""
    return {code: _(label) for _low, code, label in categories}


def _index_result(result: rules.IndexResult, year: int, categories) -> dict:
    """An index as the pages, the API and the exports show it; ``categories`` is the table of the
    employee's agency its category comes from (for the label)."""
    return {
        "year": year,
        "kualifikasi": result.kualifikasi,
        "kompetensi": result.kompetensi,
        "kinerja": result.kinerja,
        "disiplin": result.disiplin,
        "total": result.total,
        "category": result.category,
        "category_label": category_labels(categories)[result.category],
        "advice": [
            {"code": code, "points": pts, "text": _(ADVICE[code])} for code, pts in result.advice
        ],
    }


def index_aggregate(employees, year: int) -> dict:
    """Average index and category counts of a group (unit or agency); groups smaller than
    ``rules.MIN_GROUP`` show no numbers. The group's size is published, so the category counts are
    protected together (``core.rules.suppress_group``): no hidden count follows by subtraction.
    The average is classified with the index categories of the group's agency (those of the platform
    when the group spans agencies with different tables), as each member's index is."""
    employees = list(employees)
    tables = _employee_tables(employees)
    return _aggregate(_index_scores(employees, year, tables), _group_categories(tables.values()))


def _group_categories(tables) -> list:
    """The index category table shared by the agencies whose ``tables`` these are; the built-in one
    when there are none or they differ."""
    distinct = {tuple(tuple(row) for row in t["index_categories"]) for t in tables}
    return list(distinct.pop()) if len(distinct) == 1 else list(rules.INDEX_CATEGORIES)


def _aggregate(scores: list[dict], categories) -> dict:
    """:func:`index_aggregate` of the group whose indexes (:func:`index_scores`) are ``scores``, its
    average classified, and its counts kept, by the category table ``categories`` (the agency's
    ``index_categories``)."""
    n = len(scores)
    counts = Counter(s["category"] for s in scores)
    if n < rules.MIN_GROUP:
        return {
            "_counts": {c: counts.get(c, 0) for _lo, c, _l in categories},
            "count": n,
            "suppressed": True,
            "average": None,
            "category": None,
            "categories": {},
        }
    avg = (sum((s["total"] for s in scores), Decimal(0)) / n).quantize(Decimal("0.01"))
    return {
        "_counts": {c: counts.get(c, 0) for _lo, c, _l in categories},
        "count": n,
        "suppressed": False,
        "average": avg,
        "category": rules.index_category(avg, categories),
        "categories": suppress_group(
            {c: counts.get(c, 0) for _lo, c, _l in categories},
            rules.MIN_GROUP,
            total_shown=True,
        ),
        "dimensions": {
            d: (sum((s[d] for s in scores), Decimal(0)) / n).quantize(Decimal("0.01"))
            for d in ("kualifikasi", "kompetensi", "kinerja", "disiplin")
        },
    }


def index_overview(agency, year: int, employees, units=None) -> tuple[dict, list[dict]]:
    """The index aggregate of ``employees`` (the agency, or the units a role covers) and of each unit
    (:func:`index_by_unit`), with the category counts protected together: the overall counts are the
    sums of the units' (and of any employees outside the listed units), so a unit's hidden count, or a
    small unit's whole spread, would follow from them by subtraction (``core.rules.protect_columns``).
    The raw counts (``_counts``) are dropped before anything is returned. Each employee is scored
    once, the whole lot with :func:`index_scores`."""
    employees = list(employees)
    groups = _unit_groups(agency, units)
    everyone = {e.pk: e for _unit, members in groups for e in members}
    for e in employees:
        everyone.setdefault(e.pk, e)
    scores = dict(zip(everyone, index_scores(everyone.values(), year), strict=True))
    categories = _services().rule_tables(agency)["index_categories"]
    overall = _aggregate([scores[e.pk] for e in employees], categories)
    rows = _by_unit(groups, scores, categories)
    counted = {r["unit"].pk: r["_counts"] for r in rows}
    rest = {
        c: n - sum(unit_counts[c] for unit_counts in counted.values())
        for c, n in overall["_counts"].items()
    }
    if any(rest.values()):
        counted["rest"] = rest
    by_unit, national = protect_columns(counted, rules.MIN_GROUP)
    for r in rows:
        if not r["suppressed"]:
            r["categories"] = by_unit[r["unit"].pk]
        r.pop("_counts")
    if not overall["suppressed"]:
        overall["categories"] = national
    overall.pop("_counts")
    return overall, rows


def index_by_unit(agency, year: int, units=None) -> list[dict]:
    """The index aggregate of each active unit of ``agency`` (of ``units`` when given)."""
    groups = _unit_groups(agency, units)
    members = [e for _unit, group in groups for e in group]
    scores = index_scores(members, year)
    categories = _services().rule_tables(agency)["index_categories"]
    return _by_unit(groups, {e.pk: i for e, i in zip(members, scores, strict=True)}, categories)


def _unit_groups(agency, units=None) -> list[tuple]:
    """The active units of ``agency`` (of ``units`` when given) by name, each with its active
    employees: two queries."""
    from amanah.core.models import Unit

    unit_list = list(
        within(Unit.objects.filter(agency=agency, is_active=True), units, "").order_by("name")
    )
    members: dict[int, list] = {u.pk: [] for u in unit_list}
    if members:
        for e in Employee.objects.filter(unit_id__in=list(members), is_active=True).select_related(
            "unit__agency"
        ):
            members[e.unit_id].append(e)
    return [(u, members[u.pk]) for u in unit_list]


def _by_unit(groups, scores: dict[int, dict], categories) -> list[dict]:
    return [
        {"unit": unit, **_aggregate([scores[e.pk] for e in members], categories)}
        for unit, members in groups
    ]


# --- Exports (BKN-style) -----------------------------------------------------------------------------

EXPORTS = {
    "diklat": gettext_noop("Riwayat pengembangan kompetensi (diklat)"),
    "skp": gettext_noop("Riwayat kinerja (SKP)"),
    "hukdis": gettext_noop("Riwayat hukuman disiplin"),
    "indeks": gettext_noop("Indeks Profesionalitas ASN"),
    "jp": gettext_noop("Rekap JP per ASN"),
}


def export_rows(kind: str, agency, year: int, units=None) -> tuple[list[str], list[list]]:
    """Rows for the BKN-style reports (columns named like the SIASN riwayat sheets), of the agency's
    ASN or, with ``units``, of those units' ASN only."""
    emps = within(Employee.objects.filter(unit__agency=agency), units).select_related("unit")
    if kind == "diklat":
        header = [
            "NIP",
            "NAMA",
            "JENIS_DIKLAT",
            "BENTUK",
            "NAMA_DIKLAT",
            "TANGGAL_SELESAI",
            "JUMLAH_JP",
            "NOMOR_SERTIFIKAT",
            "INSTANSI_PENYELENGGARA",
        ]
        rows = [
            [
                t.employee.nip,
                t.employee.name,
                t.get_category_display(),
                t.get_method_display(),
                t.title,
                t.completed_on.isoformat(),
                str(t.jp),
                t.certificate_number,
                t.program.provider if t.program else "",
            ]
            for t in Training.objects.filter(
                employee__in=emps, status=TrainingStatus.COMPLETED, completed_on__year=year
            )
            .select_related("employee", "program")
            .order_by("employee__nip", "completed_on")
        ]
    elif kind == "skp":
        header = [
            "NIP",
            "NAMA",
            "PERIODE",
            "TANGGAL_AWAL",
            "TANGGAL_AKHIR",
            "HASIL_KERJA",
            "PERILAKU_KERJA",
            "PREDIKAT_KINERJA",
            "NIP_PENILAI",
            "STATUS",
        ]
        rows = [
            [
                s.employee.nip,
                s.employee.name,
                s.period.name,
                s.period.start.isoformat(),
                s.period.end.isoformat(),
                s.get_hasil_kerja_display(),
                s.get_perilaku_display(),
                s.get_predicate_display(),
                s.rater.nip if s.rater else "",
                s.get_status_display(),
            ]
            for s in Skp.objects.filter(employee__in=emps, period__start__year=year)
            .select_related("employee", "period", "rater")
            .order_by("employee__nip")
        ]
    elif kind == "hukdis":
        header = [
            "NIP",
            "NAMA",
            "NOMOR_KASUS",
            "TINGKAT_HUKUMAN",
            "JENIS_HUKUMAN",
            "NOMOR_SK",
            "TANGGAL_SK",
            "TMT_HUKUMAN",
            "AKHIR_HUKUMAN",
            "NIP_PEJABAT",
        ]
        rows = [
            [
                c.employee.nip,
                c.employee.name,
                c.number,
                c.get_level_display(),
                c.get_sanction_display(),
                c.decision_number,
                c.decided_on.isoformat(),
                c.sanction_start.isoformat(),
                c.sanction_end.isoformat() if c.sanction_end else "",
                c.decided_by.nip if c.decided_by else "",
            ]
            for c in within(
                DisciplineCase.objects.filter(agency=agency, proven=True, decided_on__year=year),
                units,
                "employee__unit",
            )
            .exclude(sanction="")
            .select_related("employee", "decided_by")
            .order_by("decided_on")
        ]
    elif kind == "indeks":
        header = [
            "NIP",
            "NAMA",
            "UNIT_KERJA",
            "KUALIFIKASI",
            "KOMPETENSI",
            "KINERJA",
            "DISIPLIN",
            "NILAI_IP_ASN",
            "KATEGORI",
        ]
        rows = []
        active = list(emps.filter(is_active=True).select_related("unit__agency").order_by("nip"))
        for e, i in zip(active, index_scores(active, year), strict=True):
            rows.append(
                [
                    e.nip,
                    e.name,
                    e.unit.name,
                    str(i["kualifikasi"]),
                    str(i["kompetensi"]),
                    str(i["kinerja"]),
                    str(i["disiplin"]),
                    str(i["total"]),
                    i["category_label"],
                ]
            )
    elif kind == "jp":
        header = ["NIP", "NAMA", "UNIT_KERJA", "TAHUN", "JUMLAH_JP", "MINIMAL_JP", "MEMENUHI"]
        active = list(emps.filter(is_active=True).order_by("nip"))
        totals = jp_totals([e.pk for e in active], year)
        minimum = _services().rule_tables(agency)["jp_minimum"]
        rows = [
            [
                e.nip,
                e.name,
                e.unit.name,
                year,
                str(totals.get(e.pk, Decimal(0))),
                minimum,
                "YA" if rules.meets_minimum(totals.get(e.pk, 0), minimum) else "TIDAK",
            ]
            for e in active
        ]
    else:
        raise Http404
    return header, rows


def render_export(header, rows, fmt: str) -> tuple[bytes, str]:
    """CSV (UTF-8 with BOM, for spreadsheet programs) or XLSX bytes and the content type."""
    import csv
    import io

    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("data")
        ws.append(header)
        for r in rows:
            ws.append([_safe_cell(v) for v in r])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow([_safe_cell(v) for v in r])
    return ("\ufeff" + buf.getvalue()).encode(), "text/csv; charset=utf-8"


def _safe_cell(value):
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


# --- Aggregates for the dashboard ----------------------------------------------------------------


def agency_summary(agency, year: int) -> dict:
    """Aggregates only, for the transparency dashboard: JP compliance, predicate distribution, the
    average professionalism index and sanctions by level. Groups smaller than ``rules.MIN_GROUP`` show
    None, so no individual can be singled out."""
    emps = list(Employee.objects.filter(unit__agency=agency, is_active=True))
    n = len(emps)
    minimum = _services().rule_tables(agency)["jp_minimum"]
    totals = jp_totals([e.pk for e in emps], year)
    meeting = sum(1 for e in emps if rules.meets_minimum(totals.get(e.pk, 0), minimum))
    sanctions = Counter(
        DisciplineCase.objects.filter(agency=agency, proven=True, decided_on__year=year)
        .exclude(level="")
        .values_list("level", flat=True)
    )
    index = index_aggregate(emps, year)
    index.pop("_counts")
    big_enough = n >= rules.MIN_GROUP
    return {
        "agency": agency.code,
        "year": year,
        "employees": n,
        "jp_minimum": minimum,
        "jp_compliance_percent": round(meeting * 100 / n, 1) if big_enough else None,
        "predicates": skp_distribution(agency)["counts"] if big_enough else None,
        "index_average": index["average"],
        "index_category": index["category"],
        "sanctions": suppress_group(
            {lv: sanctions.get(lv, 0) for lv in rules.LEVELS}, rules.MIN_GROUP, total_shown=False
        ),
    }


# --- Transfer between agencies (mutasi) -------------------------------------------------------------


def transfers():
    return Transfer.objects.select_related(
        "employee", "from_agency", "from_unit", "to_agency", "to_unit"
    )


def transfers_of(agency):
    """Transfers into and out of ``agency``, newest first (the caller checked HR there)."""
    return transfers().filter(Q(from_agency=agency) | Q(to_agency=agency))


def cases_of(user, employee) -> list:
    """The ASN's discipline cases that ``user`` may read (``services.can_view_case``)."""
    qs = DisciplineCase.objects.filter(employee=employee).select_related(
        "employee__unit__agency", "agency"
    )
    return [case for case in qs if _services().can_view_case(user, case)]
