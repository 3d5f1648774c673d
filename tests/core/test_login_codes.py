"""Signing in and setting up two-factor with the code as an authenticator app shows it ("123 456",
"123-456"), which the browser no longer cuts and the form no longer refuses; and the throttle's refusal
states the configured window (``LOGIN_FAILURE_WINDOW``) in minutes, in the reader's language."""

import time

import pyotp
import pytest
from django.test import Client

from amanah.core.forms import LoginForm, TotpForm
from tests.i18n import client_in
from tests.inputs import inputs_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user, org):
    return make_user("pengelola", org["a"]["agency"], email="pengelola@kab-a.go.id")


def _login(client, code="", password="sandi-rahasia-123"):
    return client.post(
        "/akun/masuk/", {"email": "pengelola@kab-a.go.id", "password": password, "code": code}
    )


@pytest.mark.parametrize("sep", [" ", "-", " - ", "\u00a0"])
def test_code_typed_as_the_app_shows_it_signs_in(staff, sep):
    from amanah.core.services import enable_totp

    secret = pyotp.random_base32()
    assert enable_totp(staff, secret, pyotp.TOTP(secret).now())
    code = pyotp.TOTP(secret).at(int(time.time()) + 30)
    typed = f"{code[:3]}{sep}{code[3:]}"
    (attrs,) = inputs_named(Client().get("/akun/masuk/").content.decode(), "code")
    assert len(typed) <= int(attrs["maxlength"])  # the browser keeps all of it
    r = _login(Client(), code=typed)
    assert r.status_code == 302, r.content.decode()[-600:]


def test_totp_setup_accepts_the_code_with_a_space(staff):
    c = Client()
    c.force_login(staff)
    c.get("/akun/2fa/")
    code = pyotp.TOTP(c.session["totp_secret"]).now()
    r = c.post("/akun/2fa/", {"code": f"{code[:3]} {code[3:]}"})
    assert r.status_code == 302
    staff.refresh_from_db()
    assert staff.totp_enabled


@pytest.mark.parametrize("typed", ["12345", "1234567", "12a456", "123 45x"])
def test_a_code_that_is_not_six_digits_is_still_refused_at_setup(typed):
    form = TotpForm({"code": typed})
    assert not form.is_valid()
    assert form.errors["code"] == ["Kode harus 6 angka."]


def test_the_forms_read_the_code_without_its_separators():
    assert TotpForm({"code": " 123 456 "}).is_valid()
    form = LoginForm({"email": "a@b.go.id", "password": "x", "code": "123-456"})
    assert form.is_valid() and form.cleaned_data["code"] == "123456"


@pytest.mark.parametrize(
    "window, language, text",
    [
        (3600, "id", "Coba lagi dalam 60 menit."),
        (3600, "en", "Try again in 60 minutes."),
        (60, "en", "Try again in 1 minute."),
        (90, "id", "Coba lagi dalam 2 menit."),
    ],
)
def test_throttle_message_states_the_configured_wait(staff, settings, window, language, text):
    settings.LOGIN_FAILURE_WINDOW = window
    c = client_in(language)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(c, password="salah")
    r = _login(c)
    assert r.status_code == 429
    assert text in r.content.decode()
    assert "15" not in text and "15 menit" not in r.content.decode()
