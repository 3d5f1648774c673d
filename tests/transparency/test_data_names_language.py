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
    """The page without its charts: their SVG is drawn by ``transparency.charts``, whose labels are not
    marked yet (the tables beside them hold the same names, marked)."""
    return re.sub(r"<svg.*?</svg>", "", page, flags=re.S)


def _page(language, path, user=None):
    client = client_in(language)
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (language, path)
    return _without_charts(response.content.decode())


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
    # (A unit with sub-units also has a row of its own complaints, named by a sentence of the system's
    # that quotes its name — "… (directly, not a sub-unit)" — which is left in the page's language.)
    assert_marked_indonesian(english, AGENCY, UNIT)
    assert ("span", "id") in marked_by(english, DINAS)
    assert_not_remarked(_page("id", "/transparansi/pimpinan/", leader), AGENCY, UNIT)
    # an account over several agencies chooses one in a select: its options are names too
    admin = _page("en", "/transparansi/pimpinan/", users[("admin", None)])
    options = re.findall(r'<option value="kab-[ab]"[^>]*>', admin)
    assert len(options) == 2 and all('lang="id"' in o for o in options), options
    admin = _page("id", "/transparansi/pimpinan/", users[("admin", None)])
    options = re.findall(r'<option value="kab-[ab]"[^>]*>', admin)
    assert len(options) == 2 and not any("lang=" in o for o in options), options
