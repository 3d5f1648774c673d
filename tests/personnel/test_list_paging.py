"""Long staff lists of the personnel pages come a page at a time (``core/_pager.html``): discipline
cases, awards, mentoring pairs, ASN below the JP minimum and employees. Page 1 holds a page's worth
and links to page 2 (keeping the filters of the address), page 2 the rest, and no row is lost. The
dashboard counts the ASN below the minimum in SQL, to the same number as the list."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amanah.core.models import Employee
from amanah.personnel import selectors
from amanah.personnel import views as personnel_views
from amanah.personnel.models import Award, DisciplineCase, Mentoring, Training, TrainingStatus

from . import helpers

pytestmark = pytest.mark.django_db

PER_PAGE = personnel_views.PER_PAGE
N = PER_PAGE + 13  # one full page and part of a second


@pytest.fixture
def many(org):
    """``N`` active ASN of agency A named ``Pegawai 000`` … in Bidang Pendaftaran Penduduk."""
    return Employee.objects.bulk_create(
        Employee(
            nip=f"199001012015011{i:03d}",
            name=f"Pegawai {i:03d}",
            unit=org["a"]["bidang"],
            position="Analis",
        )
        for i in range(N)
    )


@pytest.fixture
def hr(people):
    client = Client()
    client.force_login(people["hr"])
    return client


def _get(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.content[:300]
    return html.unescape(r.content.decode())


def _next_link(page) -> str | None:
    m = re.search(r'<a href="([^"]*)" rel="next">', page)
    return m and m.group(1)


def _pages(client, url, pattern):
    """The rows matched by ``pattern`` on page 1 and page 2 of ``url``, and page 1's next link."""
    first = _get(client, url)
    nxt = _next_link(first)
    assert nxt, "page 1 has no link to page 2"
    second = _get(client, url.split("?")[0] + nxt)
    assert _next_link(second) is None
    assert 'rel="prev"' in second and "Halaman 2 dari 2" in second
    return re.findall(pattern, first), re.findall(pattern, second), nxt


def _assert_split(first, second, expected):
    assert len(first) == PER_PAGE
    assert len(second) == len(expected) - PER_PAGE
    assert sorted(first + second) == sorted(expected)  # every row once, none lost


def test_discipline_cases_page_by_page(hr, org, many):
    agency = org["a"]["agency"]
    DisciplineCase.objects.bulk_create(
        DisciplineCase(number=f"HD-{i:03d}", employee=e, agency=agency, allegation="x")
        for i, e in enumerate(many)
    )
    first, second, nxt = _pages(
        hr, f"/kepegawaian/disiplin/?instansi={agency.code}", r"/kepegawaian/disiplin/(HD-\d+)/"
    )
    assert f"instansi={agency.code}" in nxt and "hal=2" in nxt
    _assert_split(first, second, [f"HD-{i:03d}" for i in range(N)])


def test_awards_page_by_page(hr, org, many):
    year = helpers.today().year
    Award.objects.bulk_create(
        Award(employee=e, kind="lainnya", title="Teladan", reason="r", year=year) for e in many
    )
    first, second, nxt = _pages(
        hr,
        f"/kepegawaian/penghargaan/?instansi={org['a']['agency'].code}",
        r'<th scope="row" data-label="[^"]*">(Pegawai \d+)</th>',
    )
    assert "instansi=kab-a" in nxt
    _assert_split(first, second, [e.name for e in many])


def test_employees_page_by_page_keeps_the_search(hr, org, many):
    first, second, nxt = _pages(
        hr,
        "/kepegawaian/pegawai/?instansi=kab-a&q=Pegawai",
        r">(Pegawai \d+)</a></th>",
    )
    assert "q=Pegawai" in nxt and "instansi=kab-a" in nxt
    _assert_split(first, second, [e.name for e in many])
    assert first == sorted(first) and second == sorted(second) and first[-1] < second[0]


def test_behind_page_by_page_and_the_dashboard_count(hr, org, many):
    agency = org["a"]["agency"]
    year = helpers.today().year
    minimum = selectors._services().rule_tables(agency)["jp_minimum"]
    day = dt.date(year, 1, 2)

    def done(emp, jp, **kw):
        return Training(
            employee=emp,
            title="Diklat",
            category="teknis",
            method="pelatihan",
            jp=Decimal(jp),
            status=kw.get("status", TrainingStatus.COMPLETED),
            completed_on=kw.get("on", day),
        )

    # Exactly the minimum in tenths (not behind), a tenth short (behind), a course still running or
    # completed last year (behind).
    Training.objects.bulk_create(
        [
            *[done(many[0], "0.1") for _ in range(10 * minimum)],
            *[done(many[1], "0.1") for _ in range(10 * minimum - 1)],
            done(many[2], minimum, status=TrainingStatus.ENROLLED, on=None),
            done(many[3], minimum, on=dt.date(year - 1, 6, 1)),
            done(many[4], minimum + 5),
        ]
    )
    rows = selectors.behind(agency, year)
    names = [r["employee"].name for r in rows]
    assert "Pegawai 000" not in names and "Pegawai 004" not in names
    assert {"Pegawai 001", "Pegawai 002", "Pegawai 003"} <= set(names)
    short = next(r for r in rows if r["employee"].name == "Pegawai 001")
    assert short["jp_total"] == Decimal(minimum) - Decimal("0.1")
    assert short["shortfall"] == Decimal("0.1")

    first, second, nxt = _pages(
        hr,
        f"/kepegawaian/jp/?instansi={agency.code}&tahun={year}",
        r'/kepegawaian/pegawai/\d+/">([^<]+)</a></th>',
    )
    assert f"tahun={year}" in nxt
    _assert_split(first, second, names)
    assert first + second == names  # lowest total first, as the list was

    with CaptureQueriesContext(connection) as queries:
        dash = hr.get(f"/kepegawaian/staf/?instansi={agency.code}&tahun={year}")
    assert dash.status_code == 200
    assert dash.context["behind_count"] == len(rows) == len(first) + len(second)
    employee_rows = [q for q in queries.captured_queries if 'FROM "core_employee"' in q["sql"]]
    assert employee_rows and all("COUNT(" in q["sql"].upper() for q in employee_rows)


def _mentoring(org, many, people, finished=0):
    year = helpers.today().year
    kabid = org["a"]["kabid"]
    pairs = Mentoring.objects.bulk_create(
        Mentoring(
            mentor=kabid,
            mentee=e,
            goals="g",
            start=dt.date(year, 1, 1) + dt.timedelta(days=i % 200),
            status="selesai" if i < finished else "aktif",
        )
        for i, e in enumerate(many)
    )
    return pairs


SECTION = (
    r'<section class="card"><h2>Kabid a → (Pegawai \d+) <span class="badge">[^<]*· ([^<]+)</span>'
)


def test_mentoring_pairs_page_by_page_running_first(hr, org, many, people):
    _mentoring(org, many, people, finished=20)
    first, second, _nxt = _pages(hr, "/kepegawaian/mentoring/", SECTION)
    _assert_split(
        first, second, [(e.name, "Selesai" if i < 20 else "Aktif") for i, e in enumerate(many)]
    )
    running = N - 20
    assert [s for _n, s in first + second] == ["Aktif"] * running + ["Selesai"] * 20


def test_refused_session_shows_on_its_pair_from_any_page(hr, org, many, people):
    pairs = _mentoring(org, many, people)
    page1 = _get(hr, "/kepegawaian/mentoring/")
    on_page1 = {int(pk) for pk in re.findall(r'name="pair" value="(\d+)"', page1)}
    assert len(on_page1) == PER_PAGE
    later = next(p for p in pairs if p.pk not in on_page1)
    # posted from page 1 about a pair of page 2: the pair shows with the typed form and its error
    r = hr.post(
        "/kepegawaian/mentoring/",
        {"action": "session", "pair": later.pk, "held_on": "", "topic": "Verifikasi KK"},
    )
    assert r.status_code == 400
    page = html.unescape(r.content.decode())
    assert page.count(f'name="pair" value="{later.pk}"') == 1
    assert f'href="#s{later.pk}-held_on"' in page
    assert f'aria-describedby="s{later.pk}-held_on_error"' in page
    assert 'value="Verifikasi KK"' in page
    # posted from page 2, where the pair is: shown once, in its place
    r = hr.post(
        "/kepegawaian/mentoring/?hal=2",
        {"action": "session", "pair": later.pk, "held_on": "", "topic": "Verifikasi KK"},
    )
    page = html.unescape(r.content.decode())
    assert r.status_code == 400 and page.count(f'name="pair" value="{later.pk}"') == 1
    assert len(re.findall(r'name="pair" value="\d+"', page)) == N - PER_PAGE
