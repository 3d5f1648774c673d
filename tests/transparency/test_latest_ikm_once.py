"""The dashboard of an agency or a unit shows each unit's latest SKM result in two tables (the units
and the SKM table): it is read once per page, for every unit of the scope."""

import datetime as dt

import pytest
from django.test import Client

from amanah.surveys import selectors as skm
from amanah.surveys.models import SurveyPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(org):
    """A published period of agency A's Dinas (a unit at the top's level) and of its Bidang below."""
    out = {}
    for key, unit, ikm in (
        ("dinas", org["a"]["dinas"], 81.5),
        ("bidang", org["a"]["bidang"], 72.25),
    ):
        out[key] = SurveyPeriod.objects.create(
            agency=org["a"]["agency"],
            unit=unit,
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 3, 31),
            population=10,
            required_sample=10,
            status="published",
            snapshot={"ikm": ikm, "mutu": "B", "kinerja": "Baik", "respondents": 12},
        )
    return out


def _counting(monkeypatch) -> list:
    calls = []
    original = skm.latest_ikm_by_unit

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(skm, "latest_ikm_by_unit", spy)
    return calls


@pytest.mark.parametrize("scope", ["agency", "unit"])
def test_the_dashboard_reads_the_latest_ikm_once(org, published, monkeypatch, scope):
    calls = _counting(monkeypatch)
    code = org["a"]["agency"].code
    url = (
        f"/transparansi/i/{code}/"
        if scope == "agency"
        else f"/transparansi/i/{code}/u/kab-a-dukcapil/"
    )
    r = Client().get(url)
    assert r.status_code == 200, url
    html = r.content.decode()
    assert len(calls) == 1
    # both tables still show what they showed: the Dinas in the units table of the agency, the Bidang in
    # the units table of the Dinas, both in the SKM table
    assert "72,25" in html
    if scope == "agency":
        assert "81,50" in html
