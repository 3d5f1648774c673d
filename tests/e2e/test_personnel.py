"""HR records a training with JP hours; the ASN sees the total rise toward 20 JP; the supervisor rates
the SKP and the predicate appears on the ASN's page."""

import datetime as dt

import pytest

pytestmark = pytest.mark.e2e

PASSWORD = "sandi-rahasia-123"


def _login(p, email):
    p.goto(p.base_url + "/akun/masuk/?next=/kepegawaian/")
    p.get_by_label("Email").fill(email)
    p.get_by_label("Kata sandi").fill(PASSWORD)
    p.get_by_role("button", name="Masuk", exact=True).click()
    p.wait_for_load_state()


def test_training_raises_jp_and_supervisor_rating_shows_predicate(
    page, desktop_page, browser, live_server, org, make_user
):
    from amanah.personnel.models import Skp, SkpIndicator, SkpPeriod

    a = org["a"]
    year = dt.date.today().year
    period = SkpPeriod.objects.create(
        agency=a["agency"],
        name=f"Tahun {year}",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
    )
    skp = Skp.objects.create(employee=a["staff"], period=period, rater=a["kabid"])
    SkpIndicator.objects.create(
        skp=skp, description="KTP-el terbit dalam 1 hari", target=95, unit="persen"
    )
    make_user("kepegawaian", a["agency"], email="bkpsdm@kab-a.go.id")
    make_user(employee=a["staff"], email="asn@kab-a.go.id")
    make_user(employee=a["kabid"], email="kabid@kab-a.go.id")

    # The ASN (on a phone) starts at 0 JP.
    _login(page, "asn@kab-a.go.id")
    page.wait_for_url("**/kepegawaian/saya/")
    assert page.locator("#jp-total").inner_text() == "0,0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # HR records a training of 8 JP.
    hr = desktop_page
    _login(hr, "bkpsdm@kab-a.go.id")
    hr.wait_for_url("**/kepegawaian/staf/")
    hr.get_by_role("link", name="Pegawai", exact=True).click()
    hr.get_by_role("link", name="Staf a").click()
    hr.get_by_label("Nama kegiatan").fill("Pelatihan komunikasi efektif")
    hr.get_by_label("Jumlah JP").fill("-8")
    hr.get_by_role("button", name="Simpan pelatihan").click()
    assert "JP harus lebih dari 0." in hr.locator("main").inner_text()
    assert hr.get_by_label("Nama kegiatan").input_value() == "Pelatihan komunikasi efektif"
    hr.get_by_label("Jumlah JP").fill("8")
    hr.get_by_role("button", name="Simpan pelatihan").click()
    assert "Pelatihan dicatat." in hr.locator("main").inner_text()

    page.reload()
    assert page.locator("#jp-total").inner_text() == "8,0"
    assert "Kurang 12,0 JP" in page.locator("main").inner_text()
    assert "Pelatihan komunikasi efektif" in page.locator("main").inner_text()

    # The supervisor rates the SKP.
    ctx = browser.new_context(viewport={"width": 1024, "height": 800}, locale="id-ID")
    sup = ctx.new_page()
    sup.base_url = live_server.url
    _login(sup, "kabid@kab-a.go.id")
    sup.get_by_role("link", name=f"Staf a — Tahun {year}").click()
    sup.get_by_label("Realisasi").fill("97")
    sup.locator("input[name=hasil_kerja][value=di_atas]").check()
    sup.locator("input[name=perilaku][value=di_atas]").check()
    sup.get_by_role("button", name="Simpan penilaian").click()
    assert sup.locator("#predikat").inner_text() == "Sangat baik"
    ctx.close()

    page.reload()
    assert "Sangat baik" in page.locator("section", has=page.locator("#skp-h")).inner_text()


def test_hr_sets_competency_standard_and_records_assessment(page, desktop_page, org, make_user):
    """Without JavaScript-dependent widgets: HR sets the standard of a position, records an
    assessment (a future date is refused next to the field, the rest kept), and the ASN sees the gap."""
    from amanah.personnel.models import Competency

    # Live-server tests flush the database, so the standard competency of migration 0002 may be gone.
    Competency.objects.get_or_create(
        agency=None,
        code="pelayanan-publik",
        defaults={"type": "manajerial", "name": "Pelayanan Publik"},
    )
    a = org["a"]
    a["staff"].position = "Pengadministrasi Kependudukan"
    a["staff"].save()
    make_user("kepegawaian", a["agency"], email="bkpsdm@kab-a.go.id")
    make_user(employee=a["staff"], email="asn@kab-a.go.id")

    hr = desktop_page
    _login(hr, "bkpsdm@kab-a.go.id")
    hr.wait_for_url("**/kepegawaian/staf/")
    hr.get_by_role("link", name="Standar kompetensi jabatan").click()
    hr.get_by_label("Jabatan").fill("Pengadministrasi Kependudukan")
    hr.get_by_role("combobox", name="Kompetensi").select_option(
        label="Pelayanan Publik (Manajerial)"
    )
    hr.get_by_role("button", name="Simpan standar").click()
    field = hr.locator(".field", has=hr.get_by_label("Level yang disyaratkan"))
    assert "Bidang ini tidak boleh kosong." in field.inner_text()
    assert hr.get_by_label("Jabatan").input_value() == "Pengadministrasi Kependudukan"
    hr.get_by_label("Level yang disyaratkan").select_option("4")
    hr.get_by_role("button", name="Simpan standar").click()
    assert "Standar Pengadministrasi Kependudukan" in hr.locator("main").inner_text()

    hr.get_by_role("link", name="Pegawai", exact=True).click()
    hr.get_by_role("link", name="Staf a").click()
    hr.get_by_label("Kompetensi yang dinilai").select_option(label="Pelayanan Publik (Manajerial)")
    hr.get_by_label("Level hasil asesmen").select_option("2")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    hr.get_by_label("Tanggal asesmen").fill(tomorrow.isoformat())
    hr.get_by_label("Metode asesmen").fill("Uji kompetensi BKPSDM")
    hr.get_by_role("button", name="Simpan hasil asesmen").click()
    field = hr.locator(".field", has=hr.get_by_label("Tanggal asesmen"))
    assert "Tanggal asesmen tidak boleh di masa depan." in field.inner_text()
    assert hr.get_by_label("Metode asesmen").input_value() == "Uji kompetensi BKPSDM"
    hr.get_by_label("Tanggal asesmen").fill(dt.date.today().isoformat())
    hr.get_by_role("button", name="Simpan hasil asesmen").click()
    assert "Hasil asesmen Pelayanan Publik dicatat: level 2." in hr.locator("main").inner_text()

    _login(page, "asn@kab-a.go.id")
    page.wait_for_url("**/kepegawaian/saya/")
    profile = page.locator("section", has=page.locator("#komp-h")).inner_text()
    assert "Pelayanan Publik: kurang 2 level" in profile
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_asn_enrols_themself_and_hr_adds_a_technical_competency(page, desktop_page, org, make_user):
    """The self-service enrolment form and HR's competency dictionary work without scripts: an
    empty choice is refused beside the field, then the ASN is enrolled; HR adds a technical
    competency and it can be required of a position at once."""
    from amanah.personnel.models import Program

    program = Program.objects.create(
        agency=org["a"]["agency"],
        code="siak-dasar",
        title="Pelatihan SIAK dasar",
        category="teknis",
        method="pelatihan",
        competency_type="teknis",
        jp=16,
    )
    make_user(employee=org["a"]["staff"], email="asn@kab-a.go.id")
    make_user("kepegawaian", org["a"]["agency"], email="bkpsdm@kab-a.go.id")

    _login(page, "asn@kab-a.go.id")
    page.wait_for_url("**/kepegawaian/saya/")
    page.get_by_role("button", name="Daftar", exact=True).click()
    field = page.locator(".field", has=page.get_by_label("Program yang diikuti"))
    assert "Bidang ini tidak boleh kosong." in field.inner_text()
    page.get_by_label("Program yang diikuti").select_option(str(program.pk))
    page.get_by_role("button", name="Daftar", exact=True).click()
    main = page.locator("main").inner_text()
    assert "Anda terdaftar di Pelatihan SIAK dasar." in main and "Terdaftar" in main
    assert page.locator("#jp-total").inner_text() == "0,0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    hr = desktop_page
    _login(hr, "bkpsdm@kab-a.go.id")
    hr.wait_for_url("**/kepegawaian/staf/")
    hr.get_by_role("link", name="Standar kompetensi jabatan").click()
    hr.get_by_label("Kode kompetensi").fill("siak")
    hr.get_by_label("Nama kompetensi").fill("Pengoperasian SIAK")
    hr.get_by_role("button", name="Tambah kompetensi").click()
    assert "Kompetensi teknis Pengoperasian SIAK ditambahkan." in hr.locator("main").inner_text()
    hr.get_by_role("combobox", name="Kompetensi").select_option(label="Pengoperasian SIAK (Teknis)")
