"""The counter poster's unit link names no service: it leads to the unit-wide survey even when a survey of
one service started later, and when only surveys of some services are open it asks which service the
person received instead of counting every answer for one of them."""

import datetime as dt

import pytest
from django.test import Client

from amanah.core.models import Service
from amanah.surveys import selectors
from tests.i18n import client_in

pytestmark = pytest.mark.django_db


def test_the_unit_wide_survey_comes_first(org, make_period, today):
    bidang = org["a"]["bidang"]
    unit_wide = make_period(start=today - dt.timedelta(days=10))
    ktp = make_period(start=today - dt.timedelta(days=1), service=org["a"]["service"])
    r = Client().get(f"/skm/u/{bidang.code}/")
    assert r.status_code == 302 and r["Location"] == f"/skm/s/{unit_wide.short_code}/"
    assert selectors.survey_url(bidang) == f"/skm/s/{unit_wide.short_code}/"
    assert selectors.survey_url(bidang, None) == f"/skm/s/{unit_wide.short_code}/"
    assert selectors.survey_url(bidang, org["a"]["service"]) == f"/skm/s/{ktp.short_code}/"


def test_only_service_surveys_open_asks_which_service(org, make_period, today):
    bidang = org["a"]["bidang"]
    kk = Service.objects.create(unit=bidang, code="kab-a-kk", name="Penerbitan Kartu Keluarga")
    ktp = make_period(service=org["a"]["service"])
    kk_period = make_period(service=kk, start=today - dt.timedelta(days=2))
    r = Client().get(f"/skm/u/{bidang.code}/")
    assert r.status_code == 200
    page = r.content.decode()
    assert f'href="/skm/s/{ktp.short_code}/">Penerbitan KTP-el<' in page
    assert f'href="/skm/s/{kk_period.short_code}/">Penerbitan Kartu Keluarga<' in page
    assert page.index("Kartu Keluarga") < page.index("KTP-el")  # by name
    assert "Layanan apa yang baru Anda terima?" in page
    # Nobody is sent to one service's survey who may have received another.
    assert selectors.survey_url(bidang) is None
    assert selectors.survey_url(bidang, kk) == f"/skm/s/{kk_period.short_code}/"


def test_the_choice_page_in_english(org, make_period):
    make_period(service=org["a"]["service"])
    r = client_in("en").get(f"/skm/u/{org['a']['bidang'].code}/")
    assert r.status_code == 200 and "Which service did you just receive?" in r.content.decode()
