"""What the whistleblowing channel writes does not depend on the language of whoever triggered it
(docs/architecture.md, "The record's language"): a message of the system to the reporter is stored
in the site language with its message and parameters, and each reader sees it in their own language;
e-mails to staff and to the reporter are in the site language; refusals stay in the reader's."""

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


def test_a_notice_an_officer_sent_in_english_reaches_each_reporter_in_their_language(
    make_case, insp_en, reporter
):
    report = make_case()
    r = insp_en.post(f"{BASE}/cases/{report.pk}/disclosures", {"reason": REASON})
    assert r.status_code == 201, r.content

    in_indonesian = _bodies(_reporter_in(reporter, report.receipt))
    notice = next(b for b in in_indonesian if ASKED_ID in b)
    assert ASKED_EN not in " ".join(in_indonesian)
    # The reason is as typed; it ends the sentence with one full stop, not two.
    assert (
        "dengan alasan: Pelapor adalah saksi kunci dan perlu dimintai keterangan resmi. " in notice
    )
    assert ".." not in notice

    in_english = _bodies(_reporter_in(reporter, report.receipt, "en"))
    notice = next(b for b in in_english if ASKED_EN in b)
    assert ASKED_ID not in " ".join(in_english)
    assert "for this reason: Pelapor adalah saksi kunci" in notice and ".." not in notice


def test_the_stored_message_is_in_the_site_language_with_its_parts(make_case, users):
    from amanah.integrity import services
    from amanah.integrity.models import Message

    report = make_case()
    with translation.override("en"):
        services.request_disclosure(users[("inspektorat", "a")], report.pk, REASON)
    message = Message.objects.get(report=report, kind=Message.Kind.NOTICE)
    assert message.body.startswith(ASKED_ID)
    assert '"id": "Pemeriksa meminta izin' in message.body_parts
    # Encrypted like the body: the reason an officer typed is a parameter.
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT body_parts FROM integrity_message WHERE id = %s", [message.pk])
        raw = cur.fetchone()[0]
    assert raw.startswith("enc1:") and "saksi kunci" not in raw


def test_notices_with_translated_parameters_follow_the_reader(
    make_case, users, reporter, api_as, insp_en
):
    """The custodian's decision and the finding name a word or sentence of their own (approved,
    proven, the sanction sentence): those are translated with the rest."""
    report = make_case()
    request_id = insp_en.post(f"{BASE}/cases/{report.pk}/disclosures", {"reason": REASON}).json()[
        "id"
    ]
    assert (
        reporter(report.receipt).post(f"{BASE}/me/disclosures/{request_id}/consent").status_code
        == 200
    )
    custodian = api_as(users[("kustodian", "a")])
    custodian.client = client_in("en")
    r = custodian.post(f"{BASE}/disclosures/{request_id}/decide", {"approve": True})
    assert r.status_code == 200, r.content
    assert insp_en.post(f"{BASE}/cases/{report.pk}/acknowledge").status_code == 200
    r = insp_en.post(
        f"{BASE}/cases/{report.pk}/assess",
        {
            "credibility": "tinggi",
            "seriousness": "tinggi",
            "retaliation_risk": "rendah",
            "decision": "periksa",
        },
    )
    assert r.status_code == 200, r.content
    r = insp_en.post(
        f"{BASE}/cases/{report.pk}/finding",
        {
            "outcome": "terbukti",
            "note": "Terbukti dari bukti kuitansi.",
            "sanction_level": "ringan",
            "sanction": "teguran_tertulis",
        },
    )
    assert r.status_code == 200, r.content

    indonesian = " ".join(_bodies(_reporter_in(reporter, report.receipt)))
    assert "Kustodian identitas menyetujui permintaan" in indonesian
    assert "Laporan Anda sudah diterima oleh tim integritas" in indonesian
    assert "Laporan Anda akan diperiksa lebih lanjut" in indonesian
    assert "sudah selesai: pelanggaran terbukti. Rekomendasi hukuman disiplin" in indonesian
    assert "approved" not in indonesian and "proven" not in indonesian

    english = " ".join(_bodies(_reporter_in(reporter, report.receipt, "en")))
    assert "The identity custodian approved the request to see your identity." in english
    assert "Your report has been received by the integrity team" in english
    assert "is complete: the violation was proven. A recommended disciplinary sanction" in english
    assert "menyetujui" not in english and "pelanggaran" not in english


def test_the_reporter_page_and_the_staff_page_show_notices_in_the_readers_language(
    make_case, insp_en, users
):
    report = make_case()
    assert (
        insp_en.post(f"{BASE}/cases/{report.pk}/disclosures", {"reason": REASON}).status_code == 201
    )
    for language, shown, hidden in (("id", ASKED_ID, ASKED_EN), ("en", ASKED_EN, ASKED_ID)):
        page = client_in(language)
        assert (
            page.post("/integritas/tindak-lanjut/", {"receipt": report.receipt}).status_code == 302
        )
        html = page.get("/integritas/kasus-saya/").content.decode()
        assert shown in html and hidden not in html, language

        staff = client_in(language)
        staff.force_login(users[("inspektorat", "a")])
        html = staff.get(f"/integritas/staf/{report.pk}/").content.decode()
        assert shown in html and hidden not in html, language
        detail = staff.get(f"{BASE}/cases/{report.pk}", headers=insp_en._headers(None)).json()
        assert any(shown in m["body"] for m in detail["messages"]), language


def test_text_an_officer_typed_stays_as_typed(make_case, insp_en, reporter):
    report = make_case()
    typed = "Mohon kirim foto kuitansi yang Anda sebut."
    r = insp_en.post(f"{BASE}/cases/{report.pk}/messages", {"body": typed, "question": True})
    assert r.status_code == 201, r.content
    assert typed in _bodies(_reporter_in(reporter, report.receipt, "en"))
    assert typed in _bodies(_reporter_in(reporter, report.receipt))


def test_a_message_stored_before_its_parts_were_kept_is_shown_as_written(make_case, reporter):
    from amanah.integrity.models import Message

    report = make_case()
    Message.objects.create(
        report=report,
        direction=Message.Direction.TO_REPORTER,
        kind=Message.Kind.NOTICE,
        body="Pesan lama dari sistem.",
        created_on=report.created_on,
    )
    assert "Pesan lama dari sistem." in _bodies(_reporter_in(reporter, report.receipt, "en"))


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
    assert "Laporan pelanggaran baru" in content and "Laporan baru masuk" in content
    assert "New violation report" not in content and "A new report" not in content
    # Not what it is about (tests/integrity/test_mail_content.py).
    assert "Pungutan liar" not in content


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


def test_a_retaliation_report_names_its_form_in_each_readers_language(
    make_case, reporter, insp_en, users
):
    """The reporter chose the form of retaliation from a list in English; the record keeps which one,
    and each reader sees its name in their language beside what the reporter typed."""
    report = make_case()
    me = _reporter_in(reporter, report.receipt, "en")
    r = me.post(
        f"{BASE}/me/retaliation", {"kind": "demosi", "description": "Jabatan saya dicopot."}
    )
    assert r.status_code == 201, r.content

    from amanah.integrity.models import Message

    stored = Message.objects.get(report=report, kind=Message.Kind.RETALIATION)
    assert stored.body == (
        "Bentuk pembalasan: Diturunkan jabatan atau dicabut tugasnya. Jabatan saya dicopot."
    )
    with translation.override("en"):
        english = stored.shown_body
    assert english.startswith("Form of retaliation: Demoted or stripped of duties.")
    assert english.endswith("Jabatan saya dicopot.") and "Diturunkan" not in english

    bodies = _bodies(_reporter_in(reporter, report.receipt, "en"))
    assert any(b.startswith("Form of retaliation: Demoted") for b in bodies), bodies
