"""A person on a phone opens the home page, switches to English and back; a staff member signs in."""

import pytest

pytestmark = pytest.mark.e2e


def test_home_on_a_phone_language_switch_and_staff_login(page, make_user, org):
    make_user("pengelola", org["a"]["agency"], email="petugas@kab-a.go.id")
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Layanan publik")
    # Nothing overflows the 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.select_option("#lang-select", "en")
    page.get_by_role("button", name="Ganti").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Public services that are honest" in page.get_by_role("heading", level=1).inner_text()
    page.select_option("#lang-select", "id")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"

    page.get_by_role("link", name="Masuk staf").click()
    page.get_by_label("Email").fill("petugas@kab-a.go.id")
    page.get_by_label("Kata sandi").fill("salah-sandi")
    page.get_by_role("button", name="Masuk", exact=True).click()
    assert "Email atau kata sandi salah." in page.get_by_role("alert").inner_text()
    page.get_by_label("Kata sandi").fill("sandi-rahasia-123")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/staf/")
    body = page.locator("main").inner_text()
    assert "Pengelola pengaduan" in body
    assert org["a"]["agency"].name in body


def test_pages_work_without_javascript(browser, live_server, org):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="id-ID"
    )
    p = context.new_page()
    p.goto(live_server.url + "/layanan/?q=KTP")
    assert "Penerbitan KTP-el" in p.locator("main").inner_text()
    p.select_option("#lang-select", "en")
    p.get_by_role("button", name="Ganti").click()
    assert p.locator("html").get_attribute("lang") == "en"
    context.close()


def test_the_narrowest_phone_reads_the_language_menu_and_taps_the_report_button(page, org):
    """At 320 px the language menu shows its whole option and the main call to action of the
    whistleblowing page is a 44 px button, not a line of link text; the icon needs no request."""
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(page.base_url + "/")
    select = page.locator("#lang-select")
    # The chosen option's text, set in the menu's font, fits inside the menu (less its arrow).
    room = select.evaluate(
        """el => {
            const probe = document.createElement("span");
            probe.textContent = el.options[el.selectedIndex].text;
            probe.style.font = getComputedStyle(el).font;
            probe.style.whiteSpace = "nowrap";
            document.body.appendChild(probe);
            const text = probe.getBoundingClientRect().width;
            probe.remove();
            return el.getBoundingClientRect().width - 20 - text;
        }"""
    )
    assert room >= 0, f"the language menu cuts its option by {-room:.0f}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.goto(page.base_url + "/integritas/")
    button = page.locator("a.button").first
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert failed == []
    # Headless Chromium asks for no favicon, so the page itself must name one (a data: URI: no request).
    assert page.locator('head link[rel="icon"]').get_attribute("href") == "data:,"


def test_this_sessions_pages_on_a_320px_screen_without_javascript(
    browser, live_server, org, make_user, settings
):
    """The inbox's sort and export links, the tracking page's receipt link and the whistleblowing form's
    "show units" button: all work at 320 px with JavaScript off, in Indonesian."""
    from amanah.complaints import services
    from tests.complaints.conftest import BASE

    c = services.submit(
        None, dict(BASE, service=org["a"]["service"], agency=None), [], channel="web"
    )
    make_user("pengelola", org["a"]["agency"], email="pengelola@kab-a.go.id")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 640}, locale="id-ID"
    )
    p = context.new_page()
    narrow = "document.documentElement.scrollWidth <= 320"

    p.goto(live_server.url + f"/pengaduan/lacak/{c.tracking_code}/")
    assert p.evaluate(narrow)
    with p.expect_download() as pdf:
        p.get_by_role("link", name="Unduh tanda terima (PDF)").click(modifiers=["Alt"])
    name = (
        pdf.value.suggested_filename
    )  # the date of receipt, never the code (a shared computer's downloads)
    assert (
        name.startswith("tanda-terima-20") and name.endswith(".pdf") and c.tracking_code not in name
    )

    p.goto(live_server.url + "/akun/masuk/")
    p.get_by_label("Email").fill("pengelola@kab-a.go.id")
    p.get_by_label("Kata sandi").fill("sandi-rahasia-123")
    p.get_by_role("button", name="Masuk", exact=True).click()
    p.goto(live_server.url + "/pengaduan/staf/")
    p.select_option("#f-urut", "tenggat")
    p.get_by_role("button", name="Saring").click()
    assert "urut=tenggat" in p.url and p.evaluate(narrow)
    assert f"AMN-{c.pk}" in p.locator("main").inner_text()
    with p.expect_download() as csv_file:
        p.get_by_role("link", name="CSV").click()
    assert csv_file.value.suggested_filename.endswith(".csv")

    settings.INTEGRITY_UNIT_LIST_LIMIT = 1  # as on a national installation
    p.goto(live_server.url + "/integritas/lapor/")
    p.get_by_label("Instansi").select_option(org["a"]["agency"].code)
    p.get_by_label("Apa yang terjadi?").fill("Pungutan liar di loket pelayanan KTP setiap pagi.")
    p.get_by_role("button", name="Tampilkan unit kerja").click()
    assert p.evaluate(narrow)
    assert "Pungutan liar di loket" in p.get_by_label("Apa yang terjadi?").input_value()
    units = (
        p.get_by_label("Unit kerja").locator("option").evaluate_all("os => os.map(o => o.value)")
    )
    assert org["a"]["bidang"].code in units and org["b"]["bidang"].code not in units
    context.close()
