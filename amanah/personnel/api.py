"""Kepegawaian staff API under /api/v1/personnel (bearer token). Writes go through ``services``;
reads through ``selectors``, which apply the privacy rule (the ASN, superiors, HR and authorised
officials of the same agency)."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from amanah.core import paging, permissions
from amanah.core.api_utils import ApiError, declare_refusals, staff_auth
from amanah.core.calendar import Calendar
from amanah.core.models import Agency, Employee, Unit
from amanah.core.paging import Page
from amanah.core.selectors import agency_by_ref

from . import rules, selectors, services
from .models import (
    Award,
    Competency,
    DisciplineCase,
    PositionRequirement,
    Program,
    Skp,
    SkpPeriod,
    Training,
    Transfer,
)

router = Router(tags=["personnel"], auth=staff_auth)


def _named_or_only(code: str, ids) -> Agency:
    """The agency named by ``code`` (code or id), or the only one of ``ids`` (None: every agency)."""
    if code:
        agency = agency_by_ref(code)
        if agency is None:
            raise ApiError(404, "unknown_agency", _("Instansi tidak dikenal."), field="agency")
        return agency
    if ids is not None and len(ids) == 1:
        return Agency.objects.get(pk=next(iter(ids)))
    if ids is not None and not ids:
        raise ApiError(403, "forbidden", _("Anda tidak berwenang."))
    raise ApiError(
        400, "agency_required", _("Sebutkan instansi (parameter agency)."), field="agency"
    )


def _agency(request, code: str, roles) -> Agency:
    """For an operation on the agency as a whole: the agency named by ``code``, or the one agency
    where the user holds ``roles`` agency-wide. A role held only in a unit is refused (403), whether
    the agency is named or not."""
    agencies, _units = permissions.coverage(request.auth, roles)
    agency = _named_or_only(code, agencies)
    permissions.require(request.auth, roles, agency=agency)
    return agency


def _scope(request, code: str, roles) -> tuple[Agency, set[int] | None]:
    """For a list of ASN or their records: the agency named by ``code`` (or the one agency where the
    user holds ``roles`` at any level) and the units the answer is limited to, ``None`` for the whole
    agency (a role held agency-wide), else the units a role held in a unit covers (403 if none)."""
    agency = _named_or_only(code, permissions.agency_ids(request.auth, roles))
    units = permissions.agency_scope(request.auth, roles, agency)
    if units == set():
        raise ApiError(403, "forbidden", _("Anda tidak berwenang."))
    return agency, units


def _year(year: int | None) -> int:
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ApiError(
            400,
            "invalid_year",
            _("Tahun harus angka antara %(min)d dan %(max)d.") % {"min": 2000, "max": 2100},
            field="year",
        )
    return year


# --- Schemas --------------------------------------------------------------------------------------


class EmployeeIn(Schema):
    nip: str = Field(max_length=40)
    name: str = Field(max_length=200)
    unit: str = Field(max_length=60, description="Kode unit kerja")
    position: str = Field(max_length=200)
    email: str = Field("", max_length=254)
    education: str = Field("", max_length=4, description="sd, smp, sma, d1–d4, s1–s3")


class AsnOut(Schema):
    nip: str
    name: str
    unit: str
    unit_name: str
    agency: str
    position: str
    email: str
    education: str | None = None


def _employee_out(e: Employee) -> dict:
    profile = getattr(e, "personnel_profile", None) if hasattr(e, "personnel_profile") else None
    return {
        "nip": e.nip,
        "name": e.name,
        "unit": e.unit.code,
        "unit_name": e.unit.name,
        "agency": e.unit.agency.code,
        "position": e.position,
        "email": e.email,
        "education": profile.education if profile else None,
    }


class TrainingIn(Schema):
    program: str = Field("", max_length=60, description="Kode program katalog")
    title: str = Field("", max_length=200)
    jp: Decimal | None = None
    completed_on: dt.date
    category: str = Field("teknis", max_length=20)
    method: str = Field("pelatihan", max_length=20)
    certificate_number: str = Field("", max_length=100)


class TrainingOut(Schema):
    id: int
    title: str
    program: str | None
    category: str
    method: str
    jp: Decimal
    status: str
    completed_on: dt.date | None
    certificate_number: str
    has_certificate: bool


def _training_out(t: Training) -> dict:
    return {
        "id": t.pk,
        "title": t.title,
        "program": t.program.code if t.program_id else None,
        "category": t.category,
        "method": t.method,
        "jp": t.jp,
        "status": t.status,
        "completed_on": t.completed_on,
        "certificate_number": t.certificate_number,
        "has_certificate": t.certificate_id is not None,
    }


class DevelopmentOut(Schema):
    nip: str
    year: int
    jp_total: Decimal
    minimum: int
    meets_minimum: bool
    shortfall: Decimal
    trainings: list[TrainingOut]


class BehindOut(Schema):
    nip: str
    name: str
    unit: str
    jp_total: Decimal
    shortfall: Decimal


class ProgramIn(Schema):
    code: str = Field(max_length=60)
    title: str = Field(max_length=200)
    category: str = Field(max_length=20)
    method: str = Field(max_length=20)
    competency_type: str = Field(max_length=20)
    jp: Decimal
    provider: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    competencies: list[str] = Field(default_factory=list, description="Kode kompetensi")
    agency: str = Field("", max_length=40)


class ProgramOut(Schema):
    code: str
    title: str
    category: str
    method: str
    competency_type: str
    jp: Decimal
    provider: str
    national: bool


def _program_out(p: Program) -> dict:
    return {
        "code": p.code,
        "title": p.title,
        "category": p.category,
        "method": p.method,
        "competency_type": p.competency_type,
        "jp": p.jp,
        "provider": p.provider,
        "national": p.agency_id is None,
    }


class SkpPeriodIn(Schema):
    name: str = Field(max_length=100)
    start: dt.date
    end: dt.date
    agency: str = Field("", max_length=40)


class IndicatorIn(Schema):
    description: str = Field(max_length=300)
    target: Decimal
    unit: str = Field(max_length=50)


class SkpIn(Schema):
    period: int
    indicators: list[IndicatorIn] = Field(min_length=1, max_length=50)


class SkpRatingIn(Schema):
    hasil_kerja: str = Field(max_length=10)
    perilaku: str = Field(max_length=10)
    results: dict[str, Decimal] = Field(default_factory=dict)
    behaviour_notes: dict[str, str] = Field(
        default_factory=dict,
        description="Catatan per nilai BerAKHLAK, masing-masing paling panjang 1000 karakter "
        "(lebih panjang: 422 pada behaviour_notes.<nilai>)",
    )
    notes: str = Field("", max_length=5000)


class SkpOut(Schema):
    id: int
    nip: str
    period: str
    status: str
    rater: str | None
    hasil_kerja: str
    perilaku: str
    predicate: str
    predicate_label: str
    objection: str
    objected_at: dt.datetime | None = None
    objection_response: str = ""
    indicators: list[dict]


def _skp_out(s: Skp) -> dict:
    return {
        "id": s.pk,
        "nip": s.employee.nip,
        "period": s.period.name,
        "status": s.status,
        "rater": s.rater.nip if s.rater_id else None,
        "hasil_kerja": s.hasil_kerja,
        "perilaku": s.perilaku,
        "predicate": s.predicate,
        "predicate_label": _(rules.PREDICATES.get(s.predicate, s.predicate)) if s.predicate else "",
        "objection": s.objection,
        "objected_at": s.objected_at,
        "objection_response": s.objection_response,
        "indicators": [
            {
                "id": i.pk,
                "description": i.description,
                "target": str(i.target),
                "unit": i.unit,
                "result": str(i.result) if i.result is not None else None,
            }
            for i in s.indicators.all()
        ],
    }


class CaseIn(Schema):
    nip: str = Field(max_length=40)
    allegation: str = Field(max_length=10000)
    source: str = Field("manual", max_length=20)
    source_reference: str = Field("", max_length=100)


class DisciplineSummonsIn(Schema):
    sent_on: dt.date
    examination_on: dt.date


class ExaminationIn(Schema):
    held_on: dt.date
    bap_number: str = Field(max_length=100)
    summary: str = Field(max_length=20000)
    team: list[str] = Field(default_factory=list, description="NIP anggota tim pemeriksa")
    attended: bool | None = Field(None, description="Kehadiran pada panggilan terakhir")


class DecisionIn(Schema):
    proven: bool
    official: str = Field(max_length=40, description="NIP pejabat yang berwenang menghukum")
    decision_number: str = Field(max_length=100)
    decided_on: dt.date
    level: str = Field("", max_length=10)
    sanction: str = Field("", max_length=30)
    sanction_start: dt.date | None = None
    notes: str = Field("", max_length=5000)
    delivered_on: dt.date | None = Field(
        None,
        description="The day the ASN received the decision, when handed over already; the appeal "
        "deadline counts from it (else record it later: POST …/delivery)",
    )


class DeliveryIn(Schema):
    delivered_on: dt.date = Field(
        description="The day the ASN received the decision (handed over, or the letter sent arrived)"
    )


class DeemedDeliveryIn(Schema):
    sent_on: dt.date = Field(
        description="The day the decision was sent to the ASN, who did not attend the handing-over"
    )
    deemed_on: dt.date = Field(
        description="The day the ASN is deemed to have received it (from the proof of sending); "
        "the appeal deadline counts from it"
    )
    reason: str = Field(max_length=2000, description="Why it was sent instead of handed over")


class AppealIn(Schema):
    filed_on: dt.date
    grounds: str = Field(max_length=10000)


class AppealDecisionIn(Schema):
    outcome: str = Field(max_length=12, description="ditolak, dikabulkan or diubah")
    decided_on: dt.date
    level: str = Field("", max_length=10, description="the new level when diubah")
    sanction: str = Field("", max_length=30, description="the new sanction when diubah")
    official: str = Field(
        "",
        max_length=40,
        description="NIP of the official who decided the appeal (required when diubah)",
    )


class CaseOut(Schema):
    number: str
    nip: str
    status: str
    source: str
    source_reference: str
    allegation: str
    opened_on: dt.date
    level: str
    sanction: str
    sanction_label: str
    sanction_start: dt.date | None
    sanction_end: dt.date | None
    decision_number: str
    decided_on: dt.date | None
    delivered_on: dt.date | None = Field(description="The day the ASN received the decision")
    appeal_due: dt.date | None = Field(
        description="Last day to file an appeal, counted from delivered_on; null for a sanction "
        "that cannot be appealed and while the delivery is not recorded"
    )
    appeal_awaits_delivery: bool = Field(
        description="The decision is open to an appeal whose deadline is not running yet: the day "
        "the ASN received it is not recorded"
    )
    delivery_due: dt.date | None = Field(
        description="Last day to hand the decision to the ASN (PP 94/2021: 14 working days after "
        "it was decided, configurable); null for a case closed without a sanction"
    )
    delivery_late: bool = Field(
        description="The decision was handed over (or sent) after delivery_due, or is still not "
        "delivered after it, in the agency's today"
    )
    delivery_method: str = Field(
        description="diserahkan (handed over), dikirim (sent: the ASN did not attend; delivered_on "
        "is then the day deemed received), or empty while not delivered or not said"
    )
    delivery_sent_on: dt.date | None = Field(
        description="For a decision sent (delivery_method dikirim): the day it was sent"
    )
    delivery_reason: str = Field(description="For a decision sent: why it was not handed over")
    summonses: list[dict]
    examinations: list[dict]
    appeal: dict | None


def _case_out(c: DisciplineCase) -> dict:
    appeal = getattr(c, "appeal", None) if hasattr(c, "appeal") else None
    return {
        "number": c.number,
        "nip": c.employee.nip,
        "status": c.status,
        "source": c.source,
        "source_reference": c.source_reference,
        "allegation": c.allegation,
        "opened_on": c.opened_on,
        "level": c.level,
        "sanction": c.sanction,
        "sanction_label": _(rules.SANCTIONS[c.sanction].label) if c.sanction else "",
        "sanction_start": c.sanction_start,
        "sanction_end": c.sanction_end,
        "decision_number": c.decision_number,
        "decided_on": c.decided_on,
        "delivered_on": c.delivered_on,
        "appeal_due": c.appeal_due,
        "appeal_awaits_delivery": bool(
            c.status == "diputus"
            and c.sanction
            and rules.appeal_kind(c.sanction) is not None
            and c.delivered_on is None
        ),
        "delivery_due": c.delivery_due,
        "delivery_late": c.delivery_late(Calendar(c.agency).local_date()),
        "delivery_method": c.delivery_method,
        "delivery_sent_on": c.delivery_sent_on,
        "delivery_reason": c.delivery_reason,
        "summonses": [
            {
                "sequence": s.sequence,
                "sent_on": s.sent_on.isoformat(),
                "examination_on": s.examination_on.isoformat(),
                "attended": s.attended,
            }
            for s in c.summonses.all()
        ],
        "examinations": [
            {
                "held_on": e.held_on.isoformat(),
                "bap_number": e.bap_number,
                "in_absentia": e.in_absentia,
                "team": [m.nip for m in e.team.all()],
            }
            for e in c.examinations.all()
        ],
        "appeal": {
            "kind": appeal.kind,
            "filed_on": appeal.filed_on.isoformat(),
            "outcome": appeal.outcome,
            "decided_on": appeal.decided_on.isoformat() if appeal.decided_on else None,
            "decided_by": appeal.decided_by.nip if appeal.decided_by_id else None,
            # The agency's last day to rule on a keberatan (null for a banding, which BPASN rules
            # on), and whether it passed undecided, in the agency's own today.
            "ruling_due": appeal.ruling_due.isoformat() if appeal.ruling_due else None,
            "ruling_overdue": bool(
                appeal.ruling_due
                and not appeal.outcome
                and appeal.ruling_overdue(Calendar(c.agency).local_date())
            ),
        }
        if appeal
        else None,
    }


class AbsenceIn(Schema):
    dates: list[dt.date] = Field(min_length=1, max_length=366)


class AwardIn(Schema):
    nip: str = Field(max_length=40)
    kind: str = Field(max_length=20)
    title: str = Field(max_length=200)
    reason: str = Field(max_length=5000)
    year: int


class AwardDecisionIn(Schema):
    approve: bool


# --- ASN data -----------------------------------------------------------------------------------


def _unit_or_422(code: str) -> Unit:
    """The unit a payload names by its code (with its agency), or a 422 on ``unit``."""
    unit = Unit.objects.filter(code=code).select_related("agency").first()
    if unit is None:
        raise ApiError(
            422,
            "invalid_input",
            _("Unit kerja tidak dikenal."),
            {"unit": _("Kode unit tidak dikenal.")},
        )
    return unit


@router.post("/employees", response={201: AsnOut})
def create_employee(request, payload: EmployeeIn):
    """Add an ASN to the directory (kepegawaian). A bad NIP is refused with an error on ``nip``."""
    unit = _unit_or_422(payload.unit)
    try:
        emp = services.create_employee(
            request.auth,
            nip=payload.nip,
            name=payload.name,
            unit=unit,
            position=payload.position,
            email=payload.email,
            education=payload.education,
        )
    except ValidationError as exc:
        nip = exc.error_dict.get("nip", []) if hasattr(exc, "error_dict") else []
        if any(e.code == "registered_elsewhere" for e in nip):
            # Not a dead end: the person moves by a transfer request (POST /transfers).
            raise ApiError(
                422, "registered_elsewhere", str(nip[0].messages[0]), field="nip"
            ) from None
        raise
    return Status(201, _employee_out(emp))


@router.get("/employees", response=Page[AsnOut])
def list_employees(
    request, unit: str = "", q: str = "", agency: str = "", limit: int = 50, offset: int = 0
):
    """ASN the caller covers as HR, leadership or auditor, by name, a page at a time: every ASN of an
    agency where the role is held agency-wide, those of the unit and the units below where it is held
    in a unit."""
    qs = selectors.employees_for(request.auth).select_related("personnel_profile")
    if agency:
        qs = qs.filter(unit__agency=_scope(request, agency, services.READERS)[0])
    if unit:
        u = Unit.objects.filter(code=unit).first()
        qs = qs.filter(unit_id__in=u.descendant_ids()) if u else qs.none()
    if q:
        qs = qs.filter(name__icontains=q[:100]) | qs.filter(nip__startswith=q[:18])
    return paging.page(
        qs.order_by("name", "nip"), limit, offset, lambda rows: [_employee_out(e) for e in rows]
    )


@router.get("/employees/{nip}", response=AsnOut)
def get_employee(request, nip: str):
    return _employee_out(selectors.employee_for(request.auth, nip))


@router.post("/employees/{nip}/trainings", response={201: TrainingOut})
def record_training(request, nip: str, payload: TrainingIn):
    """Record a completed training: ``program`` (catalogue code) or ``title`` with ``jp``. The same
    activity of the ASN completed on the same date (a retried request) is refused with
    ``409 training_exists`` on ``completed_on``, as the import refuses the row: no JP counted twice."""
    emp = selectors.employee_for(request.auth, nip)
    program = None
    if payload.program:
        program = Program.objects.filter(code=payload.program).first()
        if program is None:
            raise ApiError(
                422, "invalid_input", _("Program tidak ada di katalog."), field="program"
            )
    try:
        training = services.record_training(
            request.auth,
            emp,
            program=program,
            title=payload.title,
            jp=payload.jp,
            completed_on=payload.completed_on,
            category=payload.category,
            method=payload.method,
            certificate_number=payload.certificate_number,
        )
    except services.TrainingExists as exc:
        raise ApiError(409, exc.code, exc.message_text, field=exc.field) from None
    return Status(201, _training_out(training))


@router.post("/trainings/{id}/certificate", response=TrainingOut)
def upload_certificate(request, id: int, file: UploadedFile = File(...)):
    """Attach a certificate (PDF or image; metadata removed) to a training record."""
    training = get_object_or_404(Training.objects.select_related("employee__unit"), pk=id)
    if not services.can_view(request.auth, training.employee):
        raise Http404
    return _training_out(services.attach_certificate(request.auth, training, file))


@router.get("/employees/{nip}/development", response=DevelopmentOut)
def development(request, nip: str, year: int | None = None):
    """The year's JP total against the minimum of 20 JP (PP 11/2017 Pasal 203(4))."""
    emp = selectors.employee_for(request.auth, nip)
    d = selectors.development(emp, _year(year))
    return {
        "nip": emp.nip,
        **{k: d[k] for k in ("year", "jp_total", "minimum", "meets_minimum", "shortfall")},
        "trainings": [_training_out(t) for t in d["trainings"]],
    }


class ProfileRequirementOut(Schema):
    competency: str = Field(description="Kode kompetensi")
    name: str
    type: str
    required: int = Field(description="Level yang disyaratkan jabatan (1–5)")
    assessed: int | None = Field(description="Level hasil asesmen terakhir (null: belum dinilai)")


class ProfileGapOut(Schema):
    competency: str = Field(description="Kode kompetensi")
    required: int
    assessed: int | None
    gap: int = Field(description="Selisih level yang disyaratkan dan yang dinilai")
    programs: list[str] = Field(description="Kode program katalog yang mengembangkannya")


class CompetencyProfileOut(Schema):
    nip: str
    position: str
    requirements: list[ProfileRequirementOut]
    gaps: list[ProfileGapOut] = Field(description="Kesenjangan, yang terbesar lebih dahulu")


@router.get("/employees/{nip}/competency", response=CompetencyProfileOut)
def competency(request, nip: str):
    """Required competencies of the position, assessed levels, gaps and suggested programmes."""
    emp = selectors.employee_for(request.auth, nip)
    p = selectors.competency_profile(emp)
    return {
        "nip": emp.nip,
        "position": emp.position,
        "requirements": [
            {
                "competency": r["competency"].code,
                "name": r["competency"].name,
                "type": r["competency"].type,
                "required": r["required"],
                "assessed": r["assessed"],
            }
            for r in p["requirements"]
        ],
        "gaps": [
            {
                "competency": g["competency"].code,
                "required": g["required"],
                "assessed": g["assessed"],
                "gap": g["size"],
                "programs": [x.code for x in g["programs"]],
            }
            for g in p["gaps"]
        ],
    }


class IndexAdviceOut(Schema):
    code: str
    points: str = Field(description="Poin yang dapat ditambah (desimal sebagai teks)")
    text: str


class ProfessionalismIndexOut(Schema):
    """Decimals are written as text (``"25.00"``), as in every index answer."""

    nip: str
    year: int
    kualifikasi: str
    kompetensi: str
    kinerja: str
    disiplin: str
    total: str
    category: str
    category_label: str
    advice: list[IndexAdviceOut] = Field(description="Poin yang belum diraih, terbesar dahulu")


@router.get("/employees/{nip}/index", response=ProfessionalismIndexOut)
def professionalism_index(request, nip: str, year: int | None = None):
    """Indeks Profesionalitas ASN of one ASN with its dimensions, category and advice."""
    emp = selectors.employee_for(request.auth, nip, "performance")
    i = selectors.index_for(emp, _year(year))
    return {
        "nip": emp.nip,
        **{k: (str(v) if isinstance(v, Decimal) else v) for k, v in i.items() if k != "advice"},
        "advice": [
            {"code": a["code"], "points": str(a["points"]), "text": a["text"]} for a in i["advice"]
        ],
    }


class AbsenceSummaryOut(Schema):
    nip: str
    year: int
    days: list[dt.date] = Field(description="Hari tanpa keterangan yang dicatat pada tahun itu")
    cumulative: int = Field(description="Jumlah hari kerja tanpa keterangan pada tahun itu")
    consecutive: int = Field(description="Rangkaian hari kerja berturut-turut terpanjang")
    consecutive_from: dt.date | None
    consecutive_to: dt.date | None
    suggested: str | None = Field(description="Kode sanksi yang disarankan tabel PP 94/2021")
    suggested_label: str | None
    level: str | None = Field(description="Tingkat sanksi yang disarankan")


class AbsencesAddedOut(Schema):
    added: int = Field(description="Hari yang baru dicatat")


@router.get("/employees/{nip}/absences", response=AbsenceSummaryOut)
def absences(request, nip: str, year: int | None = None):
    """Unexcused absence in a year and the sanction suggested by the PP 94/2021 table. The longest
    consecutive run (``consecutive``, from ``consecutive_from`` to ``consecutive_to``) counts working
    days across New Year and belongs to the year it ends in."""
    emp = selectors.employee_for(request.auth, nip, "discipline")
    s = selectors.absence_summary(emp, _year(year))
    iso = {k: s[k] and s[k].isoformat() for k in ("consecutive_from", "consecutive_to")}
    return {"nip": emp.nip, **s, **iso, "days": [d.isoformat() for d in s["days"]]}


@router.post("/employees/{nip}/absences", response={201: AbsencesAddedOut})
def record_absences(request, nip: str, payload: AbsenceIn):
    emp = selectors.employee_for(request.auth, nip, "discipline")
    added = services.record_absences(request.auth, emp, payload.dates)
    return Status(201, {"added": added})


# --- Development (agency) ------------------------------------------------------------------------


@router.get("/development/behind", response=Page[BehindOut])
def behind(
    request,
    year: int | None = None,
    agency: str = "",
    unit: str = "",
    limit: int = 50,
    offset: int = 0,
):
    """ASN below the yearly JP minimum (of the units a role held in a unit covers), lowest total
    first, a page at a time."""
    ag, units = _scope(request, agency, services.READERS)
    u = Unit.objects.filter(code=unit, agency=ag).first() if unit else None
    year = _year(year)
    qs = selectors.behind_employees(ag, year, u, units=units)
    if unit and u is None:
        qs = qs.none()
    minimum = services.rule_tables(ag)["jp_minimum"]
    return paging.page(
        qs,
        limit,
        offset,
        lambda rows: [
            {
                "nip": r["employee"].nip,
                "name": r["employee"].name,
                "unit": r["employee"].unit.code,
                "jp_total": r["jp_total"],
                "shortfall": r["shortfall"],
            }
            for r in selectors.behind_rows(rows, minimum)
        ],
    )


class RemindersSentOut(Schema):
    sent: int = Field(description="Pengingat yang dikirim")


@router.post("/development/reminders", response=RemindersSentOut)
def reminders(request, year: int | None = None, agency: str = ""):
    """E-mail every ASN below the minimum and their supervisor (once per year)."""
    ag = _agency(request, agency, services.HR)
    return {"sent": services.send_jp_reminders(request.auth, ag, _year(year))}


@router.get("/programs", response=list[ProgramOut])
def programs(request, agency: str = ""):
    ag = _agency(request, agency, services.READERS)
    return [_program_out(p) for p in selectors.programs_for(ag)]


@router.post("/programs", response={201: ProgramOut})
def create_program(request, payload: ProgramIn):
    """Adds a programme to the agency's catalogue (HR). ``competencies`` are codes of the agency's own
    or the national competencies; any other code gets ``422`` with ``fields.competencies``."""
    ag = _agency(request, payload.agency, services.HR)
    comps, unknown = [], []
    for code in dict.fromkeys(payload.competencies):  # the agency's own first, then a national one
        comp = selectors.agency_competency(ag, code)
        if comp is None:
            unknown.append(code)
        else:
            comps.append(comp)
    if unknown:
        raise ApiError(
            422,
            "invalid_input",
            _("Kompetensi tidak dikenal di instansi ini: %(codes)s.")
            % {"codes": ", ".join(unknown)},
            field="competencies",
        )
    p = services.create_program(
        request.auth,
        agency=ag,
        code=payload.code,
        title=payload.title,
        category=payload.category,
        method=payload.method,
        competency_type=payload.competency_type,
        jp=payload.jp,
        provider=payload.provider,
        description=payload.description,
        competencies=comps,
    )
    return Status(201, _program_out(p))


# --- SKP -------------------------------------------------------------------------------------------


class SkpPeriodOut(Schema):
    id: int
    name: str
    start: dt.date
    end: dt.date


@router.post("/skp-periods", response={201: SkpPeriodOut})
def create_period(request, payload: SkpPeriodIn):
    ag = _agency(request, payload.agency, services.HR)
    p = services.create_skp_period(
        request.auth, agency=ag, name=payload.name, start=payload.start, end=payload.end
    )
    return Status(201, {"id": p.pk, "name": p.name, "start": p.start, "end": p.end})


@router.post("/employees/{nip}/skp", response={201: SkpOut})
def create_skp(request, nip: str, payload: SkpIn):
    emp = selectors.employee_for(request.auth, nip, "performance")
    period = SkpPeriod.objects.filter(pk=payload.period).first()
    if period is None:
        raise ApiError(422, "invalid_input", _("Periode tidak dikenal."), field="period")
    skp = services.create_skp(
        request.auth, emp, period, indicators=[i.dict() for i in payload.indicators]
    )
    return Status(201, _skp_out(skp))


def _skp(request, id: int) -> Skp:
    skp = get_object_or_404(
        Skp.objects.select_related("employee__unit__agency", "period", "rater"), pk=id
    )
    if not services.can_view(request.auth, skp.employee, "performance"):
        raise Http404
    return skp


class SkpDistributionOut(Schema):
    agency: str
    period: str | None = Field(description="Nama periode (null: semua periode)")
    total: int
    counts: dict[str, int | None] = Field(
        description="Jumlah ASN per kode predikat; null bila disembunyikan"
    )


@router.get("/skp/distribution", response=SkpDistributionOut)
def skp_distribution(request, agency: str = "", period: int | None = None):
    """Predicate distribution of an agency, or of the units a role held in a unit covers (counts
    below 5 suppressed)."""
    ag, units = _scope(request, agency, services.READERS)
    p = SkpPeriod.objects.filter(pk=period, agency=ag).first() if period else None
    d = selectors.skp_distribution(ag, p, units=units)
    return {
        "agency": ag.code,
        "period": p.name if p else None,
        "total": d["total"],
        "counts": d["counts"],
    }


@router.get("/skp/{id}", response=SkpOut)
def get_skp(request, id: int):
    return _skp_out(_skp(request, id))


@router.get("/employees/{nip}/skp", response=list[SkpOut])
def list_skp(request, nip: str):
    """The ASN's SKP, newest period first (the ASN, superiors, HR and leadership)."""
    emp = selectors.employee_for(request.auth, nip, "performance")
    return [_skp_out(s) for s in selectors.skps_of(emp)]


class ObjectionIn(Schema):
    reason: str = Field(
        max_length=5000, description="Alasan keberatan (paling sedikit 10 karakter)"
    )


@router.post("/skp/{id}/objection", response={201: SkpOut})
def object_skp(request, id: int, payload: ObjectionIn):
    """The ASN who owns the SKP objects to its rating (once, after it is rated and before it is final).

    Refusals: ``403 not_owner`` (someone else who may see the SKP), ``404`` (someone who may not),
    ``409 not_rated`` / ``already_objected`` / ``skp_final``, ``422 invalid_input`` with
    ``fields.reason`` (missing, or shorter than 10 characters)."""
    skp = _skp(request, id)
    try:
        skp = services.object_skp(request.auth, skp, text=payload.reason)
    except PermissionDenied as exc:
        raise ApiError(403, "not_owner", str(exc)) from None
    except ValidationError as exc:
        raise _objection_error(exc) from None
    return Status(201, _skp_out(skp))


def _objection_error(exc: ValidationError) -> ApiError:
    errors = getattr(exc, "error_dict", {})
    if "status" in errors:
        err = errors["status"][0]
        return ApiError(409, err.code or "invalid_state", " ".join(err.messages))
    fields = {
        ("reason" if k == "objection" else k): " ".join(v) for k, v in exc.message_dict.items()
    }
    return ApiError(422, "invalid_input", " ".join(exc.messages), fields)


@router.post("/skp/{id}/rating", response=SkpOut)
def rate_skp(request, id: int, payload: SkpRatingIn):
    """The supervisor's rating (or HR on their behalf); the predicate follows from the matrix.
    ``409 skp_objected`` / ``skp_final`` when the SKP can no longer be rated (an objection was filed,
    or it was finalised, perhaps since the caller read it)."""
    skp = _skp(request, id)
    with _conflicts():
        skp = services.rate_skp(
            request.auth,
            skp,
            hasil_kerja=payload.hasil_kerja,
            perilaku=payload.perilaku,
            results=payload.results,
            behaviour_notes=payload.behaviour_notes,
            notes=payload.notes,
        )
    return _skp_out(skp)


# --- Discipline ------------------------------------------------------------------------------------


def _case(request, number: str, *, detail: bool = False) -> DisciplineCase:
    """The case ``number`` if the caller may see it (404 otherwise). With ``detail`` (for reading
    only: a write's reply must read what the write added) the summonses, examinations with their
    teams and the appeal are read with it, in a fixed number of queries."""
    qs = DisciplineCase.objects.select_related("employee__unit__agency", "agency")
    if detail:
        qs = qs.select_related("appeal__decided_by").prefetch_related(
            "summonses", "examinations__team"
        )
    case = get_object_or_404(qs, number=number)
    if not services.can_view_case(request.auth, case):
        raise Http404
    return case


def _acting_agencies(request, roles) -> set[int] | None:
    """Agencies where the caller holds one of ``roles`` (None: all); a ``403`` when there is none, the
    same whatever NIP was sent."""
    agencies = permissions.agency_ids(request.auth, roles)
    if agencies is not None and not agencies:
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))
    return agencies


@router.post("/discipline/cases", response={201: CaseOut})
def open_case(request, payload: CaseIn):
    """Open a PP 94/2021 discipline case (kepegawaian or inspektorat of the ASN's agency). A NIP not in
    an agency where the caller holds one of those roles is ``422`` ``NIP tidak terdaftar.``, whether it
    exists elsewhere or not (``403`` for a caller who holds none anywhere)."""
    agencies = _acting_agencies(request, services.DISCIPLINE_HANDLERS)
    emp = selectors.employees_named(payload.nip, agencies).first()
    if emp is None:
        raise ApiError(422, "invalid_input", _("NIP tidak terdaftar."), field="nip")
    case = services.open_discipline_case(
        request.auth,
        employee=emp,
        allegation=payload.allegation,
        source=payload.source,
        source_reference=payload.source_reference,
    )
    return Status(201, _case_out(case))


@router.get("/discipline/cases/{number}", response=CaseOut)
def get_case(request, number: str):
    return _case_out(_case(request, number, detail=True))


@router.post("/discipline/cases/{number}/summons", response={201: CaseOut})
def summon(request, number: str, payload: DisciplineSummonsIn):
    case = _case(request, number)
    with _conflicts():
        summons = services.summon(
            request.auth, case, sent_on=payload.sent_on, examination_on=payload.examination_on
        )
    return Status(201, _case_out(summons.case))


@router.post("/discipline/cases/{number}/examinations", response={201: CaseOut})
def examine(request, number: str, payload: ExaminationIn):
    """Record the examination (BAP); ``attended`` records attendance at the latest summons in the
    same transaction (a refused examination saves neither). The examination is held on or after the
    examination date of the latest summons. For a sedang or berat sanction the ``team`` includes the
    direct supervisor, someone of the inspektorat and a holder of the kepegawaian role."""
    case = _case(request, number)
    # Only the case's agency is searched: a member NIP of another agency is as unknown as a made-up one.
    team = list(
        Employee.objects.filter(
            nip__in=payload.team, unit__agency_id=case.agency_id
        ).select_related("unit")
    )
    if len(team) != len(set(payload.team)):
        raise ApiError(422, "invalid_input", _("NIP anggota tim tidak dikenal."), field="team")
    with _conflicts():
        services.record_examination(
            request.auth,
            case,
            held_on=payload.held_on,
            bap_number=payload.bap_number,
            summary=payload.summary,
            team=team,
            attended=payload.attended,
        )
    return Status(201, _case_out(case))


@router.post("/discipline/cases/{number}/decision", response=CaseOut)
def decide(request, number: str, payload: DecisionIn):
    """The decision of the authorised official; the authority, the level and the sanction are checked.
    ``409 case_decided`` when the case was decided already (perhaps by a request sent at the same
    time)."""
    case = _case(request, number)
    official = selectors.official_named(case, payload.official)
    if official is None:
        raise ApiError(422, "invalid_input", _("NIP pejabat tidak terdaftar."), field="official")
    with _conflicts():
        case = services.decide_case(
            request.auth,
            case,
            proven=payload.proven,
            official=official,
            decision_number=payload.decision_number,
            decided_on=payload.decided_on,
            level=payload.level,
            sanction=payload.sanction,
            sanction_start=payload.sanction_start,
            notes=payload.notes,
            delivered_on=payload.delivered_on,
        )
    return _case_out(case)


@router.post("/discipline/cases/{number}/delivery", response=CaseOut)
def record_delivery(request, number: str, payload: DeliveryIn):
    """The day the ASN received the sanction decision (HR or leadership, never the ASN concerned),
    when the decision was recorded without it, or to correct it until an appeal is filed:
    ``appeal_due`` is counted from it. ``422`` on ``delivered_on`` for a day before the decision or
    after the agency's today; ``409 already_appealed`` (the deadline is spent), ``case_closed`` or
    ``not_decided``."""
    case = _case(request, number)
    with _conflicts():
        case = services.record_delivery(request.auth, case, delivered_on=payload.delivered_on)
    return _case_out(case)


@router.post("/discipline/cases/{number}/deemed-delivery", response=CaseOut)
def record_deemed_delivery(request, number: str, payload: DeemedDeliveryIn):
    """The ASN did not attend the handing-over, so the decision was sent to them: the day it was sent,
    the day it is deemed received (``delivered_on``, from which ``appeal_due`` is counted) and why (HR
    or leadership, never the ASN concerned). ``422`` on ``sent_on`` (before the decision, in the
    future), ``deemed_on`` (before the sending, in the future) or ``reason`` (empty); ``409``
    ``already_appealed``, ``case_closed`` or ``not_decided`` as for ``…/delivery``."""
    case = _case(request, number)
    with _conflicts():
        case = services.record_deemed_delivery(
            request.auth,
            case,
            sent_on=payload.sent_on,
            deemed_on=payload.deemed_on,
            reason=payload.reason,
        )
    return _case_out(case)


@router.post("/discipline/cases/{number}/appeal", response={201: CaseOut})
def appeal(request, number: str, payload: AppealIn):
    """Keberatan or banding administratif against the decided sanction, by the ASN or HR on their
    behalf. ``409 already_appealed`` (filed already, perhaps by a request sent at the same time),
    ``case_closed`` (closed without a sanction) or ``not_decided``; a reprimand, which cannot be
    appealed, is ``422`` on ``status``; a passed deadline is ``422 appeal_deadline_passed`` on
    ``filed_on``, its message naming the last day as ISO (``2026-10-22``). Until the day the ASN
    received the decision is recorded, the deadline is not running and the appeal is accepted."""
    case = _case(request, number)
    try:
        with _conflicts():
            filed = services.file_appeal(
                request.auth, case, filed_on=payload.filed_on, grounds=payload.grounds
            )
    except ValidationError as exc:
        late = [
            e
            for e in getattr(exc, "error_dict", {}).get("filed_on", [])
            if e.code == services.APPEAL_DEADLINE_PASSED
        ]
        if not late:
            raise
        # For machines the last day is ISO, not the long form the pages write.
        message = late[0].message % (late[0].params | {"d": late[0].params["due"].isoformat()})
        raise ApiError(422, services.APPEAL_DEADLINE_PASSED, message, field="filed_on") from None
    return Status(201, _case_out(filed.case))


@router.post("/discipline/cases/{number}/appeal/decision", response=CaseOut)
def decide_appeal(request, number: str, payload: AppealDecisionIn):
    """The outcome of the appeal (HR or leadership, never the ASN concerned): ``ditolak`` (the
    sanction stands), ``dikabulkan`` (lifted) or ``diubah`` (``level`` and ``sanction`` name the new
    one, and ``official`` the NIP of the official who decided it, who must be one who may impose that
    level: ``422`` on ``official`` otherwise); the case is closed. ``409 appeal_decided`` when it was
    decided already (perhaps by a request sent at the same time), ``409 no_appeal`` when no appeal
    was filed."""
    case = _case(request, number)
    official = None
    if payload.official.strip():
        official = selectors.official_named(case, payload.official)
        if official is None:
            raise ApiError(
                422, "invalid_input", _("NIP pejabat tidak terdaftar."), field="official"
            )
    with _conflicts():
        case = services.decide_appeal(
            request.auth,
            case,
            outcome=payload.outcome,
            decided_on=payload.decided_on,
            level=payload.level,
            sanction=payload.sanction,
            official=official,
        )
    return _case_out(case)


# --- Recognition and index -----------------------------------------------------------------------


class AwardStatusOut(Schema):
    id: int
    status: str = Field(description="diusulkan, disetujui, ditolak atau ditarik (mutasi)")


@router.post("/awards", response={201: AwardStatusOut})
def propose_award(request, payload: AwardIn):
    emp = selectors.employee_for(request.auth, payload.nip)
    a = services.propose_award(
        request.auth,
        emp,
        kind=payload.kind,
        title=payload.title,
        reason=payload.reason,
        year=payload.year,
    )
    return Status(201, {"id": a.pk, "status": a.status})


@router.post("/awards/{id}/decision", response=AwardStatusOut)
def decide_award(request, id: int, payload: AwardDecisionIn):
    """Leadership approves or rejects a proposal; ``409 award_decided`` when it was decided already
    (perhaps by a request sent at the same time); ``403 own_award`` for an award to the deciding
    leader themself, ``403 own_proposal`` for one they proposed."""
    award = get_object_or_404(Award.objects.select_related("employee__unit"), pk=id)
    if not services.can_view(request.auth, award.employee):
        raise Http404
    try:
        a = services.decide_award(request.auth, award, approve=payload.approve)
    except services.StateConflict as exc:
        raise _conflict(exc) from None
    except services.OwnRecord as exc:
        raise ApiError(403, exc.code, str(exc)) from None
    return {"id": a.pk, "status": a.status}


class IndexGroupOut(Schema):
    """A group's average index; a group under the minimum size is ``suppressed`` (no ``average``,
    ``category`` nor ``categories``, and no ``dimensions`` key). Decimals are written as text."""

    count: int
    suppressed: bool
    average: str | None
    category: str | None
    categories: dict[str, int | None] = Field(
        description="ASN per kategori; null bila disembunyikan"
    )
    dimensions: dict[str, str] | None = Field(
        None, description="Rata-rata tiap dimensi (hanya bila tidak disembunyikan)"
    )


class UnitIndexGroupOut(IndexGroupOut):
    unit: str = Field(description="Kode unit")


class UnitsIndexOut(Schema):
    agency: str
    year: int
    overall: IndexGroupOut
    units: list[UnitIndexGroupOut]


@router.get("/index/units", response=UnitsIndexOut, exclude_unset=True)
def index_units(request, year: int | None = None, agency: str = ""):
    """Average Indeks Profesionalitas per unit and for the agency (groups under 5 suppressed); for a
    role held in a unit, of the units it covers only."""
    ag, units = _scope(request, agency, services.READERS)
    y = _year(year)

    def clean(d):
        return {
            k: (
                str(v)
                if isinstance(v, Decimal)
                else ({kk: str(vv) for kk, vv in v.items()} if k == "dimensions" else v)
            )
            for k, v in d.items()
            if k != "unit"
        }

    emps = list(selectors.within(Employee.objects.filter(unit__agency=ag, is_active=True), units))
    overall, by_unit = selectors.index_overview(ag, y, emps, units=units)
    return {
        "agency": ag.code,
        "year": y,
        "overall": clean(overall),
        "units": [{"unit": r["unit"].code, **clean(r)} for r in by_unit],
    }


# --- Enrolment, competency and mentoring --------------------------------------------------------


class EnrolIn(Schema):
    program: str = Field(max_length=60)


class CompleteIn(Schema):
    completed_on: dt.date
    certificate_number: str = Field("", max_length=100)


class RequirementIn(Schema):
    position: str = Field(max_length=200)
    competency: str = Field(max_length=60, description="Kode kompetensi")
    level: int
    agency: str = Field("", max_length=40)


class AssessmentIn(Schema):
    competency: str = Field(max_length=60)
    level: int
    assessed_on: dt.date
    method: str = Field("", max_length=100)


class MentoringIn(Schema):
    mentor: str = Field(max_length=40, description="NIP mentor")
    mentee: str = Field(max_length=40, description="NIP peserta")
    kind: str = Field("mentoring", max_length=12)
    goals: str = Field(max_length=5000)
    start: dt.date


class SessionIn(Schema):
    held_on: dt.date
    topic: str = Field(max_length=200)
    notes: str = Field("", max_length=5000)
    outcome: str = Field("", max_length=5000)


class ObjectionResponseIn(Schema):
    response: str = Field(max_length=5000)
    hasil_kerja: str = Field("", max_length=10)
    perilaku: str = Field("", max_length=10)


class CompetencyIn(Schema):
    code: str = Field(max_length=60, description="Kode (huruf, angka, - dan _)")
    name: str = Field(max_length=200)
    agency: str = Field("", max_length=40)


class CompetencyRenameIn(Schema):
    name: str = Field(max_length=200)
    agency: str = Field("", max_length=40)


class CompetencyOut(Schema):
    code: str
    name: str
    type: str
    national: bool


def _competency_out(c: Competency) -> dict:
    return {"code": c.code, "name": c.name, "type": c.type, "national": c.agency_id is None}


class RequirementOut(Schema):
    id: int
    position: str
    competency: str
    level: int


def _requirement_out(r) -> dict:
    return {"id": r.pk, "position": r.position, "competency": r.competency.code, "level": r.level}


def _competency(code: str, agency) -> Competency:
    comp = selectors.agency_competency(agency, code)
    if comp is None:
        raise ApiError(422, "invalid_input", _("Kompetensi tidak dikenal."), field="competency")
    return comp


class MentoringSessionOut(Schema):
    held_on: dt.date
    topic: str
    outcome: str


class MentoringOut(Schema):
    id: int
    mentor: str = Field(description="NIP mentor")
    mentee: str = Field(description="NIP peserta")
    kind: str
    goals: str
    start: dt.date
    status: str
    outcome: str
    sessions: list[MentoringSessionOut]


def _mentoring_out(m) -> dict:
    return {
        "id": m.pk,
        "mentor": m.mentor.nip,
        "mentee": m.mentee.nip,
        "kind": m.kind,
        "goals": m.goals,
        "start": m.start,
        "status": m.status,
        "outcome": m.outcome,
        "sessions": [
            {"held_on": x.held_on.isoformat(), "topic": x.topic, "outcome": x.outcome}
            for x in m.sessions.all()
        ],
    }


@router.post("/employees/{nip}/enrolments", response={201: TrainingOut})
def enrol(request, nip: str, payload: EnrolIn):
    """Enrol an ASN in a catalogue programme."""
    emp = selectors.employee_for(request.auth, nip)
    program = Program.objects.filter(code=payload.program).first()
    if program is None:
        raise ApiError(422, "invalid_input", _("Program tidak ada di katalog."), field="program")
    return Status(201, _training_out(services.enrol(request.auth, emp, program)))


@router.post("/trainings/{id}/complete", response=TrainingOut)
def complete(request, id: int, payload: CompleteIn):
    """Mark an enrolment completed; its JP then count for the year of ``completed_on``."""
    training = get_object_or_404(Training.objects.select_related("employee__unit"), pk=id)
    if not services.can_view(request.auth, training.employee):
        raise Http404
    services.complete_training(
        request.auth,
        training,
        completed_on=payload.completed_on,
        certificate_number=payload.certificate_number,
    )
    return _training_out(training)


@router.get("/competencies", response=list[CompetencyOut])
def competencies(request, agency: str = ""):
    """The competency dictionary of an agency: the nine national ones and its own technical ones."""
    ag = _agency(request, agency, services.READERS)
    return [_competency_out(c) for c in selectors.competencies_for(ag)]


@router.post("/competencies", response={201: CompetencyOut})
def create_competency(request, payload: CompetencyIn):
    """Adds a technical competency of the agency (HR); a code in use gets ``422`` with ``fields.code``."""
    ag = _agency(request, payload.agency, services.HR)
    comp = services.create_competency(request.auth, agency=ag, code=payload.code, name=payload.name)
    return Status(201, _competency_out(comp))


@router.patch("/competencies/{code}", response=CompetencyOut)
def rename_competency(request, code: str, payload: CompetencyRenameIn):
    """Renames one of the agency's own technical competencies (HR); national ones are fixed (403)."""
    ag = _agency(request, payload.agency, services.HR)
    comp = selectors.agency_competency(ag, code)
    if comp is None:
        raise Http404
    services.rename_competency(request.auth, comp, name=payload.name)
    return _competency_out(comp)


@router.get("/competency/requirements", response=list[RequirementOut])
def requirements(request, agency: str = ""):
    """The required levels of every position of the agency, with the ids used to remove one."""
    ag = _agency(request, agency, services.READERS)
    return [_requirement_out(r) for r in selectors.requirements_for(ag)]


@router.post("/competency/requirements", response={201: RequirementOut})
def set_requirement(request, payload: RequirementIn):
    """The level of a competency required by a position (by its title)."""
    ag = _agency(request, payload.agency, services.HR)
    req = services.set_requirement(
        request.auth,
        agency=ag,
        position=payload.position,
        competency=_competency(payload.competency, ag),
        level=payload.level,
    )
    return Status(201, _requirement_out(req))


@router.delete("/competency/requirements/{id}", response={204: None})
def remove_requirement(request, id: int):
    """Removes a position's required level (HR); ``404`` to anyone who cannot read the agency's."""
    req = get_object_or_404(PositionRequirement.objects.select_related("competency"), pk=id)
    if not permissions.has_role(request.auth, services.READERS, agency=req.agency_id):
        raise Http404
    services.remove_requirement(request.auth, req)
    return Status(204, None)


class AssessmentOut(Schema):
    competency: str
    level: int
    assessed_on: dt.date


@router.post("/employees/{nip}/assessments", response={201: AssessmentOut})
def record_assessment(request, nip: str, payload: AssessmentIn):
    emp = selectors.employee_for(request.auth, nip)
    a = services.record_assessment(
        request.auth,
        emp,
        competency=_competency(payload.competency, emp.unit.agency),
        level=payload.level,
        assessed_on=payload.assessed_on,
        method=payload.method,
    )
    return Status(
        201, {"competency": a.competency.code, "level": a.level, "assessed_on": a.assessed_on}
    )


@router.get("/mentoring", response=Page[MentoringOut])
def list_mentoring(request, agency: str = "", limit: int = 50, offset: int = 0):
    """Mentoring and coaching pairs of the agency (HR; a role held in a unit: the pairs whose mentee
    it covers), running pairs first, then the most recently started, a page at a time."""
    ag, _units = _scope(request, agency, services.HR)
    pairs = selectors.mentoring_list(request.auth).filter(mentee__unit__agency=ag)
    return paging.page(pairs, limit, offset, lambda rows: [_mentoring_out(m) for m in rows])


@router.post("/mentoring", response={201: MentoringOut})
def start_mentoring(request, payload: MentoringIn):
    """Pair a mentor and a mentee of the same agency (HR of it). A NIP not in an agency where the caller
    is HR is ``422`` ``NIP tidak terdaftar.``, whether it exists elsewhere or not (``403`` for a caller
    who is HR nowhere)."""
    agencies = _acting_agencies(request, services.HR)
    mentor = selectors.employees_named(payload.mentor, agencies).first()
    mentee = selectors.employees_named(payload.mentee, agencies).first()
    if mentor is None or mentee is None:
        raise ApiError(
            422,
            "invalid_input",
            _("NIP tidak terdaftar."),
            {
                k: _("NIP tidak terdaftar.")
                for k, v in (("mentor", mentor), ("mentee", mentee))
                if v is None
            },
        )
    m = services.start_mentoring(
        request.auth,
        mentor=mentor,
        mentee=mentee,
        goals=payload.goals,
        start=payload.start,
        kind=payload.kind,
    )
    return Status(201, _mentoring_out(m))


@router.post("/mentoring/{id}/sessions", response={201: MentoringOut})
def add_session(request, id: int, payload: SessionIn):
    """A session recorded by the mentor or HR."""
    from .models import Mentoring

    m = get_object_or_404(Mentoring.objects.select_related("mentor", "mentee__unit"), pk=id)
    if not (services.is_self(request.auth, m.mentor) or services.can_view(request.auth, m.mentee)):
        raise Http404
    services.add_session(
        request.auth,
        m,
        held_on=payload.held_on,
        topic=payload.topic,
        notes=payload.notes,
        outcome=payload.outcome,
    )
    return Status(201, _mentoring_out(m))


@router.post("/skp/{id}/objection-response", response=SkpOut)
def resolve_objection(request, id: int, payload: ObjectionResponseIn):
    """HR (or the official above the rater) answers the ASN's objection; the SKP becomes final.
    ``409 no_objection`` when no objection waits (answered meanwhile, perhaps by a request sent at
    the same time)."""
    skp = _skp(request, id)
    try:
        skp = services.resolve_objection(
            request.auth,
            skp,
            response=payload.response,
            hasil_kerja=payload.hasil_kerja or None,
            perilaku=payload.perilaku or None,
        )
    except services.StateConflict as exc:
        raise _conflict(exc) from None
    return _skp_out(skp)


def _conflict(exc) -> ApiError:
    """A service's ``StateConflict``: 409 with its code, the message also on ``status``."""
    return ApiError(409, exc.code, str(exc.message_text), field=exc.field)


@contextlib.contextmanager
def _conflicts():
    """Answers a service's ``StateConflict`` (the record moved on since the caller read it, perhaps
    by a request sent at the same time) with 409 and its code (:func:`_conflict`); any other refusal
    of the service keeps its own answer (``ValidationError``: 422 on its field)."""
    try:
        yield
    except services.StateConflict as exc:
        raise _conflict(exc) from None


# --- Imports and exports -------------------------------------------------------------------------

IMPORTERS = {
    "asn": services.import_asn,
    "diklat": services.import_trainings,
    "skp": services.import_skp,
}


class ImportedOut(Schema):
    """What an import wrote: ``asn`` answers ``created`` and ``updated``, ``diklat`` ``created``,
    ``skp`` ``imported`` (only those keys)."""

    created: int | None = Field(None, description="Baris baru (asn, diklat)")
    updated: int | None = Field(None, description="ASN yang diperbarui (asn)")
    imported: int | None = Field(None, description="SKP yang diimpor (skp)")


@router.post("/imports/{kind}", response={201: ImportedOut}, exclude_unset=True)
def import_file(request, kind: str, file: UploadedFile = File(...), agency: str = ""):
    """All-or-nothing import of ``asn``, ``diklat`` or ``skp`` rows from CSV or XLSX."""
    if kind not in IMPORTERS:
        raise ApiError(404, "not_found", _("Jenis impor tidak dikenal (asn, diklat, skp)."))
    ag = _agency(request, agency, services.HR)
    # A refused file (tabular.ImportRejected) is answered by amanah/api.py: 422 ``import_rejected``.
    result = IMPORTERS[kind](request.auth, ag, file, filename=file.name)
    return Status(201, result)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/exports/{kind}",
    openapi_extra={
        "responses": {
            200: {
                "description": "The report as a file (Content-Disposition: attachment)",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def export_file(request, kind: str, year: int | None = None, agency: str = "", format: str = "csv"):
    """BKN-style reports: ``diklat``, ``skp``, ``hukdis``, ``indeks``, ``jp`` as CSV or XLSX; for HR
    held in a unit, of the ASN of the units it covers only."""
    if kind not in selectors.EXPORTS:
        raise ApiError(404, "not_found", _("Jenis ekspor tidak dikenal."))
    if format not in ("csv", "xlsx"):
        raise ApiError(400, "invalid_format", _("Format harus csv atau xlsx."), field="format")
    ag, units = _scope(request, agency, services.HR)
    y = _year(year)
    header, rows = selectors.export_rows(kind, ag, y, units=units)
    data, ctype = selectors.render_export(header, rows, format)
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{kind}-{ag.code}-{y}.{format}"'
    return response


# --- Transfer between agencies (mutasi) -------------------------------------------------------------


class EmployeeTransferIn(Schema):
    nip: str = Field(max_length=40)
    unit: str = Field(max_length=60, description="Kode unit kerja tujuan (instansi penerima)")
    position: str = Field(max_length=200, description="Jabatan di instansi tujuan")
    sk_number: str = Field(max_length=100, description="Nomor SK mutasi")
    sk_date: dt.date = Field(description="Tanggal SK mutasi")


class EmployeeTransferDecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=2000, description="Alasan penolakan (wajib bila ditolak)")


class EmployeeTransferOut(Schema):
    id: int
    nip: str
    name: str
    status: str
    status_label: str
    from_agency: str
    to_agency: str
    to_unit: str
    position: str
    sk_number: str
    sk_date: dt.date
    requested_at: dt.datetime
    decided_at: dt.datetime | None = None
    moved_on: dt.date | None = None
    refusal_reason: str


def _transfer_out(t: Transfer) -> dict:
    return {
        "id": t.pk,
        "nip": t.employee.nip,
        "name": t.employee.name,
        "status": t.status,
        "status_label": str(t.get_status_display()),
        "from_agency": t.from_agency.code,
        "to_agency": t.to_agency.code,
        "to_unit": t.to_unit.code,
        "position": t.position,
        "sk_number": t.sk_number,
        "sk_date": t.sk_date,
        "requested_at": t.requested_at,
        "decided_at": t.decided_at,
        "moved_on": t.moved_on,
        "refusal_reason": t.refusal_reason,
    }


def _transfer(request, id: int) -> Transfer:
    transfer = get_object_or_404(selectors.transfers(), pk=id)
    if not services.may_see_transfer(request.auth, transfer):
        raise Http404
    return transfer


@router.post("/transfers", response={201: EmployeeTransferOut})
def request_transfer(request, payload: EmployeeTransferIn):
    """The receiving agency's HR asks for an ASN registered at another agency to move to one of its
    units, with the SK mutasi; the origin's HR decides. ``409 transfer_pending`` when a request for
    the ASN waits already (perhaps sent at the same time)."""
    if permissions.agency_ids(request.auth, services.HR) == set():
        raise ApiError(403, "forbidden", _("Anda tidak berwenang."))
    unit = _unit_or_422(payload.unit)
    with _conflicts():
        t = services.request_transfer(
            request.auth,
            nip=payload.nip,
            to_unit=unit,
            position=payload.position,
            sk_number=payload.sk_number,
            sk_date=payload.sk_date,
        )
    return Status(201, _transfer_out(selectors.transfers().get(pk=t.pk)))


@router.get("/transfers", response=Page[EmployeeTransferOut])
def list_transfers(request, agency: str = "", status: str = "", limit: int = 50, offset: int = 0):
    """Transfers into and out of the agency (HR held agency-wide), newest first; ``status`` one of
    ``diajukan``, ``disetujui``, ``ditolak``."""
    ag = _agency(request, agency, services.HR)
    qs = selectors.transfers_of(ag)
    if status:
        qs = qs.filter(status=status)
    return paging.page(qs, limit, offset, lambda rows: [_transfer_out(t) for t in rows])


@router.get("/transfers/{id}", response=EmployeeTransferOut)
def get_transfer(request, id: int):
    return _transfer_out(_transfer(request, id))


@router.post("/transfers/{id}/decision", response=EmployeeTransferOut)
def decide_transfer(request, id: int, payload: EmployeeTransferDecisionIn):
    """The origin agency's HR (or a platform admin) approves or refuses. ``409 transfer_decided``
    when decided already (perhaps by a request sent at the same time); ``409 case_pending`` /
    ``skp_pending`` while a discipline case or an SKP at the origin is not final; ``403
    own_request`` for the one who requested it, ``own_transfer`` for the ASN concerned."""
    transfer = _transfer(request, id)
    try:
        with _conflicts():
            t = services.decide_transfer(
                request.auth, transfer, approve=payload.approve, reason=payload.reason
            )
    except services.OwnRecord as exc:
        raise ApiError(403, exc.code, str(exc)) from None
    return _transfer_out(selectors.transfers().get(pk=t.pk))


#: The refusals each operation declares beyond those of its token and its input
#: (``core.api_utils.declare_refusals``): every operation takes a staff token, may be refused by role
#: (403) and does not show what the caller may not see (404); a write may be refused by the record's
#: state (409) or by its rules (422).
#: What a 409 of an operation that acts on a record's state means, with its codes (the OpenAPI document).
CONFLICTS = {
    "rate_skp": "The SKP can no longer be rated: the ASN objected (`skp_objected`) or it is final "
    "(`skp_final`), perhaps since the caller read it.",
    "object_skp": "The SKP is not rated yet (`not_rated`), an objection was filed already "
    "(`already_objected`) or it is final (`skp_final`).",
    "resolve_objection": "No objection waits for an answer (`no_objection`): it was answered "
    "already, perhaps by a request sent at the same time.",
    "summon": "The case was decided already (`case_decided`).",
    "examine": "The case was decided already (`case_decided`).",
    "decide": "The case was decided already (`case_decided`), perhaps by a request sent at the same "
    "time.",
    "appeal": "An appeal was filed already (`already_appealed`), perhaps by a request sent at the same "
    "time; the case was closed without a sanction (`case_closed`) or is not decided yet "
    "(`not_decided`).",
    "decide_appeal": "The appeal was decided already (`appeal_decided`), perhaps by a request sent at "
    "the same time, or none was filed (`no_appeal`).",
    "decide_award": "The proposal was decided already (`award_decided`), perhaps by a request sent at "
    "the same time.",
    "record_training": "The ASN has this activity on that date already (`training_exists`, "
    "`fields.completed_on`).",
    "request_transfer": "A transfer request for the ASN waits already (`transfer_pending`), perhaps "
    "sent at the same time.",
    "decide_transfer": "The request was decided already (`transfer_decided`), perhaps by a request "
    "sent at the same time; a discipline case (`case_pending`) or an SKP (`skp_pending`) of the ASN "
    "at the origin is not final yet; the ASN left the origin meanwhile (`transfer_stale`).",
}

declare_refusals(
    router,
    {
        **{name: {409: text} for name, text in CONFLICTS.items()},
        "import_file": {
            422: "A field is not valid, or the file is rejected as a whole (`import_rejected`): every "
            'problem in `fields`, keyed `"row.column"`, and listed in `rows`.',
        },
    },
    staff=(403, 404),
    writes=(409, 422),
)
