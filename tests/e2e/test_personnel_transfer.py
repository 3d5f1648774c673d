"""The transfer (mutasi) between agencies on a phone, through the real pages and without scripts:
HR of agency B tries to add an ASN whose NIP is registered at agency A, follows the link to the
transfer form (the NIP filled in), is told that an SK dated in the future will not do (the rest of
what they typed kept), then sends the request; HR of agency A refuses it without a reason (told it
is needed), then refuses or approves it. After the approval the ASN's page opens for B's HR and the
ASN is no longer in A's list. Both phones run with scripts switched off: the pages must work without
them."""

import datetime as dt

import pytest

from .conftest import PHONE

pytestmark = pytest.mark.e2e

PASSWORD = "sandi-rahasia-123"
HR_A, HR_B = "bkpsdm@kab-a.go.id", "bkpsdm@kab-b.go.id"

# Every form field on the page without a label the browser ties to it (a <label for>, a wrapping
# <label>, aria-label or aria-labelledby): hidden inputs and buttons are not fields.
UNLABELLED = """() => [...document.querySelectorAll('main input, main select, main textarea')]
    .filter(el => el.type !== 'hidden' && el.type !== 'submit' && el.type !== 'button')
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.getAttribute('aria-labelledby'))
    .map(el => el.name || el.id || el.outerHTML.slice(0, 80))"""


@pytest.fixture
def phone(browser, live_server):
    """Opens a phone-sized page (360 px, scripts off) on the live server; any request leaving it
    fails the test."""
    contexts, outside = [], []

    def open_page():
        context = browser.new_context(**PHONE, locale="id-ID", java_script_enabled=False)
        contexts.append(context)
        p = context.new_page()

        def check(request):
            if not request.url.startswith((live_server.url, "data:", "about:")):
                outside.append(request.url)

        p.on("request", check)
        p.base_url = live_server.url
        return p

    yield open_page
    for context in contexts:
        context.close()
    assert not outside, f"third-party requests: {outside}"


def _login(p, email):
    p.goto(p.base_url + "/akun/masuk/?next=/kepegawaian/")
    p.get_by_label("Email").fill(email)
    p.get_by_label("Kata sandi").fill(PASSWORD)
    p.get_by_role("button", name="Masuk", exact=True).click()
    p.wait_for_load_state()


def _fits_and_labelled(p):
    """The page is not wider than the phone and each of its form fields has a label."""
    width = p.evaluate("document.documentElement.scrollWidth")
    inner = p.evaluate("window.innerWidth")
    # A mobile browser widens its layout viewport (and innerWidth with it) to fit a page too wide
    # for the screen, so the page is also held to the screen's own width.
    screen = PHONE["viewport"]["width"]
    assert width <= inner and width <= screen, f"{p.url}: {width}px wide on a {screen}px screen"
    assert p.evaluate(UNLABELLED) == [], p.url


def _main(p):
    return p.locator("main").inner_text()


def _request_transfer(phone, org, make_user):
    """B's HR, on a phone, runs into A's NIP on the new-ASN form and requests the transfer; the
    transfer page it lands on. Returns (B's page, the transfer's address)."""
    from amanah.core.calendar import Calendar

    a, b = org["a"], org["b"]
    make_user("kepegawaian", a["agency"], email=HR_A)
    make_user("kepegawaian", b["agency"], email=HR_B)
    staff = a["staff"]
    nip = staff.nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    # The SK's day counts in the receiving agency's own time zone.
    today = Calendar(b["agency"]).local_date()

    hr = phone()
    _login(hr, HR_B)
    hr.wait_for_url("**/kepegawaian/staf/")
    hr.get_by_role("link", name="Pegawai", exact=True).click()
    hr.get_by_role("link", name="Tambah pegawai").click()
    _fits_and_labelled(hr)
    hr.get_by_label("NIP").fill(spaced)
    hr.get_by_label("Nama lengkap").fill("Staf a")
    hr.get_by_label("Unit kerja").select_option(label="Bidang Pendaftaran Penduduk")
    hr.get_by_label("Jabatan").fill("Pengadministrasi")
    hr.get_by_role("button", name="Simpan").click()
    field = hr.locator(".field", has=hr.get_by_label("NIP"))
    assert "NIP ini terdaftar di instansi lain." in field.inner_text()
    _fits_and_labelled(hr)

    hr.get_by_role("link", name="Ajukan mutasi untuk NIP ini").click()
    assert "/kepegawaian/mutasi/" in hr.url
    assert hr.get_by_role("heading", name="Mutasi pegawai antarinstansi").is_visible()
    assert hr.get_by_label("NIP").input_value().replace(" ", "") == nip
    _fits_and_labelled(hr)

    # An SK dated in the future is refused beside its field; what was typed stays.
    future = today + dt.timedelta(days=3)
    hr.get_by_label("Unit kerja tujuan").select_option(label="Bidang Pendaftaran Penduduk")
    hr.get_by_label("Jabatan di instansi tujuan").fill("Analis Kependudukan")
    hr.get_by_label("Nomor SK mutasi").fill("800/123/BKPSDM/2026")
    hr.get_by_label("Tanggal SK mutasi").fill(future.isoformat())
    hr.get_by_role("button", name="Ajukan mutasi").click()
    field = hr.locator(".field", has=hr.get_by_label("Tanggal SK mutasi"))
    assert "Tanggal SK mutasi tidak boleh di masa depan." in field.inner_text()
    assert hr.title().startswith("Kesalahan")
    assert hr.get_by_label("NIP").input_value().replace(" ", "") == nip
    assert hr.get_by_label("Jabatan di instansi tujuan").input_value() == "Analis Kependudukan"
    assert hr.get_by_label("Nomor SK mutasi").input_value() == "800/123/BKPSDM/2026"
    assert hr.get_by_label("Tanggal SK mutasi").input_value() == future.isoformat()
    unit = hr.get_by_label("Unit kerja tujuan")
    assert unit.locator("option:checked").inner_text() == "Bidang Pendaftaran Penduduk"
    _fits_and_labelled(hr)

    sk_date = today - dt.timedelta(days=3)
    hr.get_by_label("Tanggal SK mutasi").fill(sk_date.isoformat())
    hr.get_by_role("button", name="Ajukan mutasi").click()
    main = _main(hr)
    assert "Permintaan mutasi dikirim ke instansi asal Pemerintah Kabupaten A." in main
    assert nip in main and "800/123/BKPSDM/2026" in main
    assert "Analis Kependudukan" in main
    # The requester is not offered the decision.
    assert hr.get_by_role("button", name="Setujui mutasi").count() == 0
    _fits_and_labelled(hr)
    return hr, hr.url


def _origin_opens(page, url):
    """A's HR (on another phone) finds the request among A's outgoing transfers."""
    _login(page, HR_A)
    page.wait_for_url("**/kepegawaian/staf/")
    page.get_by_role("link", name="Pegawai", exact=True).click()
    page.get_by_role("link", name="Mutasi", exact=True).click()
    outgoing = page.get_by_role("region", name="Mutasi keluar")
    assert "Pemerintah Kabupaten B" in outgoing.inner_text()
    assert "Diajukan" in outgoing.inner_text()
    _fits_and_labelled(page)
    outgoing.get_by_role("link", name="Staf a").click()
    assert page.url == url
    assert page.get_by_role("heading", name="Keputusan instansi asal").is_visible()
    _fits_and_labelled(page)


def test_transfer_requested_by_new_agency_and_approved_by_origin(phone, org, make_user):
    nip = org["a"]["staff"].nip
    hr_b, url = _request_transfer(phone, org, make_user)
    page = phone()

    _origin_opens(page, url)
    page.get_by_role("button", name="Setujui mutasi").click()
    main = _main(page)
    assert "Mutasi disetujui: pegawai pindah ke Pemerintah Kabupaten B." in main
    assert "Disetujui" in main
    assert page.get_by_role("button", name="Setujui mutasi").count() == 0
    _fits_and_labelled(page)

    # The ASN has left A's list, and A no longer opens their page.
    page.get_by_role("link", name="Semua mutasi").click()
    page.get_by_role("link", name="Pegawai", exact=True).click()
    assert "/kepegawaian/pegawai/" in page.url
    assert page.get_by_role("link", name="Kabid a").count() == 1  # the list itself is there
    assert page.get_by_role("link", name="Staf a").count() == 0
    assert nip not in _main(page)
    _fits_and_labelled(page)
    response = page.goto(page.base_url + f"/kepegawaian/pegawai/{nip}/")
    assert response.status == 404

    # B's HR finds the ASN in B's list and opens their page, with the new position.
    hr_b.reload()
    assert "Disetujui" in _main(hr_b)
    hr_b.get_by_role("link", name="Semua mutasi").click()
    hr_b.get_by_role("link", name="Pegawai", exact=True).click()
    hr_b.get_by_role("link", name="Staf a").click()
    assert hr_b.url.rstrip("/").endswith(f"/kepegawaian/pegawai/{nip}")
    profile = _main(hr_b)
    assert "Staf a" in profile and "Analis Kependudukan" in profile
    _fits_and_labelled(hr_b)


def test_origin_refuses_transfer_with_a_reason(phone, org, make_user):
    nip = org["a"]["staff"].nip
    hr_b, url = _request_transfer(phone, org, make_user)
    page = phone()

    _origin_opens(page, url)
    # A refusal without its reason is refused beside the field.
    page.get_by_role("button", name="Tolak").click()
    field = page.locator(".field", has=page.get_by_label("Alasan penolakan"))
    assert "Alasan penolakan wajib diisi." in field.inner_text()
    assert page.title().startswith("Kesalahan")
    assert "Diajukan" in _main(page)
    _fits_and_labelled(page)

    reason = "SK mutasi belum diterima BKPSDM Kabupaten A."
    page.get_by_label("Alasan penolakan").fill(reason)
    page.get_by_role("button", name="Tolak").click()
    main = _main(page)
    assert "Permintaan mutasi ditolak." in main and "Ditolak" in main and reason in main
    assert page.get_by_role("button", name="Tolak").count() == 0
    _fits_and_labelled(page)

    # The ASN stays at A.
    page.get_by_role("link", name="Semua mutasi").click()
    page.get_by_role("link", name="Pegawai", exact=True).click()
    assert page.get_by_role("link", name="Staf a").count() == 1

    # B's HR reads the refusal and its reason, and still cannot open the ASN's page.
    hr_b.reload()
    main = _main(hr_b)
    assert "Ditolak" in main and reason in main
    _fits_and_labelled(hr_b)
    response = hr_b.goto(hr_b.base_url + f"/kepegawaian/pegawai/{nip}/")
    assert response.status == 404
