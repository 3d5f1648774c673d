"""What the accessibility audit found on a phone: scrollable tables reachable by keyboard, large check
boxes in front of their labels, contact fields the phone can fill, error summaries on every form page,
readable chart colours and percentages that do not break."""

import html
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_table_box_takes_the_keyboard_focus_and_is_named_by_its_table(org, users):
    """A table's box may still overflow on a medium screen, so it takes the keyboard focus; the tables
    stack on a phone, so its name is the table's heading or caption, not a hint to swipe sideways."""
    from tests.tables import assert_named_box, tables

    page = Client().get("/transparansi/").content.decode()
    assert "geser ke samping" not in page
    found = tables(page)
    assert len(found) >= 6
    for table in found:
        assert_named_box(table)
    names = [t["region"] for t in found]
    assert "Pengaduan per bulan" in names and "Penilaian jawaban oleh pengadu" in names
    assert "Kinerja per instansi" in names  # the caption of the ranking

    handler = Client()
    handler.force_login(users[("operator", "a")])
    page = handler.get("/pengaduan/staf/").content.decode()
    (inbox,) = tables(page)
    assert_named_box(inbox)
    assert inbox["region"] == "Kotak masuk pengaduan"


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
