"""Pages of the public dashboard (national → agency → unit), the indicators of success, the data
dictionary, and the leadership view for staff. No JavaScript needed: the period is a GET form, so every
view has a shareable URL."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from amanah.core import permissions
from amanah.core.models import Agency
from amanah.core.records import translated

from . import charts, opendata, rules, selectors, services
from .templatetags.transparency import month_of

#: The trend words of :func:`rules.trend`, which the dashboard shows in its reader's language.
TREND_WORDS = (gettext_noop("naik"), gettext_noop("turun"), gettext_noop("tetap"))


def _period(request, agency=None):
    """(start, end, error, raw input) from the query string; on error the default period is used and the
    person's input is kept in the form. A missing end is today by ``agency``'s clock (the scope's agency;
    the server's for the national page), as in the API."""
    raw = {"start": request.GET.get("start", "")[:20], "end": request.GET.get("end", "")[:20]}
    try:
        start, end = selectors.parse_period(raw["start"], raw["end"], agency)
        return start, end, None, raw
    except rules.PeriodError as exc:
        start, end = selectors.parse_period(None, None, agency)
        error = {
            "field": exc.field,
            "message": translated(exc.message),
            # For the page's error summary (core/_error_summary.html), leading to the field.
            "anchor": f"p-{exc.field}",
            "label": PERIOD_LABELS.get(exc.field, ""),
        }
        return start, end, error, raw


#: The fields of the period form (transparency/_period.html), as the page labels them.
PERIOD_LABELS = {"start": gettext_lazy("Dari tanggal"), "end": gettext_lazy("Sampai tanggal")}


def browser_cached(view):
    """A public page a phone may show again for ``TRANSPARENCY_PAGE_MAX_AGE`` seconds without downloading
    it (going back from an agency to the national page, opening the same link twice): the figures come
    from rollups and a few minutes' delay changes nothing. Only a page that answered 200; "private",
    because the language menu's form holds the visitor's CSRF token. A signed-in visitor's pages are
    still ``no-store`` (core.middleware.PrivacyMiddleware has the last word)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        max_age = int(getattr(settings, "TRANSPARENCY_PAGE_MAX_AGE", 0))
        if response.status_code == 200 and max_age > 0:
            patch_cache_control(response, private=True, max_age=max_age)
        return response

    return wrapped


def _scope_or_error(request, agency_code=None, unit_code=None):
    try:
        return selectors.resolve_scope(agency_code, unit_code), None
    except selectors.ScopeError as exc:
        return None, render(
            request, "transparency/not_found.html", {"message": exc.message}, status=404
        )


def _csv(name, scope, start, end, **extra):
    params = {k: v for k, v in scope.as_dict().items() if k in ("agency", "unit") and v}
    params.update(start=start.isoformat(), end=end.isoformat(), format="csv", **extra)
    return f"/api/v1/transparency/{name}?{urlencode(params)}"


def _page_url(scope, start, end):
    if scope.kind == "n":
        base = reverse("transparency:national")
    elif scope.kind == "a":
        base = reverse("transparency:agency", args=[scope.agency.code])
    else:
        base = reverse("transparency:unit", args=[scope.agency.code, scope.unit.code])
    return f"{base}?{urlencode({'start': start.isoformat(), 'end': end.isoformat()})}"


def _month_label(month: str) -> str:
    """The chart's axis label of a month row (``"2026-01"``): ``Jan 2026`` in the reader's language."""
    return formats.date_format(month_of(month), "M Y")


def _dashboard(request, scope):
    start, end, error, raw = _period(request, scope.agency)
    s = selectors.summary(scope, start, end)
    kinds = {d: selectors.breakdown(scope, start, end, d) for d in opendata.DIMENSIONS}
    months = selectors.monthly(scope, start, end)
    rating_rows = selectors.ratings(scope, start, end)
    kids = selectors.children(scope, start, end)
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    for row in kids["rows"]:
        if row["code"] is None:  # what no unit of the table holds: no page of its own
            row["url"] = None
            # a unit's page ends with the row of the unit's own complaints, which quotes its name
            row["own_of"] = scope.unit.name if scope.kind == "u" else None
        elif scope.kind == "n":
            row["url"] = reverse("transparency:agency", args=[row["code"]]) + "?" + query
        else:
            row["url"] = (
                reverse("transparency:unit", args=[scope.agency.code, row["code"]]) + "?" + query
            )
    dim_titles = {
        "kind": _("Menurut jenis"),
        "channel": _("Menurut kanal"),
        "status": _("Menurut status saat ini"),
    }
    breakdowns = [
        {
            "dim": d,
            "title": dim_titles[d],
            "rows": rows,
            "chart": charts.bars(
                [(r["label"], r["count"]) for r in rows if r["count"]]
                or [(_("Tidak ada data"), 0)],
                dim_titles[d],
            ),
            "csv": _csv("breakdown", scope, start, end, dimension=d),
        }
        for d, rows in kinds.items()
    ]
    ctx = {
        "scope": scope,
        "start": start,
        "end": end,
        "error": error,
        "period_errors": [error] if error else [],
        "raw": raw,
        "s": s,
        "breakdowns": breakdowns,
        "months": months,
        "months_chart": charts.columns(
            [(_month_label(m["month"]), m["received"], m["closed"]) for m in months],
            _("Pengaduan per bulan"),
            (_("Diterima"), _("Selesai")),
        ),
        "ratings": rating_rows,
        "ratings_chart": charts.bars(
            [(f"{r['rating']} ★", r["count"]) for r in rating_rows],
            _("Penilaian jawaban oleh pengadu"),
        ),
        "children": kids,
        "children_chart": charts.bars(
            [
                (r["name"], r["answered_within_deadline_pct"])
                for r in kids["rows"]
                if r["rank"] is not None
            ][:15],
            _("Persentase dijawab tepat waktu"),
            suffix="%",
            data_labels=True,  # only ranked rows, each an agency's or a unit's name
        )
        if kids["ranked"]
        else None,
        "services": selectors.top_services(scope, start, end),
        "ikm_units": selectors.ikm_units(scope) if scope.kind != "n" else None,
        "integrity": selectors.integrity(scope, start, end),
        "min_cases": selectors.min_cases(),
        # Whistleblowing counts below this are hidden; the page's note says so with the same numbers.
        "suppress": rules.SUPPRESS_BELOW,
        "suppress_top": rules.SUPPRESS_BELOW - 1,
        "csv": {name: _csv(name, scope, start, end) for name in opendata.TABLES},
        "share_url": request.build_absolute_uri(_page_url(scope, start, end)),
    }
    return render(request, "transparency/dashboard.html", ctx, status=400 if error else 200)


@browser_cached
def national(request):
    return _dashboard(request, selectors.Scope("n", 0))


@browser_cached
def agency(request, agency_code):
    scope, failed = _scope_or_error(request, agency_code)
    return failed or _dashboard(request, scope)


@browser_cached
def unit(request, agency_code, unit_code):
    scope, failed = _scope_or_error(request, agency_code, unit_code)
    return failed or _dashboard(request, scope)


#: Decimal places of an indicator's target and value, as the dashboard shows the same figure (IKM 77,45,
#: rating 4,24); counts are whole. Others: one place.
INDICATOR_PLACES = {"ikm": 2, "penilaian_jawaban": 2, "integritas_terbukti": 0, "terlambat": 0}

#: What an indicator's base count counts, when it is not cases: respondents of the SKM, ratings.
INDICATOR_BASE = {"ikm": "respondents", "penilaian_jawaban": "ratings"}


def _as_shown(rows: list[dict]) -> list[dict]:
    """The indicator rows with ``places`` (how many decimals the page writes) and ``base`` (what the
    count beside the value counts), so the indicators agree with the dashboard's figures."""
    return [
        {
            **row,
            "places": INDICATOR_PLACES.get(row["code"], 1),
            "base": INDICATOR_BASE.get(row["code"], "cases"),
        }
        for row in rows
    ]


@browser_cached
def indicators(request, agency_code):
    scope, failed = _scope_or_error(request, agency_code)
    if failed:
        return failed
    start, end, error, raw = _period(request, scope.agency)
    rows = _as_shown(selectors.indicators(scope.agency, start, end))
    return render(
        request,
        "transparency/indicators.html",
        {
            "scope": scope,
            "rows": rows,
            "start": start,
            "end": end,
            "error": error,
            "period_errors": [error] if error else [],
            "raw": raw,
            "csv": _csv("indicators", scope, start, end),
        },
        status=400 if error else 200,
    )


def _table_example(table, agency_code: str | None) -> dict:
    """What a table needs besides the common parameters, and an address that answers it: a table without
    a national level needs ``agency`` (the example takes the first active agency), the breakdown needs
    ``dimension``. ``url`` is None when no agency exists yet to show one."""
    params: dict[str, str] = {}
    if "n" not in table.scopes:
        params["agency"] = agency_code or ""
    if table.name == "breakdown":
        params["dimension"] = opendata.DIMENSIONS[0]
    url = f"/api/v1/transparency/{table.name}"
    if params:
        url = f"{url}?{urlencode(params)}"
    return {
        "url": url if all(params.values()) else None,
        "needs_agency": "agency" in params,
        "needs_dimension": "dimension" in params,
    }


@browser_cached
def data_dictionary(request):
    agency_code = (
        Agency.objects.filter(is_active=True)
        .order_by("name")
        .values_list("code", flat=True)
        .first()
    )
    tables = [
        {
            "t": t,
            **_table_example(t, agency_code),
            "levels": ", ".join(
                {"n": _("nasional"), "a": _("instansi"), "u": _("unit")}[s] for s in t.scopes
            ),
        }
        for t in opendata.TABLES.values()
    ]
    return render(
        request,
        "transparency/data.html",
        {
            "tables": tables,
            "dimensions": opendata.DIMENSIONS,
            "licence": opendata.LICENCE,
            "scope_columns": opendata.SCOPE_COLUMNS,
            "min_cases": selectors.min_cases(),
            "suppress": rules.SUPPRESS_BELOW,
        },
    )


def _unit_tree(units: dict) -> dict:
    """The leadership view's units (every unit of the agency, in tree order) with ``indent`` (the depth,
    at most 3 steps) and ``parent``, the name of the unit a sub-unit belongs to: a phone shows the
    stacked row of a sub-unit indented and says what it is part of. The row of a unit's own complaints
    has ``own_of``, that unit's name, so the page can mark the name inside the row's sentence."""
    above: list[str] = []
    rows = []
    for row in units["rows"]:
        depth = row["depth"]
        del above[depth:]
        parent = above[-1] if depth and above else ""
        own_of = None
        if row["code"] is None:  # a unit's own row names the unit already
            # (just after the unit's row, one step below it; the row at the top, of what no unit holds, has none)
            own_of = parent or None
            parent = ""
        rows.append({**row, "indent": min(depth, 3), "parent": parent, "own_of": own_of})
        above.append(row["name"])
    return {**units, "rows": rows}


def may_open_staff_area(user) -> bool:
    """Whether the leadership page opens for ``user`` (an agency whose page they may open): the check the
    page refuses by, and the one the staff home asks before it lists the leadership dashboard."""
    return selectors.leadership_agencies(user).exists()


@login_required
def leadership(request):
    if not may_open_staff_area(request.user):
        raise PermissionDenied(
            _("Halaman ini untuk pimpinan, pengelola pengaduan, auditor dan inspektorat.")
        )
    agencies = list(selectors.leadership_agencies(request.user))
    code = request.GET.get("agency", "")
    chosen = next((a for a in agencies if a.code == code), agencies[0])
    start, end, error, raw = _period(request, chosen)
    scope = selectors.Scope("a", chosen.pk, chosen)
    ctx = {
        "agencies": agencies,
        "agency": chosen,
        "scope": scope,
        "start": start,
        "end": end,
        "error": error,
        "period_errors": [error] if error else [],
        "raw": raw,
        "s": selectors.summary(scope, start, end),
        "units": _unit_tree(selectors.children(scope, start, end, all_units=True)),
        "overdue": selectors.overdue_cases(request.user, chosen),
        "indicators": _as_shown(selectors.indicators(chosen, start, end)),
        "can_set_targets": permissions.has_role(
            request.user, selectors.TARGET_ROLES, agency=chosen
        ),
        "target_errors": {},
        "target_input": {},
        "min_cases": selectors.min_cases(),
    }
    return render(request, "transparency/leadership.html", ctx, status=400 if error else 200)


#: The fields of the target form, as the page labels them.
TARGET_LABELS = {
    "code": gettext_lazy("Indikator"),
    "year": gettext_lazy("Tahun"),
    "target": gettext_lazy("Target"),
    "note": gettext_lazy("Catatan (opsional)"),
}


@login_required
@require_POST
def set_target(request):
    agencies = {a.code: a for a in selectors.leadership_agencies(request.user)}
    chosen = agencies.get(request.POST.get("agency", ""))
    if chosen is None:
        raise PermissionDenied(_("Anda tidak berwenang untuk instansi ini."))
    # Whole, as typed: the service refuses what is too long (and shows it again), never a cut copy.
    data = {k: request.POST.get(k, "") for k in ("code", "year", "target", "note")}
    try:
        services.set_target(request.user, chosen, **data)
    except services.TargetError as exc:
        start, end, _error, raw = _period(request, chosen)
        scope = selectors.Scope("a", chosen.pk, chosen)
        ctx = {
            "agencies": list(agencies.values()),
            "agency": chosen,
            "scope": scope,
            "start": start,
            "end": end,
            "error": None,
            "period_errors": [],
            "raw": raw,
            "s": selectors.summary(scope, start, end),
            "units": _unit_tree(selectors.children(scope, start, end, all_units=True)),
            "overdue": selectors.overdue_cases(request.user, chosen),
            "indicators": _as_shown(selectors.indicators(chosen, start, end)),
            "can_set_targets": True,
            "target_errors": exc.fields,
            "target_input": data,
            # Summed up at the top of the page, each leading to its field of the target form.
            "target_summary": [
                {"anchor": f"t-{name}", "label": TARGET_LABELS[name], "message": message}
                for name, message in exc.fields.items()
                if name in TARGET_LABELS
            ],
            "min_cases": selectors.min_cases(),
        }
        return render(request, "transparency/leadership.html", ctx, status=400)
    from django.contrib import messages

    messages.success(request, _("Target indikator disimpan."))
    return redirect(f"{reverse('transparency:leadership')}?{urlencode({'agency': chosen.code})}")
