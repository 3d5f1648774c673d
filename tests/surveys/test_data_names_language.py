"""Names of agencies, units and services stay Indonesian on the English SKM pages: an element around each
says ``lang="id"`` there (the staff form's unit and service options too), while the Indonesian pages
leave it to ``<html lang="id">`` (WCAG 2.1 SC 3.1.2)."""

import re

import pytest

from amanah.surveys import services
from tests.i18n import client_in
from tests.lang_marks import assert_marked_indonesian, assert_not_remarked

pytestmark = pytest.mark.django_db

AGENCY = "Pemerintah Kabupaten A"
UNIT = "Bidang Pendaftaran Penduduk"
SERVICE = "Penerbitan KTP-el"
ANSWERS = [[3, 3, 2, 4, 3, 3, 4, 2, 3], [4, 3, 3, 4, 3, 4, 4, 3, 2], [3, 2, 2, 4, 4, 3, 3, 3, 3]]


def _both(path, *texts, client=None):
    for language, check in (("en", assert_marked_indonesian), ("id", assert_not_remarked)):
        response = client_in(language).get(path)
        assert response.status_code == 200, (language, path)
        check(response.content.decode(), *texts)


def test_the_questionnaire_marks_the_agency_unit_and_service(make_period, org):
    period = make_period(service=org["a"]["service"])
    _both(f"/skm/s/{period.short_code}/", AGENCY, UNIT, SERVICE)


def test_the_survey_list_marks_the_open_surveys_names(make_period, org):
    make_period(service=org["a"]["service"])
    _both("/skm/", AGENCY, UNIT, SERVICE)


def test_the_results_pages_mark_the_names(make_period, add_answers, users, org):
    period = make_period(service=org["a"]["service"])
    add_answers(period, ANSWERS, gender="P", age=30, education="SMA", occupation="Swasta")
    admin = users[("admin", None)]
    services.close_period(admin, period)
    services.publish_period(admin, period, analysis="Waktu penyelesaian paling rendah.")
    _both(f"/skm/hasil/{period.pk}/", AGENCY, UNIT, SERVICE)
    _both(f"/skm/u/{org['a']['bidang'].code}/hasil/", AGENCY, UNIT, SERVICE)


def test_the_staff_period_form_marks_the_unit_and_service_options(org, users):
    client = client_in("en")
    client.force_login(users[("admin", None)])
    page = client.get("/skm/staf/").content.decode()
    for name in ("unit", "service"):
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
        assert select, name
        options = re.findall(r"<option[^>]*>", select.group(1))
        named = [o for o in options if 'value=""' not in o]
        assert named and all('lang="id"' in o for o in named), (name, options)
        assert all('lang="id"' not in o for o in options if 'value=""' in o), name
