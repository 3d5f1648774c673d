"""The staff case page costs the same number of queries however many summons the case holds."""

import datetime as dt

import pytest
from django.test import Client

from amanah.integrity import services
from amanah.integrity.models import Summons
from tests.query_count import queries

pytestmark = pytest.mark.django_db


def summon(report, key, number, attended):
    return Summons.objects.create(
        report=report,
        person=f"Saksi {key}",
        person_key=key,
        number=number,
        issued_on=dt.date(2026, 1, number),
        hearing_on=dt.date(2026, 1, 10 * number),
        attended=attended,
    )


def test_staff_case_page_costs_the_same_for_few_and_many_summons(examined, users):
    client = Client()
    client.force_login(users[("inspektorat", "a")])
    url = f"/integritas/staf/{examined.pk}/"
    # One witness missed both summons (decided on the evidence), one missed only the first.
    missed = [summon(examined, "a", 1, False), summon(examined, "a", 2, False)]
    once = summon(examined, "b", 1, False)
    client.get(url)  # reference data remembered
    small = queries(lambda: client.get(url))
    more = [summon(examined, f"k{i}", 1, i % 2 == 0) for i in range(15)]
    large = queries(lambda: client.get(url))
    assert small == large
    rows = client.get(url).context["summons_rows"]
    decided = {s.pk for s, decide in rows if decide}
    assert decided == {s.pk for s in missed}
    assert {s.pk for s, _decide in rows} == {s.pk for s in [*missed, once, *more]}
    assert rows == [
        (s, services.may_decide_on_evidence(examined, s)) for s in examined.summons.all()
    ]
