import datetime as dt
import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class IsoDateField(forms.DateField):
    """A date field that reads ``YYYY-MM-DD`` (what date inputs and the API send) first, then the active
    language's formats. Django tries the Indonesian formats first and ISO last, failing eight times on
    every ISO date."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, (str, dt.date)):
            # A JSON number or boolean: not a date (Django would fail on it with an AttributeError).
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        return super().to_python(value)


#: The largest id a database column holds (64-bit).
MAX_ID = 2**63 - 1


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that refuses a number no id can be as an invalid choice: Django
    looks the ids up with ``IN (…)``, which SQLite cannot bind for a 20-digit number (a server error)."""

    def _check_values(self, value):
        for v in value or ():
            text = str(v).strip()
            if text.isdecimal() and int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
        return super()._check_values(value)


class _SharedFields(dict):
    """The class's fields, handed to one form instance without Django's per-instance deep copy."""

    def __deepcopy__(self, memo):
        return dict(self)


class ValidatingForm(forms.Form):
    """A form that the API also uses only to validate a request body, so that the page and the API give the
    same field errors. Django deep-copies every field (with its widget, validators and messages) for each form
    instance so that a page may change one form's fields without touching another's; a form built with
    ``validate_only=True`` is never rendered or changed and shares the class's field objects instead, which
    is most of the cost of building it. Forms with model choice fields keep the copy (their querysets cache
    results)."""

    def __init__(self, *args, validate_only: bool = False, **kwargs):
        if validate_only and not _has_querysets(type(self)):
            self.base_fields = _SharedFields(type(self).base_fields)
        super().__init__(*args, **kwargs)


def _has_querysets(form_class) -> bool:
    cached = form_class.__dict__.get("_has_querysets")
    if cached is None:
        cached = any(hasattr(f, "queryset") for f in form_class.base_fields.values())
        form_class._has_querysets = cached
    return cached


#: The longest a 6-digit code may be typed: as an authenticator app shows it, in two groups ("123 456",
#: "123-456", even "123 - 456"). A shorter ``maxlength`` made the browser cut a pasted "123 456" to
#: "123 45", a wrong code counted as a failed sign-in.
ONE_TIME_CODE_MAX = 9

#: The input of an authenticator app's 6-digit code (signing in, setting up 2FA): the phone's number pad,
#: the code the phone offers to fill in, and room for the code as the app shows it. A field copies the
#: widget.
ONE_TIME_CODE_INPUT = forms.TextInput(
    attrs={
        "inputmode": "numeric",
        "autocomplete": "one-time-code",
        "maxlength": str(ONE_TIME_CODE_MAX),
    }
)

_CODE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]")


class OneTimeCodeField(forms.CharField):
    """An authenticator app's code, typed plain or as the app shows it: the spaces and hyphens between
    its groups are dropped before it is checked ("123 456" is "123456")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", ONE_TIME_CODE_MAX)
        kwargs.setdefault("widget", ONE_TIME_CODE_INPUT)
        super().__init__(**kwargs)

    def to_python(self, value):
        return _CODE_SEPARATORS.sub("", super().to_python(value))


#: The input of a NIP (18 digits, which may be typed with spaces): the phone's number pad, and no
#: autofill — a browser has no NIP to offer, only numbers typed earlier, often another employee's.
NIP_INPUT = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        max_length=200,
    )
    code = OneTimeCodeField(label=_("Kode autentikasi (jika 2FA aktif)"), required=False)


class TotpForm(forms.Form):
    code = OneTimeCodeField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        validators=[RegexValidator(r"^\d{6}$", _("Kode harus 6 angka."), code="invalid")],
    )
