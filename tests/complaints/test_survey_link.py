"""Closing the loop: the closing message invites the complainant to the unit's open SKM survey
(through surveys' ``survey_url(unit)`` contract)."""

import datetime as dt

import pytest

from amanah.complaints import services

pytestmark = pytest.mark.django_db


def test_closing_message_links_the_units_open_survey(api, org, submit, walk):
    surveys = pytest.importorskip("amanah.surveys.models")
    from amanah.surveys.selectors import survey_url

    today = dt.date.today()
    surveys.SurveyPeriod.objects.create(
        agency=org["a"]["agency"],
        unit=org["a"]["bidang"],
        start=today - dt.timedelta(days=10),
        end=today + dt.timedelta(days=30),
        population=1000,
        required_sample=278,
    )
    path = survey_url(org["a"]["bidang"])
    assert path
    c = walk(submit(), "selesai")
    assert path in c.events.get(action="confirm").text
    body = api.get(f"/api/v1/complaints/{c.tracking_code}").json()
    assert body["survey_url"].endswith(path)


def test_no_survey_no_link(submit, walk):
    c = walk(submit(), "selesai")
    assert "survei" not in services.closing_message(c)
