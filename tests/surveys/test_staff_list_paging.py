"""The SKM staff list (``/skm/staf/``) comes a page at a time instead of stopping silently at its
first 300 periods: page 1 holds a page's worth and links to page 2, page 2 the rest, none lost."""

import datetime as dt
import html
import re

import pytest
from django.test import Client

from amanah.surveys import views
from amanah.surveys.models import SurveyPeriod

pytestmark = pytest.mark.django_db

PER_PAGE = 4


def test_periods_page_by_page(monkeypatch, org, manager):
    monkeypatch.setattr(views, "STAFF_LIST_PER_PAGE", PER_PAGE)
    made = set()
    for i in range(PER_PAGE + 3):
        start = dt.date(2020, 1, 1) + dt.timedelta(days=10 * i)
        p = SurveyPeriod.objects.create(
            agency=org["a"]["agency"],
            unit=org["a"]["bidang"],
            start=start,
            end=start + dt.timedelta(days=5),
            population=100,
            required_sample=80,
        )
        made.add(p.pk)
    client = Client()
    client.force_login(manager)
    link = r'href="/skm/staf/periode/(\d+)/"'

    r = client.get("/skm/staf/")
    assert r.status_code == 200
    first = html.unescape(r.content.decode())
    nxt = re.search(r'<a href="([^"]*)" rel="next">', first).group(1)
    assert nxt == "?hal=2"
    r = client.get("/skm/staf/" + nxt)
    assert r.status_code == 200
    second = html.unescape(r.content.decode())
    assert 'rel="next"' not in second and 'rel="prev"' in second

    on_first = [int(pk) for pk in re.findall(link, first)]
    on_second = [int(pk) for pk in re.findall(link, second)]
    assert len(on_first) == PER_PAGE and len(on_second) == 3
    assert set(on_first) | set(on_second) == made and not set(on_first) & set(on_second)
