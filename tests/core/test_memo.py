"""Reference data remembered between requests (service catalogue, calendar closures): a change is seen at once
in the process that made it, and within ``REFERENCE_CACHE_SECONDS`` in the others."""

import datetime as dt

import pytest

from amanah.core import memo
from amanah.core.calendar import Calendar
from amanah.core.models import Closure

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 7, 15)  # a Wednesday, a working day in the national calendar


class FakeMonotonic:
    def __init__(self, monkeypatch):
        self.now = 1000.0
        monkeypatch.setattr(memo.time, "monotonic", lambda: self.now)


def test_a_closure_added_here_counts_at_once(org, users):
    from amanah.core import services

    agency = org["a"]["agency"]
    assert Calendar(agency).is_working_day(DAY)  # remembered now
    services.add_closure(users[("admin", None)], agency, DAY, "Banjir")
    assert not Calendar(agency).is_working_day(DAY)
    assert Calendar(agency).add(dt.date(2026, 7, 14), 1) == dt.date(2026, 7, 16)


def test_a_change_made_elsewhere_shows_after_the_ttl(org, settings, monkeypatch):
    """Another server's change fires no signal here (simulated with ``bulk_create``): the old calendar is
    kept until the entry expires, then read again."""
    settings.REFERENCE_CACHE_SECONDS = 60
    clock = FakeMonotonic(monkeypatch)
    agency = org["a"]["agency"]
    assert Calendar(agency).is_working_day(DAY)
    Closure.objects.bulk_create([Closure(agency=agency, date=DAY, name="Banjir")])
    clock.now += 59
    assert Calendar(agency).is_working_day(DAY)
    clock.now += 2
    assert not Calendar(agency).is_working_day(DAY)


def test_zero_seconds_turns_the_memory_off(org, settings):
    settings.REFERENCE_CACHE_SECONDS = 0
    agency = org["a"]["agency"]
    assert Calendar(agency).is_working_day(DAY)
    Closure.objects.bulk_create([Closure(agency=agency, date=DAY, name="Banjir")])
    assert not Calendar(agency).is_working_day(DAY)


def test_each_agency_has_its_own_calendar(org):
    Closure.objects.create(agency=org["a"]["agency"], date=DAY, name="Banjir")
    assert not Calendar(org["a"]["agency"]).is_working_day(DAY)
    assert Calendar(org["b"]["agency"]).is_working_day(DAY)
    assert Calendar().is_working_day(DAY)


def test_a_deactivated_service_is_refused_at_once(org, api):
    """The intake's service lookup is remembered too; deactivating the service here takes effect at once."""
    from amanah.core.selectors import active_service

    service = org["a"]["service"]
    assert active_service(service.code).pk == service.pk
    assert active_service(str(service.pk)).pk == service.pk
    service.is_active = False
    service.save()
    assert active_service(service.code) is None
    r = api.post(
        "/api/v1/complaints",
        {
            "service": service.code,
            "title": "Antrean",
            "description": "Antrean tidak tertib.",
            "identity_mode": "anonim",
        },
    )
    assert r.status_code == 422 and r.json()["fields"]["service"].startswith(
        "Layanan tidak dikenal"
    )


def test_an_agency_change_reaches_the_remembered_service(org):
    """The agency's time zone decides the deadline's calendar: a change to it clears remembered services."""
    from amanah.core.selectors import active_service

    service = org["a"]["service"]
    assert active_service(service.code).unit.agency.time_zone == "Asia/Jakarta"
    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Makassar"
    agency.save()
    assert active_service(service.code).unit.agency.time_zone == "Asia/Makassar"


def test_misses_are_not_remembered_and_the_memory_is_bounded(monkeypatch):
    m = memo.Memo("test-bounded", (), max_entries=3)
    calls = []
    assert m.get("x", lambda: calls.append(1)) is None
    assert m.get("x", lambda: calls.append(1)) is None
    assert len(calls) == 2  # None is computed again each time
    for k in range(5):
        assert m.get(k, lambda k=k: k * 10) == k * 10
    assert len(m._data) <= 3
    assert m.get(4, lambda: "recomputed") == 40  # still remembered
