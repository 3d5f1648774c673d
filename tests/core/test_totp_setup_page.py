"""The two-factor set-up page on a phone and with a screen reader: the 6-digit code opens the number pad
and takes the code the phone offers, as on the sign-in page; the QR code is an image named for what it is,
which says the key is written out below it. The code may be typed as the app shows it ("123 456")."""

import re

import pytest
from django.test import Client

from tests.i18n import client_in
from tests.inputs import inputs_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user, org):
    return make_user("pengelola", org["a"]["agency"], email="pengelola@kab-a.go.id")


def _page(staff, client=None):
    client = client or Client()
    client.force_login(staff)
    r = client.get("/akun/2fa/")
    assert r.status_code == 200
    return r.content.decode()


def test_the_code_field_is_a_one_time_code_field_like_the_sign_in_forms(staff):
    (setup,) = inputs_named(_page(staff), "code")
    (login,) = inputs_named(Client().get("/akun/masuk/").content.decode(), "code")
    for attrs in (setup, login):
        assert attrs["inputmode"] == "numeric"
        assert attrs["autocomplete"] == "one-time-code"
        assert attrs["maxlength"] == "9"  # room for "123 456" as the app shows it


def test_a_wrong_code_keeps_the_one_time_code_field(staff):
    client = Client()
    client.force_login(staff)
    r = client.post("/akun/2fa/", {"code": "12345x"})
    assert r.status_code == 400
    (attrs,) = inputs_named(r.content.decode(), "code")
    assert attrs["inputmode"] == "numeric" and attrs["autocomplete"] == "one-time-code"


@pytest.mark.parametrize(
    "language,name",
    [
        ("id", "Kode QR untuk aplikasi autentikator. Kuncinya tertulis di bawah kode ini."),
        ("en", "QR code for the authenticator app. Its key is written out below the code."),
    ],
)
def test_the_qr_code_is_an_image_named_in_the_readers_language(staff, language, name):
    page = _page(staff, client_in(language))
    svg = re.search(r"<svg\b[^>]*>", page.split('class="qr"')[1]).group(0)
    assert 'role="img"' in svg
    assert f'aria-label="{name}"' in svg
