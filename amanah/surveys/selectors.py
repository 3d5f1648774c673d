"""Reads shared by pages, the API, other apps and the dashboard.

The index of a period is computed by the database in ONE aggregate query (COUNT and nine SUMs over the
period's answers); Python only divides nine totals by the count with exact fractions (rules.compute_ikm).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from fractions import Fraction

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from amanah.core import permissions
from amanah.core.calendar import Calendar
from amanah.core.models import Agency, Unit

from . import rules
from .models import FollowUpPlan, FrozenBreakdowns, PeriodStatus, Response, SurveyPeriod

SUMS = {f"s{i}": Sum(f"u{i}") for i in range(1, 10)}


def _totals(row: dict) -> list[int]:
    return [int(row.get(f"s{i}") or 0) for i in range(1, 10)]


def compute(period: SurveyPeriod, **filters) -> rules.IkmResult:
    """The exact IKM of a period (optionally of a subset of its answers): one aggregate query."""
    row = Response.objects.filter(period=period, **filters).aggregate(n=Count("id"), **SUMS)
    return rules.compute_ikm(_totals(row), row["n"] or 0, period.weight_value)


def _num(value: Fraction | None, places: int) -> float | None:
    return None if value is None else float(rules.to_decimal(value, places))


def serialise(result: rules.IkmResult, period: SurveyPeriod | None = None) -> dict:
    """An :class:`rules.IkmResult` as the JSON of ``GET …/results`` (numbers rounded only here)."""
    cat = result.category
    out = {
        "respondents": result.respondents,
        "unsur": [
            {
                "code": s.code,
                "name": rules.BY_CODE[s.code].name,
                "total": s.total,
                "nrr": _num(s.nrr, 3),
                "nrr_weighted": _num(s.nrr_weighted, 3),
            }
            for s in result.elements
        ],
        "ikm_unit": float(rules.display_ikm_unit(result.ikm_unit))
        if result.ikm_unit is not None
        else None,
        "ikm": float(result.ikm_display) if result.ikm is not None else None,
        "mutu": cat.mutu if cat else None,
        "kinerja": cat.kinerja if cat else None,
        "weight": str(rules.weight_shown(result.weight)),  # "1/9" or "0.111"
        "lowest": [s.code for s in rules.lowest_elements(result)],
    }
    if period is not None:
        out["required_sample"] = period.required_sample
        out["sample_adequate"] = result.respondents >= period.required_sample
        out["period"] = {
            "id": period.pk,
            "unit": period.unit.code,
            "service": period.service.code if period.service_id else None,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "population": period.population,
            "status": period.status,
        }
    return out


def results(period: SurveyPeriod) -> dict:
    """Results of a period with the keys of ``GET /api/v1/surveys/periods/{id}/results``: ``respondents``,
    ``unsur`` (code, nrr, nrr_weighted per U1–U9), ``ikm_unit``, ``ikm``, ``mutu``, ``kinerja``,
    ``required_sample``, ``sample_adequate`` (plus ``weight``, ``lowest`` and ``period``)."""
    return serialise(compute(period), period)


def frozen_results(period: SurveyPeriod) -> dict:
    """The snapshot taken when the period was closed/published, else computed now."""
    if period.status != PeriodStatus.OPEN and period.snapshot:
        return period.snapshot
    return results(period)


def min_group() -> int:
    """The fewest respondents a group of a breakdown needs for its IKM to be shown
    (``AMANAH_SKM_MIN_GROUP``, :data:`rules.MIN_GROUP` by default)."""
    return max(1, int(getattr(settings, "SKM_MIN_GROUP", rules.MIN_GROUP)))


#: The row of a breakdown that joins its hidden groups when they hold enough respondents together.
MERGED_LABEL = gettext_noop("Kelompok kecil (digabung)")


def _protected(
    rows: list[tuple[str, dict]], threshold: int, hide: set[str] = frozenset()
) -> tuple[set[str], dict | None]:
    """Which groups of one breakdown to hide (``rows``: ``(key, GROUP BY row)``; every respondent of the
    period is in one group; ``hide``: hidden for the sake of another breakdown, :func:`linked_hiding`) and
    the merged row of the hidden ones — their ``n`` and sums added up — when they hold at least
    ``threshold`` respondents and are not all the groups (that would be the period's own result)."""
    hidden = rules.hidden_groups({key: row["n"] for key, row in rows}, threshold, hide)
    merged = None
    if hidden and len(hidden) < len(rows):
        merged = {"n": 0, **{f"s{i}": 0 for i in range(1, 10)}}
        for key, row in rows:
            if key in hidden:
                merged["n"] += row["n"]
                for i in range(1, 10):
                    merged[f"s{i}"] += int(row.get(f"s{i}") or 0)
        if merged["n"] < threshold:
            merged = None
    return hidden, merged


def _hidden_result(respondents: int, weight) -> dict:
    """:func:`serialise`'s keys for a group whose IKM is not shown: its number of respondents only."""
    return {
        "respondents": respondents,
        "unsur": [],
        "ikm_unit": None,
        "ikm": None,
        "mutu": None,
        "kinerja": None,
        "weight": str(rules.weight_shown(weight)),
        "lowest": [],
    }


def _age_band_key(index: int) -> str:
    """The key of an age band (:func:`_age_band_expr`'s number): its label, or "" for no age."""
    return rules.AGE_BANDS[index][0] if index >= 0 else ""


def linked_hiding(
    period: SurveyPeriod, threshold: int | None = None, keep: dict | None = None
) -> dict[str, set[str]]:
    """The groups to hide in each breakdown (``service`` and the :data:`PROFILE_FIELDS`, keyed as
    :func:`by_service` and :func:`by_profile` key them) so that no combination of the breakdowns gives
    away the result of fewer than ``threshold`` respondents (:func:`rules.linked_hidden`): one GROUP BY query over
    the five fields. ``keep``: groups hidden whatever the figures, keyed alike (:func:`published_hidden`)."""
    threshold = min_group() if threshold is None else threshold
    fields = ("service", *PROFILE_FIELDS)
    rows = (
        Response.objects.filter(period=period)
        .annotate(k=_age_band_expr())
        .values("service", "gender", "k", "education", "occupation")
        .annotate(n=Count("id"))
        .order_by()
    )
    cells: dict[tuple, int] = {}
    for r in rows:
        key = (
            str(r["service"] or ""),
            r["gender"] or "",
            _age_band_key(r["k"]),
            r["education"] or "",
            r["occupation"] or "",
        )
        cells[key] = cells.get(key, 0) + r["n"]
    keep = keep or {}
    hidden = rules.linked_hidden(cells, threshold, [keep.get(f, ()) for f in fields])
    return dict(zip(fields, hidden, strict=True)) if hidden else {}


def published_hidden(period: SurveyPeriod) -> dict[str, set[str]]:
    """The groups the breakdowns frozen earlier for ``period`` hid, keyed as :func:`linked_hiding` keys
    them; empty without such a row. The row may be of an older :data:`BREAKDOWNS_VERSION` or frozen under
    another minimum (``AMANAH_SKM_MIN_GROUP`` changed since): either way it was published until it is
    frozen again. Its hidden groups stay hidden when the breakdowns are computed again
    (:func:`compute_breakdowns`): a group shown now that was hidden then would, with the figures published
    then, give away what both hide (the period less every group shown then or now), which may be fewer
    respondents than the current minimum even when the old minimum was larger. Every row is frozen with
    the groups of the one before it kept hidden, so the one row left holds what any earlier one hid."""
    data = (
        FrozenBreakdowns.objects.filter(period_id=period.pk).values_list("data", flat=True).first()
    )
    if not data:
        return {}
    keep: dict[str, set[str]] = {}
    codes = set()
    for item in data.get("by_service") or []:
        if item.get("suppressed") and not item.get("merged"):
            if item.get("service"):
                codes.add(item["service"])
            else:
                keep.setdefault("service", set()).add("")
    if codes:
        ids = (
            Response.objects.filter(period=period, service__code__in=codes)
            .values_list("service", flat=True)
            .distinct()
            .order_by()
        )
        keep.setdefault("service", set()).update(str(pk) for pk in ids)
    for field, items in (data.get("by_profile") or {}).items():
        for item in items:
            if item.get("suppressed") and not item.get("merged"):
                keep.setdefault(field, set()).add(item.get("value") or "")
    return keep


def by_service(
    period: SurveyPeriod, threshold: int | None = None, hide: dict | None = None
) -> list[dict]:
    """The index per service received (one GROUP BY query). A service answered by fewer than
    ``threshold`` respondents (:func:`min_group`) shows its number of respondents but no result
    (``suppressed``), nor does any other group whose result would give it away (:func:`rules.hidden_groups`)
    alone or with another breakdown (``hide``, :func:`linked_hiding`, computed when not given); the hidden
    groups are joined in one row (``merged``) when they hold enough respondents together."""
    threshold = min_group() if threshold is None else threshold
    hide = linked_hiding(period, threshold) if hide is None else hide
    rows = list(
        Response.objects.filter(period=period)
        .values("service", "service__name", "service__code")
        .annotate(n=Count("id"), **SUMS)
        .order_by("service__name", "service")
    )
    keyed = [(str(row["service"] or ""), row) for row in rows]
    hidden, merged = _protected(keyed, threshold, hide.get("service", set()))
    weight = period.weight_value
    out = []
    for key, row in keyed:
        shown = (
            _hidden_result(row["n"], weight)
            if key in hidden
            else serialise(rules.compute_ikm(_totals(row), row["n"], weight))
        )
        out.append(
            {
                "service": row["service__code"],
                "name": row["service__name"] or gettext_noop("(tidak disebut)"),
                **shown,
                "suppressed": key in hidden,
                "merged": False,
            }
        )
    if merged:
        out.append(
            {
                "service": None,
                "name": MERGED_LABEL,
                **serialise(rules.compute_ikm(_totals(merged), merged["n"], weight)),
                "suppressed": False,
                "merged": True,
            }
        )
    return out


def _age_band_expr():
    return Case(
        *[
            When(age__gte=low, age__lte=high, then=Value(i))
            for i, (_l, low, high) in enumerate(rules.AGE_BANDS)
        ],
        default=Value(-1),
        output_field=IntegerField(),
    )


PROFILE_FIELDS = {
    "gender": ("Jenis kelamin", rules.GENDERS),
    "age": ("Usia", {label: label for label, _lo, _hi in rules.AGE_BANDS}),
    "education": ("Pendidikan", rules.EDUCATION),
    "occupation": ("Pekerjaan", rules.OCCUPATIONS),
}


def by_profile(
    period: SurveyPeriod, threshold: int | None = None, hide: dict | None = None
) -> dict[str, list[dict]]:
    """For each profile field: per value, the number of respondents, their share (half up) and their IKM
    (one GROUP BY query per field; age is grouped into bands by the database). ``label`` is Indonesian,
    the msgid a page shows it by (``reports.report_context``). As in :func:`by_service`, a value held by
    fewer than ``threshold`` respondents, and any other whose IKM would give it away alone or with another
    breakdown (``hide``, :func:`linked_hiding`), shows no IKM (``suppressed``); a ``merged`` row joins them
    when they are enough together."""
    threshold = min_group() if threshold is None else threshold
    hide = linked_hiding(period, threshold) if hide is None else hide
    out = {}
    base = Response.objects.filter(period=period)
    total = base.count()
    weight = period.weight_value
    for field, (_title, labels) in PROFILE_FIELDS.items():
        if field == "age":
            rows = (
                base.annotate(k=_age_band_expr())
                .values("k")
                .annotate(n=Count("id"), **SUMS)
                .order_by("k")
            )
            keyed = {_age_band_key(r["k"]): r for r in rows}
        else:
            rows = base.values(field).annotate(n=Count("id"), **SUMS).order_by(field)
            keyed = {r[field]: r for r in rows}
        groups = [
            (key, label, keyed[key])
            for key, label in [*labels.items(), ("", gettext_noop("Tidak diisi"))]
            if keyed.get(key)
        ]
        hidden, merged = _protected(
            [(key, row) for key, _label, row in groups], threshold, hide.get(field, set())
        )
        items = []
        for key, label, row in [
            *groups,
            *([(None, MERGED_LABEL, merged)] if merged else []),
        ]:
            res = rules.compute_ikm(_totals(row), row["n"], weight)
            items.append(
                {
                    "value": key or None,
                    "label": label,
                    "respondents": row["n"],
                    "percent": float(rules.share(row["n"], total)),
                    "ikm": None if key in hidden or res.ikm is None else float(res.ikm_display),
                    "suppressed": key in hidden,
                    "merged": row is merged,
                }
            )
        out[field] = items
    return out


#: The version of the way breakdowns are computed that :class:`FrozenBreakdowns` rows are read under;
#: raised when it changes what is hidden (2: groups hidden across two breakdowns, 3: across any number,
#: :func:`linked_hiding`; 4: its search bounded instead of cut short, so a period where the old one gave up
#: no longer hides more groups than needed), so that frozen rows of an older version are computed again
#: (without writing) until the sweep freezes them.
BREAKDOWNS_VERSION = 4


def breakdowns(period: SurveyPeriod) -> dict:
    """``by_service`` and ``by_profile`` of ``period`` (:func:`by_service`, :func:`by_profile`), small
    groups hidden. Those of a published period are frozen (:class:`FrozenBreakdowns`, written by
    ``services.freeze_breakdowns`` at publication and by the sweep for a period published before they were
    frozen, or under another :func:`min_group` or :data:`BREAKDOWNS_VERSION`): one small query, whatever the number of answers. Until the
    sweep has frozen them, and for an unpublished period (staff only), they are computed from the answers.
    A read never writes: a public page or API call leaves the database as it found it."""
    threshold = min_group()
    if period.status != PeriodStatus.PUBLISHED:
        return compute_breakdowns(period, threshold)
    frozen = (
        FrozenBreakdowns.objects.filter(
            period_id=period.pk, min_group=threshold, version=BREAKDOWNS_VERSION
        )
        .values_list("data", flat=True)
        .first()
    )
    if frozen is None:
        return compute_breakdowns(period, threshold)
    # PostgreSQL's jsonb keeps no key order: the profile fields in the order the pages show them
    profile = frozen["by_profile"]
    return {**frozen, "by_profile": {f: profile[f] for f in PROFILE_FIELDS if f in profile}}


def compute_breakdowns(period: SurveyPeriod, threshold: int | None = None) -> dict:
    """:func:`breakdowns` computed from the answers of ``period`` (``threshold``: :func:`min_group`)."""
    threshold = min_group() if threshold is None else threshold
    # A published period keeps hidden what its figures published before hid, under whatever minimum
    # (an unpublished one has none).
    published = period.status == PeriodStatus.PUBLISHED
    hide = linked_hiding(period, threshold, published_hidden(period) if published else None)
    return {
        "by_service": by_service(period, threshold, hide),
        "by_profile": by_profile(period, threshold, hide),
    }


def unfrozen_published():
    """Published periods without breakdowns frozen under the current :func:`min_group` and
    :data:`BREAKDOWNS_VERSION` (published before they were frozen, or frozen under another minimum or an
    older version): the sweep freezes them."""
    current = FrozenBreakdowns.objects.filter(min_group=min_group(), version=BREAKDOWNS_VERSION)
    return SurveyPeriod.objects.filter(status=PeriodStatus.PUBLISHED).exclude(
        pk__in=current.values("period_id")
    )


def _shown_statuses(published_only: bool) -> list[str]:
    """The periods whose results an output may show: published ones in public, closed ones too for staff
    who may read the unit's surveys."""
    if published_only:
        return [PeriodStatus.PUBLISHED]
    return [PeriodStatus.CLOSED, PeriodStatus.PUBLISHED]


def previous_period(period: SurveyPeriod, *, published_only: bool = True) -> SurveyPeriod | None:
    """The unit's (and service's) last published period (or closed one, for staff: ``published_only``
    False) that ended before this one started."""
    return (
        SurveyPeriod.objects.filter(
            unit_id=period.unit_id,
            service_id=period.service_id,
            status__in=_shown_statuses(published_only),
            end__lt=period.start,
        )
        .order_by("-end", "-id")
        .first()
    )


def comparison(
    period: SurveyPeriod, current: dict | None = None, *, published_only: bool = True
) -> dict | None:
    """Each element and the index against the previous period: ``naik``/``turun``/``tetap``; and whether
    the previous period's follow-up plans were about elements that improved. The previous period is
    the last published one; with ``published_only`` False (staff who may read the unit's surveys), the
    last closed or published one."""
    prev = previous_period(period, published_only=published_only)
    if prev is None:
        return None
    before = frozen_results(prev)
    now = current or frozen_results(period)
    plans = set(FollowUpPlan.objects.filter(period=prev).values_list("element", flat=True))
    rows = []
    for b, n in zip(before["unsur"], now["unsur"], strict=True):
        rows.append(
            {
                "code": n["code"],
                "name": n["name"],
                "previous": b["nrr"],
                "current": n["nrr"],
                "change": rules.change(
                    None if b["nrr"] is None else Fraction(str(b["nrr"])),
                    None if n["nrr"] is None else Fraction(str(n["nrr"])),
                ),
                "had_plan": n["code"] in plans,
            }
        )
    return {
        "period": {"id": prev.pk, "label": str(prev), "end": prev.end.isoformat()},
        "previous_ikm": before["ikm"],
        "ikm": now["ikm"],
        "change": rules.change(
            None if before["ikm"] is None else Fraction(str(before["ikm"])),
            None if now["ikm"] is None else Fraction(str(now["ikm"])),
        ),
        "unsur": rows,
    }


def trend(unit, service=None, *, published_only: bool = True) -> list[dict]:
    """The index of each published period of a unit about ``service`` (closed ones too with
    ``published_only`` False, for staff who may read the unit's surveys), oldest first (snapshots, no
    answer scan). As in :func:`previous_period`, the service matches exactly: None means the unit-wide
    periods only, never mixed with one service's periods (another questionnaire, another population)."""
    # The label (SurveyPeriod.__str__) names the unit: loaded with each period, not once per period.
    qs = (
        SurveyPeriod.objects.filter(
            unit=unit, service=service, status__in=_shown_statuses(published_only)
        )
        .select_related("unit")
        .order_by("end", "id")
    )
    out = []
    for p in qs:
        snap = frozen_results(p)
        out.append(
            {
                "id": p.pk,
                "label": str(p),
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "respondents": snap["respondents"],
                "ikm": snap["ikm"],
                "mutu": snap["mutu"],
                "kinerja": snap["kinerja"],
            }
        )
    return out


# --- the agency's calendar ----------------------------------------------------------------------------------
def local_today(agency) -> dt.date:
    """Today as the agency's office reads it (WIB, WITA or WIT), which decides whether a period takes
    answers: a period of an agency in WIT opens at 00:00 WIT, two hours before the server's WIB midnight."""
    return Calendar(agency).local_date()


def local_now(agency) -> dt.datetime:
    """Now in the agency's time zone (the date and the hour an answer is stored with)."""
    return timezone.localtime(timezone=Calendar(agency).tz)


def on_local_today(condition: Callable[[dt.date], Q], agency_path: str = "agency") -> Q:
    """``condition(today)`` with ``today`` the date in the time zone of each row's agency (reached by
    ``agency_path``): one condition per time zone among the agencies (WIB, WITA, WIT), so one query."""
    out = Q(pk__in=[])
    for zone in Agency.objects.values_list("time_zone", flat=True).distinct().order_by():
        today = timezone.localdate(timezone=zoneinfo.ZoneInfo(zone or settings.TIME_ZONE))
        out |= Q(**{f"{agency_path}__time_zone": zone}) & condition(today)
    return out


def taking_answers():
    """Open periods whose dates cover today, each by its agency's date (the public list of surveys)."""
    return SurveyPeriod.objects.filter(
        on_local_today(lambda today: Q(start__lte=today, end__gte=today)),
        status=PeriodStatus.OPEN,
    )


def open_periods(unit) -> list[SurveyPeriod]:
    """The unit's open periods that cover today in the agency's time zone, one per survey (the one that
    started last, if periods of one service overlap from before they were refused): the unit-wide one
    first, then those of one service by the service's name."""
    today = local_today(unit.agency)
    qs = (
        SurveyPeriod.objects.filter(
            unit=unit, status=PeriodStatus.OPEN, start__lte=today, end__gte=today
        )
        .select_related("service")
        .order_by("-start", "-id")
    )
    found: dict[int | None, SurveyPeriod] = {}
    for period in qs:
        found.setdefault(period.service_id, period)
    return sorted(
        found.values(),
        key=lambda p: (p.service_id is not None, p.service.name.casefold() if p.service_id else ""),
    )


def open_period(unit, service=None) -> SurveyPeriod | None:
    """The unit's open period that covers today in the agency's time zone for ``service``: the period of
    that service, or else the one for the whole unit. Without a service (the counter poster, a complaint
    about no service of the unit) only the unit-wide one: a period of one service asks about that service
    alone, and every answer to it counts for that service, so nobody is sent to it who may have received
    another (a complaint about KTP-el never leads to a KK questionnaire either)."""
    found = {p.service_id: p for p in open_periods(unit)}
    return found.get(getattr(service, "pk", None)) or found.get(None)


def survey_url(unit, service=None) -> str | None:
    """The absolute path of the questionnaire of the unit's open period (its short URL), or None: of
    ``service``'s period or the unit-wide one (see :func:`open_period`)."""
    from django.urls import reverse

    period = open_period(unit, service)
    if period is None:
        return None
    return reverse("surveys:short", args=[period.short_code])


def latest_ikm_by_unit(unit_ids=None, *, include_closed: bool = False) -> dict[int, dict]:
    """For each unit, its latest published period: ``ikm``, ``mutu``, ``kinerja``, ``respondents``,
    ``end``, ``period`` (id), ``status`` and ``previous_ikm`` (the period before of the same service, or
    unit-wide for a unit-wide one, for the trend). Reads snapshots only.

    A closed period not yet published is internal, so by default neither it nor its IKM appear (the
    public dashboard reads this). Staff-only callers pass ``include_closed`` to count closed periods too.

    One query, whose work does not grow with the history of all units: for each unit the database finds
    its latest period, and the one before it of the same survey, through the unit's index entries
    (correlated subqueries with ``LIMIT 1``), and hands back only the figures read from those two
    snapshots; no other period is read into Python."""
    shown = SurveyPeriod.objects.filter(status__in=_shown_statuses(not include_closed))
    newest = ("-end", "-id")
    units = Unit.objects.all() if unit_ids is None else Unit.objects.filter(pk__in=list(unit_ids))
    latest_ids = units.annotate(
        latest=Subquery(shown.filter(unit_id=OuterRef("pk")).order_by(*newest).values("pk")[:1])
    ).values("latest")
    # the period before of the same survey (the same service, or unit-wide), as the trend reads
    before = (
        shown.annotate(survey=Coalesce("service_id", Value(0)))
        .filter(
            Q(end__lt=OuterRef("end")) | Q(end=OuterRef("end"), pk__lt=OuterRef("pk")),
            end__lte=OuterRef("end"),
            unit_id=OuterRef("unit_id"),
            survey=Coalesce(OuterRef("service_id"), Value(0)),
        )
        .order_by(*newest)
    )
    rows = (
        SurveyPeriod.objects.filter(pk__in=latest_ids)
        .order_by()
        .values(
            "pk",
            "unit_id",
            "end",
            "status",
            ikm=KT("snapshot__ikm"),
            mutu=KT("snapshot__mutu"),
            kinerja=KT("snapshot__kinerja"),
            respondents=KT("snapshot__respondents"),
            frozen=ExpressionWrapper(Q(snapshot__isnull=False), output_field=BooleanField()),
            previous=Subquery(before.values("pk")[:1]),
            previous_ikm=Subquery(before.values(ikm=KT("snapshot__ikm"))[:1]),
        )
    )
    out: dict[int, dict] = {}
    for row in rows:
        if row["frozen"]:
            snap = {key: row[key] for key in ("ikm", "mutu", "kinerja", "respondents")}
        else:  # not frozen (written outside the services): computed from the answers
            snap = results(SurveyPeriod.objects.select_related("unit").get(pk=row["pk"]))
        previous_ikm = row["previous_ikm"]
        if previous_ikm is None and row["previous"] is not None:
            # no IKM in the snapshot before (no answers), or no snapshot: as the trend would read it
            previous_ikm = frozen_results(SurveyPeriod.objects.get(pk=row["previous"]))["ikm"]
        out[row["unit_id"]] = {
            "period": row["pk"],
            "status": row["status"],
            "end": row["end"],
            "ikm": _float(snap["ikm"]),
            "mutu": snap["mutu"],
            "kinerja": snap["kinerja"],
            "respondents": None if snap["respondents"] is None else int(snap["respondents"]),
            "previous_ikm": _float(previous_ikm),
        }
    return out


def _float(value) -> float | None:
    """A number read from a snapshot in SQL (text in PostgreSQL, a number in SQLite)."""
    return None if value is None else float(value)


def staff_periods(user):
    """Periods the user may see as staff (READ_ROLES scopes)."""
    scopes = permissions.scopes(user, rules.READ_ROLES)
    if (None, None) in scopes:
        return SurveyPeriod.objects.all()
    if not scopes:
        return SurveyPeriod.objects.none()
    cond = Q()
    from amanah.core.models import Unit

    for agency_id, unit_id in scopes:
        if unit_id is None:
            cond |= Q(agency_id=agency_id)
        else:
            cond |= Q(unit_id__in=Unit.objects.get(pk=unit_id).descendant_ids())
    return SurveyPeriod.objects.filter(cond)


def can_read(user, period: SurveyPeriod) -> bool:
    return permissions.has_role(user, rules.READ_ROLES, unit=period.unit)


def can_manage(user, period: SurveyPeriod) -> bool:
    return permissions.has_role(user, rules.MANAGE_ROLES, unit=period.unit)


def can_enter(user, period: SurveyPeriod) -> bool:
    return permissions.has_role(user, rules.ENTRY_ROLES, unit=period.unit)


def public_periods():
    return SurveyPeriod.objects.filter(status=PeriodStatus.PUBLISHED).select_related(
        "unit", "agency", "service"
    )


def answer_distribution(period: SurveyPeriod) -> list[dict]:
    """For each element (``code``, ``name``), how many answers gave it each score of the 1–4 scale
    (``counts``, lowest score first), in one aggregate query: the public ``jawaban.xlsx``. Enough for anyone
    to recompute every element total (Σ score × count), NRR and the IKM of the period, and it holds no
    respondent's row: nobody's nine scores side by side (:func:`answers_for_export` is the staff's full
    list)."""
    row = Response.objects.filter(period=period).aggregate(
        **{
            f"u{i}_{score}": Count("id", filter=Q(**{f"u{i}": score}))
            for i in range(1, len(rules.ELEMENTS) + 1)
            for score in rules.SCALE
        }
    )
    return [
        {
            "code": element.code,
            "name": element.name,
            "counts": [row[f"u{i}_{score}"] or 0 for score in rules.SCALE],
        }
        for i, element in enumerate(rules.ELEMENTS, start=1)
    ]


def answers_for_export(period: SurveyPeriod):
    """Every answer with its date, channel, service and profile, in the order received: for the unit's
    staff who may read its surveys only (:func:`can_read`), never in public."""
    return (
        Response.objects.filter(period=period)
        .select_related("service")
        .order_by("id")
        .values_list(
            "submitted_on",
            "channel",
            "service__name",
            "gender",
            "age",
            "education",
            "occupation",
            *[f"u{i}" for i in range(1, 10)],
        )
    )


def can_read_suggestions(user, period: SurveyPeriod) -> bool:
    """Whether ``user`` may read the suggestions (saran dan masukan) of ``period``: free text that may name
    the respondent or an officer, so only the unit's survey staff, who write the follow-up plan and enter
    the paper questionnaires (``rules.ENTRY_ROLES``), never the public, nor the roles that only read
    results (leadership, auditors, the inspectorate)."""
    return permissions.has_role(user, rules.ENTRY_ROLES, unit=period.unit)


def suggestions(period: SurveyPeriod):
    """The answers of the period whose suggestion says something, newest first (by the answer's date, then
    as entered), with only ``suggestion``, ``submitted_on``, ``channel`` and ``service`` (its name and code)
    loaded.
    For the staff of :func:`can_read_suggestions` only; a caller pages them."""
    return (
        Response.objects.filter(period=period)
        .exclude(suggestion="")
        .select_related("service")
        .only("suggestion", "submitted_on", "channel", "service__name", "service__code")
        .order_by("-submitted_on", "-id")
    )
