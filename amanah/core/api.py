"""Core public API: health, organisation, working-day calendar and the audit head."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from . import audit, calendar, paging, rules, selectors
from . import services as writes
from .api_utils import REFUSED, ApiError, declare_refusals, staff_auth
from .models import Agency, ClosureKind
from .paging import Page

router = Router(tags=["core"])


class Ref(Schema):
    id: int
    code: str
    name: str


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    time_zone: str
    parent: Ref | None = None


class ServiceOut(Schema):
    id: int
    code: str
    name: str
    duration: str
    cost: str
    unit: Ref
    agency: Ref


class HealthOut(Schema):
    status: str = Field(description="`ok`: the application answers and its database too.")
    database: str = Field(
        description="The database engine it answered from (Django's vendor name, e.g. `postgresql`)."
    )


@router.get("/health", response=HealthOut, auth=None)
def health(request):
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor}


@router.get("/agencies", response=list[AgencyOut], auth=None)
def agencies(request):
    qs = Agency.objects.filter(is_active=True).select_related("parent")
    return [
        {
            "id": a.id,
            "code": a.code,
            "name": a.name,
            "kind": a.kind,
            "time_zone": a.time_zone,
            "parent": {"id": a.parent.id, "code": a.parent.code, "name": a.parent.name}
            if a.parent
            else None,
        }
        for a in qs
    ]


@router.get("/services", response=Page[ServiceOut], auth=None)
def services(request, q: str = "", agency: str = "", limit: int = 50, offset: int = 0):
    """Active services of the catalogue (of ``agency``; ``q`` searches name and code), a page at a time."""
    if len(q) > 200:
        raise ApiError(
            400,
            "query_too_long",
            _("Kata kunci paling panjang %(n)d karakter.") % {"n": 200},
            field="q",
        )
    qs = selectors.active_services(q, _agency_or_none(agency))
    return paging.page(
        qs,
        limit,
        offset,
        lambda rows: [
            {
                "id": s.id,
                "code": s.code,
                "name": s.name,
                "duration": s.duration,
                "cost": s.cost,
                "unit": {"id": s.unit.id, "code": s.unit.code, "name": s.unit.name},
                "agency": {
                    "id": s.unit.agency.id,
                    "code": s.unit.agency.code,
                    "name": s.unit.agency.name,
                },
            }
            for s in rows
        ],
    )


class HolidayOut(Schema):
    date: dt.date
    name: str
    kind: str = Field(
        description="What kind of day it is, in the reader's language (e.g. 'libur nasional')."
    )
    kind_code: str = Field(
        description="The same as a stable code: libur_nasional, cuti_bersama, penutupan_instansi, or "
        "hari_kerja (a day off made a working day, answered by POST /staff/closures)."
    )


def _holiday(day, name, kind_code) -> dict:
    return {
        "date": day,
        "name": name,
        "kind": str(calendar.KIND_LABELS[kind_code]),
        "kind_code": str(kind_code),
    }


def _agency_or_none(ref: str):
    """The agency named by ``ref`` (code or id), ``None`` without one; 404 when unknown."""
    return _agency_required(ref) if ref else None


@router.get("/calendar/holidays", response=list[HolidayOut], auth=None)
def holidays(request, year: str, agency: str = ""):
    if not year.isdecimal() or not calendar.MIN_YEAR <= int(year) <= calendar.MAX_YEAR:
        raise ApiError(
            400,
            "invalid_year",
            _("Tahun harus angka antara %(min)d dan %(max)d.")
            % {"min": calendar.MIN_YEAR, "max": calendar.MAX_YEAR},
            field="year",
        )
    return [
        _holiday(h.date, h.name, h.kind)
        for h in calendar.holidays_for(int(year), _agency_or_none(agency))
    ]


class WorkingDaysOut(Schema):
    start: dt.date = Field(description="The day counted from (not itself counted).")
    add: int = Field(description="The working days added.")
    date: dt.date = Field(
        description="The working day `add` working days after `start` (`start` itself when "
        "`add` is 0), in the agency's calendar when one is named."
    )


@router.get("/calendar/working-days", response=WorkingDaysOut, auth=None)
def working_days(request, start: str, add: str, agency: str = ""):
    try:
        start_date = dt.date.fromisoformat(start)
    except ValueError:
        raise ApiError(
            400, "invalid_date", _("start harus tanggal TTTT-BB-HH."), field="start"
        ) from None
    try:
        n = int(add)
    except ValueError:
        raise ApiError(400, "invalid_number", _("add harus bilangan bulat."), field="add") from None
    if not 0 <= n <= 1000:
        raise ApiError(
            400,
            "out_of_range",
            _("add harus antara 0 dan %(max)d hari kerja.") % {"max": 1000},
            field="add",
        )
    # Room for 1,000 working days (about four years) after the start.
    if problem := calendar.out_of_years(start_date, margin=5):
        raise ApiError(400, "out_of_range", problem, field="start")
    cal = calendar.Calendar(_agency_or_none(agency))
    return {"start": start_date, "add": n, "date": cal.add(start_date, n)}


class AuditHeadOut(Schema):
    seq: int = Field(
        description="The number of the main audit chain's latest entry (0 when empty)."
    )
    hash: str = Field(
        description="Its hash, 64 hex digits (all zeros when the chain is empty): kept by an outsider, "
        "it shows later that the chain up to it was not rewritten."
    )


@router.get("/audit/head", response=AuditHeadOut, auth=None)
def audit_head(request):
    return audit.head()


# --- Staff ------------------------------------------------------------------------------------------


class RoleOut(Schema):
    role: str
    agency: Ref | None = None
    unit: Ref | None = None


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    roles: list[RoleOut]
    employee_nip: str | None = None


def _ref(obj):
    return {"id": obj.id, "code": obj.code, "name": obj.name} if obj is not None else None


@router.get("/staff/me", response=MeOut, auth=staff_auth, tags=["staff"])
def staff_me(request):
    """The account behind the token and the roles it holds."""
    user = request.auth
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "roles": [
            {"role": a.role, "agency": _ref(a.agency), "unit": _ref(a.unit)}
            for a in user.roles.select_related("agency", "unit")
        ],
        "employee_nip": user.employee.nip if user.employee_id else None,
    }


class EmployeeOut(Schema):
    id: int
    nip: str
    name: str
    position: str
    unit: Ref
    superiors: list[str]


def _agency_required(ref: str):
    found = selectors.agency_by_ref(ref)
    if found is None:
        raise ApiError(404, "unknown_agency", _("Instansi tidak dikenal."), field="agency")
    return found


@router.get("/staff/employees", response=Page[EmployeeOut], auth=staff_auth, tags=["staff"])
def staff_employees(request, agency: str, q: str = "", limit: int = 50, offset: int = 0):
    """The ASN directory of an agency, a page at a time, each with the NIPs of their chain of
    superiors."""

    def build(rows):
        superiors = selectors.superiors_by_employee(rows)
        return [
            {
                "id": e.id,
                "nip": e.nip,
                "name": e.name,
                "position": e.position,
                "unit": _ref(e.unit),
                "superiors": [s.nip for s in superiors[e.pk]],
            }
            for e in rows
        ]

    return paging.page(
        selectors.employees(request.auth, _agency_required(agency), q[:100]), limit, offset, build
    )


class EmployeeImportOut(Schema):
    created: int = Field(description="Employees added (NIPs not in the directory before).")
    updated: int = Field(description="Employees of the agency whose row replaced what was held.")


@router.post("/staff/employees/import", response=EmployeeImportOut, auth=staff_auth, tags=["staff"])
def staff_employees_import(request, agency: str, file: UploadedFile = File(...)):
    """Import the directory from CSV or XLSX (columns nip, nama, unit, jabatan, [email], [kepala_unit]).
    All or nothing: any bad row answers 422 ``import_rejected`` with every problem in ``fields`` keyed
    ``"row.column"`` (and listed in ``rows``)."""
    return writes.import_employees(request.auth, _agency_required(agency), file, filename=file.name)


class ClosureIn(Schema):
    agency: str
    date: dt.date
    name: str
    is_working_day: bool = False


@router.post("/staff/closures", auth=staff_auth, response={201: HolidayOut}, tags=["staff"])
def staff_closure(request, payload: ClosureIn):
    """Add an agency closure (a day off that counts as a holiday in the agency's deadlines)."""
    if not payload.name.strip() or len(payload.name) > 200:
        raise ApiError(
            400,
            "invalid_name",
            _("Nama penutupan wajib diisi (paling panjang %(n)d karakter).") % {"n": 200},
            field="name",
        )
    if problem := calendar.out_of_years(payload.date):
        raise ApiError(400, "out_of_range", problem, field="date")
    try:
        closure = writes.add_closure(
            request.auth,
            _agency_required(payload.agency),
            payload.date,
            payload.name.strip(),
            payload.is_working_day,
        )
    except writes.ClosureExists as exc:
        raise ApiError(409, exc.code, exc.message, field=exc.field) from None
    kind = calendar.WORKING_DAY if closure.is_working_day else ClosureKind.AGENCY
    return Status(201, _holiday(closure.date, closure.name, kind))


__all__ = ["router", "rules"]


#: The refusals each operation declares beyond those of its token and its input
#: (``core.api_utils.declare_refusals``): a staff operation but ``/staff/me`` may be refused by role (403)
#: and names an agency that may not exist (404), as do the public lists that take one.
declare_refusals(
    router,
    {
        "services": (404,),
        "holidays": (404,),
        "working_days": (404,),
        "staff_employees": (403, 404),
        "staff_employees_import": {
            403: REFUSED[403],
            404: REFUSED[404],
            422: "The file is rejected as a whole (`import_rejected`): every problem in `fields`, keyed "
            '`"row.column"`, and listed in `rows`.',
        },
        "staff_closure": (403, 404, 409),
    },
)
