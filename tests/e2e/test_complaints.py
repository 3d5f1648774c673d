"""Browser tests of the complaint desk on a phone-sized screen (Playwright + system Chromium)."""

import re

import pytest

from tests.complaints.conftest import jpeg_with_gps
from tests.complaints.test_answer_attachments import letter_pdf

pytestmark = pytest.mark.e2e

PASSWORD = "sandi-rahasia-123"


def login(page, email):
    page.goto(page.base_url + "/akun/masuk/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit], main form button[type=submit]")
    page.wait_for_load_state()


def staff_page(browser, live_server, email):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="id-ID"
    )
    p = context.new_page()
    p.base_url = live_server.url
    login(p, email)
    return context, p


def test_citizen_files_officer_forwards_unit_answers_citizen_rates(
    transactional_db, page, browser, live_server, org, users
):
    from amanah.complaints.models import Complaint

    page.goto(page.base_url + "/pengaduan/")
    page.select_option("#id_service", "kab-a-ktp")
    page.fill("#id_title", "KTP-el belum dicetak")
    page.fill("#id_description", "Sudah tiga bulan sejak perekaman, KTP-el belum juga dicetak.")
    page.fill("#id_name", "Siti Aminah")
    page.set_input_files(
        "#id_evidence",
        files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}],
    )
    page.click("text=Kirim pengaduan")
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert Complaint.objects.get(tracking_code=code).evidence.count() == 1

    ctx, officer = staff_page(browser, live_server, users[("operator", "a")].email)
    officer.goto(f"{live_server.url}/pengaduan/staf/")
    number = f"AMN-{Complaint.objects.get(tracking_code=code).pk}"
    officer.get_by_role("link", name=number, exact=True).click()  # the inbox names it by number
    officer.click("summary:has-text('Verifikasi dan teruskan')")
    officer.select_option("#verify_unit", str(org["a"]["bidang"].pk))
    officer.click("button:has-text('Verifikasi dan teruskan')")
    assert "Diverifikasi" in officer.locator("#status").inner_text()
    ctx.close()

    ctx, unit = staff_page(browser, live_server, users[("unit", "a")].email)
    unit.goto(f"{live_server.url}/pengaduan/staf/{number}/")
    unit.click("summary:has-text('Kirim jawaban')")
    unit.fill("#answer_text", "KTP-el Anda sudah dicetak, silakan ambil di loket 3.")
    # The unit's official answer letter goes with the answer.
    unit.set_input_files(
        "#answer_attachments",
        files=[
            {"name": "Surat Jawaban.pdf", "mimeType": "application/pdf", "buffer": letter_pdf()}
        ],
    )
    unit.click("button:has-text('Kirim jawaban')")
    assert "Sudah dijawab" in unit.locator("#status").inner_text()
    assert "lampiran jawaban, dapat diunduh pengadu" in unit.content()
    ctx.close()

    page.goto(f"{page.base_url}/pengaduan/lacak/{code}/")
    assert "loket 3" in page.content() and "Siti Aminah" not in page.content()
    with page.expect_download() as download:
        page.click("text=Unduh lampiran 1")
    letter = open(download.value.path(), "rb").read()
    assert letter.startswith(b"%PDF") and b"Budi Kabid" not in letter
    page.select_option("#id_rating", "5")
    page.click("text=Ya, selesai")
    assert "Selesai" in page.locator("#status").inner_text()
    c = Complaint.objects.get(tracking_code=code)
    assert c.status == "selesai" and c.rating == 5


def test_officer_enters_walk_in_complaint(transactional_db, browser, live_server, org, users):
    from amanah.complaints.models import Complaint

    ctx, officer = staff_page(browser, live_server, users[("operator", "a")].email)
    officer.goto(f"{live_server.url}/pengaduan/staf/baru/")
    officer.select_option("#id_channel", "datang_langsung")
    officer.select_option("#id_service", "kab-a-ktp")
    officer.fill("#id_title", "Tidak bisa membaca formulir")
    officer.fill(
        "#id_description", "Bapak lansia tunanetra minta dibantu mengurus KTP-el yang hilang."
    )
    officer.check("input[name=identity_mode][value=rahasia]")
    officer.fill("#id_name", "Pak Darmo")
    officer.fill("#id_phone", "0274 123456")
    officer.click("text=Simpan pengaduan")
    assert "Berikan kode lacak" in officer.content()
    c = Complaint.objects.get()
    assert (
        c.channel == "datang_langsung"
        and c.identity_mode == "rahasia"
        and c.entered_by == users[("operator", "a")]
    )
    assert c.tracking_code in officer.content()
    ctx.close()


def test_a_citizen_who_lost_the_code_gets_it_by_email_on_a_small_phone_without_javascript(
    transactional_db, browser, live_server, smtp, org
):
    from amanah.complaints import services
    from tests.complaints.conftest import BASE

    data = dict(BASE, service=org["a"]["service"], agency=None, email="siti@example.id")
    c = services.submit(None, data, [], channel="web")
    smtp.messages.clear()
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, java_script_enabled=False, locale="id-ID"
    )
    p = context.new_page()
    p.goto(live_server.url + "/pengaduan/lacak/")
    p.click("text=Lupa kode lacak?")
    p.fill("#id_contact", "Siti@Example.id")
    with p.expect_navigation():
        p.click("main button[type=submit]")
    page = p.content()
    assert "Jika ada pengaduan yang diajukan dengan" in page and c.tracking_code not in page
    assert p.evaluate("document.documentElement.scrollWidth") <= 320
    (mail,) = smtp.wait(1)
    link = re.search(r"https?://\S+/pengaduan/lacak/[0-9A-Z-]+/", mail["body"]).group(0)
    p.goto(live_server.url + link[link.index("/pengaduan/") :])
    assert c.tracking_code in p.locator("#tracking-code").inner_text()
    context.close()
