"""Dates in the agency's own time zone (WIT is two hours ahead of WIB): the future-date check on
absences, the days left in a JP reminder and the day the yearly reminder sweep starts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from amanah.personnel import services
from amanah.personnel.models import Absence, Reminder
from amanah.personnel.tasks import jp_reminder_sweep
from tests.complaints.conftest import WIB, Clock


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def _wit(agency):
    agency.time_zone = "Asia/Jayapura"
    agency.save()


def test_an_absence_today_in_a_wit_office_is_not_in_the_future(people, org, make_user, clock):
    # Tue 10 Nov 2026, 23:00 WIB = Wed 11 Nov, 01:00 WIT.
    clock.set(dt.datetime(2026, 11, 10, 23, 0, tzinfo=WIB))
    wednesday = dt.date(2026, 11, 11)
    with pytest.raises(ValidationError):  # a WIB office: still tomorrow
        services.record_absences(people["hr"], org["a"]["staff"], [wednesday])
    _wit(org["b"]["agency"])
    hr_b = make_user("kepegawaian", org["b"]["agency"])
    assert services.record_absences(hr_b, org["b"]["staff"], [wednesday]) == 1
    assert Absence.objects.filter(employee=org["b"]["staff"], date=wednesday).exists()


def test_days_left_in_a_jp_reminder_are_the_agencys(people, org, clock, monkeypatch):
    bodies = []
    monkeypatch.setattr(
        services.notify, "email", lambda to, subject, body, *a, **k: bodies.append((to, body))
    )
    # Wed 30 Dec 2026, 23:30 WIB = Thu 31 Dec, 01:30 WIT: no day left in Jayapura, one in Jakarta.
    clock.set(dt.datetime(2026, 12, 30, 23, 30, tzinfo=WIB))
    _wit(org["b"]["agency"])
    org["b"]["staff"].email = "staf@b.test"
    org["b"]["staff"].save()
    assert services.send_jp_reminders(None, org["b"]["agency"])
    assert services.send_jp_reminders(None, org["a"]["agency"])
    said = dict(bodies)
    assert "tahun ini tinggal 0 hari" in said["staf@b.test"]
    assert "tahun ini tinggal 1 hari" in said[org["a"]["staff"].email]


def test_the_sweep_starts_on_each_agencys_own_date(people, org, clock):
    # The reminders start 92 days before 31 December: on 30 September. At 23:30 WIB on 29 September
    # it is already 30 September in a WIT agency, not yet in a WIB one.
    clock.set(dt.datetime(2026, 9, 29, 23, 30, tzinfo=WIB))
    _wit(org["b"]["agency"])
    assert jp_reminder_sweep.call() > 0
    agencies = set(Reminder.objects.values_list("employee__unit__agency", flat=True))
    assert agencies == {org["b"]["agency"].pk}
