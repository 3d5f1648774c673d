"""Transparency tables: pre-computed rollups that the dashboard reads, the per-case facts they are
built from, the unit ancestry used to add sub-units into their parents, and agencies' targets for the
indicators of success.

The dashboard never reads the complaint, report or survey tables: it reads :class:`Rollup` only, so its
cost depends on the number of days, scopes and categories, not on the number of cases. Each fact row
remembers exactly what one case contributed, so a change to the case moves its contribution from the
old rollup rows to the new ones (see ``amanah.transparency.rollups``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules


class Grain(models.TextChoices):
    DAY = "d", _("Hari")
    MONTH = "m", _("Bulan")


class Scope(models.TextChoices):
    NATIONAL = "n", _("Nasional")
    AGENCY = "a", _("Instansi")
    UNIT = "u", _("Unit (beserta sub-unit)")


class Rollup(models.Model):
    """One pre-computed figure: ``count`` of ``measure`` (broken down by ``dim`` = ``value``) on one day
    or in one month, for the whole country, one agency, or one unit with the units below it."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    scope = models.CharField(max_length=1, choices=Scope.choices)
    scope_id = models.BigIntegerField(default=0)
    measure = models.CharField(max_length=16)
    dim = models.CharField(max_length=12, blank=True, default="")
    day = models.DateField()
    value = models.CharField(max_length=40, blank=True, default="")
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "scope_id", "measure", "dim", "grain", "day", "value"],
                name="transparency_rollup_key",
            )
        ]
        indexes = [
            # "most complained about": each day's or month's services by count (read top down), and one
            # service's rows (its exact total over a period)
            models.Index(
                fields=["scope", "scope_id", "measure", "grain", "day", "-count"],
                name="transp_rollup_svc_top",
                condition=models.Q(dim="service"),
            ),
            models.Index(
                fields=["scope", "scope_id", "measure", "value", "grain", "day", "count"],
                name="transp_rollup_svc_one",
                condition=models.Q(dim="service"),
            ),
        ]
        verbose_name = _("rollup")
        verbose_name_plural = _("rollup")

    def __str__(self):
        return f"{self.scope}{self.scope_id} {self.grain}{self.day} {self.measure}.{self.dim}={self.value}: {self.count}"


class AgencyTotal(models.Model):
    """The figures of one agency's row in the national table on one day (grain ``d``) or in one month
    (grain ``m``), side by side in one row: the same numbers as the agency's :class:`Rollup` rows listed in
    :data:`amanah.transparency.rollups.AGENCY_TOTALS`, kept with them (incrementally and by the rebuild).

    The national table then reads one row per agency and day or month of the period (one index range, the
    sums done by the database) instead of one row per agency, figure, category and day; it stops growing
    once every agency has cases every day."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    day = models.DateField()
    agency_id = models.BigIntegerField()
    received = models.BigIntegerField(default=0)
    closed = models.BigIntegerField(default=0)
    on_time = models.BigIntegerField(default=0)
    late = models.BigIntegerField(default=0)
    pending = models.BigIntegerField(default=0)  # response due, not answered (by the due date)
    open = models.BigIntegerField(default=0)  # open now, by the due date of their stage
    skm_n = models.BigIntegerField(default=0)
    skm_u1 = models.BigIntegerField(default=0)
    skm_u2 = models.BigIntegerField(default=0)
    skm_u3 = models.BigIntegerField(default=0)
    skm_u4 = models.BigIntegerField(default=0)
    skm_u5 = models.BigIntegerField(default=0)
    skm_u6 = models.BigIntegerField(default=0)
    skm_u7 = models.BigIntegerField(default=0)
    skm_u8 = models.BigIntegerField(default=0)
    skm_u9 = models.BigIntegerField(default=0)
    # Σ of the nine element totals of the periods weighted 0,111 (the rest are weighted 1/9).
    skm_w0111 = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "day", "agency_id"], name="transparency_agencytotal_key"
            )
        ]
        verbose_name = _("total instansi")
        verbose_name_plural = _("total instansi")

    def __str__(self):
        return f"a{self.agency_id} {self.grain}{self.day}"


class ComplaintFact(models.Model):
    """What one complaint contributes to the rollups (dates are local dates of the handling agency,
    durations are working days of its calendar)."""

    complaint_id = models.BigIntegerField(primary_key=True)
    agency_id = models.BigIntegerField()
    unit_id = models.BigIntegerField(null=True)
    service_id = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=24)
    channel = models.CharField(max_length=20)
    status = models.CharField(max_length=24)
    is_open = models.BooleanField()
    received_day = models.DateField()
    answered_day = models.DateField(null=True)
    closed_day = models.DateField(null=True)
    response_due = models.DateField(null=True)
    deadline_state = models.CharField(max_length=12, null=True)
    #: the due date of the stage an open complaint is in (its "clock"); None when paused or closed
    due = models.DateField(null=True)
    open_day = models.DateField(null=True)  # ``due`` or a far-future day, for open complaints only
    response_days = models.IntegerField(null=True)
    closure_days = models.IntegerField(null=True)
    rating = models.SmallIntegerField(null=True)
    rating_day = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["agency_id", "is_open", "due"], name="transp_cfact_overdue")
        ]

    def __str__(self):
        return f"complaint {self.complaint_id}"


class ReportFact(models.Model):
    """What one integrity report contributes: counted at agency and national level only (never per
    unit), by the day it was received, its type, status, outcome and sanction level."""

    report_id = models.BigIntegerField(primary_key=True)
    agency_id = models.BigIntegerField()
    day = models.DateField()
    violation_type = models.CharField(max_length=30)
    status = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20, blank=True, default="")
    sanction_level = models.CharField(max_length=10, blank=True, default="")

    def __str__(self):
        return f"report {self.report_id}"


class SurveyFact(models.Model):
    """The pooled answers of one published SKM period, counted on the period's last day."""

    period_id = models.BigIntegerField(primary_key=True)
    agency_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    day = models.DateField()
    respondents = models.BigIntegerField(default=0)
    s1 = models.BigIntegerField(default=0)
    s2 = models.BigIntegerField(default=0)
    s3 = models.BigIntegerField(default=0)
    s4 = models.BigIntegerField(default=0)
    s5 = models.BigIntegerField(default=0)
    s6 = models.BigIntegerField(default=0)
    s7 = models.BigIntegerField(default=0)
    s8 = models.BigIntegerField(default=0)
    s9 = models.BigIntegerField(default=0)
    # The period's weight (a key of surveys.rules.WEIGHTS) when it is not the default 1/9, else empty;
    # with ``total`` (s1 + … + s9) it lets the dashboard weight each period's answers as its result does.
    weight = models.CharField(max_length=8, blank=True, default="")
    total = models.BigIntegerField(default=0)

    def __str__(self):
        return f"period {self.period_id}: {self.respondents}"


class UnitLink(models.Model):
    """Unit ancestry (a closure table: each unit with itself and every unit above it), rebuilt with the
    rollups so that set-based rebuilds add sub-units into their parents."""

    unit_id = models.BigIntegerField()
    ancestor_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "ancestor_id"], name="transparency_unitlink_once"
            )
        ]

    def __str__(self):
        return f"{self.unit_id} → {self.ancestor_id}"


class IndicatorTarget(models.Model):
    """An agency's target for one indicator of success in one year."""

    agency = models.ForeignKey("core.Agency", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=30, choices=[(i.code, i.name) for i in rules.INDICATORS])
    year = models.PositiveSmallIntegerField()
    target = models.DecimalField(max_digits=10, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code", "year"], name="transparency_target_once"
            )
        ]
        verbose_name = _("target indikator")
        verbose_name_plural = _("target indikator")

    def __str__(self):
        return f"{self.agency} {self.code} {self.year}: {self.target}"
