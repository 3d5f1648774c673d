"""The refusals of the whistleblowing rules (``integrity/rules.py``, standard library only) and of its
API are said in the reader's language, with the configured numbers counted, although the services that
raise them run in the site language."""

import datetime as dt

import pytest

from amanah.core.calendar import Calendar
from tests.i18n import client_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/integrity"


@pytest.fixture
def case_in_examination(make_case, users, api_as):
    report = make_case()
    insp = api_as(users[("inspektorat", "a")])
    assert insp.post(f"{BASE}/cases/{report.pk}/acknowledge", {}).status_code == 200
    r = insp.post(
        f"{BASE}/cases/{report.pk}/assess",
        {
            "credibility": "tinggi",
            "seriousness": "tinggi",
            "retaliation_risk": "sedang",
            "decision": "periksa",
        },
    )
    assert r.status_code == 200, r.content
    return report


def _inspector(users, api_as, language):
    client = api_as(users[("inspektorat", "a")])
    client.client = client_in(language)
    return client


def _summons(client, report, issued, hearing):
    return client.post(
        f"{BASE}/cases/{report.pk}/summons",
        {
            "person": "Staf a (terlapor)",
            "issued_on": issued.isoformat(),
            "hearing_on": hearing.isoformat(),
        },
    )


def test_a_summons_refusal_is_in_the_readers_language_with_its_number_counted(
    case_in_examination, users, api_as, org, settings
):
    cal = Calendar(org["a"]["agency"])
    issued = dt.date(2026, 12, 1)
    r = _summons(_inspector(users, api_as, "en"), case_in_examination, issued, cal.add(issued, 6))
    assert r.status_code == 422 and r.json()["error"] == "notice_too_short"
    expected = "The summons must be received at least 7 working days before the hearing."
    assert r.json()["message"] == expected
    assert r.json()["fields"] == {"hearing_on": expected}
    r = _summons(_inspector(users, api_as, "id"), case_in_examination, issued, cal.add(issued, 6))
    assert r.json()["message"] == (
        "Surat panggilan harus diterima paling lambat 7 hari kerja sebelum tanggal pemeriksaan."
    )
    settings.INTEGRITY_DEADLINES = {"summons_notice_working_days": 1}
    r = _summons(_inspector(users, api_as, "en"), case_in_examination, issued, issued)
    assert r.json()["message"] == (
        "The summons must be received at least 1 working day before the hearing."
    )


def test_a_finding_refusal_is_in_the_readers_language(case_in_examination, users, api_as):
    finding = {
        "outcome": "terbukti",
        "note": "Terbukti.",
        "sanction_level": "ringan",
        "sanction": "tukin_25_6",
    }
    r = _inspector(users, api_as, "en").post(
        f"{BASE}/cases/{case_in_examination.pk}/finding", finding
    )
    assert r.status_code == 422 and r.json()["error"] == "level_mismatch"
    assert r.json()["message"] == "The kind of sanction does not match its level under PP 94/2021."
    assert r.json()["fields"] == {"sanction": r.json()["message"]}
    r = _inspector(users, api_as, "id").post(
        f"{BASE}/cases/{case_in_examination.pk}/finding", finding
    )
    assert r.json()["message"] == "Jenis hukuman tidak sesuai dengan tingkatnya menurut PP 94/2021."


def test_naming_someone_by_a_wrong_nip_is_refused_in_english(case_in_examination, users, api_as):
    r = _inspector(users, api_as, "en").post(
        f"{BASE}/cases/{case_in_examination.pk}/reported", {"nip": "1234"}
    )
    assert r.status_code == 422, r.content
    assert r.json()["fields"] == {"nip": "A NIP has 18 digits."}


def test_the_apis_own_refusals_are_in_english(org):
    client = client_in("en")
    r = client.post(f"{BASE}/session", {"receipt": "123"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["message"] == "A receipt number has 16 digits."
    r = client.get(f"{BASE}/statistics", {"agency": "tidak-ada"})
    assert r.status_code == 404 and r.json()["message"] == "Unknown agency."
    r = client.post(f"{BASE}/reports", "{x", content_type="application/json")
    assert r.status_code == 400 and r.json()["message"] == "The request body is not valid JSON."
    r = client.post(f"{BASE}/reports", {}, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["message"] == "The report is incomplete or not valid."


def test_the_follow_up_page_refuses_a_short_receipt_number_in_english(org):
    r = client_in("en").post("/integritas/tindak-lanjut/", {"receipt": "123"})
    assert "A receipt number has 16 digits." in r.content.decode()
