"""The demo's cases are as old as their state needs, and their receipts spread over the months the
transparency dashboard shows: no case received today is already answered or closed, no history is
squeezed into the minutes before loading, and the inbox holds overdue cases and cases answered late."""

import datetime as dt

import pytest
from django.utils import timezone

from amanah.complaints import demo, rules
from amanah.complaints.models import Complaint
from amanah.core import demo as core_demo
from amanah.core.calendar import Calendar

from .conftest import WIB

pytestmark = pytest.mark.django_db

#: Steps a person takes (the sweeper's, at its rounds and at loading, are not a person's pace).
PEOPLE = ("submit", "verify", "start", "assign", "answer", "confirm", "dispute", "refer", "reject")


def load():
    demo.load(core_demo.load_organisation(), count=60)
    return list(Complaint.objects.select_related("agency"))


@pytest.mark.parametrize(
    "loaded_at",
    [
        dt.datetime(2026, 12, 7, 8, 10, tzinfo=WIB),  # a Monday morning, as the office opens
        dt.datetime(2026, 3, 20, 15, 30, tzinfo=WIB),  # Idul Fitri, amid cuti bersama
    ],
)
def test_no_history_is_squeezed_into_the_minutes_before_loading(clock, loaded_at):
    clock.set(loaded_at)
    cases = load()
    now = timezone.now()
    for c in cases:
        cal = Calendar(c.agency)
        steps = list(
            c.events.filter(action__in=PEOPLE).order_by("at", "pk").values_list("action", "at")
        )
        # a step of a person more than a few minutes before loading, each at least 40 minutes after
        # the one before: an officer's work, a complainant's reading of the answer
        assert all(now - at > dt.timedelta(minutes=30) for _a, at in steps), (c.pk, steps)
        for (_a, before), (action, at) in zip(steps, steps[1:], strict=False):
            assert at - before >= dt.timedelta(minutes=40), (c.pk, action, steps)
        if cal.local_date(c.received_at) == cal.local_date(now):
            assert c.status in (rules.RECEIVED, rules.INCOMPLETE, rules.FORWARDED), c.status
        if c.answered_at:  # verified, taken up and answered: on a later working day
            assert cal.between(cal.local_date(c.received_at), cal.local_date(c.answered_at)) >= 1


def test_receipts_spread_over_the_dashboard_months_with_overdue_and_late_answers():
    cases = load()
    now = timezone.now()
    received = [c.received_at for c in cases]
    months = {r.strftime("%Y-%m") for r in received}
    assert len(months) >= 6, sorted(months)
    assert min(received) >= now - dt.timedelta(days=365)  # inside the dashboard's default year
    assert sum(now - r < dt.timedelta(days=7) for r in received) < len(cases) / 4
    # the dashboard's "terlambat": open cases past their stage's date, and first responses given late
    assert any(c.is_open and c.is_overdue for c in cases)
    late = [
        c
        for c in cases
        if c.first_response_at
        and c.response_due
        and Calendar(c.agency).local_date(c.first_response_at) > c.response_due
    ]
    assert late
