"""SKM tables: survey periods, the anonymous answers, the per-device daily marks against stuffing, and the
follow-up plan (rencana tindak lanjut)."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amanah.core.models import Agency, Service, Unit, User

from . import rules

SHORT_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read aloud or typed from paper


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_ALPHABET) for _ in range(6))


class PeriodStatus(models.TextChoices):
    OPEN = rules.OPEN, _("Dibuka")
    CLOSED = rules.CLOSED, _("Ditutup")
    PUBLISHED = rules.PUBLISHED, _("Dipublikasikan")


class WeightChoice(models.TextChoices):
    EXACT = "exact", _("Tepat 1/9")
    PRINTED = "0.111", _("0,111 (seperti dicetak dalam peraturan)")


class SurveyPeriod(models.Model):
    """One SKM round of a service unit (optionally of one of its services)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="survey_periods")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_periods")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="survey_periods"
    )
    title = models.CharField(max_length=200, blank=True)
    start = models.DateField()
    end = models.DateField()
    population = models.PositiveIntegerField(
        help_text=_("Jumlah pengguna layanan dalam periode ini")
    )
    required_sample = models.PositiveIntegerField()
    weight = models.CharField(
        max_length=8, choices=WeightChoice.choices, default=WeightChoice.EXACT
    )
    status = models.CharField(
        max_length=12, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    short_code = models.CharField(max_length=12, unique=True, default=new_short_code)
    analysis = models.TextField(blank=True, help_text=_("Analisis hasil survei untuk laporan"))
    # Frozen results (selectors.results) written when the period is closed or published, so dashboards
    # and the public page do not recompute them.
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("periode SKM")
        verbose_name_plural = _("periode SKM")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="skm_period_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(population__gte=1), name="skm_period_population_positive"
            ),
        ]
        indexes = [models.Index(fields=["unit", "status", "end"], name="skm_period_unit_status")]

    def __str__(self):
        return self.title or f"SKM {self.unit} {self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}"

    @property
    def weight_value(self):
        return rules.WEIGHTS[self.weight]

    @property
    def label(self) -> str:
        return str(self)


class FrozenBreakdowns(models.Model):
    """The breakdowns of a published period (``selectors.breakdowns``: by service and by respondent
    profile, small groups hidden), computed once, so that its public page, report and API never read the
    answers again. Written at publication (``services.freeze_breakdowns``), and by the sweep for a period
    published before this table or under another ``min_group`` (``AMANAH_SKM_MIN_GROUP``); never by a
    reading."""

    period = models.OneToOneField(
        SurveyPeriod, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    min_group = models.PositiveSmallIntegerField()
    # ``selectors.BREAKDOWNS_VERSION`` when written: raised when the way they are computed changes (what is
    # hidden), so that the sweep computes the older ones again.
    version = models.PositiveSmallIntegerField(default=1)
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rincian SKM yang dibekukan")
        verbose_name_plural = _("rincian SKM yang dibekukan")

    def __str__(self):
        return f"{self.period_id} (≥ {self.min_group})"


class Channel(models.TextChoices):
    WEB = "web", _("Formulir daring")
    API = "api", _("API")
    PAPER = "kertas", _("Kuesioner kertas")


class Response(models.Model):
    """One filled questionnaire. Holds no name, contact, IP address or device identifier."""

    period = models.ForeignKey(SurveyPeriod, on_delete=models.CASCADE, related_name="responses")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    gender = models.CharField(max_length=1, blank=True, choices=list(rules.GENDERS.items()))
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    education = models.CharField(max_length=8, blank=True, choices=list(rules.EDUCATION.items()))
    occupation = models.CharField(
        max_length=12, blank=True, choices=list(rules.OCCUPATIONS.items())
    )
    suggestion = models.TextField(blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    submitted_on = models.DateField(default=timezone.localdate)
    # Hour of the day only (the questionnaire asks for "jam survei"); no exact timestamp.
    submitted_hour = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("jawaban SKM")
        verbose_name_plural = _("jawaban SKM")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"u{i}__gte": 1, f"u{i}__lte": 4}), name=f"skm_u{i}_1_4"
            )
            for i in range(1, 10)
        ]
        # The results query is one aggregate filtered by period; this index serves it.
        indexes = [models.Index(fields=["period", "service"], name="skm_response_period")]

    def __str__(self):
        return f"#{self.pk} {self.period_id}"

    def answers(self) -> list[int]:
        return [getattr(self, f"u{i}") for i in range(1, 10)]


class DeviceMark(models.Model):
    """``This device already answered this period today``: a keyed hash of (device, period, day) only. It is
    not linked to the answer and is deleted after the day (tasks.purge_device_marks)."""

    period = models.ForeignKey(SurveyPeriod, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [models.Index(fields=["day"], name="skm_devicemark_day")]

    def __str__(self):
        return f"{self.period_id} {self.day}"


class PlanStatus(models.TextChoices):
    PLANNED = "direncanakan", _("Direncanakan")
    IN_PROGRESS = "berjalan", _("Sedang berjalan")
    DONE = "selesai", pgettext_lazy("tindak lanjut", "Selesai")


class FollowUpPlan(models.Model):
    """Rencana tindak lanjut for one element of a period's results."""

    period = models.ForeignKey(SurveyPeriod, on_delete=models.CASCADE, related_name="plans")
    element = models.CharField(
        max_length=3, choices=[(e.code, f"{e.code} {e.name}") for e in rules.ELEMENTS]
    )
    action = models.TextField(help_text=_("Kegiatan perbaikan"))
    owner = models.CharField(max_length=200, help_text=_("Penanggung jawab"))
    due = models.DateField(help_text=_("Target waktu"))
    status = models.CharField(max_length=14, choices=PlanStatus.choices, default=PlanStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Kemajuan (persen)"))
    progress_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["element", "due", "id"]
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="skm_plan_progress_max_100"
            ),
        ]

    def __str__(self):
        return f"{self.element}: {self.action[:60]}"
