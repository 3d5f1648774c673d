"""The dashboard's refusals of a period or a format (``transparency/rules.py`` is standard library only)
are in the reader's language, on the pages and in the API."""

import re

import pytest

from tests.i18n import client_in

pytestmark = pytest.mark.django_db
API = "/api/v1/transparency"


@pytest.mark.parametrize(
    "query,field,english,indonesian",
    [
        (
            {"start": "2026-13-01"},
            "start",
            "start must be a date in the form YYYY-MM-DD.",
            "start harus tanggal dengan format TTTT-BB-HH.",
        ),
        (
            {"end": "1850-01-01"},
            "end",
            "end is outside the supported range (2000–2100).",
            "end di luar rentang yang didukung (2000–2100).",
        ),
        (
            {"start": "2026-06-01", "end": "2026-01-01"},
            "start",
            "The start date (start) must be on or before the end date (end).",
            "Tanggal mulai (start) harus sebelum atau sama dengan tanggal akhir (end).",
        ),
        (
            {"start": "2020-01-01", "end": "2026-01-01"},
            "end",
            "A period is at most 1099 days long.",
            "Periode paling panjang 1099 hari.",
        ),
        (
            {"format": "xml"},
            "format",
            "format must be json or csv.",
            "format harus json atau csv.",
        ),
    ],
)
def test_a_refused_period_or_format_in_the_api(org, query, field, english, indonesian):
    r = client_in("en").get(f"{API}/summary", query)
    assert r.status_code == 400
    assert r.json()["message"] == english and r.json()["fields"] == {field: english}
    assert client_in("id").get(f"{API}/summary", query).json()["message"] == indonesian


def test_a_refused_agency_or_table_in_the_api(org, users, api_as):
    staff = api_as(users[("pengelola", "a")])
    staff.client = client_in("en")
    r = staff.get(f"{API}/staff/overdue", {"agency": "x" * 61})
    assert r.status_code == 400 and r.json()["fields"] == {"agency": "Invalid agency code."}
    r = staff.get(f"{API}/staff/overdue", {"agency": "tidak-ada"})
    assert r.status_code == 404 and r.json()["fields"] == {"agency": "Unknown agency."}
    r = client_in("en").get(f"{API}/tidak-ada")
    assert r.status_code == 404
    assert r.json()["message"] == "Unknown table. See /api/v1/transparency/tables."


def test_a_refused_period_on_the_page(org):
    page = client_in("en").get("/transparansi/", {"start": "2026-13-01"}).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "start must be a date in the form YYYY-MM-DD." in text
    assert "harus tanggal" not in text
