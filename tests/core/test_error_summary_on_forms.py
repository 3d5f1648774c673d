"""The sign-in and second-factor pages sum a refused form up at the top (core/_error_summary.html), as
every form page does: one focused alert whose links lead to the fields, and a title that begins with
"Kesalahan: "; a refusal that belongs to no field (a wrong password) is said there too."""

import pytest
from django.test import Client

from tests.error_summary import checked_summary

pytestmark = pytest.mark.django_db


def test_a_refused_sign_in_links_to_its_fields():
    assert 'id="form-errors"' not in Client().get("/akun/masuk/").content.decode()
    r = Client().post("/akun/masuk/", {"email": "", "password": ""})
    assert r.status_code == 400
    assert checked_summary(r.content.decode()) == ["id_email", "id_password"]


def test_a_wrong_password_is_said_in_the_summary(make_user):
    make_user(email="staf@contoh.go.id")
    r = Client().post("/akun/masuk/", {"email": "staf@contoh.go.id", "password": "salah-sekali"})
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == []  # no field to lead to
    summary = page.split('id="form-errors"')[1].split("</div>")[0]
    assert "Email atau kata sandi salah." in summary


def test_a_refused_second_factor_code_is_summed_up(make_user):
    client = Client()
    client.force_login(make_user(email="staf@contoh.go.id"))
    for code in ("12ab", ""):  # not six digits, or none at all
        r = client.post("/akun/2fa/", {"code": code})
        assert r.status_code == 400
        assert checked_summary(r.content.decode()) == ["id_code"]
