"""Synthetic personnel data for ``amanah seed`` (benchmarks at national scale): education, trainings of
this year and last, one SKP period per agency with rated SKP. Bulk inserts only; no audit entries (the
data is synthetic)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from amanah.core.models import Employee

from . import rules
from .models import Profile, Skp, SkpPeriod, Training

EDUCATION_WEIGHTS = [("sma", 15), ("d3", 15), ("s1", 50), ("s2", 17), ("s3", 3)]
RATING_WEIGHTS = [("di_bawah", 8), ("sesuai", 72), ("di_atas", 20)]
TRAININGS = [
    ("Pelatihan pelayanan prima", "teknis", "pelatihan", 24),
    ("Komunikasi efektif", "soft_skill", "workshop", 16),
    ("E-learning integritas", "teknis", "e_learning", 10),
    ("Seminar antikorupsi", "teknis", "seminar", 4),
    ("Wawasan kebangsaan", "sosial_kultural", "pelatihan", 8),
    ("Pelatihan kepemimpinan pengawas", "kepemimpinan", "pelatihan", 279),
]


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def seed(command, rng, agencies, **options):
    today = timezone.localdate()
    for agency in agencies:
        emps = list(Employee.objects.filter(unit__agency=agency).values_list("pk", flat=True))
        if not emps:
            continue
        Profile.objects.bulk_create(
            [Profile(employee_id=pk, education=_pick(rng, EDUCATION_WEIGHTS)) for pk in emps],
            batch_size=5000,
            ignore_conflicts=True,
        )
        trainings = []
        for pk in emps:
            for _n in range(rng.randint(0, 4)):
                title, cat, method, jp = rng.choice(
                    TRAININGS[:-1] if rng.random() > 0.02 else TRAININGS
                )
                done = dt.date(
                    today.year - rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28)
                )
                done = min(done, today)
                trainings.append(
                    Training(
                        employee_id=pk,
                        title=title,
                        category=cat,
                        method=method,
                        jp=Decimal(jp),
                        status="selesai",
                        enrolled_on=done,
                        completed_on=done,
                        source="seed",
                    )
                )
        Training.objects.bulk_create(trainings, batch_size=5000)
        period, _created = SkpPeriod.objects.get_or_create(
            agency=agency,
            name=f"Tahun {today.year - 1}",
            defaults={
                "start": dt.date(today.year - 1, 1, 1),
                "end": dt.date(today.year - 1, 12, 31),
            },
        )
        skps = []
        for pk in emps:
            hk, pr = _pick(rng, RATING_WEIGHTS), _pick(rng, RATING_WEIGHTS)
            skps.append(
                Skp(
                    employee_id=pk,
                    period=period,
                    hasil_kerja=hk,
                    perilaku=pr,
                    predicate=rules.skp_predicate(hk, pr),
                    status="final",
                    source="seed",
                )
            )
        Skp.objects.bulk_create(skps, batch_size=5000, ignore_conflicts=True)
    if command is not None:
        command.stdout.write("personnel: education, trainings and SKP seeded")
