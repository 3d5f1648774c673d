"""Published results can be reached from the public pages: each unit has a page listing all its published
periods (``/skm/u/<unit>/hasil/``), which the questionnaire the poster leads to, the other unit pages and
the transparency dashboard's IKM table link to; the SKM index lists every published period a page at a
time and can be searched; the trend rows lead to their periods' results."""

import datetime as dt
import html
import re

import pytest
from django.test import Client

from amanah.surveys import services, views
from amanah.surveys.models import SurveyPeriod
from tests.i18n import client_in

pytestmark = pytest.mark.django_db


def _published(org, key, start, days=1, **kw):
    """A published period made directly (many of them, quickly)."""
    return SurveyPeriod.objects.create(
        agency=org[key]["agency"],
        unit=org[key]["bidang"],
        start=start,
        end=start + dt.timedelta(days=days),
        population=100,
        required_sample=80,
        status="published",
        snapshot={"ikm": 80.0, "mutu": "B", "respondents": 3},
        **kw,
    )


@pytest.fixture
def last_year(org, make_period, add_answers, users, today):
    """Agency A's unit published last year's survey and has opened this year's; 50 periods of agency B
    were published after last year's."""
    admin = users[("admin", None)]
    p = make_period(start=today - dt.timedelta(days=400), end=today - dt.timedelta(days=300))
    add_answers(p, [[3] * 9] * 5)
    services.close_period(admin, p)
    services.publish_period(admin, p)
    make_period(start=today - dt.timedelta(days=3), end=today + dt.timedelta(days=60))
    for k in range(50):
        _published(org, "b", today - dt.timedelta(days=290 - 2 * k))
    return p


def _links(page: str) -> list[str]:
    return re.findall(r'href="([^"#]+)"', html.unescape(page))


def test_from_the_poster_link_to_last_years_results(last_year, org):
    c = Client()
    unit = org["a"]["bidang"].code
    r = c.get(f"/skm/u/{unit}/")
    assert r.status_code == 302  # the questionnaire stays first
    questionnaire = c.get(r["Location"]).content.decode()
    assert f"/skm/u/{unit}/hasil/" in _links(questionnaire)
    page = c.get(f"/skm/u/{unit}/hasil/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"/skm/hasil/{last_year.pk}/" in _links(text)
    assert f"/skm/s/{SurveyPeriod.objects.get(status='open').short_code}/" in _links(text)
    assert "Hasil yang sudah diumumkan" in text
    # Only the unit's own periods.
    assert len([x for x in _links(text) if x.startswith("/skm/hasil/")]) == 1


def test_the_index_is_paged_and_searchable(last_year, org):
    c = Client()
    target = f"/skm/hasil/{last_year.pk}/"
    first = c.get("/skm/").content.decode()
    assert target not in _links(first)  # the 51st most recent
    nxt = re.search(r'<a href="([^"]*)" rel="next">', html.unescape(first)).group(1)
    assert target in _links(c.get("/skm/" + nxt).content.decode())
    for search in ("kab-a", "kab-a-dafduk", "pendaftaran kab-a"):
        found = c.get("/skm/", {"cari": search}).content.decode()
        assert target in _links(found), search
        assert f'value="{search}"' in found
        assert len([x for x in _links(found) if x.startswith("/skm/hasil/")]) == 1
    nothing = c.get("/skm/", {"cari": "tidak ada unit ini"}).content.decode()
    assert "Belum ada hasil yang diumumkan." in nothing
    assert "/skm/u/kab-b-dafduk/hasil/" in _links(first)  # each row leads to its unit's page


def test_the_unit_page_comes_a_page_at_a_time(monkeypatch, org, today):
    monkeypatch.setattr(views, "PUBLIC_PER_PAGE", 3)
    made = [_published(org, "a", today - dt.timedelta(days=300 - 10 * k)) for k in range(5)]
    c = Client()
    url = f"/skm/u/{org['a']['bidang'].code}/hasil/"
    first = c.get(url).content.decode()
    second = c.get(url, {"hal": 2}).content.decode()
    on = [[int(x) for x in re.findall(r'href="/skm/hasil/(\d+)/"', p)] for p in (first, second)]
    assert on == [[p.pk for p in made[::-1][:3]], [p.pk for p in made[::-1][3:]]]  # latest first


def test_a_unit_without_published_results_or_open_surveys(org):
    r = Client().get(f"/skm/u/{org['a']['bidang'].code}/hasil/")
    assert r.status_code == 200 and "Belum ada hasil yang diumumkan." in r.content.decode()
    assert Client().get("/skm/u/tidak-ada/hasil/").status_code == 404
    no_survey = Client().get(f"/skm/u/{org['a']['bidang'].code}/")
    assert no_survey.status_code == 404
    assert f"/skm/u/{org['a']['bidang'].code}/hasil/" in _links(no_survey.content.decode())


def test_the_unit_page_in_english(last_year, org):
    text = client_in("en").get(f"/skm/u/{org['a']['bidang'].code}/hasil/").content.decode()
    assert "Published results" in text and "Open surveys" in text


def test_trend_rows_lead_to_their_results(make_period, add_answers, users, today):
    admin = users[("admin", None)]
    made = []
    for ends in (300, 100):
        p = make_period(
            start=today - dt.timedelta(days=ends + 30), end=today - dt.timedelta(days=ends)
        )
        add_answers(p, [[3] * 9] * 2)
        services.close_period(admin, p)
        made.append(services.publish_period(admin, p))
    older, newer = made
    text = Client().get(f"/skm/hasil/{newer.pk}/").content.decode()
    assert f"/skm/hasil/{older.pk}/" in _links(text)
    assert f'<span aria-current="page">{newer}</span>' in html.unescape(text)


def test_the_dashboards_ikm_table_leads_to_the_units_page(last_year, org):
    agency = org["a"]["agency"].code
    text = Client().get(f"/transparansi/i/{agency}/").content.decode()
    assert f"/skm/u/{org['a']['bidang'].code}/hasil/" in _links(text)
