"""Keeping the rollups: per-case facts, incremental updates and set-based rebuilds.

Each source case (a complaint, an integrity report, an SKM period with its answers) has one *fact* row:
the local dates, working-day durations and categories it contributes. A :class:`Spec` says which rollup
figure a fact column feeds. Two independent paths turn facts into rollups:

* **incremental** (:func:`sync_complaint`, :func:`sync_report`, :func:`sync_period`): in Python, the
  old fact's keys are subtracted and the new fact's keys added, with one upsert per changed key, under a
  lock on the fact row; the post_save receivers run it as a task after each commit;
* **rebuild** (:func:`rebuild`): facts are recomputed for every case, then each rollup figure is one
  ``INSERT … SELECT … GROUP BY`` over the fact table (and the unit ancestry for sub-units), so building a
  million cases is a handful of SQL statements.

Both paths also keep :class:`AgencyTotal` (the national table's per-agency figures side by side, one row per
agency and day or month): incrementally from the same change of the rollups (:func:`apply_agency_totals`),
and by the rebuild from the agencies' rollup rows (:func:`rebuild_agency_totals`).

A test builds the same data both ways and compares the tables.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from amanah.core import calendar as core_calendar
from amanah.core import rules as core_rules
from amanah.core.models import Agency, Closure, Unit

from . import rules
from .models import AgencyTotal, ComplaintFact, ReportFact, Rollup, SurveyFact, UnitLink

#: Day on which open complaints without a running clock are counted (never overdue).
NO_DUE = dt.date(9999, 12, 1)

ALL = ("n", "a", "u")
NATIONAL_AGENCY = ("n", "a")
AGENCY_UNIT = ("a", "u")


@dataclass(frozen=True)
class Spec:
    """One rollup figure: ``measure``/``dim`` counted on the fact column ``day``, broken down by the
    fact column ``value`` (None = no breakdown), for the given scopes; ``amount`` sums a column instead
    of counting rows. A fact contributes only when its ``day`` and ``value`` are not empty."""

    measure: str
    dim: str
    day: str
    value: str | None
    scopes: tuple[str, ...]
    amount: str | None = None
    #: ``(column, value)``: facts with that value are left out of the national figure (scope ``n``).
    not_national: tuple[str, str] | None = None


#: A complaint transferred to another agency (bukan wewenang) closes as ``dialihkan`` and the other
#: agency gets a linked case: both agencies received it, but the country received it once, so the
#: national figures count the linked case (where the complaint is handled) and leave out the original.
TRANSFERRED = ("status", "dialihkan")
COMPLAINT_SPECS = tuple(
    Spec(*args, ALL, not_national=TRANSFERRED)
    for args in (
        ("received", "", "received_day", None),
        ("received", "kind", "received_day", "kind"),
        ("received", "channel", "received_day", "channel"),
        ("received", "status", "received_day", "status"),
        ("received", "service", "received_day", "service_id"),
        ("answered", "", "answered_day", None),
        ("answered", "days", "answered_day", "response_days"),
        ("closed", "", "closed_day", None),
        ("closed", "days", "closed_day", "closure_days"),
        ("deadline", "state", "response_due", "deadline_state"),
        ("rating", "value", "rating_day", "rating"),
        ("open", "", "open_day", None),
    )
)
REPORT_SPECS = (
    Spec("integrity", "", "day", None, NATIONAL_AGENCY),
    Spec("integrity", "type", "day", "violation_type", NATIONAL_AGENCY),
    Spec("integrity", "status", "day", "status", NATIONAL_AGENCY),
    Spec("integrity", "outcome", "day", "outcome", NATIONAL_AGENCY),
    Spec("integrity", "sanction", "day", "sanction_level", NATIONAL_AGENCY),
)
SURVEY_SPECS = (
    (Spec("skm", "n", "day", None, ALL, amount="respondents"),)
    + tuple(Spec("skm", f"u{i}", "day", None, ALL, amount=f"s{i}") for i in range(1, 10))
    # The nine totals together, per weight other than the default 1/9 (surveys.rules.pooled_ikm).
    + (Spec("skm", "weight", "day", "weight", ALL, amount="total"),)
)

#: The agency rollup figures also kept side by side in :class:`AgencyTotal` (one row per agency and day
#: or month): ``(measure, dim, value) → column``.
AGENCY_TOTALS = {
    ("received", "", ""): "received",
    ("closed", "", ""): "closed",
    ("deadline", "state", rules.ON_TIME): "on_time",
    ("deadline", "state", rules.LATE): "late",
    ("deadline", "state", rules.PENDING): "pending",
    ("open", "", ""): "open",
    ("skm", "n", ""): "skm_n",
    **{("skm", f"u{i}", ""): f"skm_u{i}" for i in range(1, 10)},
    ("skm", "weight", "0.111"): "skm_w0111",
}
AGENCY_TOTAL_COLUMNS = tuple(AGENCY_TOTALS.values())

SOURCES = {
    "complaints": (ComplaintFact, COMPLAINT_SPECS),
    "integrity": (ReportFact, REPORT_SPECS),
    "surveys": (SurveyFact, SURVEY_SPECS),
}


# --- Keys of one fact --------------------------------------------------------------------------------


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def keys(fact: dict | None, specs: Iterable[Spec], ancestors: list[int]) -> Counter:
    """Every rollup key a fact contributes to, with its amount. ``ancestors``: the fact's unit and every
    unit above it (empty when the case has no unit)."""
    out: Counter = Counter()
    if fact is None:
        return out
    for spec in specs:
        day = fact.get(spec.day)
        if day is None:
            continue
        if spec.value is None:
            value = ""
        else:
            raw = fact.get(spec.value)
            if raw is None or raw == "":
                continue
            value = str(raw)
        amount = fact[spec.amount] if spec.amount else 1
        if not amount:
            continue
        scope_ids = []
        national = (
            spec.not_national is None or fact.get(spec.not_national[0]) != (spec.not_national[1])
        )
        if "n" in spec.scopes and national:
            scope_ids.append(("n", 0))
        if "a" in spec.scopes:
            scope_ids.append(("a", fact["agency_id"]))
        if "u" in spec.scopes:
            scope_ids.extend(("u", u) for u in ancestors)
        for scope, scope_id in scope_ids:
            for grain, d in (("d", day), ("m", _month(day))):
                out[(scope, grain, spec.measure, spec.dim, scope_id, d, value)] += amount
    return out


_TABLE = Rollup._meta.db_table
_COLS = "scope, grain, measure, dim, scope_id, day, value"


def apply(delta: Counter) -> int:
    """Add ``delta`` (key → change) to the rollups with upserts, in key order so concurrent writers take
    row locks in the same order."""
    rows = [(*k, v) for k, v in sorted(delta.items()) if v]
    if not rows:
        return 0
    sql = (
        f'INSERT INTO {_TABLE} ({_COLS}, "count") VALUES (%s, %s, %s, %s, %s, %s, %s, %s) '
        f'ON CONFLICT ({_COLS}) DO UPDATE SET "count" = {_TABLE}."count" + excluded."count"'
    )
    with connection.cursor() as cur:
        cur.executemany(sql, rows)
    return len(rows)


_TOTALS_TABLE = AgencyTotal._meta.db_table


def agency_totals_delta(delta: Counter) -> dict[tuple, dict[str, int]]:
    """The changes of :class:`AgencyTotal` rows implied by a change of the rollups:
    ``{(grain, day, agency_id): {column: change}}``."""
    out: dict[tuple, dict[str, int]] = {}
    for (scope, grain, measure, dim, scope_id, day, value), change in delta.items():
        column = AGENCY_TOTALS.get((measure, dim, value)) if scope == "a" else None
        if column is None or not change:
            continue
        row = out.setdefault((grain, day, scope_id), dict.fromkeys(AGENCY_TOTAL_COLUMNS, 0))
        row[column] += change
    return out


def apply_agency_totals(delta: Counter) -> int:
    """Add the agency figures of a rollup change to :class:`AgencyTotal` (upserts in key order, after the
    rollup upserts, so concurrent writers lock rows in the same order)."""
    changes = agency_totals_delta(delta)
    rows = [
        (*key, *(row[c] for c in AGENCY_TOTAL_COLUMNS))
        for key, row in sorted(changes.items())
        if any(row.values())
    ]
    if not rows:
        return 0
    cols = ", ".join(AGENCY_TOTAL_COLUMNS)
    marks = ", ".join(["%s"] * (3 + len(AGENCY_TOTAL_COLUMNS)))
    updates = ", ".join(f"{c} = {_TOTALS_TABLE}.{c} + excluded.{c}" for c in AGENCY_TOTAL_COLUMNS)
    sql = (
        f"INSERT INTO {_TOTALS_TABLE} (grain, day, agency_id, {cols}) VALUES ({marks}) "
        f"ON CONFLICT (grain, day, agency_id) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cur:
        cur.executemany(sql, rows)
    return len(rows)


def rebuild_agency_totals() -> int:
    """Recompute :class:`AgencyTotal` from the agencies' rollup rows (one ``INSERT … SELECT … GROUP BY``)."""
    AgencyTotal.objects.all().delete()
    sums, wanted = [], []
    for measure, dim, value in AGENCY_TOTALS:
        sums.append(
            f"SUM(CASE WHEN measure = '{measure}' AND dim = '{dim}' AND value = '{value}' "
            f'THEN "count" ELSE 0 END)'
        )
        wanted.append(f"(measure = '{measure}' AND dim = '{dim}' AND value = '{value}')")
    sql = (
        f"INSERT INTO {_TOTALS_TABLE} (grain, day, agency_id, {', '.join(AGENCY_TOTAL_COLUMNS)}) "
        f"SELECT grain, day, scope_id, {', '.join(sums)} FROM {_TABLE} "
        f"WHERE scope = 'a' AND \"count\" <> 0 AND ({' OR '.join(wanted)}) "
        f"GROUP BY grain, day, scope_id"
    )
    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.rowcount


def unit_chain(unit_id: int | None) -> list[int]:
    """The unit and every unit above it (ids)."""
    if not unit_id:
        return []
    chain, seen, current = [], set(), unit_id
    while current and current not in seen:
        chain.append(current)
        seen.add(current)
        current = Unit.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return chain


def _fact_dict(obj) -> dict | None:
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _sync(model, pk_name: str, pk: int, compute, specs) -> None:
    """Move one case's contribution from its stored fact to its current fact, atomically."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                old_obj = model.objects.select_for_update().filter(pk=pk).first()
                new = compute(pk)
                old = _fact_dict(old_obj)
                if old == new:
                    return
                old_keys = keys(old, specs, unit_chain(old.get("unit_id")) if old else [])
                new_keys = keys(new, specs, unit_chain(new.get("unit_id")) if new else [])
                delta = Counter(new_keys)
                delta.subtract(old_keys)
                apply(delta)
                apply_agency_totals(delta)
                if new is None:
                    model.objects.filter(pk=pk).delete()
                elif old_obj is None:
                    model.objects.create(**new)
                else:
                    model.objects.filter(pk=pk).update(
                        **{k: v for k, v in new.items() if k != pk_name}
                    )
                return
        except IntegrityError:
            # Another worker created the fact first; try again and see its row.
            if attempt == 2:
                raise


# --- Complaints ------------------------------------------------------------------------------------


def _complaint_vocab():
    from amanah.complaints import rules as crules

    return crules.OPEN_STATUSES, crules.STAGE_DUE_FIELD


COMPLAINT_FIELDS = (
    "id",
    "agency_id",
    "unit_id",
    "service_id",
    "kind",
    "channel",
    "status",
    "received_at",
    "first_response_at",
    "closed_at",
    "verification_due",
    "response_due",
    "resolution_due",
    "rating",
)


def complaint_fact(row: dict, local_date, between) -> dict:
    """The fact of one complaint from its fields. ``local_date(moment)`` gives the agency's local date;
    ``between(a, b)`` the working days in (a, b]."""
    open_statuses, stage_due = _complaint_vocab()
    status = row["status"]
    is_open = status in open_statuses
    transferred = status == TRANSFERRED[1]
    received = local_date(row["received_at"])
    # Closing a case is its first answer when none came before, but a transfer to the agency with the
    # authority (bukan wewenang) answers nothing: the other agency's case has its own deadline.
    closing_answers = not is_open and not transferred
    answer_moment = row["first_response_at"] or (row["closed_at"] if closing_answers else None)
    answered = local_date(answer_moment) if answer_moment else None
    closed = local_date(row["closed_at"]) if row["closed_at"] and not is_open else None
    deadline = rules.deadline_state(answered, row["response_due"])
    if transferred and answered is None and closed and row["response_due"]:
        # Transferred by the response due date: out of this agency's deadline share (neither an answer
        # nor a miss); after it, unanswered: not answered although the date has passed.
        deadline = None if closed <= row["response_due"] else rules.PENDING
    due_field = stage_due.get(status) if is_open else None
    due = row.get(due_field) if due_field else None
    rating = row["rating"]
    return {
        "complaint_id": row["id"],
        "agency_id": row["agency_id"],
        "unit_id": row["unit_id"],
        "service_id": row["service_id"],
        "kind": row["kind"],
        "channel": row["channel"],
        "status": status,
        "is_open": is_open,
        "received_day": received,
        "answered_day": answered,
        "closed_day": closed,
        "response_due": row["response_due"],
        "deadline_state": deadline,
        "due": due,
        "open_day": (due or NO_DUE) if is_open else None,
        "response_days": between(received, answered) if answered else None,
        "closure_days": between(received, closed) if closed else None,
        "rating": rating,
        "rating_day": (closed or answered or received) if rating else None,
    }


def _compute_complaint(pk: int) -> dict | None:
    from amanah.complaints.models import Complaint

    row = Complaint.objects.filter(pk=pk).values(*COMPLAINT_FIELDS).first()
    if row is None:
        return None
    cal = core_calendar.Calendar(Agency.objects.get(pk=row["agency_id"]))
    return complaint_fact(row, cal.local_date, cal.between)


def sync_complaint(pk: int) -> None:
    _sync(ComplaintFact, "complaint_id", pk, _compute_complaint, COMPLAINT_SPECS)


# --- Integrity reports ---------------------------------------------------------------------------------

REPORT_FIELDS = (
    "id",
    "agency_id",
    "created_on",
    "violation_type",
    "status",
    "outcome",
    "sanction_level",
)


def report_fact(row: dict) -> dict:
    return {
        "report_id": row["id"],
        "agency_id": row["agency_id"],
        "day": row["created_on"],
        "violation_type": row["violation_type"] or "",
        "status": row["status"] or "",
        "outcome": row["outcome"] or "",
        "sanction_level": row["sanction_level"] or "",
    }


def _compute_report(pk: int) -> dict | None:
    from amanah.integrity.models import Report

    row = Report.objects.filter(pk=pk).values(*REPORT_FIELDS).first()
    return report_fact(row) if row else None


def sync_report(pk: int) -> None:
    _sync(ReportFact, "report_id", pk, _compute_report, REPORT_SPECS)


# --- SKM periods -----------------------------------------------------------------------------------------

#: Only published periods reach the public figures: a closed period not yet published is the agency's
#: internal result (docs/surveys.md), and counting its answers in the pooled IKM would show it early.
COUNTED_PERIOD_STATUSES = ("published",)


def _period_statuses():
    try:
        from amanah.surveys.models import PeriodStatus

        return (PeriodStatus.PUBLISHED.value,)
    except ImportError:  # pragma: no cover - surveys not installed
        return COUNTED_PERIOD_STATUSES


PERIOD_FIELDS = ("id", "agency_id", "unit_id", "end", "weight")


def survey_fact(period: dict, agg: dict) -> dict:
    """The fact of one published SKM period from its fields (:data:`PERIOD_FIELDS`) and the
    count and sums of its answers (``n``, ``s1`` … ``s9``). The weight is kept only when it is not the
    default 1/9, with the nine totals together, so the dashboard can weight the period's answers as its
    result does."""
    from amanah.surveys import rules as srules

    totals = {f"s{i}": agg.get(f"s{i}") or 0 for i in range(1, 10)}
    weight = period["weight"]
    return {
        "period_id": period["id"],
        "agency_id": period["agency_id"],
        "unit_id": period["unit_id"],
        "day": period["end"],
        "respondents": agg.get("n") or 0,
        **totals,
        "weight": "" if weight == srules.DEFAULT_WEIGHT else weight,
        "total": sum(totals.values()),
    }


def _compute_period(pk: int) -> dict | None:
    from django.db.models import Count, Sum

    from amanah.surveys.models import Response, SurveyPeriod

    p = SurveyPeriod.objects.filter(pk=pk).values(*PERIOD_FIELDS, "status").first()
    if p is None or p["status"] not in _period_statuses():
        return None
    agg = Response.objects.filter(period_id=pk).aggregate(
        n=Count("id"), **{f"s{i}": Sum(f"u{i}") for i in range(1, 10)}
    )
    return survey_fact(p, agg)


def sync_period(pk: int) -> None:
    _sync(SurveyFact, "period_id", pk, _compute_period, SURVEY_SPECS)


# --- Rebuild ---------------------------------------------------------------------------------------------


class WorkdayIndex:
    """Working days of one calendar as a cumulative count, so ``between`` is two lookups. Built from the
    same closed days as :class:`amanah.core.calendar.Calendar` (national holidays, cuti bersama and
    closures)."""

    def __init__(self, closed: frozenset[dt.date], first: dt.date, last: dt.date):
        self.first, self.last = first, last
        self._closed = closed
        self._cum: list[int] = []
        total, day = 0, first
        while day <= last:
            if core_rules.is_working_day(day, closed):
                total += 1
            self._cum.append(total)
            day += dt.timedelta(days=1)

    def between(self, start: dt.date, end: dt.date) -> int:
        if end <= start:
            return 0
        if start < self.first or end > self.last:
            return core_rules.working_days_between(start, end, self._closed)
        return self._cum[(end - self.first).days] - self._cum[(start - self.first).days]


class _Calendars:
    """One :class:`WorkdayIndex` per distinct set of closures (agencies without closures of their own share
    the national one) and one time zone per agency."""

    def __init__(self, first_year: int, last_year: int):
        years = range(
            max(first_year - 1, core_calendar.MIN_YEAR),
            min(last_year + 1, core_calendar.MAX_YEAR) + 1,
        )
        self.first, self.last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
        self.years = list(years)
        own = set(
            Closure.objects.filter(agency__isnull=False)
            .values_list("agency_id", flat=True)
            .distinct()
        )
        self._national = None
        self._own: dict[int, WorkdayIndex] = {}
        self._own_ids = own
        self.tz = {
            a: zoneinfo.ZoneInfo(tz) for a, tz in Agency.objects.values_list("id", "time_zone")
        }

    def index(self, agency_id: int) -> WorkdayIndex:
        if agency_id in self._own_ids:
            if agency_id not in self._own:
                closed = core_calendar.Calendar(Agency.objects.get(pk=agency_id)).closed(
                    *self.years
                )
                self._own[agency_id] = WorkdayIndex(closed, self.first, self.last)
            return self._own[agency_id]
        if self._national is None:
            self._national = WorkdayIndex(
                core_calendar.Calendar(None).closed(*self.years), self.first, self.last
            )
        return self._national


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _rebuild_unit_links() -> None:
    UnitLink.objects.all().delete()
    parents = dict(Unit.objects.values_list("id", "parent_id"))
    rows = []
    for unit_id in parents:
        current, seen = unit_id, set()
        while current and current not in seen:
            rows.append((unit_id, current))
            seen.add(current)
            current = parents.get(current)
    bulk_insert(UnitLink, ("unit_id", "ancestor_id"), rows)


def _spec_sql(spec: Spec, fact_table: str, scope: str, grain: str) -> str:
    day = f"f.{spec.day}" if grain == "d" else _month_sql(f"f.{spec.day}")
    value = "''" if spec.value is None else f"CAST(f.{spec.value} AS TEXT)"
    amount = f"SUM(f.{spec.amount})" if spec.amount else "COUNT(*)"
    where = [f"f.{spec.day} IS NOT NULL"]
    if spec.value is not None:
        where.append(f"f.{spec.value} IS NOT NULL")
        where.append(f"CAST(f.{spec.value} AS TEXT) <> ''")
    if spec.amount:
        where.append(f"f.{spec.amount} <> 0")
    join = ""
    if scope == "n":
        scope_id = "0"
        if spec.not_national:
            column, excluded = spec.not_national
            where.append(f"f.{column} <> '{excluded}'")
    elif scope == "a":
        scope_id = "f.agency_id"
    else:
        scope_id = "l.ancestor_id"
        join = f" JOIN {UnitLink._meta.db_table} l ON l.unit_id = f.unit_id"
    group = ([] if scope == "n" else [scope_id]) + [day] + ([] if spec.value is None else [value])
    return (
        f'INSERT INTO {_TABLE} ({_COLS}, "count") '
        f"SELECT '{scope}', '{grain}', '{spec.measure}', '{spec.dim}', {scope_id}, {day}, {value}, {amount} "
        f"FROM {fact_table} f{join} WHERE {' AND '.join(where)} "
        f"GROUP BY {', '.join(group)}"
    )


def _rollups_from_facts(source: str, timings: dict | None = None) -> None:
    import time

    model, specs = SOURCES[source]
    measures = sorted({s.measure for s in specs})
    started = time.monotonic()
    Rollup.objects.filter(measure__in=measures).delete()
    if timings is not None:
        timings["delete"] = time.monotonic() - started
    with connection.cursor() as cur:
        for spec in specs:
            for scope in spec.scopes:
                for grain in ("d", "m"):
                    started = time.monotonic()
                    cur.execute(_spec_sql(spec, model._meta.db_table, scope, grain))
                    if timings is not None:
                        timings[f"{spec.measure}.{spec.dim}/{scope}/{grain}"] = (
                            time.monotonic() - started
                        )


def _iter_rows(qs, fields, chunk=5000) -> Iterator[dict]:
    yield from qs.values(*fields).order_by("pk").iterator(chunk_size=chunk)


def _complaint_facts() -> Iterator[tuple]:
    from django.db.models import Max, Min

    from amanah.complaints.models import Complaint

    span = Complaint.objects.aggregate(lo=Min("received_at"), hi=Max("received_at"))
    if span["lo"] is None:
        return
    cals = _Calendars(span["lo"].year, max(span["hi"].year, timezone.now().year))
    names = [f.attname for f in ComplaintFact._meta.concrete_fields]
    for row in _iter_rows(Complaint.objects.all(), COMPLAINT_FIELDS):
        tz = cals.tz[row["agency_id"]]
        index = cals.index(row["agency_id"])
        fact = complaint_fact(row, lambda m, tz=tz: timezone.localtime(m, tz).date(), index.between)
        yield tuple(fact[n] for n in names)


def _report_facts() -> Iterator[tuple]:
    from amanah.integrity.models import Report

    names = [f.attname for f in ReportFact._meta.concrete_fields]
    for row in _iter_rows(Report.objects.all(), REPORT_FIELDS):
        fact = report_fact(row)
        yield tuple(fact[n] for n in names)


def _survey_facts() -> Iterator[tuple]:
    from django.db.models import Count, Sum

    from amanah.surveys.models import Response, SurveyPeriod

    names = [f.attname for f in SurveyFact._meta.concrete_fields]
    periods = {
        p["id"]: p
        for p in SurveyPeriod.objects.filter(status__in=_period_statuses()).values(*PERIOD_FIELDS)
    }
    sums = (
        Response.objects.filter(
            period_id__in=SurveyPeriod.objects.filter(status__in=_period_statuses()).values("id")
        )
        .values("period_id")
        .annotate(n=Count("id"), **{f"s{i}": Sum(f"u{i}") for i in range(1, 10)})
        .order_by()
    )
    seen = set()
    for row in sums:
        p = periods[row["period_id"]]
        seen.add(p["id"])
        fact = survey_fact(p, row)
        yield tuple(fact[n] for n in names)
    for pid, p in periods.items():  # periods without answers still get a (zero) fact
        if pid not in seen:
            fact = survey_fact(p, {})
            yield tuple(fact[n] for n in names)


FACT_BUILDERS = {
    "complaints": _complaint_facts,
    "integrity": _report_facts,
    "surveys": _survey_facts,
}


def _installed(source: str) -> bool:
    from django.apps import apps

    return apps.is_installed(f"amanah.{source}")


def rebuild(
    sources: Iterable[str] = ("complaints", "integrity", "surveys"), stdout=None
) -> dict[str, int]:
    """Recompute facts and rollups from scratch for the given sources, in one transaction each."""
    import time

    counts = {}
    with transaction.atomic():
        _rebuild_unit_links()
    for source in sources:
        if not _installed(source):
            continue
        started = time.monotonic()
        model, _specs = SOURCES[source]
        names = tuple(f.attname for f in model._meta.concrete_fields)
        with transaction.atomic():
            model.objects.all().delete()
            counts[source] = bulk_insert(model, names, FACT_BUILDERS[source]())
            _rollups_from_facts(source)
        if connection.vendor == "postgresql":  # fresh statistics after a bulk load, for the planner
            with connection.cursor() as cur:
                cur.execute(f"ANALYZE {model._meta.db_table}")
                cur.execute(f"ANALYZE {_TABLE}")
        if stdout is not None:
            stdout.write(f"  {source}: {counts[source]} facts in {time.monotonic() - started:.1f}s")
    started = time.monotonic()
    with transaction.atomic():
        rows = rebuild_agency_totals()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {_TOTALS_TABLE}")
    if stdout is not None:
        stdout.write(f"  agency totals: {rows} rows in {time.monotonic() - started:.1f}s")
    return counts


# --- Bulk inserts ----------------------------------------------------------------------------------------


def bulk_insert(model, columns: Iterable[str], rows: Iterable[tuple], batch: int = 20000) -> int:
    """Insert many rows fast: ``COPY … FROM STDIN`` on PostgreSQL, multi-row ``INSERT`` elsewhere.

    ``columns`` are database column names; ``rows`` tuples in that order (values already in database
    form: dates, numbers, strings, None)."""
    columns = tuple(columns)
    table = model._meta.db_table
    total = 0
    if connection.vendor == "postgresql":
        # Rows are gathered in batches first: the generator may itself read from this connection, which
        # cannot run queries while a COPY is open.
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        buffer = []

        def flush():
            with connection.cursor() as cur:
                with cur.cursor.copy(statement) as copy:
                    for row in buffer:
                        copy.write_row(row)
            buffer.clear()

        for row in rows:
            buffer.append(row)
            total += 1
            if len(buffer) >= batch:
                flush()
        if buffer:
            flush()
        return total
    ops = connection.ops

    def adapt(row):
        return tuple(
            ops.adapt_datetimefield_value(v)
            if isinstance(v, dt.datetime)
            else ops.adapt_datefield_value(v)
            if isinstance(v, dt.date)
            else v
            for v in row
        )

    rows = (adapt(r) for r in rows)
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    per_statement = max(1, 900 // len(columns))  # SQLite's limit on bound parameters
    buffer: list = []
    with connection.cursor() as cur:
        for row in rows:
            buffer.append(row)
            total += 1
            if len(buffer) >= per_statement:
                cur.execute(sql + ", ".join([marks] * len(buffer)), [v for r in buffer for v in r])
                buffer.clear()
        if buffer:
            cur.execute(sql + ", ".join([marks] * len(buffer)), [v for r in buffer for v in r])
    return total
