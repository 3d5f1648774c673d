"""On the narrowest phone (320 px) without JavaScript, a refused form on the tracking page or on the staff
case page comes back with the focus on the error summary at the top, in view, whose link leads to the
field: a screen reader announces it and nobody has to look for the error screens further down."""

import pytest

from .staff import sign_in

pytestmark = pytest.mark.e2e

FOCUSED = """() => { const a = document.activeElement, r = a.getBoundingClientRect();
  return {id: a.id, role: a.getAttribute('role'), top: r.top, bottom: r.bottom, height: innerHeight}; }"""


def narrow_page(browser, live_server):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 640}, locale="id-ID"
    )
    p = context.new_page()
    p.base_url = live_server.url
    return context, p


def assert_focus_on_summary(p):
    focused = p.evaluate(FOCUSED)
    assert focused["id"] == "form-errors" and focused["role"] == "alert", focused
    assert 0 <= focused["top"] < focused["height"], focused  # scrolled into view


def test_a_refused_dispute_and_a_refused_note_focus_their_summary_at_320px_without_javascript(
    browser, live_server, org, users
):
    from amanah.complaints import services
    from tests.complaints.conftest import BASE, advance

    data = dict(BASE, service=org["a"]["service"], agency=None)
    c = advance(services.submit(None, data, [], channel="web"), "dijawab", users, org)
    context, p = narrow_page(browser, live_server)
    p.goto(f"{p.base_url}/pengaduan/lacak/{c.tracking_code}/")
    p.fill("#id_reason", "Belum <b>selesai</b>")
    with p.expect_navigation():
        p.click("#sanggahan button[type=submit]")
    assert_focus_on_summary(p)
    link = p.locator("#form-errors a")
    assert link.count() == 1 and link.get_attribute("href") == "#id_reason"
    link.click()
    assert p.evaluate("document.activeElement.id") == "id_reason"
    context.close()

    context, p = narrow_page(browser, live_server)
    sign_in(p, p.base_url, users[("operator", "a")].email)
    p.goto(f"{p.base_url}/pengaduan/staf/AMN-{c.pk}/")
    note = p.locator("details.card:has(input[name=action][value=note])")
    note.locator("summary").click()
    note.locator("textarea").fill("catatan <b>tebal</b>")
    with p.expect_navigation():
        note.locator("button[type=submit]").click()
    assert_focus_on_summary(p)
    assert p.locator("#form-errors a").get_attribute("href") == "#note_text"
    context.close()


@pytest.mark.parametrize(
    "path, target",
    [
        ("/transparansi/?start=2026-12-01&end=2026-01-01", "#p-start"),
        ("/transparansi/?start=bukan", "#p-start"),
        ("/integritas/statistik/?quarter=2030-Q9", "#quarter"),
    ],
)
def test_a_refused_period_focuses_its_summary_at_320px_without_javascript(
    browser, live_server, org, path, target
):
    context, p = narrow_page(browser, live_server)
    p.goto(p.base_url + path)
    assert p.title().startswith("Kesalahan: ")
    assert_focus_on_summary(p)
    link = p.locator("#form-errors a")
    assert link.count() == 1 and link.get_attribute("href") == target
    link.click()
    assert p.evaluate("document.activeElement.id") == target[1:]
    context.close()


def test_a_note_sent_after_the_session_ended_is_shown_to_copy(browser, live_server, org, users):
    from amanah.complaints import services
    from tests.complaints.conftest import BASE

    c = services.submit(
        None, dict(BASE, service=org["a"]["service"], agency=None), [], channel="web"
    )
    context, p = narrow_page(browser, live_server)
    sign_in(p, p.base_url, users[("operator", "a")].email)
    p.goto(f"{p.base_url}/pengaduan/staf/AMN-{c.pk}/")
    note = p.locator("details.card:has(input[name=action][value=note])")
    note.locator("summary").click()
    note.locator("textarea").fill("Catatan panjang yang ditulis selama sesi berakhir.")
    context.clear_cookies(name="sessionid")  # the session ended while the note was written
    with p.expect_navigation():
        note.locator("button[type=submit]").click()
    assert p.title().startswith("Sesi berakhir")
    focused = p.evaluate(FOCUSED)
    assert focused["id"] == "session-ended" and focused["role"] == "alert", focused
    kept = p.locator("textarea[readonly]")
    assert "Catatan panjang yang ditulis selama sesi berakhir." in [
        kept.nth(i).input_value() for i in range(kept.count())
    ]
    p.fill("#id_email", users[("operator", "a")].email)
    p.fill("#id_password", "sandi-rahasia-123")
    with p.expect_navigation():
        p.locator("main form button[type=submit]").click()
    assert p.url.endswith(f"/pengaduan/staf/AMN-{c.pk}/")  # back at the form, nothing sent
    context.close()
