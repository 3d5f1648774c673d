"""SKM writes: one function per use case, each in one transaction with its permission check and audit entry.

Individual public answers are the exception to "one audit entry per write": a unit may collect thousands a
day and the audit chain serialises its writers, so answers are counted, not audited; every staff action
(periods, state changes, paper uploads, plans) is audited.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amanah.core import audit, permissions, ratelimit, tabular
from amanah.core.crypto import keyed_hash
from amanah.core.models import Service, Unit
from amanah.core.records import translated
from amanah.core.rules import Text

from . import rules, selectors
from .models import (
    Channel,
    DeviceMark,
    FollowUpPlan,
    FrozenBreakdowns,
    PeriodStatus,
    PlanStatus,
    Response,
    SurveyPeriod,
)

SUGGESTION_MAX = 2000
TITLE_MAX = 200  # SurveyPeriod.title
ANALYSIS_MAX = 10000
ACTION_MAX = 4000
OWNER_MAX = 200  # FollowUpPlan.owner
NOTE_MAX = 4000


class SurveyError(Exception):
    """A refused action with a machine code, an Indonesian message, an HTTP-like status and field errors."""

    def __init__(self, code: str, message: str, status: int = 400, fields: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields or {}


def agency_weight(agency) -> str:
    """An agency chooses the printed 0,111 weight in ``Agency.options["skm_weight"] = "0.111"``; the
    default is the exact 1/9."""
    value = str((agency.options or {}).get("skm_weight", "exact"))
    return value if value in rules.WEIGHTS else "exact"


def population_too_large() -> str:
    """The refusal of a population above :data:`rules.POPULATION_MAX`, in the reader's language and
    number format."""
    limit = number_format(rules.POPULATION_MAX, force_grouping=True)
    return _("Populasi paling banyak %(max)s pengguna layanan.") % {"max": limit}


def _check_dates(start, end, population, errors: dict | None = None):
    """Refuse a bad population or date range, with ``errors`` already found on other fields."""
    errors = dict(errors or {})
    if not isinstance(population, int) or isinstance(population, bool) or population < 1:
        errors["population"] = _(
            "Populasi (jumlah pengguna layanan) harus bilangan bulat lebih dari nol."
        )
    elif population > rules.POPULATION_MAX:
        errors["population"] = population_too_large()
    if start and end and end < start:
        errors["end"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    if errors:
        raise SurveyError("invalid_input", " ".join(errors.values()), 422, errors)


def _refuse_overlap(unit, service, start, end, *, exclude=None) -> None:
    """Refuse (409 ``period_overlap``) dates that overlap another period, of any status, of the same unit
    about the same service (or, for a unit-wide period, another unit-wide one): the answers of one day
    would belong to two surveys of the same thing, and the comparison and the trend would hold both.
    A unit-wide period may overlap a period of one of its services (another questionnaire, another
    population): the counter poster leads to the unit-wide one, a complaint's link to its service's.
    The unit's row is locked, so two periods written at the same time cannot both pass."""
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    other = (
        SurveyPeriod.objects.filter(
            unit_id=unit.pk,
            service_id=getattr(service, "pk", None),
            start__lte=end,
            end__gte=start,
        )
        .exclude(pk=exclude)
        .order_by("start", "id")
        .first()
    )
    if other is None:
        return
    values = {"start": date_format(other.start, "j F Y"), "end": date_format(other.end, "j F Y")}
    if service is None:
        message = _(
            "Tanggal ini tumpang tindih dengan periode survei lain unit ini untuk seluruh "
            "layanannya (%(start)s – %(end)s). Pilih tanggal sebelum atau sesudahnya."
        )
    else:
        message = _(
            "Tanggal ini tumpang tindih dengan periode survei lain unit ini untuk layanan yang "
            "sama (%(start)s – %(end)s). Pilih tanggal sebelum atau sesudahnya."
        )
    message %= values
    field = "end" if exclude is not None else "start"
    raise SurveyError("period_overlap", message, 409, {field: message})


@transaction.atomic
def create_period(
    actor,
    *,
    unit: Unit,
    start: dt.date,
    end: dt.date,
    population: int,
    service: Service | None = None,
    title: str = "",
    weight: str | None = None,
) -> SurveyPeriod:
    """Plan a survey period for a unit (optionally one service of it); the required sample follows from
    the population (Krejcie & Morgan). It opens at once: answers are accepted from ``start`` to ``end``."""
    permissions.require(actor, rules.MANAGE_ROLES, unit=unit)
    title = (title or "").strip()
    errors = {}
    if len(title) > TITLE_MAX:
        errors["title"] = _("Judul paling panjang %(n)d karakter.") % {"n": TITLE_MAX}
    _check_dates(start, end, population, errors)
    if service is not None and service.unit_id != unit.pk:
        raise SurveyError(
            "invalid_input",
            _("Layanan tidak termasuk unit ini."),
            422,
            {"service": _("Layanan lain unit.")},
        )
    weight = weight or agency_weight(unit.agency)
    if weight not in rules.WEIGHTS:
        raise SurveyError(
            "invalid_input",
            _("Bobot tidak dikenal."),
            422,
            {"weight": _("Pilih exact atau 0.111.")},
        )
    _refuse_overlap(unit, service, start, end)
    period = SurveyPeriod.objects.create(
        agency=unit.agency,
        unit=unit,
        service=service,
        title=title,
        start=start,
        end=end,
        population=population,
        required_sample=rules.required_sample(population),
        weight=weight,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor,
        "surveys.period_created",
        period,
        {"unit": unit.code, "start": start, "end": end, "population": population, "weight": weight},
        agency_id=unit.agency_id,
    )
    return period


def _transition(actor, period: SurveyPeriod, target: str, action: str) -> SurveyPeriod:
    period = (
        SurveyPeriod.objects.select_for_update(of=("self",))
        .select_related("unit", "service")
        .get(pk=period.pk)
    )
    permissions.require(actor, rules.MANAGE_ROLES, unit=period.unit)
    if target not in rules.TRANSITIONS[period.status]:
        messages = {
            rules.PUBLISHED: _("Periode sudah dipublikasikan dan tidak dapat diubah lagi."),
            rules.OPEN: _("Periode masih dibuka; tutup dulu sebelum dipublikasikan."),
            rules.CLOSED: _("Periode sudah ditutup."),
        }
        raise SurveyError("invalid_state", messages[period.status], 409)
    now = timezone.now()
    period.status = target
    if target == rules.CLOSED:
        period.closed_at = now
        period.snapshot = selectors.results(period)
    elif target == rules.OPEN:
        period.snapshot = None
        period.closed_at = None
    elif target == rules.PUBLISHED:
        snap = selectors.results(period)
        if snap["respondents"] == 0:
            raise SurveyError(
                "no_answers", _("Periode tanpa jawaban tidak dapat dipublikasikan."), 409
            )
        period.snapshot = snap
        period.published_at = now
    period.save()
    if target == rules.PUBLISHED:
        # the public page, report and API read these, never the answers again
        freeze_breakdowns(period)
    audit.record(
        actor,
        action,
        period,
        {
            "status": target,
            "ikm": (period.snapshot or {}).get("ikm"),
            "respondents": (period.snapshot or {}).get("respondents"),
        },
        agency_id=period.agency_id,
    )
    return period


@transaction.atomic
def close_period(actor, period: SurveyPeriod) -> SurveyPeriod:
    """Stop collecting answers and freeze the results."""
    return _transition(actor, period, rules.CLOSED, "surveys.period_closed")


@transaction.atomic
def reopen_period(actor, period: SurveyPeriod, *, end: dt.date | None = None) -> SurveyPeriod:
    """Take answers again. A period whose end date has passed (by the agency's date; the sweep closed it)
    needs a new ``end``, today or later, or it would refuse every answer and be closed again within the
    hour: without one it is refused (422 ``end_passed``). ``end`` may also move the end of a period that
    has not ended; it may not make the period overlap another of the same unit and service."""
    locked = (
        SurveyPeriod.objects.select_for_update(of=("self",))
        .select_related("unit", "service", "agency")
        .get(pk=period.pk)
    )
    permissions.require(actor, rules.MANAGE_ROLES, unit=locked.unit)
    if locked.status == PeriodStatus.CLOSED:  # otherwise _transition refuses it for its state
        new_end = _reopened_end(locked, end)
        if new_end != locked.end:
            SurveyPeriod.objects.filter(pk=locked.pk).update(end=new_end)
            audit.record(
                actor,
                "surveys.period_end_changed",
                locked,
                {"end": new_end, "previous_end": locked.end},
                agency_id=locked.agency_id,
            )
    return _transition(actor, locked, rules.OPEN, "surveys.period_reopened")


def _reopened_end(period: SurveyPeriod, end: dt.date | None) -> dt.date:
    """The end date a closed ``period`` reopens with (see :func:`reopen_period`), or a refusal."""
    today = selectors.local_today(period.agency)
    if end is None:
        if period.end >= today:
            return period.end
        message = _(
            "Tanggal selesai periode ini (%(end)s) sudah lewat, jadi survei tidak dapat menerima "
            "jawaban lagi. Isi tanggal selesai baru, hari ini atau sesudahnya, untuk membukanya kembali."
        ) % {"end": date_format(period.end, "j F Y")}
        raise SurveyError("end_passed", message, 422, {"end": message})
    if end < today:
        message = _("Tanggal selesai baru tidak boleh sebelum hari ini (%(today)s).") % {
            "today": date_format(today, "j F Y")
        }
        raise SurveyError("invalid_input", message, 422, {"end": message})
    if end < period.start:
        message = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        raise SurveyError("invalid_input", message, 422, {"end": message})
    if end != period.end:
        _refuse_overlap(period.unit, period.service, period.start, end, exclude=period.pk)
    return end


@transaction.atomic
def publish_period(actor, period: SurveyPeriod, analysis: str | None = None) -> SurveyPeriod:
    """Make the results public (page, PDF report, XLSX of the anonymous answers). Final."""
    if analysis is not None:
        analysis = _analysis(analysis)
        SurveyPeriod.objects.filter(pk=period.pk).update(analysis=analysis)
    return _transition(actor, period, rules.PUBLISHED, "surveys.period_published")


def _analysis(analysis: str) -> str:
    analysis = (analysis or "").strip()
    if len(analysis) > ANALYSIS_MAX:
        message = _("Analisis paling panjang %(n)d karakter.") % {"n": ANALYSIS_MAX}
        raise SurveyError("invalid_input", message, 422, {"analysis": message})
    return analysis


@transaction.atomic
def set_analysis(actor, period: SurveyPeriod, analysis: str) -> SurveyPeriod:
    period = SurveyPeriod.objects.select_for_update().get(pk=period.pk)
    permissions.require(actor, rules.MANAGE_ROLES, unit=period.unit)
    if period.status == PeriodStatus.PUBLISHED:
        raise SurveyError(
            "invalid_state", _("Periode sudah dipublikasikan dan tidak dapat diubah lagi."), 409
        )
    period.analysis = _analysis(analysis)
    period.save(update_fields=["analysis"])
    audit.record(actor, "surveys.analysis_updated", period, {}, agency_id=period.agency_id)
    return period


# --- public answers -----------------------------------------------------------------------------------------
def device_digest(period: SurveyPeriod, device: str, day: dt.date) -> str:
    """One-way keyed hash of (device identifier, period, day); unlinkable across days and periods."""
    return keyed_hash(f"{device}|{period.pk}|{day.isoformat()}", "skm-device")


def _resolve_service(period: SurveyPeriod, value) -> Service | None:
    if value in (None, ""):
        return period.service
    qs = Service.objects.filter(unit_id__in=period.unit.descendant_ids())
    text = str(value).strip()
    found = qs.filter(pk=int(text)).first() if text.isdecimal() else None
    found = found or qs.filter(code__iexact=text).first() or qs.filter(name__iexact=text).first()
    if found is None:
        raise rules.AnswerError(
            {"profile.service": gettext_noop("Layanan tidak dikenal di unit ini.")}
        )
    if period.service_id and found.pk != period.service_id:
        raise rules.AnswerError(
            {
                "profile.service": Text(
                    gettext_noop("Survei ini hanya untuk layanan %(service)s."),
                    service=period.service.name,
                )
            }
        )
    return found


def check_rate(ident: str) -> None:
    count, window = getattr(settings, "SKM_ANSWER_RATE", settings.PUBLIC_FORM_RATE)
    if not ratelimit.hit("skm-answer", ident, count, window):
        raise SurveyError(
            "rate_limited", _("Terlalu banyak kiriman dari jaringan Anda. Coba lagi nanti."), 429
        )


def check_takes_answers(period: SurveyPeriod, today: dt.date | None = None) -> None:
    """Refuse (409) unless the public may answer ``period`` now: it is open and ``today`` (by default the
    agency's date, see :func:`selectors.local_today`) lies between its start and end. The page, the
    questionnaire API and :func:`record_response` all ask this."""
    today = today or selectors.local_today(period.agency)
    if period.status not in rules.ACCEPTS_WEB_ANSWERS:
        raise SurveyError("period_closed", _("Survei periode ini sudah ditutup."), 409)
    if today < period.start:
        raise SurveyError("period_not_started", _("Survei periode ini belum dimulai."), 409)
    if today > period.end:
        raise SurveyError("period_ended", _("Survei periode ini sudah berakhir."), 409)


def purge_device_marks() -> int:
    """Delete the per-device daily marks of past days, each by its agency's date (a mark only matters
    on its own day). Returns how many were deleted."""
    deleted, _counts = DeviceMark.objects.filter(
        selectors.on_local_today(lambda today: Q(day__lt=today), "period__agency")
    ).delete()
    return deleted


def record_response(
    period: SurveyPeriod,
    *,
    answers: dict,
    profile: dict | None = None,
    suggestion: str = "",
    channel: str = Channel.WEB,
    device: str | None = None,
    honeypot: str = "",
) -> Response | None:
    """Store one questionnaire from the public. ``device`` is an opaque identifier (a random cookie, or a
    hash of the connection) used only to allow one answer per device per period per day; it is kept as a
    keyed hash of (device, period, day) and never with the answer. A filled honeypot returns None and
    stores nothing (bots are not told)."""
    cleaned = rules.clean_answers(answers)
    prof = rules.clean_profile(profile)
    service = _resolve_service(period, (profile or {}).get("service"))
    suggestion = (suggestion or "").strip()
    if len(suggestion) > SUGGESTION_MAX:
        raise rules.AnswerError(
            {
                "suggestion": Text(
                    gettext_noop("Saran paling panjang %(n)d karakter."), n=SUGGESTION_MAX
                )
            }
        )
    if honeypot:
        return None
    with transaction.atomic():
        # Locked, as close_period locks it: a close either waits for this answer (and counts it) or
        # commits first, and then the check below refuses the answer.
        period = (
            SurveyPeriod.objects.select_for_update(of=("self",))
            .select_related("agency", "unit", "service")
            .get(pk=period.pk)
        )
        now = selectors.local_now(period.agency)  # the agency's date and hour (WIB, WITA or WIT)
        today = now.date()
        check_takes_answers(period, today)
        if device:
            try:
                with transaction.atomic():
                    DeviceMark.objects.create(
                        period=period, day=today, digest=device_digest(period, device, today)
                    )
            except IntegrityError:
                raise SurveyError(
                    "already_answered",
                    _(
                        "Perangkat ini sudah mengisi survei ini hari ini. Terima kasih atas partisipasi Anda."
                    ),
                    409,
                ) from None
        return Response.objects.create(
            period=period,
            service=service,
            **{c.lower(): v for c, v in cleaned.items()},
            **prof,
            suggestion=suggestion,
            channel=channel,
            submitted_on=today,
            submitted_hour=now.hour,
        )


# --- paper questionnaires -----------------------------------------------------------------------------------
PAPER_COLUMNS = {
    # accepted header → field
    **{f"u{i}": f"u{i}" for i in range(1, 10)},
    "jenis_kelamin": "gender",
    "gender": "gender",
    "jk": "gender",
    "usia": "age",
    "umur": "age",
    "age": "age",
    "pendidikan": "education",
    "education": "education",
    "pekerjaan": "occupation",
    "occupation": "occupation",
    "layanan": "service",
    "jenis_layanan": "service",
    "service": "service",
    "saran": "suggestion",
    "suggestion": "suggestion",
    "tanggal": "date",
    "tanggal_survei": "date",
    "date": "date",
}


PAPER_OPTIONAL = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "layanan", "saran", "tanggal")
"""The optional columns as the form and docs name them (:data:`PAPER_COLUMNS` also takes aliases)."""


def _refuse_unknown_columns(header: list[str]) -> None:
    """A column that is not read would be dropped without a word (a date under ``tgl`` would become the
    period's start), and so would one of two columns naming one field (``saran`` and ``suggestion``):
    refuse the file, naming every such column."""
    unknown = [h for h in header if h and h not in PAPER_COLUMNS]
    if unknown:
        raise tabular.ImportRejected(
            [tabular.RowError(1, h, _("Kolom tidak dikenal.")) for h in unknown],
            _(
                "Kolom tidak dikenal: %(cols)s. Ganti judulnya dengan kolom yang dikenal "
                "(U1–U9, %(known)s) atau hapus kolom itu."
            )
            % {"cols": ", ".join(unknown), "known": ", ".join(PAPER_OPTIONAL)},
        )
    # Two names of one field (saran and suggestion): only one of the two columns could be kept.
    first: dict[str, str] = {}
    twice = []
    for h in header:
        if not h:
            continue
        field = PAPER_COLUMNS[h]
        if field in first and first[field] != h:
            twice.append(
                tabular.RowError(
                    1,
                    h,
                    _(
                        "Kolom %(col)s berisi data yang sama dengan kolom %(other)s; hapus salah satunya."
                    )
                    % {"col": h, "other": first[field]},
                )
            )
        first.setdefault(field, h)
    tabular.raise_if_errors(twice)


def _parse_date(text: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@transaction.atomic
def import_paper(actor, period: SurveyPeriod, upload, *, filename: str | None = None) -> int:
    """Enter a spreadsheet (XLSX or CSV) of paper questionnaires: columns U1–U9 (required) and optionally
    jenis_kelamin, usia, pendidikan, pekerjaan, layanan, saran, tanggal; any other column refuses the file.
    Every row is checked; if any row is wrong nothing is saved and
    :class:`amanah.core.tabular.ImportRejected` lists every problem."""
    period = (
        SurveyPeriod.objects.select_for_update(of=("self",))
        .select_related("unit", "service")
        .get(pk=period.pk)
    )
    permissions.require(actor, rules.ENTRY_ROLES, unit=period.unit)
    if period.status not in rules.ACCEPTS_PAPER_ANSWERS:
        raise SurveyError(
            "invalid_state", _("Periode sudah dipublikasikan; jawaban tidak dapat ditambah."), 409
        )
    header, rows = tabular.read_rows(upload, filename=filename)
    tabular.require_columns(header, [f"u{i}" for i in range(1, 10)])
    _refuse_unknown_columns(header)
    errors: list[tabular.RowError] = []
    objects = []
    for row in rows:
        values = {PAPER_COLUMNS[k]: v for k, v in row.items() if k in PAPER_COLUMNS}
        answers = {f"U{i}": values.get(f"u{i}", "") for i in range(1, 10)}
        profile = {
            k: values.get(k, "") for k in ("gender", "age", "education", "occupation", "service")
        }
        problems: dict[str, str] = {}
        cleaned = prof = service = None
        for step in ("answers", "profile", "service"):
            try:
                if step == "answers":
                    cleaned = rules.clean_answers(answers)
                elif step == "profile":
                    prof = rules.clean_profile(profile)
                else:
                    service = _resolve_service(period, profile["service"])
            except rules.AnswerError as exc:
                problems.update(exc.fields)
        if problems:
            for field, message in problems.items():
                errors.append(
                    tabular.RowError(
                        row["_row"], field.removeprefix("profile."), translated(message)
                    )
                )
            continue
        day = period.start
        if values.get("date"):
            day = _parse_date(values["date"])
            if day is None:
                errors.append(
                    tabular.RowError(
                        row["_row"], "tanggal", _("Tanggal harus berformat TTTT-BB-HH.")
                    )
                )
                continue
            if not period.start <= day <= period.end:
                errors.append(
                    tabular.RowError(row["_row"], "tanggal", _("Tanggal di luar periode survei."))
                )
                continue
        suggestion = values.get("suggestion", "")
        if len(suggestion) > SUGGESTION_MAX:
            errors.append(tabular.RowError(row["_row"], "saran", _("Saran terlalu panjang.")))
            continue
        objects.append(
            Response(
                period=period,
                service=service,
                **{c.lower(): v for c, v in cleaned.items()},
                **prof,
                suggestion=suggestion,
                channel=Channel.PAPER,
                submitted_on=day,
            )
        )
    if not objects and not errors:
        errors.append(tabular.RowError(0, "", _("Berkas tidak berisi satu pun kuesioner.")))
    tabular.raise_if_errors(errors)
    Response.objects.bulk_create(objects, batch_size=1000)
    if period.status == PeriodStatus.CLOSED:
        period.snapshot = selectors.results(period)
        period.save(update_fields=["snapshot"])
    audit.record(
        actor,
        "surveys.paper_imported",
        period,
        {"rows": len(objects), "file": (filename or "")[:100]},
        agency_id=period.agency_id,
    )
    return len(objects)


# --- follow-up ----------------------------------------------------------------------------------------------
def _plan_fields(element, action, owner, due):
    errors = {}
    if element not in rules.BY_CODE:
        errors["element"] = _("Unsur harus U1 sampai U9.")
    action, owner = (action or "").strip(), (owner or "").strip()
    if not action:
        errors["action"] = _("Tuliskan kegiatan perbaikan.")
    elif len(action) > ACTION_MAX:
        errors["action"] = _("Kegiatan perbaikan paling panjang %(n)d karakter.") % {
            "n": ACTION_MAX
        }
    if not owner:
        errors["owner"] = _("Tuliskan penanggung jawab.")
    elif len(owner) > OWNER_MAX:
        errors["owner"] = _("Penanggung jawab paling panjang %(n)d karakter.") % {"n": OWNER_MAX}
    if not isinstance(due, dt.date):
        errors["due"] = _("Tuliskan target tanggal.")
    if errors:
        raise SurveyError("invalid_input", " ".join(errors.values()), 422, errors)


@transaction.atomic
def add_plan(
    actor, period: SurveyPeriod, *, element: str, action: str, owner: str, due: dt.date
) -> FollowUpPlan:
    """Write a follow-up action (rencana tindak lanjut) for an element, with its owner and target date.
    Plans are written once the period is closed (its results known)."""
    period = SurveyPeriod.objects.select_related("unit").get(pk=period.pk)
    permissions.require(actor, rules.MANAGE_ROLES, unit=period.unit)
    element = str(element or "").strip().upper()
    _plan_fields(element, action, owner, due)
    if period.status == PeriodStatus.OPEN:
        raise SurveyError(
            "invalid_state",
            _("Tutup periode dulu; rencana tindak lanjut disusun dari hasilnya."),
            409,
        )
    plan = FollowUpPlan.objects.create(
        period=period,
        element=element,
        action=action.strip(),
        owner=owner.strip(),
        due=due,
    )
    audit.record(
        actor,
        "surveys.plan_added",
        plan,
        {"period": period.pk, "element": element, "due": due},
        agency_id=period.agency_id,
    )
    return plan


@transaction.atomic
def report_progress(
    actor, plan: FollowUpPlan, *, progress: int, note: str = "", status: str | None = None
) -> FollowUpPlan:
    """Report how far a follow-up action has come (0–100 %); 100 % marks it done."""
    plan = (
        FollowUpPlan.objects.select_for_update(of=("self",))
        .select_related("period__unit")
        .get(pk=plan.pk)
    )
    permissions.require(actor, rules.MANAGE_ROLES, unit=plan.period.unit)
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise SurveyError(
            "invalid_input",
            _("Kemajuan harus 0 sampai 100 persen."),
            422,
            {"progress": _("Kemajuan harus 0 sampai 100 persen.")},
        )
    if status is not None and status not in PlanStatus.values:
        raise SurveyError(
            "invalid_input", _("Status tidak dikenal."), 422, {"status": _("Status tidak dikenal.")}
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        message = _("Catatan kemajuan paling panjang %(n)d karakter.") % {"n": NOTE_MAX}
        raise SurveyError("invalid_input", message, 422, {"note": message})
    plan.progress = progress
    plan.progress_note = note
    if status:
        plan.status = status
    elif progress >= 100:
        plan.status = PlanStatus.DONE
    elif progress > 0:
        plan.status = PlanStatus.IN_PROGRESS
    plan.updated_at = timezone.now()
    plan.save()
    audit.record(
        actor,
        "surveys.plan_progress",
        plan,
        {"progress": progress, "status": plan.status},
        agency_id=plan.period.agency_id,
    )
    return plan


def close_ended_periods(today: dt.date | None = None) -> int:
    """System sweep: close every open period whose end date has passed in its agency's time zone (or
    before ``today`` when given), freezing its results, one transaction and one audit entry per period.
    Returns how many were closed."""
    if today is not None:
        ended = Q(end__lt=today)
    else:
        ended = selectors.on_local_today(lambda today: Q(end__lt=today))
    closed = 0
    for pk in SurveyPeriod.objects.filter(ended, status=PeriodStatus.OPEN).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            period = (
                SurveyPeriod.objects.select_for_update(of=("self",))
                .select_related("unit", "service")
                .get(pk=pk)
            )
            if period.status != PeriodStatus.OPEN:
                continue
            period.status = PeriodStatus.CLOSED
            period.closed_at = timezone.now()
            period.snapshot = selectors.results(period)
            period.save()
            audit.record(
                "system",
                "surveys.period_closed",
                period,
                {
                    "status": period.status,
                    "reason": "end_passed",
                    "ikm": period.snapshot["ikm"],
                    "respondents": period.snapshot["respondents"],
                },
                agency_id=period.agency_id,
            )
            closed += 1
    return closed


def freeze_breakdowns(period: SurveyPeriod) -> dict:
    """Compute the breakdowns of a published period under the current ``selectors.min_group`` and keep
    them (:class:`FrozenBreakdowns`), which its public page, report and API then read
    (``selectors.breakdowns``). Called by the publication, inside its transaction, and by
    :func:`freeze_published_breakdowns`. A derived copy of what the answers say, like the snapshot: no
    audit entry of its own."""
    threshold = selectors.min_group()
    data = selectors.compute_breakdowns(period, threshold)
    FrozenBreakdowns.objects.update_or_create(
        period_id=period.pk,
        defaults={"min_group": threshold, "version": selectors.BREAKDOWNS_VERSION, "data": data},
    )
    return data


FREEZE_BATCH = 25
"""The most published periods whose breakdowns one sweep freezes when ``settings.SKM_FREEZE_BATCH``
(``AMANAH_SKM_FREEZE_BATCH``, 25 by default) is not set. After an upgrade that changes how breakdowns are computed, or a new
``AMANAH_SKM_MIN_GROUP``, every published period needs them again; the hourly sweep takes them a batch
at a time, the latest published first, so that one run does not hold the workers for every period of
every year; pages compute the rest from the answers meanwhile, as they do for any period not frozen."""


def freeze_batch() -> int:
    return max(1, int(getattr(settings, "SKM_FREEZE_BATCH", FREEZE_BATCH)))


def freeze_published_breakdowns(limit: int | None = None) -> int:
    """System sweep: freeze the breakdowns of published periods that have none under the current
    minimum group and version (published before they were frozen, or after ``AMANAH_SKM_MIN_GROUP`` or
    ``selectors.BREAKDOWNS_VERSION`` changed), one transaction per period, so that no public reading has
    to compute them, nor ever writes: at most ``limit`` of them (:func:`freeze_batch` by default), the
    latest published first; the next sweep goes on with the rest. Returns how many were frozen."""
    limit = freeze_batch() if limit is None else limit
    frozen = 0
    pending = selectors.unfrozen_published().order_by(
        F("published_at").desc(nulls_last=True), "-pk"
    )
    for pk in pending.values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            period = (
                SurveyPeriod.objects.select_for_update(of=("self",))
                .select_related("unit", "service")
                .get(pk=pk)
            )
            if period.status != PeriodStatus.PUBLISHED:
                continue
            freeze_breakdowns(period)
            frozen += 1
    return frozen


def record_answers_export(actor, period: SurveyPeriod, *, suggestions: bool = False) -> None:
    """Audit a download of the full answers list of ``period`` (dates, channels, services and profiles
    beside the scores), which only staff who may read the unit's surveys get; ``suggestions``: with the
    sheet of the respondents' suggestions."""
    permissions.require(actor, rules.READ_ROLES, unit=period.unit)
    with transaction.atomic():
        audit.record(
            actor,
            "surveys.answers_exported",
            period,
            {
                "respondents": (period.snapshot or {}).get("respondents"),
                "suggestions": suggestions,
            },
            agency_id=period.agency_id,
        )


def record_suggestions_read(actor, period: SurveyPeriod, *, offset: int, items: int) -> None:
    """Audit a page of the suggestions of ``period`` read through the API (``GET …/suggestions``): free
    text that may name the respondent or an officer, read in bulk by a token, as the download of the
    answers file with them is audited. Only the unit's survey staff
    (``selectors.can_read_suggestions``) may read them."""
    permissions.require(actor, rules.ENTRY_ROLES, unit=period.unit)
    with transaction.atomic():
        audit.record(
            actor,
            "surveys.suggestions_read",
            period,
            {"offset": offset, "items": items},
            agency_id=period.agency_id,
        )
