"""Pages and API answers showing a unit's trend cost the same number of queries however many
periods the trend holds."""

import datetime as dt

import pytest
from django.test import Client

from amanah.surveys import selectors
from amanah.surveys.models import SurveyPeriod
from tests.query_count import queries

pytestmark = pytest.mark.django_db


def test_trend_costs_the_same_for_few_and_many_periods(org, manager, api_as, add_answers):
    bidang = org["a"]["bidang"]
    made = []

    def publish(n):
        for _ in range(n):
            start = dt.date(2020, 1, 1) + dt.timedelta(days=10 * len(made))
            p = SurveyPeriod.objects.create(
                agency=org["a"]["agency"],
                unit=bidang,
                start=start,
                end=start + dt.timedelta(days=5),
                population=100,
                required_sample=80,
            )
            add_answers(p, [[3] * 9, [4] * 9])
            p.snapshot, p.status = selectors.results(p), "published"
            p.save()
            made.append(p)

    publish(3)
    first = made[0].pk
    staff = Client()
    staff.force_login(manager)
    pages = [
        (Client(), f"/skm/hasil/{first}/"),
        (staff, f"/skm/staf/periode/{first}/"),
        (Client(), f"/api/v1/surveys/periods/{first}/breakdowns"),
        (Client(), f"/api/v1/surveys/units/{bidang.code}/trend"),
    ]
    for client, url in pages:
        client.get(url)  # reference data remembered
    small = [queries(lambda c=client, u=url: c.get(u)) for client, url in pages]
    publish(12)
    large = [queries(lambda c=client, u=url: c.get(u)) for client, url in pages]
    assert small == large
    periods = Client().get(f"/api/v1/surveys/units/{bidang.code}/trend").json()["periods"]
    assert len(periods) == 15
    assert periods[0]["label"] == f"SKM {bidang.name} 01-01-2020 – 06-01-2020"
