"""What the accessibility audit found on a phone: scrollable tables reachable by keyboard, large check
boxes in front of their labels, contact fields the phone can fill, error summaries on every form page,
readable chart colours and percentages that do not break."""

import html
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_scrolling_table_can_take_the_keyboard_focus(org):
    page = Client().get("/transparansi/").content.decode()
    wraps = re.findall(r'<div class="table-wrap"[^>]*>', page)
    assert wraps
    for tag in wraps:
        assert 'tabindex="0"' in tag and 'role="region"' in tag and "aria-label=" in tag


def test_the_consent_check_box_sits_in_its_label_and_contact_fields_autofill(org):
    page = Client().get("/pengaduan/").content.decode()
    label = re.search(r'<label class="choice" for="id_publish">(.*?)</label>', page, re.S)
    assert label and 'id="id_publish"' in label.group(1)
    assert re.search(r'<input type="tel"[^>]*autocomplete="tel"[^>]*id="id_phone"', page)
    assert re.search(r'<input type="email"[^>]*autocomplete="email"', page)
    assert re.search(
        r'name="name"[^>]*autocomplete="name"|autocomplete="name"[^>]*name="name"', page
    )
    assert 'accept="image/jpeg,image/png,image/webp,application/pdf,text/plain"' in page


def test_the_whistleblowing_form_announces_its_errors_like_the_intake(org):
    r = Client().post("/integritas/lapor/", {"nonce": "n" * 20})
    page = html.unescape(r.content.decode())
    assert r.status_code == 400
    assert "<title>Kesalahan:" in page
    summary = page.split('id="form-errors"')[1].split("</div>")[0]
    assert "autofocus" in page.split('id="form-errors"')[0][-120:]
    assert '<a href="#id_' in summary


def test_an_error_summary_does_not_double_a_question_mark(org):
    page = html.unescape(Client().post("/pengaduan/", {"title": "x"}).content.decode())
    summary = page.split('id="form-errors"')[1].split("</div>")[0]
    assert "?:" not in summary
    assert "Apa yang terjadi? " in summary


def test_percentages_keep_their_sign_and_chart_colours_stand_out():
    from amanah.transparency import charts
    from amanah.transparency.templatetags.transparency import pct

    assert pct(16.0).endswith("\u00a0%")

    assert round(charts.contrast_on_white("#000000"), 1) == 21.0
    assert round(charts.contrast_on_white("#ffffff"), 1) == 1.0
    assert round(charts.contrast_on_white("#767676"), 1) == 4.5  # the usual grey at the AA edge
    # WCAG 1.4.11: bars need 3:1 against the page; the old second colour had 2.7.
    assert round(charts.contrast_on_white("#7aa893"), 1) == 2.7
    assert charts.contrast_on_white(charts.BAR) > charts.contrast_on_white(charts.BAR2) > 3.9
    svg = charts.bars([("KTP-el", 5)], "Judul")
    assert all(int(size) >= 12 for size in re.findall(r'font-size="(\d+)"', svg))
