"""``IsoDateField`` reads ISO dates first and still accepts the active language's formats."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from amanah.core.forms import IsoDateField


def test_iso_and_indonesian_dates_are_read():
    field = IsoDateField()
    assert field.clean("2026-11-29") == dt.date(2026, 11, 29)
    assert field.clean(" 2026-01-05 ") == dt.date(2026, 1, 5)
    with translation.override("id"):
        assert field.clean("29/11/2026") == dt.date(2026, 11, 29)
        assert field.clean("29-11-2026") == dt.date(2026, 11, 29)


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "kemarin"])
def test_an_impossible_date_is_refused_with_the_fields_own_message(value):
    field = IsoDateField(error_messages={"invalid": "Tanggal harus berformat TTTT-BB-HH."})
    with pytest.raises(forms.ValidationError) as exc:
        field.clean(value)
    assert exc.value.code == "invalid"
    assert exc.value.messages == ["Tanggal harus berformat TTTT-BB-HH."]
