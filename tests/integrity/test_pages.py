"""The pages: explanation, report form, receipt shown once, follow-up by POST, staff case pages."""

import re

import pytest
from django.test import Client

from .conftest import SECRET

pytestmark = pytest.mark.django_db


def _form(org, **extra):
    o = org["a"]
    data = {
        "reported_name": "Staf a",
        "reported_agency": o["agency"].code,
        "reported_unit": o["bidang"].code,
        "violation_type": "pungutan_liar",
        "description": SECRET,
        "nonce": "n-1",
    }
    data.update(extra)
    return data


def test_explanation_page_in_plain_indonesian(client):
    r = client.get("/integritas/")
    text = r.content.decode()
    for phrase in (
        "Siapa yang boleh melapor",
        "Apa yang terjadi setelah Anda melapor",
        "Bagaimana identitas Anda dilindungi",
        "UU 31/2014",
        "PP 94/2021",
    ):
        assert phrase in text


def test_public_pages_state_the_configured_deadlines(client, org, settings):
    from django.utils import translation

    settings.INTEGRITY_DEADLINES = {
        "acknowledge_days": 3,
        "assessment_working_days": 5,
        "summons_notice_working_days": 4,
        "feedback_months": 1,
        "gratification_upg_working_days": 7,
        "gratification_kpk_working_days": 21,
    }
    index = client.get("/integritas/").content.decode()
    assert "Dalam 3 hari tim integritas" in index and "Dalam 5 hari kerja laporan" in index
    assert "paling lambat 4 hari kerja sebelumnya" in index and "setiap 1 bulan" in index
    assert "Dalam 7 hari" not in index and "10 hari kerja" not in index
    form = client.get("/integritas/gratifikasi/").content.decode()
    assert "paling lambat 7 hari kerja sejak" in form and "paling lambat 21 hari kerja" in form
    assert "10 hari kerja" not in form and "30 hari kerja" not in form
    receipt = client.post("/integritas/lapor/", _form(org)).content.decode()
    assert "Dalam 3 hari tim integritas menanggapi" in receipt
    # English: singular and plural as the numbers need.
    client.cookies["amanah_lang"] = "en"
    with translation.override("en"):
        english = client.get("/integritas/").content.decode()
    assert "every month" in english or "every 1 month." in english
    assert "Within 3 days" in english and "within 1 months" not in english


def test_bad_report_keeps_what_was_typed(client, org):
    r = client.post("/integritas/lapor/", _form(org, description="pendek", reported_nip="12"))
    assert r.status_code == 400
    text = r.content.decode()
    assert "paling sedikit 20 karakter" in text and "pendek" in text and "Staf a" in text


def test_receipt_is_shown_once_and_never_again(client, org):
    from amanah.integrity.models import Report

    r = client.post("/integritas/lapor/", _form(org))
    assert r.status_code == 200
    match = re.search(r'id="receipt">(\d{4} \d{4} \d{4} \d{4})<', r.content.decode())
    assert match, "receipt shown"
    receipt = match.group(1)
    # Resubmitting the same form (refresh, double click) files nothing and shows no receipt.
    again = client.post("/integritas/lapor/", _form(org))
    assert again.status_code == 409 and receipt not in again.content.decode()
    assert Report.objects.count() == 1
    # Follow-up: the receipt goes in a POST body; the redirect and the case page never contain it.
    r = client.post("/integritas/tindak-lanjut/", {"receipt": receipt})
    assert r.status_code == 302 and receipt.replace(" ", "") not in r["Location"]
    cookie = r.cookies["wbs"]
    assert (
        cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/integritas/"
    )
    page = client.get("/integritas/kasus-saya/")
    assert page.status_code == 200
    assert (
        receipt not in page.content.decode()
        and receipt.replace(" ", "") not in page.content.decode()
    )
    assert "menunggu ditelaah" in page.content.decode()
    # Reply, retaliation, then log out: the cookie session ends.
    assert (
        client.post("/integritas/kasus-saya/balas/", {"body": "Tambahan keterangan"}).status_code
        == 302
    )
    r = client.post("/integritas/kasus-saya/pembalasan/", {"kind": "tekanan", "description": ""})
    assert r.status_code == 400 and "Tambahan keterangan" in r.content.decode()
    assert (
        client.post(
            "/integritas/kasus-saya/pembalasan/",
            {"kind": "tekanan", "description": "Diancam atasan"},
        ).status_code
        == 302
    )
    assert Report.objects.get().protection_flag
    assert client.post("/integritas/keluar/").status_code == 302
    assert client.get("/integritas/kasus-saya/").status_code == 401


def test_wrong_receipt_on_the_page_is_not_echoed(client, org):
    r = client.post("/integritas/tindak-lanjut/", {"receipt": "1111 2222 3333 4444"})
    assert r.status_code == 401
    assert "1111" not in r.content.decode() and "tidak cocok" in r.content.decode()
    r = client.post("/integritas/tindak-lanjut/", {"receipt": "abc"})
    assert r.status_code == 400 and "16 angka" in r.content.decode()


def test_gratification_page_shows_deadlines(client, org):
    o = org["a"]
    r = client.post(
        "/integritas/gratifikasi/",
        {
            "reporter_name": o["kabid"].name,
            "reported_nip": o["kabid"].nip,
            "reported_agency": o["agency"].code,
            "gift_received_on": "2026-11-02",
            "gift_giver": "Rekanan",
            "gift_value": "Parsel",
            "description": "Diantar ke rumah.",
            "nonce": "g-1",
        },
    )
    assert r.status_code == 200
    assert "Melalui UPG instansi" in r.content.decode()


def test_staff_pages_and_conflict(client, org, users, make_case, make_user):
    report = make_case()
    client.force_login(users[("inspektorat", "a")])
    assert report.case_number in client.get("/integritas/staf/").content.decode()
    page = client.get(f"/integritas/staf/{report.pk}/")
    assert page.status_code == 200 and SECRET in page.content.decode()
    assert "Budi Pelapor" not in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    r = client.post(f"/integritas/staf/{report.pk}/terima/", {"ack-body": ""})
    assert r.status_code == 302
    r = client.post(f"/integritas/staf/{report.pk}/pesan/", {"message-body": ""})
    assert r.status_code == 400
    r = client.post(
        f"/integritas/staf/{report.pk}/pesan/",
        {"message-body": "Ada foto lain?", "message-question": "on"},
    )
    assert r.status_code == 302
    export = client.get(f"/integritas/staf/{report.pk}/ekspor/")
    assert SECRET in export.content.decode() and "Budi Pelapor" not in export.content.decode()
    pdf = client.get(f"/integritas/staf/{report.pk}/ekspor/?format=pdf")
    assert pdf.content.startswith(b"%PDF")
    # The reported person's superior, even with the inspektorat role, cannot find it.
    other = Client()
    other.force_login(make_user("inspektorat", org["a"]["agency"], employee=org["a"]["kadis"]))
    assert other.get(f"/integritas/staf/{report.pk}/").status_code == 404
    assert report.case_number not in other.get("/integritas/staf/").content.decode()


def test_custodian_page_decides(client, org, users, make_case):
    from amanah.integrity import services

    report = make_case()
    req = services.request_disclosure(
        users[("inspektorat", "a")], report.pk, "Pelapor saksi kunci; keterangan resmi diperlukan."
    )
    client.force_login(users[("kustodian", "a")])
    page = client.get("/integritas/staf/identitas/")
    assert report.case_number in page.content.decode() and SECRET not in page.content.decode()
    assert (
        client.post(f"/integritas/staf/identitas/{req.pk}/putuskan/", {"approve": "0"}).status_code
        == 302
    )
    req.refresh_from_db()
    assert req.state == "ditolak"


def test_a_refused_file_is_named_beside_the_file_input_and_the_report_is_kept(client, org):
    """An executable sent as evidence: the page comes back (not a server error) with the error tied to
    the file input, what was typed still there, and nothing stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amanah.integrity.models import Report

    for url, data in (
        ("/integritas/lapor/", _form(org)),
        (
            "/integritas/gratifikasi/",
            {
                "reporter_name": org["a"]["kabid"].name,
                "reported_nip": org["a"]["kabid"].nip,
                "reported_agency": org["a"]["agency"].code,
                "gift_received_on": "2026-11-02",
                "gift_giver": "Rekanan",
                "gift_value": "Parsel",
                "description": "Diantar ke rumah.",
                "nonce": "g-2",
            },
        ),
    ):
        bad = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg")
        r = client.post(url, {**data, "evidence": bad})
        assert r.status_code == 400, url
        text = r.content.decode()
        assert (
            'id="evidence_error"' in text
            and 'aria-describedby="evidence_help evidence_error"' in text
        )
        assert 'aria-invalid="true"' in text
        assert "Berkas 1:" in text and "dipilih ulang" in text
        assert data["description"][:20] in text
    assert not Report.objects.exists()


def test_the_violation_type_is_not_chosen_for_the_reporter(client, org):
    page = client.get("/integritas/lapor/").content.decode()
    assert re.search(r'<select name="violation_type"[^>]*>\s*<option value="" selected>', page)
    r = client.post("/integritas/lapor/", _form(org, violation_type=""))
    assert r.status_code == 400 and 'id="id_violation_type_error"' in r.content.decode()


def test_a_national_unit_list_is_narrowed_to_the_agency_chosen(client, org, settings):
    """With more units than INTEGRITY_UNIT_LIST_LIMIT the form lists none until an agency is chosen; the
    "show units" button sends the form back with what was typed (no report is filed, nothing is lost)."""
    from amanah.integrity.models import Report

    everything = client.get("/integritas/lapor/").content.decode()
    assert org["b"]["bidang"].code in everything  # a small installation lists every unit
    settings.INTEGRITY_UNIT_LIST_LIMIT = 1
    page = client.get("/integritas/lapor/").content.decode()
    assert org["a"]["bidang"].code not in page and org["b"]["bidang"].code not in page
    assert "pilih instansi dulu" in page and 'name="show_units"' in page
    typed = _form(org, reported_unit="", show_units="1", witnesses="Dua rekan di loket")
    shown = client.post("/integritas/lapor/", typed)
    html = shown.content.decode()
    assert shown.status_code == 200 and not Report.objects.exists()
    assert f'value="{org["a"]["bidang"].code}"' in html
    assert f'value="{org["b"]["bidang"].code}"' not in html
    assert SECRET in html and "Dua rekan di loket" in html  # what was typed is all still there
    assert f'<option value="{org["a"]["agency"].code}" selected>' in html
    sent = client.post("/integritas/lapor/", _form(org))
    assert sent.status_code == 200 and Report.objects.count() == 1


def test_the_evidence_help_says_the_configured_limit(client, settings):
    assert "Paling besar 10 MB per berkas." in client.get("/integritas/lapor/").content.decode()
    settings.UPLOAD_MAX_BYTES = int(2.5 * 2**20)
    page = client.get("/integritas/lapor/").content.decode()
    assert "Paling besar 2,5 MB per berkas." in page and "10 MB" not in page


def test_staff_tables_stack_on_a_phone_with_labelled_cells(client, org, users, make_case):
    """The case list, the custodian's requests (the decision buttons inside) and the statistics turn
    every row into a block led by its heading, every value labelled by its column header."""
    from amanah.integrity import services
    from tests.tables import assert_stacked, by_head
    from tests.transparency.conftest import make_reports

    report = make_case()
    req = services.request_disclosure(
        users[("inspektorat", "a")], report.pk, "Pelapor saksi kunci; keterangan resmi diperlukan."
    )
    # Approval needs the reporter's consent.
    services.answer_disclosure(report, req.pk, consent=True)
    client.force_login(users[("inspektorat", "a")])
    cases = by_head(
        assert_stacked(client.get("/integritas/staf/").content.decode(), at_least=1), "Nomor"
    )
    assert cases["rows"][0][0]["text"] == report.case_number
    assert [c["attrs"]["data-label"] for c in cases["rows"][0]] == [
        "Nomor",
        "Jenis",
        "Instansi terlapor",
        "Tahap",
        "Tenggat",
        "Tanda",
    ]
    client.force_login(users[("kustodian", "a")])
    page = client.get("/integritas/staf/identitas/").content.decode()
    requests = by_head(assert_stacked(page, at_least=1), "Kasus")
    assert requests["rows"][0][0]["text"] == report.case_number
    assert requests["rows"][0][3]["attrs"]["data-label"] == "Keputusan"
    assert 'name="approve" value="1"' in page  # the decision still posts without JavaScript
    # Five, or the agency would stay out of the national statistics (and the tables empty).
    make_reports(org, [("korupsi", "selesai", "terbukti", "berat", 5)] * 5)
    found = assert_stacked(Client().get("/integritas/statistik/").content.decode(), at_least=4)
    by_type = by_head(found, "Jenis")
    assert by_type["caption"] == "Menurut jenis pelanggaran"
    assert [c["attrs"]["data-label"] for c in by_type["rows"][0]] == ["Jenis", "Jumlah"]
    assert by_head(found, "Tingkat")["rows"][0][0]["tag"] == "th"


def test_the_staff_case_page_names_each_message_kind_in_the_readers_language(org, users, make_case):
    from amanah.integrity import services
    from tests.i18n import client_in

    report = make_case()
    officer = users[("inspektorat", "a")]
    services.send_message(officer, report.pk, "Di loket mana uang itu diminta?", question=True)
    indonesian, english = client_in("id"), client_in("en")
    for client in (indonesian, english):
        client.force_login(officer)
    page = indonesian.get(f"/integritas/staf/{report.pk}/").content.decode()
    assert "(pertanyaan)" in page
    page = english.get(f"/integritas/staf/{report.pk}/").content.decode()
    assert "(question)" in page and "(pertanyaan)" not in page
