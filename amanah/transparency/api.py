"""Open data of the dashboard under ``/api/v1/transparency/`` (no account needed), and two staff
endpoints (the overdue list and the indicator targets).

Every public table answers JSON by default and CSV with ``format=csv``; every one takes ``agency`` and
``unit`` (code or id), ``start`` and ``end`` (YYYY-MM-DD, both included; default the last 365 days)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from amanah.core import paging
from amanah.core.api_utils import ApiError, declare_refusals, staff_auth
from amanah.core.paging import Page
from amanah.core.records import translated
from amanah.core.selectors import agency_by_ref

from . import opendata, rules, selectors, services

router = Router(tags=["transparency"])


# --- Answers -------------------------------------------------------------------------------------


class TransparencyScopeOut(Schema):
    level: str = Field(description="`nasional`, `instansi` or `unit`")
    agency: str | None = Field(description="The agency's code (None: national)")
    unit: str | None = Field(description="The unit's code (None: not a unit)")
    name: str


class TransparencyLicenceOut(Schema):
    name: str
    url: str
    attribution: str


class TransparencySummaryOut(Schema):
    """The headline figures of a scope and period (the columns of the ``summary`` table in
    ``/tables``)."""

    scope: TransparencyScopeOut
    start: dt.date
    end: dt.date
    licence: TransparencyLicenceOut
    complaints_received: int
    complaints_closed: int
    answered_on_time: int
    answered_late: int
    not_answered_past_deadline: int
    deadline_cases: int
    answered_within_deadline_pct: float | None
    complaints_answered: int
    median_days_to_first_response: float | None = Field(description="Working days")
    median_days_to_closure: float | None = Field(description="Working days")
    open: int
    overdue: int
    ratings: int
    mean_rating: float | None
    ikm: float | None
    ikm_mutu: str | None
    ikm_respondents: int
    min_cases: int = Field(description="The fewest cases a rate is ranked or compared on")


class TransparencyTableOut(Schema):
    scope: TransparencyScopeOut
    start: dt.date
    end: dt.date
    licence: TransparencyLicenceOut
    table: str
    rows: list[dict[str, Any]] = Field(
        description="One object per row, with the columns the table lists in `/tables` (a number, a "
        "text, a date, true/false, or null for an empty cell)"
    )
    min_cases: int = Field(description="The fewest cases a rate is ranked or compared on")


class TransparencyColumnOut(Schema):
    name: str
    type: str = Field(description="`teks`, `tanggal`, `bilangan`, `nilai`, `persen`, …")
    description: str


class TransparencyTableInfoOut(Schema):
    name: str
    title: str
    description: str
    url: str
    levels: list[str] = Field(
        description="The scopes it applies to: `nasional`, `instansi`, `unit`"
    )
    columns: list[TransparencyColumnOut]


class TransparencyTablesOut(Schema):
    licence: TransparencyLicenceOut
    tables: list[TransparencyTableInfoOut]


def _json_or_csv(schema) -> dict:
    """``openapi_extra`` and ``response`` of a table: JSON by default, CSV with ``format=csv``."""
    return {
        "response": schema,
        "openapi_extra": {
            "responses": {
                200: {
                    "description": "JSON, or CSV with `format=csv` (the scope and period on every "
                    "row)",
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                }
            }
        },
    }


def _scope_period(agency, unit, start, end):
    try:
        scope = selectors.resolve_scope(agency, unit)
    except selectors.ScopeError as exc:
        raise ApiError(exc.status, exc.code, exc.message, field=exc.field) from None
    try:
        first, last = selectors.parse_period(start, end, scope.agency)
    except rules.PeriodError as exc:
        raise ApiError(400, exc.code, translated(exc.message), field=exc.field) from None
    return scope, first, last


def _format(value: str) -> str:
    value = (value or "json").lower()
    if value not in ("json", "csv"):
        raise ApiError(400, "invalid_format", _("format harus json atau csv."), field="format")
    return value


def _answer(name, scope, start, end, fmt, dimension=None):
    try:
        data = opendata.rows(name, scope, start, end, dimension)
    except opendata.TableError as exc:
        raise ApiError(exc.status, exc.code, exc.message, field=exc.field) from None
    if fmt == "csv":
        response = HttpResponse(
            opendata.to_csv(name, scope, start, end, data), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{opendata.filename(name, scope, start, end)}"'
        )
        return response
    head = {
        "scope": scope.as_dict(),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "licence": opendata.LICENCE,
    }
    if name == "summary":
        return {**head, **data[0], "min_cases": selectors.min_cases()}
    return {**head, "table": name, "rows": data, "min_cases": selectors.min_cases()}


@router.get(
    "/summary",
    auth=None,
    summary="Headline figures of a scope and period",
    **_json_or_csv(TransparencySummaryOut),
)
def summary(
    request, agency: str = "", unit: str = "", start: str = "", end: str = "", format: str = "json"
):
    """complaints_received, complaints_closed, answered_within_deadline_pct (with its base),
    median_days_to_first_response, median_days_to_closure, open, overdue, mean_rating and ikm."""
    scope, first, last = _scope_period(agency, unit, start, end)
    return _answer("summary", scope, first, last, _format(format))


@router.get("/tables", auth=None, response=TransparencyTablesOut, summary="The data dictionary")
def tables(request):
    return {
        "licence": opendata.LICENCE,
        "tables": [
            {
                "name": t.name,
                "title": str(t.title),
                "description": str(t.description),
                "url": f"/api/v1/transparency/{t.name}",
                "levels": [{"n": "nasional", "a": "instansi", "u": "unit"}[s] for s in t.scopes],
                "columns": [
                    {"name": c, "type": ty, "description": str(d)} for c, ty, d in t.columns
                ],
            }
            for t in opendata.TABLES.values()
        ],
    }


# --- Staff ---------------------------------------------------------------------------------------


class OverdueOut(Schema):
    id: int
    case_number: str
    title: str
    status: str
    unit: str
    service: str
    due: dt.date
    days_late: int
    url: str


def _agency(ref: str):
    if len(ref) > 60 or not ref.isprintable():
        raise ApiError(400, "invalid_agency", _("Kode instansi tidak sah."), field="agency")
    found = agency_by_ref(ref)
    if found is None:
        raise ApiError(404, "unknown_agency", _("Instansi tidak dikenal."), field="agency")
    return found


@router.get("/staff/overdue", auth=staff_auth, response=Page[OverdueOut], tags=["staff"])
def staff_overdue(request, agency: str, limit: int = 50, offset: int = 0):
    """Open complaints of the agency past the due date of their stage, the oldest due date first, a
    page at a time (leadership, complaint managers, auditors and the inspectorate of that agency)."""
    found = _agency(agency)
    return paging.page(
        selectors.overdue_facts(request.auth, found),
        limit,
        offset,
        lambda rows: selectors.overdue_rows(found, rows),
    )


class TargetIn(Schema):
    agency: str
    code: str
    year: int
    target: str
    note: str = ""


class TargetOut(Schema):
    agency: str
    code: str
    year: int
    target: float
    note: str


@router.put("/staff/targets", auth=staff_auth, response=TargetOut, tags=["staff"])
def staff_set_target(request, payload: TargetIn):
    """Set the agency's target for one indicator of success in one year (pimpinan of that agency)."""
    agency = _agency(payload.agency)
    try:
        obj = services.set_target(
            request.auth,
            agency,
            code=payload.code,
            year=payload.year,
            target=payload.target,
            note=payload.note,
        )
    except services.TargetError as exc:
        raise ApiError(400, "invalid_target", str(exc), exc.fields) from None
    return {
        "agency": agency.code,
        "code": obj.code,
        "year": obj.year,
        "target": float(obj.target),
        "note": obj.note,
    }


@router.get(
    "/{table}",
    auth=None,
    summary="One dashboard table as JSON or CSV",
    **_json_or_csv(TransparencyTableOut),
)
def table(
    request,
    table: str,
    agency: str = "",
    unit: str = "",
    start: str = "",
    end: str = "",
    format: str = "json",
    dimension: str = "",
):
    if table not in opendata.TABLES:
        raise ApiError(
            404,
            "unknown_table",
            _("Tabel tidak dikenal. Lihat /api/v1/transparency/tables."),
            field="table",
        )
    scope, first, last = _scope_period(agency, unit, start, end)
    return _answer(table, scope, first, last, _format(format), dimension or None)


#: The refusals each operation declares beyond those of its token and its input
#: (``core.api_utils.declare_refusals``): an unknown agency, region or table is 404; a staff operation
#: may be refused by role (403).
declare_refusals(
    router,
    {"summary": (404,), "table": (404,)},
    staff=(403, 404),
)
