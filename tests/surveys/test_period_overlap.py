"""Two periods of one unit about the same service (or two unit-wide ones) may not overlap: the answers of
one day would belong to two surveys of the same thing. A unit-wide period may run beside a period of
one of its services."""

import datetime as dt
import html

import pytest
from django.test import Client

from amanah.surveys import services
from amanah.surveys.models import SurveyPeriod

pytestmark = pytest.mark.django_db


def _days(today, a, b):
    return {"start": today + dt.timedelta(days=a), "end": today + dt.timedelta(days=b)}


def test_an_overlapping_period_of_the_same_unit_and_service_is_refused(make_period, org, today):
    make_period(**_days(today, -10, 10))
    with pytest.raises(services.SurveyError) as e:
        make_period(**_days(today, 10, 40))  # its first day is the other's last
    assert e.value.code == "period_overlap" and e.value.status == 409
    assert "tumpang tindih" in e.value.fields["start"]
    make_period(**_days(today, 11, 40))  # the day after is fine
    svc = org["a"]["service"]
    make_period(service=svc, **_days(today, -5, 5))  # a service beside the unit-wide period
    with pytest.raises(services.SurveyError) as e:
        make_period(service=svc, **_days(today, -30, -5))
    assert e.value.code == "period_overlap" and "layanan yang sama" in e.value.message
    make_period(unit=org["a"]["dinas"], **_days(today, -10, 10))  # another unit
    assert SurveyPeriod.objects.count() == 4


def test_any_status_counts(make_period, add_answers, users, today):
    admin = users[("admin", None)]
    old = make_period(**_days(today, -100, -50))
    add_answers(old, [[3] * 9])
    services.close_period(admin, old)
    services.publish_period(admin, old)
    with pytest.raises(services.SurveyError) as e:
        make_period(**_days(today, -60, 10))
    assert e.value.code == "period_overlap"


def test_the_api_answers_409_with_the_code(make_period, manager, api_as, org, today):
    make_period(**_days(today, -10, 10))
    r = api_as(manager).post(
        "/api/v1/surveys/periods",
        {
            "unit": org["a"]["bidang"].code,
            "start": today.isoformat(),
            "end": (today + dt.timedelta(days=30)).isoformat(),
            "population": 100,
        },
    )
    assert r.status_code == 409, r.content
    assert r.json()["error"] == "period_overlap" and "start" in r.json()["fields"]
    assert SurveyPeriod.objects.count() == 1


def test_the_page_says_why_and_keeps_what_was_typed(make_period, manager, org, today):
    make_period(**_days(today, -10, 10))
    c = Client()
    c.force_login(manager)
    start = (today + dt.timedelta(days=5)).isoformat()
    r = c.post(
        "/skm/staf/",
        {
            "unit": org["a"]["bidang"].pk,
            "title": "Survei triwulan kedua",
            "start": start,
            "end": (today + dt.timedelta(days=60)).isoformat(),
            "population": "250",
        },
    )
    assert r.status_code == 400
    page = html.unescape(r.content.decode())
    assert "tumpang tindih dengan periode survei lain unit ini" in page
    assert 'value="Survei triwulan kedua"' in page and f'value="{start}"' in page
    assert 'value="250"' in page
    assert SurveyPeriod.objects.count() == 1
