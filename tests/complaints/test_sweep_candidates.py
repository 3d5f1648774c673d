"""The deadline sweep runs every 15 minutes over the open complaints of every agency: it picks in SQL the
cases it may have something to do for, so that an open case with nothing to do costs nothing, and still
finds every case it must act on, whatever the agency's time zone, calendar or options."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amanah.complaints import services
from amanah.complaints.models import Complaint
from amanah.core.services import add_closure

pytestmark = pytest.mark.django_db

WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


def _cost():
    with CaptureQueriesContext(connection) as ctx:
        counts = services.sweep()
    assert not any(counts.values()), counts
    return len(ctx.captured_queries)


def test_idle_open_cases_cost_the_sweep_no_statement(clock, submit, walk, users, org):
    clock.set(dt.date(2026, 6, 1))

    def idle_cases():
        # Taken up with the longest tier: the resolution is due in 60 working days.
        c = services.verify(
            users[("operator", "a")], submit(), tier="pemeriksaan", unit=org["a"]["bidang"]
        )
        services.start(users[("unit", "a")], c)
        walk(submit(), "menunggu_kelengkapan")  # completion due in 30 days
        walk(submit(), "dijawab")  # closes by itself on 15 June
        # Overdue, and already at the top of the escalation ladder.
        top = submit()
        Complaint.objects.filter(pk=top.pk).update(
            verification_due=dt.date(2026, 5, 1), escalation_level=3
        )
        # Due tomorrow, and its handlers already warned.
        warned = submit()
        Complaint.objects.filter(pk=warned.pk).update(
            verification_due=dt.date(2026, 6, 2), due_soon_notified=dt.date(2026, 6, 2)
        )

    idle_cases()
    _cost()  # reference data remembered
    few = _cost()
    for _ in range(5):
        idle_cases()
    assert _cost() == few


def test_the_sweep_acts_on_the_cases_of_the_easternmost_zone_from_their_midnight(
    clock, submit, org
):
    a = org["a"]["agency"]
    a.time_zone = "Asia/Jayapura"  # WIT
    a.save()
    clock.set(dt.date(2026, 6, 1))  # Monday: verification due Thursday 4 June
    in_wit = submit()
    in_wib = services.submit(
        None,
        {"service": org["b"]["service"], "title": "B", "description": "Kasus B.", "name": "Bu B"},
        channel="web",
    )
    assert in_wit.verification_due == in_wib.verification_due == dt.date(2026, 6, 4)
    clock.set(dt.datetime(2026, 6, 5, 0, 30, tzinfo=WIT))  # still 4 June, 22:30, in WIB
    assert services.sweep() == {
        "auto_closed": 0,
        "withdrawn": 0,
        "due_soon": 1,  # the WIB case: due today there
        "escalated": 1,  # the WIT case: a day late there, straight to the complaint manager
        "failed": 0,
    }
    in_wit.refresh_from_db(), in_wib.refresh_from_db()
    assert in_wit.escalation_level == 2 and in_wib.due_soon_notified == dt.date(2026, 6, 4)


def test_an_answer_closes_by_itself_from_midnight_in_the_easternmost_zone(clock, submit, walk, org):
    a = org["a"]["agency"]
    a.time_zone = "Asia/Jayapura"
    a.save()
    clock.set(dt.date(2026, 6, 1))
    c = walk(submit(), "dijawab")
    assert c.auto_close_due == dt.date(2026, 6, 15)
    clock.set(dt.datetime(2026, 6, 15, 23, 30, tzinfo=WIT))
    assert services.sweep()["auto_closed"] == 0  # the last day to reply
    clock.set(dt.datetime(2026, 6, 16, 0, 30, tzinfo=WIT))  # still 15 June in WIB
    assert services.sweep()["auto_closed"] == 1
    c.refresh_from_db()
    assert c.status == "selesai" and c.close_reason == "otomatis"


def test_due_soon_is_counted_in_the_agencys_working_days_across_its_closures(
    clock, submit, walk, org, users, django_capture_on_commit_callbacks
):
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "diteruskan")
    assert c.response_due == dt.date(2026, 6, 9)
    clock.set(dt.date(2026, 6, 8))
    with django_capture_on_commit_callbacks(execute=True):  # the offices close 9 to 12 June
        for day in range(9, 13):
            add_closure(
                users[("pengelola", "a")], org["a"]["agency"], dt.date(2026, 6, day), "Banjir"
            )
    c.refresh_from_db()
    assert c.response_due == dt.date(2026, 6, 15)  # a week away, and the next working day
    assert services.sweep()["due_soon"] == 1


def test_due_soon_follows_each_agencys_own_horizon(clock, submit, org):
    b = org["b"]["agency"]
    b.options = {"complaints": {"due_soon_days": 3}}
    b.save()
    clock.set(dt.date(2026, 6, 1))  # Monday: verification due Thursday 4 June
    submit()
    in_b = services.submit(
        None,
        {"service": org["b"]["service"], "title": "B", "description": "Kasus B.", "name": "Bu B"},
        channel="web",
    )
    assert services.sweep()["due_soon"] == 1  # three working days away: soon for B, not for A
    in_b.refresh_from_db()
    assert in_b.due_soon_notified == dt.date(2026, 6, 4)
