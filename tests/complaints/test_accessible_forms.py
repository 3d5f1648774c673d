"""Every form field points screen readers at its help and its errors (``aria-describedby``), and those
elements exist; a group of radio buttons is a fieldset whose legend asks the question."""

import re

import pytest
from django.test import Client

from amanah.complaints import services

from .test_pages import form_data

pytestmark = pytest.mark.django_db


def dangling_references(html: str) -> list[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    refs = [
        ref for group in re.findall(r'aria-describedby="([^"]*)"', html) for ref in group.split()
    ]
    assert refs, "the page has no described fields at all"
    return [ref for ref in refs if ref not in ids]


def test_intake_page_with_errors_links_every_help_and_error(org):
    r = Client().post("/pengaduan/", form_data(title="", email="bukan-email", identity_mode="x"))
    assert r.status_code == 400
    html = r.content.decode()
    assert dangling_references(html) == []
    assert 'id="id_title_error"' in html and 'id="id_email_error"' in html
    # the identity choice is a fieldset described by its help and its error
    fieldset = re.search(r"<fieldset[^>]*>\s*<legend>Identitas", html)
    assert fieldset and "id_identity_mode_helptext id_identity_mode_error" in fieldset.group(0)
    assert 'id="id_identity_mode_helptext"' in html


def test_the_rating_on_the_tracking_page_is_a_fieldset_with_its_question(org, submit, walk):
    c = walk(submit(), "dijawab")
    services.confirm(c)  # closed without a rating: the rating form is offered
    page = Client().post(f"/pengaduan/lacak/{c.tracking_code}/", {"action": "rate"})
    assert page.status_code == 400
    html = page.content.decode()
    assert dangling_references(html) == []
    assert re.search(r'<fieldset[^>]*aria-describedby="[^"]*rating_error"[^>]*>\s*<legend>', html)
    assert '<label for="">' not in html


def test_the_whistleblowing_form_links_its_help(org):
    html = Client().get("/integritas/lapor/").content.decode()
    assert dangling_references(html) == []


def test_a_refused_action_on_the_tracking_page_leads_to_its_form(org, submit, walk):
    """Without JavaScript a page sent back with an error opens at its top, where the error summary takes
    the focus and links to the field. The forms post to the page itself: a fragment in their action
    would make the browser skip ``autofocus`` (it scrolls to the fragment instead, announcing nothing)."""
    c = walk(submit(), "dijawab")
    html = Client().get(f"/pengaduan/lacak/{c.tracking_code}/").content.decode()
    for section in ("konfirmasi", "sanggahan"):
        assert f'id="{section}"' in html
    assert 'action="#' not in html
    assert 'id="balas"' not in html  # an answered case is confirmed or disputed, not replied to
    other = walk(submit(), "diteruskan")
    html = Client().get(f"/pengaduan/lacak/{other.tracking_code}/").content.decode()
    assert 'id="balas"' in html and 'action="#' not in html
    r = Client().post(f"/pengaduan/lacak/{c.tracking_code}/", {"action": "dispute", "reason": ""})
    assert r.status_code == 400
    html = r.content.decode()
    assert "<title>Kesalahan:" in html and 'id="id_reason_error"' in html
    assert 'href="#id_reason"' in html.split('id="form-errors"')[1].split("</div>")[0]


def test_the_intake_error_summary_comes_first_and_takes_the_focus(org):
    r = Client().post("/pengaduan/", form_data(title="", identity_mode="x"))
    html = r.content.decode()
    summary = html.index('id="form-errors"')
    assert summary < html.index('id="cari-layanan"')  # before the service search above the form
    assert "autofocus" in html[summary - 80 : summary]
    assert "<title>Kesalahan:" in html
    assert 'href="#id_identity_mode"' in html and 'id="id_identity_mode"' in html


def test_an_unknown_tracking_code_is_an_error_of_the_code_field(org):
    r = Client().get("/pengaduan/lacak/ABCD-EFGH-JKMN-PQRS/")
    assert r.status_code == 404
    html = r.content.decode()
    assert 'aria-describedby="id_code_helptext id_code_error"' in html
    assert 'id="id_code_error"' in html and "tidak ditemukan" in html
    assert 'value="ABCD-EFGH-JKMN-PQRS"' in html and dangling_references(html) == []
