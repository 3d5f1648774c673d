"""What the whistleblowing channel writes does not depend on the language of whoever triggered it
(docs/architecture.md, "The record's language"): e-mails to staff and to the reporter are in the site
language; refusals stay in the reader's."""

import pytest
from django.utils import translation

from tests.i18n import client_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/integrity"
REASON = "Pelapor adalah saksi kunci dan perlu dimintai keterangan resmi."
ASKED_ID = "Pemeriksa meminta izin untuk melihat identitas Anda"
ASKED_EN = "An examiner asks for permission to see your identity"


@pytest.fixture
def insp_en(users, api_as):
    """The inspector of agency A, reading English."""
    client = api_as(users[("inspektorat", "a")])
    client.client = client_in("en")
    return client


def _reporter_in(reporter, receipt, language=None):
    client = reporter(receipt)
    if language:
        client.client = client_in(language)
    return client


def _bodies(client) -> list[str]:
    return [m["body"] for m in client.get(f"{BASE}/me").json()["messages"]]


def test_refusals_stay_in_the_readers_language(make_case, insp_en, users, api_as):
    report = make_case()
    r = insp_en.post(f"{BASE}/cases/{report.pk}/messages", {"body": "x" * 10001})
    assert r.status_code == 422
    assert r.json()["message"] == "The message may be at most 10000 characters long."
    assert r.json()["fields"]["body"] == r.json()["message"]
    r = insp_en.post(f"{BASE}/cases/{report.pk}/disclosures", {"reason": "terlalu pendek"})
    assert r.status_code == 422
    assert r.json()["message"] == "Write a clear reason (at least 20 characters)."
    request_id = insp_en.post(f"{BASE}/cases/{report.pk}/disclosures", {"reason": REASON}).json()[
        "id"
    ]
    # The requester also holds the custodian role here, and may not decide their own request.
    from amanah.core.models import Role, RoleAssignment

    inspector = users[("inspektorat", "a")]
    RoleAssignment.objects.create(user=inspector, role=Role.CUSTODIAN, agency=report.agency)
    r = insp_en.post(f"{BASE}/disclosures/{request_id}/decide", {"approve": False})
    assert r.status_code == 403
    assert r.json()["message"] == "The request must be decided by someone else."
    # And in Indonesian for a reader of Indonesian.
    insp = api_as(inspector)
    r = insp.post(f"{BASE}/cases/{report.pk}/messages", {"body": "x" * 10001})
    assert r.json()["message"] == "Pesan paling panjang 10000 karakter."


def test_a_refused_file_is_explained_in_the_reporters_language(make_case, reporter):
    from .conftest import upload

    report = make_case()
    me = _reporter_in(reporter, report.receipt, "en")
    broken = upload("foto.jpg", b"\xff\xd8 bukan gambar", "image/jpeg")
    r = me.post(f"{BASE}/me/evidence", {"evidence": [broken]}, multipart=True)
    assert r.status_code == 422, r.content
    assert r.json()["fields"]["evidence"].startswith("File 1: ")
    assert "Berkas" not in r.content.decode() and "rusak" not in r.content.decode()


# --- e-mails ----------------------------------------------------------------------------------


def _mail(smtp, address) -> str:
    found = smtp.to(address)
    assert found, address
    return "\n".join(m["subject"] + "\n" + m["body"] for m in found)


def test_staff_mails_are_in_the_site_language_whoever_triggered_them(
    org, make_case, users, reporter, smtp, django_capture_on_commit_callbacks
):
    """A reporter reading English replies, reports retaliation and answers a disclosure request; an
    officer reading English assigns an investigator: every mail to staff is in Indonesian."""
    from amanah.integrity import services

    inspector, custodian = users[("inspektorat", "a")], users[("kustodian", "a")]
    leader = users[("pimpinan", "a")]
    report = make_case(may_contact="")
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        request = services.request_disclosure(inspector, report.pk, REASON)
    smtp.messages.clear()

    me = _reporter_in(reporter, report.receipt, "en")
    with django_capture_on_commit_callbacks(execute=True):
        assert me.post(f"{BASE}/me/messages", {"body": "Tambahan keterangan."}).status_code == 201
        r = me.post(
            f"{BASE}/me/retaliation", {"kind": "mutasi", "description": "Saya dipindahkan."}
        )
        assert r.status_code == 201, r.content
        r = me.post(f"{BASE}/me/disclosures/{request.pk}/consent")
        assert r.status_code == 200, r.content
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.assign(inspector, report.pk, inspector)
    smtp.wait(5)

    to_inspector = _mail(smtp, inspector.email)
    for text in (
        "Balasan pelapor pada",
        "Laporan pembalasan pada",
        "Jawaban pelapor atas permintaan identitas",
        "Buka kasus di Amanah",
        "Anda ditugaskan pada kasus",
    ):
        assert text in to_inspector, text
    to_leader = _mail(smtp, leader.email)
    assert "Perlindungan pelapor" in to_leader and "Pastikan perlindungan diberikan" in to_leader
    to_custodian = _mail(smtp, custodian.email)
    assert "Pelapor menyetujui permintaan" in to_custodian and "Putuskan di Amanah" in to_custodian
    everything = "\n".join(m["subject"] + "\n" + m["body"] for m in smtp.messages)
    for english in ("Reporter", "reporter", "Open the case", "Decide in", "assigned", "protect"):
        assert english not in everything, english


def test_a_new_report_filed_in_english_is_announced_to_staff_in_indonesian(
    org, report_data, users, smtp, django_capture_on_commit_callbacks
):
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = client_in("en").post(f"{BASE}/reports", report_data())
    assert r.status_code == 201, r.content
    smtp.wait(1)
    content = _mail(smtp, users[("inspektorat", "a")].email)
    assert "Laporan pelanggaran baru" in content and "Pungutan liar" in content
    assert "New violation report" not in content


def test_the_reporter_hears_of_news_in_the_site_language(
    make_case, users, smtp, django_capture_on_commit_callbacks
):
    from amanah.integrity import services

    report = make_case(may_contact="true")
    smtp.messages.clear()
    # The mail is queued once the change commits, which may be inside the officer's request.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.send_message(users[("inspektorat", "a")], report.pk, "Ada pertanyaan.")
    smtp.wait(1)
    content = _mail(smtp, "budi.pelapor@contoh.id")
    assert "Ada kabar untuk laporan Anda" in content and "News about your report" not in content
