"""Every write of the complaint desk: one function per use case, one transaction each, with its
permission check (staff) and audit entry. Views, the API, the sweeper task and the CLI all come here.

Citizens act through their tracking code (no account): their functions take no ``actor`` and are
audited as ``public``. The sweeper acts as ``system``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from amanah.core import audit, calendar, crypto, files, notify, permissions, queue, ratelimit, rows
from amanah.core import rules as core_rules
from amanah.core.calendar import Calendar
from amanah.core.models import Agency, Role, Unit, User
from amanah.core.records import in_site_language, joined, parts_of, said

from . import rules, selectors
from .models import (
    AnswerTemplate,
    Channel,
    Complaint,
    ComplaintEvent,
    EventKind,
    Evidence,
    IdentityMode,
    Open311Key,
    RejectReason,
    Status,
)

log = logging.getLogger(__name__)

PUBLIC = "public"
SYSTEM = "system"


class ComplaintError(ValidationError):
    """A refused change with a machine-readable ``code`` and an Indonesian message (→ 409/422)."""

    def __init__(self, message, code="invalid", field=None, status=409, params=None):
        filled = message % params if params else message
        super().__init__({field: [filled]} if field else filled, code=code)
        self.code = code
        self.status = status
        self.field = field
        self._text = message
        self._params = params

    @property
    def text(self) -> str:
        """The message in the reader's language: services run in the site language (see
        :func:`amanah.core.records.in_site_language`), so a message is translated when it is read, and
        its values (``params``) are filled in after that, or the finished sentence would match no entry
        of the catalogue."""
        text = _(str(self._text))
        return text % self._params if self._params else text


_reported_options: set = set()


def day(value: dt.date) -> str:
    """A date as people read it in mails ("Jumat, 4 Desember 2026"), in the active language."""
    return formats.date_format(value, "l, j F Y")


def transition_text(exc: rules.TransitionError) -> str:
    """A refused transition told in the reader's language, with the case's status as people read it
    (the exception's own text names the table's identifiers, for logs)."""
    if exc.status:
        return _(
            "Tindakan ini tidak dapat dilakukan karena status pengaduan sekarang “%(status)s”."
        ) % {"status": Status(exc.status).label}
    return _("Tindakan ini tidak dikenal.")


def config(agency) -> dict:
    """The deadline rules for an agency: defaults ← ``COMPLAINT_RULES`` setting ← the agency's options
    (the platform's rules for ``None``, before an agency is chosen). Values of the wrong kind are ignored
    (the default applies) and logged once per process."""
    invalid: list[str] = []
    out = rules.merged_config(
        getattr(settings, "COMPLAINT_RULES", None),
        ((agency.options or {}) if agency is not None else {}).get("complaints"),
        invalid=invalid,
    )
    if invalid and agency is not None and (agency.pk, *invalid) not in _reported_options:
        _reported_options.add((agency.pk, *invalid))
        log.warning(
            "Complaint options of agency %s ignored (wrong kind of value): %s",
            agency.code,
            ", ".join(invalid),
        )
    return out


def tracking_url(complaint) -> str:
    return f"{settings.SITE_URL}/pengaduan/lacak/{complaint.tracking_code}/"


def _staff_role(actor, action: str, complaint) -> str:
    """Check the actor may do ``action`` on this case; return the role used (for the timeline)."""
    allowed = rules.staff_roles_for(action, forwarded=complaint.forwarded_at is not None)
    permissions.require(actor, allowed, agency=complaint.agency, unit=complaint.unit)
    if permissions.is_platform_admin(actor):
        return "admin"
    for role in sorted(allowed):
        if permissions.has_role(actor, [role], agency=complaint.agency, unit=complaint.unit):
            return role
    raise PermissionDenied  # pragma: no cover - require() passed


def counting(c, field: str, cal: Calendar):
    """``cal.add`` that also notes, in ``c.deadline_basis``, the day ``field`` is counted from and how
    many working days: when a closure is added to the calendar later, the due date can be counted again
    (:func:`recount_deadlines`)."""

    def add(start: dt.date, n: int) -> dt.date:
        c.deadline_basis = {**(c.deadline_basis or {}), field: [start.isoformat(), n]}
        return cal.add(start, n)

    return add


def _locked(complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("agency", "unit", "service")
        .get(pk=complaint.pk)
    )


def _event(
    complaint,
    kind,
    *,
    action="",
    actor=None,
    role="",
    public=True,
    text="",
    status_from="",
    status_to="",
    submission_key="",
):
    return rows.insert(
        ComplaintEvent(
            complaint=complaint,
            submission_key=submission_key,
            kind=kind,
            action=action,
            actor=actor if getattr(actor, "pk", None) else None,
            actor_role=role,
            public=public,
            status_from=status_from,
            status_to=status_to,
            text=text,
            text_parts=parts_of(text),
            # Read here, not by the field's default (bound to the function when the model loaded), so that
            # a step's time is the moment the service counts its deadlines from.
            at=timezone.now(),
        )
    )


def _move(
    complaint,
    action,
    *,
    actor,
    role,
    text="",
    audit_details=None,
    event_kind=EventKind.STATUS,
    attach=(),
):
    """Apply one row of the transition table: new status, timeline step and audit entry. ``attach``:
    stored files the agency attaches to the step; on a public step the holder of the tracking code may
    download them."""
    t = rules.check_transition(action, complaint.status)
    old = complaint.status
    if t.target:
        complaint.status = t.target
    if complaint.status in rules.CLOSED_STATUSES and complaint.closed_at is None:
        complaint.closed_at = timezone.now()
    complaint.save()
    event = _event(
        complaint,
        event_kind,
        action=action,
        actor=actor,
        role=role,
        public=t.public,
        text=text,
        status_from=old,
        status_to=complaint.status,
    )
    for sf in attach:
        Evidence.objects.create(
            complaint=complaint, file=sf, added_by_citizen=False, event=event, shared=t.public
        )
    audit.record(
        actor if actor is not None else SYSTEM,
        f"complaints.{action}",
        complaint,
        {"from": old, "to": complaint.status, **(audit_details or {})},
        agency_id=complaint.agency_id,
    )
    return complaint


#: Fields of one line: a line break there is a space (in a staff e-mail a title with line breaks could
#: pass off its own lines, a link included, as the mail's).
SINGLE_LINE = frozenset({"title", "incident_place", "name", "email", "phone"})


def _clean_text(value, field, max_length, *, required=False):
    value = (value or "").strip()
    if field in SINGLE_LINE:
        value = " ".join(value.split())
    if required and not value:
        raise ComplaintError(_("Bagian ini wajib diisi."), "required", field, 422)
    if len(value) > max_length:
        raise ComplaintError(
            gettext_noop("Paling banyak %(n)s karakter (sekarang %(m)s)."),
            "too_long",
            field,
            422,
            {"n": max_length, "m": len(value)},
        )
    if rules.contains_markup(value):
        raise ComplaintError(_("Teks tidak boleh berisi HTML atau skrip."), "markup", field, 422)
    if rules.contains_control(value):
        raise ComplaintError(
            _("Teks berisi karakter kendali yang tidak terlihat. Hapus lalu kirim lagi."),
            "control_character",
            field,
            422,
        )
    return value


# --- Notifications -------------------------------------------------------------------------------


def _mail_complainant(complaint, subject, body, *, sms: bool = True):
    """Tell the complainant of a step: by e-mail when they gave an address, and with ``sms`` also by a
    short message (the subject, the code and the link) when they gave a mobile number and the installation
    has an SMS gateway — most people who complain at the counter or on a cheap phone have no e-mail. An
    *anonim* complaint collected neither."""
    if complaint.identity_mode == IdentityMode.ANONIM:
        return
    if sms and complaint.phone:
        notify.sms(
            complaint.phone,
            _("%(agency)s: %(subject)s.")
            % {
                "agency": complaint.agency.short_name or complaint.agency.name,
                # The code follows in every message; a subject that names it need not.
                "subject": str(subject).replace(f": {complaint.tracking_code}", "").rstrip("."),
            },
            keep=_("Kode lacak %(code)s.") % {"code": complaint.tracking_code},
            link=tracking_url(complaint),
        )
    if complaint.email:
        notify.email(
            complaint.email,
            subject,
            body
            + "\n\n"
            + _("Kode lacak: %(code)s\nIkuti perkembangannya di %(url)s")
            % {"code": complaint.tracking_code, "url": tracking_url(complaint)}
            + "\n\n"
            # No Reply-To: an agency has no public complaint mailbox in Amanah (core.Agency), and a reply
            # to the sender reaches no case. The tracking page is where a complainant answers.
            + _(
                "Email ini dikirim otomatis oleh Amanah. Balasan ke email ini tidak masuk ke pengaduan "
                "Anda: untuk menanggapi atau menambah keterangan, buka halaman lacak di atas."
            ),
        )


def _role_emails(agency, roles, unit=None) -> list[str]:
    """E-mails of accounts holding ``roles`` in the agency (agency-wide, or covering ``unit``)."""
    return sorted({a.user.email for a in selectors.covering_roles(agency, roles, unit)})


def _unit_head_email(unit) -> list[str]:
    """The head of ``unit``: their account's address and the one in the ASN directory — neither when the
    head has left (directory entry inactive) or their account was switched off."""
    if unit is None or unit.head_id is None:
        return []
    head = unit.head
    accounts = list(User.objects.filter(employee=head).values_list("email", "is_active"))
    if not head.is_active or (accounts and not any(active for _email, active in accounts)):
        return []
    emails = [email for email, active in accounts if active]
    if head.email:
        emails.append(head.email)
    return sorted({e for e in emails if e})


def _covers(user, c) -> bool:
    """Whether ``user`` may handle ``c`` where and as it is now: its agency and unit, and its stage
    (before forwarding, the front office; a unit officer cannot verify)."""
    return permissions.has_role(
        user, rules.identity_roles(c.forwarded_at is not None), agency=c.agency, unit=c.unit
    )


def _assignee(c) -> list[str]:
    """The officer the case is assigned to, while their account is on and their role still covers the
    case's unit (a switched-off account, or an officer moved to another unit who can no longer open the
    case, would swallow the news: the case's other people hear of it instead)."""
    if c.assignee_id and c.assignee.is_active and c.assignee.email and _covers(c.assignee, c):
        return [c.assignee.email]
    return []


def _restart_ladder(c, due: dt.date | None, today: dt.date) -> None:
    """After a step that puts the case on another clock (``due``, the due date of the stage it is now in):
    the due-soon warning may come again, and the escalation ladder starts again from the bottom — unless
    ``due`` has already passed. A unit that takes a case up after its resolution date (which counts from
    the verification, and with the default tier falls on the same day as the first response) is late
    for the lateness the people up the ladder were already told of: it keeps the level reached, and the
    sweep climbs on from there instead of telling the unit head and the complaint manager a second
    time. (A case moved to another unit is on the new unit's fresh response date, so it starts again.)"""
    if due is None or due >= today:
        c.escalation_level = 0
    c.due_soon_notified = None


def _admin_emails() -> list[str]:
    """The platform administrators' addresses (superusers and holders of the admin role)."""
    admins = User.objects.filter(Q(is_superuser=True) | Q(roles__role=Role.ADMIN), is_active=True)
    return sorted({e for e in admins.values_list("email", flat=True) if e})


#: Who hears of an escalation when nobody at its level can (no active account with an address): the
#: agency's leadership, and failing that the platform's administrators, so that the step reaches someone.
ESCALATION_FALLBACK = (rules.LEADERSHIP, "admin")


def _escalation_recipients(c, target: str) -> tuple[list[str], str]:
    """The addresses an escalation to ``target`` (a key of ``rules.ESCALATION_TARGETS``) goes to, and
    whom they belong to: the level's own people, else the first of :data:`ESCALATION_FALLBACK` that has
    anyone ("" when nobody at all)."""
    if target == "kepala_unit":
        # A unit without a head (or a head without an address or account): its own officers, and the
        # complaint manager.
        found = _unit_head_email(c.unit) or _role_emails(
            c.agency, [rules.UNIT, rules.MANAGER], c.unit
        )
    else:
        # Agency-wide, or placed at the case's unit or a unit above it (a complaint manager on the
        # Sekretariat Daerah covers every unit).
        found = _role_emails(c.agency, [target], c.unit)
    if found:
        return found, target
    for fallback in ESCALATION_FALLBACK:
        found = (
            _admin_emails() if fallback == "admin" else _role_emails(c.agency, [fallback], c.unit)
        )
        if found:
            return found, fallback
    return [], ""


def _verifiers(c) -> list[str]:
    """The front office of a case: its agency's operators and complaint managers covering its unit."""
    return _role_emails(c.agency, [rules.OPERATOR, rules.MANAGER], c.unit)


def _unit_people(c) -> list[str]:
    """Who hears of a forwarded case's news: the unit's officers; a unit with no officer accounts, its
    head, and failing that the complaint manager — as escalation does, so the news reaches someone."""
    return (
        _role_emails(c.agency, [rules.UNIT], c.unit)
        or _unit_head_email(c.unit)
        or _role_emails(c.agency, [rules.MANAGER], c.unit)
    )


def _staff_summary(complaint) -> str:
    """What staff e-mails say about a case: never the complainant's identity, nor the tracking code."""
    due = complaint.stage_due
    return _(
        "Nomor: %(code)s\nJudul: %(title)s\nLayanan: %(service)s\nStatus: %(status)s\nTenggat tahap ini: %(due)s\n"
        "Buka di %(url)s"
    ) % {
        # The case number, never the tracking code: a staff mail is forwarded, kept and read on shared
        # screens, and the code is the complainant's key (whoever holds it may act in their name).
        "code": rules.case_number(complaint.pk),
        # One line, also for titles stored before line breaks were taken out of them.
        "title": " ".join(complaint.title.split()),
        "service": complaint.service.name if complaint.service else "-",
        "status": complaint.get_status_display(),
        "due": day(due) if due else "-",
        "url": f"{settings.SITE_URL}/pengaduan/staf/{rules.case_number(complaint.pk)}/",
    }


def _mail_staff(recipients, subject, complaint, lead="", *, warn=True) -> int:
    """Mail staff about a case; returns how many addresses were mailed. A mail with nobody to go to is
    logged (unless ``warn`` is false: the caller says why itself), so that a missing account is seen."""
    recipients = sorted({r for r in recipients if r})
    if recipients:
        notify.email(
            recipients, subject, (lead + "\n\n" if lead else "") + _staff_summary(complaint)
        )
    elif warn:
        log.warning(
            "Complaint %s (agency %s): nobody to mail about %r (no active account with an address)",
            complaint.pk,
            complaint.agency.code,
            subject,
        )
    return len(recipients)


# --- Intake --------------------------------------------------------------------------------------


#: The earliest year a complaint may be recorded as received (assisted intake of an old letter): the
#: working-day calendar knows holidays from that year on, so no deadline could be counted before it.
EARLIEST_RECEIVED_YEAR = calendar.MIN_YEAR


def too_old_message() -> str:
    return _(
        "Waktu diterima terlalu lama: paling awal tahun %(year)s (kalender hari kerja dimulai tahun itu)."
    ) % {"year": EARLIEST_RECEIVED_YEAR}


def clean_files(
    uploads, *, field: str = "evidence", prefix: str = "bukti"
) -> list[files.CleanFile]:
    """Check and clean every upload of ``field`` (the complainant's evidence, or an answer's
    ``attachments``); raises ``ComplaintError`` on that field naming the file that was refused and why.
    The files are renamed ``<prefix>-<random>.<type>``."""
    uploads = [u for u in uploads or [] if u]
    if len(uploads) > settings.UPLOAD_MAX_FILES:
        raise ComplaintError(
            gettext_noop("Paling banyak %(n)s berkas bukti.")
            if field == "evidence"
            else gettext_noop("Paling banyak %(n)s berkas lampiran."),
            "too_many_files",
            field,
            422,
            {"n": settings.UPLOAD_MAX_FILES},
        )
    cleaned = []
    for upload in uploads:
        try:
            clean = files.clean_upload(upload)
        except files.FileRejected as exc:
            name = getattr(upload, "name", "") or _("berkas")
            raise ComplaintError(f"{name}: {exc}", exc.code, field, 422) from None
        # A file's own name often names its owner ("KTP Siti Aminah 3404….jpg"), and an *anonim*
        # complaint collects no name at all. (On a *rahasia* case, staff who may not open its files see
        # only how many there are: ``selectors.may_open_evidence``.) The file keeps only its checked type.
        clean.filename = f"{prefix}-{secrets.token_hex(4)}{files.EXTENSIONS[clean.content_type]}"
        cleaned.append(clean)
    return cleaned


def clean_attachments(uploads) -> list[files.CleanFile]:
    """:func:`clean_files` for the files an officer attaches to an answer (field ``attachments``)."""
    return clean_files(uploads, field="attachments", prefix="lampiran")


def _store_all(clean: list[files.CleanFile], stored: list):
    for cf in clean:
        stored.append(files.store(cf, encrypt=True))
    return stored


def _new_code() -> str:
    return rules.new_tracking_code()


def _create_with_code(complaint: Complaint) -> Complaint:
    for _attempt in range(5):
        complaint.tracking_code = _new_code()
        try:
            with transaction.atomic():
                complaint.save()
            return complaint
        except IntegrityError:
            if Complaint.objects.filter(tracking_code=complaint.tracking_code).exists():
                continue
            raise
    raise RuntimeError("could not allocate a unique tracking code")  # pragma: no cover


def contact_key(kind: str, value: str) -> str:
    """The keyed hash under which a complaint can be found by its complainant's e-mail address (``kind``
    ``"email"``, compared without case) or mobile number (``"phone"``, however it was written): empty when
    ``value`` is no such contact. An HMAC under ``AMANAH_HASH_KEY``: a stolen database alone does not let
    anyone test a guessed address."""
    if kind == "email":
        value = (value or "").strip().lower()
        value = value if "@" in value else ""
    else:
        value = core_rules.mobile_number(value or "") or ""
    return crypto.keyed_hash(value, f"complaint-contact:{kind}")[:32] if value else ""


def set_contact_keys(complaint) -> None:
    complaint.email_key = contact_key("email", complaint.email)
    complaint.phone_key = contact_key("phone", complaint.phone)


def submission_key(*parts) -> str:
    """The stored form of a one-time submission key: SHA-256 over ``parts``, which name who sent it and
    how (``"web"`` and the form's token; ``"api"``, the ``Idempotency-Key`` and the request's content),
    so neither the key nor what it was sent with is kept."""
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def content_fingerprint(data: dict, evidence: list[files.CleanFile]) -> str:
    """What a submission said, for :func:`submission_key`: a client that reuses an ``Idempotency-Key``
    with other content files a new complaint rather than getting back someone else's answer."""
    # The files count by their cleaned content (their stored names are made up afresh each time).
    parts = [f"{k}={getattr(v, 'pk', v)}" for k, v in sorted(data.items()) if k != "evidence"]
    parts += [hashlib.sha256(f.data).hexdigest() for f in evidence]
    return submission_key(*parts)


def _submitted(key: str, since: dt.datetime | None = None) -> Complaint | None:
    """The complaint already filed with ``key`` (received at ``since`` or later, when given)."""
    earlier = Complaint.objects.filter(submission_key=key).first() if key else None
    if earlier is None or (since is not None and earlier.received_at < since):
        return None
    earlier.replayed = True
    return earlier


@in_site_language
def submit(
    actor,
    data: dict,
    evidence: list[files.CleanFile] | None = None,
    *,
    channel: str = Channel.WEB,
    received_at: dt.datetime | None = None,
    key: str = "",
    open311_key: Open311Key | None = None,
) -> Complaint:
    """File a complaint. ``data`` holds already-resolved values: ``service`` (Service or None),
    ``agency`` (Agency), ``kind``, ``title``, ``description``, ``incident_date``, ``incident_place``,
    ``loss``, ``remedy``, ``identity_mode``, ``name``, ``email``, ``phone``, ``publish``, and optionally
    ``latitude``/``longitude``. Public channels (``web``, ``api``) need no account; assisted channels
    need an operator or complaint manager of the agency and may give a past ``received_at``.

    The complaint and its evidence are saved together or not at all. ``key`` (from :func:`submission_key`)
    makes the submission idempotent: when a complaint was already filed with it, that complaint is
    returned, with ``replayed`` set, and nothing is written — also when both copies arrive at once. On the
    public channels a key holds for ``SUBMISSION_REPLAY_SECONDS`` (a day); after that the same key files
    anew and the old complaint lets go of it. ``open311_key`` is the Open311 integration that filed it
    (kept on the complaint and named in the audit entry).
    """
    service = data.get("service")
    agency = service.unit.agency if service is not None else data.get("agency")
    if agency is None:
        raise ComplaintError(
            _("Pilih layanan atau instansi yang diadukan."), "required", "service", 422
        )
    unit = service.unit if service is not None else None
    assisted = channel in rules.ASSISTED_CHANNELS
    now = timezone.now()
    if channel not in rules.CHANNELS:
        raise ComplaintError(_("Saluran tidak dikenal."), "invalid_channel", "channel", 422)
    if assisted:
        permissions.require(actor, rules.INTAKE_ROLES, agency=agency, unit=unit)
        received_at = received_at or now
        if received_at.year < EARLIEST_RECEIVED_YEAR:
            raise ComplaintError(too_old_message(), "too_old", "received_at", 422)
        if received_at > now + dt.timedelta(minutes=1):
            raise ComplaintError(
                _("Waktu diterima tidak boleh di masa depan."), "future", "received_at", 422
            )
    else:
        received_at = now
    # An officer's key is theirs alone (it names them); a public one is replayed for a day only.
    since = None if assisted else now - dt.timedelta(seconds=settings.SUBMISSION_REPLAY_SECONDS)
    earlier = _submitted(key, since)
    if earlier is not None:
        return earlier
    mode = data.get("identity_mode") or IdentityMode.BIASA
    if mode not in rules.IDENTITY_MODES:
        raise ComplaintError(
            _("Pilihan identitas tidak dikenal."), "invalid_identity_mode", "identity_mode", 422
        )
    kind = data.get("kind") or "pengaduan"
    if kind not in rules.KINDS:
        raise ComplaintError(_("Jenis laporan tidak dikenal."), "invalid_kind", "kind", 422)
    identity = {"name": "", "email": "", "phone": ""}
    if mode != IdentityMode.ANONIM:  # anonim: nothing is collected, whatever was sent
        identity = {k: (data.get(k) or "").strip() for k in identity}
        if not identity["name"]:
            raise ComplaintError(
                _(
                    "Nama wajib diisi untuk identitas biasa atau rahasia. Pilih anonim bila tidak ingin memberi nama."
                ),
                "required",
                "name",
                422,
            )
    cfg = config(agency)
    cal = Calendar(agency)
    received_on = cal.local_date(received_at)
    incident_date = data.get("incident_date")
    if incident_date and incident_date > received_on:
        raise ComplaintError(
            _("Tanggal kejadian tidak boleh setelah tanggal pengaduan."),
            "future",
            "incident_date",
            422,
        )
    complaint = Complaint(
        agency=agency,
        unit=unit,
        service=service,
        kind=kind,
        channel=channel,
        status=Status.RECEIVED,
        identity_mode=mode,
        title=_clean_text(data.get("title"), "title", 200, required=True),
        description=_clean_text(data.get("description"), "description", 5000, required=True),
        incident_date=incident_date,
        incident_place=_clean_text(data.get("incident_place"), "incident_place", 200),
        loss=_clean_text(data.get("loss"), "loss", 2000),
        remedy=_clean_text(data.get("remedy"), "remedy", 2000),
        media_url=data.get("media_url") or "",
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        publish_requested=bool(data.get("publish")) and mode != IdentityMode.RAHASIA,
        late_filing=rules.late_filing(incident_date, received_on, cfg),
        received_at=received_at,
        entered_by=actor if assisted else None,
        open311_key=open311_key,
        submission_key=key,
        **{k: _clean_text(v, k, 200) for k, v in identity.items()},
    )
    set_contact_keys(complaint)
    complaint.verification_due = rules.verification_due(
        received_on, counting(complaint, "verification_due", cal), cfg
    )
    # A top-level intake saves without a savepoint and retries the whole transaction in the (vanishingly
    # rare) case of a tracking-code collision: two round trips fewer on every complaint.
    nested = transaction.get_connection().in_atomic_block
    for _attempt in range(5):
        stored: list = []
        try:
            with transaction.atomic():
                # The task rows (rollup sync, acknowledgement e-mail) are written together at the end of
                # this block.
                with queue.batch():
                    if nested:
                        _create_with_code(complaint)
                    else:
                        complaint.tracking_code = _new_code()
                        rows.insert(complaint)
                    for sf in _store_all(evidence or [], stored):
                        Evidence.objects.create(
                            complaint=complaint, file=sf, added_by_citizen=not assisted
                        )
                    _event(
                        complaint,
                        EventKind.STATUS,
                        action="submit",
                        actor=actor if assisted else None,
                        role=rules.OPERATOR if assisted else rules.CITIZEN,
                        status_to=complaint.status,
                        text=said(
                            gettext_noop("Pengaduan diterima melalui %(channel)s."),
                            {"channel": complaint.get_channel_display()},
                        ),
                    )
                    _mail_complainant(
                        complaint,
                        _("Pengaduan Anda diterima: %(code)s") % {"code": complaint.tracking_code},
                        _(
                            'Terima kasih. Pengaduan "%(title)s" sudah kami terima dan akan diverifikasi paling lambat '
                            "%(due)s."
                        )
                        % {"title": complaint.title, "due": day(complaint.verification_due)},
                    )
                # Last, so that the chain's head row stays locked only until the commit.
                audit.record(
                    actor if assisted else PUBLIC,
                    "complaints.submit",
                    complaint,
                    {
                        "channel": channel,
                        "kind": kind,
                        "identity_mode": mode,
                        "evidence": len(stored),
                        "late_filing": complaint.late_filing,
                        **(
                            {"open311_key": open311_key.pk, "open311_integration": open311_key.name}
                            if open311_key is not None
                            else {}
                        ),
                    },
                    agency_id=agency.pk,
                )
        except IntegrityError:
            files.discard(stored)
            code, complaint.pk = complaint.tracking_code, None
            complaint._state.adding = True
            # The same submission, sent twice at once: the other copy committed first.
            earlier = _submitted(key, since)
            if earlier is not None:
                return earlier
            if since is not None and (
                Complaint.objects.filter(submission_key=key, received_at__lt=since).update(
                    submission_key=""
                )
            ):
                continue  # the key of an earlier day, now released
            if nested or not Complaint.objects.filter(tracking_code=code).exists():
                raise
            continue
        except BaseException:
            files.discard(stored)
            raise
        return complaint
    raise RuntimeError("could not allocate a unique tracking code")  # pragma: no cover


# --- Staff transitions -----------------------------------------------------------------------------


@in_site_language
def verify(
    actor, complaint, *, unit: Unit | None = None, tier: str | None = None, note: str = ""
) -> Complaint:
    """Verifikasi: the case is in order and goes to a handling unit, which then has 5 working days
    for its first response and the tier's working days to resolve."""
    with transaction.atomic():
        c = _locked(complaint)
        role = _staff_role(actor, "verify", c)
        rules.check_transition("verify", c.status)
        unit = unit or c.unit
        if unit is None:
            raise ComplaintError(_("Pilih unit yang akan menangani."), "unit_required", "unit", 422)
        if unit.agency_id != c.agency_id:
            raise ComplaintError(
                _("Unit harus berada di instansi yang menangani."), "unit_agency", "unit", 422
            )
        if not unit.is_active:
            raise ComplaintError(
                _("Unit itu tidak aktif; pilih unit lain."), "inactive_unit", "unit", 422
            )
        cfg = config(c.agency)
        tier = tier or cfg["default_tier"].get(c.kind, "normatif")
        if tier not in cfg["tiers"]:
            raise ComplaintError(
                _("Kategori penyelesaian tidak dikenal."), "invalid_tier", "tier", 422
            )
        cal = Calendar(c.agency)
        today = cal.local_date()
        now = timezone.now()
        c.unit, c.tier = unit, tier
        if c.assignee_id and not _covers(c.assignee, c):
            # Assigned while the case sat at the unit the complainant chose; forwarded elsewhere, the
            # officer can no longer open it, and news and deadline warnings must reach the new unit.
            c.assignee = None
        c.verified_at = c.forwarded_at = now
        c.response_due = rules.response_due(today, counting(c, "response_due", cal), cfg)
        c.resolution_due = rules.resolution_due(
            today, tier, counting(c, "resolution_due", cal), cfg
        )
        _restart_ladder(c, c.response_due, today)
        note = _clean_text(note, "note", 2000)
        _move(
            c,
            "verify",
            actor=actor,
            role=role,
            text=said(
                gettext_noop("Diverifikasi dan diteruskan ke %(unit)s."), {"unit": unit.name}
            ),
            audit_details={"unit": unit.pk, "tier": tier},
        )
        if note:
            _event(
                c, EventKind.NOTE, action="note", actor=actor, role=role, public=False, text=note
            )
        _mail_staff(
            _role_emails(c.agency, [rules.UNIT], unit) + _unit_head_email(unit),
            _("Pengaduan baru untuk unit Anda: %(code)s") % {"code": rules.case_number(c.pk)},
            c,
        )
        _mail_complainant(
            c,
            _("Pengaduan Anda diteruskan ke unit penanganan"),
            _(
                "Pengaduan Anda sudah diverifikasi dan diteruskan ke %(unit)s. Tanggapan pertama paling "
                "lambat %(due)s."
            )
            % {"unit": unit.name, "due": day(c.response_due)},
            sms=False,
        )
    return c


@in_site_language
def request_completion(actor, complaint, *, message: str) -> Complaint:
    """Tunda: ask the complainant to complete the file. The verification clock pauses; the complainant
    has 30 days, after which the case counts as withdrawn."""
    with transaction.atomic():
        c = _locked(complaint)
        role = _staff_role(actor, "request_completion", c)
        rules.check_transition("request_completion", c.status)
        message = _clean_text(message, "message", 2000, required=True)
        cal = Calendar(c.agency)
        today = cal.local_date()
        c.paused_on = today
        c.paused_remaining = cal.between(today, c.verification_due) if c.verification_due else None
        c.completion_due = rules.completion_due(today, config(c.agency))
        _move(c, "request_completion", actor=actor, role=role, text=message)
        _mail_complainant(
            c,
            _("Pengaduan Anda perlu dilengkapi"),
            _(
                "Petugas meminta Anda melengkapi pengaduan:\n\n%(msg)s\n\nLengkapi paling lambat "
                "%(due)s; jika tidak, pengaduan dianggap dicabut."
            )
            % {"msg": message, "due": day(c.completion_due)},
        )
    return c


def _refuse_if_completion_lapsed(complaint):
    """Completing a file after its deadline: the law already counts it as withdrawn, even when the sweep
    has not come round yet. Withdraw it now (its own transaction) and refuse."""
    c = Complaint.objects.select_related("agency").get(pk=complaint.pk)
    if rules.completion_lapsed(c.status, c.completion_due, Calendar(c.agency).local_date()):
        _withdraw(c)
        raise ComplaintError(
            _(
                "Batas waktu melengkapi pengaduan sudah lewat, sehingga pengaduan dianggap dicabut. "
                "Silakan ajukan pengaduan baru."
            ),
            "completion_lapsed",
            None,
            409,
        )


def _fresh(complaint) -> Complaint:
    return Complaint.objects.select_related("agency", "unit", "service").get(pk=complaint.pk)


def _closed_if_auto_close_lapsed(complaint) -> bool:
    """An answered case past its automatic-closure date is closed now (as the sweeper would have done;
    its own transaction) before the complainant's late confirmation or dispute is considered."""
    c = _fresh(complaint)
    if rules.auto_close_lapsed(c.status, c.auto_close_due, Calendar(c.agency).local_date()):
        _auto_close(c)
        return True
    return False


def _resume(c, *, actor, role, text):
    cal = Calendar(c.agency)
    today = cal.local_date()
    remaining = (
        c.paused_remaining
        if c.paused_remaining is not None
        else config(c.agency)["verification_days"]
    )
    c.verification_due = rules.resumed_due(today, remaining, counting(c, "verification_due", cal))
    c.paused_on = c.paused_remaining = c.completion_due = None
    _restart_ladder(c, c.verification_due, today)
    _move(
        c,
        "complete",
        actor=actor,
        role=role,
        text=text,
        audit_details={"verification_due": c.verification_due},
    )


@in_site_language
def complete_for(actor, complaint, *, note: str) -> Complaint:
    """An officer records that the complainant completed the file by another channel (phone, counter);
    the verification clock resumes."""
    _staff_role(actor, "complete", complaint)
    _refuse_if_completion_lapsed(complaint)
    with transaction.atomic():
        c = _locked(complaint)
        role = _staff_role(actor, "complete", c)
        rules.check_transition("complete", c.status)
        note = _clean_text(note, "note", 2000, required=True)
        _resume(c, actor=actor, role=role, text=note)
    return c


@in_site_language
def transfer(actor, complaint, *, agency: Agency, note: str = "") -> Complaint:
    """Bukan wewenang: the matter belongs to another agency. This case closes as transferred and the
    other agency gets its own linked case, with its own tracking code and deadlines from today."""
    with transaction.atomic():
        c = _locked(complaint)
        role = _staff_role(actor, "transfer", c)
        rules.check_transition("transfer", c.status)
        if agency is None or agency.pk == c.agency_id:
            raise ComplaintError(
                _("Pilih instansi lain yang berwenang."), "same_agency", "agency", 422
            )
        if not agency.is_active:
            raise ComplaintError(
                _("Instansi itu tidak aktif di Amanah; pilih instansi lain."),
                "inactive_agency",
                "agency",
                422,
            )
        note = _clean_text(note, "note", 2000)
        cal = Calendar(agency)
        now = timezone.now()
        new = Complaint(
            agency=agency,
            unit=None,
            service=None,
            kind=c.kind,
            channel=c.channel,
            status=Status.RECEIVED,
            identity_mode=c.identity_mode,
            title=c.title,
            description=c.description,
            incident_date=c.incident_date,
            incident_place=c.incident_place,
            loss=c.loss,
            remedy=c.remedy,
            latitude=c.latitude,
            longitude=c.longitude,
            name=c.name,
            email=c.email,
            phone=c.phone,
            publish_requested=c.publish_requested,
            late_filing=c.late_filing,
            received_at=now,
            transferred_from=c,
            # Filed through the same channel and, for Open311, the same integration.
            open311_key_id=c.open311_key_id,
        )
        set_contact_keys(new)
        new.verification_due = rules.verification_due(
            cal.local_date(now), counting(new, "verification_due", cal), config(agency)
        )
        _create_with_code(new)
        # The complaint's evidence goes with it; the first agency's answer letters (files of its own
        # timeline steps) stay with the first case.
        for ev in c.evidence.filter(event__isnull=True):
            Evidence.objects.create(
                complaint=new, file=ev.file, added_by_citizen=ev.added_by_citizen
            )
        _event(
            new,
            EventKind.STATUS,
            action="submit",
            role=rules.SYSTEM,
            status_to=new.status,
            text=said(
                gettext_noop("Dialihkan dari %(agency)s (kode %(code)s)."),
                {"agency": c.agency.name, "code": c.tracking_code},
            ),
        )
        audit.record(
            actor,
            "complaints.submit",
            new,
            {"channel": new.channel, "transferred_from": c.pk},
            agency_id=agency.pk,
        )
        c.close_reason = "dialihkan"
        _move(
            c,
            "transfer",
            actor=actor,
            role=role,
            text=said(
                gettext_noop(
                    "Bukan wewenang instansi ini; dialihkan ke %(agency)s dengan kode lacak baru %(code)s."
                ),
                {"agency": agency.name, "code": new.tracking_code},
            ),
            audit_details={"to_agency": agency.pk, "new_case": new.pk},
        )
        if note:
            _event(
                c, EventKind.NOTE, action="note", actor=actor, role=role, public=False, text=note
            )
        _mail_complainant(
            new,
            _("Pengaduan Anda dialihkan ke %(agency)s") % {"agency": agency.name},
            _(
                "Pengaduan Anda (kode lama %(old)s) bukan wewenang %(from)s dan sudah dialihkan ke "
                "%(agency)s."
            )
            % {"old": c.tracking_code, "from": c.agency.name, "agency": agency.name},
        )
        _mail_staff(
            _role_emails(agency, [rules.MANAGER]),
            _("Pengaduan dialihkan ke instansi Anda: %(code)s")
            % {"code": rules.case_number(new.pk)},
            new,
        )
    c.transferred_to = new
    return c


@in_site_language
def reject(
    actor, complaint, *, reason: str, duplicate_of: Complaint | None = None, note: str = ""
) -> Complaint:
    """Arsipkan: refused with a reason. A duplicate is linked to the original case."""
    with transaction.atomic():
        c = _locked(complaint)
        role = _staff_role(actor, "reject", c)
        rules.check_transition("reject", c.status)
        if reason not in RejectReason.values:
            raise ComplaintError(
                _("Alasan penolakan tidak dikenal."), "invalid_reason", "reason", 422
            )
        note = _clean_text(
            note, "note", 2000, required=reason in (RejectReason.OTHER, RejectReason.UNCLEAR)
        )
        if reason == RejectReason.DUPLICATE:
            if duplicate_of is None:
                raise ComplaintError(
                    _("Sebutkan kode pengaduan asli untuk duplikat."),
                    "required",
                    "duplicate_of",
                    422,
                )
            if not selectors.can_view(actor, duplicate_of):
                # Answered as the pages and the API answer an unknown code: whether a case exists
                # outside the actor's scope is not theirs to learn.
                raise ComplaintError(
                    _("Kode pengaduan asli tidak ditemukan."),
                    "unknown_original",
                    "duplicate_of",
                    422,
                )
            if duplicate_of.pk == c.pk or duplicate_of.agency_id != c.agency_id:
                raise ComplaintError(
                    _("Pengaduan asli harus pengaduan lain di instansi yang sama."),
                    "invalid_duplicate",
                    "duplicate_of",
                    422,
                )
            duplicate_of = Complaint.objects.select_related(
                "duplicate_of__agency", "duplicate_of__unit"
            ).get(pk=duplicate_of.pk)
            if duplicate_of.duplicate_of_id is not None:
                # A duplicate of a duplicate: link to the original (two cases naming each other would
                # both be closed, and the original with them). The original is named by its case
                # number, never by its tracking code (its complainant's key, which this message would
                # carry to the page, the API answer and whatever logs it), and only to an actor who may
                # open that case.
                first = duplicate_of.duplicate_of
                if selectors.can_view(actor, first):
                    raise ComplaintError(
                        gettext_noop(
                            "Pengaduan itu sendiri duplikat dari %(code)s. "
                            "Tautkan ke pengaduan aslinya."
                        ),
                        "duplicate_of_duplicate",
                        "duplicate_of",
                        422,
                        {"code": rules.case_number(first.pk)},
                    )
                raise ComplaintError(
                    gettext_noop(
                        "Pengaduan itu sendiri duplikat dari pengaduan lain yang tidak dapat Anda "
                        "buka. Mintalah petugas yang dapat membukanya untuk menautkan ke pengaduan "
                        "aslinya."
                    ),
                    "duplicate_of_duplicate",
                    "duplicate_of",
                    422,
                )
            c.duplicate_of = duplicate_of
        c.reject_reason, c.close_reason = reason, "ditolak"
        if reason == RejectReason.SPAM:
            # Spam or improper: off the public list, even if publication was approved at receipt.
            c.publish_approved = False
        # The original's tracking code is not named: it is that complainant's key to their case (it would
        # let this one read and answer it). Staff see the link on the case page.
        text = joined(
            said(gettext_noop("Ditolak: %(reason)s."), {"reason": RejectReason(reason).label}), note
        )
        _move(
            c,
            "reject",
            actor=actor,
            role=role,
            text=text,
            audit_details={"reason": reason, "duplicate_of": c.duplicate_of_id},
        )
        _mail_complainant(c, _("Pengaduan Anda tidak dapat ditindaklanjuti"), text)
    return c


@in_site_language
def start(actor, complaint, *, note: str = "") -> Complaint:
    """The handling unit takes the case up: its first response."""
    with transaction.atomic():
        c = _locked(complaint)
        role = _staff_role(actor, "start", c)
        rules.check_transition("start", c.status)
        c.first_response_at = c.first_response_at or timezone.now()
        _restart_ladder(c, c.resolution_due, Calendar(c.agency).local_date())
        note = _clean_text(note, "note", 2000)
        _move(
            c,
            "start",
            actor=actor,
            role=role,
            text=note or said(gettext_noop("Unit mulai menangani pengaduan Anda.")),
        )
        _mail_complainant(
            c,
            _("Pengaduan Anda sedang ditangani"),
            _("%(unit)s mulai menangani pengaduan Anda. Target penyelesaian: %(due)s.")
            % {
                "unit": c.unit.name if c.unit else c.agency.name,
                "due": day(c.resolution_due) if c.resolution_due else "-",
            },
            sms=False,
        )
    return c


def _tier(c: Complaint, cfg: dict) -> str:
    """The case's resolution tier, or the agency's default for its kind when none was chosen."""
    return c.tier or cfg["default_tier"].get(c.kind, "normatif")


@in_site_language
def reassign_unit(actor, complaint, *, unit: Unit, note: str = "") -> Complaint:
    """The complaint manager moves the case to another unit of the agency; that unit's response clock
    starts today."""
    with transaction.atomic():
        c = _locked(complaint)
        role = _staff_role(actor, "reassign_unit", c)
        rules.check_transition("reassign_unit", c.status)
        if unit is None or unit.agency_id != c.agency_id:
            raise ComplaintError(
                _("Unit harus berada di instansi yang menangani."), "unit_agency", "unit", 422
            )
        if not unit.is_active:
            raise ComplaintError(
                _("Unit itu tidak aktif; pilih unit lain."), "inactive_unit", "unit", 422
            )
        if unit.pk == c.unit_id:
            # A "move" to the same unit would only restart its clock and clear its escalation.
            raise ComplaintError(
                _("Pengaduan sudah berada di unit itu; pilih unit lain."), "same_unit", "unit", 422
            )
        cal = Calendar(c.agency)
        cfg = config(c.agency)
        c.unit, c.forwarded_at = unit, timezone.now()
        c.response_due = rules.response_due(cal.local_date(), counting(c, "response_due", cal), cfg)
        # Forwarded again, the case runs on the clocks of a forwarding, as after verification: its
        # resolution is counted by its tier from today, or the new unit would take up a case whose
        # resolution date had passed and be escalated at once. (The limits of UU 25/2009, counted from
        # the complete file, do not move: ``selectors.statutory``.)
        c.resolution_due = rules.resolution_due(
            cal.local_date(), _tier(c, cfg), counting(c, "resolution_due", cal), cfg
        )
        c.assignee = None
        # Forwarded or in progress, the case goes back to FORWARDED on the new unit's response date (a
        # fresh clock): the ladder starts again from the bottom, so that the new unit's head is told
        # first when the new unit is late in turn.
        _restart_ladder(c, c.response_due, cal.local_date())
        _move(
            c,
            "reassign_unit",
            actor=actor,
            role=role,
            text=said(gettext_noop("Diteruskan ke %(unit)s."), {"unit": unit.name}),
            audit_details={"unit": unit.pk},
        )
        if note:
            _event(
                c,
                EventKind.NOTE,
                action="note",
                actor=actor,
                role=role,
                public=False,
                text=_clean_text(note, "note", 2000),
            )
        _mail_staff(
            _role_emails(c.agency, [rules.UNIT], unit) + _unit_head_email(unit),
            _("Pengaduan baru untuk unit Anda: %(code)s") % {"code": rules.case_number(c.pk)},
            c,
        )
        _mail_complainant(
            c,
            _("Pengaduan Anda dialihkan ke unit lain"),
            _(
                "Pengelola pengaduan mengalihkan pengaduan Anda ke %(unit)s. Tanggapan pertama paling "
                "lambat %(due)s."
            )
            % {"unit": unit.name, "due": day(c.response_due)},
            sms=False,
        )
    return c


@in_site_language
def answer(
    actor, complaint, *, text: str, attachments: list[files.CleanFile] | None = None
) -> Complaint:
    """The unit answers. Without a reply the case closes itself 10 working days later.

    ``attachments`` (from :func:`clean_attachments`): the official answer letter, a photo of the repair
    and the like. They are stored encrypted with the answer, and the holder of the tracking code may
    download them from the tracking page; the e-mail only says they are there."""
    with files.removed_on_failure() as stored, transaction.atomic():
        c = _locked(complaint)
        role = _staff_role(actor, "answer", c)
        rules.check_transition("answer", c.status)
        text = _clean_text(text, "text", 5000, required=True)
        _store_all(attachments or [], stored)
        cal = Calendar(c.agency)
        now = timezone.now()
        c.first_response_at = c.first_response_at or now
        c.answered_at = now
        c.auto_close_due = rules.auto_close_due(
            cal.local_date(now), counting(c, "auto_close_due", cal), config(c.agency)
        )
        _restart_ladder(c, None, cal.local_date(now))  # answered: the complainant's turn, no clock
        _move(
            c,
            "answer",
            actor=actor,
            role=role,
            text=text,
            event_kind=EventKind.ANSWER,
            attach=stored,
            audit_details={"attachments": len(stored)} if stored else None,
        )
        # The files stay out of the mail: a mailbox is read on shared phones and forwarded; the tracking
        # page, behind the code, hands them out.
        attached = (
            "\n\n"
            + ngettext(
                "Jawaban ini disertai %(n)s lampiran; unduh di halaman lacak.",
                "Jawaban ini disertai %(n)s lampiran; unduh di halaman lacak.",
                len(stored),
            )
            % {"n": len(stored)}
            if stored
            else ""
        )
        _mail_complainant(
            c,
            _("Pengaduan Anda sudah dijawab"),
            _(
                "Jawaban dari %(unit)s:\n\n%(text)s\n\nJika jawaban ini sudah menyelesaikan masalah, konfirmasikan di "
                "halaman lacak; jika belum, sampaikan sanggahan. Jika sampai %(due)s tidak ada tanggapan, pengaduan "
                "ditutup otomatis."
            )
            % {
                "unit": c.unit.name if c.unit else c.agency.name,
                "text": text,
                "due": day(c.auto_close_due),
            }
            + attached,
        )
    return c


@in_site_language
def escalate(
    actor,
    complaint,
    *,
    level: int | None = None,
    reason: str = "",
    told: set[str] | None = None,
) -> Complaint:
    """Raise the case one level up the ladder (unit head → complaint manager → inspectorate) and tell
    the people at that level; when the level has nobody to tell, the agency's leadership or else the
    platform's administrators (:func:`_escalation_recipients`), with a warning in the log. The audit
    entry records how many addresses were mailed (``notified``). ``actor=None`` is the sweeper.

    ``told``: the addresses (casefolded) already mailed about this lateness, which this step leaves out
    and adds its own to: a sweep that climbs several levels at once (a case found days late after the
    worker was down) mails the officer on the case, and a fallback that stands in for more than one
    level, once, not once per level in the same minute."""
    with transaction.atomic():
        c = _locked(complaint)
        role = rules.SYSTEM if actor is None else _staff_role(actor, "escalate", c)
        rules.check_transition("escalate", c.status)
        level = min(
            level if level is not None else c.escalation_level + 1, max(rules.ESCALATION_TARGETS)
        )
        if level <= c.escalation_level:
            raise ComplaintError(
                _("Pengaduan sudah dieskalasi ke tingkat ini."), "already_escalated"
            )
        if level == 1 and (c.unit is None or c.forwarded_at is None):
            # No handling unit yet (verification is late, which is the front office's work, or the case
            # waits for completion): straight to the complaint manager. The service's unit is only the
            # complainant's guess, and its head could not act on the case anyway.
            level = 2
        c.escalation_level = level
        target = rules.ESCALATION_TARGETS[level]
        labels = {
            "kepala_unit": _("kepala unit penanganan"),
            rules.MANAGER: _("pengelola pengaduan instansi"),
            rules.INSPECTORATE: _("inspektorat"),
        }
        reason = _clean_text(reason, "reason", 1000)
        recipients, reached = _escalation_recipients(c, target)
        if reached != target:
            log.warning(
                "Complaint %s (agency %s) escalated to level %s: nobody to tell at that level (%s); %s",
                c.pk,
                c.agency.code,
                level,
                target,
                f"told {reached} instead" if reached else "nobody above the case was told",
            )
        recipients = sorted({*recipients, *_assignee(c)})  # the officer on the case hears of it too
        if told is not None:
            recipients = [r for r in recipients if r.strip().casefold() not in told]
            told.update(r.strip().casefold() for r in recipients)
        details = {"level": level, "notified": len(recipients)}
        if reached and reached != target:
            details["fallback"] = reached
        _move(
            c,
            "escalate",
            actor=actor,
            role=role,
            event_kind=EventKind.ESCALATION,
            text=said(
                gettext_noop("Tenggat terlewati; pengaduan dieskalasi ke %(target)s.")
                if actor is None
                else gettext_noop("Pengaduan dieskalasi ke %(target)s."),
                {"target": labels[target]},
            ),
            audit_details=details,
        )
        if reason:
            _event(
                c, EventKind.NOTE, action="note", actor=actor, role=role, public=False, text=reason
            )
        if actor is None:
            subject = _("Eskalasi pengaduan terlambat: %(code)s") % {
                "code": rules.case_number(c.pk)
            }
            lead = _("Pengaduan berikut melewati tenggat dan dieskalasi kepada Anda.")
        else:
            subject = _("Pengaduan dieskalasi kepada Anda: %(code)s") % {
                "code": rules.case_number(c.pk)
            }
            lead = _("Pengelola pengaduan mengeskalasi pengaduan berikut kepada Anda.")
            if reason:
                lead += "\n" + _("Alasan: %(reason)s") % {"reason": " ".join(reason.split())}
        _mail_staff(recipients, subject, c, lead, warn=False)
    return c


@in_site_language
def refer(actor, complaint, *, note: str = "") -> Complaint:
    """Referral to the Ombudsman RI (maladministration); the case leaves the agency."""
    with transaction.atomic():
        c = _locked(complaint)
        role = _staff_role(actor, "refer", c)
        rules.check_transition("refer", c.status)
        note = _clean_text(note, "note", 2000)
        c.close_reason = "dirujuk"
        _move(
            c,
            "refer",
            actor=actor,
            role=role,
            text=joined(
                said(gettext_noop("Pengaduan dirujuk ke Ombudsman Republik Indonesia.")), note
            ),
        )
        _mail_complainant(
            c,
            _("Pengaduan Anda dirujuk ke Ombudsman RI"),
            _(
                "Pengaduan Anda dirujuk ke Ombudsman Republik Indonesia untuk ditangani lebih lanjut."
            ),
        )
    return c


@in_site_language
def assign(actor, complaint, *, user: User) -> Complaint:
    """Give the case to one officer (who is told by e-mail)."""
    with transaction.atomic():
        c = _locked(complaint)
        role = _staff_role(actor, "assign", c)
        rules.check_transition("assign", c.status)
        if user is None or not _covers(user, c):
            # Before forwarding only the front office (operator, complaint manager) can move the case on.
            raise ComplaintError(
                _("Petugas itu tidak menangani pengaduan di unit ini."),
                "invalid_assignee",
                "user",
                422,
            )
        if c.assignee_id == user.pk:
            return c  # already this officer's: no second e-mail, audit entry or timeline event
        c.assignee = user
        c.save()
        _event(
            c,
            EventKind.ASSIGNMENT,
            action="assign",
            actor=actor,
            role=role,
            public=False,
            text=said(gettext_noop("Ditugaskan kepada %(name)s."), {"name": user.get_full_name()}),
        )
        audit.record(actor, "complaints.assign", c, {"assignee": user.pk}, agency_id=c.agency_id)
        _mail_staff(
            [user.email],
            _("Pengaduan ditugaskan kepada Anda: %(code)s") % {"code": rules.case_number(c.pk)},
            c,
        )
    return c


@in_site_language
def add_note(actor, complaint, *, text: str) -> ComplaintEvent:
    """An internal note, never shown to the complainant."""
    with transaction.atomic():
        c = _locked(complaint)
        role = _staff_role(actor, "note", c)
        text = _clean_text(text, "text", 5000, required=True)
        ev = _event(
            c, EventKind.NOTE, action="note", actor=actor, role=role, public=False, text=text
        )
        audit.record(actor, "complaints.note", c, {"event": ev.pk}, agency_id=c.agency_id)
    return ev


@in_site_language
def set_publication(actor, complaint, *, approve: bool) -> Complaint:
    """Approve (or withdraw) publication on the public list. Only when the complainant opted in, and
    never for a *rahasia* complaint."""
    with transaction.atomic():
        c = _locked(complaint)
        _staff_role(actor, "publish", c)
        if approve and (not c.publish_requested or c.identity_mode == IdentityMode.RAHASIA):
            raise ComplaintError(
                _("Pengadu tidak meminta pengaduan ini dipublikasikan."), "not_requested"
            )
        if approve and c.reject_reason == RejectReason.SPAM:
            raise ComplaintError(
                _("Pengaduan yang ditolak sebagai spam atau tidak patut tidak dipublikasikan."),
                "rejected_as_spam",
            )
        c.publish_approved = bool(approve)
        c.save()
        audit.record(
            actor, "complaints.publish", c, {"approved": c.publish_approved}, agency_id=c.agency_id
        )
    return c


@in_site_language
def save_template(actor, agency, *, title: str, body: str) -> AnswerTemplate:
    permissions.require(actor, [rules.MANAGER], agency=agency)
    with transaction.atomic():
        t = AnswerTemplate.objects.create(
            agency=agency,
            title=_clean_text(title, "title", 120, required=True),
            body=_clean_text(body, "body", 5000, required=True),
        )
        audit.record(actor, "complaints.template_saved", t, {}, agency_id=agency.pk)
    return t


@in_site_language
def update_template(actor, template: AnswerTemplate, *, title: str, body: str) -> AnswerTemplate:
    """Change an answer template's title and text. Answers already sent keep their own text."""
    permissions.require(actor, [rules.MANAGER], agency=template.agency_id)
    title = _clean_text(title, "title", 120, required=True)
    body = _clean_text(body, "body", 5000, required=True)
    with transaction.atomic():
        t = AnswerTemplate.objects.select_for_update().get(pk=template.pk)
        changed = [f for f, v in (("title", title), ("body", body)) if getattr(t, f) != v]
        t.title, t.body = title, body
        t.save()
        audit.record(
            actor,
            "complaints.template_updated",
            t,
            {"changed": changed},
            agency_id=t.agency_id,
        )
    return t


@in_site_language
def delete_template(actor, template: AnswerTemplate) -> None:
    """Remove an answer template. Answers already sent store their own text, so none changes."""
    permissions.require(actor, [rules.MANAGER], agency=template.agency_id)
    with transaction.atomic():
        t = AnswerTemplate.objects.select_for_update().filter(pk=template.pk).first()
        if t is None:  # removed meanwhile (another tab): nothing left to do
            return
        audit.record(
            actor, "complaints.template_deleted", t, {"title": t.title}, agency_id=t.agency_id
        )
        t.delete()


# --- Citizen actions (by tracking code) --------------------------------------------------------------


def reply_key(complaint, token: str, text: str, evidence: list[files.CleanFile]) -> str:
    """The stored key of a reply sent with the one-time ``token`` (the tracking page's, or an API
    client's ``Idempotency-Key``): bound to the case and to what the reply says, so that the same token
    with other words or files is another reply. "" without a token."""
    if not token:
        return ""
    fingerprint = submission_key(text, *(hashlib.sha256(f.data).hexdigest() for f in evidence))
    return submission_key("reply", complaint.pk, token, fingerprint)


@in_site_language
def reply(
    complaint, *, text: str, evidence: list[files.CleanFile] | None = None, key: str = ""
) -> Complaint:
    """The complainant adds information. When the file was waiting for completion, this completes it
    and the verification clock resumes. Once the case is answered the person confirms or disputes the
    answer instead (see the transition table).

    ``key`` (from :func:`reply_key`): a reply already stored with it — a double tap, a retry after a
    dropped connection, the second copy waiting on the first's lock — is not stored again; the case is
    returned with ``replayed`` set."""
    _refuse_if_completion_lapsed(complaint)
    with files.removed_on_failure() as stored, transaction.atomic():
        c = _locked(complaint)
        if key and c.events.filter(action="reply", submission_key=key).exists():
            c.replayed = True
            return c
        rules.check_transition("reply", c.status)
        text = _clean_text(text, "text", 5000, required=not evidence)
        for sf in _store_all(evidence or [], stored):
            Evidence.objects.create(complaint=c, file=sf, added_by_citizen=True)
        _event(
            c, EventKind.MESSAGE, action="reply", role=rules.CITIZEN, text=text, submission_key=key
        )
        audit.record(
            PUBLIC, "complaints.reply", c, {"evidence": len(stored)}, agency_id=c.agency_id
        )
        if c.status == Status.INCOMPLETE:
            _resume(
                c,
                actor=PUBLIC,
                role=rules.CITIZEN,
                text=said(gettext_noop("Pengadu melengkapi pengaduan; verifikasi dilanjutkan.")),
            )
            # The verification clock runs again, perhaps with a day left: the verifiers must know.
            _mail_staff(
                _assignee(c) or _verifiers(c),
                _("Pengaduan sudah dilengkapi: %(code)s") % {"code": rules.case_number(c.pk)},
                c,
                _("Pengadu melengkapi pengaduan berikut; verifikasi dilanjutkan."),
            )
        else:
            handled = c.unit_id and c.status != Status.RECEIVED
            _mail_staff(
                _assignee(c) or (_unit_people(c) if handled else _verifiers(c)),
                _("Tanggapan baru dari pengadu: %(code)s") % {"code": rules.case_number(c.pk)},
                c,
            )
    return c


def _survey_link(complaint) -> str | None:
    if complaint.unit_id is None:
        return None
    try:
        from amanah.surveys.selectors import survey_url
    except ImportError:
        return None
    try:
        # The service complained about, when it is the handling unit's own; otherwise the unit-wide one.
        service = (
            complaint.service
            if complaint.service and complaint.service.unit_id == complaint.unit_id
            else None
        )
        path = survey_url(complaint.unit, service)
    except Exception:  # the survey app must never block closing a complaint
        log.exception("survey_url failed")
        return None
    if not path:
        return None
    return path if path.startswith("http") else f"{settings.SITE_URL}{path}"


def closing_message(complaint) -> str:
    link = _survey_link(complaint)
    return joined(
        said(
            gettext_noop(
                "Pengaduan ini selesai. Terima kasih telah membantu memperbaiki pelayanan publik."
            )
        ),
        said(
            gettext_noop(
                "Bantu kami menilai layanan %(unit)s melalui survei kepuasan masyarakat: %(url)s"
            ),
            {"unit": complaint.unit.name, "url": link},
        )
        if link
        else "",
    )


def _validate_rating(rating, comment):
    if rating is not None:
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            raise ComplaintError(
                _("Nilai harus angka 1 sampai 5."), "invalid_rating", "rating", 422
            )
    return rating, _clean_text(comment, "comment", 2000)


@in_site_language
def confirm(complaint, *, rating: int | None = None, comment: str = "") -> Complaint:
    """The complainant accepts the answer: the case closes (and may be rated at once). After the
    automatic-closure date the case closes as it would have then (automatically), and the rating is
    still taken."""
    rating, comment = _validate_rating(rating, comment)
    lapsed = _closed_if_auto_close_lapsed(complaint)
    with transaction.atomic():
        c = _locked(complaint)
        # Closed automatically (just now, or earlier by the sweeper) and not yet rated: the late
        # confirmation is taken as such, whether or not the sweeper came round first.
        if lapsed or (_auto_closed(c) and c.rating is None):
            if rating:
                return rate(c, rating=rating, comment=comment)
            if comment:
                return _keep_comment(c, comment)
            return c
        rules.check_transition("confirm", c.status)
        c.close_reason = "dikonfirmasi"
        if rating:
            c.rating = rating
        if comment:  # a comment sent without a rating is kept too (a rating may follow)
            c.rating_comment = comment
        _move(
            c,
            "confirm",
            actor=PUBLIC,
            role=rules.CITIZEN,
            text=closing_message(c),
            audit_details={"rating": rating},
        )
        _mail_complainant(c, _("Pengaduan Anda selesai"), closing_message(c))
    return c


@in_site_language
def dispute(complaint, *, reason: str) -> Complaint:
    """The complainant disputes the answer: the case reopens and the unit has the tier's working days
    again. Not after the automatic-closure date: the answer then counts as accepted."""
    if _closed_if_auto_close_lapsed(complaint):
        raise _auto_closed_error()
    with transaction.atomic():
        c = _locked(complaint)
        if _auto_closed(c):  # closed by the sweeper before the dispute arrived
            raise _auto_closed_error()
        rules.check_transition("dispute", c.status)
        reason = _clean_text(reason, "reason", 5000, required=True)
        cal = Calendar(c.agency)
        cfg = config(c.agency)
        c.resolution_due = rules.resolution_due(
            cal.local_date(), _tier(c, cfg), counting(c, "resolution_due", cal), cfg
        )
        c.auto_close_due = None
        _restart_ladder(c, c.resolution_due, cal.local_date())
        _move(
            c,
            "dispute",
            actor=PUBLIC,
            role=rules.CITIZEN,
            text=reason,
            event_kind=EventKind.MESSAGE,
        )
        _mail_staff(
            _assignee(c) + _unit_people(c),
            _("Pengadu menyanggah jawaban: %(code)s") % {"code": rules.case_number(c.pk)},
            c,
        )
    return c


def _auto_closed(c) -> bool:
    """The case closed automatically (no reply by its automatic-closure date)."""
    return c.status == Status.CLOSED and c.close_reason == "otomatis"


def _auto_closed_error() -> ComplaintError:
    return ComplaintError(
        _(
            "Jawaban dianggap diterima karena tidak ditanggapi sampai batas waktunya, sehingga "
            "pengaduan ditutup otomatis. Anda masih dapat memberi penilaian, atau ajukan pengaduan "
            "baru bila masalahnya belum selesai."
        ),
        "auto_closed",
        None,
        409,
    )


def _keep_comment(complaint, comment: str) -> Complaint:
    """The comment of a late confirmation without a rating, on the case that closed automatically."""
    with transaction.atomic():
        c = _locked(complaint)
        c.rating_comment = comment
        c.save(update_fields=["rating_comment"])
        audit.record(PUBLIC, "complaints.comment", c, {}, agency_id=c.agency_id)
    return c


@in_site_language
def rate(complaint, *, rating, comment: str = "") -> Complaint:
    """The complainant rates the answer of a closed case (once)."""
    rating, comment = _validate_rating(rating, comment)
    if rating is None:
        raise ComplaintError(_("Pilih nilai 1 sampai 5."), "required", "rating", 422)
    # A case past its automatic-closure date counts as closed, whether or not the sweeper came round.
    _closed_if_auto_close_lapsed(complaint)
    with transaction.atomic():
        c = _locked(complaint)
        rules.check_transition("rate", c.status)
        if c.rating is not None:
            raise ComplaintError(_("Pengaduan ini sudah dinilai."), "already_rated")
        c.rating, c.rating_comment = rating, comment or c.rating_comment
        c.save()
        _event(c, EventKind.RATING, action="rate", role=rules.CITIZEN, text=f"{rating}/5")
        audit.record(PUBLIC, "complaints.rate", c, {"rating": rating}, agency_id=c.agency_id)
    return c


# --- The sweeper ---------------------------------------------------------------------------------------


@in_site_language
def sweep(today: dt.date | None = None) -> dict:
    """Deadline sweep (run by the periodic task or ``amanah manage complaints_sweep``):

    * answered cases with no reply 10 working days after the answer close automatically;
    * incomplete cases not completed within 30 days count as withdrawn;
    * cases whose stage is due within ``due_soon_days`` working days warn the handlers once;
    * overdue cases climb the escalation ladder (unit head, complaint manager, inspectorate).
    """
    counts = {"auto_closed": 0, "withdrawn": 0, "due_soon": 0, "escalated": 0, "failed": 0}
    calendars: dict[int, Calendar] = {}
    qs = _sweep_candidates(today, calendars)
    for pk, agency_id in qs.values_list("pk", "agency_id").iterator(chunk_size=2000):
        try:
            action = _sweep_one(pk, today, calendars)
        except (rules.TransitionError, ComplaintError):
            continue  # changed by someone else meanwhile
        except Exception:  # one broken case (or agency) must not stop the sweep of all the others
            log.exception("Deadline sweep failed for complaint %s (agency %s)", pk, agency_id)
            counts["failed"] += 1
            continue
        for key, n in action.items():
            counts[key] += n
    return counts


def _sweep_candidates(today: dt.date | None, calendars: dict):
    """The open cases the sweep may have something to do for, chosen in SQL so that a case with nothing
    to do (its deadline weeks away) costs no locked transaction; :func:`_sweep_one` then decides on each
    locked row as before. A superset of the cases :func:`_sweep_one` acts on, whatever an agency's time
    zone, calendar or options:

    * answered cases whose automatic-closure date, and incomplete cases whose completion date, is before
      the latest local today (that of the easternmost time zone, when ``today`` is not given);
    * cases overdue on their stage's due date (before the latest today) not yet at the top of the ladder;
    * cases whose stage is due from the earliest local today (westernmost zone) up to the agency's
      due-soon horizon, ``due_soon_days`` working days counted on its calendar from the latest today,
      and not yet warned for that date. Agencies with the same horizon share one condition; an agency
      whose horizon cannot be computed has all its cases looked at (and the failure is logged there)."""
    latest = today or calendar.latest_local_date()
    earliest = today or calendar.earliest_local_date()
    top = max(rules.ESCALATION_TARGETS)
    open_cases = Complaint.objects.filter(status__in=list(rules.OPEN_STATUSES))
    staged = {status: field for status, field in rules.STAGE_DUE_FIELD.items() if field}
    wanted = Q(status=rules.ANSWERED, auto_close_due__lt=latest) | Q(
        status=rules.INCOMPLETE, completion_due__lt=latest
    )
    horizons: dict[dt.date | None, list[int]] = {}
    agencies = Agency.objects.filter(
        pk__in=open_cases.filter(status__in=list(staged)).values("agency_id")
    )
    for agency in agencies:
        try:
            cal = calendars.get(agency.pk)
            if cal is None:
                cal = calendars[agency.pk] = Calendar(agency)
            # Due within ``due_soon_days`` working days of the latest today: before the next one.
            horizon = cal.add(latest, config(agency)["due_soon_days"] + 1)
        except Exception:  # one agency's broken calendar or options must not stop the others
            log.exception("Deadline sweep: no due-soon horizon for agency %s", agency.code)
            horizon = None  # every open case of the agency is looked at
        horizons.setdefault(horizon, []).append(agency.pk)
    for status, field in staged.items():
        wanted |= Q(status=status, escalation_level__lt=top, **{f"{field}__lt": latest})
        not_warned = Q(due_soon_notified__isnull=True) | ~Q(due_soon_notified=F(field))
        for horizon, agency_ids in horizons.items():
            if horizon is None:
                wanted |= Q(status=status, agency_id__in=agency_ids)
            else:
                wanted |= (
                    Q(status=status, agency_id__in=agency_ids)
                    & Q(**{f"{field}__gte": earliest, f"{field}__lt": horizon})
                    & not_warned
                )
    return open_cases.filter(wanted)


def _sweep_one(pk: int, today: dt.date | None, calendars: dict) -> dict:
    """Decide and act on one case in one transaction, on the row as it is once locked: a sweep that
    overlaps another, or a staff action taken since the list was read, sees the case's current status,
    deadline, warning and escalation level, so nobody is warned or escalated twice or for a stage the
    case has already left."""
    with transaction.atomic():
        c = _locked(Complaint(pk=pk))
        if c.status not in rules.OPEN_STATUSES:
            return {}
        cal = calendars.get(c.agency_id)
        if cal is None:
            cal = calendars[c.agency_id] = Calendar(c.agency)
        local_today = today or cal.local_date()
        cfg = config(c.agency)
        if rules.auto_close_lapsed(c.status, c.auto_close_due, local_today):
            _auto_close(c)
            return {"auto_closed": 1}
        if rules.completion_lapsed(c.status, c.completion_due, local_today):
            _withdraw(c)
            return {"withdrawn": 1}
        due = c.stage_due
        if due is None:
            return {}
        if local_today > due:
            level = rules.escalation_level(cal.between(due, local_today), cfg["escalation_ladder"])
            steps, told = 0, set()
            while level > c.escalation_level:  # one step at a time, so each level is told
                c = escalate(None, c, level=c.escalation_level + 1, told=told)
                steps += 1
            return {"escalated": steps}
        if c.due_soon_notified != due and cal.between(local_today, due) <= cfg["due_soon_days"]:
            _due_soon(c, due)
            return {"due_soon": 1}
        return {}


def _auto_close(complaint):
    with transaction.atomic():
        c = _locked(complaint)
        c.close_reason = "otomatis"
        _move(
            c,
            "auto_close",
            actor=None,
            role=rules.SYSTEM,
            text=joined(
                said(gettext_noop("Ditutup otomatis karena tidak ada tanggapan atas jawaban.")),
                closing_message(c),
            ),
        )
        _mail_complainant(
            c,
            _("Pengaduan Anda ditutup"),
            _("Pengaduan ditutup otomatis karena tidak ada tanggapan atas jawaban.")
            + "\n\n"
            + closing_message(c),
        )


def _withdraw(complaint):
    with transaction.atomic():
        c = _locked(complaint)
        c.close_reason = "tidak_dilengkapi"
        _move(
            c,
            "withdraw_incomplete",
            actor=None,
            role=rules.SYSTEM,
            text=said(
                gettext_noop(
                    "Pengaduan tidak dilengkapi dalam batas waktu sehingga dianggap dicabut."
                )
            ),
        )
        _mail_complainant(
            c,
            _("Pengaduan Anda dianggap dicabut"),
            _(
                "Pengaduan tidak dilengkapi dalam batas waktu sehingga dianggap dicabut. Anda dapat "
                "mengajukan pengaduan baru kapan saja."
            ),
        )


def _due_soon(complaint, due):
    with transaction.atomic():
        c = _locked(complaint)
        c.due_soon_notified = due
        c.save()
        audit.record(SYSTEM, "complaints.due_soon", c, {"due": due}, agency_id=c.agency_id)
        _mail_staff(
            _assignee(c) or (_verifiers(c) if c.status == Status.RECEIVED else _unit_people(c)),
            _("Tenggat pengaduan segera tiba: %(code)s") % {"code": rules.case_number(c.pk)},
            c,
        )


# --- When the calendar changes --------------------------------------------------------------------------


@in_site_language
def recount_deadlines(agency_id: int | None = None) -> int:
    """Count the due dates of open cases again on the calendar as it is now, after a closure was added,
    changed or cancelled (of one agency, or nationally when ``agency_id`` is None). Each due date is
    counted from the day and the number of working days it was first counted with
    (``Complaint.deadline_basis``), so a regional holiday declared after a case was received moves its
    deadline, and the sweeper does not escalate it for a day the office was closed. Returns the number of
    cases whose dates moved; each gets an audit entry with the old and new dates."""
    calendar.CLOSED_DAYS.clear()  # this process may still remember the calendar from before the change
    qs = Complaint.objects.filter(status__in=list(rules.OPEN_STATUSES)).exclude(deadline_basis={})
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    calendars: dict[int, Calendar] = {}
    moved_cases = 0
    for pk in qs.values_list("pk", flat=True).iterator(chunk_size=2000):
        with transaction.atomic():
            c = _locked(Complaint(pk=pk))
            cal = calendars.get(c.agency_id)
            if cal is None:
                cal = calendars[c.agency_id] = Calendar(c.agency)
            moved = {}
            for field, (start, days) in (c.deadline_basis or {}).items():
                current = getattr(c, field, None)
                if current is None:  # that stage is over (or the clock is paused)
                    continue
                due = cal.add(dt.date.fromisoformat(start), days)
                if due != current:
                    moved[field] = {"from": current.isoformat(), "to": due.isoformat()}
                    setattr(c, field, due)
            if moved:
                c.save(update_fields=list(moved))
                audit.record(
                    SYSTEM, "complaints.deadlines_recounted", c, moved, agency_id=c.agency_id
                )
                moved_cases += 1
    return moved_cases


def calendar_changed(sender, instance, **kwargs) -> None:
    """A closure was saved or deleted: recount the open cases it may move, once the change commits, in
    a background task (a national closure touches every agency). The task runs again after the reference
    data memory of the other app servers has expired, for the cases they received meanwhile on the
    calendar they still remembered."""
    from . import tasks

    # A closure moved from one agency to another (or to or from the national calendar) changes both.
    touched = {instance.agency_id, getattr(instance, "_agency_before", instance.agency_id)}
    task = tasks.recount_deadlines
    later = timezone.now() + dt.timedelta(seconds=calendar.CLOSED_DAYS.ttl() + 5)
    for agency_id in [None] if None in touched else sorted(touched):
        queue.after_commit(task, agency_id)
        if task.get_backend().supports_defer:
            queue.after_commit(task.using(run_after=later), agency_id)


def closure_saving(sender, instance, **kwargs) -> None:
    """Before a closure is changed: remember the agency it belonged to (see :func:`calendar_changed`)."""
    if instance.pk is not None:
        instance._agency_before = (
            type(instance)
            .objects.filter(pk=instance.pk)
            .values_list("agency_id", flat=True)
            .first()
        )


def open_evidence(actor, complaint, evidence_id: int, *, read: bool = True):
    """(stored file, bytes) of one evidence file for a staff reader (``selectors.evidence_for_staff``:
    evidence of a *rahasia* case only for its handlers); the download is audited. ``read=False`` (a
    HEAD): the same checks, no bytes (None) and no audit entry."""
    ev = selectors.evidence_for_staff(actor, complaint, evidence_id)
    if ev is None:
        raise ComplaintError(_("Berkas bukti tidak ditemukan."), "not_found", status=404)
    return _opened(actor, complaint, ev, "evidence", read)


def open_attachment(complaint, attachment_id: int, *, read: bool = True):
    """(stored file, bytes) of a file the agency attached to a public step (an answer), for the holder of
    the tracking code; the complainant's own evidence is not handed out this way. The download is
    audited (without anything about who downloaded it); ``read=False`` as for :func:`open_evidence`."""
    ev = selectors.shared_attachment(complaint, attachment_id)
    if ev is None:
        raise ComplaintError(_("Lampiran tidak ditemukan."), "not_found", status=404)
    return _opened(PUBLIC, complaint, ev, "attachment", read)


def _opened(actor, complaint, ev, what: str, read: bool = True):
    """(stored file, bytes) of ``ev``, its reading audited as ``complaints.<what>_opened``; without
    ``read`` (the headers of a download, for a HEAD) nothing is read, so nothing is audited."""
    if not read:
        return ev.file, None
    data = files.read(ev.file)
    audit.record(
        actor, f"complaints.{what}_opened", complaint, {what: ev.pk}, agency_id=complaint.agency_id
    )
    return ev.file, data


def unit_for(agency, ref) -> Unit | None:
    """A unit of ``agency`` by id or code (API helper)."""
    ref = str(ref or "").strip()
    if not ref:
        return None
    qs = Unit.objects.filter(agency=agency, is_active=True)
    return (qs.filter(pk=int(ref)) if ref.isdecimal() else qs.filter(code=ref)).first()


def record_export(actor, *, fmt: str, filters: dict, rows: int) -> None:
    """Audit an export of the inbox (``exports``): who took how many cases out, in which format and with
    which filters (a search's words are not kept, only that there was one)."""
    if not permissions.scopes(actor, rules.VIEW_ROLES):
        raise PermissionDenied
    kept = {k: v for k, v in filters.items() if v not in ("", None, False) and k != "q"}
    if filters.get("q"):
        kept["q"] = True
    for k, v in kept.items():
        if isinstance(v, dt.date):
            kept[k] = v.isoformat()
    with transaction.atomic():
        audit.record(actor, "complaints.export", None, {"format": fmt, "rows": rows, **kept})


# --- A lost tracking code -------------------------------------------------------------------------

#: The most complaints one code reminder lists (newest first).
RESEND_MAX = 10


def _contact(contact: str) -> tuple[str, str]:
    """``(kind, normalised contact)`` of what a person typed to get their codes again: ``("email",
    address in lower case)`` or ``("phone", "+628…")``; raises ``ComplaintError`` on the field
    ``contact`` otherwise (also for a number while no SMS gateway is configured)."""
    contact = (contact or "").strip()
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            pass
        else:
            if contact.isascii():  # look-alike letters fold into others' addresses
                return "email", contact.lower()
    else:
        number = core_rules.mobile_number(contact)
        if number:
            if sms_enabled():
                return "phone", number
            raise ComplaintError(
                _(
                    "Pengiriman kode lewat SMS belum tersedia di instansi ini. Tulis alamat email yang "
                    "Anda isi saat mengadu."
                ),
                "sms_unavailable",
                "contact",
                422,
            )
    raise ComplaintError(
        _("Tulis alamat email atau nomor HP (08…) yang Anda isi saat mengadu.")
        if sms_enabled()
        else _("Tulis alamat email yang Anda isi saat mengadu."),
        "invalid_contact",
        "contact",
        422,
    )


def resend_codes(contact: str) -> None:
    """Ask for the tracking codes of the complaints filed with ``contact`` — an e-mail address, or a
    mobile number when an SMS gateway is configured — to be sent to that same contact, and to no one
    else. Only the contact's form is checked here; the look-up, the sending and the audit entry happen in
    the background task :func:`send_lost_codes`, which is queued for every well-formed contact alike, so
    that neither the answer nor its timing tells whoever asks whether the contact filed anything."""
    from .tasks import send_lost_codes

    kind, value = _contact(contact)
    queue.after_commit(
        send_lost_codes, crypto.encrypt_text(json.dumps({"kind": kind, "contact": value}))
    )


def _mailbox(address: str) -> str:
    """The mailbox an address reaches, for counting reminders: ``siti+1@…`` and ``siti+2@…`` are one."""
    local, _at, domain = address.partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


@in_site_language
def send_codes_now(kind: str, contact: str) -> int:
    """The work of :func:`resend_codes`, in the worker: at most ``COMPLAINT_RESEND_RATE`` reminders a day
    per mailbox or number; the complaints whose stored contact is exactly ``contact`` (the e-mail address
    compared without case), newest first; one e-mail or SMS to ``contact``; an audit entry with the channel
    and the count, never the contact. Returns how many codes were sent."""
    limit_key = _mailbox(contact) if kind == "email" else contact
    if not ratelimit.hit("complaint-resend", limit_key, *settings.COMPLAINT_RESEND_RATE):
        return 0
    key = contact_key(kind, contact)
    candidates = (
        Complaint.objects.filter(**{f"{kind}_key": key})
        .exclude(identity_mode=IdentityMode.ANONIM)
        .select_related("agency")
        .order_by("-received_at")
    )
    # The key is a hash, and lower() folds look-alikes (the Kelvin sign is a "k"): the stored contact
    # itself must be this one.
    if kind == "email":
        found = [c for c in candidates if c.email.strip().lower() == contact and c.email.isascii()]
    else:
        found = [c for c in candidates if core_rules.mobile_number(c.phone) == contact]
    found = found[:RESEND_MAX]
    if not found:
        return 0
    if kind == "email":
        lines = [
            _("%(code)s — %(title)s (%(agency)s, %(status)s)\n%(url)s")
            % {
                "code": c.tracking_code,
                "title": c.title,
                "agency": c.agency.name,
                "status": c.get_status_display(),
                "url": tracking_url(c),
            }
            for c in found
        ]
        notify.email(
            contact,
            _("Kode lacak pengaduan Anda"),
            _(
                "Seseorang (semoga Anda sendiri) meminta kode lacak pengaduan yang diajukan dengan alamat "
                "email ini. Berikut kodenya, yang terbaru lebih dulu:"
            )
            + "\n\n"
            + "\n\n".join(lines)
            + "\n\n"
            + _(
                "Jika Anda tidak memintanya, abaikan email ini: kode hanya dikirim ke alamat ini. Jangan "
                "bagikan kode kepada orang lain."
            )
            + "\n\n"
            + _("Email ini dikirim otomatis oleh Amanah. Jangan membalas email ini."),
        )
    else:
        notify.sms(
            contact,
            _("Kode lacak pengaduan Anda:"),
            keep=", ".join(c.tracking_code for c in found[:5]) + ".",
            link=f"{settings.SITE_URL}/pengaduan/lacak/",
        )
    audit.record(PUBLIC, "complaints.codes_resent", None, {"via": kind, "codes": len(found)})
    return len(found)


def code_recoverable(complaint) -> bool:
    """Whether a lost code of ``complaint`` can be sent again: it has an e-mail address, or a mobile
    number and the installation an SMS gateway."""
    return bool(complaint.email_key or (complaint.phone_key and sms_enabled()))


def sms_enabled() -> bool:
    from amanah.core import sms

    return sms.enabled()


def backfill_contact_keys(model, batch: int = 500) -> int:
    """Set ``email_key`` and ``phone_key`` of every complaint of ``model`` (the live model or a
    migration's) from its decrypted contact; returns how many rows changed. Used by migration 0011."""
    changed = 0
    rows = model.objects.exclude(email="", phone="").only(
        "pk", "email", "phone", "email_key", "phone_key"
    )
    pending = []
    for c in rows.iterator(chunk_size=batch):
        email, phone = contact_key("email", c.email), contact_key("phone", c.phone)
        if (email, phone) != (c.email_key, c.phone_key):
            c.email_key, c.phone_key = email, phone
            pending.append(c)
        if len(pending) >= batch:
            model.objects.bulk_update(pending, ["email_key", "phone_key"])
            changed += len(pending)
            pending = []
    if pending:
        model.objects.bulk_update(pending, ["email_key", "phone_key"])
        changed += len(pending)
    return changed
