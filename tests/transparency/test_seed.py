"""``amanah seed`` creates complaints and survey answers in bulk and the dashboard reflects them."""

import io

from django.core.management import call_command


def test_seed_then_dashboard_agrees_with_raw_counts(db, api):
    from amanah.complaints.models import Complaint
    from amanah.surveys.models import Response, SurveyPeriod

    out = io.StringIO()
    call_command(
        "seed", agencies=2, units=3, employees=1, complaints=400, survey_answers=600, stdout=out
    )
    assert Complaint.objects.count() == 400 and Response.objects.count() == 600
    assert not SurveyPeriod.objects.filter(snapshot__isnull=True).exists()
    s = api.get("/api/v1/transparency/summary", {"start": "2000-01-01"}).json()
    # the default period may be limited to three years; received includes everything in it
    assert s["error"] == "period_too_long"
    from django.utils import timezone

    start = (timezone.localdate().replace(year=timezone.localdate().year - 2)).isoformat()
    s = api.get("/api/v1/transparency/summary", {"start": start}).json()
    # nationally a complaint transferred to another agency counts once, by the receiving agency's case
    # (the seed's transferred complaints have none)
    national = Complaint.objects.exclude(status="dialihkan").count()
    assert 0 < national < 400 and s["complaints_received"] == national
    assert (
        s["open"]
        == Complaint.objects.filter(
            status__in=["diterima", "diteruskan", "diproses", "dijawab", "menunggu_kelengkapan"]
        ).count()
    )
    # only published periods reach the public IKM; the seed closes some without publishing them
    published = Response.objects.filter(period__status="published").count()
    assert 0 < published < 600 and s["ikm_respondents"] == published
    # rebuilding from scratch gives the same figures
    call_command("transparency_rebuild", stdout=out)
    assert (
        api.get("/api/v1/transparency/summary", {"start": start}).json()["complaints_received"]
        == national
    )
