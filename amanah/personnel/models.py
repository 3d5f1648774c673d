"""ASN records beside the core directory (``core.Employee``): competency development, competency
profile, mentoring, SKP, discipline cases, recognition and the professionalism profile."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amanah.core.models import Agency, Employee, StoredFile, User

from . import rules


def _choices(table: dict) -> list[tuple[str, str]]:
    """Choices from a ``rules`` table, labels translated (they are collected in ``labels.py``)."""
    return [(k, _(v)) for k, v in table.items()]


class Profile(models.Model):
    """What the directory does not hold about an ASN and the index needs: education."""

    employee = models.OneToOneField(
        Employee, on_delete=models.CASCADE, related_name="personnel_profile"
    )
    education = models.CharField(
        _("pendidikan terakhir"), max_length=4, choices=_choices(rules.EDUCATION_LEVELS), blank=True
    )
    education_major = models.CharField(_("jurusan"), max_length=200, blank=True)

    def __str__(self):
        return str(self.employee)


# --- Competency -----------------------------------------------------------------------------------


class Competency(models.Model):
    """A competency of the dictionary: the nine standard ones (national, agency empty) and
    technical competencies defined by an agency."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField(max_length=60)
    type = models.CharField(_("jenis"), max_length=20, choices=_choices(rules.COMPETENCY_TYPES))
    name = models.CharField(_("nama"), max_length=200)

    class Meta:
        ordering = ["type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="uniq_competency_code")
        ]
        verbose_name = _("kompetensi")
        verbose_name_plural = _("kompetensi")

    def __str__(self):
        return self.name


class PositionRequirement(models.Model):
    """The level of a competency that a position (jabatan, by its title) requires."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    position = models.CharField(_("jabatan"), max_length=200)
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="requirements"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=_choices(rules.COMPETENCY_LEVELS))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "position", "competency"], name="uniq_position_req"
            )
        ]

    def __str__(self):
        return f"{self.position}: {self.competency} ≥ {self.level}"


class Assessment(models.Model):
    """An assessed level of one competency of one ASN (uji kompetensi, assessment centre)."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="competency_assessments"
    )
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=_choices(rules.COMPETENCY_LEVELS))
    assessed_on = models.DateField(_("tanggal asesmen"))
    method = models.CharField(_("metode"), max_length=100, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self):
        return f"{self.employee.name}: {self.competency} = {self.level}"


class Program(models.Model):
    """A programme in the competency development catalogue."""

    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Kosong: program nasional yang terbuka untuk semua instansi."),
    )
    code = models.SlugField(_("kode"), max_length=60, unique=True)
    title = models.CharField(_("nama program"), max_length=200)
    category = models.CharField(
        _("kategori"), max_length=20, choices=_choices(rules.PROGRAM_CATEGORIES)
    )
    method = models.CharField(_("bentuk"), max_length=20, choices=_choices(rules.PROGRAM_METHODS))
    competency_type = models.CharField(
        _("jenis kompetensi"), max_length=20, choices=_choices(rules.COMPETENCY_TYPES)
    )
    competencies = models.ManyToManyField(Competency, blank=True, related_name="programs")
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=1)
    provider = models.CharField(_("penyelenggara"), max_length=200, blank=True)
    description = models.TextField(_("uraian"), blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("program pengembangan kompetensi")
        verbose_name_plural = _("program pengembangan kompetensi")
        constraints = [
            models.CheckConstraint(condition=models.Q(jp__gt=0), name="program_jp_positive")
        ]

    def __str__(self):
        return f"{self.title} ({self.jp} JP)"


class TrainingStatus(models.TextChoices):
    ENROLLED = "terdaftar", _("Terdaftar")
    COMPLETED = "selesai", pgettext_lazy("pelatihan", "Selesai")
    CANCELLED = "batal", _("Batal")


class Training(models.Model):
    """An enrolment in, or a completed record of, a programme (or an outside activity by title)."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="trainings")
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.PROTECT, related_name="trainings"
    )
    title = models.CharField(_("nama kegiatan"), max_length=200)
    category = models.CharField(
        _("kategori"), max_length=20, choices=_choices(rules.PROGRAM_CATEGORIES)
    )
    method = models.CharField(_("bentuk"), max_length=20, choices=_choices(rules.PROGRAM_METHODS))
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=1)
    status = models.CharField(
        max_length=12, choices=TrainingStatus.choices, default=TrainingStatus.ENROLLED
    )
    enrolled_on = models.DateField(_("tanggal daftar"), default=timezone.localdate)
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=100, blank=True)
    certificate = models.ForeignKey(
        StoredFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=20, default="manual")

    class Meta:
        ordering = ["-completed_on", "-enrolled_on", "-pk"]
        indexes = [models.Index(fields=["employee", "completed_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(jp__gt=0), name="training_jp_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="selesai") | models.Q(completed_on__isnull=False),
                name="training_completed_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.employee.name}"


class Reminder(models.Model):
    """A JP reminder sent for one ASN and year (so the sweep does not send it twice)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    jp_total = models.DecimalField(max_digits=6, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="uniq_jp_reminder")
        ]

    def __str__(self):
        return f"{self.employee.name} {self.year}"


# --- Mentoring and coaching -------------------------------------------------------------------------


class Mentoring(models.Model):
    #: Indonesian labels first, the English term in brackets as ASN know it (the English interface
    #: reads "Mentoring" and "Coaching" from the catalogue).
    KINDS = [
        ("mentoring", _("Pendampingan (mentoring)")),
        ("coaching", _("Pembimbingan (coaching)")),
    ]
    STATUSES = [
        ("aktif", _("Aktif")),
        ("selesai", pgettext_lazy("mentoring", "Selesai")),
        ("batal", _("Batal")),
    ]

    mentor = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="mentoring_given")
    mentee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="mentoring_received"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=KINDS, default="mentoring")
    goals = models.TextField(_("tujuan"))
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default="aktif")
    outcome = models.TextField(_("hasil"), blank=True)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="mentor_not_mentee"
            )
        ]

    def __str__(self):
        return f"{self.mentor.name} → {self.mentee.name}"


class MentoringSession(models.Model):
    mentoring = models.ForeignKey(Mentoring, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("tanggal"))
    topic = models.CharField(_("topik"), max_length=200)
    notes = models.TextField(_("catatan"), blank=True)
    outcome = models.TextField(_("hasil"), blank=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.held_on} {self.topic}"


# --- Performance (SKP) ------------------------------------------------------------------------------


class SkpPeriod(models.Model):
    """An assessment period of an agency (usually a year); periods of one agency do not overlap."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama periode"), max_length=100)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("akhir"))

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="skp_period_order"
            )
        ]

    def __str__(self):
        return self.name


class SkpStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    RATED = "dinilai", _("Sudah dinilai")
    OBJECTED = "keberatan", _("Keberatan diajukan")
    FINAL = "final", _("Final")


class Skp(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="skps")
    period = models.ForeignKey(SkpPeriod, on_delete=models.PROTECT, related_name="skps")
    rater = models.ForeignKey(
        Employee,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pejabat penilai"),
    )
    status = models.CharField(max_length=12, choices=SkpStatus.choices, default=SkpStatus.DRAFT)
    hasil_kerja = models.CharField(max_length=10, choices=_choices(rules.RATINGS), blank=True)
    perilaku = models.CharField(max_length=10, choices=_choices(rules.RATINGS), blank=True)
    behaviour_notes = models.JSONField(default=dict, blank=True)
    predicate = models.CharField(max_length=20, choices=_choices(rules.PREDICATES), blank=True)
    rater_notes = models.TextField(_("catatan penilai"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    objection = models.TextField(_("keberatan"), blank=True)
    objected_at = models.DateTimeField(null=True, blank=True)
    objection_response = models.TextField(_("tanggapan keberatan"), blank=True)
    source = models.CharField(max_length=20, default="manual")

    class Meta:
        ordering = ["-period__start"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "period"], name="uniq_skp_period")
        ]

    def __str__(self):
        return f"SKP {self.employee.name} — {self.period}"


class SkpIndicator(models.Model):
    """A key performance indicator of an SKP with its measurable target and the result."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="indicators")
    description = models.CharField(_("indikator kinerja"), max_length=300)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("satuan"), max_length=50)
    result = models.DecimalField(
        _("realisasi"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(target__gt=0), name="skp_target_positive")
        ]

    def __str__(self):
        return self.description


# --- Discipline (PP 94/2021) ------------------------------------------------------------------------


class CaseStatus(models.TextChoices):
    OPEN = "dibuka", pgettext_lazy("kasus disiplin", "Dibuka")
    SUMMONED = "pemanggilan", _("Pemanggilan")
    EXAMINED = "pemeriksaan", _("Pemeriksaan")
    DECIDED = "diputus", _("Diputus")
    APPEALED = "upaya_administratif", _("Upaya administratif")
    CLOSED = "ditutup", _("Ditutup")


class DisciplineCase(models.Model):
    SOURCES = [
        ("manual", _("Laporan atasan/HR")),
        ("integritas", _("Temuan kasus integritas")),
        ("absensi", _("Ketidakhadiran")),
    ]

    number = models.CharField(max_length=30, unique=True)
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="discipline_cases"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    allegation = models.TextField(_("dugaan pelanggaran"))
    source = models.CharField(max_length=20, choices=SOURCES, default="manual")
    source_reference = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=24, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(default=timezone.localdate)
    # decision
    level = models.CharField(max_length=10, choices=_choices(rules.LEVELS), blank=True)
    sanction = models.CharField(
        max_length=30, choices=[(s.code, _(s.label)) for s in rules.SANCTIONS.values()], blank=True
    )
    proven = models.BooleanField(null=True)
    decided_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_number = models.CharField(_("nomor keputusan"), max_length=100, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    #: The day the ASN received the decision (handed over, or the letter sent arrived): the appeal
    #: deadline counts from it (``rules.check_delivery``). None while HR has not recorded it: the
    #: deadline is then not running (``appeal_due`` stays None).
    delivered_on = models.DateField(_("tanggal SK diterima"), null=True, blank=True)
    #: Last day to hand the decision to the ASN (``rules.DELIVERY_WORKING_DAYS`` working days of the
    #: agency after ``decided_on``), set with a proven decision (for those decided before it existed, by
    #: migration 0011); None for a case closed without a sanction.
    delivery_due = models.DateField(null=True, blank=True)
    #: How it reached the ASN (``rules.DELIVERY_METHODS``); blank while not delivered, and for a day
    #: received recorded before the platform asked (migration 0011 does not guess it).
    delivery_method = models.CharField(
        _("cara penyampaian"),
        max_length=12,
        blank=True,
        choices=[(k, _(v)) for k, v in rules.DELIVERY_METHODS.items()],
    )
    #: For a decision sent to an ASN who did not attend the handing-over: the day it was sent, and
    #: why it was sent (``delivered_on`` is then the day it is deemed received).
    delivery_sent_on = models.DateField(_("tanggal SK dikirim"), null=True, blank=True)
    delivery_reason = models.TextField(_("alasan SK dikirim"), blank=True)
    #: The day HR and leadership were warned that the delivery deadline is near (once per case).
    delivery_warned_on = models.DateField(null=True, blank=True)
    decision_notes = models.TextField(blank=True)
    sanction_start = models.DateField(null=True, blank=True)
    sanction_end = models.DateField(null=True, blank=True)
    appeal_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]

    def __str__(self):
        return self.number

    def delivery_late(self, today) -> bool:
        """True when the decision was (or still is) not delivered by ``delivery_due``
        (``rules.delivery_late``). A decision never recorded as received counts only while the case
        waits for it (decided): once appealed or closed, the ASN evidently had it."""
        if self.delivered_on is None and self.status != CaseStatus.DECIDED:
            return False
        return rules.delivery_late(
            self.delivery_due, self.delivered_on, today, sent_on=self.delivery_sent_on
        )


class Summons(models.Model):
    """A written summons to an examination (PP 94/2021 Pasal 26)."""

    case = models.ForeignKey(DisciplineCase, on_delete=models.CASCADE, related_name="summonses")
    sequence = models.PositiveSmallIntegerField()
    sent_on = models.DateField()
    examination_on = models.DateField()
    attended = models.BooleanField(null=True)

    class Meta:
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="uniq_summons_seq")
        ]

    def __str__(self):
        return f"{self.case.number} #{self.sequence}"


class Examination(models.Model):
    """A closed examination recorded in a BAP (berita acara pemeriksaan)."""

    case = models.ForeignKey(DisciplineCase, on_delete=models.CASCADE, related_name="examinations")
    held_on = models.DateField()
    bap_number = models.CharField(max_length=100)
    summary = models.TextField()
    team = models.ManyToManyField(Employee, blank=True, related_name="+")
    in_absentia = models.BooleanField(default=False)

    class Meta:
        ordering = ["held_on"]

    def __str__(self):
        return f"{self.case.number} {self.bap_number}"


class Appeal(models.Model):
    KINDS = [("keberatan", _("Keberatan")), ("banding", _("Banding administratif"))]
    OUTCOMES = [
        ("", _("Belum diputus")),
        ("ditolak", _("Ditolak")),
        ("dikabulkan", _("Dikabulkan")),
        ("diubah", _("Hukuman diubah")),
    ]

    case = models.OneToOneField(DisciplineCase, on_delete=models.CASCADE, related_name="appeal")
    kind = models.CharField(max_length=12, choices=KINDS)
    filed_on = models.DateField()
    grounds = models.TextField()
    #: Last day for the agency to rule on a keberatan (``rules.KEBERATAN_RULING_WORKING_DAYS`` after
    #: ``filed_on``), set when it is filed (for those filed before it existed, by migration 0010); None
    #: for a banding (BPASN rules).
    ruling_due = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=OUTCOMES, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    #: The official who decided the appeal (required when the sanction was changed).
    decided_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self):
        return f"{self.case.number} {self.kind}"

    def ruling_overdue(self, today) -> bool:
        """True when a keberatan is still undecided after its ruling deadline."""
        return not self.outcome and self.ruling_due is not None and today > self.ruling_due


class Absence(models.Model):
    """A day of unexcused absence (tanpa alasan yang sah) of one ASN."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="absences")
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="uniq_absence_day")
        ]

    def __str__(self):
        return f"{self.employee.name} {self.date}"


# --- Recognition --------------------------------------------------------------------------------


class Award(models.Model):
    KINDS = [
        ("integritas", _("Integritas")),
        ("pelayanan", _("Pelayanan prima (penilaian pengadu)")),
        ("ikm", _("Peningkatan IKM unit")),
        ("rekam_bersih", _("Rekam jejak bersih")),
        ("lainnya", _("Lainnya")),
    ]
    STATUSES = [
        ("diusulkan", _("Diusulkan")),
        ("disetujui", _("Disetujui")),
        ("ditolak", _("Ditolak")),
        ("ditarik", _("Ditarik")),
    ]

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(_("jenis"), max_length=20, choices=KINDS)
    title = models.CharField(_("nama penghargaan"), max_length=200)
    reason = models.TextField(_("alasan"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(max_length=10, choices=STATUSES, default="diusulkan")
    proposed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    #: The approved transfer that withdrew the proposal (status ``ditarik``): the ASN left the
    #: agency that proposed it before its leadership decided it (``services.decide_transfer``).
    withdrawn_for = models.ForeignKey(
        "Transfer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="withdrawn_awards",
        verbose_name=_("ditarik karena mutasi"),
    )

    class Meta:
        ordering = ["-year", "-pk"]

    def __str__(self):
        return f"{self.title} — {self.employee.name}"


# --- Transfer between agencies (mutasi) -------------------------------------------------------------


class TransferStatus(models.TextChoices):
    REQUESTED = "diajukan", _("Diajukan")
    APPROVED = "disetujui", pgettext_lazy("mutasi", "Disetujui")
    REFUSED = "ditolak", pgettext_lazy("mutasi", "Ditolak")


class Transfer(models.Model):
    """A transfer (mutasi) of an ASN from one agency to another. The receiving agency's HR requests
    it with the SK mutasi; the origin agency's HR (or a platform admin) approves or refuses it. On
    approval the ASN's directory entry moves to ``to_unit`` (``services.decide_transfer``)."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="transfers")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    from_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    from_position = models.CharField(max_length=200)
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit kerja tujuan")
    )
    position = models.CharField(_("jabatan di instansi tujuan"), max_length=200)
    sk_number = models.CharField(_("nomor SK mutasi"), max_length=100)
    sk_date = models.DateField(_("tanggal SK mutasi"))
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    #: The origin's local date of the approval: records dated before it stay with the origin.
    moved_on = models.DateField(null=True, blank=True)
    refusal_reason = models.TextField(_("alasan penolakan"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One pending request per ASN, whoever sends it (two at once: the second is a 409).
            models.UniqueConstraint(
                fields=["employee"],
                condition=models.Q(status="diajukan"),
                name="uniq_pending_transfer",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_agency=models.F("to_agency")),
                name="transfer_between_agencies",
            ),
        ]

    def __str__(self):
        return f"{self.employee.name}: {self.from_agency} → {self.to_agency}"
