"""Reads of the dashboard: every figure comes from the rollups (never from the case tables), so a page
costs the same whether the scope holds a hundred complaints or a million.

A *scope* is the whole country, one agency, or one unit with the units below it. A *period* is a range of
days (both ends included); whole months inside it are read from monthly rows, the edges from daily rows.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Q, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from amanah.core import permissions
from amanah.core.calendar import Calendar
from amanah.core.models import Agency, Role, Service, Unit
from amanah.surveys import rules as skm_rules

from . import rules
from .models import AgencyTotal, ComplaintFact, IndicatorTarget, Rollup

LEADERSHIP_ROLES = (Role.LEADERSHIP, Role.COMPLAINT_MANAGER, Role.AUDITOR, Role.INSPECTORATE)
TARGET_ROLES = (Role.LEADERSHIP,)


def min_cases() -> int:
    return int(getattr(settings, "TRANSPARENCY_MIN_CASES", rules.MIN_CASES))


def today(agency: Agency | None = None) -> dt.date:
    """Today in ``agency``'s time zone (WIB, WITA or WIT), as the complaint desk counts its deadlines
    (``Complaint.is_overdue``); the server's zone (``TIME_ZONE``) without an agency (the national
    page's default period). The national figures that depend on today count each agency by its own
    date (:func:`agency_days`)."""
    return Calendar(agency).local_date() if agency is not None else timezone.localdate()


def agency_days(agencies=None) -> list[tuple[dt.date, list[int] | None, list[int]]]:
    """Today of every agency, grouped by date: ``[(day, ids, other_ids)]``, one entry per date that
    some agency has now (one most of the day; two or three in the hours when WIB, WITA and WIT are on
    different dates). The largest group is given as ``ids=None`` with the ids of the other groups in
    ``other_ids``, so that it also takes rows of agencies not in the table any more. ``agencies``: every
    agency, when the caller has read them already (:func:`scope_agencies`)."""
    now = timezone.now()
    by_zone: dict[str, list[int]] = defaultdict(list)
    pairs = (
        [(a.pk, a.time_zone) for a in agencies]
        if agencies is not None
        else Agency.objects.values_list("pk", "time_zone")
    )
    for pk, zone in pairs:
        by_zone[zone].append(pk)
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for zone, ids in by_zone.items():
        # as Calendar(agency).local_date(): the agency's zone, the server's when it has none
        tz = zoneinfo.ZoneInfo(zone or settings.TIME_ZONE)
        by_day[timezone.localtime(now, tz).date()].extend(ids)
    if not by_day:
        return [(timezone.localdate(), None, [])]
    main = max(by_day, key=lambda d: (len(by_day[d]), d == timezone.localdate(), d))
    others = [i for d, ids in by_day.items() if d != main for i in ids]
    return [(main, None, others)] + [(d, ids, []) for d, ids in sorted(by_day.items()) if d != main]


# --- Scope -------------------------------------------------------------------------------------------


class ScopeError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


@dataclass
class Scope:
    kind: str  # "n", "a" or "u"
    id: int = 0
    agency: Agency | None = None
    unit: Unit | None = None
    path: list = field(default_factory=list)  # the units from the agency's top down to this unit
    # The latest SKM result of every unit of the scope (:func:`scope_latest_ikm`), read once however many
    # tables of a page show it.
    latest_ikm_memo: dict | None = field(default=None, repr=False, compare=False)
    # What one request read of the rollups for this scope (:func:`scope_sums`, :func:`scope_agencies`,
    # :func:`scope_agency_totals`): the summary, the breakdowns, the ratings and the table of a page
    # share one read instead of each summing the same rows again.
    reads: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def name(self) -> str:
        if self.unit is not None:
            return self.unit.name
        if self.agency is not None:
            return self.agency.name
        return _("Seluruh Indonesia")

    def as_dict(self) -> dict:
        return {
            "level": {"n": "nasional", "a": "instansi", "u": "unit"}[self.kind],
            "agency": self.agency.code if self.agency else None,
            "unit": self.unit.code if self.unit else None,
            "name": self.name,
        }


def _clean_ref(ref) -> str | None:
    """A code or id as typed; None when it holds characters no code has (e.g. NUL)."""
    ref = str(ref).strip()
    return ref if ref.isprintable() else None


def _by_ref(model, ref):
    ref = str(ref).strip()
    qs = model.objects.all()
    if ref.isdecimal():
        return qs.filter(Q(pk=int(ref)) | Q(code=ref)).first()
    return qs.filter(code=ref).first()


def resolve_scope(agency_ref: str | None = None, unit_ref: str | None = None) -> Scope:
    """The scope named by an agency and/or unit reference (code or id). Raises :class:`ScopeError`."""
    agency = unit = None
    if agency_ref not in (None, ""):
        if len(str(agency_ref)) > 60 or _clean_ref(agency_ref) is None:
            raise ScopeError(
                400,
                "invalid_agency",
                _("Kode instansi terlalu panjang atau memuat karakter yang tidak sah."),
                "agency",
            )
        # A deactivated agency or unit keeps its dashboard: its history (and cases still open) stay
        # public, and the tables above it list it while it has figures (:func:`children`).
        agency = _by_ref(Agency, agency_ref)
        if agency is None:
            raise ScopeError(404, "unknown_agency", _("Instansi tidak dikenal."), "agency")
    if unit_ref not in (None, ""):
        if len(str(unit_ref)) > 80 or _clean_ref(unit_ref) is None:
            raise ScopeError(
                400,
                "invalid_unit",
                _("Kode unit terlalu panjang atau memuat karakter yang tidak sah."),
                "unit",
            )
        unit = _by_ref(Unit, unit_ref)
        if unit is None:
            raise ScopeError(404, "unknown_unit", _("Unit kerja tidak dikenal."), "unit")
        if agency is not None and unit.agency_id != agency.pk:
            raise ScopeError(
                400,
                "unit_not_in_agency",
                _("Unit kerja itu bukan bagian dari instansi tersebut."),
                "unit",
            )
        if agency is None:
            agency = unit.agency
        else:
            unit.agency = agency  # the same row, read once
        return Scope("u", unit.pk, agency, unit, list(reversed([unit, *unit.ancestors()])))
    if agency is not None:
        return Scope("a", agency.pk, agency)
    return Scope("n", 0)


def parse_period(
    start: str | None, end: str | None, agency: Agency | None = None
) -> tuple[dt.date, dt.date]:
    """The period asked for; a missing end is today in ``agency``'s time zone (the scope's agency, so
    an agency's default period holds what it received today by its own clock), the server's without."""
    return rules.parse_period(start, end, today(agency))


# --- Reading rollups -----------------------------------------------------------------------------------


def _range_parts(start: dt.date, end: dt.date) -> list[Q]:
    days, months = rules.split_range(start, end)
    # Whole months are consecutive: one range (one index descent per scope), not a list of days.
    parts = [Q(grain="m", day__gte=months[0], day__lte=months[-1])] if months else []
    parts += [Q(grain="d", day__gte=a, day__lte=b) for a, b in days]
    return parts


def _range_q(start: dt.date, end: dt.date) -> Q | None:
    parts = _range_parts(start, end)
    if not parts:
        return None
    q = parts[0]
    for p in parts[1:]:
        q |= p
    return q


def _any(conditions: list[Q]) -> Q | None:
    """The conditions joined with OR; None when there are none."""
    q = None
    for c in conditions:
        q = c if q is None else q | c
    return q


def _arms(measures: dict[str, tuple[str, ...]], parts: list[Q], **more) -> list[Q]:
    """One condition per measure and stretch of a period (whole months, edge days), each naming the
    columns of the rollup key (and ``more``), so that each is one index range."""
    return [
        part & Q(measure=m, dim__in=list(dims), **more)
        for m, dims in measures.items()
        for part in parts
    ]


def read(
    scope: str,
    scope_ids,
    start: dt.date,
    end: dt.date,
    measures: dict[str, tuple[str, ...]],
    day: dt.date | None = None,
) -> dict[int, tuple[dict, int, int, int]]:
    """``{scope_id: (sums, missed, open now, overdue now)}`` of the scopes that have rows, in one query:
    ``sums`` is ``{(measure, dim, value): total}`` of the period for ``measures`` (a measure mapped to
    the dims wanted); with ``day`` (today by the agency's clock) also the complaints whose response
    deadline fell in the period before ``day`` still without an answer, and the open complaints now and
    those among them past the due date of their stage (counted on that date, so the ones counted before
    ``day`` are overdue); without ``day`` those three are 0.

    The query is a UNION ALL of one index range per measure and stretch of each range (:func:`_arms`),
    each naming the scope and the leading columns of the rollup key, summed by the database per figure:
    it reads only the rows it returns. (An OR of the same conditions shares the scope between them, and
    PostgreSQL then also scanned the scope's whole index range, every service's rows of it nationally,
    to AND it in.)"""
    ids = [scope_ids] if isinstance(scope_ids, int) else list(scope_ids)
    pieces = [(0, arm) for arm in _arms(measures, _range_parts(start, end))]
    if day is not None:
        last = min(end, day - dt.timedelta(days=1))
        parts = _range_parts(start, last) if start <= last else []
        pieces += [(1, arm) for arm in _arms({"deadline": ("state",)}, parts, value=rules.PENDING)]
        # open cases are counted on the due date of their stage: every month is open now, the months
        # before this one and this month's days before today are overdue
        first = rules.month_start(day)
        pieces += [
            (2, Q(measure="open", dim="", grain="m")),
            (3, Q(measure="open", dim="", grain="m", day__lt=first)),
            (3, Q(measure="open", dim="", grain="d", day__gte=first, day__lt=day)),
        ]
    found: dict[int, tuple[dict, list[int]]] = {}
    # each piece names the ids again: a very large list of units is read in several queries, so
    # that no query holds more parameters than the databases take (SQLite 32 766)
    per_query = max(1, READ_PARAMETERS // max(1, len(pieces)))
    for n in range(0, len(ids) if pieces else 0, per_query):
        chunk = ids[n : n + per_query]
        selects, params = [], []
        for i, (figure, condition) in enumerate(pieces):
            qs = (
                Rollup.objects.filter(condition, scope=scope, scope_id__in=chunk)
                .values_list("scope_id", "measure", "dim", "value", "count")
                .order_by()
            )
            sql, p = qs.query.sql_with_params()
            selects.append(f"SELECT {figure} AS f, q{i}.* FROM ({sql}) q{i}")
            params.extend(p)
        query = (
            'SELECT r.f, r.scope_id, r.measure, r.dim, r.value, SUM(r."count") FROM '
            f"({' UNION ALL '.join(selects)}) r GROUP BY r.f, r.scope_id, r.measure, r.dim, r.value"
        )
        with connection.cursor() as cur:
            cur.execute(query, params)
            rows = cur.fetchall()
        for figure, sid, measure, dim, value, total in rows:
            data, now = found.setdefault(sid, ({}, [0, 0, 0]))
            if figure == 0:
                data[(measure, dim, value)] = int(total)
            else:
                now[figure - 1] += int(total)
    return {sid: (data, *now) for sid, (data, now) in found.items()}


#: The most parameters one query of :func:`read` holds (the scope ids are named once per index range).
READ_PARAMETERS = 20_000


def sums(
    scope: str,
    scope_ids,
    start: dt.date,
    end: dt.date,
    measures: dict[str, tuple[str, ...]],
    by_scope: bool = False,
) -> dict:
    """``{(measure, dim, value): total}`` (or ``{scope_id: {…}}`` with ``by_scope``, the scopes that have
    rows) for the period, ``measures`` mapping a measure to the dims wanted: one query (:func:`read`)."""
    per = read(scope, scope_ids, start, end, measures)
    if by_scope:
        return {sid: data for sid, (data, *_rest) in per.items() if data}
    out: dict = defaultdict(int)
    for data, *_rest in per.values():
        for key, total in data.items():
            out[key] += total
    return out


def _histogram(data: dict, measure: str, dim: str) -> dict[int, int]:
    return {int(v): c for (m, d, v), c in data.items() if m == measure and d == dim and c}


def _values(data: dict, measure: str, dim: str) -> dict[str, int]:
    return {v: c for (m, d, v), c in data.items() if m == measure and d == dim and c}


def _ikm(data: dict) -> dict:
    """The IKM of the pooled answers, each period's answers with that period's weight, exactly as the
    surveys app computes one period's result (PermenPANRB 14/2017; surveys.rules, the one source of the
    formula, the categories and the display)."""
    n = data.get(("skm", "n", ""), 0)
    total = sum(data.get(("skm", f"u{i}", ""), 0) for i in range(1, 10))
    by_weight = {value: c for (m, d, value), c in data.items() if m == "skm" and d == "weight"}
    value = skm_rules.pooled_ikm(n, total, by_weight)
    cat = skm_rules.category(value) if value is not None else None
    return {
        "ikm": float(skm_rules.display_ikm(value)) if value is not None else None,
        "mutu": cat.mutu if cat else None,
        "kinerja": cat.kinerja if cat else None,
        "respondents": n,
    }


SKM_DIMS = ("n", "weight") + tuple(f"u{i}" for i in range(1, 10))
SUMMARY_MEASURES = {
    "received": ("",),
    "closed": ("", "days"),
    "answered": ("", "days"),
    "deadline": ("state",),
    "rating": ("value",),
    "skm": SKM_DIMS,
}


def figures(data: dict, missed: int, open_now: int, overdue_now: int) -> dict:
    """The headline figures of one scope from its period sums."""
    on_time = data.get(("deadline", "state", rules.ON_TIME), 0)
    late = data.get(("deadline", "state", rules.LATE), 0)
    closed = _histogram(data, "closed", "days")
    answered = _histogram(data, "answered", "days")
    ratings = _histogram(data, "rating", "value")
    ikm = _ikm(data)
    return {
        "complaints_received": data.get(("received", "", ""), 0),
        "complaints_closed": data.get(("closed", "", ""), 0),
        "answered_on_time": on_time,
        "answered_late": late,
        "not_answered_past_deadline": missed,
        "deadline_cases": on_time + late + missed,
        "answered_within_deadline_pct": rules.deadline_share(on_time, late, missed),
        "complaints_answered": data.get(("answered", "", ""), 0),
        "median_days_to_first_response": rules.median_from_histogram(answered),
        "median_days_to_closure": rules.median_from_histogram(closed),
        "open": open_now,
        "overdue": overdue_now,
        "ratings": sum(ratings.values()),
        "mean_rating": rules.mean_from_histogram(ratings),
        "ikm": ikm["ikm"],
        "ikm_mutu": ikm["mutu"],
        "ikm_respondents": ikm["respondents"],
    }


def agency_totals(start: dt.date, end: dt.date, agencies=None) -> dict[int, tuple]:
    """``{agency_id: (sums, missed, open now, overdue now)}`` for every agency with figures, from
    :class:`AgencyTotal` (the same numbers as :func:`sums`, :func:`_missed` and :func:`open_counts` give
    for scope ``a``), the missed deadlines and overdue cases by each agency's own date, as its own page
    counts them: two queries per date the agencies have now (:func:`agency_days`), each one range of
    the table summed by the database."""
    out: dict[int, tuple] = {}
    for day, ids, other_ids in agency_days(agencies):
        if ids is not None:
            rows = AgencyTotal.objects.filter(agency_id__in=ids)
        elif other_ids:
            rows = AgencyTotal.objects.exclude(agency_id__in=other_ids)
        else:
            rows = AgencyTotal.objects.all()
        _agency_totals_on(rows, start, end, day, out)
    return out


def _agency_totals_on(base, start: dt.date, end: dt.date, day: dt.date, out: dict) -> None:
    """:func:`agency_totals` of the agencies of ``base`` (rows of :class:`AgencyTotal`) whose today is
    ``day``, added to ``out``."""
    from .rollups import AGENCY_TOTALS

    period = _range_q(start, end)
    last = min(end, day - dt.timedelta(days=1))
    missed = _range_q(start, last) if start <= last else None
    if period is not None:
        # The missed cases have their own range (start .. the day before ``day``), split into months
        # and days on its own as :func:`_missed` does: when the period holds this month whole, the
        # period reads this month's monthly row but the missed cases are in its daily rows up to
        # yesterday. One query reads the rows of both ranges, each sum filtered to its own.
        # (annotations cannot take the names of the columns they sum)
        aggregates = {
            f"t_{column}": Sum(column, filter=period) for column in AGENCY_TOTALS.values()
        }
        aggregates["t_missed"] = Sum("pending", filter=missed) if missed is not None else Value(0)
        rows = period | missed if missed is not None else period
        qs = base.filter(rows).values("agency_id").annotate(**aggregates)
        for row in qs.order_by():
            data = {key: row[f"t_{column}"] or 0 for key, column in AGENCY_TOTALS.items()}
            out[row["agency_id"]] = (data, row["t_missed"] or 0, 0, 0)
    first = rules.month_start(day)
    late = Q(grain="m", day__lt=first) | Q(grain="d", day__gte=first, day__lt=day)
    qs = (
        base.filter(Q(grain="m") | Q(grain="d", day__gte=first, day__lt=day))
        .exclude(open=0)
        .values("agency_id")
        .annotate(t_now=Sum("open", filter=Q(grain="m")), t_late=Sum("open", filter=late))
    )
    for row in qs.order_by():
        data, missed_n, _o, _l = out.get(row["agency_id"], ({}, 0, 0, 0))
        out[row["agency_id"]] = (data, missed_n, row["t_now"] or 0, row["t_late"] or 0)


def national_now(data: dict, totals: dict[int, tuple]) -> tuple[int, int, int]:
    """The national ``(missed, open now, overdue now)``, each case counted by its agency's own date
    as on the agency's page, from the national period sums ``data`` and :func:`agency_totals`.

    Open cases and overdue ones are the agencies' sums (an open case is never a transferred one).
    The missed deadlines are the agencies' sums less the transferred cases among them, which the
    national figures leave out (``rollups.TRANSFERRED``): a transferred case counted as missed was
    transferred after its due date, on or before today in its agency, so each agency counts all of
    its own whose due date is in the period, and the national and agency sums of the period differ by
    exactly those."""
    key = ("deadline", "state", rules.PENDING)
    transferred = sum(d.get(key, 0) for d, *_rest in totals.values()) - data.get(key, 0)
    missed = sum(m for _d, m, _o, _l in totals.values()) - transferred
    open_now = sum(o for *_rest, o, _l in totals.values())
    overdue_now = sum(late for *_rest, late in totals.values())
    return missed, open_now, overdue_now


#: What a dashboard page shows of its own scope: the summary's figures, the breakdowns of the complaints
#: received and the ratings, read together once (:func:`scope_sums`).
BREAKDOWN_DIMS = ("kind", "channel", "status")
PAGE_MEASURES = {**SUMMARY_MEASURES, "received": ("", *BREAKDOWN_DIMS)}


def scope_sums(scope: Scope, start: dt.date, end: dt.date) -> tuple[dict, int, int, int]:
    """``(sums, missed, open now, overdue now)`` of the scope for the period, :data:`PAGE_MEASURES` in one
    query (:func:`read`), read once per :class:`Scope` and period: the summary, the breakdowns, the ratings
    and the row of what no unit holds take their figures from it. "Missed" and "overdue now" count with
    the agency's local date; nationally they are 0 here (:func:`summary` adds the agencies' own,
    :func:`national_now`)."""
    day = today(scope.agency) if scope.kind != "n" else None
    key = ("sums", start, end, day)
    if key not in scope.reads:
        got = read(scope.kind, scope.id, start, end, PAGE_MEASURES, day)
        scope.reads[key] = got.get(scope.id, ({}, 0, 0, 0))
    return scope.reads[key]


def scope_agencies(scope: Scope) -> list[Agency]:
    """Every agency by name, read once per :class:`Scope` (the national table, the agencies' dates and the
    national whistleblowing figures use them)."""
    if "agencies" not in scope.reads:
        scope.reads["agencies"] = list(Agency.objects.order_by("name"))
    return scope.reads["agencies"]


def scope_agency_totals(scope: Scope, start: dt.date, end: dt.date) -> dict[int, tuple]:
    """:func:`agency_totals`, read once per :class:`Scope` and period (the national summary and the
    national table both need it)."""
    key = ("agency_totals", start, end)
    if key not in scope.reads:
        scope.reads[key] = agency_totals(start, end, scope_agencies(scope))
    return scope.reads[key]


def summary(scope: Scope, start: dt.date, end: dt.date) -> dict:
    """The figures of ``GET /api/v1/transparency/summary``. "Missed" and "overdue now" count with the
    agency's local date (an agency or unit scope), nationally with each agency's own
    (:func:`national_now`), so the national figures are the sums of the agencies' rows."""
    own = scope_sums(scope, start, end)
    if scope.kind == "n":
        return figures(own[0], *national_now(own[0], scope_agency_totals(scope, start, end)))
    return figures(*own)


# --- Breakdowns ----------------------------------------------------------------------------------------


def _labels(dim: str) -> dict[str, str]:
    try:
        from amanah.complaints import models as cm
    except ImportError:  # pragma: no cover
        return {}
    choices = {"kind": cm.Kind, "channel": cm.Channel, "status": cm.Status}.get(dim)
    return {c.value: str(c.label) for c in choices} if choices else {}


def breakdown(scope: Scope, start: dt.date, end: dt.date, dim: str) -> list[dict]:
    """Complaints received in the period by kind, channel or (current) status, every category listed."""
    if dim in BREAKDOWN_DIMS:
        data = _values(scope_sums(scope, start, end)[0], "received", dim)
    else:
        data = _values(
            sums(scope.kind, scope.id, start, end, {"received": (dim,)}), "received", dim
        )
    labels = _labels(dim)
    total = sum(data.values())
    keys = list(labels) + sorted(k for k in data if k not in labels)
    return [
        {
            "dimension": dim,
            "value": k,
            "label": labels.get(k, k),
            "count": data.get(k, 0),
            "share_pct": rules.pct(data.get(k, 0), total),
        }
        for k in keys
    ]


def _buckets(start: dt.date, end: dt.date) -> list[tuple[str, dt.date]]:
    """The rollup rows (grain, day) that cover the period: whole months and the single days at its edges."""
    days, months = rules.split_range(start, end)
    out = [("m", m) for m in months]
    for a, b in days:
        d = a
        while d <= b:
            out.append(("d", d))
            d += dt.timedelta(days=1)
    return out


def top_values(
    scope: str, scope_id: int, measure: str, dim: str, start: dt.date, end: dt.date, limit: int
) -> list[tuple[str, int]]:
    """The ``limit`` values of ``measure``/``dim`` with the most counts in the period, exactly, as
    ``[(value, total)]`` by total (descending) then value (as a number).

    Reading every value's rows would cost as much as there are values with cases (tens of thousands of
    services nationally), so this reads each day's or month's values from the largest count down, ``depth``
    at a time (the threshold algorithm): a value not seen yet has at most the sum of the smallest counts
    read (``threshold``); values seen get their exact totals; it stops when the last of the top values has
    more than the threshold, reading deeper otherwise."""
    buckets = _buckets(start, end)
    if not buckets or limit < 1:
        return []
    base = Rollup.objects.filter(
        scope=scope, scope_id=scope_id, measure=measure, dim=dim, count__gt=0
    )
    period = _range_q(start, end)
    if scope != "n":
        # An agency or unit has at most a few hundred values: summing them all is one index range
        # and cheaper than reading them count-first in rounds.
        totals = base.filter(period).values_list("value").annotate(t=Sum("count")).order_by()
        return sorted(totals, key=lambda kv: (-kv[1], _as_number(kv[0])))[:limit]
    depth = max(limit, 1)
    for _round in range(20):  # bounded: the depth grows fourfold each round
        parts, params = [], []
        for i, (grain, day) in enumerate(buckets):
            qs = base.filter(grain=grain, day=day).order_by("-count").values_list("value", "count")
            sql, p = qs[:depth].query.sql_with_params()
            parts.append(f"SELECT {i} AS b, t.* FROM ({sql}) t")
            params.extend(p)
        with connection.cursor() as cur:
            cur.execute(" UNION ALL ".join(parts), params)
            read = cur.fetchall()
        per_bucket: dict[int, list] = defaultdict(list)
        for b, value, count in read:
            per_bucket[b].append((value, count))
        # the most an unseen value can have in each bucket (0 when the bucket was read to its end)
        bound = {
            b: (per_bucket[b][-1][1] if len(per_bucket[b]) == depth else 0)
            for b in range(len(buckets))
        }
        threshold = sum(bound.values())
        lower: dict[str, int] = defaultdict(int)
        seen_in: dict[str, set] = defaultdict(set)
        for b, rows in per_bucket.items():
            for value, count in rows:
                lower[value] += count
                seen_in[value].add(b)
        upper = {v: lower[v] + threshold - sum(bound[b] for b in seen_in[v]) for v in lower}
        if threshold and (
            len(upper) < limit or sorted(upper.values(), reverse=True)[limit - 1] <= threshold
        ):
            depth *= 4  # the tenth total cannot beat the threshold yet: read deeper first
            continue
        kth = sorted(lower.values(), reverse=True)[limit - 1] if len(lower) >= limit else 0
        candidates = [v for v in lower if upper[v] >= kth]
        exact = dict(
            base.filter(period, value__in=candidates)
            .values_list("value")
            .annotate(t=Sum("count"))
            .order_by()
        )
        top = sorted(exact.items(), key=lambda kv: (-kv[1], _as_number(kv[0])))[:limit]
        if threshold == 0 or (len(top) == limit and top[-1][1] > threshold):
            return top
        depth *= 4
    raise RuntimeError("top_values did not converge")  # pragma: no cover - 4**20 rows per bucket


def _as_number(value: str):
    return (0, int(value), "") if value.lstrip("-").isdecimal() else (1, 0, value)


def top_services(scope: Scope, start: dt.date, end: dt.date, limit: int = 10) -> list[dict]:
    """The services with the most complaints received in the period (any level, the whole country too)."""
    top = top_values(scope.kind, scope.id, "received", "service", start, end, limit)
    names = {
        s.pk: s
        for s in Service.objects.filter(pk__in=[int(k) for k, _ in top]).select_related(
            "unit", "unit__agency"
        )
    }
    out = []
    for k, count in top:
        s = names.get(int(k))
        out.append(
            {
                "service_id": int(k),
                "service": s.name if s else k,
                "agency": s.unit.agency.name if s else "",
                "agency_code": s.unit.agency.code if s else "",
                "unit": s.unit.name if s else "",
                "unit_code": s.unit.code if s else "",
                "count": count,
            }
        )
    return out


def ratings(scope: Scope, start: dt.date, end: dt.date) -> list[dict]:
    hist = _histogram(scope_sums(scope, start, end)[0], "rating", "value")
    total = sum(hist.values())
    return [
        {"rating": r, "count": hist.get(r, 0), "share_pct": rules.pct(hist.get(r, 0), total)}
        for r in range(1, 6)
    ]


def monthly(scope: Scope, start: dt.date, end: dt.date) -> list[dict]:
    """Complaints received and closed per month of the period (partial months at the edges)."""
    q = _range_q(start, end)
    per: dict[dt.date, dict] = {}
    m = rules.month_start(start)
    while m <= end:
        per[m] = {"month": m.strftime("%Y-%m"), "received": 0, "closed": 0}
        m = rules.next_month(m)
    if q is not None:
        # measure IN (…) rather than an OR of (measure, dim) pairs: every column of the key stays an
        # index condition (the national scope also holds a row per service and day)
        qs = Rollup.objects.filter(
            q, scope=scope.kind, scope_id=scope.id, measure__in=["received", "closed"], dim=""
        )
        for row in qs.values("measure", "grain", "day").annotate(t=Sum("count")).order_by():
            per[rules.month_start(row["day"])][row["measure"]] += row["t"]
    return list(per.values())


INTEGRITY_DIMS = ("type", "status", "outcome", "sanction")


def _integrity_labels() -> dict[str, dict[str, str]]:
    try:
        from amanah.integrity import models as im
    except ImportError:  # pragma: no cover
        return {}
    return {
        "type": {c.value: str(c.label) for c in im.ViolationType},
        "status": {c.value: str(c.label) for c in im.Status},
        "outcome": {c.value: str(c.label) for c in im.Outcome},
        "sanction": {c.value: str(c.label) for c in im.SanctionLevel},
    }


def integrity(scope: Scope, start: dt.date, end: dt.date) -> dict:
    """Integrity reports received in one calendar quarter by type, status, outcome and sanction level,
    with small counts hidden. Not available per unit (it could point at the people concerned).

    The figures are for the latest quarter that is over and touches the chosen period
    (``rules.closed_publication_period``, returned as ``period``; None when there is none yet): quarters
    never overlap, so no two answers can be subtracted to learn what came in between. Each agency's
    breakdown is protected on its own (``rules.suppress_group``); the national figures add up the
    agencies that received at least five reports in the quarter, and hide a count whenever it would
    give away an agency's hidden one (``rules.protect_columns``)."""
    if scope.kind == "u":
        return {"available": False, "total": None, "rows": [], "period": None}
    period = rules.closed_publication_period(start, end, today(scope.agency))
    if period is None:
        return {"available": True, "total": None, "total_display": "—", "rows": [], "period": None}
    measures = {"integrity": ("",) + INTEGRITY_DIMS}
    if scope.kind == "a":
        per_agency = {scope.id: sums("a", scope.id, *period, measures)}
    else:
        ids = [a.pk for a in scope_agencies(scope)]
        per_agency = {
            agency: data
            for agency, data in sums("a", ids, *period, measures, by_scope=True).items()
            if not rules.suppressed(data.get(("integrity", "", ""), 0))
        }
    total = sum(data.get(("integrity", "", ""), 0) for data in per_agency.values())
    labels = _integrity_labels()
    rows = []
    for dim in INTEGRITY_DIMS:
        keys = dict.fromkeys(labels.get(dim, {}))
        for data in per_agency.values():
            keys.update(dict.fromkeys(_values(data, "integrity", dim)))
        columns = {
            agency: {k: data.get(("integrity", dim, k), 0) for k in keys}
            for agency, data in per_agency.items()
        }
        by_agency, national = rules.protect_columns(columns)
        shown = by_agency[scope.id] if scope.kind == "a" else national
        for k in keys:
            count = sum(c[k] for c in columns.values())
            rows.append(
                {
                    "period_start": period[0],
                    "period_end": period[1],
                    "dimension": dim,
                    "value": k,
                    "label": labels.get(dim, {}).get(k, k),
                    "count": shown.get(k, count),
                    # A small count and a cell hidden so that it cannot be worked out carry the
                    # same mark, or the difference would tell which hidden cell is the small one.
                    "display": _("disembunyikan") if shown.get(k, count) is None else str(count),
                }
            )
    return {
        "available": True,
        "total": None if rules.suppressed(total) else total,
        "total_display": rules.display_count(total),
        "rows": rows,
        "period": period,
    }


# --- Children (agencies of the country, units of an agency or unit) -----------------------------------


CHILD_MEASURES = {"received": ("",), "closed": ("",), "deadline": ("state",), "skm": SKM_DIMS}


def _has_figures(f: dict) -> bool:
    """Whether a row has anything to show: cases in the period, open cases or SKM answers."""
    keys = ("complaints_received", "complaints_closed", "deadline_cases", "open", "ikm_respondents")
    return any(f[k] for k in keys)


def children(scope: Scope, start: dt.date, end: dt.date, all_units: bool = False) -> dict:
    """One row per agency (national scope) or per unit (agency/unit scope: the units directly below it, or
    every unit of the agency with ``all_units``), with the number of cases beside every rate, ranked by the
    share answered within the deadline among those with at least :func:`min_cases` cases.

    Active agencies and units are always listed; a deactivated one (``active`` false) while it has
    cases in the period, open cases or SKM answers in the period, or (a unit) an active unit below it:
    its cases stay in the figures above it, so its row keeps them in the table, and no unit under it
    drops out of the tree."""
    day = today(scope.agency)
    if scope.kind == "n":
        objs = scope_agencies(scope)
        child_scope, depth, holds_active = "a", {}, set()
    else:
        all_ = list(Unit.objects.filter(agency=scope.agency).order_by("name"))
        depth = _depths(all_)
        holds_active = _holding_active(all_)
        if all_units and scope.kind == "a":
            objs = _tree_order(all_)
        elif scope.kind == "a":
            objs = [u for u in all_ if u.parent_id is None]
        else:
            objs = [u for u in all_ if u.parent_id == scope.id]
        child_scope = "u"
    ids = [o.pk for o in objs]
    own = None  # the scope's own sums, for the row of what no listed unit holds
    if child_scope == "a":
        totals = scope_agency_totals(scope, start, end)
        per = {i: totals.get(i, ({}, 0, 0, 0)) for i in ids}
    else:
        # a unit scope's own sums come with its sub-units' (the same rollup scope, one query); an
        # agency's are the page's own (:func:`scope_sums`, read once for the summary too)
        wanted = ids + [scope.id] if scope.kind == "u" and scope.id not in ids else ids
        got = read(child_scope, wanted, start, end, CHILD_MEASURES, day)
        per = {i: got.get(i, ({}, 0, 0, 0)) for i in wanted}
        if scope.kind == "u":
            own = per[scope.id]
        else:
            data, *now = scope_sums(scope, start, end)
            own = (
                {k: c for k, c in data.items() if k[1] in CHILD_MEASURES.get(k[0], ())},
                *now,
            )
    shown = {o.pk: figures(*per[o.pk]) for o in objs}
    kept = {o.pk for o in objs if o.is_active or o.pk in holds_active or _has_figures(shown[o.pk])}
    if child_scope == "u" and all_units:
        # the tree keeps the units above every unit it lists (they hold its cases)
        parent = {u.pk: u.parent_id for u in all_}
        for pk in list(kept):
            cur = parent.get(pk)
            while cur and cur not in kept:
                kept.add(cur)
                cur = parent.get(cur)
    objs = [o for o in objs if o.pk in kept]
    latest = scope_latest_ikm(scope) if child_scope == "u" else {}
    rows = []
    for o in objs:
        f = shown[o.pk]
        row = {
            "id": o.pk,
            "code": o.code,
            "name": o.name,
            "active": o.is_active,
            "depth": depth.get(o.pk, 0),
            **_row_figures(f),
        }
        if child_scope == "u":
            li = latest.get(o.pk)
            row.update(
                {
                    "latest_ikm": li["ikm"] if li else None,
                    "latest_mutu": li["mutu"] if li else None,
                    "ikm_trend": li["trend"] if li else None,
                }
            )
        rows.append(row)
    ranked, not_ranked = rules.rank(
        rows, "answered_within_deadline_pct", "deadline_cases", min_cases()
    )
    ordered = rows if all_units else ranked + not_ranked
    if own is not None:
        parents = {u.pk: u.parent_id for u in all_} if all_units and scope.kind == "a" else {}
        ordered = _with_remainders(scope, ordered, per, own, parents)
    return {
        "level": "instansi" if child_scope == "a" else "unit",
        "rows": ordered,
        "ranked": len(ranked),
        "min_cases": min_cases(),
    }


def _row_figures(f: dict) -> dict:
    """The figures a row of the agency or unit table shows, from :func:`figures`."""
    return {
        "received": f["complaints_received"],
        "closed": f["complaints_closed"],
        "answered_on_time": f["answered_on_time"],
        "deadline_cases": f["deadline_cases"],
        "answered_within_deadline_pct": f["answered_within_deadline_pct"],
        "open": f["open"],
        "overdue": f["overdue"],
        "ikm": f["ikm"],
        "ikm_respondents": f["ikm_respondents"],
    }


def _less(total: tuple, parts: list[tuple]) -> tuple:
    """``total`` less ``parts``, each ``(sums, missed, open now, overdue now)`` as :func:`figures` takes
    them: every figure of a row is a count, so what no part holds is the difference."""
    data = defaultdict(int, total[0])
    for part in parts:
        for key, count in part[0].items():
            data[key] -= count
    return (
        {k: c for k, c in data.items() if c},
        *(total[i] - sum(p[i] for p in parts) for i in (1, 2, 3)),
    )


def _remainder_row(name: str, remainder: tuple, depth: int) -> dict | None:
    """A row of the unit table for the complaints (and SKM answers) of its scope that no listed unit
    holds: no id, no code, not ranked, no latest SKM result; None when it holds nothing."""
    f = figures(*remainder)
    if not _has_figures(f):
        return None
    return {
        "id": None,
        "code": None,
        "name": name,
        "active": None,
        "depth": depth,
        **_row_figures(f),
        "rank": None,
        "latest_ikm": None,
        "latest_mutu": None,
        "ikm_trend": None,
    }


def own_name(unit_name: str) -> str:
    """The name of the row of a unit's own complaints, beside its sub-units' rows."""
    return _("%(unit)s (langsung, bukan sub-unit)") % {"unit": unit_name}


def _with_remainders(
    scope: Scope,
    rows: list[dict],
    per: dict[int, tuple],
    own: tuple,
    parents: dict[int, int | None],
) -> list[dict]:
    """The unit table's rows with a row for what none of them holds, so that the rows add up to the
    scope's summary: an agency's complaints that no unit was given (not forwarded, or closed before),
    or a unit's own complaints beside its sub-units'. In the agency's tree (``parents``, every unit's
    parent, given when the rows are every unit of the agency) each unit
    with sub-units also gets a row of its own complaints first among them, so that every unit's figures
    are the sum of the rows just below it."""
    if scope.kind == "u":
        top = [r["id"] for r in rows]
        name = own_name(scope.unit.name)
    else:
        top = [r["id"] for r in rows if r["depth"] == 0]
        name = _("Belum atau tidak diteruskan ke unit")
    out = []
    if parents:
        below = defaultdict(list)
        for uid, parent in parents.items():
            if parent in per:
                below[parent].append(uid)
        for r in rows:
            out.append(r)
            if below.get(r["id"]):
                extra = _remainder_row(
                    own_name(r["name"]),
                    _less(per[r["id"]], [per[c] for c in below[r["id"]]]),
                    r["depth"] + 1,
                )
                if extra is not None:
                    out.append(extra)
    else:
        out = list(rows)
    # beside the rows it completes: a unit's sub-units are one step below the unit
    depth = len(scope.path) if scope.kind == "u" else 0
    extra = _remainder_row(name, _less(own, [per[i] for i in top]), depth)
    if extra is not None:
        out.append(extra)
    return out


def _holding_active(units: list[Unit]) -> set[int]:
    """The units with an active unit somewhere below them."""
    parent = {u.pk: u.parent_id for u in units}
    out: set[int] = set()
    for u in units:
        if not u.is_active:
            continue
        cur = parent[u.pk]
        while cur and cur in parent and cur not in out:  # the units above are marked already
            out.add(cur)
            cur = parent[cur]
    return out


def _depths(units: list[Unit]) -> dict[int, int]:
    parent = {u.pk: u.parent_id for u in units}
    out = {}
    for uid in parent:
        d, cur, seen = 0, parent[uid], set()
        while cur and cur in parent and cur not in seen:
            seen.add(cur)
            d += 1
            cur = parent[cur]
        out[uid] = d
    return out


def _tree_order(units: list[Unit]) -> list[Unit]:
    kids = defaultdict(list)
    ids = {u.pk for u in units}
    for u in units:
        kids[u.parent_id if u.parent_id in ids else None].append(u)
    out = []

    def walk(parent):
        for u in sorted(kids.get(parent, []), key=lambda u: u.name):
            out.append(u)
            walk(u.pk)

    walk(None)
    return out


def latest_ikm(unit_ids: list[int]) -> dict[int, dict]:
    """The latest published SKM result per unit (from the surveys app), with its trend."""
    try:
        from amanah.surveys.selectors import latest_ikm_by_unit
    except ImportError:  # pragma: no cover
        return {}
    out = {}
    for uid, entry in latest_ikm_by_unit(unit_ids).items():
        ikm, prev = entry.get("ikm"), entry.get("previous_ikm")
        out[uid] = {**entry, "trend": rules.trend(prev, ikm)}
    return out


def _scope_unit_ids(scope: Scope) -> list[int]:
    """Every unit of an agency scope, or a unit scope's unit and every unit below it."""
    if scope.kind == "a":
        return list(Unit.objects.filter(agency=scope.agency).values_list("pk", flat=True))
    return sorted(scope.unit.descendant_ids())


def scope_latest_ikm(scope: Scope) -> dict[int, dict]:
    """:func:`latest_ikm` of every unit of an agency or unit scope, read once per :class:`Scope` (the
    dashboard's table of units and its SKM table both show it)."""
    if scope.latest_ikm_memo is None:
        scope.latest_ikm_memo = latest_ikm(_scope_unit_ids(scope))
    return scope.latest_ikm_memo


def ikm_units(scope: Scope) -> list[dict]:
    """Latest IKM of every unit of the scope (agency or unit subtree) that has a published SKM."""
    if scope.kind == "n":
        return []
    latest = scope_latest_ikm(scope)
    units = list(Unit.objects.filter(pk__in=list(latest)).values_list("pk", "name", "code"))
    names = {pk: name for pk, name, _code in units}
    codes = {pk: code for pk, _name, code in units}
    rows = []
    for uid, e in latest.items():
        rows.append(
            {
                "unit_id": uid,
                "unit_code": codes.get(uid),
                "unit": names.get(uid, ""),
                "ikm": e.get("ikm"),
                "mutu": e.get("mutu"),
                "kinerja": e.get("kinerja"),
                "respondents": e.get("respondents"),
                "period_end": e["end"].isoformat() if e.get("end") else None,
                "previous_ikm": e.get("previous_ikm"),
                "trend": e.get("trend"),
                # last, after the fields the open data had first: the period whose published
                # results the IKM is (the dashboard links the figure to them)
                "period_id": e.get("period"),
            }
        )
    rows.sort(key=lambda r: r["unit"])
    return rows


# --- Indicators -----------------------------------------------------------------------------------------


def indicators(agency: Agency, start: dt.date, end: dt.date) -> list[dict]:
    """Each indicator of success with its definition, source, the agency's target for the period's last
    year (or the default) and the value computed from Amanah's data."""
    scope = Scope("a", agency.pk, agency)
    s = summary(scope, start, end)
    # Whistleblowing figures for the latest closed quarter of the period, from the dashboard's own
    # (suppressed) breakdowns.
    wbs = rules.closed_publication_period(start, end, today(agency))
    integ = sums("a", agency.pk, *wbs, {"integrity": ("", "status", "outcome")}) if wbs else {}
    total = integ.get(("integrity", "", ""), 0)
    shown_cells = {
        (r["dimension"], r["value"]): r["count"] for r in integrity(scope, start, end)["rows"]
    }
    wbs_parts = {
        "integritas_selesai": ("status", ("selesai", "dirujuk", "ditutup")),
        "integritas_terbukti": ("outcome", ("terbukti", "sebagian")),
    }
    # An indicator adding up cells of a breakdown is withheld when one of those cells is hidden on the
    # dashboard: its value (or share × number of reports) would be the sum of hidden cells, and beside
    # the published ones it would give them away (docs/transparency.md).
    wbs_hidden = {
        code: any(shown_cells.get((dim, v), 0) is None for v in cells)
        for code, (dim, cells) in wbs_parts.items()
    }
    finished = sum(
        integ.get(("integrity", "status", v), 0) for v in wbs_parts["integritas_selesai"][1]
    )
    proven = sum(
        integ.get(("integrity", "outcome", v), 0) for v in wbs_parts["integritas_terbukti"][1]
    )
    values = {
        "tepat_waktu": (s["answered_within_deadline_pct"], s["deadline_cases"]),
        "median_tanggapan": (s["median_days_to_first_response"], s["complaints_answered"]),
        "ikm": (s["ikm"], s["ikm_respondents"]),
        "penilaian_jawaban": (s["mean_rating"], s["ratings"]),
        "integritas_selesai": (rules.pct(finished, total), total),
        "integritas_terbukti": (proven, total),
        "diselesaikan": (
            rules.pct(s["complaints_closed"], s["complaints_received"]),
            s["complaints_received"],
        ),
        "terlambat": (s["overdue"], s["open"]),
    }
    targets = {t.code: t for t in IndicatorTarget.objects.filter(agency=agency, year=end.year)}
    out = []
    for ind in rules.INDICATORS:
        value, n = values[ind.code]
        t = targets.get(ind.code)
        target = float(t.target) if t else ind.default_target
        shown = value
        wbs_figure = ind.code.startswith("integritas_")
        hidden = wbs_hidden.get(ind.code, False)
        if ind.code == "integritas_terbukti" and value is not None and rules.suppressed(value):
            shown = None
        if wbs_figure and rules.suppressed(n):
            # A share of one to four reports, or their number, could point at the people concerned.
            shown, n_shown = None, None
        else:
            n_shown = n
            if hidden:
                shown = None
        if ind.code == "integritas_terbukti":
            value_display = rules.display_count(value)
        else:
            value_display = shown
        if hidden and n_shown is not None:
            value_display = _("disembunyikan")
        out.append(
            {
                "code": ind.code,
                "challenge": _(ind.challenge),
                "solution": _(ind.solution),
                "name": _(ind.name),
                "definition": _(ind.definition),
                "source": _(ind.source),
                "unit": _(ind.unit),
                "higher_is_better": ind.higher_is_better,
                "target": target,
                "target_set_by_agency": t is not None,
                "target_note": t.note if t else "",
                "year": end.year,
                "value": shown,
                "value_display": value_display,
                # Withheld because a cell it adds up is hidden on the dashboard (not for a small total).
                "hidden": hidden and n_shown is not None,
                "cases": n_shown,
                "cases_display": rules.display_count(n) if wbs_figure else n,
                "achieved": rules.achieved(shown, target, ind.higher_is_better),
            }
        )
    return out


# --- Leadership -------------------------------------------------------------------------------------------


def leadership_agencies(user):
    """The agencies whose leadership page the user may open: those where one of the leadership roles
    is held agency-wide (``permissions.agency_scope`` is None there), as the page is about the agency
    as a whole (:func:`overdue_cases`). A role held only in a unit does not list its agency."""
    pairs = permissions.scopes(user, LEADERSHIP_ROLES)
    qs = Agency.objects.filter(is_active=True).order_by("name")
    if (None, None) in pairs:  # the platform admin
        return qs
    return qs.filter(pk__in={agency for agency, unit in pairs if unit is None})


def overdue_facts(user, agency: Agency):
    """The open complaints of the agency past the due date of their stage, oldest due first, as
    ``(complaint_id, due)`` pairs of the reporting facts (a page of them goes to :func:`overdue_rows`)."""
    permissions.require(user, LEADERSHIP_ROLES, agency=agency)
    return (
        ComplaintFact.objects.filter(agency_id=agency.pk, is_open=True, due__lt=today(agency))
        .order_by("due", "complaint_id")
        .values_list("complaint_id", "due")
    )


def overdue_rows(agency: Agency, facts) -> list[dict]:
    """The rows of :func:`overdue_facts` (a page of them), with the complaints' titles and links. A case
    is named by its number (``AMN-<n>``), never by its tracking code: the code is the complainant's key
    (whoever holds it may reply, confirm or dispute in their name), and this list is read in meetings."""
    facts = list(facts)
    if not facts:
        return []
    from amanah.complaints.models import Complaint
    from amanah.complaints.selectors import case_number

    found = {
        c.pk: c
        for c in Complaint.objects.filter(pk__in=[i for i, _d in facts]).select_related(
            "unit", "service"
        )
    }
    day = today(agency)
    out = []
    for pk, due in facts:
        c = found.get(pk)
        if c is None:
            continue
        out.append(
            {
                "id": c.pk,
                "case_number": case_number(c),
                "title": c.title,
                "status": c.status,
                "status_label": c.get_status_display(),
                "unit": c.unit.name if c.unit else "",
                "service": c.service.name if c.service else "",
                "due": due,
                "days_late": (day - due).days,
                "url": complaint_url(c),
            }
        )
    return out


def overdue_cases(user, agency: Agency, limit: int = 200) -> list:
    """The first ``limit`` of :func:`overdue_facts` as rows (the leadership page's list)."""
    return overdue_rows(agency, overdue_facts(user, agency)[:limit])


def complaint_url(complaint) -> str:
    """The staff page of a case, by its number (an address stays in the browser's history and the
    server's log: never the tracking code)."""
    from django.urls import NoReverseMatch, reverse

    from amanah.complaints.selectors import case_number

    try:
        return reverse("complaints:staff-case", args=[case_number(complaint)])
    except NoReverseMatch:  # pragma: no cover - complaints pages not installed
        return ""
