"""The empty choice of a select without a label of its own is said in the page's language (Django's
"- Select an option -" has no Indonesian translation)."""

import pytest
from django import forms
from django.utils import translation

from amanah.core.models import Agency

pytestmark = pytest.mark.django_db


def test_the_empty_choice_is_in_the_readers_language(org):
    class Choice(forms.Form):
        agency = forms.ModelChoiceField(queryset=Agency.objects.all())

    with translation.override("id"):
        assert str(Choice()["agency"]).count("— Pilih —") == 1
    with translation.override("en"):
        html = str(Choice()["agency"])
        assert "— Choose —" in html and "Pilih" not in html


def test_a_staff_page_shows_no_english_empty_choice(users, client):
    client.force_login(users[("kepegawaian", "a")])
    html = client.get("/kepegawaian/kompetensi/").content.decode()
    assert "Select an option" not in html and "— Pilih —" in html
