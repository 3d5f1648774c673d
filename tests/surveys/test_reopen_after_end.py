"""A closed period whose end date has passed is opened again with a new end date, today or later; without
one it is refused, since it would refuse every answer (``period_ended``) and the hourly sweep would
close it again."""

import datetime as dt
import html

import pytest
from django.test import Client

from amanah.core.models import AuditEntry
from amanah.surveys import services
from amanah.surveys.models import SurveyPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(make_period, add_answers, today):
    """A period that ended yesterday, closed by the sweep."""
    p = make_period(start=today - dt.timedelta(days=20), end=today - dt.timedelta(days=1))
    add_answers(p, [[3] * 9])
    assert services.close_ended_periods() == 1
    p.refresh_from_db()
    return p


def test_reopening_needs_a_new_end_date_today_or_later(ended, manager, today):
    with pytest.raises(services.SurveyError) as e:
        services.reopen_period(manager, ended)
    assert e.value.code == "end_passed" and e.value.status == 422 and "end" in e.value.fields
    with pytest.raises(services.SurveyError) as e:
        services.reopen_period(manager, ended, end=today - dt.timedelta(days=1))
    assert e.value.code == "invalid_input" and "sebelum hari ini" in e.value.fields["end"]
    ended.refresh_from_db()
    assert ended.status == "closed" and ended.end == today - dt.timedelta(days=1)

    p = services.reopen_period(manager, ended, end=today + dt.timedelta(days=14))
    p.refresh_from_db()
    assert p.status == "open" and p.end == today + dt.timedelta(days=14)
    services.check_takes_answers(p)  # takes answers again
    assert services.close_ended_periods() == 0
    change = AuditEntry.objects.get(action="surveys.period_end_changed", object_id=str(p.pk))
    assert change.details["end"] == (today + dt.timedelta(days=14)).isoformat()


def test_a_period_that_has_not_ended_reopens_as_it_is(make_period, manager, users, today):
    p = make_period()
    services.close_period(users[("admin", None)], p)
    end = p.end
    p = services.reopen_period(manager, p)
    p.refresh_from_db()
    assert p.status == "open" and p.end == end
    assert not AuditEntry.objects.filter(action="surveys.period_end_changed").exists()


def test_the_new_end_may_not_overlap_the_next_period(ended, make_period, manager, today):
    make_period(start=today + dt.timedelta(days=10), end=today + dt.timedelta(days=40))
    with pytest.raises(services.SurveyError) as e:
        services.reopen_period(manager, ended, end=today + dt.timedelta(days=10))
    assert e.value.code == "period_overlap" and "end" in e.value.fields
    p = services.reopen_period(manager, ended, end=today + dt.timedelta(days=9))
    assert SurveyPeriod.objects.get(pk=p.pk).end == today + dt.timedelta(days=9)


def test_the_api(ended, manager, api_as, today):
    client = api_as(manager)
    url = f"/api/v1/surveys/periods/{ended.pk}/reopen"
    r = client.post(url)
    assert r.status_code == 422 and r.json()["error"] == "end_passed", r.content
    assert "end" in r.json()["fields"]
    new_end = (today + dt.timedelta(days=7)).isoformat()
    r = client.post(url, {"end": new_end})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "open" and r.json()["end"] == new_end


def test_the_page_asks_for_the_new_end_and_keeps_what_was_typed(ended, manager, today):
    c = Client()
    c.force_login(manager)
    page = c.get(f"/skm/staf/periode/{ended.pk}/").content.decode()
    assert 'name="end"' in page and "sudah lewat" in page
    url = f"/skm/staf/periode/{ended.pk}/status/"
    r = c.post(url, {"action": "reopen"})
    assert r.status_code == 400
    assert "Isi tanggal selesai baru" in html.unescape(r.content.decode())
    past = (today - dt.timedelta(days=3)).isoformat()
    r = c.post(url, {"action": "reopen", "end": past})
    text = html.unescape(r.content.decode())
    assert r.status_code == 422 and "tidak boleh sebelum hari ini" in text
    assert f'value="{past}"' in text and 'href="#reopen-end"' in text
    ended.refresh_from_db()
    assert ended.status == "closed"
    new_end = (today + dt.timedelta(days=5)).isoformat()
    r = c.post(url, {"action": "reopen", "end": new_end})
    assert r.status_code == 302
    ended.refresh_from_db()
    assert ended.status == "open" and ended.end.isoformat() == new_end
