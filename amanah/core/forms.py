from django import forms
from django.utils.translation import gettext_lazy as _


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
