"""Unexcused absences are recorded only on dates the working-day calendar covers
(core.calendar.out_of_years): a date in year 0001 or 1900 is refused at the dates field, on the page
and in the API, and nothing is written."""

import pytest
from django.test import Client

from amanah.personnel.models import Absence

pytestmark = pytest.mark.django_db

MESSAGE = "Tanggal harus antara tahun 1990 dan 2100."


@pytest.mark.parametrize("day", ["0001-01-01", "1900-01-02"])
def test_the_page_refuses_an_absence_outside_the_calendar_years(people, org, day):
    c = Client(raise_request_exception=False)
    c.force_login(people["hr"])
    r = c.post(f"/kepegawaian/pegawai/{org['a']['staff'].nip}/ketidakhadiran/", {"dates": day})
    assert r.status_code == 400, r.status_code
    assert MESSAGE in r.content.decode()
    assert not Absence.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "1900-01-02"])
def test_the_api_refuses_an_absence_outside_the_calendar_years(people, org, api_as, day):
    r = api_as(people["hr"]).post(
        f"/api/v1/personnel/employees/{org['a']['staff'].nip}/absences", {"dates": [day]}
    )
    assert r.status_code == 422, r.content
    assert r.json()["fields"] == {"dates": MESSAGE}
    assert not Absence.objects.exists()
