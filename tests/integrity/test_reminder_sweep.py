"""The investigators' reminder sweep decides on the locked row: a sweep that overlaps another (two
workers, or the schedule and a manual run) reminds of each deadline once, a case closed meanwhile is
left alone; each reminder records how many people it reached, and one that reaches nobody says so."""

import datetime as dt
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _reminders():
    from amanah.core.models import AuditEntry

    return AuditEntry.objects.filter(action="integrity.reminder_sent")


def test_overlapping_reminder_sweeps_remind_once(make_case, monkeypatch):
    from amanah.integrity import services

    report = make_case()
    on = report.created_on + dt.timedelta(days=5)
    real, done = services._deadline_items, []

    def interleaved(r):
        items = real(r)
        if not done:  # after this sweep read what is due, a second sweep runs to its end
            done.append(r.pk)
            assert services.send_reminders(on=on) == 1
        return items

    monkeypatch.setattr(services, "_deadline_items", interleaved)
    assert services.send_reminders(on=on) == 0
    report.refresh_from_db()
    assert _reminders().count() == 1
    assert len(report.reminders_sent) == len(set(report.reminders_sent))


def test_a_case_closed_after_the_sweep_read_it_is_not_reminded_of(make_case, monkeypatch):
    from amanah.integrity import services
    from amanah.integrity.models import Report

    report = make_case()
    on = report.created_on + dt.timedelta(days=5)
    real = services._deadline_items

    def closed_meanwhile(r):
        items = real(r)
        Report.objects.filter(pk=r.pk).update(status="ditutup")
        return items

    monkeypatch.setattr(services, "_deadline_items", closed_meanwhile)
    assert services.send_reminders(on=on) == 0
    assert not _reminders().exists()
    report.refresh_from_db()
    assert report.reminders_sent == []


def test_a_reminder_records_how_many_it_reached(make_case, users):
    from amanah.integrity import services

    report = make_case()
    assert services.send_reminders(on=report.created_on + dt.timedelta(days=5)) == 1
    assert _reminders().get().details["notified"] == 1  # agency A's inspectorate account


def test_a_reminder_that_reaches_nobody_is_recorded_and_logged(make_case, users, caplog):
    from amanah.integrity import services

    inspector = users[("inspektorat", "a")]  # the agency's only inspectorate account
    inspector.is_active = False
    inspector.save()
    report = make_case()
    caplog.set_level(logging.WARNING, logger="amanah.integrity.services")
    assert services.send_reminders(on=report.created_on + dt.timedelta(days=5)) == 1
    assert _reminders().get().details["notified"] == 0
    assert any(
        r.levelno == logging.WARNING and "nobody to notify" in r.getMessage()
        for r in caplog.records
    )


def test_the_sweep_costs_the_same_whatever_the_number_of_cases_with_nothing_due(make_case):
    from amanah.integrity import services

    def cost(on):
        with CaptureQueriesContext(connection) as ctx:
            assert services.send_reminders(on=on) == 0
        return len(ctx.captured_queries)

    first = make_case()
    make_case()
    cost(first.created_on)  # reference data remembered
    few = cost(first.created_on)
    for _ in range(10):
        make_case()
    assert cost(first.created_on) == few
