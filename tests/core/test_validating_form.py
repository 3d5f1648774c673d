"""``ValidatingForm(validate_only=True)``: the API's forms share their class's field objects instead of
deep-copying them, and validate exactly as the page's forms do."""

import pytest
from django import forms

from amanah.complaints.forms import AssistedIntakeForm, IntakeForm
from amanah.core.forms import ValidatingForm

BAD = {
    "kind": "keluhan",
    "title": "",
    "description": "<script>alert(1)</script>",
    "incident_date": "31-02-2026",
    "email": "bukan-email",
    "phone": "telepon saya",
    "identity_mode": "biasa",
    "service": "tidak-ada",
}


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [IntakeForm, AssistedIntakeForm])
def test_validate_only_forms_share_fields_and_give_the_page_forms_errors(form_class):
    page = form_class(BAD, {})
    api = form_class(BAD, {}, validate_only=True)
    assert all(api.fields[n] is form_class.base_fields[n] for n in form_class.base_fields)
    assert not any(page.fields[n] is form_class.base_fields[n] for n in form_class.base_fields)
    assert list(api.fields) == list(page.fields)  # same order (field_order applied)
    assert not page.is_valid() and not api.is_valid()
    assert api.errors == page.errors
    assert {"kind", "title", "description", "incident_date", "email", "phone", "service"} <= set(
        api.errors
    )


@pytest.mark.django_db
def test_changing_a_page_forms_field_does_not_reach_a_validating_form():
    page = IntakeForm()
    page.fields["service"].widget = forms.Select(choices=[("x", "x")])
    page.fields["title"].max_length = 3
    api = IntakeForm({"title": "Judul yang panjang", "description": "Isi"}, validate_only=True)
    assert not isinstance(api.fields["service"].widget, forms.Select)
    api.is_valid()
    assert "title" not in api.errors


class _WithQueryset(ValidatingForm):
    from amanah.core.models import Agency

    agency = forms.ModelChoiceField(queryset=Agency.objects.all())


def test_forms_with_querysets_keep_their_own_copies():
    form = _WithQueryset({}, validate_only=True)
    assert form.fields["agency"] is not _WithQueryset.base_fields["agency"]
