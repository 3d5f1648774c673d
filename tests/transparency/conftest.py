"""A varied data set for the dashboard tests: complaints in every state, integrity reports and SKM
periods, saved one by one with ``.save()`` so the post_save receivers keep the rollups current."""

import datetime as dt
import random

import pytest
from django.utils import timezone

TZ = timezone.get_fixed_timezone(7 * 60)  # WIB


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 15), tzinfo=TZ)


def make_complaints(org, n=80, seed=7, key="a"):
    """``n`` complaints in agency ``key`` with states, dates and deadlines spread over the last 200 days."""
    from amanah.complaints import rules as crules
    from amanah.complaints.models import Complaint
    from amanah.core.calendar import Calendar

    rng = random.Random(seed)
    o = org[key]
    cal = Calendar(o["agency"])
    today = timezone.localdate()
    out = []
    for i in range(n):
        received = today - dt.timedelta(days=rng.randint(0, 200))
        status = rng.choice(crules.STATUSES)
        unit = rng.choice([o["bidang"], o["dinas"], o["insp"], None])
        c = Complaint(
            tracking_code=f"T{key}{seed}{i:05d}",
            agency=o["agency"],
            unit=unit,
            service=o["service"] if unit == o["bidang"] and rng.random() < 0.7 else None,
            kind=rng.choice(crules.KINDS),
            channel=rng.choice(crules.CHANNELS),
            status=status,
            title=f"Pengaduan {i}",
            description="Uraian",
            received_at=_moment(received, rng.randint(0, 23)),
        )
        c.verification_due = cal.add(received, 3)
        forwarded = rng.random() < 0.85
        if forwarded:
            c.response_due = cal.add(received, rng.randint(3, 8))
            c.resolution_due = cal.add(received, rng.choice([5, 14, 60]))
        answered_after = rng.randint(0, 15)
        answered_day = received + dt.timedelta(days=answered_after)
        if status in {crules.ANSWERED, crules.CLOSED} or (
            status in crules.CLOSED_STATUSES and rng.random() < 0.5
        ):
            if answered_day <= today:
                c.first_response_at = _moment(answered_day, rng.randint(7, 16))
        if status in crules.CLOSED_STATUSES:
            closed_day = min(today, answered_day + dt.timedelta(days=rng.randint(0, 12)))
            c.closed_at = _moment(closed_day, 17)
            if status == crules.CLOSED and rng.random() < 0.7:
                c.rating = rng.randint(1, 5)
        elif status == crules.IN_PROGRESS and rng.random() < 0.4 and answered_day <= today:
            c.first_response_at = _moment(answered_day, 10)
        c.save()
        out.append(c)
    return out


def make_reports(org, counts, key="a"):
    """Integrity reports: ``counts`` = list of (violation_type, status, outcome, sanction_level, days_ago),
    the days (under 90) counted back from the last day of the last quarter that is over: the dashboard
    counts whistleblowing reports in closed calendar quarters
    (``core.rules.closed_publication_period``), whatever day the tests run."""
    from amanah.core.rules import publication_period
    from amanah.integrity.models import Report

    last_month_end = publication_period(timezone.localdate())[0] - dt.timedelta(days=1)
    out = []
    for i, (vtype, status, outcome, sanction, ago) in enumerate(counts):
        r = Report(
            case_number=f"WBS-{key}-{i}",
            receipt_hash=f"{key}{i:063d}",
            agency=org[key]["agency"],
            violation_type=vtype,
            status=status,
            outcome=outcome,
            sanction_level=sanction,
            created_on=last_month_end - dt.timedelta(days=ago),
            description="isi",
        )
        r.save()
        out.append(r)
    return out


def make_period(org, answers, key="a", unit="bidang", status="closed", end_ago=10, weight="exact"):
    from amanah.surveys.models import Response, SurveyPeriod

    end = timezone.localdate() - dt.timedelta(days=end_ago)
    p = SurveyPeriod.objects.create(
        agency=org[key]["agency"],
        unit=org[key][unit],
        start=end - dt.timedelta(days=60),
        end=end,
        population=500,
        required_sample=217,
        status="open",
        weight=weight,
    )
    for row in answers:
        Response.objects.create(period=p, **{f"u{i + 1}": v for i, v in enumerate(row)})
    p.status = status
    p.save()
    return p


@pytest.fixture
def dataset(org, django_capture_on_commit_callbacks):
    """Complaints in A (80) and B (20), integrity reports in A, two SKM periods (the older one with the
    printed weight 0,111); rollups kept by the receivers (the tasks run on commit with the immediate
    backend)."""
    rng = random.Random(3)
    with django_capture_on_commit_callbacks(execute=True):
        complaints = make_complaints(org, 80, seed=7, key="a") + make_complaints(
            org, 20, seed=9, key="b"
        )
        reports = make_reports(
            org,
            [
                ("korupsi", "selesai", "terbukti", "berat", 5),
                ("korupsi", "selesai", "terbukti", "sedang", 9),
                ("korupsi", "diperiksa", None, None, 20),
                ("korupsi", "ditelaah", None, None, 30),
                ("korupsi", "selesai", "tidak_terbukti", None, 40),
                ("korupsi", "diterima", None, None, 41),
                ("pungutan_liar", "selesai", "terbukti", "ringan", 12),
                ("pungutan_liar", "diterima", None, None, 3),
                ("gratifikasi", "ditutup", None, None, 60),
            ],
        )
        p1 = make_period(
            org,
            [[rng.randint(2, 4) for _ in range(9)] for _ in range(30)],
            unit="bidang",
            status="published",
            end_ago=20,
        )
        p0 = make_period(
            org,
            [[rng.randint(1, 4) for _ in range(9)] for _ in range(12)],
            unit="bidang",
            status="closed",
            end_ago=120,
            weight="0.111",
        )
        p2 = make_period(
            org,
            [[rng.randint(1, 4) for _ in range(9)] for _ in range(15)],
            unit="dinas",
            status="open",
            end_ago=5,
        )
    return {"complaints": complaints, "reports": reports, "periods": [p0, p1, p2]}
