"""Names of agencies and units stay Indonesian on the English whistleblowing pages: the options of the
report forms' agency and unit selects say ``lang="id"`` there, and so do the names on the team's pages;
the Indonesian pages leave it to ``<html lang="id">`` (WCAG 2.1 SC 3.1.2)."""

import re

import pytest

from tests.i18n import client_in
from tests.lang_marks import assert_marked_indonesian, assert_not_remarked

pytestmark = pytest.mark.django_db

AGENCY = "Pemerintah Kabupaten A"
UNIT = "Bidang Pendaftaran Penduduk"


def _options(page, name):
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return re.findall(r"<option[^>]*>", select.group(1))


@pytest.mark.parametrize("path", ["/integritas/lapor/", "/integritas/gratifikasi/"])
def test_the_english_report_forms_mark_the_agency_and_unit_options(org, path):
    page = client_in("en").get(path).content.decode()
    assert_marked_indonesian(page, AGENCY, UNIT)
    for name in ("reported_agency", "reported_unit"):
        options = _options(page, name)
        assert len(options) > 1, name
        assert 'lang="id"' not in options[0], name  # "— choose … —": the page's own words
        assert all('lang="id"' in o for o in options[1:]), (name, options)


@pytest.mark.parametrize("path", ["/integritas/lapor/", "/integritas/gratifikasi/"])
def test_the_indonesian_report_forms_add_no_language_marks(org, path):
    page = client_in("id").get(path).content.decode()
    assert_not_remarked(page, AGENCY, UNIT)
    assert 'lang="id"' not in page.split("<main", 1)[1]


def test_the_team_pages_mark_the_agency_and_unit(make_case, users, org):
    report = make_case()
    type(report).objects.filter(pk=report.pk).update(unit=org["a"]["bidang"])
    for language, check in (("en", assert_marked_indonesian), ("id", assert_not_remarked)):
        client = client_in(language)
        client.force_login(users[("inspektorat", "a")])
        for path in (f"/integritas/staf/{report.pk}/", "/integritas/staf/"):
            page = client.get(path)
            assert page.status_code == 200, path
            check(page.content.decode(), UNIT)
