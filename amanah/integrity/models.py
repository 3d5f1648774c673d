"""Whistleblowing reports (WBS) and their investigation.

Everything a reporter wrote, who they are and who they reported is kept in
:class:`~amanah.core.crypto.EncryptedTextField` columns; evidence files are stored encrypted. The
clear columns are only what the workflow and the statistics need (agency, unit, type, state,
outcome, dates without a time of day). No column holds an IP address, a user agent or the receipt
(only its keyed hash).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import IntegrityError, models, router, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amanah.core import crypto, records
from amanah.core.crypto import EncryptedTextField

from . import rules


class ViolationType(models.TextChoices):
    KORUPSI = "korupsi", _("Korupsi")
    GRATIFIKASI = "gratifikasi", _("Gratifikasi")
    PUNGLI = "pungutan_liar", _("Pungutan liar")
    PENYALAHGUNAAN = "penyalahgunaan_wewenang", _("Penyalahgunaan wewenang")
    KONFLIK = "konflik_kepentingan", _("Konflik kepentingan")
    DISIPLIN = "pelanggaran_disiplin", _("Pelanggaran disiplin")
    KODE_ETIK = "pelanggaran_kode_etik", _("Pelanggaran kode etik")
    LAINNYA = "lainnya", _("Lainnya")


class ReportKind(models.TextChoices):
    VIOLATION = "pelanggaran", _("Laporan pelanggaran")
    GRATIFICATION = "gratifikasi_diri", _("Pelaporan gratifikasi oleh penerima")


class Status(models.TextChoices):
    RECEIVED = "diterima", _("Diterima")
    ASSESSMENT = "ditelaah", _("Sedang ditelaah")
    EXAMINATION = "diperiksa", _("Sedang diperiksa")
    CONCLUDED = "selesai", pgettext_lazy("laporan", "Selesai")
    REFERRED = "dirujuk", _("Dirujuk")
    CLOSED = "ditutup", _("Ditutup tanpa pemeriksaan")


class Outcome(models.TextChoices):
    PROVEN = "terbukti", _("Terbukti")
    NOT_PROVEN = "tidak_terbukti", _("Tidak terbukti")
    PARTLY = "sebagian", _("Terbukti sebagian")
    REFERRED = "dirujuk", _("Dirujuk")


class SanctionLevel(models.TextChoices):
    RINGAN = "ringan", _("Ringan")
    SEDANG = "sedang", _("Sedang")
    BERAT = "berat", _("Berat")


class Level(models.TextChoices):
    LOW = "rendah", _("Rendah")
    MEDIUM = "sedang", _("Sedang")
    HIGH = "tinggi", _("Tinggi")


class ReferralBody(models.TextChoices):
    KPK = "kpk", _("Komisi Pemberantasan Korupsi (KPK)")
    OMBUDSMAN = "ombudsman", _("Ombudsman Republik Indonesia")
    APH = "aph", _("Aparat penegak hukum (Kepolisian / Kejaksaan)")


SANCTION_CHOICES = [(code, _(label)) for items in rules.SANCTIONS.values() for code, label in items]


class Report(models.Model):
    """A whistleblowing report and the case built on it."""

    case_number = models.CharField(max_length=30, unique=True, blank=True)
    receipt_hash = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20, choices=ReportKind.choices, default=ReportKind.VIOLATION)
    # The reported person's agency and unit (clear: routing and statistics need them).
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="integrity_reports"
    )
    unit = models.ForeignKey(
        "core.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="integrity_reports",
    )
    # Who handles the case: the reported agency's APIP, or the next level up when the reported person
    # leads the agency or its inspectorate. Null: the platform level (platform administrators).
    handling_agency = models.ForeignKey(
        "core.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="integrity_cases_handled",
    )
    escalated = models.BooleanField(default=False)
    violation_type = models.CharField(max_length=30, choices=ViolationType.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, null=True, blank=True)
    sanction_level = models.CharField(
        max_length=10, choices=SanctionLevel.choices, null=True, blank=True
    )
    sanction = models.CharField(max_length=30, choices=SANCTION_CHOICES, blank=True)
    # Dates, never times of day: a timestamp could be matched against network logs.
    created_on = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    last_feedback_on = models.DateField(null=True, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    assessment_due = models.DateField(null=True, blank=True)

    # --- encrypted content -------------------------------------------------------------------
    reported_name = EncryptedTextField(blank=True)
    reported_nip = EncryptedTextField(blank=True)
    reported_position = EncryptedTextField(blank=True)
    description = EncryptedTextField()
    incident_date = EncryptedTextField(blank=True)
    incident_place = EncryptedTextField(blank=True)
    witnesses = EncryptedTextField(blank=True)
    reporter_name = EncryptedTextField(blank=True)
    reporter_contact = EncryptedTextField(blank=True)
    may_contact = models.BooleanField(default=False)
    # The secret of the stop link in the news mails to the reporter (``services.news_stop_token``):
    # random, unrelated to the receipt, so it opens nothing and only stops the news (erasing the
    # contact). Kept encrypted, to write it into each mail, and as its SHA-256, to find the report from
    # the link. Made when the first news mail goes out; cleared with the contact, new for a new contact.
    news_stop_token = EncryptedTextField(blank=True, default="", editable=False)
    news_stop_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )

    # Gratification self-report (UU 20/2001 Pasal 12C)
    gift_received_on = models.DateField(null=True, blank=True)
    gift_giver = EncryptedTextField(blank=True)
    gift_value = EncryptedTextField(blank=True)
    upg_due = models.DateField(null=True, blank=True)
    kpk_due = models.DateField(null=True, blank=True)

    # --- assessment ---------------------------------------------------------------------------
    credibility = models.CharField(max_length=10, choices=Level.choices, blank=True)
    seriousness = models.CharField(max_length=10, choices=Level.choices, blank=True)
    retaliation_risk = models.CharField(max_length=10, choices=Level.choices, blank=True)
    priority = models.CharField(max_length=10, choices=Level.choices, blank=True)
    assessment_note = EncryptedTextField(blank=True)
    examination_plan = EncryptedTextField(blank=True)

    # --- conclusion ---------------------------------------------------------------------------
    finding_note = EncryptedTextField(blank=True)
    referral_body = models.CharField(max_length=20, choices=ReferralBody.choices, blank=True)
    referral_note = EncryptedTextField(blank=True)
    referred_on = models.DateField(null=True, blank=True)
    discipline_case_ref = models.CharField(max_length=60, blank=True)
    discipline_pending = models.BooleanField(default=False)

    # --- protection ---------------------------------------------------------------------------
    protection_flag = models.BooleanField(default=False)
    protection_since = models.DateField(null=True, blank=True)

    reminders_sent = models.JSONField(default=list, blank=True)
    purged_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        verbose_name = _("laporan pelanggaran")
        verbose_name_plural = _("laporan pelanggaran")
        indexes = [
            models.Index(fields=["handling_agency", "status"]),
            models.Index(fields=["agency", "violation_type"]),
        ]

    def __str__(self):
        return self.case_number or f"WBS #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in rules.OPEN_STATES

    @property
    def reporter_status(self) -> str:
        """The reporter's view of the state, in the language active now."""
        return records.translated(rules.REPORTER_STATUS.get(self.status, ""))

    @property
    def has_identity(self) -> bool:
        return bool(self.reporter_name or self.reporter_contact)

    @property
    def feedback_due(self):
        if not self.is_open:
            return None
        # EU Directive 2019/1937 Art. 9(1)(f): three months from the acknowledgment (the receipt
        # when there was none, which is earlier); then, a platform choice, three months from the
        # last feedback.
        since = self.last_feedback_on or self.acknowledged_on or self.created_on
        return rules.feedback_due(since, _deadlines())

    @property
    def acknowledge_due(self):
        # A case closed without an acknowledgment (e.g. referred at once) owes none any more: the
        # closing message to the reporter said what became of the report.
        if self.acknowledged_on or not self.is_open:
            return None
        return rules.acknowledge_due(self.created_on, _deadlines())


def _deadlines() -> dict:
    return getattr(settings, "INTEGRITY_DEADLINES", {}) or {}


class Exclusion(models.Model):
    """Someone who must not see a case: the reported person, their superiors, a declared conflict.

    ``subject`` is a keyed hash of ``employee:<id>`` or ``user:<id>``, so a copy of the database
    without the hash key does not say who was reported. ``key_id`` names the hash key it was taken under
    (``crypto.hash_key_id``): an exclusion under a key that is no longer configured
    (``AMANAH_HASH_KEY`` or ``AMANAH_OLD_HASH_KEYS``) can no longer be matched, so its case is hidden
    from everyone rather than shown to the person excluded."""

    class Reason(models.TextChoices):
        REPORTED = "terlapor", _("Orang yang dilaporkan")
        SUPERIOR = "atasan", _("Atasan orang yang dilaporkan")
        DECLARED = "dinyatakan", _("Menyatakan konflik kepentingan")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="exclusions")
    subject = models.CharField(max_length=64)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    key_id = models.CharField(max_length=16, default=crypto.hash_key_id, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "subject"], name="uniq_integrity_exclusion")
        ]
        indexes = [models.Index(fields=["subject"]), models.Index(fields=["key_id"])]

    def __str__(self):
        return f"{self.report_id}:{self.reason}"


class Assignment(models.Model):
    """An investigator on a case."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(default=False)
    assigned_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="uniq_integrity_assignment")
        ]

    def __str__(self):
        return f"{self.report_id}:{self.user_id}"


class CaseRow(models.Model):
    """A row of a case whose id staff see (a link, a form, an API answer, the case file): a message,
    an evidence file, a summons, an examination record, a request to see the reporter's identity.

    Its id is drawn at random (``rules.new_case_id``), as a case's is: ids counted up across all cases
    would show someone who sees two cases a gap where a case hidden from them (about them, escalated,
    a declared conflict) had a message or a summons in between. Rows saved before ids were drawn keep
    theirs. ``position`` orders the rows of one kind within their case, which the ids no longer do:
    1, 2, 3... per case, so it says nothing about other cases."""

    position = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not (self._state.adding and self.pk is None):
            return super().save(*args, **kwargs)
        manager = type(self)._default_manager
        kwargs["force_insert"] = True
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            if not self.position:
                # The case's row is locked first, so two rows of one case written at once (a
                # decision on a disclosure request and a message, say) do not both take the same
                # next position; the lock is held until the caller's transaction ends.
                Report.objects.using(using).select_for_update().filter(pk=self.report_id).exists()
                last = (
                    manager.using(using)
                    .filter(report_id=self.report_id)
                    .aggregate(m=models.Max("position"))
                )
                self.position = (last["m"] or 0) + 1
            for _attempt in range(5):
                self.pk = rules.new_case_id()
                try:
                    with transaction.atomic(using=using):
                        return super().save(*args, **kwargs)
                except IntegrityError:
                    clash = manager.using(using).filter(pk=self.pk).exists()
                    self.pk = None
                    if not clash:
                        raise
        raise RuntimeError("could not draw a free id")  # pragma: no cover


class Message(CaseRow):
    """A message between the case handlers and the anonymous reporter."""

    class Direction(models.TextChoices):
        TO_REPORTER = "ke_pelapor", _("Kepada pelapor")
        FROM_REPORTER = "dari_pelapor", _("Dari pelapor")

    class Kind(models.TextChoices):
        MESSAGE = "pesan", _("Pesan")
        QUESTION = "pertanyaan", _("Pertanyaan")
        FEEDBACK = "umpan_balik", _("Umpan balik")
        RETALIATION = "pembalasan", _("Laporan pembalasan")
        NOTICE = "pemberitahuan", _("Pemberitahuan")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MESSAGE)
    # As written: a message the system wrote is in the site language (see amanah.core.records).
    body = EncryptedTextField()
    # The messages and parameters (JSON) a message the system wrote was made of, to show it in the
    # reader's language; encrypted like the body, since a parameter may be what an officer typed (the
    # reason for a disclosure request). Empty for a text a person typed, and for messages stored before
    # this column existed.
    body_parts = EncryptedTextField(blank=True, default="", editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_on = models.DateField()
    read_by_reporter = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.report_id}:{self.direction}:{self.pk}"

    @property
    def shown_body(self) -> str:
        """``body`` in the language active now (the reader's)."""
        return records.shown(self.body, json.loads(self.body_parts) if self.body_parts else None)


class Evidence(CaseRow):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    from_reporter = models.BooleanField(default=True)
    created_on = models.DateField()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.report_id}:{self.file_id}"


class Summons(CaseRow):
    """A written summons to an examination (PP 94/2021)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="summons")
    person = EncryptedTextField()  # name and role of the person summoned
    person_key = models.CharField(max_length=64)  # keyed hash, groups the first and second summons
    number = models.PositiveSmallIntegerField()
    issued_on = models.DateField()
    hearing_on = models.DateField()
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["hearing_on", "position", "id"]

    def __str__(self):
        return f"{self.report_id}: panggilan {self.number}"


class ExaminationRecord(CaseRow):
    """Berita acara pemeriksaan (BAP) of a closed examination."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="records")
    summons = models.ForeignKey(
        Summons, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_on = models.DateField()
    examined = EncryptedTextField()
    content = EncryptedTextField()
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "position", "id"]

    def __str__(self):
        return f"BAP {self.report_id} {self.held_on}"


class DisclosureRequest(CaseRow):
    """A request to see the reporter's identity: a reason, the reporter's consent (SE MenPANRB 8/2012:
    never disclosed without it), then a custodian's decision. An objection ends the request, also
    after an approval (consent withdrawn)."""

    class State(models.TextChoices):
        PENDING = "menunggu", _("Menunggu keputusan")
        APPROVED = "disetujui", _("Disetujui")
        REFUSED = "ditolak", _("Ditolak")
        OBJECTED = "keberatan", _("Pelapor keberatan")

    class Consent(models.TextChoices):
        AWAITED = "menunggu", _("Menunggu jawaban pelapor")
        GIVEN = "setuju", _("Pelapor setuju")
        REFUSED = "keberatan", _("Pelapor keberatan")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="disclosures")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    consent = models.CharField(max_length=20, choices=Consent.choices, default=Consent.AWAITED)
    consent_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField()
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-position", "-id"]

    def __str__(self):
        return f"{self.report_id}:{self.state}"


class ReporterSession(models.Model):
    """A reporter's follow-up session (``services.open_session``), kept in the database rather than the
    cache: a cache entry carries when it was written or read (a file's times, Redis's idle time) and
    when it expires, which would say when the reporter was active. ``key`` is a hash of the token;
    ``sealed`` holds the report's id, the opening time and the last activity, sealed under a key derived
    from the token, which only the reporter's browser or app keeps. Nothing here says which report,
    or when, but ``until``: the day after which the sweep deletes the row."""

    key = models.CharField(max_length=64, primary_key=True)
    sealed = models.BinaryField()
    until = models.DateField(db_index=True)

    def __str__(self):
        return f"session {self.key[:8]}"


class SentForm(models.Model):
    """A sent report form (a hash of its nonce), so that a refresh or a second click does not file the
    report twice, kept until ``until`` (the day after it was sent) and with no time, unlike a cache
    entry (see :class:`ReporterSession`)."""

    key = models.CharField(max_length=64, primary_key=True)
    until = models.DateField(db_index=True)

    def __str__(self):
        return f"form {self.key[:8]}"
