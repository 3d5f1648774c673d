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
