"""Follow-up plans and their progress: a refused progress report shows the period page again (400)
with what was typed, the error at the field of that plan's row and summed up at the top; text longer
than its limit is refused with a field error (the same in the service, the page and the API) instead
of being cut."""

import datetime as dt

import pytest
from django.test import Client

from amanah.surveys import services
from amanah.surveys.models import FollowUpPlan, SurveyPeriod
from tests.error_summary import checked_summary

pytestmark = pytest.mark.django_db

EXAMPLE = [[3, 3, 2, 4, 3, 3, 4, 2, 3], [4, 3, 3, 4, 3, 4, 4, 3, 2]]


@pytest.fixture
def closed(period, add_answers, users):
    add_answers(period, EXAMPLE)
    services.close_period(users[("admin", None)], period)
    return period


@pytest.fixture
def plan(closed, users, today):
    return services.add_plan(
        users[("admin", None)],
        closed,
        element="U3",
        action="Tambah loket",
        owner="Kabid",
        due=today + dt.timedelta(days=30),
    )


def _staff(user):
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


def _progress(client, plan, data):
    return client.post(f"/skm/staf/periode/{plan.period_id}/rencana/{plan.pk}/kemajuan/", data)


def test_refused_progress_keeps_the_typed_note_and_leads_to_the_field(plan, manager):
    note = "Meja baru datang, petugas dilatih minggu depan"
    r = _progress(_staff(manager), plan, {"progress": "150", "note": note})
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == [f"progress-{plan.pk}"]
    assert note in page
    assert 'value="150"' in page
    assert f'aria-describedby="progress-{plan.pk}_error"' in page
    plan.refresh_from_db()
    assert plan.progress == 0 and plan.progress_note == ""


def test_an_overlong_progress_note_is_refused_at_its_field_on_the_page(plan, manager):
    r = _progress(_staff(manager), plan, {"progress": "40", "note": "x" * 4001})
    assert r.status_code == 400
    assert checked_summary(r.content.decode()) == [f"note-{plan.pk}"]
    plan.refresh_from_db()
    assert plan.progress == 0 and plan.progress_note == ""


def test_a_progress_report_still_saves(plan, manager):
    r = _progress(_staff(manager), plan, {"progress": "40", "note": "x" * 4000})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.progress == 40 and len(plan.progress_note) == 4000


def test_the_service_refuses_an_overlong_note_instead_of_cutting_it(plan, manager, api_as):
    with pytest.raises(services.SurveyError) as exc:
        services.report_progress(manager, plan, progress=40, note="x" * 4001)
    assert exc.value.status == 422 and set(exc.value.fields) == {"note"}
    r = api_as(manager).post(
        f"/api/v1/surveys/plans/{plan.pk}/progress", {"progress": 40, "note": "x" * 4001}
    )
    assert r.status_code == 422, r.content
    assert set(r.json()["fields"]) == {"note"}
    plan.refresh_from_db()
    assert plan.progress == 0 and plan.progress_note == ""


def test_long_plan_text_is_refused_not_cut_in_the_api(closed, manager, api_as, today):
    r = api_as(manager).post(
        f"/api/v1/surveys/periods/{closed.pk}/plans",
        {
            "element": "U3",
            "action": "a" * 4001,
            "owner": "o" * 201,
            "due": (today + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["error"] == "invalid_input"
    assert set(body["fields"]) == {"action", "owner"}
    assert "4000" in body["fields"]["action"] and "200" in body["fields"]["owner"]
    assert not FollowUpPlan.objects.exists()


def test_plan_text_at_its_limit_is_taken_whole(closed, manager, api_as, today):
    r = api_as(manager).post(
        f"/api/v1/surveys/periods/{closed.pk}/plans",
        {
            "element": "U3",
            "action": "a" * 4000,
            "owner": "o" * 200,
            "due": (today + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert r.status_code == 201, r.content
    plan = FollowUpPlan.objects.get()
    assert len(plan.action) == 4000 and len(plan.owner) == 200


def test_a_long_period_title_is_refused_not_cut(org, manager, api_as, today):
    r = api_as(manager).post(
        "/api/v1/surveys/periods",
        {
            "unit": org["a"]["bidang"].code,
            "start": today.isoformat(),
            "end": (today + dt.timedelta(days=90)).isoformat(),
            "population": 1200,
            "title": "T" * 201,
        },
    )
    assert r.status_code == 422, r.content
    assert "title" in r.json()["fields"]
    assert not SurveyPeriod.objects.exists()


def test_a_long_analysis_is_refused_not_cut_in_the_api(closed, manager, api_as):
    r = api_as(manager).post(
        f"/api/v1/surveys/periods/{closed.pk}/publish", {"analysis": "x" * 10001}
    )
    assert r.status_code == 422, r.content
    assert set(r.json()["fields"]) == {"analysis"}
    closed.refresh_from_db()
    assert closed.status == "closed" and closed.analysis == ""
