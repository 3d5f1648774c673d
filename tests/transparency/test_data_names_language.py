"""Names of agencies, units and services stay Indonesian on the English dashboard pages: an element
around each says ``lang="id"`` there, while the Indonesian pages leave it to ``<html lang="id">`` (WCAG
2.1 SC 3.1.2). The dashboard's own rows (the complaints no unit holds) stay in the page's language."""

import re

import pytest

from tests.i18n import client_in
from tests.lang_marks import assert_marked_indonesian, assert_not_remarked, marked_by

pytestmark = pytest.mark.django_db

AGENCY = "Pemerintah Kabupaten A"
UNIT = "Bidang Pendaftaran Penduduk"
TOP = "Sekretariat Daerah"
DINAS = "Dinas Kependudukan dan Pencatatan Sipil"
SERVICE = "Penerbitan KTP-el"


def _without_charts(page):
    """The page without its charts: an SVG chart's ``<desc>`` lists the names with their figures as
    plain text, which cannot hold a marked element (its labels are checked by ``_ranking_labels``; the
    tables beside the charts hold the same names, marked)."""
    return re.sub(r"<svg.*?</svg>", "", page, flags=re.S)


def _page(language, path, user=None, charts=False):
    client = client_in(language)
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (language, path)
    page = response.content.decode()
    return page if charts else _without_charts(page)


def _ranking_labels(page):
    """``{text: lang attribute or None}`` of every ``<text>`` of the chart ranking the rows by the share
    answered on time (the chart whose labels are agencies' or units' names)."""
    charts = [
        svg
        for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S)
        if re.search(r"<title[^>]*>(Persentase dijawab tepat waktu|Share answered on time)<", svg)
    ]
    assert len(charts) == 1, charts
    return {
        text: (re.search(r' lang="([^"]*)"', attrs) or [None, None])[1]
        for attrs, text in re.findall(r"<text([^>]*)>([^<]*)</text>", charts[0])
    }


def test_the_agency_dashboard_marks_the_agency_units_and_services(dataset, org):
    path = f"/transparansi/i/{org['a']['agency'].code}/"
    english = _page("en", path)
    assert_marked_indonesian(english, AGENCY, TOP, UNIT, SERVICE)
    # a row the dashboard names itself is in the page's language
    assert marked_by(english, "Not (yet) forwarded to a unit") == {("html", "en")}
    assert_not_remarked(_page("id", path), AGENCY, TOP, UNIT, SERVICE)


def test_the_national_dashboard_marks_each_agency(dataset, org):
    assert_marked_indonesian(_page("en", "/transparansi/"), AGENCY)
    assert_not_remarked(_page("id", "/transparansi/"), AGENCY)


def test_the_unit_dashboard_and_the_indicators_mark_the_names(dataset, org):
    code = org["a"]["agency"].code
    for path in (
        f"/transparansi/i/{code}/u/{org['a']['dinas'].code}/",
        f"/transparansi/i/{code}/indikator/",
    ):
        assert_marked_indonesian(_page("en", path), AGENCY)
        assert_not_remarked(_page("id", path), AGENCY)


def test_the_leadership_page_marks_the_units_and_the_agency_options(dataset, org, users):
    leader = users[("pimpinan", "a")]
    english = _page("en", "/transparansi/pimpinan/", leader)
    # A unit with sub-units also has a row of its own complaints, a sentence of the system's in the
    # page's language that quotes the unit's name, marked: "<Dinas …> (directly, not a sub-unit)".
    assert marked_by(english, "(directly, not a sub-unit)") == {("html", "en")}
    assert_marked_indonesian(english, AGENCY, UNIT, DINAS)
    assert_not_remarked(_page("id", "/transparansi/pimpinan/", leader), AGENCY, UNIT, DINAS)
    # an account over several agencies chooses one in a select: its options are names too
    admin = _page("en", "/transparansi/pimpinan/", users[("admin", None)])
    options = re.findall(r'<option value="kab-[ab]"[^>]*>', admin)
    assert len(options) == 2 and all('lang="id"' in o for o in options), options
    admin = _page("id", "/transparansi/pimpinan/", users[("admin", None)])
    options = re.findall(r'<option value="kab-[ab]"[^>]*>', admin)
    assert len(options) == 2 and not any("lang=" in o for o in options), options


def test_the_own_row_of_a_unit_dashboard_marks_the_name_it_quotes(dataset, org):
    path = f"/transparansi/i/{org['a']['agency'].code}/u/{org['a']['dinas'].code}/"
    english = _page("en", path)
    assert_marked_indonesian(english, DINAS, UNIT)
    assert marked_by(english, "(directly, not a sub-unit)") == {("html", "en")}
    indonesian = _page("id", path)
    assert_not_remarked(indonesian, DINAS, UNIT)
    assert marked_by(indonesian, "(langsung, bukan sub-unit)") == {("html", "id")}


@pytest.mark.parametrize(
    "path, name",
    [
        ("/transparansi/", AGENCY),
        ("/transparansi/i/kab-a/", TOP),
        ("/transparansi/i/kab-a/u/kab-a-setda/", DINAS),
    ],
)
def test_the_ranking_charts_mark_the_names_but_not_the_figures(dataset, org, path, name):
    english = _ranking_labels(_page("en", path, charts=True))
    assert english.get(name) == "id", english
    figures = [text for text in english if text.endswith("%")]
    assert figures and all(english[text] is None for text in figures), english
    indonesian = _ranking_labels(_page("id", path, charts=True))
    assert name in indonesian and set(indonesian.values()) == {None}, indonesian
