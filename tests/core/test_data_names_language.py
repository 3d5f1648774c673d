"""``core_lang``: names from data are marked Indonesian on a page in another language and left to
``<html lang="id">`` on an Indonesian page (WCAG 2.1 SC 3.1.2), escaped either way."""

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from amanah.core.models import Service
from tests.i18n import client_in
from tests.lang_marks import assert_marked_indonesian, assert_not_remarked

AGENCY = "Pemerintah Kabupaten A"
UNIT = "Bidang Pendaftaran Penduduk"
SERVICE = "Penerbitan KTP-el"


def _render(language, source, **context):
    with translation.override(language):
        return Template("{% load core_lang %}" + source).render(Context(context))


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", '<span lang="id">Dinas &lt;b&gt; &amp; &quot;Capil&quot;</span>'),
        ("id", "Dinas &lt;b&gt; &amp; &quot;Capil&quot;"),
    ],
)
def test_id_text_escapes_and_marks_only_on_a_page_in_another_language(language, expected):
    assert _render(language, "{{ name|id_text }}", name='Dinas <b> & "Capil"') == expected


def test_id_text_keeps_safe_text_as_it_is_and_adds_nothing_for_an_empty_value():
    assert (
        _render("en", "{{ t|linebreaksbr|id_text }}", t="a\nb") == '<span lang="id">a<br>b</span>'
    )
    assert _render("en", "[{{ t|id_text }}]", t="") == "[]"
    assert _render("en", "[{{ t|id_text }}]", t=None) == "[]"


def test_id_lang_gives_the_attribute_only_on_a_page_in_another_language():
    assert _render("en", "<td{% id_lang %}>x</td>") == '<td lang="id">x</td>'
    assert _render("id", "<td{% id_lang %}>x</td>") == "<td>x</td>"


class _Form(forms.Form):
    agency = forms.ChoiceField(choices=[("", "— choose —"), ("a", "Kabupaten <A>")])
    other = forms.ChoiceField(choices=[("x", "Ex")])


def test_id_options_marks_the_named_options_of_a_copy_of_the_widget():
    form = _Form()
    html = _render("en", "{{ form.agency|id_options }}", form=form)
    assert '<option value="" selected>— choose —</option>' in html
    assert '<option value="a" lang="id">Kabupaten &lt;A&gt;</option>' in html
    assert "required" in html
    # the form's own widget is left as it was: the next rendering is not marked
    assert 'lang="id"' not in str(form["agency"])
    assert 'lang="id"' not in _render("id", "{{ form.agency|id_options }}", form=form)
    # with names, only the fields named are marked
    assert 'lang="id"' in _render("en", '{{ form.agency|id_options:"agency unit" }}', form=form)
    assert 'lang="id"' not in _render("en", '{{ form.other|id_options:"agency unit" }}', form=form)
    # a select that leaves out ``required`` (no empty first choice) still says it is required
    assert 'aria-required="true"' in _render("en", "{{ form.other|id_options }}", form=form)


@pytest.mark.django_db
def test_the_service_catalogue_marks_each_service_unit_and_agency(org):
    Service.objects.exclude(pk=org["a"]["service"].pk).delete()
    assert_marked_indonesian(
        client_in("en").get("/layanan/").content.decode(), SERVICE, UNIT, AGENCY
    )
    assert_not_remarked(client_in("id").get("/layanan/").content.decode(), SERVICE, UNIT, AGENCY)


@pytest.mark.django_db
def test_the_staff_home_marks_the_unit_of_each_role(users):
    for language, check in (("en", assert_marked_indonesian), ("id", assert_not_remarked)):
        client = client_in(language)
        client.force_login(users[("unit", "a")])
        check(client.get("/staf/").content.decode(), UNIT)
