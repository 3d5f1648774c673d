"""A person scans the counter's QR link on a phone and answers the SKM; staff close the period, read the
results, write the follow-up plan and publish; the public page and the PDF report show the same IKM."""

import datetime as dt
import re

import pytest
from django.utils import timezone

pytestmark = pytest.mark.e2e

EXAMPLE = [[3, 3, 2, 4, 3, 3, 4, 2, 3], [4, 3, 3, 4, 3, 4, 4, 3, 2]]


def test_skm_cycle_from_qr_code_to_published_report(page, browser, live_server, org, make_user):
    from amanah.surveys import reports, services
    from amanah.surveys.models import Response

    unit = org["a"]["bidang"]
    staff = make_user("unit", org["a"]["agency"], unit, email="skm@kab-a.go.id")
    today = timezone.localdate()
    period = services.create_period(
        staff,
        unit=unit,
        start=today - dt.timedelta(days=2),
        end=today + dt.timedelta(days=30),
        population=20,
    )

    # The QR code on the poster encodes the unit's stable link.
    link = reports.unit_link(unit)
    assert link.endswith(f"/skm/u/{unit.code}/")
    page.goto(page.base_url + f"/skm/u/{unit.code}/")
    page.wait_for_url(f"**/skm/s/{period.short_code}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    answers = [
        "Sangat sesuai",
        "Mudah",
        "Cepat",
        "Gratis",
        "Sesuai",
        "Sangat kompeten",
        "Sopan dan ramah",
        "Baik",
        "Dikelola dengan baik",
    ]
    for code, label in zip(
        ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"], answers, strict=True
    ):
        page.locator(f"#q-{code}").get_by_label(label, exact=True).check()
    page.get_by_label("Perempuan").check()
    page.get_by_label("Usia (tahun)").fill("29")
    page.get_by_label("Pendidikan terakhir").select_option("SMA")
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url("**/terima-kasih/")
    assert "Jawaban Anda sudah tercatat" in page.locator("main").inner_text()
    saved = Response.objects.get()
    assert (
        saved.answers() == [4, 3, 3, 4, 3, 4, 3, 3, 4] and saved.gender == "P" and saved.age == 29
    )

    # Paper questionnaires already entered by the counter.
    Response.objects.bulk_create(
        [Response(period=period, **{f"u{i + 1}": v for i, v in enumerate(row)}) for row in EXAMPLE]
    )

    staff_page = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="id-ID"
    ).new_page()
    base = live_server.url
    staff_page.goto(base + "/akun/masuk/")
    staff_page.get_by_label("Email").fill("skm@kab-a.go.id")
    staff_page.get_by_label("Kata sandi").fill("sandi-rahasia-123")
    staff_page.get_by_role("button", name="Masuk", exact=True).click()
    staff_page.wait_for_url("**/staf/")
    staff_page.goto(base + "/skm/staf/")
    staff_page.get_by_role("link", name=str(period)).click()
    staff_page.get_by_role("button", name="Tutup periode").click()
    assert staff_page.get_by_test_id("status").inner_text() == "Ditutup"
    ikm_staff = staff_page.get_by_test_id("ikm").inner_text()
    lowest = staff_page.get_by_test_id("lowest").all_inner_texts()
    assert len(lowest) == 3 and lowest[0].startswith("U3")

    staff_page.get_by_role("combobox", name="Unsur").select_option("U3")
    staff_page.get_by_role("textbox", name="Kegiatan perbaikan").fill(
        "Menambah satu loket pada jam sibuk"
    )
    staff_page.get_by_role("textbox", name="Penanggung jawab").fill("Kepala Bidang")
    staff_page.locator("#id_due").fill((today + dt.timedelta(days=60)).isoformat())
    staff_page.get_by_role("button", name="Simpan rencana").click()
    assert "Rencana tindak lanjut disimpan" in staff_page.locator(".messages").inner_text()
    staff_page.get_by_role("button", name="Publikasikan hasil").click()
    assert staff_page.get_by_test_id("status").inner_text() == "Dipublikasikan"

    # The public sees the same figure on the results page and in the PDF report.
    page.goto(page.base_url + f"/skm/hasil/{period.pk}/")
    ikm_public = page.get_by_test_id("ikm").inner_text()
    assert ikm_public == ikm_staff
    assert re.fullmatch(r"\d{2,3},\d{2}", ikm_public)
    assert "Menambah satu loket pada jam sibuk" in page.locator("main").inner_text()
    pdf = page.request.get(page.base_url + f"/skm/hasil/{period.pk}/laporan.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    from tests.surveys.pdftext import pdf_text

    text = pdf_text(pdf.body())
    assert ikm_public in text
    staff_page.context.close()
