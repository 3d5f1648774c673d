"""Every SKM date is the agency's: a period of an agency in WIT (UTC+9) takes answers from 00:00 WIT on its
first day to 24:00 WIT on its last, two hours ahead of the server's WIB, on the page, in the API, in the
public list, in the sweep and in what an answer is stored with."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from amanah.surveys import services
from amanah.surveys.models import DeviceMark, Response

from .conftest import body

pytestmark = pytest.mark.django_db

START, END = dt.date(2030, 1, 11), dt.date(2030, 1, 20)
WIT = dt.timezone(dt.timedelta(hours=9))
#: 00:30 WIT on the first day: still 22:30 of the day before in WIB.
FIRST_DAY_0030 = dt.datetime(2030, 1, 11, 0, 30, tzinfo=WIT)
#: 00:30 WIT on the day after the last: still the last day in WIB.
DAY_AFTER_0030 = dt.datetime(2030, 1, 21, 0, 30, tzinfo=WIT)


@pytest.fixture
def wit_period(org, users):
    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Jayapura"
    agency.save()
    return services.create_period(
        users[("admin", None)], unit=org["a"]["bidang"], population=100, start=START, end=END
    )


@pytest.fixture
def at(monkeypatch):
    def set_moment(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_moment


def test_the_first_local_day_takes_answers_before_the_servers_midnight(wit_period, at, api):
    at(FIRST_DAY_0030)
    client = Client()
    entry = client.get(f"/skm/u/{wit_period.unit.code}/")
    assert entry.status_code == 302
    assert client.get(entry["Location"]).status_code == 200
    assert wit_period.unit.name in Client().get("/skm/").content.decode()
    r = api.post(f"/api/v1/surveys/periods/{wit_period.pk}/responses", body())
    assert r.status_code == 201, r.content
    answer = Response.objects.get()
    assert (answer.submitted_on, answer.submitted_hour) == (START, 0)
    assert DeviceMark.objects.get().day == START


def test_the_day_after_the_local_end_refuses_answers_and_the_sweep_closes(wit_period, at, api):
    at(DAY_AFTER_0030)
    assert Client().get(f"/skm/s/{wit_period.short_code}/").status_code == 410
    assert wit_period.unit.name not in Client().get("/skm/").content.decode()
    r = api.post(f"/api/v1/surveys/periods/{wit_period.pk}/responses", body())
    assert r.status_code == 409 and r.json()["error"] == "period_ended"
    assert not Response.objects.exists()
    assert services.close_ended_periods() == 1
    wit_period.refresh_from_db()
    assert wit_period.status == "closed"


def test_device_marks_are_purged_by_the_agencys_date(wit_period, at):
    from amanah.surveys.tasks import purge_device_marks

    DeviceMark.objects.create(period=wit_period, day=START, digest="x" * 64)
    at(dt.datetime(2030, 1, 11, 23, 30, tzinfo=WIT))  # the mark's own day in WIT
    assert purge_device_marks.call() == 0
    at(dt.datetime(2030, 1, 12, 0, 30, tzinfo=WIT))  # the next day in WIT, still the 11th in WIB
    assert purge_device_marks.call() == 1
