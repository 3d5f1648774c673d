"""Browser test of the whistleblowing channel: an anonymous reporter on a phone, an investigator on a
desktop, two-way anonymous messages, through to a finding with a PP 94/2021 sanction recommendation."""

import re

import pytest

from tests.integrity.conftest import jpeg_with_metadata

pytestmark = pytest.mark.e2e

PASSWORD = "sandi-rahasia-123"


def test_anonymous_report_question_answer_finding(
    transactional_db, page, browser, live_server, org, users
):
    from amanah.integrity.models import Report

    # The reporter files a report with a photo and keeps the receipt.
    page.goto(page.base_url + "/integritas/")
    assert page.locator("h2:has-text('Bagaimana identitas Anda dilindungi')").is_visible()
    page.click("text=Buat laporan")
    page.fill("#id_reported_name", "Staf a")
    page.select_option("#id_reported_agency", "kab-a")
    page.select_option("#id_reported_unit", "kab-a-dafduk")
    page.select_option("#id_violation_type", "pungutan_liar")
    page.fill(
        "#id_description", "Petugas loket meminta Rp150.000 agar KTP-el selesai hari ini juga."
    )
    page.set_input_files(
        "#id_evidence",
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_metadata()}],
    )
    page.click("button:has-text('Kirim laporan')")
    receipt = page.locator("#receipt").inner_text().strip()
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", receipt)
    assert receipt.replace(" ", "") not in page.url
    report = Report.objects.get()
    assert report.evidence.count() == 1 and report.reporter_name == ""

    # An investigator asks a question.
    staff_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    staff = staff_ctx.new_page()
    staff.goto(live_server.url + "/akun/masuk/")
    staff.fill("#id_email", users[("inspektorat", "a")].email)
    staff.fill("#id_password", PASSWORD)
    staff.click("main form button[type=submit]")
    staff.goto(live_server.url + "/integritas/staf/")
    staff.click(f"text={report.case_number}")
    assert "Rp150.000" in staff.locator("#case-description").inner_text()
    staff.fill("#id_message-body", "Apakah ada kuitansi atau saksi lain?")
    staff.check("#id_message-question")
    staff.click("button:has-text('Kirim pesan')")

    # The reporter comes back with the receipt (typed into a form, never in a URL) and answers.
    page.goto(page.base_url + "/integritas/tindak-lanjut/")
    page.fill("#id_receipt", receipt)
    page.click("button:has-text('Buka laporan')")
    assert "/kasus-saya/" in page.url and receipt.replace(" ", "") not in page.url
    assert "kuitansi" in page.locator("#messages").inner_text()
    assert receipt not in page.content()
    page.fill("#id_body", "Tidak ada kuitansi. Dua warga di antrean melihatnya.")
    page.click("button:text-is('Kirim')")
    assert "Dua warga di antrean" in page.locator("#messages").inner_text()

    # The investigator assesses, and concludes with a finding and a sanction recommendation.
    staff.reload()
    assert "Dua warga di antrean" in staff.content()
    staff.select_option("#id_assess-credibility", "tinggi")
    staff.select_option("#id_assess-seriousness", "sedang")
    staff.select_option("#id_assess-retaliation_risk", "rendah")
    staff.select_option("#id_assess-decision", "periksa")
    staff.click("button:has-text('Simpan penilaian')")
    assert "Sedang diperiksa" in staff.locator("#case-status").inner_text()
    staff.select_option("#id_finding-outcome", "terbukti")
    staff.select_option("#id_finding-sanction_level", "ringan")
    staff.select_option("#id_finding-sanction", "teguran_tertulis")
    staff.fill("#id_finding-note", "Keterangan dua saksi dan foto cocok: pungutan terbukti.")
    staff.click("button:has-text('Simpan temuan')")
    assert "Selesai" in staff.locator("#case-status").inner_text()
    assert "Terbukti" in staff.locator("#case-outcome").inner_text()
    staff_ctx.close()

    report.refresh_from_db()
    assert (report.status, report.outcome, report.sanction_level, report.sanction) == (
        "selesai",
        "terbukti",
        "ringan",
        "teguran_tertulis",
    )
    page.reload()
    assert "sudah selesai" in page.locator("#status").inner_text()


def test_the_reporter_stops_the_news_without_javascript(
    transactional_db, browser, live_server, org
):
    """With JavaScript off, on a phone: the stop link of a news mail shows a button and changes nothing
    until it is pressed; the case page changes the contact and erases it."""
    from amanah.integrity import services
    from amanah.integrity.forms import ReportForm
    from amanah.integrity.models import Report

    def filed():
        form = ReportForm(
            {
                "reported_name": "Staf a",
                "reported_agency": org["a"]["agency"].code,
                "violation_type": "pungutan_liar",
                "description": "Petugas loket meminta Rp150.000 agar KTP-el selesai hari ini.",
                "reporter_contact": "budi.pelapor@contoh.id",
                "may_contact": "true",
            }
        )
        assert form.is_valid(), form.errors
        return services.submit_report(form.cleaned_data)

    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="id-ID"
    )
    p = context.new_page()

    by_link, _receipt = filed()
    p.goto(live_server.url + f"/integritas/kabar/berhenti/{services.news_stop_token(by_link.pk)}/")
    by_link.refresh_from_db()
    assert by_link.reporter_contact  # opening the link did nothing
    p.get_by_role("button", name="Berhenti menerima kabar").click()
    assert "Kabar dihentikan" in p.locator("main").inner_text()
    by_link.refresh_from_db()
    assert by_link.reporter_contact == "" and not by_link.may_contact

    on_page, receipt = filed()
    p.goto(live_server.url + "/integritas/tindak-lanjut/")
    p.fill("#id_receipt", receipt)
    p.click("button:has-text('Buka laporan')")
    said = p.locator("#contact ~ p").first.inner_text()
    assert "ke alamat email yang Anda berikan" in said
    assert "contoh.id" not in p.locator("main").inner_text()  # no part of the address is shown
    p.get_by_label("Kontak baru (email atau nomor telepon)").fill("0812 3456 7890")
    p.get_by_role("button", name="Ganti kontak").click()
    on_page.refresh_from_db()
    assert on_page.reporter_contact == "+6281234567890" and on_page.may_contact
    assert "Anda memberi kontak, tetapi kabar tidak dikirim" in p.locator("main").inner_text()
    assert "7890" not in p.locator("main").inner_text()
    p.get_by_role("button", name="Berhenti menerima kabar").click()
    assert "Anda tidak memberi kontak" in p.locator("main").inner_text()
    assert Report.objects.get(pk=on_page.pk).reporter_contact == ""
    context.close()
