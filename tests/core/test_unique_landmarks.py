"""No two regions of a page share a name (axe landmark-unique): a table's scrolling region bears its
heading's name, so the section around it does not take that name too."""

import datetime as dt
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


class _Regions(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" or a.get("role") == "region":
            name = a.get("aria-labelledby") or a.get("aria-label")
            if name:  # a section without a name is no landmark
                self.names.append(name)


def region_names(page: str) -> list[str]:
    parser = _Regions()
    parser.feed(page)
    return parser.names


def assert_unique_regions(client, path):
    r = client.get(path)
    assert r.status_code == 200, path
    names = region_names(r.content.decode())
    assert names, f"{path}: no named region at all"
    assert [n for n, k in Counter(names).items() if k > 1] == [], path


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "path", ["/transparansi/", "/transparansi/i/kab-a/", "/transparansi/data/"]
)
def test_the_transparency_pages(org, path):
    assert_unique_regions(Client(), path)


def test_the_leadership_dashboard(users):
    assert_unique_regions(signed_in(users[("pimpinan", "a")]), "/transparansi/pimpinan/")


def test_the_survey_results(org, users):
    from amanah.surveys import services
    from amanah.surveys.models import Response

    admin = users[("admin", None)]
    today = dt.date.today()
    period = services.create_period(
        admin,
        unit=org["a"]["bidang"],
        population=100,
        start=today - dt.timedelta(days=5),
        end=today + dt.timedelta(days=30),
    )
    Response.objects.bulk_create(
        [
            Response(period=period, **{f"u{i}": 1 + (i + n) % 4 for i in range(1, 10)})
            for n in range(6)
        ]
    )
    services.close_period(admin, period)
    services.add_plan(admin, period, element="U3", action="Tambah loket", owner="Kabid", due=today)
    services.publish_period(admin, period, analysis="Waktu penyelesaian paling rendah.")
    assert_unique_regions(Client(), f"/skm/hasil/{period.pk}/")


def test_the_personnel_profile_and_competency_pages(org, make_user):
    from amanah.personnel.models import Competency, PositionRequirement

    a = org["a"]
    competency = Competency.objects.filter(agency=None).first()
    PositionRequirement.objects.create(
        agency=a["agency"], position=a["staff"].position, competency=competency, level=2
    )
    assert_unique_regions(signed_in(make_user(employee=a["staff"])), "/kepegawaian/saya/")
    assert_unique_regions(
        signed_in(make_user("kepegawaian", a["agency"])), "/kepegawaian/kompetensi/"
    )
