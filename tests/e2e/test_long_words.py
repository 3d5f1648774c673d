"""Long unbroken text, such as a link pasted from Facebook or WhatsApp into a complaint's title and
description, wraps on the narrowest phone (320 px): the tracking page and the staff case page (its
heading, the case's details in their cards, the list of similar cases) never scroll sideways."""

import pytest

from .staff import sign_in

pytestmark = pytest.mark.e2e

URL = (
    "https://www.facebook.com/groups/wargasleman/permalink/1234567890123456789/"
    "?comment_id=9876543210987654321&ref=share_abcd"
)
WIDE = """() => { const d = document.documentElement;
  return {scrollWidth: d.scrollWidth, clientWidth: d.clientWidth,
    outside: [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
      .map(e => e.tagName + '.' + e.className).slice(0, 5)}; }"""


def assert_no_sideways_scroll(p):
    r = p.evaluate(WIDE)
    assert r["scrollWidth"] <= r["clientWidth"] == 320 and r["outside"] == [], r


def test_a_pasted_long_link_wraps_on_the_tracking_and_staff_case_pages_at_320px(
    browser, live_server, org, users
):
    from amanah.complaints import services
    from tests.complaints.conftest import BASE

    assert len(URL) == 120
    data = dict(
        BASE,
        service=org["a"]["service"],
        agency=None,
        title="Antrean KTP-el viral " + URL,
        description="Lihat unggahan warga di " + URL + " tentang antrean yang tidak jelas.",
    )
    services.submit(None, data, [], channel="web")  # the same again: listed as a similar case
    c = services.submit(None, data, [], channel="web")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 640}, locale="id-ID"
    )
    p = context.new_page()
    p.goto(f"{live_server.url}/pengaduan/lacak/{c.tracking_code}/")
    assert URL in p.locator("main dl").inner_text().replace("\n", "")
    assert_no_sideways_scroll(p)

    sign_in(p, live_server.url, users[("operator", "a")].email)
    p.goto(f"{live_server.url}/pengaduan/staf/AMN-{c.pk}/")
    assert URL in p.locator("h1").inner_text().replace("\n", "")
    assert p.get_by_role("heading", name="Mungkin duplikat (30 hari terakhir)").count() == 1
    assert_no_sideways_scroll(p)
    context.close()
