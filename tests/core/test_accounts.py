"""Staff login, throttling of failed logins, TOTP two-factor and API tokens."""

import pyotp
import pytest
from django.test import Client

from amanah.core import tokens


@pytest.fixture
def staff(make_user, org):
    return make_user("pengelola", org["a"]["agency"], email="pengelola@kab-a.go.id")


def _login(client, email, password, code=""):
    return client.post("/akun/masuk/", {"email": email, "password": password, "code": code})


@pytest.mark.django_db
def test_login_and_staff_home_scoped_to_agency(staff, org):
    c = Client()
    r = _login(c, "pengelola@kab-a.go.id", "sandi-rahasia-123")
    assert r.status_code == 302
    home = c.get("/staf/")
    assert home.status_code == 200
    assert org["a"]["agency"].name in home.content.decode()
    assert org["b"]["agency"].name not in home.content.decode()


@pytest.mark.django_db
def test_wrong_password_gets_a_form_error_in_indonesian(staff):
    r = _login(Client(), "pengelola@kab-a.go.id", "salah")
    assert r.status_code in (200, 400)
    assert "Email atau kata sandi salah." in r.content.decode()


@pytest.mark.django_db
def test_repeated_failures_are_slowed_down_even_with_the_right_password(staff, settings):
    c = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(c, "pengelola@kab-a.go.id", "salah")
    r = _login(c, "pengelola@kab-a.go.id", "sandi-rahasia-123")
    assert r.status_code == 429
    assert "Terlalu banyak percobaan" in r.content.decode()
    assert "_auth_user_id" not in c.session


@pytest.mark.django_db
def test_totp_is_required_once_enabled(staff):
    from amanah.core.services import enable_totp

    secret = pyotp.random_base32()
    assert enable_totp(staff, secret, pyotp.TOTP(secret).now())
    c = Client()
    r = _login(c, "pengelola@kab-a.go.id", "sandi-rahasia-123")
    assert "_auth_user_id" not in c.session
    assert "kode autentikasi" in r.content.decode().lower()
    r = _login(c, "pengelola@kab-a.go.id", "sandi-rahasia-123", "000000")
    assert "_auth_user_id" not in c.session
    # A fresh code from the next time step works (the enabling code cannot be replayed).
    import time

    code = pyotp.TOTP(secret).at(int(time.time()) + 30)
    r = _login(c, "pengelola@kab-a.go.id", "sandi-rahasia-123", code)
    assert r.status_code == 302 and "_auth_user_id" in c.session


@pytest.mark.django_db
def test_production_can_require_two_factor(staff, settings):
    settings.REQUIRE_2FA = True
    c = Client()
    c.force_login(staff)
    r = c.get("/staf/")
    assert r.status_code == 302 and "/akun/2fa/" in r["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer amanah_", "Bearer xyz", "Token abc", "Bearer " + "a" * 500]
)
def test_malformed_tokens_are_refused_with_structured_json(api, header, staff):
    r = api.get("/api/v1/staff/me", headers={"Authorization": header})
    assert r.status_code == 401
    assert r.json()["error"] == "unauthorized"


@pytest.mark.django_db
def test_revoked_and_expired_tokens_stop_working(staff, api_as):
    from amanah.core.models import ApiToken

    client = api_as(staff)
    assert client.get("/api/v1/staff/me").json()["email"] == "pengelola@kab-a.go.id"
    ApiToken.objects.update(revoked=True)
    assert client.get("/api/v1/staff/me").status_code == 401
    raw = tokens.issue(staff, days=1)
    from django.utils import timezone

    ApiToken.objects.filter(revoked=False).update(expires_at=timezone.now())
    assert tokens.authenticate(raw) is None


@pytest.mark.django_db
def test_token_create_command_prints_a_working_token(staff, api):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("amanah_token", "pengelola@kab-a.go.id", stdout=out)
    raw = out.getvalue().strip().split()[-1]
    assert raw.startswith("amanah_")
    assert (
        api.get("/api/v1/staff/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    )


@pytest.mark.django_db
def test_failures_from_one_client_do_not_lock_the_officer_out_elsewhere(staff, settings):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 2):
        _login(attacker, "pengelola@kab-a.go.id", "salah")
    assert _login(attacker, "pengelola@kab-a.go.id", "sandi-rahasia-123").status_code == 429
    officer = Client(REMOTE_ADDR="198.51.100.7")
    r = _login(officer, "pengelola@kab-a.go.id", "sandi-rahasia-123")
    assert r.status_code == 302 and "_auth_user_id" in officer.session


@pytest.mark.django_db
def test_the_admin_signs_in_through_amanahs_login(staff):
    r = Client().get("/admin/login/?next=/admin/core/agency/")
    assert r.status_code == 302
    assert r["Location"] == "/akun/masuk/?next=%2Fadmin%2Fcore%2Fagency%2F"
    # A password posted to the admin's own form signs nobody in.
    c = Client()
    c.post("/admin/login/", {"username": "pengelola@kab-a.go.id", "password": "sandi-rahasia-123"})
    assert "_auth_user_id" not in c.session
    assert (
        Client()
        .get("/admin/login/?next=https://evil.example/")["Location"]
        .endswith("next=%2Fadmin%2F")
    )


@pytest.mark.django_db
def test_a_password_only_session_cannot_replace_the_authenticator(staff, settings):
    import pyotp

    from amanah.core.services import enable_totp

    secret = pyotp.random_base32()
    assert enable_totp(staff, secret, pyotp.TOTP(secret).now())
    c = Client()
    c.force_login(staff)  # signed in without the second factor (as the admin's form used to)
    r = c.get("/akun/2fa/")
    assert r.status_code == 302 and r["Location"].startswith("/akun/masuk/")
    c.post("/akun/2fa/", {"code": "123456"})
    staff.refresh_from_db()
    assert staff.totp_secret == secret and staff.totp_enabled
