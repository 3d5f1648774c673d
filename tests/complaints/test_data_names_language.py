"""Names of agencies, units and services stay Indonesian on the English complaint pages: there an element
around each says ``lang="id"`` (the intake form's options too), while the Indonesian pages leave it to
``<html lang="id">`` (WCAG 2.1 SC 3.1.2)."""

import re

import pytest

from amanah.complaints.models import Complaint
from tests.i18n import client_in
from tests.lang_marks import assert_marked_indonesian, assert_not_remarked

pytestmark = pytest.mark.django_db

AGENCY = "Pemerintah Kabupaten A"
SERVICE = "Penerbitan KTP-el"
UNIT = "Bidang Pendaftaran Penduduk"


def _page(language, path):
    response = client_in(language).get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _options(page, select_name):
    """The ``<option>`` tags of the select named ``select_name``."""
    select = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, select_name
    return re.findall(r"<option[^>]*>", select.group(1))


def test_the_english_intake_form_marks_the_agency_and_service_options_as_indonesian(org):
    page = _page("en", "/pengaduan/")
    assert_marked_indonesian(page, AGENCY, SERVICE)
    for name in ("service", "agency", "instansi"):  # the form's two selects and the agency picker
        options = _options(page, name)
        assert len(options) > 1, name
        # the empty choice is the page's own words ("— Choose … —"), every other one a name
        assert 'lang="id"' not in options[0], (name, options[0])
        assert all('lang="id"' in o for o in options[1:]), (name, options)
    assert "— Choose" in page  # the placeholders stay English


def test_the_indonesian_intake_form_adds_no_language_marks(org):
    page = _page("id", "/pengaduan/")
    assert_not_remarked(page, AGENCY, SERVICE)
    assert "<option" in page and 'lang="id"' not in page.split("<main", 1)[1]


def test_a_refused_english_intake_form_still_marks_the_options_and_keeps_the_choice(org):
    """Sent back with an error, the form keeps the chosen service selected, marked like the others."""
    client = client_in("en")
    page = client.post("/pengaduan/", {"service": org["a"]["service"].code}).content.decode()
    selected = [o for o in _options(page, "service") if "selected" in o]
    assert len(selected) == 1 and 'lang="id"' in selected[0], selected
    assert f'value="{org["a"]["service"].code}"' in selected[0]


def test_the_tracking_page_marks_the_agency_unit_and_service_on_english_only(org, submit):
    c = submit()
    Complaint.objects.filter(pk=c.pk).update(unit=org["a"]["bidang"])
    path = f"/pengaduan/lacak/{c.tracking_code}/"
    assert_marked_indonesian(_page("en", path), AGENCY, UNIT, SERVICE)
    assert_not_remarked(_page("id", path), AGENCY, UNIT, SERVICE)


def test_the_published_list_marks_the_agency_and_service_names(org, submit):
    c = submit()
    Complaint.objects.filter(pk=c.pk).update(publish_requested=True, publish_approved=True)
    page = _page("en", "/pengaduan/publik/")
    assert_marked_indonesian(page, SERVICE)
    assert all('lang="id"' in o for o in _options(page, "instansi")[1:])
    assert_not_remarked(_page("id", "/pengaduan/publik/"), SERVICE)


def test_the_staff_case_and_inbox_mark_the_names(org, users, submit):
    c = submit()
    Complaint.objects.filter(pk=c.pk).update(unit=org["a"]["bidang"])
    operator = users[("operator", "a")]
    for language, check in (("en", assert_marked_indonesian), ("id", assert_not_remarked)):
        client = client_in(language)
        client.force_login(operator)
        case = client.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
        check(case, AGENCY, SERVICE)
        inbox = client.get("/pengaduan/staf/").content.decode()
        check(inbox, UNIT)
