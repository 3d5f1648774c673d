"""Every change to a whistleblowing case: one function per use case, each in one transaction with its
permission check and audit entry.

Two kinds of actor reach this module: staff (a ``User``) and the anonymous reporter, who is known
only by the report their receipt opened. Reporter actions are audited as ``pelapor``; audit details
never hold what the reporter wrote or who they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import time

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext_lazy

from amanah.core import audit, crypto, files, memo, notify, permissions, ratelimit
from amanah.core import rules as core_rules
from amanah.core.calendar import Calendar
from amanah.core.models import Employee, Role, StoredFile, Unit, UnitKind
from amanah.core.queue import after_commit
from amanah.core.records import in_site_language, joined, parts_of, said, translated

from . import rules
from .models import (
    Assignment,
    DisclosureRequest,
    Evidence,
    ExaminationRecord,
    Exclusion,
    Message,
    Report,
    ReporterSession,
    ReportKind,
    SentForm,
    Status,
    Summons,
)

log = logging.getLogger(__name__)

REPORTER = "pelapor"
SESSION_PREFIX = "wbs_"


class InvalidInput(Exception):
    """Input that breaks a rule: ``message`` says why and ``fields`` maps each field to why, in the
    reader's language.

    A service that writes the record runs in the site language (:func:`in_site_language`), so a message
    made there is Indonesian, which is its msgid: it is translated again when read, and its values
    (``params``, shared by ``message`` and ``fields``) are filled in after that, or the finished sentence
    would match no entry of the catalogue."""

    def __init__(
        self, code: str, message: str, fields: dict | None = None, params: dict | None = None
    ):
        super().__init__(message)
        self.code = code
        self._message = message
        self._fields = fields or {}
        self._params = params

    def _read(self, text) -> str:
        return translated(text, self._params)

    @property
    def message(self) -> str:
        return self._read(self._message)

    @property
    def fields(self) -> dict:
        return {field: self._read(text) for field, text in self._fields.items()}

    def __str__(self) -> str:
        return self.message


class SessionError(Exception):
    """Opening a reporter session failed. ``status`` is 401 (wrong receipt) or 429 (throttled)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


#: The refusals of ``rules.check_summons`` that state a number of working days, with that number counted
#: (singular or plural in English); the others are said as the rule gives them.
SUMMONS_REFUSALS = {
    "notice_too_short": ngettext_lazy(
        "Surat panggilan harus diterima paling lambat %(n)s hari kerja sebelum tanggal pemeriksaan.",
        "Surat panggilan harus diterima paling lambat %(n)s hari kerja sebelum tanggal pemeriksaan.",
        "n",
    ),
    "second_summons_late": ngettext_lazy(
        "Panggilan kedua harus dibuat paling lama %(n)s hari kerja sejak tanggal panggilan pertama.",
        "Panggilan kedua harus dibuat paling lama %(n)s hari kerja sejak tanggal panggilan pertama.",
        "n",
    ),
}

#: The default acknowledgment to the reporter, which promises news within the feedback period
#: (``feedback_months``, EU Directive 2019/1937 Art. 9(1)(f)), counted.
ACKNOWLEDGMENT = ngettext_lazy(
    "Laporan Anda sudah diterima oleh tim integritas dan sedang ditelaah. Kami akan memberi kabar "
    "paling lambat %(n)s bulan lagi. Simpan nomor tanda terima Anda.",
    "Laporan Anda sudah diterima oleh tim integritas dan sedang ditelaah. Kami akan memberi kabar "
    "paling lambat %(n)s bulan lagi. Simpan nomor tanda terima Anda.",
    "n",
)
# Acknowledgments recorded before the period was counted are still shown in the reader's language.
gettext_noop(
    "Laporan Anda sudah diterima oleh tim integritas dan sedang ditelaah. Kami akan memberi kabar "
    "paling lambat tiga bulan lagi. Simpan nomor tanda terima Anda."
)


# --- settings -------------------------------------------------------------------------------


def deadlines() -> dict:
    return {**rules.DEADLINES, **(getattr(settings, "INTEGRITY_DEADLINES", {}) or {})}


def session_seconds() -> int:
    """How long a reporter session lasts without activity: each use extends it by this much."""
    return int(getattr(settings, "INTEGRITY_SESSION_SECONDS", 900))


def session_max_seconds() -> int:
    """How long a reporter session lasts at most from its opening, however active."""
    return max(session_seconds(), int(getattr(settings, "INTEGRITY_SESSION_MAX_SECONDS", 2 * 3600)))


#: The clock of the sessions' absolute limit (a function, so that a test can move it).
clock = time.time


def receipt_limit() -> tuple[int, int]:
    """(wrong receipts allowed, window in seconds) per hashed client address."""
    return tuple(getattr(settings, "INTEGRITY_RECEIPT_RATE", (5, 600)))


#: The count under which the reporter's writes (replies and evidence, retaliation reports, answers to a
#: disclosure request) are limited, on the pages and in the API alike.
REPORTER_WRITES = "integrity-reporter-write"


def reporter_write_limit() -> tuple[int, int]:
    """(writes allowed, window in seconds) per hashed client address (``INTEGRITY_REPLY_RATE``)."""
    return tuple(getattr(settings, "INTEGRITY_REPLY_RATE", settings.PUBLIC_FORM_RATE))


def reporter_write_allowed(ident: str) -> bool:
    """Count one write by a reporter from the client ``ident``; False once the limit is reached (each
    write may carry files and mails every handler)."""
    limit, window = reporter_write_limit()
    return ratelimit.hit(REPORTER_WRITES, ident, limit, window)


def retention_days() -> int:
    return int(getattr(settings, "INTEGRITY_RETENTION_DAYS", 5 * 365))


# --- helpers --------------------------------------------------------------------------------


def receipt_hash(receipt: str) -> str:
    return crypto.keyed_hash(receipt, "integrity:receipt")


def receipt_hashes(receipt: str) -> list[str]:
    """The receipt's hash under every configured hash key, the current one first: a receipt given
    before ``AMANAH_HASH_KEY`` changed is found under a key of ``AMANAH_OLD_HASH_KEYS`` (only the
    reporter knows it, so it cannot be hashed again in advance)."""
    return crypto.keyed_hashes(receipt, "integrity:receipt")


def employee_subject(employee_id: int) -> str:
    return crypto.keyed_hash(f"employee:{employee_id}", "integrity:exclusion")


def user_subject(user_id: int) -> str:
    return crypto.keyed_hash(f"user:{user_id}", "integrity:exclusion")


def user_subjects(user) -> set[str]:
    """The exclusion keys that name this user (as an account and as an employee), under every
    configured hash key: an exclusion made before ``AMANAH_HASH_KEY`` changed still names them."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    subjects = set(crypto.keyed_hashes(f"user:{user.pk}", "integrity:exclusion"))
    if user.employee_id:
        subjects.update(crypto.keyed_hashes(f"employee:{user.employee_id}", "integrity:exclusion"))
    return subjects


_UNKNOWN_KEYS = memo.Memo("integrity-exclusion-keys", (), max_entries=16)


def unknown_exclusion_keys() -> frozenset[str]:
    """The hash keys (``Exclusion.key_id``) of stored exclusions that are no longer configured, in
    neither ``AMANAH_HASH_KEY`` nor ``AMANAH_OLD_HASH_KEYS``: nobody can be matched against those
    exclusions, so their cases are hidden from everyone until the key is put back. Usually empty; read
    again after ``AMANAH_REFERENCE_CACHE_SECONDS`` (no new exclusion can be under an unknown key)."""
    known = tuple(crypto.known_hash_key_ids())

    def compute():
        found = frozenset(
            Exclusion.objects.exclude(key_id__in=known)
            .order_by()
            .values_list("key_id", flat=True)
            .distinct()
        )
        if found:
            cases = (
                Exclusion.objects.filter(key_id__in=found).values("report_id").distinct().count()
            )
            log.error(
                "%d whistleblowing case(s) hidden from every staff member: their exclusions were hashed "
                "under a hash key that is neither AMANAH_HASH_KEY nor in AMANAH_OLD_HASH_KEYS; put the "
                "old key back in AMANAH_OLD_HASH_KEYS (see docs/deploy.md)",
                cases,
            )
        return found

    return _UNKNOWN_KEYS.get(known, compute)


def exclusion_test(report: Report):
    """``excluded(user)`` for ``report``: the user is named by one of its exclusions (reported person,
    superior, declared conflict). Everyone is, while one of them was hashed under a key that is no
    longer configured, since it can no longer tell whom it names."""
    rows = list(report.exclusions.values_list("subject", "key_id"))
    known = set(crypto.known_hash_key_ids())
    if any(key_id not in known for _subject, key_id in rows):
        return lambda user: True
    subjects = {subject for subject, _key_id in rows}
    return lambda user: bool(user_subjects(user) & subjects)


def today(agency=None) -> dt.date:
    return Calendar(agency).local_date()


def _audit_agency(report: Report):
    return report.handling_agency_id


def _find_employee(agency, nip: str, name: str, unit=None) -> Employee | None:
    """The reported person when they are identified for certain: by NIP, or by name inside the unit
    the reporter chose. Used where a wrong match would harm someone (opening a discipline case); the
    safety measures use the wider :func:`_reported_candidates`."""
    qs = Employee.objects.filter(unit__agency=agency, is_active=True).select_related("unit")
    if nip:
        found = qs.filter(nip=nip).first()
        if found:
            return found
    if name and unit is not None:
        matches = list(qs.filter(unit=unit, name__iexact=name.strip())[:2])
        if len(matches) == 1:
            return matches[0]
    return None


def _normalised_name(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def _reported_candidates(agency, nip: str, name: str, unit=None) -> list[Employee]:
    """Everyone in the reported agency the report may be about, for routing and exclusions (never for
    a sanction). The employee with the NIP given, else the one employee of the chosen unit with that
    name; else every active employee of the agency with that name (compared without regard to case
    or spacing), whichever unit the reporter chose or left blank.

    Several employees may share a name: all of them are returned, and the conservative choice is made
    for all of them at once: each one and their superiors are excluded, and the case goes up when any
    one of them is in the inspectorate or its leadership. Excluding someone who was not meant costs a
    handler; letting the person meant read the report about themselves costs the reporter."""
    qs = Employee.objects.filter(unit__agency=agency, is_active=True).select_related("unit")
    if nip:
        found = qs.filter(nip=nip).first()
        if found:
            return [found]
    words = (name or "").split()
    if not words:
        return []
    pattern = r"^\s*" + r"\s+".join(re.escape(w) for w in words) + r"\s*$"
    wanted = _normalised_name(name)
    same = [e for e in qs.filter(name__iregex=pattern) if _normalised_name(e.name) == wanted]
    if unit is not None:
        in_unit = [e for e in same if e.unit_id == unit.pk]
        if len(in_unit) == 1:
            return in_unit
    return same


def _inspectorate_units(agency) -> list[Unit]:
    return list(Unit.objects.filter(agency=agency, kind=UnitKind.INSPEKTORAT))


def _in_subtree(unit: Unit, roots: list[Unit]) -> bool:
    chain = {unit.pk, *(u.pk for u in unit.ancestors())}
    return any(r.pk in chain for r in roots)


def _person_escalates(insp: list[Unit], employee: Employee) -> bool:
    if _in_subtree(employee.unit, insp):
        return True
    leadership = {u.pk for i in insp for u in [i, *i.ancestors()]}
    headed = set(employee.headed_units.values_list("pk", flat=True))
    return bool(headed & leadership) or employee.headed_units.filter(parent__isnull=True).exists()


def _unit_escalates(insp: list[Unit], unit: Unit) -> bool:
    leadership = {u.pk for i in insp for u in i.ancestors()}
    return _in_subtree(unit, insp) or unit.pk in leadership


def _unit_unidentified(unit, people) -> bool:
    """The reporter chose a unit, but none of the people found works in it."""
    return unit is not None and not any(p.unit_id == unit.pk for p in people)


def routing(agency, unit, people) -> tuple[bool, object]:
    """Where a case goes. A report about someone in the inspectorate, or about its leadership (the
    head of the inspectorate or of any unit above it, up to the head of the agency), cannot be
    handled by that inspectorate: it goes to the next level up (the parent agency's APIP), or to the
    platform level when there is none. ``people`` are the employees the report may be about
    (:func:`_reported_candidates`): it goes up when any one of them would. When none of them works
    in the unit the reporter chose, the unit decides as well. Returns ``(escalated, handling_agency)``."""
    insp = _inspectorate_units(agency)
    people = list(people or [])
    escalate = any(_person_escalates(insp, p) for p in people)
    if not escalate and _unit_unidentified(unit, people):
        escalate = _unit_escalates(insp, unit)
    if not escalate:
        return False, agency
    return True, agency.parent  # None: the platform level


def _exclusions_for(report: Report, people, unit: Unit | None) -> list[Exclusion]:
    """Each person the report may be about and everyone above them in their unit's chain. When the
    reporter chose a unit in which none of them works, the heads of that unit and of every unit above
    it as well."""
    rows: dict[str, str] = {}
    people = list(people or [])
    for employee in people:
        rows[employee_subject(employee.pk)] = Exclusion.Reason.REPORTED
    for employee in people:
        for sup in employee.superiors():
            rows.setdefault(employee_subject(sup.pk), Exclusion.Reason.SUPERIOR)
    if _unit_unidentified(unit, people):
        for u in [unit, *unit.ancestors()]:
            if u.head_id:
                rows.setdefault(employee_subject(u.head_id), Exclusion.Reason.SUPERIOR)
    return [Exclusion(report=report, subject=s, reason=r) for s, r in rows.items()]


def _clean_evidence(uploads) -> list[files.CleanFile]:
    """Clean every file (refusing the whole batch on any bad file), each under a neutral name so that
    the original file name reveals nothing. Called before a service switches to the site language, so
    that a refusal is in the reader's language."""
    uploads = list(uploads or [])
    if not uploads:
        return []
    limit = settings.UPLOAD_MAX_FILES
    if len(uploads) > limit:
        raise InvalidInput(
            "too_many_files",
            _("Paling banyak %(n)s berkas sekaligus.") % {"n": limit},
            {"evidence": _("Paling banyak %(n)s berkas sekaligus.") % {"n": limit}},
        )
    cleaned = []
    for i, upload in enumerate(uploads, 1):
        try:
            clean = files.clean_upload(upload)
        except files.FileRejected as exc:
            raise InvalidInput(
                exc.code,
                str(exc),
                {"evidence": _("Berkas %(n)s: %(error)s") % {"n": i, "error": exc}},
            ) from None
        ext = clean.filename.rsplit(".", 1)[-1]
        clean.filename = f"bukti-{secrets.token_hex(4)}.{ext}"
        cleaned.append(clean)
    return cleaned


def _store_evidence(
    report: Report,
    cleaned: list[files.CleanFile],
    *,
    from_reporter: bool,
    on: dt.date,
    stored: list,
) -> int:
    """Store files cleaned by :func:`_clean_evidence`, encrypted. Each stored file is added to
    ``stored`` (from ``files.removed_on_failure``), so that a rolled-back case leaves none behind.
    A reporter's file keeps only the day, in its row, its own times and its folders' times."""
    for clean in cleaned:
        folders = _folder_times() if from_reporter else None
        sf = files.store(clean, encrypt=True, coarse_time=from_reporter)
        stored.append(sf)
        if folders is not None:
            _day_only_folders(sf, folders)
        # The plain SHA-256 would let anyone holding a copy of a photo confirm it is in the case;
        # keep a keyed hash instead.
        sf.sha256 = evidence_digest(clean.data)
        sf.save(update_fields=["sha256"])
        Evidence.objects.create(report=report, file=sf, from_reporter=from_reporter, created_on=on)
    return len(cleaned)


# A file is stored in a folder of its month (``core.models.stored_file_path``: ``files/YYYY/MM/``,
# under a random name). Writing it sets the folder's modification time to the moment of the write (and
# that of the folders above, when it creates a folder): on a local folder, and in a copy made with
# ``rsync -a`` or ``tar``, which keep these times, the newest folder time would date the reporter's
# upload. Each folder on the way is given back the newer of its time before and the day's start, so
# it says nothing a reporter's file's own times (the day's start, ``files.store``) do not.


def _mtime_ns(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None


def _folder_chain(storage, name: str) -> list[str] | None:
    """The local folders, innermost first up to the storage's root, that the file ``name`` is in; None
    for an object store (S3), which has no folders and keeps its own ``LastModified``."""
    try:
        root = os.path.normpath(storage.path(""))
        folder = os.path.dirname(os.path.normpath(storage.path(name)))
    except NotImplementedError:
        return None
    chain = [folder]
    while folder != root and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
        chain.append(folder)
    return chain


def _folder_times() -> dict[str, int | None]:
    """The modification times (None: not there yet) of the folders a reporter's file stored now goes
    into, read before it is stored."""
    probe = StoredFile(created_at=audit.start_of_day(timezone.now()))
    chain = _folder_chain(probe.file.storage, probe.file.field.generate_filename(probe, "x"))
    return {folder: _mtime_ns(folder) for folder in chain or ()}


def _day_only_folders(stored, before: dict[str, int | None]) -> None:
    """After storing a reporter's file, give each folder the write changed (or made) the newer of its
    time before and the day's start (the file's row's ``created_at``) as its modification and access
    times. A folder of a day that changed meanwhile (midnight) counts as new."""
    chain = _folder_chain(stored.file.storage, stored.file.name)
    day = int(stored.created_at.timestamp()) * 1_000_000_000
    for folder in chain or ():
        now, was = _mtime_ns(folder), before.get(folder)
        if now is None or (was is not None and now == was):
            continue
        moment = max(was or 0, day)
        try:
            os.utime(folder, ns=(moment, moment))
        except OSError:  # not the service user's (the storage's root on a shared volume)
            log.warning("could not set the times of an evidence folder")


def _handlers(report: Report) -> list:
    """Accounts that handle the case: its assigned investigators who may still open it, else the APIP
    of the handling agency (:func:`case_staff`), else, for a case at the platform level, the platform
    administrators (superusers and holders of the admin role, who handle it there, as the complaints'
    mails to administrators). Nobody who may not open the case (:func:`may_handle`) is among them."""
    excluded = exclusion_test(report)
    assigned = [
        a.user
        for a in report.assignments.select_related("user").order_by("pk")
        if may_handle(a.user, report, excluded=excluded)
    ]
    if assigned:
        return assigned
    if report.handling_agency_id:
        return case_staff(report, Role.INSPECTORATE, excluded=excluded)
    from amanah.core.models import User

    users = (
        User.objects.filter(Q(is_superuser=True) | Q(roles__role=Role.ADMIN), is_active=True)
        .distinct()
        .order_by("pk")
    )
    return [u for u in users if may_handle(u, report, excluded=excluded)]


def mail_date(day: dt.date) -> str:
    """A date as the channel's mails write it, the Indonesian way (``31-12-2026``): the new-report mail,
    the reminders and the refusals that name a date say it alike."""
    return day.strftime("%d-%m-%Y")


def reporter_notice_day() -> dt.date | None:
    """The day the mails caused by a whistleblower's action go out: the next day (UTC), queued by the
    hourly sweep's first run after midnight UTC (``notify.release_held``), so that neither the task row
    nor the mail's ``Date`` says when the reporter acted. None (at once) when
    ``AMANAH_INTEGRITY_HOLD_REPORTER_NOTICES`` is off."""
    if not getattr(settings, "INTEGRITY_HOLD_REPORTER_NOTICES", True):
        return None
    return timezone.now().date() + dt.timedelta(days=1)


def _notify_handlers(report: Report, subject: str, body: str, *, held: bool = False) -> int:
    """Mail the case's handlers; returns how many addresses were mailed. A case whose handlers have
    no account with an address (no inspectorate account at the handling agency, every investigator
    switched off or excluded) reaches nobody: that is logged, for the platform's operators to act.
    ``held``: a mail a reporter's action causes (:func:`reporter_notice_day`). It is held even when it
    has nobody to go to, and the warning is logged on its day, when it would have gone out
    (:func:`still_may_open`): logged now, the line's time would say when the reporter acted."""
    emails = sorted({u.email for u in _handlers(report) if u.email})
    hold_until = reporter_notice_day() if held else None
    if not emails and hold_until is None:
        _log_nobody_told(report.pk, report.handling_agency_id)
        return 0
    notify.email(
        emails,
        subject,
        body
        + "\n\n"
        + _("Buka kasus di Amanah: %(url)s")
        % {"url": f"{settings.SITE_URL}/integritas/staf/{report.pk}/"},
        hold_until=hold_until,
        recheck=_still_told(report, Role.INSPECTORATE, warn=True) if held else None,
    )
    return len(emails)


def _log_nobody_told(report_id, agency_id) -> None:
    log.warning(
        "Integrity case %s: nobody to notify (no active handler with an e-mail address at agency %s)",
        report_id,
        agency_id,
    )


def _still_told(report: Report, role: str, *, warn: bool = False) -> tuple[str, dict]:
    """The check a held mail about ``report`` passes on its release day (:func:`still_may_open`);
    ``warn``: log when it then goes to nobody."""
    kw = {"report_id": report.pk, "role": str(role)}
    if warn:
        kw["warn"] = True
    return ("amanah.integrity.services.still_may_open", kw)


def still_may_open(*, addresses: list[str], report_id, role: str, warn: bool = False) -> list[str]:
    """Of the ``addresses`` a held mail about case ``report_id`` was written to, those whose active
    account may still open the case with ``role`` (:func:`may_handle`) on the day it goes out: whoever
    declared a conflict, was excluded, lost the role or was switched off in between is not told.
    ``warn`` (the handlers' mails): a mail that goes to nobody is logged now, on its day."""
    from amanah.core.models import User

    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return []
    excluded = exclusion_test(report)
    allowed = {
        u.email
        for u in User.objects.filter(is_active=True, email__in=addresses)
        if may_handle(u, report, (role,), excluded=excluded)
    }
    told = [a for a in addresses if a in allowed]
    if warn and not told:
        _log_nobody_told(report.pk, report.handling_agency_id)
    return told


def _say_to_reporter(
    report: Report, body: str, *, kind=Message.Kind.NOTICE, author=None, on=None
) -> Message:
    """A message to the reporter: what an officer typed, or a text of the system made with
    :func:`~amanah.core.records.said` (kept with its message and parameters, so that each reader sees it
    in their language). Only feedback on the follow-up (``rules.is_feedback``) restarts the three-month
    feedback clock; questions and notices leave it where it is. A reporter who asked for news by
    e-mail is told that there is a message (:func:`_tell_reporter_by_mail`)."""
    on = on or today(report.handling_agency)
    parts = parts_of(body)
    msg = Message.objects.create(
        report=report,
        direction=Message.Direction.TO_REPORTER,
        kind=kind,
        body=body,
        body_parts=json.dumps(parts, ensure_ascii=False) if parts else "",
        author=author,
        created_on=on,
    )
    if rules.is_feedback(kind):
        report.last_feedback_on = on
        report.save()
    _tell_reporter_by_mail(report)
    return msg


# --- the reporter -----------------------------------------------------------------------------


def submit_report(data: dict, uploads=()) -> tuple[Report, str]:
    """File a report from the public channel (already validated by ``forms.ReportForm``). Returns
    the report and its receipt; the receipt is not stored, only its keyed hash. The report and its
    evidence are saved together or not at all (stored files included)."""
    cleaned = _clean_evidence(uploads)
    with files.removed_on_failure() as stored, transaction.atomic():
        return _submit_report(data, cleaned, stored)


@in_site_language
def _submit_report(data: dict, uploads, stored: list) -> tuple[Report, str]:
    agency, unit = data["reported_agency"], data.get("reported_unit")
    kind = data.get("kind") or ReportKind.VIOLATION
    nip = data.get("reported_nip", "")
    people = _reported_candidates(agency, nip, data.get("reported_name", ""), unit)
    if unit is None and len(people) == 1 and nip and people[0].nip == nip:
        unit = people[0].unit  # identified by NIP; a name alone does not place the case in a unit
    escalated, handling = routing(agency, unit, people)
    cal = Calendar(agency)
    on = cal.local_date()
    while True:
        receipt = rules.new_receipt()
        digest = receipt_hash(receipt)
        if not Report.objects.filter(receipt_hash__in=receipt_hashes(receipt)).exists():
            break
    report = Report(
        receipt_hash=digest,
        kind=kind,
        agency=agency,
        unit=unit,
        handling_agency=handling,
        escalated=escalated,
        violation_type=data["violation_type"],
        created_on=on,
        assessment_due=cal.add(on, deadlines()["assessment_working_days"]),
        reported_name=data.get("reported_name", ""),
        reported_nip=data.get("reported_nip", ""),
        reported_position=data.get("reported_position", ""),
        description=data["description"],
        incident_date=str(data.get("incident_date") or ""),
        incident_place=data.get("incident_place", ""),
        witnesses=data.get("witnesses", ""),
        reporter_name=data.get("reporter_name", ""),
        reporter_contact=data.get("reporter_contact", ""),
        may_contact=bool(data.get("may_contact")),
    )
    if kind == ReportKind.GRATIFICATION:
        report.gift_received_on = data["gift_received_on"]
        report.gift_giver = data.get("gift_giver", "")
        report.gift_value = data.get("gift_value", "")
        due = rules.gratification_deadlines(report.gift_received_on, cal.add, deadlines())
        report.upg_due, report.kpk_due = due["upg"], due["kpk"]
    _insert_numbered(report, on.year)
    Exclusion.objects.bulk_create(_exclusions_for(report, people, unit))
    count = _store_evidence(report, uploads, from_reporter=True, on=on, stored=stored)
    audit.record(
        REPORTER,
        "integrity.report_received",
        report,
        {
            "violation_type": report.violation_type,
            "kind": kind,
            "escalated": escalated,
            "evidence": count,
        },
        agency_id=_audit_agency(report),
        coarse_time=True,
    )
    # Not what the report is about, not even its type (korupsi, pungutan liar...): a mail is read on a
    # phone's lock screen, forwarded and kept by the agency's mail server; the case page tells the rest.
    text = _("Laporan baru masuk. Batas penilaian: %(due)s.") % {
        "due": mail_date(report.assessment_due),
    }
    if kind == ReportKind.GRATIFICATION:
        text += " " + _(
            "Gratifikasi diterima %(on)s: batas pelaporan melalui UPG %(upg)s, kepada KPK %(kpk)s."
        ) % {
            "on": mail_date(report.gift_received_on),
            "upg": mail_date(report.upg_due),
            "kpk": mail_date(report.kpk_due),
        }
    _notify_handlers(
        report, _("Laporan pelanggaran baru %(n)s") % {"n": report.case_number}, text, held=True
    )
    return report, receipt


def _insert_numbered(report: Report, year: int) -> None:
    """Save a new report under a random id and case number (``rules.new_case_number``), drawing again
    on the (rare) clash with an existing one."""
    for _attempt in range(5):
        report.pk = rules.new_case_id()
        report.case_number = rules.new_case_number(year)
        try:
            with transaction.atomic():
                report.save(force_insert=True)
            return
        except IntegrityError:
            clash = Q(pk=report.pk) | Q(case_number=report.case_number)
            if Report.objects.filter(clash).exists():
                continue
            raise
    raise RuntimeError("could not allocate a unique case number")  # pragma: no cover


def _receipt_ident(ident: str) -> str:
    return f"receipt:{ident}"


def open_session(receipt: str, ident: str) -> tuple[str, Report]:
    """Exchange a receipt for a short-lived session token. ``ident`` is the client address, used only
    inside a keyed, time-bucketed hash in the cache (see ``core.ratelimit``); nothing is stored.

    Wrong or malformed receipts count against the limit; once it is reached every attempt (right or
    wrong) answers 429 until the window passes, so the answer never tells which receipts exist."""
    limit, window = receipt_limit()
    if ratelimit.reached("integrity-receipt", ident, limit, window):
        raise SessionError(
            429, "throttled", _("Terlalu banyak percobaan. Tunggu beberapa menit lalu coba lagi.")
        )
    try:
        receipt = rules.normalise_receipt(receipt)
    except rules.RuleError as exc:
        ratelimit.hit("integrity-receipt", ident, limit, window)
        raise SessionError(400, exc.code, translated(exc.text)) from None
    digests = receipt_hashes(receipt)
    report = Report.objects.filter(receipt_hash__in=digests).first()
    if report is None or report.purged_on:
        ratelimit.hit("integrity-receipt", ident, limit, window)
        raise SessionError(
            401, "wrong_receipt", _("Nomor tanda terima tidak cocok. Periksa kembali angkanya.")
        )
    if report.receipt_hash != digests[0]:
        # Found under a retired hash key: from now on it matches under the current one.
        Report.objects.filter(pk=report.pk).update(receipt_hash=digests[0])
        report.receipt_hash = digests[0]
    token = SESSION_PREFIX + secrets.token_urlsafe(32)
    now = int(clock())
    ReporterSession.objects.create(
        key=_digest(token),
        sealed=_sealed(token, report.pk, now, now),
        until=_kept_until(now + session_max_seconds()),
    )
    return token, report


def _digest(secret: str) -> str:
    """The key a reporter's session token or a sent form's nonce is stored under."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _kept_until(moment: float) -> dt.date:
    """The day after which the sweep deletes a reporter's session or sent form
    (:func:`remove_expired_entries`): the next day (UTC), or the day ``moment`` falls on if later.
    A day, not a time: the row must not say when it was written."""
    tomorrow = timezone.now().date() + dt.timedelta(days=1)
    return max(tomorrow, dt.datetime.fromtimestamp(moment, dt.UTC).date())


# A session is a row of ReporterSession, not a cache entry (whose times would date the reporter's
# activity): the report's id, the opening time (for the absolute limit) and the last activity (for the
# limit without activity) are sealed under a key derived from the token, which only the reporter's
# browser keeps, so the row does not say which report was opened, or when, not even to someone holding
# the installation's keys. Rows are deleted by the sweep after their day (remove_expired_entries).
def _session_cipher(token: str) -> AESGCM:
    return AESGCM(hmac.new(token.encode(), b"integrity-session-report", hashlib.sha256).digest())


def _sealed(token: str, pk: int, opened: int, seen: int) -> bytes:
    """The report's id, the session's opening time and its last activity, sealed together."""
    nonce = secrets.token_bytes(12)
    return nonce + _session_cipher(token).encrypt(nonce, f"{pk}:{opened}:{seen}".encode(), None)


def _unsealed(token: str, sealed) -> tuple[int, int, int] | None:
    """(report id, opening time, last activity) of a session row, or None."""
    sealed = bytes(sealed) if isinstance(sealed, (bytes, memoryview)) else None
    if sealed is None or len(sealed) <= 12:
        return None
    try:
        text = _session_cipher(token).decrypt(sealed[:12], sealed[12:], None).decode()
        pk, opened, seen = text.split(":")
        return int(pk), int(opened), int(seen)
    except (InvalidTag, ValueError):
        return None


def session_report(token: str) -> Report | None:
    """The report a reporter session opens, or None (unknown, expired or closed token).

    Each use extends the session by ``session_seconds`` (it ends after that long without activity, so
    a reporter typing a long reply keeps it), but never past ``session_max_seconds`` from its opening."""
    if not token or not token.startswith(SESSION_PREFIX) or len(token) > 100:
        return None
    key = _digest(token)
    row = ReporterSession.objects.filter(key=key).first()
    found = _unsealed(token, row.sealed) if row is not None else None
    if found is None:
        return None
    pk, opened, seen = found
    now = int(clock())
    if now - seen > session_seconds() or now - opened >= session_max_seconds():
        ReporterSession.objects.filter(key=key).delete()
        return None
    ReporterSession.objects.filter(key=key).update(sealed=_sealed(token, pk, opened, now))
    return Report.objects.filter(pk=pk, purged_on__isnull=True).first()


def close_session(token: str) -> None:
    if token and token.startswith(SESSION_PREFIX):
        ReporterSession.objects.filter(key=_digest(token)).delete()


def form_sent(nonce: str) -> bool:
    """Whether the report form with this nonce was sent already (a refresh or a second click)."""
    return SentForm.objects.filter(key=_digest(nonce)).exists()


def remember_sent_form(nonce: str) -> None:
    """Remember a sent report form until the end of the next day (UTC), with no time."""
    SentForm.objects.get_or_create(
        key=_digest(nonce), defaults={"until": _kept_until(timezone.now().timestamp())}
    )


def remove_expired_entries(today: dt.date | None = None) -> int:
    """Delete the reporter sessions and sent forms whose day is over (run by the hourly sweep)."""
    today = today or timezone.now().date()
    removed = ReporterSession.objects.filter(until__lt=today).delete()[0]
    return removed + SentForm.objects.filter(until__lt=today).delete()[0]


def _clean_body(body: str, field: str = "body", *, max_len: int = 10000) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidInput(
            "empty", _("Pesan tidak boleh kosong."), {field: _("Pesan tidak boleh kosong.")}
        )
    if len(body) > max_len:
        msg = gettext_noop("Pesan paling panjang %(n)s karakter.")
        raise InvalidInput("too_long", msg, {field: msg}, {"n": max_len})
    return body


def reporter_reply(report: Report, body: str, uploads=()) -> Message | None:
    """The reporter answers (a question or on their own) and may add evidence."""
    cleaned = _clean_evidence(uploads)
    with files.removed_on_failure() as stored, transaction.atomic():
        return _reporter_reply(report, body, cleaned, stored)


@in_site_language
def _reporter_reply(report: Report, body: str, uploads, stored: list) -> Message | None:
    report = Report.objects.select_for_update().get(pk=report.pk)
    uploads = list(uploads or [])
    if not (body or "").strip() and not uploads:
        raise InvalidInput(
            "empty",
            _("Tulis pesan atau lampirkan berkas."),
            {"body": _("Tulis pesan atau lampirkan berkas.")},
        )
    try:
        rules.next_state(report.status, "reporter_reply")
    except rules.RuleError:
        raise InvalidInput(
            "closed", _("Kasus ini sudah ditutup; pesan baru tidak dapat dikirim.")
        ) from None
    on = today(report.handling_agency)
    msg = None
    if (body or "").strip():
        msg = Message.objects.create(
            report=report,
            direction=Message.Direction.FROM_REPORTER,
            body=_clean_body(body),
            created_on=on,
        )
    count = _store_evidence(report, uploads, from_reporter=True, on=on, stored=stored)
    audit.record(
        REPORTER,
        "integrity.reporter_replied",
        report,
        {"message": msg is not None, "evidence": count},
        agency_id=_audit_agency(report),
        coarse_time=True,
    )
    _notify_handlers(
        report,
        _("Balasan pelapor pada %(n)s") % {"n": report.case_number},
        _("Pelapor mengirim pesan atau bukti baru."),
        held=True,
    )
    return msg


@in_site_language
@transaction.atomic
def report_retaliation(report: Report, kind: str, description: str) -> Message:
    """A reporter reports retaliation on the same receipt; the case gets a protection flag that
    leadership sees (SE MenPANRB 8/2012: protection of the reporter)."""
    if kind not in rules.RETALIATION_KINDS:
        raise InvalidInput(
            "invalid_kind", _("Pilih bentuk pembalasan."), {"kind": _("Pilih bentuk pembalasan.")}
        )
    body = joined(
        said(
            gettext_noop("Bentuk pembalasan: %(kind)s."), {"kind": _(rules.RETALIATION_KINDS[kind])}
        ),
        _clean_body(description, "description"),
    )
    report = Report.objects.select_for_update().get(pk=report.pk)
    on = today(report.handling_agency)
    msg = Message.objects.create(
        report=report,
        direction=Message.Direction.FROM_REPORTER,
        kind=Message.Kind.RETALIATION,
        body=body,
        body_parts=json.dumps(parts_of(body), ensure_ascii=False),
        created_on=on,
    )
    if not report.protection_flag:
        report.protection_flag = True
        report.protection_since = on
        report.save()
    audit.record(
        REPORTER,
        "integrity.retaliation_reported",
        report,
        {"kind": kind},
        agency_id=_audit_agency(report),
        coarse_time=True,
    )
    _notify_handlers(
        report,
        _("Laporan pembalasan pada %(n)s") % {"n": report.case_number},
        _("Pelapor melaporkan pembalasan. Kasus ini kini bertanda perlindungan."),
        held=True,
    )
    # Leadership sees the case in its list of protected cases (selectors.protected_cases): only those
    # who may open it there are told.
    notify.email(
        sorted({u.email for u in case_staff(report, Role.LEADERSHIP) if u.email}),
        _("Perlindungan pelapor: %(n)s") % {"n": report.case_number},
        _("Seorang pelapor melaporkan pembalasan. Pastikan perlindungan diberikan.")
        + "\n\n"
        # Leadership opens no case page: its list of protected cases is on the staff list.
        + _("Daftar kasus yang dilindungi di Amanah: %(url)s")
        % {"url": f"{settings.SITE_URL}/integritas/staf/"},
        hold_until=reporter_notice_day(),
        recheck=_still_told(report, Role.LEADERSHIP),
    )
    return msg


# --- staff: access --------------------------------------------------------------------------


def _is_excluded(user, report: Report) -> bool:
    """Whether an exclusion names ``user``; also whether any exclusion of the case was hashed under a
    key no longer configured (it might name them: fail closed)."""
    subjects = user_subjects(user)
    known = crypto.known_hash_key_ids()
    return report.exclusions.filter(Q(subject__in=subjects) | ~Q(key_id__in=known)).exists()


def may_handle(user, report: Report, roles=(Role.INSPECTORATE,), *, excluded=None) -> bool:
    """Whether ``user`` may open ``report`` with one of ``roles``: the role held agency-wide in the
    handling agency (one held only in a unit covers no integrity case), or a platform administrator;
    and no exclusion names them (:func:`exclusion_test`, which ``excluded`` may hand in when many
    users are checked on one case). The one rule of the access check (:func:`case_for`) and of every
    mail about a case (:func:`case_staff`), so that nobody is told of a case they cannot open."""
    if not permissions.has_role(user, roles, agency=report.handling_agency):
        return False
    return not (excluded(user) if excluded is not None else _is_excluded(user, report))


def case_staff(report: Report, role: str, *, excluded=None) -> list:
    """The active accounts holding ``role`` at the case's handling agency that may open the case
    (:func:`may_handle`), in a stable order: whom a mail about the case for that role goes to.
    Platform administrators, who may open every case, are not told of the agencies' cases."""
    from amanah.core.models import User

    if report.handling_agency_id is None:
        return []
    if excluded is None:
        excluded = exclusion_test(report)
    holders = (
        User.objects.filter(
            is_active=True, roles__role=role, roles__agency_id=report.handling_agency_id
        )
        .distinct()
        .order_by("pk")
    )
    return [u for u in holders if may_handle(u, report, (role,), excluded=excluded)]


def case_for(user, report_id, roles=(Role.INSPECTORATE,), *, lock=False) -> Report:
    """The case if this user may handle it; otherwise ``Http404`` — the same answer as for a case
    that does not exist, so a conflicted or foreign user cannot learn that it exists."""
    qs = Report.objects.select_related("agency", "unit", "handling_agency")
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        report = qs.get(pk=int(report_id))
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not may_handle(user, report, roles):
        raise Http404
    return report


def _act(user, report_id, action: str) -> tuple[Report, str]:
    report = case_for(user, report_id, lock=True)
    permissions.require(user, [Role.INSPECTORATE], agency=report.handling_agency)
    try:
        state = rules.next_state(report.status, action)
    except rules.RuleError as exc:
        raise InvalidInput(exc.code, exc.text) from None
    return report, state


@in_site_language
@transaction.atomic
def acknowledge(user, report_id, message: str = "") -> Report:
    """Acknowledge receipt to the reporter (within 7 days) and start the assessment."""
    report, state = _act(user, report_id, "acknowledge")
    on = today(report.handling_agency)
    report.status = state
    report.acknowledged_on = on
    report.save()
    _say_to_reporter(
        report,
        (message or "").strip() or said(ACKNOWLEDGMENT, {"n": deadlines()["feedback_months"]}),
        author=user,
        on=on,
    )
    audit.record(user, "integrity.acknowledged", report, {}, agency_id=_audit_agency(report))
    return report


@in_site_language
@transaction.atomic
def assess(
    user,
    report_id,
    *,
    credibility: str,
    seriousness: str,
    retaliation_risk: str,
    decision: str,
    note: str = "",
    reporter_message: str = "",
    referral_body: str = "",
) -> Report:
    """ISO 37002 "assess": credibility, seriousness and retaliation risk, then a decision to
    examine, to close without examination (telling the reporter why) or to refer."""
    if decision not in ("periksa", "tutup", "rujuk"):
        raise InvalidInput(
            "invalid_decision",
            _("Keputusan harus periksa, tutup atau rujuk."),
            {"decision": _("Keputusan harus periksa, tutup atau rujuk.")},
        )
    try:
        prio = rules.priority(credibility, seriousness, retaliation_risk)
    except rules.RuleError as exc:
        raise InvalidInput(exc.code, exc.text) from None
    action = {"periksa": "assess_examine", "tutup": "assess_dismiss", "rujuk": "assess_refer"}[
        decision
    ]
    report, state = _act(user, report_id, action)
    on = today(report.handling_agency)
    report.credibility, report.seriousness, report.retaliation_risk = (
        credibility,
        seriousness,
        retaliation_risk,
    )
    report.priority = prio
    report.assessment_note = note or ""
    report.assessed_on = on
    if not report.acknowledged_on:
        report.acknowledged_on = on
    if decision == "tutup":
        if not (reporter_message or "").strip():
            raise InvalidInput(
                "reason_required",
                _("Tulis alasan penutupan untuk pelapor."),
                {"reporter_message": _("Tulis alasan penutupan untuk pelapor.")},
            )
        report.status = state
        report.closed_on = on
        report.save()
        _say_to_reporter(
            report, reporter_message.strip(), kind=Message.Kind.FEEDBACK, author=user, on=on
        )
    elif decision == "rujuk":
        report.save()
        audit.record(
            user,
            "integrity.assessed",
            report,
            {"decision": decision, "priority": prio},
            agency_id=_audit_agency(report),
        )
        return _refer(user, report, referral_body, reporter_message)
    else:
        report.status = state
        report.save()
        _say_to_reporter(
            report,
            (reporter_message or "").strip()
            or said(gettext_noop("Laporan Anda akan diperiksa lebih lanjut oleh tim pemeriksa.")),
            kind=Message.Kind.FEEDBACK,
            author=user,
            on=on,
        )
    audit.record(
        user,
        "integrity.assessed",
        report,
        {"decision": decision, "priority": prio},
        agency_id=_audit_agency(report),
    )
    return report


@in_site_language
@transaction.atomic
def assign(user, report_id, investigator, *, lead: bool = False) -> Assignment:
    """Assign an investigator: an APIP member of the handling agency who is not excluded."""
    report, _state = _act(user, report_id, "assign")
    if investigator is None or not may_handle(investigator, report):
        # Same message whether the account is no inspectorate member or is excluded from the case:
        # the assigner learns nothing about why.
        raise InvalidInput(
            "not_investigator",
            _("Pemeriksa harus anggota inspektorat instansi penangan."),
            {"user": _("Pemeriksa harus anggota inspektorat instansi penangan.")},
        )
    current = Assignment.objects.filter(report=report, user=investigator).first()
    if current is not None and current.is_lead == lead:
        return current  # already assigned so: no second e-mail or audit entry
    assignment, _created = Assignment.objects.update_or_create(
        report=report,
        user=investigator,
        defaults={"is_lead": lead, "assigned_on": today(report.handling_agency)},
    )
    audit.record(
        user,
        "integrity.assigned",
        report,
        {"investigator": investigator.pk, "lead": lead},
        agency_id=_audit_agency(report),
    )
    notify.email(
        investigator.email,
        _("Anda ditugaskan pada kasus %(n)s") % {"n": report.case_number},
        _("Anda ditugaskan sebagai pemeriksa. Buka kasus di %(url)s")
        % {"url": f"{settings.SITE_URL}/integritas/staf/{report.pk}/"},
    )
    return assignment


@in_site_language
@transaction.atomic
def name_reported_employee(user, report_id, nip: str) -> Report:
    """The handlers name, by NIP, the employee the report is about, once they know who it is (the
    reporter may have given only a name, or none that the directory knows). Routing and exclusions
    are applied again: the employee and everyone above them are excluded, and a case about the
    inspectorate or its leadership goes up to the next level, without its assignments.

    Nothing is undone: exclusions already made stay, and a case never moves back down, so naming
    someone can only narrow who sees the case. The audit entry holds neither the NIP nor the name."""
    report, _state = _act(user, report_id, "name_reported")
    try:
        nip = core_rules.normalize_nip(nip or "")
    except core_rules.NIPError as exc:
        raise InvalidInput("invalid_nip", exc.args[0], {"nip": exc.args[0]}) from None
    employee = (
        Employee.objects.filter(unit__agency=report.agency, is_active=True, nip=nip)
        .select_related("unit")
        .first()
    )
    if employee is None:
        msg = _("Tidak ada pegawai aktif dengan NIP ini di instansi terlapor.")
        raise InvalidInput("unknown_employee", msg, {"nip": msg})
    acting_agency = _audit_agency(report)
    report.reported_nip = nip
    if report.unit_id is None:
        report.unit = employee.unit
    added = 0
    for row in _exclusions_for(report, [employee], employee.unit):
        _exclusion, created = Exclusion.objects.get_or_create(
            report=report, subject=row.subject, defaults={"reason": row.reason}
        )
        added += created
    escalated, handling = routing(report.agency, employee.unit, [employee])
    moved = escalated and not report.escalated
    if moved:
        report.escalated = True
        report.handling_agency = handling
        # The investigators belong to the inspectorate that may no longer handle the case.
        report.assignments.all().delete()
    report.save()
    audit.record(
        user,
        "integrity.reported_named",
        report,
        {"exclusions_added": added, "escalated": moved},
        agency_id=acting_agency,
    )
    if moved:
        audit.record(
            user,
            "integrity.escalated",
            report,
            {"from_agency": acting_agency},
            agency_id=_audit_agency(report),
        )
        _notify_handlers(
            report,
            _("Kasus pelanggaran dialihkan: %(n)s") % {"n": report.case_number},
            # Not why (the reported person's place: the inspectorate or its leadership), which would
            # narrow down who the case is about to anyone who reads the mail.
            _("Kasus ini dialihkan dan kini ditangani di tingkat Anda."),
        )
    return report


#: Who may declare a conflict of interest on a case (:func:`declare_conflict`).
CONFLICT_ROLES = (Role.INSPECTORATE, Role.CUSTODIAN, Role.LEADERSHIP)


@transaction.atomic
def declare_conflict(user, report_id, reason: str = "") -> None:
    """Anyone who sees a case may declare a conflict of interest; from then on the case disappears for
    them (ISO 37002 §8.3: impartial handling): the inspectorate and the custodians of the handling
    agency, and its leadership for a case it sees among the protected ones (a case without a protection
    flag is, for leadership, as one that does not exist)."""
    report = case_for(user, report_id, roles=CONFLICT_ROLES, lock=True)
    if not report.protection_flag and not permissions.has_role(
        user, (Role.INSPECTORATE, Role.CUSTODIAN), agency=report.handling_agency
    ):
        raise Http404
    Exclusion.objects.get_or_create(
        report=report, subject=user_subject(user.pk), defaults={"reason": Exclusion.Reason.DECLARED}
    )
    Assignment.objects.filter(report=report, user=user).delete()
    audit.record(user, "integrity.conflict_declared", report, {}, agency_id=_audit_agency(report))


@transaction.atomic
def set_plan(user, report_id, plan: str) -> Report:
    report, _state = _act(user, report_id, "plan")
    report.examination_plan = _clean_body(plan, "plan", max_len=20000)
    report.save()
    audit.record(user, "integrity.plan_set", report, {}, agency_id=_audit_agency(report))
    return report


def _summons_facts(report: Report, summons=None) -> list[rules.SummonsFact]:
    """The facts of the case's summons (of ``summons`` when the caller has read them already)."""
    return [
        rules.SummonsFact(s.person_key, s.number, s.issued_on, s.hearing_on, s.attended)
        for s in (report.summons.all() if summons is None else summons)
    ]


@transaction.atomic
def issue_summons(
    user,
    report_id,
    *,
    person: str,
    hearing_on: dt.date,
    issued_on: dt.date | None = None,
    number: int = 1,
) -> Summons:
    """A written summons (PP 94/2021): at least 7 working days ahead; a second one only after a
    missed first hearing, within 7 working days of it."""
    report, _state = _act(user, report_id, "summon")
    person = (person or "").strip()
    if not person:
        raise InvalidInput(
            "person_required",
            _("Sebutkan siapa yang dipanggil."),
            {"person": _("Sebutkan siapa yang dipanggil.")},
        )
    cal = Calendar(report.agency)
    issued_on = issued_on or cal.local_date()
    # The person's key as an earlier summons of the case holds it: one taken before AMANAH_HASH_KEY
    # changed (and before ``keys rehash``) is under an old key, and the second summons must still be
    # grouped with the first.
    keys = crypto.keyed_hashes(person.casefold(), f"integrity:summons:{report.pk}")
    held = set(report.summons.filter(person_key__in=keys).values_list("person_key", flat=True))
    key = next((k for k in keys if k in held), keys[0])
    try:
        rules.check_summons(
            issued_on, hearing_on, number, _summons_facts(report), key, cal.between, deadlines()
        )
    except rules.RuleError as exc:
        text = SUMMONS_REFUSALS.get(exc.code, exc.text)
        raise InvalidInput(
            exc.code, text, {"hearing_on": text}, getattr(exc.text, "params", None)
        ) from None
    summons = Summons.objects.create(
        report=report,
        person=person,
        person_key=key,
        number=number,
        issued_on=issued_on,
        hearing_on=hearing_on,
    )
    audit.record(
        user,
        "integrity.summons_issued",
        report,
        {"summons": summons.pk, "number": number, "hearing_on": hearing_on},
        agency_id=_audit_agency(report),
    )
    return summons


def _summons_of(report: Report, summons_id) -> Summons | None:
    """The summons of this case with this id; None for any other id, a malformed one included."""
    try:
        summons_id = int(summons_id)
    except (TypeError, ValueError):
        return None
    return report.summons.filter(pk=summons_id).first()


def _refuse_before_hearing(report: Report, summons: Summons, refusal: str, field: str) -> None:
    """PP 94/2021: whether someone came to a hearing is known only once its day has come (in the
    reported agency's calendar, as the summons' dates are); an absence recorded earlier would open the
    second summons, and after it the decision on the evidence, before the hearing was held."""
    if summons.hearing_on > Calendar(report.agency).local_date():
        raise InvalidInput(
            "hearing_not_held",
            refusal,
            {field: refusal},
            {"d": mail_date(summons.hearing_on)},
        )


@transaction.atomic
def record_attendance(user, report_id, summons_id, attended: bool) -> Summons:
    """Whether the person summoned came to the hearing, recorded only from the hearing's day on: an
    absence earlier would open the second summons, and an attendance earlier would drop the hearing's
    reminder for a hearing not yet held."""
    report, _state = _act(user, report_id, "summon")
    summons = _summons_of(report, summons_id)
    if summons is None:
        raise Http404
    _refuse_before_hearing(
        report,
        summons,
        gettext_noop(
            "Kehadiran baru dapat dicatat pada tanggal pemeriksaan (%(d)s) atau sesudahnya."
        )
        if attended
        else gettext_noop(
            "Ketidakhadiran baru dapat dicatat pada tanggal pemeriksaan (%(d)s) atau sesudahnya."
        ),
        "attended",
    )
    summons.attended = bool(attended)
    summons.save()
    audit.record(
        user,
        "integrity.attendance",
        report,
        {"summons": summons.pk, "attended": summons.attended},
        agency_id=_audit_agency(report),
    )
    return summons


def may_decide_on_evidence(report: Report, summons: Summons) -> bool:
    return rules.may_decide_on_evidence(_summons_facts(report), summons.person_key)


def summons_decisions(report: Report) -> list[tuple[Summons, bool]]:
    """Each summons of the case with :func:`may_decide_on_evidence` for it, the summons read once
    (one query however many there are)."""
    summons = list(report.summons.all())
    facts = _summons_facts(report, summons)
    return [(s, rules.may_decide_on_evidence(facts, s.person_key)) for s in summons]


@transaction.atomic
def record_bap(user, report_id, *, held_on: dt.date, examined: str, content: str, summons_id=None):
    """Berita acara pemeriksaan of a closed examination; with a summons, of the hearing it called to
    (which is then attended), from the hearing's day on."""
    report, _state = _act(user, report_id, "record_bap")
    summons = _summons_of(report, summons_id) if summons_id else None
    if summons_id and summons is None:
        raise InvalidInput(
            "unknown_summons",
            _("Surat panggilan tidak ditemukan."),
            {"summons_id": _("Surat panggilan tidak ditemukan.")},
        )
    if summons is not None:
        _refuse_before_hearing(
            report,
            summons,
            gettext_noop(
                "Berita acara untuk panggilan ini baru dapat dibuat pada tanggal pemeriksaan (%(d)s) "
                "atau sesudahnya."
            ),
            "summons_id",
        )
    record = ExaminationRecord.objects.create(
        report=report,
        summons=summons,
        held_on=held_on,
        examined=_clean_body(examined, "examined", max_len=500),
        content=_clean_body(content, "content", max_len=50000),
        examiner=user,
    )
    if summons is not None and summons.attended is None:
        summons.attended = True
        summons.save()
    audit.record(
        user,
        "integrity.bap_recorded",
        report,
        {"record": record.pk},
        agency_id=_audit_agency(report),
    )
    return record


@in_site_language
@transaction.atomic
def record_finding(
    user,
    report_id,
    *,
    outcome: str,
    note: str,
    sanction_level: str = "",
    sanction: str = "",
    reporter_message: str = "",
) -> Report:
    """The examination's finding and, when proven, a sanction recommendation from the PP 94/2021
    ladder. When the reported person is an ASN in the directory, personnel's discipline case is opened
    (without anything about the reporter)."""
    report, state = _act(user, report_id, "finding")
    try:
        rules.check_finding(outcome, sanction_level or None, sanction or None)
    except rules.RuleError as exc:
        raise InvalidInput(exc.code, exc.text, {"sanction": exc.text}) from None
    on = today(report.handling_agency)
    report.status = state
    report.outcome = outcome
    report.sanction_level = sanction_level or None
    report.sanction = sanction or ""
    report.finding_note = _clean_body(note, "note", max_len=50000)
    report.concluded_on = report.closed_on = on
    report.save()
    audit.record(
        user,
        "integrity.finding",
        report,
        {"outcome": outcome, "sanction_level": sanction_level, "sanction": sanction},
        agency_id=_audit_agency(report),
    )
    if outcome in ("terbukti", "sebagian"):
        _open_discipline(user, report)
    # The parameters are messages too (in the site language now), translated with the rest when read.
    labels = {
        "terbukti": gettext_noop("pelanggaran terbukti"),
        "tidak_terbukti": gettext_noop("pelanggaran tidak terbukti"),
        "sebagian": gettext_noop("pelanggaran terbukti sebagian"),
    }
    text = (reporter_message or "").strip() or said(
        gettext_noop(
            "Pemeriksaan atas laporan Anda sudah selesai: %(o)s. %(s)s Terima kasih atas keberanian "
            "Anda melapor."
        ),
        {
            "o": _(labels[outcome]),
            "s": _("Rekomendasi hukuman disiplin sudah disampaikan kepada pejabat yang berwenang.")
            if outcome != "tidak_terbukti"
            else "",
        },
    )
    _say_to_reporter(report, text, kind=Message.Kind.FEEDBACK, author=user, on=on)
    return report


def _open_discipline(user, report: Report) -> None:
    employee = _find_employee(report.agency, report.reported_nip, report.reported_name, report.unit)
    if employee is None:
        report.discipline_pending = True
        report.save()
        return
    try:
        from amanah.personnel.services import open_discipline_case
    except ImportError:
        open_discipline_case = None
    if open_discipline_case is None:
        report.discipline_pending = True
        report.save()
        return
    allegation = _("%(type)s — temuan pemeriksaan %(n)s; rekomendasi: %(s)s") % {
        "type": report.get_violation_type_display(),
        "n": report.case_number,
        "s": _(rules.sanction_label(report.sanction)),
    }
    try:
        with transaction.atomic():
            case = open_discipline_case(
                user,
                employee=employee,
                allegation=allegation,
                source="integritas",
                source_reference=report.case_number,
            )
    except (PermissionDenied, ValidationError):
        # e.g. an escalated case handled by the parent agency's APIP: HR of the employee's agency
        # must open it; the case shows that it is pending.
        report.discipline_pending = True
        report.save()
        audit.record(
            user, "integrity.discipline_pending", report, {}, agency_id=_audit_agency(report)
        )
        return
    report.discipline_case_ref = str(getattr(case, "number", "") or getattr(case, "pk", ""))
    report.discipline_pending = False
    report.save()
    audit.record(
        user,
        "integrity.discipline_opened",
        report,
        {"discipline_case": report.discipline_case_ref},
        agency_id=_audit_agency(report),
    )


def _refer(user, report: Report, body: str, reporter_message: str = "", note: str = "") -> Report:
    if body not in rules.REFERRAL_BODIES:
        msg = _("Pilih lembaga tujuan: KPK, Ombudsman atau APH.")
        raise InvalidInput("invalid_body", msg, {"referral_body": msg})
    on = today(report.handling_agency)
    report.status = Status.REFERRED
    if report.outcome is None:
        report.outcome = "dirujuk"
    report.referral_body = body
    report.referral_note = note or ""
    report.referred_on = on
    report.closed_on = report.closed_on or on
    if not report.acknowledged_on:
        # The referral notice to the reporter acknowledges the report too (as an assessment does).
        report.acknowledged_on = on
    report.save()
    audit.record(
        user, "integrity.referred", report, {"body": body}, agency_id=_audit_agency(report)
    )
    names = {
        "kpk": "Komisi Pemberantasan Korupsi (KPK)",
        "ombudsman": "Ombudsman Republik Indonesia",
        "aph": _("aparat penegak hukum"),
    }
    _say_to_reporter(
        report,
        (reporter_message or "").strip()
        or said(
            gettext_noop(
                "Laporan Anda diteruskan ke %(b)s, yang berwenang menanganinya. Identitas Anda tidak "
                "ikut diteruskan."
            ),
            {"b": names[body]},
        ),
        kind=Message.Kind.FEEDBACK,
        author=user,
        on=on,
    )
    return report


@in_site_language
@transaction.atomic
def refer(user, report_id, *, body: str, note: str = "", reporter_message: str = "") -> Report:
    """Referral to KPK (corruption), Ombudsman RI (maladministration) or APH (crimes)."""
    report, _state = _act(user, report_id, "refer")
    return _refer(user, report, body, reporter_message, note)


@in_site_language
@transaction.atomic
def send_message(user, report_id, body: str, *, question: bool = False) -> Message:
    report, _state = _act(user, report_id, "message")
    msg = _say_to_reporter(
        report,
        _clean_body(body),
        kind=Message.Kind.QUESTION if question else Message.Kind.FEEDBACK,
        author=user,
    )
    audit.record(
        user,
        "integrity.message_sent",
        report,
        {"question": question},
        agency_id=_audit_agency(report),
    )
    return msg


def add_staff_evidence(user, report_id, uploads) -> int:
    with files.removed_on_failure() as stored, transaction.atomic():
        return _add_staff_evidence(user, report_id, uploads, stored)


def _add_staff_evidence(user, report_id, uploads, stored: list) -> int:
    report, _state = _act(user, report_id, "message")
    count = _store_evidence(
        report,
        _clean_evidence(uploads),
        from_reporter=False,
        on=today(report.handling_agency),
        stored=stored,
    )
    audit.record(
        user,
        "integrity.evidence_added",
        report,
        {"evidence": count},
        agency_id=_audit_agency(report),
    )
    return count


# --- identity disclosure ----------------------------------------------------------------------


@in_site_language
@transaction.atomic
def request_disclosure(user, report_id, reason: str) -> DisclosureRequest:
    """Ask to see the reporter's identity. Needs a reason; the reporter is asked for consent (on
    their case page or the API) and a custodian (another person) decides only after the reporter
    consented (SE MenPANRB 8/2012: the identity is never disclosed without consent). Not on a case
    where the reporter can no longer answer, and not while another request waits."""
    report = case_for(user, report_id, lock=True)
    permissions.require(user, [Role.INSPECTORATE], agency=report.handling_agency)
    reason = (reason or "").strip()
    if len(reason) < 20:
        msg = _("Tulis alasan yang jelas (paling sedikit 20 karakter).")
        raise InvalidInput("reason_required", msg, {"reason": msg})
    if not report.has_identity:
        msg = _("Pelapor tidak memberikan identitas.")
        raise InvalidInput("no_identity", msg)
    if not rules.may_ask_consent(report.status):
        raise InvalidInput(
            "closed",
            _(
                "Kasus ini sudah ditutup: pelapor tidak dapat lagi menjawab, sehingga persetujuannya "
                "untuk membuka identitas tidak dapat diminta."
            ),
        )
    if report.disclosures.filter(state=DisclosureRequest.State.PENDING).exists():
        raise InvalidInput(
            "already_pending",
            _("Masih ada permintaan yang menunggu jawaban pelapor atau keputusan kustodian."),
        )
    req = DisclosureRequest.objects.create(
        report=report, requested_by=user, reason=reason, requested_on=today(report.handling_agency)
    )
    audit.record(
        user,
        "integrity.disclosure_requested",
        report,
        {"request": req.pk},
        agency_id=_audit_agency(report),
    )
    _say_to_reporter(
        report,
        said(
            gettext_noop(
                "Pemeriksa meminta izin untuk melihat identitas Anda dengan alasan: %(r)s. Identitas "
                "Anda hanya dibuka bila Anda menyetujuinya, lalu kustodian identitas juga menyetujui. "
                "Jawab pada halaman laporan Anda: pilih “Saya setuju” atau “Saya keberatan”. Selama "
                "Anda belum menjawab, identitas Anda tetap tertutup."
            ),
            # The sentence ends after the reason: a reason that ends a sentence of its own gives
            # no second full stop.
            {"r": reason[:-1] if reason.endswith(".") and not reason.endswith("..") else reason},
            # What the official typed: shown as typed, and marked Indonesian on an English page.
            typed=("r",),
        ),
        author=None,
    )
    return req


def _tell_reporter_by_mail(report: Report) -> None:
    """A reporter who asked for news by e-mail is told that there is a message (never what it says),
    once the change that recorded it commits."""
    if report.may_contact and report.reporter_contact:
        from .tasks import notify_reporter

        after_commit(notify_reporter, report.pk)


# --- the reporter's contact and the news mails ------------------------------------------------


def news_stop_token(report_id) -> str | None:
    """The secret of the stop link in the news mails to the reporter of ``report_id`` (made the first
    time it is asked for, so reports filed before the link existed get one too), or None when the
    report has no contact to stop. 32 random bytes, unrelated to the receipt and to the case: the link
    says nothing of the case and opens nothing; it only stops the news (:func:`stop_news_by_link`)."""
    report = Report.objects.filter(pk=report_id, purged_on__isnull=True).first()
    if report is None or not report.reporter_contact:
        return None
    if report.news_stop_token:
        return report.news_stop_token
    token = secrets.token_urlsafe(32)
    # Only where none was made meanwhile (two news mails at once): both then carry the same one.
    Report.objects.filter(pk=report_id, news_stop_key__isnull=True).update(
        news_stop_token=token, news_stop_key=_digest(token)
    )
    return Report.objects.filter(pk=report_id).values_list("news_stop_token", flat=True).first()


def news_stop_report(token: str) -> Report | None:
    """The report whose news the stop link ``token`` stops, or None (unknown, already used, or made
    for a contact since removed or changed)."""
    if not token or len(token) > 100:
        return None
    return Report.objects.filter(news_stop_key=_digest(token), purged_on__isnull=True).first()


def _forget_contact_link(report: Report) -> None:
    report.news_stop_token = ""
    report.news_stop_key = None


@transaction.atomic
def remove_contact(report: Report, *, via: str = "halaman") -> None:
    """The reporter stops the news: their contact is erased (not only switched off) and they are no
    longer to be contacted; the stop link of the mails already sent stops working. ``via``: ``halaman``
    (their case page) or ``tautan`` (the link in a news mail). Audited as the reporter's other actions
    are, with the day only."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    had = bool(report.reporter_contact or report.may_contact)
    report.reporter_contact = ""
    report.may_contact = False
    _forget_contact_link(report)
    report.save()
    if had:
        audit.record(
            REPORTER,
            "integrity.contact_removed",
            report,
            {"via": via},
            agency_id=_audit_agency(report),
            coarse_time=True,
        )


def stop_news_by_link(token: str) -> bool:
    """The one-click stop of a news mail (RFC 8058, or the button of its page): erases the contact of
    the report the link was made for. False when the link stops nothing (any more)."""
    with transaction.atomic():
        report = news_stop_report(token)
        if report is None:
            return False
        remove_contact(report, via="tautan")
    return True


@transaction.atomic
def change_contact(report: Report, contact: str) -> None:
    """The reporter gives a new contact for the news (already checked by ``forms.ContactForm``: one
    e-mail address or one Indonesian telephone number) and agrees to be contacted there. The stop link
    of the mails sent to the old contact stops working; the next mail carries a new one."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    report.reporter_contact = contact
    report.may_contact = True
    _forget_contact_link(report)
    report.save()
    audit.record(
        REPORTER,
        "integrity.contact_changed",
        report,
        {},
        agency_id=_audit_agency(report),
        coarse_time=True,
    )


@in_site_language
@transaction.atomic
def answer_disclosure(report: Report, request_id, consent: bool) -> DisclosureRequest:
    """The reporter consents to a request to see their identity, or objects to it. Consent is given
    only to a request still waiting; an objection ends a waiting request, and one already approved
    (the consent is withdrawn: the identity is no longer shown). An objection is final for that
    request; any new request asks again. Possible whatever the case's stage, so a reporter can
    always object."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    req = report.disclosures.select_for_update().filter(pk=request_id).first()
    if req is None:
        raise Http404
    State, Consent = DisclosureRequest.State, DisclosureRequest.Consent
    withdrawn = False
    if consent:
        if req.state != State.PENDING or req.consent != Consent.AWAITED:
            raise InvalidInput(
                "already_answered", _("Permintaan ini sudah dijawab atau sudah diputuskan.")
            )
        req.consent = Consent.GIVEN
    else:
        if req.state not in (State.PENDING, State.APPROVED):
            raise InvalidInput(
                "already_answered", _("Permintaan ini sudah dijawab atau sudah diputuskan.")
            )
        withdrawn = req.state == State.APPROVED
        req.consent = Consent.REFUSED
        req.state = State.OBJECTED
    req.consent_on = today(report.handling_agency)
    req.save()
    audit.record(
        REPORTER,
        "integrity.disclosure_answered",
        report,
        {"request": req.pk, "consent": bool(consent), "withdrawn": withdrawn},
        agency_id=_audit_agency(report),
        coarse_time=True,
    )
    if consent:
        text = _(
            "Pelapor menyetujui permintaan membuka identitasnya. Kustodian identitas kini dapat "
            "memutuskan."
        )
    else:
        text = _("Pelapor keberatan identitasnya dibuka. Identitasnya tetap tertutup.")
    subject = _("Jawaban pelapor atas permintaan identitas pada %(n)s") % {"n": report.case_number}
    _notify_handlers(report, subject, text, held=True)
    _notify_custodians(report, subject, text, held=True)
    return req


def _notify_custodians(report: Report, subject: str, body: str, *, held: bool = False) -> None:
    """Mail the custodians who may decide on the case's requests (:func:`disclosure_for`); ``held`` as
    for :func:`_notify_handlers`."""
    emails = sorted({u.email for u in case_staff(report, Role.CUSTODIAN) if u.email})
    if emails:
        notify.email(
            emails,
            subject,
            body
            + "\n\n"
            + _("Putuskan di Amanah: %(url)s")
            % {"url": f"{settings.SITE_URL}/integritas/staf/identitas/"},
            hold_until=reporter_notice_day() if held else None,
            recheck=_still_told(report, Role.CUSTODIAN) if held else None,
        )


def disclosure_for(user, request_id) -> DisclosureRequest:
    req = DisclosureRequest.objects.select_related("report").filter(pk=request_id).first()
    if req is None:
        raise Http404
    case_for(user, req.report_id, roles=(Role.CUSTODIAN,))
    return req


@in_site_language
@transaction.atomic
def decide_disclosure(user, request_id, approve: bool) -> DisclosureRequest:
    """A custodian (not the requester) approves or refuses; the decision is audited and told to the
    reporter. Approval needs the reporter's consent first (SE MenPANRB 8/2012: never disclosed
    without consent); the regulation provides no exception and, as a platform choice, neither does
    Amanah.
    A refusal is possible at any time while the request waits."""
    req = disclosure_for(user, request_id)
    req = DisclosureRequest.objects.select_for_update().get(pk=req.pk)
    permissions.require(user, [Role.CUSTODIAN], agency=req.report.handling_agency)
    if req.requested_by_id == user.pk:
        # Lazy: read in the reader's language, outside this service's site language.
        raise PermissionDenied(gettext_lazy("Permintaan harus diputuskan oleh orang lain."))
    if req.consent == DisclosureRequest.Consent.REFUSED:
        raise InvalidInput(
            "reporter_objected",
            _("Pelapor keberatan identitasnya dibuka, sehingga permintaan ini sudah berakhir."),
        )
    if req.state != DisclosureRequest.State.PENDING:
        raise InvalidInput("already_decided", _("Permintaan ini sudah diputuskan."))
    if approve and req.consent != DisclosureRequest.Consent.GIVEN:
        raise InvalidInput(
            "consent_missing",
            _(
                "Identitas pelapor hanya dapat dibuka dengan persetujuannya. Pelapor belum menyetujui "
                "permintaan ini; Anda hanya dapat menolaknya atau menunggu jawabannya."
            ),
        )
    req.state = DisclosureRequest.State.APPROVED if approve else DisclosureRequest.State.REFUSED
    req.decided_by = user
    req.decided_on = today(req.report.handling_agency)
    req.save()
    audit.record(
        user,
        "integrity.disclosure_decided",
        req.report,
        {"request": req.pk, "approved": bool(approve)},
        agency_id=_audit_agency(req.report),
    )
    _say_to_reporter(
        req.report,
        said(
            gettext_noop("Kustodian identitas %(d)s permintaan untuk melihat identitas Anda."),
            {"d": _("menyetujui") if approve else _("menolak")},
        ),
    )
    return req


@transaction.atomic
def reveal_identity(user, report_id) -> dict:
    """The reporter's identity, only for a handler whose own request the reporter consented to and a
    custodian approved (and the reporter has not withdrawn). Each look is audited."""
    report = case_for(user, report_id)
    permissions.require(user, [Role.INSPECTORATE], agency=report.handling_agency)
    approved = report.disclosures.filter(
        requested_by=user,
        state=DisclosureRequest.State.APPROVED,
        consent=DisclosureRequest.Consent.GIVEN,
    ).first()
    if approved is None:
        raise PermissionDenied(
            _(
                "Identitas pelapor hanya dapat dilihat setelah pelapor menyetujui dan kustodian "
                "menyetujui permintaan Anda."
            )
        )
    audit.record(
        user,
        "integrity.identity_viewed",
        report,
        {"request": approved.pk},
        agency_id=_audit_agency(report),
    )
    return {
        "reporter_name": report.reporter_name,
        "reporter_contact": report.reporter_contact,
        "may_contact": report.may_contact,
    }


def record_read(user, report, what: str, details: dict | None = None) -> None:
    """Reads of confidential material (evidence, exports) are audited too."""
    with transaction.atomic():
        audit.record(
            user, f"integrity.{what}", report, details or {}, agency_id=_audit_agency(report)
        )


# --- background work --------------------------------------------------------------------------


def _deadline_items(report: Report) -> list[tuple[str, dt.date]]:
    """Each deadline of the case that investigators are reminded of, as (key, date). The summonses
    not yet attended are read from ``report.open_summons`` when the caller fetched them in advance (the
    sweep, for every case at once)."""
    items = []
    if report.acknowledge_due:
        items.append(("acknowledge", report.acknowledge_due))
    if report.status in ("diterima", "ditelaah") and report.assessment_due:
        items.append(("assessment", report.assessment_due))
    if report.kind == ReportKind.GRATIFICATION and report.is_open:
        # UU 20/2001 Pasal 12C: the gift is reported through the UPG, and to KPK, within these days.
        if report.upg_due:
            items.append(("upg", report.upg_due))
        if report.kpk_due:
            items.append(("kpk", report.kpk_due))
    if report.feedback_due:
        items.append((f"feedback:{report.feedback_due}", report.feedback_due))
    summons = getattr(report, "open_summons", None)
    if summons is None:
        summons = report.summons.filter(attended__isnull=True)
    for s in summons:
        items.append((f"hearing:{s.pk}", s.hearing_on))
    return items


def _reminders_due(report: Report, day: dt.date) -> list[tuple[str, dt.date]]:
    """The deadlines of the case to remind of on ``day``: due soon or passed, not reminded of yet."""
    return [
        (key, date)
        for key, date in _deadline_items(report)
        if key not in report.reminders_sent and rules.reminder_due(date, day, deadlines())
    ]


@in_site_language
def send_reminders(on: dt.date | None = None) -> int:
    """Remind the investigators of each deadline a few days before it (once per deadline).

    The list read first only picks the cases to look at; what is due is decided again on the row once
    locked, so that a sweep that overlaps another (two workers, or the schedule and a manual run) or a
    change made meanwhile never reminds of the same deadline twice or of a case that has closed."""
    sent = 0
    open_summons = Prefetch(
        "summons", queryset=Summons.objects.filter(attended__isnull=True), to_attr="open_summons"
    )
    candidates = (
        Report.objects.filter(status__in=rules.OPEN_STATES)
        .select_related("handling_agency")
        .prefetch_related(open_summons)
    )
    for report in candidates.iterator(chunk_size=200):
        day = on or today(report.handling_agency)
        if not _reminders_due(report, day):
            continue
        with transaction.atomic():
            agency = report.handling_agency
            report = Report.objects.select_for_update().get(pk=report.pk)
            if not report.is_open:
                continue
            if report.handling_agency_id == getattr(agency, "pk", None):
                report.handling_agency = agency  # already read; the case's agency is not locked
            due = _reminders_due(report, day)
            if not due:
                continue  # reminded meanwhile by another sweep
            labels = {
                "acknowledge": _("tanda terima kepada pelapor"),
                "assessment": _("penilaian awal"),
                "upg": _("pelaporan gratifikasi melalui UPG"),
                "kpk": _("pelaporan gratifikasi kepada KPK"),
            }
            feedback, examination = _("umpan balik kepada pelapor"), _("pemeriksaan")
            lines = []
            for k, d in due:
                fallback = feedback if k.startswith("feedback") else examination
                lines.append(f"- {labels.get(k.split(':')[0], fallback)}: {mail_date(d)}")
            notified = _notify_handlers(
                report,
                _("Pengingat tenggat kasus %(n)s") % {"n": report.case_number},
                _("Tenggat yang mendekat atau terlewati:") + "\n" + "\n".join(lines),
            )
            report.reminders_sent = [*report.reminders_sent, *(k for k, _d in due)]
            report.save()
            audit.record(
                "system",
                "integrity.reminder_sent",
                report,
                {"deadlines": [k for k, _d in due], "notified": notified},
                agency_id=_audit_agency(report),
            )
        sent += 1
    return sent


def purge_expired(on: dt.date | None = None) -> int:
    """Retention: closed cases older than the retention period lose the reporter's identity, the
    evidence and everything the reporter wrote or that was written to them: the report's text (what
    happened, when, where, the witnesses), the dialogue with them (their replies and retaliation
    accounts, the team's messages and questions) and the reasons given for asking to see their identity.
    The case row (type, state, outcome, sanction, dates) stays for the statistics, and so does the
    agency's own examination (plan, summonses, records, finding). A gratification self-report names its
    reporter as the person reported (and the giver): those go too."""
    days = retention_days()
    count = 0
    qs = Report.objects.filter(
        status__in=rules.CLOSED_STATES, purged_on__isnull=True, closed_on__isnull=False
    )
    for report in qs.iterator(chunk_size=200):
        day = on or today(report.handling_agency)
        if not rules.retention_expired(report.closed_on, day, days):
            continue
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=report.pk)
            for ev in list(report.evidence.select_related("file")):
                stored = ev.file
                ev.delete()
                # The row goes now; the storage object once this transaction commits, so that a
                # purge rolled back further down still finds every file of the case.
                files.delete(stored)
            report.reporter_name = report.reporter_contact = ""
            report.description = report.incident_date = report.incident_place = ""
            report.witnesses = ""
            report.messages.all().delete()
            report.disclosures.update(reason="")
            if report.kind == ReportKind.GRATIFICATION:
                # In a self-report the reporter is the person named (GratificationForm), and the giver
                # is named to identify the gift: both go with the reporter's identity.
                report.reported_name = report.reported_nip = report.reported_position = ""
                report.gift_giver = ""
            report.may_contact = False
            _forget_contact_link(report)
            report.purged_on = day
            report.save()
            audit.record("system", "integrity.purged", report, {}, agency_id=_audit_agency(report))
        count += 1
    return count


# --- change of the hash key -----------------------------------------------------------------


def evidence_digest(data: bytes) -> str:
    """What is stored of an evidence file's content (``StoredFile.sha256``): its SHA-256 under the hash
    key, as the plain SHA-256 would let anyone holding a copy of a photo confirm it is in a case."""
    return crypto.keyed_hash(hashlib.sha256(data).hexdigest(), "integrity:evidence")


def _rehash_evidence(chunk: int) -> tuple[int, int]:
    """Every evidence file's keyed content hash computed again under the current key (each file is read
    and decrypted: the plain hash is stored nowhere). Otherwise the hashes stay under the retired key,
    which was changed because it leaked: whoever holds it and a copy of the database could confirm that
    a photo they have is in a case. Returns (hashes changed, files that could not be read); a file that
    cannot be read (missing from the storage) keeps its hash and is logged, without its name."""
    changed = unreadable = 0
    ids = Evidence.objects.order_by().values("file_id")
    for sf in StoredFile.objects.filter(pk__in=ids).order_by("pk").iterator(chunk_size=chunk):
        try:
            digest = evidence_digest(files.read(sf))
        except Exception:  # noqa: BLE001 - one missing object must not stop the others
            unreadable += 1
            log.exception("evidence file %s could not be read to hash it again", sf.pk)
            continue
        if digest != sf.sha256:
            changed += StoredFile.objects.filter(pk=sf.pk).update(sha256=digest)
    return changed, unreadable


def rehash(chunk: int = 2000) -> dict:
    """Take every keyed hash that can be computed again under the current ``AMANAH_HASH_KEY``
    (``amanah keys rehash``, after the key changed with the old one in ``AMANAH_OLD_HASH_KEYS``).

    Exclusions name ``employee:<id>`` or ``user:<id>``: each stored subject is looked for among the
    directory's employees and the accounts under every configured key, and one found under an old key is
    replaced by the current key's hash (its ``key_id`` with it). One that matches nobody under any key
    stays as it is and its case is listed in ``unmatched_cases``: its person was deleted, or it was hashed under a key
    that is not configured (its case then stays hidden from everyone). Summons keys are computed again
    from the encrypted name, and the evidence files' keyed content hashes from the files. Receipts cannot
    be: only the reporter knows them, so a receipt given under an old key is matched under it (and
    re-hashed when the reporter next uses it) for as long as the key stays in ``AMANAH_OLD_HASH_KEYS``. Safe to run again, or after an interruption: each row is changed
    on its own and a finished row is left alone."""
    import hmac

    from amanah.core.models import User

    current = crypto.hash_key_id()
    purpose = "integrity:exclusion"
    wanted = set(Exclusion.objects.order_by().values_list("subject", flat=True).distinct())
    found: dict[str, tuple[str, str]] = {}  # subject -> (what it hashes, key id)
    for key in crypto.hash_keys():
        key_id = crypto.hash_key_id(key)
        derived = hashlib.sha256(f"{purpose}:{key}".encode()).digest()
        for prefix, ids in (
            ("employee", Employee.objects.values_list("pk", flat=True)),
            ("user", User.objects.values_list("pk", flat=True)),
        ):
            for pk in ids.order_by().iterator(chunk_size=chunk):
                value = f"{prefix}:{pk}"
                digest = hmac.new(derived, value.encode(), hashlib.sha256).hexdigest()
                if digest in wanted:
                    found.setdefault(digest, (value, key_id))
    moved = relabelled = 0
    unmatched: set[int] = set()
    rows = Exclusion.objects.order_by("pk").values_list("pk", "report_id", "subject", "key_id")
    for pk, report_id, subject, key_id in rows.iterator(chunk_size=chunk):
        if subject not in found:
            unmatched.add(report_id)
            continue
        value, under = found[subject]
        if under == current:
            if key_id != current:
                relabelled += Exclusion.objects.filter(pk=pk).update(key_id=current)
            continue
        new = crypto.keyed_hash(value, purpose)
        with transaction.atomic():
            if Exclusion.objects.filter(report_id=report_id, subject=new).exists():
                Exclusion.objects.filter(pk=pk).delete()
            else:
                Exclusion.objects.filter(pk=pk).update(subject=new, key_id=current)
        moved += 1
    summons = 0
    for s in Summons.objects.exclude(person="").order_by("pk").iterator(chunk_size=chunk):
        key = crypto.keyed_hash(s.person.casefold(), f"integrity:summons:{s.report_id}")
        if key != s.person_key:
            summons += Summons.objects.filter(pk=s.pk).update(person_key=key)
    evidence, unreadable = _rehash_evidence(chunk)
    return {
        "exclusions_moved": moved,
        "exclusions_relabelled": relabelled,
        "summons": summons,
        "evidence": evidence,
        "evidence_unreadable": unreadable,
        "unmatched_cases": sorted(
            Report.objects.filter(pk__in=unmatched).values_list("case_number", flat=True)
        ),
    }
