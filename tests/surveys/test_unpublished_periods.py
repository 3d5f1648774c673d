"""A closed period that is not published is internal: its results (IKM, respondents, title) appear in the
comparison and the trend of another period only for staff who may read the unit's surveys. The public
results page and report of a published period hold published periods only, whoever looks; the API does
so for the public and for any token that may not read the unit (another agency's staff, another unit's)."""

import datetime as dt
import re

import pytest
from django.test import Client

from .pdftext import pdf_text

OLD, LATER = "Periode lama belum terbit", "Rahasia belum terbit"


@pytest.fixture
def periods(make_period, add_answers, users, today):
    """Three periods of agency A's Bidang: ``old`` closed, ``pub`` published, ``later`` closed (the last two
    not published)."""
    from amanah.surveys import services

    admin = users[("admin", None)]
    out = {}
    for key, ends, title, score in (
        ("old", 160, OLD, 2),
        ("pub", 60, "", 4),
        ("later", 20, LATER, 1),
    ):
        p = make_period(
            start=today - dt.timedelta(days=ends + 30),
            end=today - dt.timedelta(days=ends),
            title=title,
        )
        add_answers(p, [(score,) * 9] * 5)
        out[key] = services.close_period(admin, p)
    out["pub"] = services.publish_period(admin, out["pub"])
    return out


def _reader_of_another_unit(org, make_user):
    """Staff of agency A whose role is held in the Inspektorat, which does not cover the Bidang."""
    return make_user("unit", org["a"]["agency"], org["a"]["insp"])


def test_public_results_page_and_report_show_published_periods_only(periods, users, org, make_user):
    pub = periods["pub"]
    viewers = {
        "public": Client(),
        "other agency": Client(),
        "other unit": Client(),
        "the unit's own staff": Client(),
    }
    viewers["other agency"].force_login(users[("auditor", "b")])
    viewers["other unit"].force_login(_reader_of_another_unit(org, make_user))
    viewers["the unit's own staff"].force_login(users[("unit", "a")])
    for who, client in viewers.items():
        page = client.get(f"/skm/hasil/{pub.pk}/")
        assert page.status_code == 200, who
        html = page.content.decode()
        assert OLD not in html and LATER not in html, who
        assert page.context["comparison"] is None, who  # no published period before this one
        assert [t["id"] for t in page.context["trend"]] == [pub.pk], who
        report = client.get(f"/skm/hasil/{pub.pk}/laporan.pdf")
        text = re.sub(r"\s+", "", pdf_text(report.content))
        assert OLD.replace(" ", "") not in text and LATER.replace(" ", "") not in text, who


def test_staff_who_may_read_the_unit_see_closed_periods_on_the_staff_page(periods, users):
    client = Client()
    client.force_login(users[("auditor", "a")])
    page = client.get(f"/skm/staf/periode/{periods['pub'].pk}/")
    assert page.status_code == 200
    assert [t["id"] for t in page.context["trend"]] == [p.pk for p in periods.values()]
    assert page.context["comparison"]["period"]["id"] == periods["old"].pk
    assert OLD in page.content.decode() and LATER in page.content.decode()
    # an unpublished period's own results page (staff only) compares with the closed one before it
    later = client.get(f"/skm/hasil/{periods['later'].pk}/")
    assert (
        later.status_code == 200
        and later.context["comparison"]["period"]["id"] == periods["pub"].pk
    )
    assert OLD in later.content.decode()


def test_api_breakdowns_show_closed_periods_to_readers_of_the_unit_only(
    periods, users, org, make_user, api, api_as
):
    pub = periods["pub"]
    url = f"/api/v1/surveys/periods/{pub.pk}/breakdowns"
    outsiders = {
        "public": api,
        "other agency": api_as(users[("auditor", "b")]),
        "other unit": api_as(_reader_of_another_unit(org, make_user)),
        "another role": api_as(users[("kepegawaian", "a")]),  # not a survey reader
    }
    for who, client in outsiders.items():
        data = client.get(url).json()
        assert [t["id"] for t in data["trend"]] == [pub.pk], who
        assert data["comparison"] is None, who
        assert OLD not in str(data) and LATER not in str(data), who
    for key in (("unit", "a"), ("auditor", "a"), ("operator", "a")):  # operator: held in the Dinas
        data = api_as(users[key]).get(url).json()
        assert [t["id"] for t in data["trend"]] == [p.pk for p in periods.values()], key
        assert data["comparison"]["period"]["id"] == periods["old"].pk, key


def test_public_unit_trend_lists_published_periods_only(periods, org, api):
    r = api.get(f"/api/v1/surveys/units/{org['a']['bidang'].code}/trend")
    assert [p["id"] for p in r.json()["periods"]] == [periods["pub"].pk]


def test_comparison_with_the_last_published_period(periods, make_period, add_answers, users, today):
    """Once the later period is published too, the public compares it with the published one before,
    skipping the closed period between them when there is one."""
    from amanah.surveys import selectors, services

    admin = users[("admin", None)]
    newest = make_period(start=today - dt.timedelta(days=10), end=today - dt.timedelta(days=1))
    add_answers(newest, [(3,) * 9] * 5)
    newest = services.publish_period(admin, services.close_period(admin, newest))
    assert selectors.comparison(newest)["period"]["id"] == periods["pub"].pk
    assert selectors.comparison(newest, published_only=False)["period"]["id"] == periods["later"].pk


def test_latest_ikm_per_unit_is_the_last_published_unless_staff_ask(periods, org):
    """The public dashboard reads ``latest_ikm_by_unit``: the later closed period (IKM 25) stays
    internal and so does the closed one before the published period; staff-only callers opt in."""
    from amanah.surveys import selectors

    unit = org["a"]["bidang"].pk
    public = selectors.latest_ikm_by_unit([unit])[unit]
    assert (public["period"], public["ikm"], public["previous_ikm"]) == (
        periods["pub"].pk,
        100.0,
        None,
    )
    staff = selectors.latest_ikm_by_unit([unit], include_closed=True)[unit]
    assert (staff["period"], staff["ikm"], staff["previous_ikm"]) == (
        periods["later"].pk,
        25.0,
        100.0,
    )


def test_public_dashboard_shows_the_published_ikm_only(periods, org):
    html = Client().get(f"/transparansi/i/{org['a']['agency'].code}/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "100,00" in text
    assert "25,00" not in text and "50,00" not in text
