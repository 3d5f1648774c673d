"""WCAG 2.1 1.4.12 (text spacing): with the spacing a reader's own style sheet may set, on the narrowest
phone (320 px), nothing is cut off or pushed off screen: the language switcher wraps its button onto
the next line instead of pushing it past the right edge."""

import pytest

pytestmark = pytest.mark.e2e

# The values 1.4.12 names: line height 1.5 times the font size, letter spacing 0.12 times, word spacing
# 0.16 times, spacing after paragraphs 2 times.
SPACING = (
    "*{line-height:1.5!important;letter-spacing:.12em!important;word-spacing:.16em!important}"
    "p{margin-bottom:2em!important}"
)
MEASURE = """() => { const f = document.querySelector('form.lang'), r = el => el.getBoundingClientRect();
  const parts = [f.querySelector('label'), f.querySelector('select'), f.querySelector('button')];
  return {scrollWidth: document.documentElement.scrollWidth, width: innerWidth,
    parts: parts.map(e => ({left: Math.floor(r(e).left), right: Math.ceil(r(e).right)}))}; }"""


def test_the_language_switcher_stays_on_screen_with_wcag_text_spacing_at_320px(
    browser, live_server, org
):
    # The spacing goes in as a reader's style sheet would; the page's strict CSP would refuse it.
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, bypass_csp=True, locale="id-ID"
    )
    p = context.new_page()
    p.goto(live_server.url + "/pengaduan/")
    p.add_style_tag(content=SPACING)
    assert p.evaluate("getComputedStyle(document.body).letterSpacing") != "normal"
    m = p.evaluate(MEASURE)
    assert m["scrollWidth"] <= m["width"] == 320, m
    for part in m["parts"]:  # the label, the list and the button "Ganti", each wholly on screen
        assert 0 <= part["left"] and part["right"] <= 320, m
    assert p.get_by_role("button", name="Ganti").is_visible()
    context.close()
