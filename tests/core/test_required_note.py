"""The "*" beside the label of a required field is explained: a short note before the fields of every form
that shows one ("Isian bertanda * wajib diisi."), once per such form, and none on a form without."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import Client

from tests.i18n import client_in

pytestmark = pytest.mark.django_db

NOTE = "Isian bertanda * wajib diisi."
STAR = '<span aria-hidden="true">*</span>'


def forms_of(html: str) -> list[str]:
    """The page's forms but the language menu (in the header, on every page)."""
    return [f for f in re.findall(r"<form\b.*?</form>", html, re.S) if 'class="lang"' not in f]


def assert_explained(form_html: str, note: str = NOTE) -> None:
    """The form shows a star, and the note once, before its first field."""
    assert STAR in form_html and form_html.count(note) == 1
    assert form_html.index(note) < form_html.index(STAR)


class Optional(forms.Form):
    comment = forms.CharField(required=False)
    token = forms.CharField(widget=forms.HiddenInput)  # required, but not shown: no star


class Mixed(Optional):
    name = forms.CharField()


def test_the_shared_fields_template_notes_a_required_field_only_when_the_form_shows_one():
    assert NOTE not in render_to_string("core/_fields.html", {"form": Optional()})
    assert NOTE not in render_to_string("core/_fields.html", {})  # no form: nothing, no error
    assert_explained(render_to_string("core/_fields.html", {"form": Mixed()}))


def test_the_sign_in_form_explains_its_stars_in_both_languages(org):
    (form,) = forms_of(Client().get("/akun/masuk/").content.decode())
    assert_explained(form)
    (form,) = forms_of(client_in("en").get("/akun/masuk/").content.decode())
    assert_explained(form, "Fields marked * are required.")


def test_the_intake_forms_explain_their_stars(org, users):
    page = Client().get("/pengaduan/").content.decode()
    (intake,) = [f for f in forms_of(page) if 'name="title"' in f]
    assert_explained(intake)
    officer = Client()
    officer.force_login(users[("operator", "a")])
    page = officer.get("/pengaduan/staf/baru/").content.decode()
    (intake,) = [f for f in forms_of(page) if 'name="title"' in f]
    assert_explained(intake)


def test_on_a_page_of_several_forms_only_a_form_with_a_required_field_has_the_note(org, users):
    from amanah.complaints import services
    from tests.complaints.conftest import BASE, advance

    data = dict(BASE, service=org["a"]["service"], agency=None)
    c = advance(services.submit(None, data, [], channel="web"), "dijawab", users, org)
    page = Client().get(f"/pengaduan/lacak/{c.tracking_code}/").content.decode()
    assert page.count(NOTE) == 1
    confirm, dispute = (f for f in forms_of(page) if 'name="action"' in f)
    assert 'value="confirm"' in confirm and NOTE not in confirm and STAR not in confirm
    assert 'value="dispute"' in dispute
    assert_explained(dispute)
