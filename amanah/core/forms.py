import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class IsoDateField(forms.DateField):
    """A date field that reads ``YYYY-MM-DD`` (what date inputs and the API send) first, then the active
    language's formats. Django tries the Indonesian formats first and ISO last, failing eight times on
    every ISO date."""

    def to_python(self, value):
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        return super().to_python(value)


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput, max_length=200)
    code = forms.CharField(
        label=_("Kode autentikasi (jika 2FA aktif)"),
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class TotpForm(forms.Form):
    code = forms.RegexField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Kode harus 6 angka.")},
    )
