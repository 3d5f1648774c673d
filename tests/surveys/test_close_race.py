"""A questionnaire sent while the period is being closed: either the close waits for it and counts it,
or the close commits first and the questionnaire is refused as closed. Never a response stored after
the close that the frozen results leave out. Needs row locks across connections (PostgreSQL)."""

import threading

import pytest
from django.db import connection, transaction

from amanah.surveys import services
from amanah.surveys.models import PeriodStatus, Response, SurveyPeriod

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ANSWERS = {f"U{i}": 3 for i in range(1, 10)}


def _in_thread(target, name):
    out = {}

    def run():
        try:
            out["r"] = target()
        except Exception as e:  # noqa: BLE001 - handed back to the test
            out["e"] = e
        finally:
            connection.close()

    t = threading.Thread(target=run, name=name)
    t.start()
    return t, out


def test_close_waits_for_a_response_being_stored(period, manager, add_answers, monkeypatch):
    """The response has passed the check when the close starts: the close waits and counts it."""
    add_answers(period, [(3, 3, 2, 4, 3, 3, 4, 2, 3)])
    checked, release = threading.Event(), threading.Event()
    real = services.check_takes_answers

    def check_then_pause(p, today=None):
        real(p, today)
        if threading.current_thread().name == "citizen":
            checked.set()
            release.wait(10)

    monkeypatch.setattr(services, "check_takes_answers", check_then_pause)
    citizen, answered = _in_thread(
        lambda: services.record_response(SurveyPeriod.objects.get(pk=period.pk), answers=ANSWERS),
        "citizen",
    )
    assert checked.wait(10)
    closer, closed = _in_thread(
        lambda: services.close_period(manager, SurveyPeriod.objects.get(pk=period.pk)), "closer"
    )
    closer.join(1.0)
    assert closer.is_alive(), "the close did not wait for the response being stored"
    release.set()
    citizen.join(10)
    closer.join(10)
    assert "e" not in answered and "e" not in closed, (answered, closed)
    p = SurveyPeriod.objects.get(pk=period.pk)
    assert p.status == PeriodStatus.CLOSED
    assert p.snapshot["respondents"] == Response.objects.filter(period=p).count() == 2


def test_response_waiting_on_a_close_is_refused(period, manager, add_answers):
    """The close holds the period when the response arrives: the response waits, then is refused."""
    add_answers(period, [(3, 3, 2, 4, 3, 3, 4, 2, 3)])
    stale = SurveyPeriod.objects.get(pk=period.pk)  # read while still open
    with transaction.atomic():
        services.close_period(manager, SurveyPeriod.objects.get(pk=period.pk))
        citizen, answered = _in_thread(
            lambda: services.record_response(stale, answers=ANSWERS), "citizen"
        )
        citizen.join(1.0)
        assert citizen.is_alive(), "the response did not wait for the close"
    citizen.join(10)
    err = answered.get("e")
    assert isinstance(err, services.SurveyError) and err.code == "period_closed", answered
    p = SurveyPeriod.objects.get(pk=period.pk)
    assert p.snapshot["respondents"] == Response.objects.filter(period=p).count() == 1
