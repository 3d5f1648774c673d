"""A multiple choice of rows by id refuses a number no id can be (SQLite cannot bind it: a 500 before)."""

import pytest
from django import forms

from amanah.core.forms import IdsChoiceField
from amanah.core.models import Agency

pytestmark = pytest.mark.django_db


def _form(data):
    class PickForm(forms.Form):
        agencies = IdsChoiceField(queryset=Agency.objects.all())

    return PickForm(data)


def test_a_number_longer_than_any_id_is_an_invalid_choice(org):
    form = _form({"agencies": ["99999999999999999999"]})
    assert not form.is_valid()
    assert form.errors.as_data()["agencies"][0].code == "invalid_choice"


def test_real_ids_are_chosen(org):
    a = org["a"]["agency"]
    form = _form({"agencies": [str(a.pk)]})
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["agencies"]) == [a]
