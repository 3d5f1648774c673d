"""The open-data page links every table to an address that answers data, and says which parameter a
table needs besides the common ones (``agency`` for the tables without a national level, ``dimension``
for the breakdown)."""

import re

import pytest
from django.test import Client

from amanah.core.models import Agency
from amanah.transparency import opendata


def test_every_table_link_on_the_data_page_answers_200(org):
    client = Client()
    page = client.get("/transparansi/data/").content.decode()
    links = sorted(set(re.findall(r'href="(/api/v1/transparency/[^"]*)"', page)))
    linked = {h.removeprefix("/api/v1/transparency/").split("?")[0] for h in links}
    assert set(opendata.TABLES) <= linked
    failing = {}
    for href in links:
        r = client.get(href.replace("&amp;", "&"))
        if r.status_code != 200:
            failing[href] = r.status_code
    assert failing == {}


def test_the_page_says_which_parameter_a_table_needs(org):
    page = Client().get("/transparansi/data/").content.decode()
    first = Agency.objects.filter(is_active=True).order_by("name").first()
    sections = {
        name: page.split(f'<h2 id="t-{name}">')[1].split("</section>")[0]
        for name in opendata.TABLES
    }
    for name in ("units", "ikm", "indicators"):
        assert "Parameter wajib: <code>agency</code>" in sections[name], name
        assert f"/api/v1/transparency/{name}?agency={first.code}" in sections[name], name
    assert "Parameter wajib: <code>dimension</code>" in sections["breakdown"]
    assert "/api/v1/transparency/breakdown?dimension=kind" in sections["breakdown"]
    for name in ("summary", "agencies", "integrity", "monthly"):
        assert "Parameter wajib" not in sections[name], name


@pytest.mark.django_db
def test_without_an_active_agency_the_page_links_no_table_that_would_refuse():
    page = Client().get("/transparansi/data/").content.decode()
    assert "?agency=" not in page
    assert "Contoh belum tersedia karena belum ada instansi aktif." in page
