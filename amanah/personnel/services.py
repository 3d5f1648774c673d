"""Every write of the personnel app: one function per use case, one transaction, a permission check
and an audit entry. Bad input raises ``ValidationError`` with the offending field, so pages re-render
with the person's input and the API answers with a structured error; nothing is half-saved."""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amanah.core import audit, notify, permissions
from amanah.core.calendar import Calendar, out_of_years
from amanah.core.models import Employee, Role, Unit, UnitKind
from amanah.core.records import in_site_language, translated

from . import rules
from .models import (
    Absence,
    Appeal,
    Assessment,
    Award,
    CaseStatus,
    Competency,
    DisciplineCase,
    Examination,
    Mentoring,
    MentoringSession,
    PositionRequirement,
    Profile,
    Program,
    Reminder,
    Skp,
    SkpIndicator,
    SkpPeriod,
    SkpStatus,
    Summons,
    Training,
    TrainingStatus,
    Transfer,
    TransferStatus,
)

HR = [Role.HR]
#: Who reads the ASN directory, development records and aggregates of an agency.
READERS = [Role.HR, Role.LEADERSHIP, Role.AUDITOR]
#: Who reads individual performance records (besides the ASN and their superiors).
PERFORMANCE_READERS = [Role.HR, Role.LEADERSHIP]
#: Who reads individual discipline records (besides the ASN and their superiors).
DISCIPLINE_READERS = [Role.HR, Role.LEADERSHIP, Role.INSPECTORATE]
#: Who opens a discipline case and records summonses and examinations.
DISCIPLINE_HANDLERS = [Role.HR, Role.INSPECTORATE]
#: Who records a decision taken by an authorised official.
DECISION_RECORDERS = [Role.HR, Role.LEADERSHIP]
AWARD_PROPOSERS = [Role.HR, Role.LEADERSHIP]
AWARD_APPROVERS = [Role.LEADERSHIP]


def rule_tables(agency=None) -> dict:
    """The configurable tables of :mod:`rules`, with platform overrides (setting
    ``PERSONNEL_RULES``, from the JSON variable ``AMANAH_PERSONNEL_RULES``) and agency
    overrides (``Agency.options["personnel"]``).
    The predicate matrix may be given with keys ``"hasil,perilaku"``."""
    tables = rules.default_tables()
    for override in (
        getattr(settings, "PERSONNEL_RULES", None) or {},
        (getattr(agency, "options", None) or {}).get("personnel", {}),
    ):
        for key, value in override.items():
            if key == "predicate_matrix":
                value = {
                    tuple(k.split(",")) if isinstance(k, str) else k: v for k, v in value.items()
                }
            elif key == "decision_authority":
                value = {k: set(v) for k, v in value.items()}
            elif key in ("performance_points", "discipline_points"):
                value = {(None if k in ("", "none", None) else k): v for k, v in value.items()}
            tables[key] = value
    return tables


def _fail(field: str, message: str):
    raise ValidationError({field: [message]})


def _actor_employee(actor):
    return getattr(actor, "employee", None) if getattr(actor, "is_authenticated", False) else None


def active_superior(employee):
    """The nearest superior of ``employee`` still in the directory, for mail: a head who has left keeps
    the unit's ``head`` (and an e-mail address) until the directory is updated, and must not be told
    about a former subordinate. None when no superior is active. (``Employee.superiors`` itself keeps
    departed heads: integrity's exclusion lists rely on it.)"""
    return next((s for s in employee.superiors() if s.is_active), None)


def is_self(actor, employee) -> bool:
    emp = _actor_employee(actor)
    return emp is not None and emp.pk == employee.pk


def is_superior(actor, employee) -> bool:
    """True when ``actor``'s own employee record is a superior of ``employee`` still in the directory.
    A head who has left (directory entry switched off) keeps the unit's ``head`` until the directory is
    updated, but none of a superior's powers: reading, setting and rating SKP and deciding cases pass
    to the superiors above who are still active (``Employee.superiors`` lists them all)."""
    emp = _actor_employee(actor)
    return (
        emp is not None
        and emp.is_active
        and emp.pk != employee.pk
        and any(s.pk == emp.pk for s in employee.superiors())
    )


def can_view(actor, employee, what: str = "development") -> bool:
    """Privacy rule: development records are seen by the ASN, superiors, HR, leadership and
    auditors of the agency; performance and discipline only by the ASN, superiors, HR and the
    officials authorised for them (leadership; the inspectorate for discipline). A role held in a
    unit covers the ASN of that unit and the units below it only."""
    if is_self(actor, employee) or is_superior(actor, employee):
        return True
    roles = {
        "development": READERS,
        "performance": PERFORMANCE_READERS,
        "discipline": DISCIPLINE_READERS,
    }
    return permissions.has_role(
        actor, roles[what], agency=employee.unit.agency_id, unit=employee.unit
    )


def can_view_case(actor, case: DisciplineCase) -> bool:
    """Who reads a discipline case: as :func:`can_view` for a case of the ASN's present agency. A case
    of an agency the ASN has left by transfer is read by the ASN, by that agency's discipline readers
    (held agency-wide: its records stay with it), and at the present agency only while it follows the
    ASN (``selectors.case_follows``: a sanction still in force)."""
    employee = case.employee
    if case.agency_id == employee.unit.agency_id:
        return can_view(actor, employee, "discipline")
    if is_self(actor, employee) or permissions.has_role(
        actor, DISCIPLINE_READERS, agency=case.agency_id
    ):
        return True
    from . import selectors

    return can_view(actor, employee, "discipline") and selectors.case_follows(case)


def refuse_own_performance(actor, employee) -> None:
    """No one sets, rates, finalises or answers an objection to their own SKP, whatever role they hold
    (PermenPANRB 6/2022: the rating is the supervisor's)."""
    if is_self(actor, employee):
        raise PermissionDenied(_("Anda tidak dapat menilai atau memutus SKP Anda sendiri."))


def require_view(actor, employee, what: str = "development") -> None:
    if not can_view(actor, employee, what):
        raise PermissionDenied(_("Anda tidak berwenang melihat data pegawai ini."))


# --- ASN data -----------------------------------------------------------------------------------


def create_employee(
    actor, *, nip: str, name: str, unit: Unit, position: str, email: str = "", education: str = ""
) -> Employee:
    """Add an ASN to the directory (HR of the unit's agency). A bad or taken NIP is refused on ``nip``."""
    from amanah.core import rules as core_rules

    permissions.require(actor, HR, agency=unit.agency_id)
    errors = {}
    try:
        nip = core_rules.normalize_nip(nip)
    except core_rules.NIPError as exc:
        errors["nip"] = [translated(exc)]
    else:
        registered = Employee.objects.filter(nip=nip).select_related("unit").first()
        if registered is not None and registered.unit.agency_id == unit.agency_id:
            errors["nip"] = [_("NIP ini sudah terdaftar di instansi ini.")]
        elif registered is not None:
            # A NIP is national: the person moves by transfer (mutasi), which the agency holding the
            # SK mutasi requests; saying that the NIP is registered elsewhere tells it no more than
            # the SK already does (docs/personnel.md).
            errors["nip"] = [
                ValidationError(
                    _(
                        "NIP ini terdaftar di instansi lain. Bila pegawai ini pindah ke instansi "
                        "Anda, ajukan mutasi dengan nomor dan tanggal SK mutasi; instansi asal "
                        "menyetujuinya."
                    ),
                    code="registered_elsewhere",
                )
            ]
    name, position = (name or "").strip(), (position or "").strip()
    if not name:
        errors["name"] = [_("Nama wajib diisi.")]
    if not position:
        errors["position"] = [_("Jabatan wajib diisi.")]
    if education and education not in rules.EDUCATION_LEVELS:
        errors["education"] = [_("Jenjang pendidikan tidak dikenal.")]
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Alamat email tidak sah.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        emp = Employee(nip=nip, name=name[:200], unit=unit, position=position[:200], email=email)
        emp.full_clean()
        emp.save()
        if education:
            Profile.objects.create(employee=emp, education=education)
        audit.record(
            actor, "personnel.employee_created", emp, {"unit": unit.pk}, agency_id=unit.agency_id
        )
    return emp


def set_education(actor, employee, education: str, major: str = "") -> Profile:
    permissions.require(actor, HR, agency=employee.unit.agency_id)
    if education not in rules.EDUCATION_LEVELS:
        _fail("education", _("Jenjang pendidikan tidak dikenal."))
    with transaction.atomic():
        profile, _created = Profile.objects.update_or_create(
            employee=employee, defaults={"education": education, "education_major": major[:200]}
        )
        audit.record(
            actor,
            "personnel.education_set",
            employee,
            {"education": education},
            agency_id=employee.unit.agency_id,
        )
    return profile


# --- Competency development -----------------------------------------------------------------------


def _jp(value, agency=None) -> Decimal:
    try:
        return rules.validate_jp(value, rule_tables(agency)["jp_max_per_record"])
    except ValueError as exc:
        _fail("jp", translated(exc))


def create_program(
    actor,
    *,
    agency,
    code: str,
    title: str,
    category: str,
    method: str,
    competency_type: str,
    jp,
    provider: str = "",
    description: str = "",
    competencies=(),
) -> Program:
    """Add a programme to the catalogue: the agency's own (HR) or a national one (admin, agency None).
    Its competencies are national ones or the agency's own."""
    if agency is None:
        if not permissions.is_platform_admin(actor):
            raise PermissionDenied(_("Hanya admin platform yang menambah program nasional."))
    else:
        permissions.require(actor, HR, agency=agency)
    errors = {}
    if not code or not re.fullmatch(r"[-a-zA-Z0-9_]{1,60}", code):
        errors["code"] = [_("Kode program hanya huruf, angka, - dan _ (paling panjang 60).")]
    elif Program.objects.filter(code=code).exists():
        errors["code"] = [_("Kode program wajib diisi dan belum dipakai.")]
    if not (title or "").strip():
        errors["title"] = [_("Nama program wajib diisi.")]
    if category not in rules.PROGRAM_CATEGORIES:
        errors["category"] = [_("Kategori tidak dikenal.")]
    if method not in rules.PROGRAM_METHODS:
        errors["method"] = [_("Bentuk kegiatan tidak dikenal.")]
    if competency_type not in rules.COMPETENCY_TYPES:
        errors["competency_type"] = [_("Jenis kompetensi tidak dikenal.")]
    try:
        jp_value = rules.validate_jp(jp, rule_tables(agency)["jp_max_per_record"])
    except ValueError as exc:
        errors["jp"] = [translated(exc)]
    foreign = [
        c.code for c in competencies if c.agency_id not in (None, getattr(agency, "pk", None))
    ]
    if foreign:
        errors["competencies"] = [
            _("Kompetensi bukan milik instansi ini: %(codes)s.") % {"codes": ", ".join(foreign)}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        program = Program.objects.create(
            agency=agency,
            code=code,
            title=title.strip()[:200],
            category=category,
            method=method,
            competency_type=competency_type,
            jp=jp_value,
            provider=provider[:200],
            description=description,
        )
        if competencies:
            program.competencies.set(competencies)
        audit.record(
            actor,
            "personnel.program_created",
            program,
            {"jp": jp_value},
            agency_id=getattr(agency, "pk", None),
        )
    return program


def _program_for(employee, program) -> Program:
    if program.agency_id not in (None, employee.unit.agency_id):
        _fail("program", _("Program ini milik instansi lain."))
    if not program.is_active:
        _fail("program", _("Program ini tidak aktif."))
    return program


def enrol(actor, employee, program: Program) -> Training:
    """Enrol an ASN in a catalogue programme (HR, or the ASN themself)."""
    if not is_self(actor, employee):
        permissions.require(actor, HR, agency=employee.unit.agency_id)
    _program_for(employee, program)
    if Training.objects.filter(
        employee=employee, program=program, status=TrainingStatus.ENROLLED
    ).exists():
        _fail("program", _("Pegawai sudah terdaftar di program ini."))
    with transaction.atomic():
        training = Training.objects.create(
            employee=employee,
            program=program,
            title=program.title,
            category=program.category,
            method=program.method,
            jp=program.jp,
            status=TrainingStatus.ENROLLED,
        )
        audit.record(
            actor,
            "personnel.training_enrolled",
            training,
            {"program": program.pk},
            agency_id=employee.unit.agency_id,
        )
    return training


def _check_completion_date(completed_on, today=None):
    today = today or timezone.localdate()
    if completed_on is None:
        _fail("completed_on", _("Tanggal selesai wajib diisi."))
    if completed_on > today:
        _fail("completed_on", _("Tanggal selesai tidak boleh di masa depan."))
    if completed_on.year < 1990:
        _fail("completed_on", _("Tanggal selesai tidak masuk akal."))


def _store_certificate(upload):
    from amanah.core import files

    try:
        return files.store(files.clean_upload(upload))
    except files.FileRejected as exc:
        _fail("certificate", str(exc))


def complete_training(
    actor,
    training: Training,
    *,
    completed_on: dt.date,
    certificate=None,
    certificate_number: str = "",
) -> Training:
    """Mark an enrolment completed (HR), with its certificate file (PDF or image) if given."""
    permissions.require(actor, HR, agency=training.employee.unit.agency_id)
    if training.status != TrainingStatus.ENROLLED:
        _fail("status", _("Hanya pendaftaran yang masih berjalan yang dapat diselesaikan."))
    _check_completion_date(completed_on)
    with transaction.atomic():
        if certificate is not None:
            training.certificate = _store_certificate(certificate)
        training.status, training.completed_on = TrainingStatus.COMPLETED, completed_on
        training.certificate_number = certificate_number[:100]
        training.save()
        audit.record(
            actor,
            "personnel.training_completed",
            training,
            {"jp": training.jp},
            agency_id=training.employee.unit.agency_id,
        )
    return training


class TrainingExists(ValidationError):
    """The ASN has this completed activity on that date already (a retried request, the form sent
    twice): refused, as the import refuses such a row, so no JP are counted twice. A ValidationError on
    ``completed_on`` for the pages; the API answers ``409 training_exists``."""

    code, field = "training_exists", "completed_on"

    def __init__(self):
        self.message_text = _(
            "Kegiatan ini sudah tercatat untuk pegawai ini pada tanggal yang sama."
        )
        super().__init__({self.field: [self.message_text]})


class OwnRecord(PermissionDenied):
    """A refusal to decide on a record about oneself or of one's own making; the API answers ``403``
    with ``code``."""

    def __init__(self, message, code: str):
        super().__init__(message)
        self.code = code


class StateConflict(ValidationError):
    """The record is no longer in the state the request was made for (decided meanwhile, often by a
    request sent at the same time). A ValidationError on ``status``; the API answers ``409`` with
    ``code``, and a page says it at the top with what was typed handed back
    (``personnel/_conflict.html``), since the step's form is gone. Input wrong in itself stays a plain
    ValidationError on its field (422)."""

    field = "status"

    def __init__(self, message, code: str = "invalid_state"):
        self.message_text = message
        super().__init__({self.field: [ValidationError(message, code=code)]})
        self.code = code


def rating_conflict(skp: Skp) -> StateConflict | None:
    """Why ``skp`` can no longer be rated (``None`` when it can): an objection was filed
    (``skp_objected``) or it is final (``skp_final``), perhaps since the page was read."""
    if skp.status == SkpStatus.OBJECTED:
        return StateConflict(
            _(
                "Pegawai sudah mengajukan keberatan atas SKP ini, sehingga penilaiannya tidak dapat "
                "diubah lagi. Keberatan itu ditanggapi oleh kepegawaian atau pejabat di atas penilai."
            ),
            "skp_objected",
        )
    if skp.status == SkpStatus.FINAL:
        return StateConflict(
            _("SKP ini sudah final, sehingga penilaiannya tidak dapat diubah lagi."), "skp_final"
        )
    return None


def finalise_conflict(skp: Skp) -> StateConflict | None:
    """Why ``skp`` cannot be finalised (``None`` when it can): not rated yet (``not_rated``), an
    objection waits (``skp_objected``), or final already (``skp_final``)."""
    if skp.status == SkpStatus.DRAFT:
        return StateConflict(
            _("SKP ini belum dinilai; hanya SKP yang sudah dinilai dapat difinalkan."), "not_rated"
        )
    if skp.status == SkpStatus.OBJECTED:
        return StateConflict(
            _(
                "Pegawai sudah mengajukan keberatan atas SKP ini; SKP menjadi final setelah "
                "keberatan itu ditanggapi."
            ),
            "skp_objected",
        )
    if skp.status == SkpStatus.FINAL:
        return StateConflict(_("SKP ini sudah final."), "skp_final")
    return None


def objection_response_conflict(skp: Skp) -> StateConflict | None:
    """Why no answer to an objection can be given on ``skp`` (``no_objection``: none waits, perhaps
    answered meanwhile); ``None`` when one waits."""
    if skp.status != SkpStatus.OBJECTED:
        return StateConflict(_("Tidak ada keberatan yang menunggu tanggapan."), "no_objection")
    return None


#: The steps of a discipline case (the actions of its page) that :func:`case_step_conflict` knows.
CASE_STEPS = (
    "summons",
    "examination",
    "decision",
    "delivery",
    "deemed_delivery",
    "appeal",
    "appeal_decision",
)


def case_step_conflict(case: DisciplineCase, step: str) -> StateConflict | None:
    """Why ``step`` can no longer (or not yet) be recorded on ``case`` in its current state; ``None``
    when it can. A summons, an examination or a decision: the case was decided (``case_decided``). An
    appeal: one was filed already (``already_appealed``), the case was closed without a sanction
    (``case_closed``) or is not decided yet (``not_decided``). The appeal's outcome: it was decided
    already (``appeal_decided``) or no appeal was filed (``no_appeal``). The refusals that do not
    depend on the state the case reached (a reprimand cannot be appealed, a deadline passed, a field)
    stay ``ValidationError`` on their field."""
    if step in ("summons", "examination", "decision"):
        if case.status in (CaseStatus.DECIDED, CaseStatus.APPEALED, CaseStatus.CLOSED):
            return StateConflict(
                _("Kasus ini sudah diputus, sehingga langkah ini tidak dapat dicatat lagi."),
                "case_decided",
            )
        return None
    if step in ("delivery", "deemed_delivery"):
        # The day the decision was received is recorded (or corrected) while the decision is still
        # open to an appeal; once one is filed or the case is closed, the deadline it set is spent.
        if case.status == CaseStatus.DECIDED:
            return None
        if case.status == CaseStatus.APPEALED or (
            case.status == CaseStatus.CLOSED and getattr(case, "appeal", None) is not None
        ):
            return StateConflict(
                _(
                    "Upaya administratif atas keputusan ini sudah diajukan; tanggal SK diterima "
                    "tidak dapat diubah lagi."
                ),
                "already_appealed",
            )
        if case.status == CaseStatus.CLOSED:
            return StateConflict(
                _("Kasus ini sudah ditutup; tanggal SK diterima tidak dapat dicatat lagi."),
                "case_closed",
            )
        return StateConflict(
            _("Kasus ini belum diputus; tanggal SK diterima dicatat setelah keputusan."),
            "not_decided",
        )
    if step == "appeal":
        if case.status == CaseStatus.DECIDED:
            return None
        if case.status == CaseStatus.APPEALED or (
            case.status == CaseStatus.CLOSED and getattr(case, "appeal", None) is not None
        ):
            return StateConflict(
                _("Upaya administratif atas keputusan ini sudah diajukan."), "already_appealed"
            )
        if case.status == CaseStatus.CLOSED:
            return StateConflict(
                _(
                    "Kasus ini sudah ditutup tanpa hukuman; tidak ada keputusan hukuman yang dapat "
                    "diajukan upaya administratif."
                ),
                "case_closed",
            )
        return StateConflict(
            _(
                "Kasus ini belum diputus; upaya administratif hanya dapat diajukan atas keputusan "
                "hukuman."
            ),
            "not_decided",
        )
    if step == "appeal_decision":
        appeal = getattr(case, "appeal", None)
        if case.status == CaseStatus.APPEALED and appeal is not None:
            return None
        if appeal is not None and appeal.outcome:
            return StateConflict(_("Upaya administratif ini sudah diputus."), "appeal_decided")
        return StateConflict(_("Tidak ada upaya administratif yang menunggu putusan."), "no_appeal")
    raise ValueError(step)


def _refuse_conflict(conflict: StateConflict | None) -> None:
    if conflict is not None:
        raise conflict


def _locked_skp(skp: Skp) -> Skp:
    """``skp`` read again under a row lock (inside the caller's transaction): a decision checks the
    state of this row and writes it, never the copy the request read before."""
    return (
        Skp.objects.select_for_update(of=("self",))
        .select_related("employee__unit__agency", "period", "rater")
        .get(pk=skp.pk)
    )


def _locked_case(case: DisciplineCase) -> DisciplineCase:
    """``case`` read again under a row lock (see ``_locked_skp``)."""
    return (
        DisciplineCase.objects.select_for_update(of=("self",))
        .select_related("employee__unit__agency", "agency")
        .get(pk=case.pk)
    )


def _mirror(target, locked):
    """After a write on the locked row, the caller's copy shows what was written (a caller reading
    it afterwards sees the row, not what it read before); returns the locked row."""
    if target is not locked:
        for f in type(locked)._meta.concrete_fields:
            setattr(target, f.attname, getattr(locked, f.attname))
    return locked


def _lock_employee(employee) -> None:
    """Serialise writes about one ASN (a form sent twice): the second waits, then sees the first's rows."""
    Employee.objects.select_for_update().filter(pk=employee.pk).first()


def record_training(
    actor,
    employee,
    *,
    program: Program | None = None,
    title: str = "",
    jp=None,
    completed_on: dt.date | None = None,
    category: str = "teknis",
    method: str = "pelatihan",
    certificate=None,
    certificate_number: str = "",
    source: str = "manual",
) -> Training:
    """Record a completed training: a catalogue programme (its JP unless ``jp`` is given) or an
    outside activity by ``title`` with ``jp``. HR of the ASN's agency. The same activity (title) of the
    ASN completed on the same date is refused (:class:`TrainingExists`), as in :func:`import_trainings`."""
    agency = employee.unit.agency
    permissions.require(actor, HR, agency=agency)
    errors = {}
    if program is not None:
        try:
            _program_for(employee, program)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        title = title or program.title
        category, method = program.category, program.method
        jp = program.jp if jp in (None, "") else jp
    if not (title or "").strip():
        errors["title"] = [_("Isi program dari katalog atau nama kegiatan.")]
    if jp in (None, ""):
        errors["jp"] = [_("JP wajib diisi.")]
    else:
        try:
            jp = rules.validate_jp(jp, rule_tables(agency)["jp_max_per_record"])
        except ValueError as exc:
            errors["jp"] = [translated(exc)]
    if category not in rules.PROGRAM_CATEGORIES:
        errors["category"] = [_("Kategori tidak dikenal.")]
    if method not in rules.PROGRAM_METHODS:
        errors["method"] = [_("Bentuk kegiatan tidak dikenal.")]
    try:
        _check_completion_date(completed_on)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    title = title.strip()
    with transaction.atomic():
        # One at a time per ASN (a retry racing the first request), then the same check as the import.
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        if Training.objects.filter(
            employee=employee,
            status=TrainingStatus.COMPLETED,
            title=title,
            completed_on=completed_on,
        ).exists():
            raise TrainingExists()
        training = Training(
            employee=employee,
            program=program,
            title=title[:200],
            category=category,
            method=method,
            jp=jp,
            status=TrainingStatus.COMPLETED,
            enrolled_on=completed_on,
            completed_on=completed_on,
            certificate_number=certificate_number[:100],
            source=source,
        )
        if certificate is not None:
            training.certificate = _store_certificate(certificate)
        training.save()
        audit.record(
            actor,
            "personnel.training_recorded",
            training,
            {"jp": jp, "source": source},
            agency_id=agency.pk,
        )
    return training


def attach_certificate(actor, training: Training, upload, certificate_number: str = "") -> Training:
    permissions.require(actor, HR, agency=training.employee.unit.agency_id)
    with transaction.atomic():
        training.certificate = _store_certificate(upload)
        if certificate_number:
            training.certificate_number = certificate_number[:100]
        training.save(update_fields=["certificate", "certificate_number"])
        audit.record(
            actor,
            "personnel.certificate_attached",
            training,
            {},
            agency_id=training.employee.unit.agency_id,
        )
    return training


def send_jp_reminders(
    actor, agency, year: int | None = None, *, today: dt.date | None = None
) -> int:
    """E-mail each ASN of ``agency`` below the yearly JP minimum once per year (PP 11/2017 Pasal
    203(4)), and each of their direct supervisors one digest per run naming all their subordinates
    reminded in it. ``actor`` is HR, or None for the scheduled sweep. The mails are in the site
    language, whoever sends them; a refusal is in the actor's. Returns the number of ASN reminded."""
    if actor is not None:
        permissions.require(actor, HR, agency=agency)
    return _send_jp_reminders(actor, agency, year, today)


@in_site_language
def _send_jp_reminders(actor, agency, year: int | None, today: dt.date | None) -> int:
    from . import selectors

    today = today or Calendar(agency).local_date()  # the days left are the agency's own
    year = year or today.year
    minimum = rule_tables(agency)["jp_minimum"]
    sent = 0
    # Supervisor address (as written in the directory, compared without case) → (supervisor, rows).
    digests: dict[str, tuple] = {}
    with transaction.atomic():
        done = set(
            Reminder.objects.filter(year=year, employee__unit__agency=agency).values_list(
                "employee_id", flat=True
            )
        )
        for row in selectors.behind(agency, year):
            emp = row["employee"]
            if emp.pk in done:
                continue
            shortfall = row["shortfall"]
            days_left = (dt.date(year, 12, 31) - today).days
            body = _(
                "Yth. %(name)s,\n\nSampai hari ini Anda tercatat %(total)s JP pengembangan kompetensi pada "
                "tahun %(year)s. Setiap PNS wajib paling sedikit %(min)s JP per tahun (PP 11/2017 Pasal 203 "
                "ayat 4); masih kurang %(short)s JP dan tahun ini tinggal %(days)s hari.\n\n"
                "Silakan pilih program di katalog Amanah atau hubungi BKPSDM.\n"
            ) % {
                "name": emp.name,
                "total": row["jp_total"],
                "year": year,
                "min": minimum,
                "short": shortfall,
                "days": max(days_left, 0),
            }
            subject = _("Pengingat: JP pengembangan kompetensi %(year)s belum %(min)s JP") % {
                "year": year,
                "min": minimum,
            }
            if emp.email:
                notify.email(emp.email, subject, body)
            supervisor = active_superior(emp)
            if supervisor is not None and supervisor.email:
                key = supervisor.email.strip().casefold()
                digests.setdefault(key, (supervisor, []))[1].append(row)
            Reminder.objects.create(employee=emp, year=year, jp_total=row["jp_total"])
            sent += 1
        for supervisor, rows in digests.values():
            _mail_jp_digest(supervisor, rows, year=year, minimum=minimum)
        audit.record(
            actor,
            "personnel.jp_reminders_sent",
            agency,
            {"year": year, "count": sent},
            agency_id=agency.pk,
        )
    return sent


def _mail_jp_digest(supervisor, rows: list[dict], *, year: int, minimum) -> None:
    """One mail to a supervisor listing every subordinate reminded in this run (name, NIP, JP so
    far), instead of one mail per subordinate. Called inside the site-language block."""
    lines = "\n".join(
        _("- %(name)s (NIP %(nip)s): %(total)s dari %(min)s JP")
        % {
            "name": r["employee"].name,
            "nip": r["employee"].nip,
            "total": r["jp_total"],
            "min": minimum,
        }
        for r in sorted(rows, key=lambda r: (r["employee"].name, r["employee"].nip))
    )
    values = {
        "sup": supervisor.name,
        "n": len(rows),
        "min": minimum,
        "year": year,
        "end": mail_day(dt.date(year, 12, 31)),
        "lines": lines,
    }
    notify.email(
        supervisor.email,
        ngettext(
            "Pengingat JP untuk bawahan Anda: %(n)d orang belum %(min)s JP tahun %(year)s",
            "Pengingat JP untuk bawahan Anda: %(n)d orang belum %(min)s JP tahun %(year)s",
            len(rows),
        )
        % values,
        ngettext(
            "Yth. %(sup)s,\n\nBawahan Anda berikut belum mencapai %(min)s JP pengembangan "
            "kompetensi tahun %(year)s:\n\n%(lines)s\n\nMohon dukung yang bersangkutan mengikuti "
            "pelatihan sebelum %(end)s.\n",
            "Yth. %(sup)s,\n\nBawahan Anda berikut belum mencapai %(min)s JP pengembangan "
            "kompetensi tahun %(year)s:\n\n%(lines)s\n\nMohon dukung mereka mengikuti pelatihan "
            "sebelum %(end)s.\n",
            len(rows),
        )
        % values,
    )


# --- Competency profile -----------------------------------------------------------------------------

#: The code of an agency's own competency: a slug (letters, digits, - and _), at most 60 characters.
_COMPETENCY_CODE = re.compile(r"[-a-zA-Z0-9_]{1,60}")


def create_competency(actor, *, agency, code: str, name: str) -> Competency:
    """HR adds a technical competency of its own agency to the dictionary. The nine national
    managerial and socio-cultural competencies (PermenPANRB 38/2017) are fixed, so an agency's
    competency is always *teknis*. A code already used in the agency, or by a national competency,
    is refused on ``code``."""
    permissions.require(actor, HR, agency=agency)
    code = (code or "").strip()
    name = (name or "").strip()
    errors = {}
    if not _COMPETENCY_CODE.fullmatch(code):
        errors["code"] = [_("Kode kompetensi hanya huruf, angka, - dan _ (paling panjang 60).")]
    elif Competency.objects.filter(
        models.Q(agency=agency) | models.Q(agency__isnull=True), code=code
    ).exists():
        errors["code"] = [_("Kode kompetensi ini sudah dipakai.")]
    if not name:
        errors["name"] = [_("Nama kompetensi wajib diisi.")]
    elif len(name) > 200:
        errors["name"] = [_("Nama kompetensi paling panjang 200 karakter.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        comp = Competency.objects.create(agency=agency, code=code, type="teknis", name=name)
        audit.record(
            actor,
            "personnel.competency_created",
            comp,
            {"code": code, "type": "teknis"},
            agency_id=agency.pk,
        )
    return comp


def rename_competency(actor, competency: Competency, *, name: str) -> Competency:
    """HR renames one of its agency's own technical competencies; national ones are fixed."""
    if competency.agency_id is None:
        raise PermissionDenied(_("Kompetensi nasional tidak dapat diubah."))
    permissions.require(actor, HR, agency=competency.agency_id)
    name = (name or "").strip()
    if not name:
        _fail("name", _("Nama kompetensi wajib diisi."))
    if len(name) > 200:
        _fail("name", _("Nama kompetensi paling panjang 200 karakter."))
    with transaction.atomic():
        old = competency.name
        competency.name = name
        competency.save(update_fields=["name"])
        audit.record(
            actor,
            "personnel.competency_renamed",
            competency,
            {"old": old, "new": name},
            agency_id=competency.agency_id,
        )
    return competency


def remove_requirement(actor, requirement: PositionRequirement) -> None:
    """HR removes a position's required level of one competency."""
    permissions.require(actor, HR, agency=requirement.agency_id)
    with transaction.atomic():
        audit.record(
            actor,
            "personnel.requirement_removed",
            requirement,
            {
                "position": requirement.position,
                "competency": requirement.competency_id,
                "level": requirement.level,
            },
            agency_id=requirement.agency_id,
        )
        requirement.delete()


def set_requirement(
    actor, *, agency, position: str, competency: Competency, level: int
) -> PositionRequirement:
    permissions.require(actor, HR, agency=agency)
    if level not in rules.COMPETENCY_LEVELS:
        _fail("level", _("Level kompetensi harus 1 sampai 5."))
    if competency.agency_id not in (None, agency.pk):
        _fail("competency", _("Kompetensi ini milik instansi lain."))
    if not (position or "").strip():
        _fail("position", _("Jabatan wajib diisi."))
    with transaction.atomic():
        req, _created = PositionRequirement.objects.update_or_create(
            agency=agency,
            position=position.strip()[:200],
            competency=competency,
            defaults={"level": level},
        )
        audit.record(actor, "personnel.requirement_set", req, {"level": level}, agency_id=agency.pk)
    return req


def record_assessment(
    actor, employee, *, competency: Competency, level: int, assessed_on: dt.date, method: str = ""
) -> Assessment:
    permissions.require(actor, HR, agency=employee.unit.agency_id)
    if level not in rules.COMPETENCY_LEVELS:
        _fail("level", _("Level kompetensi harus 1 sampai 5."))
    if competency.agency_id not in (None, employee.unit.agency_id):
        _fail("competency", _("Kompetensi ini milik instansi lain."))
    if assessed_on is None:
        _fail("assessed_on", _("Tanggal asesmen wajib diisi."))
    if assessed_on > timezone.localdate():
        _fail("assessed_on", _("Tanggal asesmen tidak boleh di masa depan."))
    with transaction.atomic():
        a = Assessment.objects.create(
            employee=employee,
            competency=competency,
            level=level,
            assessed_on=assessed_on,
            method=method[:100],
        )
        audit.record(
            actor,
            "personnel.assessment_recorded",
            a,
            {"level": level},
            agency_id=employee.unit.agency_id,
        )
    return a


# --- Mentoring --------------------------------------------------------------------------------------


def start_mentoring(
    actor, *, mentor, mentee, goals: str, start: dt.date, kind: str = "mentoring"
) -> Mentoring:
    permissions.require(actor, HR, agency=mentee.unit.agency_id)
    if mentor.pk == mentee.pk:
        _fail("mentor", _("Mentor dan peserta harus orang yang berbeda."))
    if mentor.unit.agency_id != mentee.unit.agency_id:
        _fail("mentor", _("Mentor harus dari instansi yang sama."))
    if kind not in dict(Mentoring.KINDS):
        _fail("kind", _("Jenis tidak dikenal."))
    if not (goals or "").strip():
        _fail("goals", _("Tujuan wajib diisi."))
    if Mentoring.objects.filter(mentor=mentor, mentee=mentee, status="aktif").exists():
        _fail("mentee", _("Pasangan ini sudah aktif."))
    with transaction.atomic():
        m = Mentoring.objects.create(
            mentor=mentor, mentee=mentee, goals=goals.strip(), start=start, kind=kind
        )
        audit.record(actor, "personnel.mentoring_started", m, {}, agency_id=mentee.unit.agency_id)
    return m


def _require_mentor_or_hr(actor, mentoring):
    if not is_self(actor, mentoring.mentor):
        permissions.require(actor, HR, agency=mentoring.mentee.unit.agency_id)


def add_session(
    actor, mentoring: Mentoring, *, held_on: dt.date, topic: str, notes: str = "", outcome: str = ""
) -> MentoringSession:
    """The mentor (or HR) records a session."""
    _require_mentor_or_hr(actor, mentoring)
    if mentoring.status != "aktif":
        _fail("mentoring", _("Pendampingan ini sudah berakhir."))
    if held_on < mentoring.start:
        _fail("held_on", _("Sesi tidak boleh sebelum pendampingan dimulai."))
    if held_on > timezone.localdate():
        _fail("held_on", _("Tanggal sesi tidak boleh di masa depan."))
    if not (topic or "").strip():
        _fail("topic", _("Topik wajib diisi."))
    with transaction.atomic():
        s = MentoringSession.objects.create(
            mentoring=mentoring,
            held_on=held_on,
            topic=topic.strip()[:200],
            notes=notes,
            outcome=outcome,
        )
        audit.record(
            actor,
            "personnel.mentoring_session",
            mentoring,
            {"session": s.pk},
            agency_id=mentoring.mentee.unit.agency_id,
        )
    return s


def close_mentoring(
    actor, mentoring: Mentoring, *, outcome: str, end: dt.date | None = None
) -> Mentoring:
    _require_mentor_or_hr(actor, mentoring)
    if not (outcome or "").strip():
        _fail("outcome", _("Hasil pendampingan wajib diisi."))
    with transaction.atomic():
        mentoring.status, mentoring.outcome = "selesai", outcome.strip()
        mentoring.end = end or timezone.localdate()
        mentoring.save()
        audit.record(
            actor,
            "personnel.mentoring_closed",
            mentoring,
            {},
            agency_id=mentoring.mentee.unit.agency_id,
        )
    return mentoring


# --- SKP --------------------------------------------------------------------------------------------


def create_skp_period(actor, *, agency, name: str, start: dt.date, end: dt.date) -> SkpPeriod:
    """A new assessment period; it may not overlap another period of the agency, and its dates lie in
    the years the calendar knows (``out_of_years``)."""
    permissions.require(actor, HR, agency=agency)
    errors = {
        field: [problem]
        for field, day in (("start", start), ("end", end))
        if (problem := out_of_years(day))
    }
    if errors:
        raise ValidationError(errors)
    if end < start:
        _fail("end", _("Akhir periode harus sesudah awal periode."))
    if (end - start).days > 366:
        _fail("end", _("Satu periode paling lama satu tahun."))
    for other in SkpPeriod.objects.filter(agency=agency):
        if rules.periods_overlap(start, end, other.start, other.end):
            _fail(
                "start",
                _("Periode bertumpang tindih dengan periode '%(name)s' (%(s)s – %(e)s).")
                % {"name": other.name, "s": other.start, "e": other.end},
            )
    if not (name or "").strip():
        _fail("name", _("Nama periode wajib diisi."))
    with transaction.atomic():
        period = SkpPeriod.objects.create(
            agency=agency, name=name.strip()[:100], start=start, end=end
        )
        audit.record(actor, "personnel.skp_period_created", period, {}, agency_id=agency.pk)
    return period


def _indicator_number(field: str, value) -> Decimal:
    """``value`` as the ``SkpIndicator`` column ``field`` stores it: rounded half up to the column's
    decimal places (numeric(12, 2): 0.004 is 0.00, 2.005 is 2.01). ``ValueError`` when it is not a
    finite number or does not fit the column, so what is checked is what will be stored, on SQLite
    as on PostgreSQL."""
    column = SkpIndicator._meta.get_field(field)
    number = Decimal(str(value))
    limit = Decimal(10) ** (column.max_digits - column.decimal_places)
    if not number.is_finite() or abs(number) >= limit:
        raise ValueError(value)
    number = number.quantize(Decimal(1).scaleb(-column.decimal_places), rounding=ROUND_HALF_UP)
    if abs(number) >= limit:
        raise ValueError(value)
    return number


def _column_max(field: str) -> Decimal:
    column = SkpIndicator._meta.get_field(field)
    return Decimal(10) ** (column.max_digits - column.decimal_places) - Decimal(1).scaleb(
        -column.decimal_places
    )


#: Largest indicator target accepted (a sanity bound below the column's range).
TARGET_MAX = Decimal("1e9")


def _number_text(value: Decimal, places: int = 0) -> str:
    from django.utils import formats

    return formats.number_format(value, places, force_grouping=True)


def _clean_indicators(indicators) -> list[dict]:
    out = []
    if not indicators:
        _fail("indicators", _("SKP memerlukan paling sedikit satu indikator kinerja."))
    for i, ind in enumerate(indicators, start=1):
        desc = (ind.get("description") or "").strip()
        unit = (ind.get("unit") or "").strip()
        try:
            target = _indicator_number("target", ind.get("target"))
            if target <= 0 or target > TARGET_MAX:
                raise ValueError
        except Exception:
            _fail(
                "indicators",
                _(
                    "Target indikator %(n)d harus angka lebih dari 0 (paling kecil 0,01; dua "
                    "angka di belakang koma) dan paling besar %(max)s."
                )
                % {"n": i, "max": _number_text(TARGET_MAX)},
            )
        if not desc or not unit:
            _fail("indicators", _("Indikator %(n)d perlu uraian dan satuan.") % {"n": i})
        out.append({"description": desc[:300], "target": target, "unit": unit[:50]})
    return out


def create_skp(actor, employee, period: SkpPeriod, *, indicators: list[dict], rater=None) -> Skp:
    """An ASN's work targets for a period: HR or a superior, never the ASN. The rater is the direct
    supervisor."""
    refuse_own_performance(actor, employee)
    if not is_superior(actor, employee):
        permissions.require(actor, HR, agency=employee.unit.agency_id)
    if period.agency_id != employee.unit.agency_id:
        _fail("period", _("Periode milik instansi lain."))
    if Skp.objects.filter(employee=employee, period=period).exists():
        _fail("period", _("SKP pegawai ini untuk periode tersebut sudah ada."))
    clean = _clean_indicators(indicators)
    # The rater is a superior still in the directory: by default the nearest one (a head who has left
    # keeps the unit's ``head`` until the directory is updated, and could neither rate nor be told).
    superiors = [s for s in employee.superiors() if s.is_active]
    rater = rater or (superiors[0] if superiors else None)
    if rater is not None and rater.pk not in {s.pk for s in superiors}:
        _fail("rater", _("Pejabat penilai harus atasan pegawai."))
    with transaction.atomic():
        # Checked again with the ASN's row locked: a form sent twice gets the refusal, not a 500.
        _lock_employee(employee)
        if Skp.objects.filter(employee=employee, period=period).exists():
            _fail("period", _("SKP pegawai ini untuk periode tersebut sudah ada."))
        skp = Skp.objects.create(employee=employee, period=period, rater=rater)
        SkpIndicator.objects.bulk_create([SkpIndicator(skp=skp, **c) for c in clean])
        audit.record(
            actor,
            "personnel.skp_created",
            skp,
            {"indicators": len(clean)},
            agency_id=employee.unit.agency_id,
        )
    return skp


def _rating(field, value):
    if value not in rules.RATINGS:
        _fail(field, _("Pilih di bawah, sesuai atau di atas ekspektasi."))
    return value


#: The longest note on one BerAKHLAK value of a rating (``Skp.behaviour_notes``); a longer one is refused.
BEHAVIOUR_NOTE_MAX = 1000


def rate_skp(
    actor,
    skp: Skp,
    *,
    hasil_kerja: str,
    perilaku: str,
    results: dict | None = None,
    behaviour_notes: dict | None = None,
    notes: str = "",
) -> Skp:
    """The supervisor (a superior of the ASN) rates hasil kerja and perilaku kerja; HR may record the
    rating on the rater's behalf, but never on their own SKP. The predicate follows from the matrix
    (PermenPANRB 6/2022)."""
    refuse_own_performance(actor, skp.employee)
    if not is_superior(actor, skp.employee):
        permissions.require(actor, HR, agency=skp.employee.unit.agency_id)
    _refuse_conflict(rating_conflict(skp))
    _rating("hasil_kerja", hasil_kerja)
    _rating("perilaku", perilaku)
    notes_clean, too_long = {}, {}
    for key, text in (behaviour_notes or {}).items():
        if key not in rules.BERAKHLAK:
            _fail("behaviour_notes", _("Perilaku '%(k)s' bukan nilai BerAKHLAK.") % {"k": key})
        notes_clean[key] = str(text)
        if len(notes_clean[key]) > BEHAVIOUR_NOTE_MAX:  # refused whole, never cut
            too_long[f"behaviour_notes.{key}"] = [
                _("Catatan perilaku paling panjang %(n)d karakter.") % {"n": BEHAVIOUR_NOTE_MAX}
            ]
    if too_long:
        raise ValidationError(too_long)
    indicators = {i.pk: i for i in skp.indicators.all()}
    updates = []
    for key, value in (results or {}).items():
        ind = indicators.get(int(key)) if str(key).isdecimal() else None
        if ind is None:
            _fail("results", _("Indikator %(k)s bukan milik SKP ini.") % {"k": key})
        try:
            ind.result = _indicator_number("result", value)
            if ind.result < 0:
                raise ValueError
        except Exception:
            _fail(
                "results",
                _("Realisasi harus angka dari 0 sampai %(max)s (dua angka di belakang koma).")
                % {"max": _number_text(_column_max("result"), 2)},
            )
        updates.append(ind)
    predicate = rules.skp_predicate(
        hasil_kerja, perilaku, rule_tables(skp.employee.unit.agency)["predicate_matrix"]
    )
    with transaction.atomic():
        # Checked again on the locked row: an objection or a finalisation made since the page was
        # read is neither erased nor undone.
        original, skp = skp, _locked_skp(skp)
        _refuse_conflict(rating_conflict(skp))
        if updates:
            SkpIndicator.objects.bulk_update(updates, ["result"])
        skp.hasil_kerja, skp.perilaku, skp.predicate = hasil_kerja, perilaku, predicate
        skp.behaviour_notes, skp.rater_notes = notes_clean, notes
        skp.status, skp.rated_at = SkpStatus.RATED, timezone.now()
        fields = ["hasil_kerja", "perilaku", "predicate", "behaviour_notes", "rater_notes"]
        fields += ["status", "rated_at"]
        if is_superior(actor, skp.employee):
            skp.rater = actor.employee
            fields.append("rater")
        skp.save(update_fields=fields)
        audit.record(
            actor,
            "personnel.skp_rated",
            skp,
            {"predicate": predicate},
            agency_id=skp.employee.unit.agency_id,
        )
        if skp.employee.email:
            _mail_rated(skp, predicate)
    return _mirror(original, skp)


def mail_day(value: dt.date) -> str:
    """A date as every personnel mail writes it: the long form the pages use ("18 Desember 2026"),
    in the active language (the site language, in a mail). The one way mails write a date."""
    from django.utils import formats

    return formats.date_format(value, "j F Y")


@in_site_language
def _mail_rated(skp: Skp, predicate: str) -> None:
    """Tell the ASN their SKP was rated, in the site language whoever rated it: which period (an ASN
    may have more than one SKP), and the link to the SKP page, where an objection is filed."""
    from django.urls import reverse

    notify.email(
        skp.employee.email,
        _("SKP Anda untuk %(period)s sudah dinilai") % {"period": skp.period.name},
        _(
            "Predikat kinerja Anda untuk %(period)s: %(pred)s. Jika Anda tidak sependapat, ajukan "
            "keberatan di halaman SKP Anda di Amanah setelah masuk:\n%(url)s\n"
        )
        % {
            "period": skp.period.name,
            "pred": _(rules.PREDICATES[predicate]),
            "url": settings.SITE_URL + reverse("personnel:skp", args=[skp.pk]),
        },
    )


def _objection_state_error(skp: Skp):
    """Why an objection cannot be filed against ``skp`` now (``None`` when it can). The error's
    ``code`` (``already_objected``, ``not_rated``, ``skp_final``) lets the API answer 409 with it."""
    if skp.status == SkpStatus.OBJECTED or skp.objection:
        code, message = "already_objected", _("Keberatan atas SKP ini sudah diajukan.")
    elif skp.status == SkpStatus.DRAFT:
        code, message = (
            "not_rated",
            _("Keberatan hanya dapat diajukan atas SKP yang sudah dinilai."),
        )
    elif skp.status == SkpStatus.FINAL:
        code, message = "skp_final", _("SKP ini sudah final; keberatan tidak dapat diajukan lagi.")
    else:
        return None
    return ValidationError({"status": [ValidationError(message, code=code)]})


def object_skp(actor, skp: Skp, *, text: str) -> Skp:
    """The ASN objects to a rating: only the ASN, only once rated, only once. A state that does not
    allow it raises ``ValidationError`` on ``status`` with a code (see ``_objection_state_error``);
    a missing or too short reason raises it on ``objection``."""
    if not is_self(actor, skp.employee):
        raise PermissionDenied(_("Hanya pegawai yang dinilai yang dapat mengajukan keberatan."))
    state_error = _objection_state_error(skp)
    if state_error is not None:
        raise state_error
    if len((text or "").strip()) < 10:
        _fail("objection", _("Jelaskan keberatan Anda (paling sedikit 10 karakter)."))
    with transaction.atomic():
        # Checked again under a row lock, so two objections sent at once cannot both pass.
        # The locked row is written, never the copy read before: a re-rating made meanwhile stays.
        original, skp = skp, _locked_skp(skp)
        state_error = _objection_state_error(skp)
        if state_error is not None:
            raise state_error
        skp.objection, skp.objected_at, skp.status = (
            text.strip()[:5000],
            timezone.now(),
            SkpStatus.OBJECTED,
        )
        skp.save(update_fields=["objection", "objected_at", "status"])
        audit.record(
            actor, "personnel.skp_objected", skp, {}, agency_id=skp.employee.unit.agency_id
        )
        _notify_objection(skp)
    return _mirror(original, skp)


def objection_deciders(skp: Skp) -> list[str]:
    """E-mail addresses of whoever must decide an objection to ``skp``: the official directly above
    the rater (``resolve_objection`` lets an official above the rater answer); when there is none,
    that official has left (directory entry switched off: the post is vacant, HR's to fill) or has no
    e-mail address, the HR accounts (kepegawaian) of the ASN's agency."""
    above = skp.rater.superiors() if skp.rater is not None else []
    if above and above[0].is_active and above[0].email:
        return [above[0].email]
    from amanah.core.models import RoleAssignment

    emails = RoleAssignment.objects.filter(
        role=Role.HR, agency_id=skp.employee.unit.agency_id, user__is_active=True
    ).values_list("user__email", flat=True)
    return sorted({e for e in emails if e})


@in_site_language
def _notify_objection(skp: Skp) -> None:
    """Tell the rater and the deciding official that an objection was filed (after commit, by the
    worker). The mail is short and carries no reason text: it links to the SKP page, where only
    those entitled to it read the objection after logging in."""
    from django.urls import reverse

    url = settings.SITE_URL + reverse("personnel:skp", args=[skp.pk])
    values = {
        "asn": skp.employee.name,
        "nip": skp.employee.nip,
        "period": skp.period.name,
        "rater": skp.rater.name if skp.rater is not None else "-",
        "url": url,
    }
    rater = skp.rater
    rater_email = rater.email if rater is not None and rater.is_active else ""
    if rater_email:
        notify.email(
            rater_email,
            _("Keberatan atas penilaian SKP yang Anda berikan: %(asn)s") % values,
            _(
                "Yth. %(rater)s,\n\n%(asn)s (NIP %(nip)s) mengajukan keberatan atas penilaian SKP "
                "periode %(period)s yang Anda berikan. Alasannya dapat dibaca di Amanah setelah "
                "masuk:\n%(url)s\n"
            )
            % values,
        )
    for address in objection_deciders(skp):  # one mail each: recipients do not see each other
        # The rater's address in the directory and on their HR account may differ in case only.
        if address.strip().casefold() == rater_email.strip().casefold():
            continue
        notify.email(
            address,
            _("Keberatan SKP menunggu keputusan Anda: %(asn)s") % values,
            _(
                "%(asn)s (NIP %(nip)s) mengajukan keberatan atas penilaian SKP periode %(period)s "
                "oleh %(rater)s. Anda berwenang memutuskannya. Baca alasannya dan beri tanggapan "
                "di Amanah:\n%(url)s\n"
            )
            % values,
        )


def resolve_objection(
    actor, skp: Skp, *, response: str, hasil_kerja: str | None = None, perilaku: str | None = None
) -> Skp:
    """HR (or a superior above the rater) answers an objection, possibly changing the ratings; the
    SKP becomes final. The ASN who objected never answers it, whatever role they hold."""
    refuse_own_performance(actor, skp.employee)
    above_rater = skp.rater is not None and is_superior(actor, skp.rater)
    if not above_rater:
        permissions.require(actor, HR, agency=skp.employee.unit.agency_id)
    _refuse_conflict(objection_response_conflict(skp))
    if not (response or "").strip():
        _fail("response", _("Tanggapan wajib diisi."))
    if hasil_kerja:
        _rating("hasil_kerja", hasil_kerja)
    if perilaku:
        _rating("perilaku", perilaku)
    matrix = rule_tables(skp.employee.unit.agency)["predicate_matrix"]
    with transaction.atomic():
        # Checked again on the locked row: an objection answered meanwhile is not answered twice.
        original, skp = skp, _locked_skp(skp)
        _refuse_conflict(objection_response_conflict(skp))
        hk, pk = hasil_kerja or skp.hasil_kerja, perilaku or skp.perilaku
        skp.hasil_kerja, skp.perilaku = hk, pk
        skp.predicate = rules.skp_predicate(hk, pk, matrix)
        skp.objection_response, skp.status = response.strip(), SkpStatus.FINAL
        skp.save(
            update_fields=["hasil_kerja", "perilaku", "predicate", "objection_response", "status"]
        )
        audit.record(
            actor,
            "personnel.skp_objection_resolved",
            skp,
            {"predicate": skp.predicate},
            agency_id=skp.employee.unit.agency_id,
        )
    return _mirror(original, skp)


def finalise_skp(actor, skp: Skp) -> Skp:
    refuse_own_performance(actor, skp.employee)
    permissions.require(actor, HR, agency=skp.employee.unit.agency_id)
    _refuse_conflict(finalise_conflict(skp))
    with transaction.atomic():
        original, skp = skp, _locked_skp(skp)  # an objection filed meanwhile is not finalised away
        _refuse_conflict(finalise_conflict(skp))
        skp.status = SkpStatus.FINAL
        skp.save(update_fields=["status"])
        audit.record(
            actor, "personnel.skp_finalised", skp, {}, agency_id=skp.employee.unit.agency_id
        )
    return _mirror(original, skp)


# --- Discipline (PP 94/2021) ------------------------------------------------------------------------


def _case_number(today: dt.date) -> str:
    return f"HD-{today:%Y}-{secrets.token_hex(3).upper()}"


def open_discipline_case(
    actor, *, employee, allegation: str, source: str = "manual", source_reference: str = ""
) -> DisciplineCase:
    """Open a PP 94/2021 discipline case for an ASN (contract used by the integrity app, with
    ``source="integritas"`` and its case number as reference; no reporter identity is passed or stored).
    The actor holds inspektorat or kepegawaian in the ASN's agency."""
    agency = employee.unit.agency
    permissions.require(actor, DISCIPLINE_HANDLERS, agency=agency)
    if source not in dict(DisciplineCase.SOURCES):
        _fail("source", _("Sumber kasus tidak dikenal."))
    if not (allegation or "").strip():
        _fail("allegation", _("Uraikan dugaan pelanggaran."))
    today = Calendar(agency).local_date()
    with transaction.atomic():
        case = DisciplineCase.objects.create(
            number=_case_number(today),
            employee=employee,
            agency=agency,
            allegation=allegation.strip(),
            source=source,
            source_reference=(source_reference or "")[:100],
            opened_on=today,
        )
        audit.record(
            actor,
            "personnel.discipline_opened",
            case,
            {"source": source, "reference": source_reference},
            agency_id=agency.pk,
        )
    return case


def _require_step(case, step: str):
    """Refuses ``step`` on ``case`` in a state that does not allow it (``case_step_conflict``)."""
    _refuse_conflict(case_step_conflict(case, step))


def summon(actor, case: DisciplineCase, *, sent_on: dt.date, examination_on: dt.date) -> Summons:
    """A written summons: sent at least 7 working days before the examination; a second summons only
    after the first was missed, sent within 7 working days of the missed date (PP 94/2021 Pasal 26).
    The letter is recorded once sent (not a date in the agency's future), and both dates lie in the
    years the calendar counts working days in (``out_of_years``)."""
    permissions.require(actor, DISCIPLINE_HANDLERS, agency=case.agency_id)
    _refuse_own_case(actor, case)
    _require_step(case, "summons")
    tables = rule_tables(case.agency)
    cal = Calendar(case.agency)
    errors = {}
    if problem := out_of_years(sent_on):
        errors["sent_on"] = [problem]
    elif sent_on > cal.local_date():
        errors["sent_on"] = [_("Tanggal surat panggilan tidak boleh di masa depan.")]
    if problem := out_of_years(examination_on):
        errors["examination_on"] = [problem]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The case row locked first: a form sent twice waits here, then sees the first summons.
        original, case = case, _locked_case(case)
        _require_step(case, "summons")
        s = _summon_locked(actor, case, tables, cal, sent_on, examination_on)
    _mirror(original, case)
    return s


def _summon_locked(actor, case, tables, cal, sent_on, examination_on) -> Summons:
    previous = list(case.summonses.all())
    if len(previous) >= 2:
        _fail("sequence", _("Sudah ada dua surat panggilan; periksa dan putus berdasarkan bukti."))
    if previous:
        first = previous[0]
        if first.attended is not False:
            _fail(
                "sequence",
                _("Panggilan kedua hanya bila pegawai tidak hadir pada panggilan pertama."),
            )
        within = tables["second_summons_within_working_days"]
        if sent_on < first.examination_on or cal.between(first.examination_on, sent_on) > within:
            _fail(
                "sent_on",
                ngettext(
                    "Panggilan kedua dikirim paling lambat %(n)d hari kerja sesudah tanggal "
                    "panggilan pertama.",
                    "Panggilan kedua dikirim paling lambat %(n)d hari kerja sesudah tanggal "
                    "panggilan pertama.",
                    within,
                )
                % {"n": within},
            )
    notice = tables["summons_notice_working_days"]
    if examination_on < cal.add(sent_on, notice):
        _fail(
            "examination_on",
            ngettext(
                "Pemeriksaan paling cepat %(n)d hari kerja sesudah surat panggilan dikirim "
                "(paling cepat %(d)s).",
                "Pemeriksaan paling cepat %(n)d hari kerja sesudah surat panggilan dikirim "
                "(paling cepat %(d)s).",
                notice,
            )
            % {"n": notice, "d": cal.add(sent_on, notice)},
        )
    s = Summons.objects.create(
        case=case, sequence=len(previous) + 1, sent_on=sent_on, examination_on=examination_on
    )
    case.status = CaseStatus.SUMMONED
    case.save(update_fields=["status"])
    audit.record(
        actor,
        "personnel.discipline_summoned",
        case,
        {"sequence": s.sequence},
        agency_id=case.agency_id,
    )
    return s


def _refuse_own_case(actor, case: DisciplineCase) -> None:
    """The employee under examination never handles a step of their own case (PP 94/2021: the
    examination and the decision are by others), whatever role they hold."""
    if is_self(actor, case.employee):
        raise PermissionDenied(_("Pegawai yang diperiksa tidak dapat menangani kasusnya sendiri."))


def record_attendance(actor, summons: Summons, attended: bool) -> Summons:
    permissions.require(actor, DISCIPLINE_HANDLERS, agency=summons.case.agency_id)
    _refuse_own_case(actor, summons.case)
    with transaction.atomic():
        _save_attendance(actor, summons, attended)
    return summons


def _save_attendance(actor, summons: Summons, attended: bool) -> None:
    summons.attended = attended
    summons.save(update_fields=["attended"])
    audit.record(
        actor,
        "personnel.discipline_attendance",
        summons.case,
        {"sequence": summons.sequence, "attended": attended},
        agency_id=summons.case.agency_id,
    )


def record_examination(
    actor,
    case: DisciplineCase,
    *,
    held_on: dt.date,
    bap_number: str,
    summary: str,
    team=(),
    attended: bool | None = None,
) -> Examination:
    """A closed examination recorded in a BAP, held on or after the examination date of the latest
    summons (PP 94/2021 Pasal 26); when the ASN missed both summonses it is recorded as decided on the
    evidence (in absentia). ``attended`` (when given) records the ASN's attendance at the latest
    summons in the same transaction: a refused examination saves nothing."""
    permissions.require(actor, DISCIPLINE_HANDLERS, agency=case.agency_id)
    _refuse_own_case(actor, case)
    _require_step(case, "examination")
    summonses = list(case.summonses.order_by("sequence"))
    if not summonses:
        _fail("held_on", _("Pemeriksaan memerlukan surat panggilan lebih dahulu."))
    last = summonses[-1]
    if held_on < last.examination_on:
        _fail(
            "held_on",
            _("Pemeriksaan tidak boleh sebelum tanggal pemeriksaan dalam surat panggilan (%(d)s).")
            % {"d": last.examination_on},
        )
    if held_on > Calendar(case.agency).local_date():
        _fail("held_on", _("Tanggal pemeriksaan tidak boleh di masa depan."))
    if not (bap_number or "").strip():
        _fail("bap_number", _("Nomor BAP wajib diisi."))
    if not (summary or "").strip():
        _fail("summary", _("Ringkasan pemeriksaan wajib diisi."))
    attendance = [s.attended for s in summonses]
    if attended is not None:
        attendance[-1] = attended
    in_absentia = len(summonses) == 2 and all(a is False for a in attendance)
    team = list(team)
    if any(m.unit.agency_id != case.agency_id or m.pk == case.employee_id for m in team):
        _fail("team", _("Anggota tim harus pegawai instansi yang sama dan bukan terperiksa."))
    with transaction.atomic():
        # Checked again on the locked row: a BAP sent from a page read before the decision does not
        # turn the decided case back into an examined one.
        original, case = case, _locked_case(case)
        _require_step(case, "examination")
        if attended is not None:
            _save_attendance(actor, last, attended)
        exam = Examination.objects.create(
            case=case,
            held_on=held_on,
            bap_number=bap_number.strip()[:100],
            summary=summary.strip(),
            in_absentia=in_absentia,
        )
        exam.team.set(team)
        case.status = CaseStatus.EXAMINED
        case.save(update_fields=["status"])
        audit.record(
            actor,
            "personnel.discipline_examined",
            case,
            {"in_absentia": in_absentia, "team": len(team)},
            agency_id=case.agency_id,
        )
    _mirror(original, case)
    return exam


def team_gaps(case: DisciplineCase, team) -> list[str]:
    """Who an examination team for a sedang or berat sanction lacks (PP 94/2021 Pasal 27): the ASN's
    direct supervisor, someone of the agency's oversight unit (inspektorat) and an HR official
    (holding the kepegawaian role in the agency). Empty when the team is complete."""
    team = list(team)
    missing = []
    supervisor = active_superior(case.employee)  # one who has left cannot sit on the team
    if supervisor is not None and not any(m.pk == supervisor.pk for m in team):
        missing.append(_("atasan langsung (%(name)s)") % {"name": supervisor.name})
    if not any(m.unit.kind == UnitKind.INSPEKTORAT for m in team):
        missing.append(_("unsur pengawasan (pegawai inspektorat)"))
    if not any(_holds_hr(m, case.agency) for m in team):
        missing.append(_("unsur kepegawaian (pemegang peran kepegawaian)"))
    return missing


def _holds_hr(employee, agency) -> bool:
    user = getattr(employee, "user", None) if hasattr(employee, "user") else None
    return (
        user is not None
        and user.is_active
        and not permissions.is_platform_admin(user)
        and permissions.has_role(user, HR, agency=agency)
    )


def _refuse_departed_official(official) -> None:
    """An official who has left (directory entry switched off) decides nothing: said on ``official``."""
    if not official.is_active:
        _fail(
            "official",
            _(
                "%(name)s sudah tidak aktif di direktori pegawai (pindah atau berhenti) dan tidak "
                "dapat memutus kasus disiplin. Sebutkan pejabat yang sekarang berwenang."
            )
            % {"name": official.name},
        )


def official_standings(official, employee, agency=None) -> set[str]:
    """How ``official`` stands to ``employee`` for PP 94/2021 decisions: ``atasan`` (in the line of
    superiors), ``pimpinan_tinggi`` (such a superior heading the top unit or a unit directly below
    it) and ``ppk`` (head of the agency's top unit, or holding the leadership role in the agency).
    An official who has left (directory entry switched off) has no standing at all."""
    standings: set[str] = set()
    if official is None or official.pk == employee.pk or not official.is_active:
        return standings
    agency = agency or employee.unit.agency
    superiors = {s.pk for s in employee.superiors()}
    if official.pk in superiors:
        standings.add("atasan")
        for unit in official.headed_units.filter(agency=agency):
            depth = len(unit.ancestors())
            if depth <= 1:
                standings.add("pimpinan_tinggi")
            if depth == 0:
                standings.add("ppk")
    user = getattr(official, "user", None) if hasattr(official, "user") else None
    if (
        user is not None
        and permissions.has_role(user, [Role.LEADERSHIP], agency=agency)
        and not permissions.is_platform_admin(user)
    ):
        standings |= {"ppk", "pimpinan_tinggi"}
    return standings


#: A sanction starts on the decision's date or within this many months of it: a later start is a typo
#: (a year 9999 ran the term's end past the last date, a 500).
SANCTION_START_WITHIN_MONTHS = 12


def decide_case(
    actor,
    case: DisciplineCase,
    *,
    proven: bool,
    official,
    decision_number: str,
    decided_on: dt.date,
    level: str = "",
    sanction: str = "",
    sanction_start: dt.date | None = None,
    notes: str = "",
    delivered_on: dt.date | None = None,
) -> DisciplineCase:
    """The decision of an authorised official (PP 94/2021 Pasal 18–21), recorded by HR or leadership,
    or by the official. A proven case needs a sanction that exists at its level; sedang and berat need an
    examination by a team (Pasal 27). ``delivered_on``, the day the ASN received the decision, when it
    was handed over already (else recorded later, :func:`record_delivery`): the appeal deadline counts
    from it and is not running without it."""
    agency = case.agency
    # The employee under examination never decides their own case, as actor or as the official named.
    if is_self(actor, case.employee):
        raise PermissionDenied(_("Pegawai yang diperiksa tidak dapat memutus kasusnya sendiri."))
    if official is not None and official.pk == case.employee_id:
        _fail("official", _("Pegawai yang diperiksa tidak dapat memutus kasusnya sendiri."))
    # The official records their own decision without a role only while still in the directory.
    if official is None or not is_self(actor, official) or not official.is_active:
        permissions.require(actor, DECISION_RECORDERS, agency=agency)
    _require_step(case, "decision")
    if official is None:
        _fail("official", _("Pejabat yang berwenang menghukum wajib diisi."))
    _refuse_departed_official(official)
    if not (decision_number or "").strip():
        _fail("decision_number", _("Nomor keputusan wajib diisi."))
    today = Calendar(agency).local_date()
    if decided_on > today:
        _fail("decided_on", _("Tanggal keputusan tidak boleh di masa depan."))
    if decided_on < case.opened_on:
        _fail("decided_on", _("Tanggal keputusan tidak boleh sebelum kasus dibuka."))
    if delivered_on is not None:
        _check_delivery(decided_on, delivered_on, today)
    examinations = list(case.examinations.prefetch_related("team"))
    if not examinations:
        _fail("status", _("Kasus belum diperiksa: catat BAP pemeriksaan lebih dahulu."))
    tables = rule_tables(agency)
    sanction_obj = None
    if not proven and not rules.may_decide(
        "ringan", official_standings(official, case.employee, agency), tables["decision_authority"]
    ):
        # "Not proven" closes the case: only an official who may punish this employee says so.
        _fail(
            "official",
            _("%(name)s tidak berwenang memutus kasus disiplin pegawai ini.")
            % {"name": official.name},
        )
    if proven:
        try:
            sanction_obj = rules.check_sanction(level, sanction)
        except ValueError as exc:
            _fail("sanction" if level in rules.LEVELS else "level", translated(exc))
        standings = official_standings(official, case.employee, agency)
        if not rules.may_decide(level, standings, tables["decision_authority"]):
            _fail(
                "official",
                _(
                    "%(name)s tidak berwenang menjatuhkan hukuman disiplin tingkat %(level)s "
                    "kepada pegawai ini."
                )
                % {"name": official.name, "level": level},
            )
        if level in rules.TEAM_LEVELS and not any(e.in_absentia for e in examinations):
            missing = min(
                (team_gaps(case, e.team.all()) for e in examinations), key=len, default=[]
            )
            if missing:
                _fail(
                    "level",
                    _(
                        "Hukuman sedang atau berat memerlukan pemeriksaan oleh tim (atasan "
                        "langsung, pengawasan dan kepegawaian). Tim pemeriksa belum memuat: "
                        "%(missing)s."
                    )
                    % {"missing": ", ".join(missing)},
                )
        sanction_start = sanction_start or decided_on
        if sanction_start < decided_on:
            _fail("sanction_start", _("Hukuman tidak dapat berlaku sebelum tanggal keputusan."))
        latest = rules.add_months(decided_on, SANCTION_START_WITHIN_MONTHS)
        if sanction_start > latest:
            _fail(
                "sanction_start",
                _(
                    "Hukuman berlaku paling lambat satu tahun sesudah tanggal keputusan "
                    "(paling lambat %(d)s)."
                )
                % {"d": latest},
            )
    elif level or sanction:
        _fail("sanction", _("Kasus yang tidak terbukti tidak dijatuhi hukuman."))
    with transaction.atomic():
        # Checked again on the locked row: a decision recorded meanwhile (or an appeal filed against
        # it) is neither decided twice nor overwritten by the copy this request read.
        original, case = case, _locked_case(case)
        _require_step(case, "decision")
        case.proven, case.decided_by, case.decision_number = (
            proven,
            official,
            decision_number.strip()[:100],
        )
        case.decided_on, case.decision_notes = decided_on, notes
        case.delivered_on = delivered_on
        case.delivery_method = "diserahkan" if delivered_on is not None else ""
        if proven:
            case.delivery_due = Calendar(agency).add(decided_on, tables["delivery_working_days"])
            case.level, case.sanction = level, sanction
            case.sanction_start = sanction_start
            case.sanction_end = rules.sanction_end(sanction, sanction_start)
            case.appeal_due = _appeal_due(case, tables)
            case.status = CaseStatus.DECIDED
        else:
            case.status = CaseStatus.CLOSED
        case.save()
        audit.record(
            actor,
            "personnel.discipline_decided",
            case,
            {
                "proven": proven,
                "level": level,
                "sanction": sanction,
                "official": official.pk,
                "delivered_on": delivered_on.isoformat() if delivered_on else None,
            },
            agency_id=agency.pk,
        )
        if proven and case.employee.email:
            _mail_decision(case, sanction_obj)
    return _mirror(original, case)


def _check_delivery(decided_on: dt.date, delivered_on: dt.date, today: dt.date) -> None:
    try:
        rules.check_delivery(decided_on, delivered_on, today)
    except ValueError as exc:
        _fail("delivered_on", translated(exc))


def _appeal_due(case: DisciplineCase, tables: dict) -> dt.date | None:
    """The last day to appeal the sanction of ``case``: ``appeal_working_days`` working days of its
    agency after the day the ASN received the decision; None for a sanction that cannot be appealed,
    and while the delivery is not recorded (the deadline is not running)."""
    if rules.appeal_kind(case.sanction) is None or case.delivered_on is None:
        return None
    return Calendar(case.agency).add(case.delivered_on, tables["appeal_working_days"])


def record_delivery(actor, case: DisciplineCase, *, delivered_on: dt.date) -> DisciplineCase:
    """The day the ASN received the sanction decision (handed over, or the letter sent arrived),
    recorded by HR or leadership after the decision, never by the ASN concerned; a day recorded
    already may be corrected until an appeal is filed (or the case closed). The appeal deadline
    (``appeal_due``) is counted again from it, and the ASN is told its last day. Not before the
    decision nor after the agency's today (``rules.check_delivery``)."""
    _require_recorder(actor, case)
    _check_delivery(case.decided_on, delivered_on, Calendar(case.agency).local_date())
    return _store_delivery(
        actor,
        case,
        "personnel.discipline_delivered",
        delivered_on=delivered_on,
        method="diserahkan",
        # A correction from "sent" to "handed over" drops what was recorded of the sending.
        sent_on=None,
        reason="",
        details={"delivered_on": delivered_on.isoformat(), "method": "diserahkan"},
    )


def record_deemed_delivery(
    actor, case: DisciplineCase, *, sent_on: dt.date, deemed_on: dt.date, reason: str
) -> DisciplineCase:
    """The ASN did not attend the handing-over of the sanction decision, so it was sent to them (to
    the last address the agency has on record; ``rules.DELIVERY_METHODS``): HR or leadership record
    the day it was sent, the day it is deemed received (from the proof of sending) and why it was
    sent, never the ASN concerned. ``delivered_on`` becomes the day deemed received, so the appeal
    deadline (``appeal_due``) runs from it, and the ASN is told its last day. Recorded (or corrected)
    under the same conditions as :func:`record_delivery`; refused on its field for a sending before
    the decision or in the future, a receipt before the sending or in the future
    (``rules.deemed_delivery_problem``), or no reason."""
    _require_recorder(actor, case)
    problem = rules.deemed_delivery_problem(
        case.decided_on, sent_on, deemed_on, Calendar(case.agency).local_date()
    )
    if problem is not None:
        _fail(problem[0], _(problem[1]))
    reason = (reason or "").strip()
    if not reason:
        _fail(
            "reason",
            _(
                "Alasan wajib diisi: mengapa SK dikirim, misalnya pegawai tidak hadir saat penyerahan."
            ),
        )
    return _store_delivery(
        actor,
        case,
        "personnel.discipline_deemed_delivered",
        delivered_on=deemed_on,
        method="dikirim",
        sent_on=sent_on,
        reason=reason[:2000],
        details={"sent_on": sent_on.isoformat(), "deemed_on": deemed_on.isoformat()},
    )


def _require_recorder(actor, case: DisciplineCase) -> None:
    """Only HR or leadership of the case's agency record how the decision reached the ASN, never the
    ASN concerned, and only at the delivery step."""
    permissions.require(actor, DECISION_RECORDERS, agency=case.agency_id)
    if is_self(actor, case.employee):
        raise PermissionDenied(
            _("Pegawai yang diperiksa tidak dapat mencatat penyerahan keputusannya sendiri.")
        )
    _require_step(case, "delivery")


def _store_delivery(
    actor,
    case: DisciplineCase,
    action: str,
    *,
    delivered_on: dt.date,
    method: str,
    sent_on: dt.date | None,
    reason: str,
    details: dict,
) -> DisciplineCase:
    """Record that the decision reached the ASN on ``delivered_on`` (by ``method``), count the appeal
    deadline again from it, audit it as ``action`` and tell the ASN their last day when it changed."""
    with transaction.atomic():
        # Checked again on the locked row: an appeal filed meanwhile fixes the deadline it was filed in.
        original, case = case, _locked_case(case)
        _require_step(case, "delivery")
        before = case.delivered_on
        case.delivered_on, case.delivery_method = delivered_on, method
        case.delivery_sent_on, case.delivery_reason = sent_on, reason
        case.appeal_due = _appeal_due(case, rule_tables(case.agency))
        case.save(
            update_fields=[
                "delivered_on",
                "delivery_method",
                "delivery_sent_on",
                "delivery_reason",
                "appeal_due",
            ]
        )
        audit.record(
            actor,
            action,
            case,
            {
                **details,
                "before": before.isoformat() if before else None,
                "appeal_due": case.appeal_due.isoformat() if case.appeal_due else None,
                "late": case.delivery_late(delivered_on),
            },
            agency_id=case.agency_id,
        )
        if case.appeal_due is not None and case.employee.email and delivered_on != before:
            _mail_delivery(case)
    return _mirror(original, case)


def delivery_warning_recipients(case: DisciplineCase) -> list:
    """The active accounts that record a decision's delivery for ``case`` (HR or leadership of its
    agency, :data:`DECISION_RECORDERS`) and may read it, never the ASN concerned, in a stable order."""
    from amanah.core.models import User

    holders = (
        User.objects.filter(
            is_active=True, roles__role__in=DECISION_RECORDERS, roles__agency_id=case.agency_id
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return [
        u
        for u in holders
        if permissions.has_role(u, DECISION_RECORDERS, agency=case.agency_id)
        and can_view_case(u, case)
        and not is_self(u, case.employee)
    ]


def send_delivery_warnings(agency, *, today: dt.date | None = None) -> int:
    """E-mail HR and leadership of ``agency`` about each sanction decision not yet handed to the ASN
    whose delivery deadline (``delivery_due``) is at most ``delivery_warning_working_days`` working
    days away, or has passed: once per case (``delivery_warned_on``, set only when someone was
    told: a case the agency has nobody to warn about is warned about later). For the scheduled sweep
    (``tasks.delivery_warning_sweep``). Returns the number of cases warned about."""
    cal = Calendar(agency)
    today = today or cal.local_date()
    horizon = cal.add(today, rule_tables(agency)["delivery_warning_working_days"])
    qs = DisciplineCase.objects.filter(
        agency=agency,
        status=CaseStatus.DECIDED,
        delivered_on__isnull=True,
        delivery_due__isnull=False,
        delivery_due__lte=horizon,
        delivery_warned_on__isnull=True,
    ).select_related("employee__unit__agency", "agency")
    warned = 0
    for case in qs.order_by("delivery_due", "pk"):
        with transaction.atomic():
            case = _locked_case(case)
            if case.delivered_on is not None or case.delivery_warned_on is not None:
                continue
            recipients = delivery_warning_recipients(case)
            if not recipients:
                # No active HR or leadership account to tell (yet): a warning nobody received is
                # not marked as given, so the first sweep after one exists still warns.
                continue
            _mail_delivery_warning(case, recipients, today)
            case.delivery_warned_on = today
            case.save(update_fields=["delivery_warned_on"])
            audit.record(
                None,
                "personnel.discipline_delivery_warned",
                case,
                {
                    "delivery_due": case.delivery_due.isoformat(),
                    "recipients": [u.pk for u in recipients],
                },
                agency_id=case.agency_id,
            )
        warned += 1
    return warned


@in_site_language
def _mail_delivery_warning(case: DisciplineCase, recipients, today: dt.date) -> None:
    from django.urls import reverse

    if today > case.delivery_due:
        lead = _(
            "Keputusan %(dn)s (kasus %(n)s) belum tercatat diserahkan kepada pegawai, padahal "
            "batas penyampaiannya %(due)s sudah lewat."
        )
    else:
        lead = _(
            "Keputusan %(dn)s (kasus %(n)s) belum tercatat diserahkan kepada pegawai; batas "
            "penyampaiannya %(due)s."
        )
    body = (
        lead % {"dn": case.decision_number, "n": case.number, "due": mail_day(case.delivery_due)}
        + "\n\n"
        + _(
            "Serahkan keputusan itu dan catat tanggal SK diterima; bila pegawai tidak hadir saat "
            "penyerahan, kirim SK ke alamatnya dan catat tanggal pengiriman serta tanggal SK "
            "dianggap diterima."
        )
        + "\n\n"
        + _("Buka kasusnya di Amanah:\n%(url)s")
        % {"url": settings.SITE_URL + reverse("personnel:case", args=[case.number])}
        + "\n"
    )
    subject = _("Batas penyampaian keputusan kasus %(n)s") % {"n": case.number}
    for user in recipients:
        notify.email(user.email, subject, body)


@in_site_language
def _mail_delivery(case: DisciplineCase) -> None:
    """Tell the ASN the day their receipt of the decision was recorded and the appeal's last day."""
    from django.urls import reverse

    notify.email(
        case.employee.email,
        _("Batas upaya administratif kasus %(n)s") % {"n": case.number},
        _("Keputusan %(dn)s tercatat Anda terima pada %(d)s.")
        % {"dn": case.decision_number, "d": mail_day(case.delivered_on)}
        + "\n\n"
        + _("%(kind)s dapat diajukan paling lambat %(due)s.")
        % {
            "kind": dict(Appeal.KINDS)[rules.appeal_kind(case.sanction)],
            "due": mail_day(case.appeal_due),
        }
        + "\n\n"
        + _("Baca keputusannya di Amanah setelah masuk:\n%(url)s")
        % {"url": settings.SITE_URL + reverse("personnel:case", args=[case.number])}
        + "\n",
    )


@in_site_language
def _mail_decision(case: DisciplineCase, sanction) -> None:
    """Tell the ASN the sanction decided, in the site language whoever recorded it: the administrative
    remedy open to them (keberatan or banding administratif) and its last day, or, for a light sanction,
    that there is none (PP 94/2021: no upaya administratif against hukuman disiplin ringan); and the
    link to the case, where the remedy is filed."""
    from django.urls import reverse

    kind = rules.appeal_kind(case.sanction)
    if kind is None:
        remedy = _("Hukuman disiplin ringan tidak dapat diajukan upaya administratif.")
    elif case.appeal_due is None:
        # Not handed over yet: the deadline runs from the day it is received.
        remedy = _(
            "%(kind)s dapat diajukan paling lambat %(n)s hari kerja sejak keputusan Anda terima."
        ) % {
            "kind": dict(Appeal.KINDS)[kind],
            "n": rule_tables(case.agency)["appeal_working_days"],
        }
    else:
        remedy = _("%(kind)s dapat diajukan paling lambat %(due)s.") % {
            "kind": dict(Appeal.KINDS)[kind],
            "due": mail_day(case.appeal_due),
        }
    notify.email(
        case.employee.email,
        _("Keputusan hukuman disiplin %(n)s") % {"n": case.number},
        _("Keputusan %(dn)s: %(label)s.") % {"dn": case.decision_number, "label": _(sanction.label)}
        + "\n\n"
        + remedy
        + "\n\n"
        + _("Baca keputusannya di Amanah setelah masuk:\n%(url)s")
        % {"url": settings.SITE_URL + reverse("personnel:case", args=[case.number])}
        + "\n",
    )


#: The code of the refusal of an appeal filed after its deadline (``params["due"]``: the last day).
APPEAL_DEADLINE_PASSED = "appeal_deadline_passed"


def file_appeal(actor, case: DisciplineCase, *, filed_on: dt.date, grounds: str) -> Appeal:
    """Keberatan or banding administratif by the ASN (or HR on their behalf) before the deadline.
    The deadline is checked against the day the appeal is received (the agency's today), not only
    against the ``filed_on`` typed in, which may not be in the future."""
    if not is_self(actor, case.employee):
        permissions.require(actor, HR, agency=case.agency_id)
    _require_step(case, "appeal")
    kind = rules.appeal_kind(case.sanction)
    if kind is None:
        _fail("status", _("Hukuman disiplin ringan tidak dapat diajukan upaya administratif."))
    today = Calendar(case.agency).local_date()
    if filed_on > today:
        _fail("filed_on", _("Tanggal pengajuan tidak boleh di masa depan."))
    if filed_on < case.decided_on:
        _fail("filed_on", _("Tanggal pengajuan tidak boleh sebelum keputusan."))
    # No deadline while the delivery of the decision is not recorded: it is not running yet.
    if case.appeal_due and today > case.appeal_due:
        raise ValidationError(
            {
                "filed_on": [
                    ValidationError(
                        _("Batas waktu upaya administratif sudah lewat (%(d)s)."),
                        code=APPEAL_DEADLINE_PASSED,
                        # The day as people read it; the API writes ``due`` as ISO instead.
                        params={"d": mail_day(case.appeal_due), "due": case.appeal_due},
                    )
                ]
            }
        )
    if not (grounds or "").strip():
        _fail("grounds", _("Alasan wajib diisi."))
    with transaction.atomic():
        original, case = case, _locked_case(case)  # an appeal filed meanwhile: refused, not a 500
        _require_step(case, "appeal")
        days = rules.appeal_ruling_days(
            kind, rule_tables(case.agency)["keberatan_ruling_working_days"]
        )
        appeal = Appeal.objects.create(
            case=case,
            kind=kind,
            filed_on=filed_on,
            grounds=grounds.strip(),
            # Counted from the day the keberatan is received (the filing date recorded).
            ruling_due=Calendar(case.agency).add(filed_on, days) if days else None,
        )
        case.status = CaseStatus.APPEALED
        case.save(update_fields=["status"])
        audit.record(
            actor, "personnel.discipline_appealed", case, {"kind": kind}, agency_id=case.agency_id
        )
    _mirror(original, case)
    return appeal


def decide_appeal(
    actor,
    case: DisciplineCase,
    *,
    outcome: str,
    decided_on: dt.date,
    level: str = "",
    sanction: str = "",
    official=None,
) -> DisciplineCase:
    """The appeal's outcome: ditolak (sanction stands), dikabulkan (sanction lifted) or diubah (a
    different sanction, which must exist at its level). Recorded by HR or leadership, never by the
    ASN concerned. A changed sanction names the ``official`` who decided it, checked as the decision's
    official is (PP 94/2021 Pasal 18–21, :func:`rules.may_decide`): an appeal imposes nothing that
    official could not impose, and one who has left decides nothing. The official is optional for the
    other outcomes; when named, they must be one who may impose the sanction appealed against."""
    permissions.require(actor, DECISION_RECORDERS, agency=case.agency_id)
    if is_self(actor, case.employee):
        raise PermissionDenied(_("Pegawai yang diperiksa tidak dapat memutus kasusnya sendiri."))
    if official is not None and official.pk == case.employee_id:
        _fail("official", _("Pegawai yang diperiksa tidak dapat memutus kasusnya sendiri."))
    _require_step(case, "appeal_decision")
    appeal = case.appeal
    if outcome not in ("ditolak", "dikabulkan", "diubah"):
        _fail("outcome", _("Hasil harus ditolak, dikabulkan atau diubah."))
    if decided_on < appeal.filed_on:
        _fail("decided_on", _("Tanggal putusan tidak boleh sebelum pengajuan."))
    if decided_on > Calendar(case.agency).local_date():
        _fail("decided_on", _("Tanggal putusan tidak boleh di masa depan."))
    sanction_end = None
    outside = rules.appeal_ruled_outside(appeal.kind)
    if outcome == "diubah":
        try:
            rules.check_sanction(level, sanction)
            # Also a ValueError: a term ending past the last date (a start recorded before the bound).
            sanction_end = rules.sanction_end(sanction, case.sanction_start)
        except ValueError as exc:
            _fail("sanction", translated(exc))
        if official is None and not outside:
            _fail(
                "official",
                _(
                    "Hukuman yang diubah wajib menyebut NIP pejabat yang memutus upaya administratif."
                ),
            )
    if official is not None and outside:
        _fail(
            "official",
            _(
                "Banding administratif diputus oleh Badan Pertimbangan ASN (BPASN), bukan oleh "
                "pejabat instansi: kosongkan NIP pejabat."
            ),
        )
    if official is not None:
        _refuse_departed_official(official)
        ruled = level if outcome == "diubah" else case.level  # the sanction the official rules on
        standings = official_standings(official, case.employee, case.agency)
        authority = rule_tables(case.agency)["decision_authority"]
        if not rules.may_decide(ruled, standings, authority):
            _fail(
                "official",
                _(
                    "%(name)s tidak berwenang menjatuhkan hukuman disiplin tingkat %(level)s "
                    "kepada pegawai ini."
                )
                % {"name": official.name, "level": ruled},
            )
        if not rules.may_rule_on_appeal(
            appeal.kind,
            ruled,
            standings,
            above_imposer=_above_imposer(official, case, standings),
            authority=authority,
        ):
            _fail(
                "official",
                _(
                    "%(name)s bukan atasan %(imposer)s, pejabat yang menjatuhkan hukuman ini: "
                    "keberatan diputus oleh atasan pejabat yang menjatuhkan hukuman."
                )
                % {"name": official.name, "imposer": case.decided_by.name},
            )
    with transaction.atomic():
        # Checked again on the locked row: an appeal decided meanwhile is not decided twice.
        original, case = case, _locked_case(case)
        _require_step(case, "appeal_decision")
        read, appeal = appeal, case.appeal
        appeal.outcome, appeal.decided_on, appeal.decided_by = outcome, decided_on, official
        appeal.save(update_fields=["outcome", "decided_on", "decided_by"])
        _mirror(read, appeal)
        if outcome == "dikabulkan":
            case.level = case.sanction = ""
            case.sanction_start = case.sanction_end = None
        elif outcome == "diubah":
            case.level, case.sanction = level, sanction
            case.sanction_end = sanction_end
        case.status = CaseStatus.CLOSED
        case.save()
        audit.record(
            actor,
            "personnel.discipline_appeal_decided",
            case,
            {
                "outcome": outcome,
                "level": case.level,
                "sanction": case.sanction,
                "official": official.pk if official is not None else None,
            },
            agency_id=case.agency_id,
        )
    return _mirror(original, case)


def _above_imposer(official, case: DisciplineCase, standings: set[str]) -> bool:
    """Whether ``official`` stands above the official who imposed the sanction of ``case`` (a
    keberatan goes to that official's superior, ``rules.APPEAL_DECIDERS``): a superior of theirs
    still in the directory, or one with the PPK's standing over an official without it. A sanction
    the PPK imposed is ruled on by an official with the PPK's standing (the PPK has no superior in
    the agency). A case recorded without its official (imported) cannot be checked: True."""
    imposer = case.decided_by
    if imposer is None:
        return True
    imposer_standings = official_standings(imposer, case.employee, case.agency)
    if "ppk" in imposer_standings:
        return "ppk" in standings
    if official.pk == imposer.pk:
        return False
    return "ppk" in standings or any(
        s.pk == official.pk for s in imposer.superiors() if s.is_active
    )


def record_absences(actor, employee, dates: list[dt.date]) -> int:
    """Record days of unexcused absence (weekends and holidays are refused: only working days count)."""
    permissions.require(actor, HR, agency=employee.unit.agency_id)
    from . import selectors

    cal = Calendar(employee.unit.agency)
    today = cal.local_date()  # a WIT office's today is already tomorrow in WIB after 22:00
    arrived = selectors.moved_in_on(employee)
    for d in dates:
        outside = out_of_years(d)  # the calendar knows no working days there
        if outside:
            _fail("dates", outside)
        if d > today:
            _fail("dates", _("Tanggal %(d)s di masa depan.") % {"d": d})
        if arrived is not None and d < arrived:
            # Days before a transfer are the origin's record (docs/personnel.md, "Transfer").
            _fail(
                "dates",
                _(
                    "Tanggal %(d)s sebelum pegawai pindah ke instansi ini (%(arrived)s): "
                    "ketidakhadiran sebelum mutasi dicatat instansi asal."
                )
                % {"d": d, "arrived": arrived},
            )
        if not cal.is_working_day(d):
            _fail("dates", _("%(d)s bukan hari kerja.") % {"d": d})
    with transaction.atomic():
        _lock_employee(employee)  # the same days sent twice at once: the second adds none
        existing = set(
            Absence.objects.filter(employee=employee, date__in=dates).values_list("date", flat=True)
        )
        new = [Absence(employee=employee, date=d) for d in sorted(set(dates)) if d not in existing]
        Absence.objects.bulk_create(new)
        audit.record(
            actor,
            "personnel.absences_recorded",
            employee,
            {"days": len(new)},
            agency_id=employee.unit.agency_id,
        )
    return len(new)


# --- Recognition ------------------------------------------------------------------------------------


def propose_award(actor, employee, *, kind: str, title: str, reason: str, year: int) -> Award:
    permissions.require(actor, AWARD_PROPOSERS, agency=employee.unit.agency_id)
    if kind not in dict(Award.KINDS):
        _fail("kind", _("Jenis penghargaan tidak dikenal."))
    if not (title or "").strip():
        _fail("title", _("Nama penghargaan wajib diisi."))
    if not (reason or "").strip():
        _fail("reason", _("Alasan wajib diisi."))
    if not 2000 <= int(year) <= timezone.localdate().year:
        _fail("year", _("Tahun tidak masuk akal."))
    if kind in ("integritas", "rekam_bersih"):
        from . import selectors

        if selectors.has_recent_sanction(employee, int(year)):
            _fail("kind", _("Pegawai ini menjalani hukuman disiplin pada tahun tersebut."))
    with transaction.atomic():
        award = Award.objects.create(
            employee=employee,
            kind=kind,
            title=title.strip()[:200],
            reason=reason.strip(),
            year=year,
            proposed_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor,
            "personnel.award_proposed",
            award,
            {"kind": kind},
            agency_id=employee.unit.agency_id,
        )
    return award


def own_award_refusal(actor, award: Award) -> OwnRecord | None:
    """Why ``actor`` may not decide ``award`` whatever role they hold: it is for themself
    (``own_award``) or they proposed it (``own_proposal``); None otherwise. The awards page reads it to
    offer no buttons that would only be refused."""
    if is_self(actor, award.employee):
        return OwnRecord(
            _("Anda tidak dapat memutus usulan penghargaan untuk diri Anda sendiri."), "own_award"
        )
    if award.proposed_by_id and award.proposed_by_id == getattr(actor, "pk", None):
        return OwnRecord(_("Pengusul tidak dapat menyetujui usulannya sendiri."), "own_proposal")
    return None


def _award_decided(award: Award) -> StateConflict:
    """Why ``award`` can no longer be decided: decided already, or withdrawn by a transfer."""
    if award.status == "ditarik":
        return StateConflict(
            _("Usulan ini sudah ditarik: pegawainya dimutasi ke instansi lain."), "award_decided"
        )
    return StateConflict(_("Usulan ini sudah diputus."), "award_decided")


def decide_award(actor, award: Award, *, approve: bool) -> Award:
    """Leadership approves or rejects a proposal: never one they proposed (``OwnRecord`` with code
    ``own_proposal``), nor one for themself (``own_award``), whatever role they hold."""
    permissions.require(actor, AWARD_APPROVERS, agency=award.employee.unit.agency_id)
    if award.status != "diusulkan":
        raise _award_decided(award)
    if (refusal := own_award_refusal(actor, award)) is not None:
        raise refusal
    with transaction.atomic():
        # Checked again on the locked row: approved and rejected at once, only the first counts.
        original, award = (
            award,
            Award.objects.select_for_update(of=("self",))
            .select_related("employee__unit")
            .get(pk=award.pk),
        )
        if award.status != "diusulkan":
            raise _award_decided(award)
        award.status = "disetujui" if approve else "ditolak"
        award.decided_by, award.decided_at = actor, timezone.now()
        award.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            actor,
            "personnel.award_decided",
            award,
            {"approved": approve},
            agency_id=award.employee.unit.agency_id,
        )
    return _mirror(original, award)


# --- Imports (all or nothing) -------------------------------------------------------------------------


def _parse_date(value: str):
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def import_asn(actor, agency, upload, *, filename: str | None = None) -> dict:
    """ASN data from CSV/XLSX through core's directory import (``nip, nama, unit, jabatan`` and optional
    ``email``, ``kepala_unit``), plus the optional ``pendidikan`` column kept in the personnel profile."""
    from amanah.core import tabular
    from amanah.core.services import import_employees

    permissions.require(actor, HR, agency=agency)
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    name = filename or getattr(upload, "name", None)
    header, rows = tabular.read_rows(io.BytesIO(data), filename=name)
    errors = []
    if "pendidikan" in header:
        for row in rows:
            edu = row.get("pendidikan", "").strip().lower().replace("-", "").replace(" ", "")
            edu = {"sma/smk": "sma", "smk": "sma", "diii": "d3", "div": "d4"}.get(edu, edu)
            if edu and edu not in rules.EDUCATION_LEVELS:
                errors.append(
                    tabular.RowError(
                        row["_row"], "pendidikan", _("Jenjang pendidikan tidak dikenal.")
                    )
                )
            row["_edu"] = edu
    with transaction.atomic():
        try:
            result = import_employees(actor, agency, io.BytesIO(data), filename=name)
        except tabular.ImportRejected as exc:
            raise tabular.ImportRejected(exc.errors + errors) from None
        tabular.raise_if_errors(errors)
        for row in rows:
            if row.get("_edu"):
                emp = Employee.objects.get(nip=row["nip"].replace(" ", ""))
                Profile.objects.update_or_create(employee=emp, defaults={"education": row["_edu"]})
    return result


TRAINING_COLUMNS = ["nip", "jp", "tanggal_selesai"]
#: The diklat export's column names (``selectors.export_rows``) that the training import takes for its
#: own, so that an exported file is imported as it is: import column → export column.
TRAINING_EXPORT_COLUMNS = {
    "kategori": "jenis_diklat",
    "nama_kegiatan": "nama_diklat",
    "jp": "jumlah_jp",
}


def _training_choices(table: dict[str, str]) -> dict[str, str]:
    """What the training import takes for each stored value of ``table`` (``rules.PROGRAM_CATEGORIES``
    or ``PROGRAM_METHODS``), lower-cased: the value itself, its Indonesian label and its English one
    (the diklat export writes the label in the exporter's language)."""
    from django.utils import translation

    out = {}
    for key, label in table.items():
        with translation.override("en"):
            english = translation.gettext(label)
        for name in (key, label, english):
            out[" ".join(name.split()).lower()] = key
    return out


def _training_columns(header: list[str], rows: list[dict]) -> dict[str, str]:
    """The file's name of each import column that may come under its export name (a file exported
    from the diklat report): each row also gets the value under the import name. A file with both
    names of one column is refused rather than one of them read and the other dropped."""
    from amanah.core import tabular

    names = {}
    both = []
    for own, exported in TRAINING_EXPORT_COLUMNS.items():
        if own in header and exported in header:
            both.append(
                tabular.RowError(
                    1,
                    exported,
                    _("Kolom %(a)s dan %(b)s sama artinya: pakai salah satu.")
                    % {"a": own, "b": exported},
                )
            )
        names[own] = exported if exported in header else own
    tabular.raise_if_errors(both)
    for row in rows:
        for own, name in names.items():
            if name != own:
                row[own] = row.get(name, "")
    return names


def import_trainings(actor, agency, upload, *, filename: str | None = None) -> dict:
    """Completed training records from CSV/XLSX: ``nip``, ``jp``, ``tanggal_selesai`` and either
    ``kode_program`` (catalogue) or ``nama_kegiatan``; optional ``kategori``, ``bentuk``,
    ``nomor_sertifikat``. One bad row rejects the file; errors name row and column. A row already
    recorded (same ASN, activity and completion date, e.g. the same file sent twice) is refused, so
    no JP are counted twice.

    A file of the diklat export is taken as it is: its ``JENIS_DIKLAT``, ``NAMA_DIKLAT`` and
    ``JUMLAH_JP`` columns stand for ``kategori``, ``nama_kegiatan`` and ``jp``, and ``kategori`` and
    ``bentuk`` take the stored value or its label, Indonesian or English, in any case."""
    from amanah.core import tabular

    permissions.require(actor, HR, agency=agency)
    header, rows = tabular.read_rows(upload, filename=filename)
    columns = _training_columns(header, rows)
    tabular.require_columns(header, [columns.get(c, c) for c in TRAINING_COLUMNS])
    categories = _training_choices(rules.PROGRAM_CATEGORIES)
    methods = _training_choices(rules.PROGRAM_METHODS)
    employees = {
        e.nip: e
        for e in Employee.objects.filter(
            nip__in=[r["nip"].replace(" ", "") for r in rows]
        ).select_related("unit")
    }
    programs = {
        p.code: p
        for p in Program.objects.filter(code__in=[r.get("kode_program", "") for r in rows])
    }
    tables = rule_tables(agency)
    today = timezone.localdate()
    recorded = set(
        Training.objects.filter(
            employee__in=employees.values(), status=TrainingStatus.COMPLETED
        ).values_list("employee_id", "title", "completed_on")
    )
    errors, clean = [], []
    seen = set()
    for row in rows:
        n = row["_row"]
        before = len(errors)
        emp = employees.get(row["nip"].replace(" ", ""))
        if emp is None or emp.unit.agency_id != agency.pk:
            errors.append(tabular.RowError(n, "nip", _("NIP tidak terdaftar di instansi ini.")))
        program = None
        code = row.get("kode_program", "")
        if code:
            program = programs.get(code)
            if program is None or program.agency_id not in (None, agency.pk):
                errors.append(
                    tabular.RowError(n, "kode_program", _("Kode program tidak ada di katalog."))
                )
        title = row.get("nama_kegiatan", "") or (program.title if program else "")
        if not title:
            errors.append(
                tabular.RowError(
                    n, columns["nama_kegiatan"], _("Isi kode_program atau nama_kegiatan.")
                )
            )
        elif len(title) > 200:
            errors.append(
                tabular.RowError(
                    n, columns["nama_kegiatan"], _("Nama kegiatan paling panjang 200 karakter.")
                )
            )
        certificate = row.get("nomor_sertifikat", "")
        if len(certificate) > 100:
            errors.append(
                tabular.RowError(
                    n, "nomor_sertifikat", _("Nomor sertifikat paling panjang 100 karakter.")
                )
            )
        try:
            jp = rules.validate_jp(row["jp"], tables["jp_max_per_record"])
        except ValueError as exc:
            errors.append(tabular.RowError(n, columns["jp"], translated(exc)))
            jp = None
        done = _parse_date(row["tanggal_selesai"])
        if done is None:
            errors.append(
                tabular.RowError(
                    n, "tanggal_selesai", _("Tanggal harus YYYY-MM-DD atau DD-MM-YYYY.")
                )
            )
        elif done > today:
            errors.append(
                tabular.RowError(n, "tanggal_selesai", _("Tanggal selesai di masa depan."))
            )
        # The stored value or its label (Indonesian or English, as the diklat export writes it).
        category = row.get("kategori", "")
        category = (
            categories.get(" ".join(category.split()).lower())
            if category
            else (program.category if program else "teknis")
        )
        method = row.get("bentuk", "")
        method = (
            methods.get(" ".join(method.split()).lower())
            if method
            else (program.method if program else "pelatihan")
        )
        if category is None:
            errors.append(tabular.RowError(n, columns["kategori"], _("Kategori tidak dikenal.")))
        if method is None:
            errors.append(tabular.RowError(n, "bentuk", _("Bentuk kegiatan tidak dikenal.")))
        key = (emp.pk if emp else row["nip"], title, done)
        if key in seen:
            errors.append(
                tabular.RowError(
                    n, columns["nama_kegiatan"], _("Baris ganda (NIP, kegiatan dan tanggal sama).")
                )
            )
        elif key in recorded:
            errors.append(
                tabular.RowError(
                    n,
                    columns["nama_kegiatan"],
                    _("Kegiatan ini sudah tercatat untuk pegawai ini pada tanggal yang sama."),
                )
            )
        seen.add(key)
        if len(errors) == before:
            clean.append(
                Training(
                    employee=emp,
                    program=program,
                    title=title,
                    category=category,
                    method=method,
                    jp=jp,
                    status=TrainingStatus.COMPLETED,
                    enrolled_on=done,
                    completed_on=done,
                    certificate_number=certificate,
                    source="impor",
                )
            )
    tabular.raise_if_errors(errors)
    with transaction.atomic():
        Training.objects.bulk_create(clean)
        audit.record(
            actor,
            "personnel.trainings_imported",
            agency,
            {"created": len(clean)},
            agency_id=agency.pk,
        )
    return {"created": len(clean)}


SKP_COLUMNS = ["nip", "periode", "hasil_kerja", "perilaku"]
_RATING_ALIASES = {
    "dibawah": "di_bawah",
    "di bawah": "di_bawah",
    "diatas": "di_atas",
    "di atas": "di_atas",
}


def import_skp(actor, agency, upload, *, filename: str | None = None) -> dict:
    """SKP results from CSV/XLSX: ``nip``, ``periode`` (period name), ``hasil_kerja``, ``perilaku``
    (di_bawah/sesuai/di_atas); the predicate is computed, never imported. All or nothing."""
    from amanah.core import tabular

    permissions.require(actor, HR, agency=agency)
    header, rows = tabular.read_rows(upload, filename=filename)
    tabular.require_columns(header, SKP_COLUMNS)
    periods = {p.name.lower(): p for p in SkpPeriod.objects.filter(agency=agency)}
    employees = {
        e.nip: e
        for e in Employee.objects.filter(
            nip__in=[r["nip"].replace(" ", "") for r in rows], unit__agency=agency
        )
    }
    matrix = rule_tables(agency)["predicate_matrix"]
    errors, clean, seen = [], [], set()
    for row in rows:
        n, before = row["_row"], len(errors)
        emp = employees.get(row["nip"].replace(" ", ""))
        if emp is None:
            errors.append(tabular.RowError(n, "nip", _("NIP tidak terdaftar di instansi ini.")))
        elif is_self(actor, emp):
            errors.append(
                tabular.RowError(n, "nip", _("Anda tidak dapat menilai SKP Anda sendiri."))
            )
        period = periods.get(row["periode"].lower())
        if period is None:
            errors.append(tabular.RowError(n, "periode", _("Periode SKP tidak dikenal.")))
        ratings = {}
        for col in ("hasil_kerja", "perilaku"):
            v = row[col].strip().lower()
            v = _RATING_ALIASES.get(v, v)
            if v not in rules.RATINGS:
                errors.append(tabular.RowError(n, col, _("Harus di_bawah, sesuai atau di_atas.")))
            ratings[col] = v
        if emp and period:
            if (emp.pk, period.pk) in seen:
                errors.append(
                    tabular.RowError(n, "nip", _("Baris ganda untuk pegawai dan periode ini."))
                )
            seen.add((emp.pk, period.pk))
            existing = Skp.objects.filter(employee=emp, period=period).first()
            if existing and existing.status in (SkpStatus.OBJECTED, SkpStatus.FINAL):
                errors.append(
                    tabular.RowError(n, "nip", _("SKP ini sudah final atau dalam keberatan."))
                )
        if len(errors) == before:
            clean.append((emp, period, ratings))
    tabular.raise_if_errors(errors)
    with transaction.atomic():
        now = timezone.now()
        for emp, period, r in clean:
            Skp.objects.update_or_create(
                employee=emp,
                period=period,
                defaults={
                    "hasil_kerja": r["hasil_kerja"],
                    "perilaku": r["perilaku"],
                    "predicate": rules.skp_predicate(r["hasil_kerja"], r["perilaku"], matrix),
                    "status": SkpStatus.RATED,
                    "rated_at": now,
                    "source": "impor",
                },
            )
        audit.record(
            actor, "personnel.skp_imported", agency, {"rows": len(clean)}, agency_id=agency.pk
        )
    return {"imported": len(clean)}


# --- Transfer between agencies (mutasi) -------------------------------------------------------------


def may_see_transfer(actor, transfer: Transfer) -> bool:
    """HR of the origin or of the receiving agency (held agency-wide), and the platform admin."""
    return any(
        permissions.has_role(actor, HR, agency=agency_id)
        for agency_id in (transfer.from_agency_id, transfer.to_agency_id)
    )


def transfer_conflict(transfer: Transfer) -> StateConflict | None:
    """Why ``transfer`` can no longer be decided (``transfer_decided``); None while it waits."""
    if transfer.status != TransferStatus.REQUESTED:
        return StateConflict(_("Permintaan mutasi ini sudah diputus."), "transfer_decided")
    return None


def _pending_transfer_conflict() -> StateConflict:
    return StateConflict(
        _("Sudah ada permintaan mutasi untuk pegawai ini yang menunggu keputusan instansi asal."),
        "transfer_pending",
    )


def request_transfer(
    actor, *, nip: str, to_unit: Unit, position: str, sk_number: str, sk_date: dt.date
) -> Transfer:
    """The receiving agency's HR (held agency-wide) asks for an ASN registered at another agency to
    move to ``to_unit`` with the SK mutasi. The NIP is looked up in every agency: an agency holding
    the SK knows the person is a civil servant elsewhere. One request per ASN waits at a time
    (``409 transfer_pending``, also for two sent at once)."""
    from amanah.core import rules as core_rules

    permissions.require(actor, HR, agency=to_unit.agency_id)
    errors: dict[str, list] = {}
    employee = None
    try:
        nip = core_rules.normalize_nip(nip)
    except core_rules.NIPError as exc:
        errors["nip"] = [translated(exc)]
    else:
        employee = Employee.objects.filter(nip=nip).select_related("unit__agency").first()
        if employee is None:
            errors["nip"] = [
                _("NIP tidak terdaftar di instansi mana pun: tambahkan sebagai pegawai baru.")
            ]
        elif employee.unit.agency_id == to_unit.agency_id:
            errors["nip"] = [_("Pegawai ini sudah terdaftar di instansi ini.")]
        elif is_self(actor, employee):
            errors["nip"] = [_("Anda tidak dapat mengajukan mutasi diri Anda sendiri.")]
    if not to_unit.is_active:
        errors["unit"] = [_("Unit kerja ini tidak aktif.")]
    position, sk_number = (position or "").strip(), (sk_number or "").strip()
    if not position:
        errors["position"] = [_("Jabatan wajib diisi.")]
    if not sk_number:
        errors["sk_number"] = [_("Nomor SK mutasi wajib diisi.")]
    if sk_date is None:
        errors["sk_date"] = [_("Tanggal SK mutasi wajib diisi.")]
    elif problem := out_of_years(sk_date):
        errors["sk_date"] = [problem]
    elif sk_date > Calendar(to_unit.agency).local_date():
        errors["sk_date"] = [_("Tanggal SK mutasi tidak boleh di masa depan.")]
    if errors:
        raise ValidationError(errors)
    if Transfer.objects.filter(employee=employee, status=TransferStatus.REQUESTED).exists():
        raise _pending_transfer_conflict()
    try:
        with transaction.atomic():
            _lock_employee(employee)  # a request sent twice at once: the second waits, then sees it
            if Transfer.objects.filter(employee=employee, status=TransferStatus.REQUESTED).exists():
                raise _pending_transfer_conflict()
            transfer = Transfer.objects.create(
                employee=employee,
                from_agency_id=employee.unit.agency_id,
                from_unit=employee.unit,
                from_position=employee.position,
                to_agency_id=to_unit.agency_id,
                to_unit=to_unit,
                position=position[:200],
                sk_number=sk_number[:100],
                sk_date=sk_date,
                requested_by=actor if getattr(actor, "pk", None) else None,
            )
            _notify_transfer_requested(transfer)
            for agency_id in (transfer.to_agency_id, transfer.from_agency_id):
                audit.record(
                    actor,
                    "personnel.transfer_requested",
                    transfer,
                    {
                        "employee": employee.pk,
                        "from_agency": transfer.from_agency_id,
                        "to_agency": transfer.to_agency_id,
                        "to_unit": to_unit.pk,
                    },
                    agency_id=agency_id,
                )
    except IntegrityError:  # the unique pending request, where the row lock is not enough
        raise _pending_transfer_conflict() from None
    return transfer


def transfer_blockers(transfer: Transfer) -> StateConflict | None:
    """What the origin must finish before the ASN can leave (None when nothing): a discipline case
    not final yet (open, or decided and still open to an appeal, or appealed: ``case_pending``),
    decided by the origin's officials, who know the case; an SKP of one of the origin's periods not
    final yet (``skp_pending``), rated and answered by the origin's raters."""
    employee, origin = transfer.employee, transfer.from_agency
    today = Calendar(origin).local_date()
    for case in DisciplineCase.objects.filter(employee=employee, agency=origin).exclude(
        status=CaseStatus.CLOSED
    ):
        appealable = (
            case.status == CaseStatus.DECIDED
            and case.sanction
            and rules.appeal_kind(case.sanction) is not None
            # A deadline not running yet (the decision's delivery not recorded) has not passed.
            and (case.appeal_due is None or today <= case.appeal_due)
        )
        if case.status != CaseStatus.DECIDED or appealable:
            return StateConflict(
                _(
                    "Kasus disiplin %(number)s belum final di instansi asal: mutasi dapat disetujui "
                    "setelah kasus itu diputus dan upaya administratifnya selesai atau lewat waktu."
                )
                % {"number": case.number},
                "case_pending",
            )
    skp = (
        Skp.objects.filter(employee=employee, period__agency=origin)
        .exclude(status=SkpStatus.FINAL)
        .select_related("period")
        .first()
    )
    if skp is not None:
        return StateConflict(
            _(
                "SKP periode %(period)s belum final di instansi asal: nilai dan finalkan SKP itu "
                "(atau tanggapi keberatannya) sebelum menyetujui mutasi."
            )
            % {"period": skp.period.name},
            "skp_pending",
        )
    return None


def decide_transfer(actor, transfer: Transfer, *, approve: bool, reason: str = "") -> Transfer:
    """The origin agency's HR (held agency-wide) or a platform admin approves or refuses a transfer,
    never the one who requested it nor the ASN concerned. A refusal states its reason. On approval,
    inside one transaction: the ASN's directory entry moves to the receiving unit and position; the
    units they head at the origin lose them as head; their account's roles at the origin end; their
    active mentoring pairs end. What follows the ASN and what stays is in docs/personnel.md."""
    permissions.require(actor, HR, agency=transfer.from_agency_id)
    if is_self(actor, transfer.employee):
        raise OwnRecord(_("Anda tidak dapat memutus mutasi diri Anda sendiri."), "own_transfer")
    if transfer.requested_by_id and transfer.requested_by_id == getattr(actor, "pk", None):
        raise OwnRecord(
            _("Pengaju mutasi tidak dapat memutus permintaannya sendiri."), "own_request"
        )
    _refuse_conflict(transfer_conflict(transfer))
    reason = (reason or "").strip()
    if not approve and not reason:
        _fail("reason", _("Alasan penolakan wajib diisi."))
    with transaction.atomic():
        original, transfer = (
            transfer,
            Transfer.objects.select_for_update(of=("self",))
            .select_related("employee__unit", "from_agency", "to_unit__agency")
            .get(pk=transfer.pk),
        )
        _refuse_conflict(transfer_conflict(transfer))
        details: dict = {"approved": approve, "employee": transfer.employee_id}
        if approve:
            _lock_employee(transfer.employee)
            employee = Employee.objects.select_related("unit").get(pk=transfer.employee_id)
            if employee.unit.agency_id != transfer.from_agency_id:
                raise StateConflict(
                    _("Pegawai ini sudah tidak terdaftar di instansi asal."), "transfer_stale"
                )
            _refuse_conflict(transfer_blockers(transfer))
            moved_on = Calendar(transfer.from_agency).local_date()
            details |= _move_employee(employee, transfer, moved_on)
            details["awards_withdrawn"] = _withdraw_awards(actor, employee, transfer)
            transfer.status, transfer.moved_on = TransferStatus.APPROVED, moved_on
        else:
            transfer.status, transfer.refusal_reason = TransferStatus.REFUSED, reason
        transfer.decided_by, transfer.decided_at = actor, timezone.now()
        transfer.save(
            update_fields=["status", "moved_on", "refusal_reason", "decided_by", "decided_at"]
        )
        _notify_transfer_decided(transfer)
        for agency_id in (transfer.from_agency_id, transfer.to_agency_id):
            audit.record(
                actor,
                "personnel.transfer_approved" if approve else "personnel.transfer_refused",
                transfer,
                details,
                agency_id=agency_id,
            )
    return _mirror(original, transfer)


def transfer_hr_addresses(agency_id: int) -> list[str]:
    """E-mail addresses of the active accounts holding HR (kepegawaian) agency-wide in the agency:
    those who decide a transfer out of it."""
    from amanah.core.models import RoleAssignment

    emails = RoleAssignment.objects.filter(
        role=Role.HR, agency_id=agency_id, unit__isnull=True, user__is_active=True
    ).values_list("user__email", flat=True)
    return sorted({e for e in emails if e})


def _transfer_values(transfer: Transfer) -> dict:
    from django.urls import reverse

    return {
        "asn": transfer.employee.name,
        "nip": transfer.employee.nip,
        "from": transfer.from_agency.name,
        "to": transfer.to_agency.name,
        "sk": transfer.sk_number,
        "url": settings.SITE_URL + reverse("personnel:transfer", args=[transfer.pk]),
    }


@in_site_language
def _notify_transfer_requested(transfer: Transfer) -> None:
    """Tell the origin's HR that a transfer waits for their decision (queued after the commit)."""
    values = _transfer_values(transfer)
    for address in transfer_hr_addresses(transfer.from_agency_id):  # one mail each
        notify.email(
            address,
            _("Permintaan mutasi menunggu keputusan Anda: %(asn)s") % values,
            _(
                "%(to)s meminta mutasi %(asn)s (NIP %(nip)s) dari %(from)s dengan SK mutasi "
                "%(sk)s. Setujui atau tolak permintaan itu di Amanah setelah masuk:\n%(url)s\n"
            )
            % values,
        )


@in_site_language
def _notify_transfer_decided(transfer: Transfer) -> None:
    """Tell whoever requested the transfer how the origin decided (queued after the commit). The
    mail does not carry a refusal's reason: it is read on the page after logging in."""
    requester = transfer.requested_by
    if requester is None or not requester.is_active or not requester.email:
        return
    values = _transfer_values(transfer)
    if transfer.status == TransferStatus.APPROVED:
        subject = _("Mutasi disetujui: %(asn)s") % values
        body = _(
            "%(from)s menyetujui mutasi %(asn)s (NIP %(nip)s) dengan SK mutasi %(sk)s; pegawai "
            "itu kini terdaftar di %(to)s. Lihat di Amanah setelah masuk:\n%(url)s\n"
        )
    else:
        subject = _("Mutasi ditolak: %(asn)s") % values
        body = _(
            "%(from)s menolak mutasi %(asn)s (NIP %(nip)s) dengan SK mutasi %(sk)s. Baca "
            "alasannya di Amanah setelah masuk:\n%(url)s\n"
        )
    notify.email(requester.email, subject, body % values)


def _withdraw_awards(actor, employee, transfer: Transfer) -> list[int]:
    """Withdraws the award proposals for ``employee`` still waiting at the origin (inside the caller's
    transaction): the origin proposed them for work done there, and its leadership, which alone could
    weigh them, decides nothing about the ASN once they have left; the receiving agency's leadership
    did not propose them. Each becomes ``ditarik`` with the transfer as its reason
    (``Award.withdrawn_for``), and the transfer's audit entry lists them; the receiving agency may
    propose anew. Returns their ids."""
    pending = list(
        Award.objects.select_for_update()
        .filter(employee=employee, status="diusulkan")
        .values_list("pk", flat=True)
    )
    Award.objects.filter(pk__in=pending).update(
        status="ditarik", withdrawn_for=transfer, decided_by=actor, decided_at=timezone.now()
    )
    return pending


def _move_employee(employee, transfer: Transfer, moved_on: dt.date) -> dict:
    """The directory changes of an approved transfer (inside the caller's transaction); returns what
    changed, for the audit entry."""
    from amanah.core.models import RoleAssignment

    headed = list(
        Unit.objects.filter(head=employee, agency_id=transfer.from_agency_id).values_list(
            "pk", flat=True
        )
    )
    Unit.objects.filter(pk__in=headed).update(head=None)
    user = getattr(employee, "user", None) if hasattr(employee, "user") else None
    roles: list[str] = []
    if user is not None:
        ended = RoleAssignment.objects.filter(user=user, agency_id=transfer.from_agency_id)
        roles = sorted(ended.values_list("role", flat=True))
        ended.delete()
        user._amanah_roles = None  # the permission cache of this request
    pairs = list(
        Mentoring.objects.filter(
            models.Q(mentor=employee) | models.Q(mentee=employee), status="aktif"
        ).values_list("pk", flat=True)
    )
    Mentoring.objects.filter(pk__in=pairs).update(status="selesai", end=moved_on)
    # An entry the origin switched off when the ASN left it is in the directory again: the ASN works
    # at the receiving agency now.
    reactivated = not employee.is_active
    employee.unit, employee.position = transfer.to_unit, transfer.position
    employee.is_active = True
    employee.save(update_fields=["unit", "position", "is_active"])
    return {
        "reactivated": reactivated,
        "from_unit": transfer.from_unit_id,
        "to_unit": transfer.to_unit_id,
        "heads_cleared": headed,
        "roles_ended": roles,
        "mentoring_ended": pairs,
        "moved_on": moved_on.isoformat(),
    }
