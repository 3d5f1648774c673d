"""A form sent twice at once (two threads, two connections) gets the ordinary refusal for the second,
never the database's unique constraint as a 500: the service locks the case or the ASN first and
checks again on what it then reads. Meaningful on PostgreSQL (SQLite serialises writes anyway)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from amanah.core.calendar import Calendar
from amanah.personnel import models as m
from amanah.personnel import services

from . import helpers


def _twice(monkeypatch, name, call):
    """Run ``call`` in two threads that both pass ``services.<name>`` (a step before the lock)
    before either goes on; return the outcomes."""
    barrier = threading.Barrier(2)
    real = getattr(services, name)

    def synced(*args, **kwargs):
        out = real(*args, **kwargs)
        barrier.wait(10)
        return out

    monkeypatch.setattr(services, name, synced)
    results = []

    def go():
        try:
            call()
            results.append("ok")
        except Exception as e:
            results.append(type(e).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_summons_sent_twice(people, org, monkeypatch):
    case = helpers.case(org["a"]["staff"])
    sent = helpers.today()

    def call():
        services.summon(
            people["hr"],
            m.DisciplineCase.objects.get(pk=case.pk),
            sent_on=sent,
            examination_on=sent + dt.timedelta(days=30),
        )

    assert _twice(monkeypatch, "rule_tables", call) == ["ValidationError", "ok"]
    assert m.Summons.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True)
def test_skp_created_twice(people, org, monkeypatch):
    staff, period = org["a"]["staff"], helpers.period(org["a"]["agency"])
    indicators = [{"description": "Laporan", "target": "12", "unit": "dokumen"}]

    def call():
        services.create_skp(people["hr"], staff, period, indicators=indicators)

    assert _twice(monkeypatch, "_clean_indicators", call) == ["ValidationError", "ok"]
    assert m.Skp.objects.filter(employee=staff, period=period).count() == 1


@pytest.mark.django_db(transaction=True)
def test_absences_recorded_twice(people, org, monkeypatch):
    staff = org["a"]["staff"]
    cal = Calendar(org["a"]["agency"])
    day = cal.local_date()
    while not cal.is_working_day(day):
        day -= dt.timedelta(days=1)
    added = []

    def call():
        added.append(services.record_absences(people["hr"], staff, [day]))

    assert _twice(monkeypatch, "out_of_years", call) == ["ok", "ok"]
    assert sorted(added) == [0, 1]
    assert m.Absence.objects.filter(employee=staff).count() == 1
