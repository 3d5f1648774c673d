"""The staff session ends after a spell without activity (each use moves it on, written at most once every
few minutes) and at the latest AMANAH_SESSION_MAX_SECONDS after signing in; a form sent after it ended
gives its text back on the login page instead of losing it (WCAG 2.2.1)."""

import html
import re

import pytest
from django.conf import settings
from django.test import Client

from amanah.core import middleware
from tests.i18n import client_in

pytestmark = pytest.mark.django_db

CASE = "/pengaduan/staf/PGD-2026-000001/"  # a staff page that answers strangers with the login page


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1_800_000_000}
    monkeypatch.setattr(middleware, "now_seconds", lambda: now["t"])
    return now


def sent_session(response) -> bool:
    return settings.SESSION_COOKIE_NAME in response.cookies


def test_the_default_limits():
    assert settings.SESSION_COOKIE_AGE == 2 * 3600  # without activity
    assert settings.SESSION_MAX_SECONDS == 12 * 3600  # from signing in


def test_activity_moves_the_session_on_at_most_once_every_few_minutes(users, clock):
    client = Client()
    client.force_login(users[("operator", "a")])
    assert sent_session(client.get("/staf/"))  # the idle clock starts
    assert not sent_session(client.get("/staf/"))  # not written at every request
    clock["t"] += 299
    assert not sent_session(client.get("/staf/"))
    clock["t"] += 2
    r = client.get("/staf/")
    assert sent_session(r)  # moved on: a new full lifetime
    assert r.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_the_session_ends_at_the_absolute_limit_however_active(users, clock):
    client = Client()
    client.force_login(users[("operator", "a")])
    assert client.get("/staf/").status_code == 200
    for _ in range(settings.SESSION_MAX_SECONDS // 3600 - 1):
        clock["t"] += 3600
        assert client.get("/staf/").status_code == 200
    clock["t"] += 3000
    r = client.get(
        "/staf/"
    )  # shortly before the limit: its lifetime is what is left, not a full one
    assert r.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 600
    clock["t"] += 601
    r = client.get("/staf/")
    assert r.status_code == 302 and r["Location"].startswith("/akun/masuk/")


def test_signing_in_again_starts_the_absolute_limit_again(users, clock):
    client = Client()
    r = client.post(
        "/akun/masuk/", {"email": users[("operator", "a")].email, "password": "sandi-rahasia-123"}
    )
    assert r.status_code == 302
    assert client.session[middleware.StaffSessionMiddleware.LOGIN_AT] == clock["t"]


def test_a_form_sent_after_the_session_ended_gives_its_text_back(db):
    typed = "Jawaban panjang yang saya tulis selama dua puluh menit <b>tebal</b>."
    r = Client().post(
        CASE,
        {
            "action": "answer",
            "text": typed,
            "unit": "12",
            "csrfmiddlewaretoken": "token-csrf-rahasia",
            "password": "sandi-rahasia",
            "code": "123456",
            "nip": "199001012015031001",
            "amount": "5000000",
        },
        HTTP_REFERER="http://testserver/pengaduan/staf/PGD-2026-000001/?tab=jawab",
    )
    assert r.status_code == 401  # not a redirect: the text would be lost
    page = r.content.decode()
    assert re.search(r"<title>Sesi berakhir — Masuk staf · Amanah</title>", page)
    assert "Sesi Anda sudah berakhir" in page and 'role="alert"' in page
    areas = re.findall(r'<textarea id="([^"]+)"[^>]*readonly>(.*?)</textarea>', page, re.S)
    # escaped, never markup; typed numbers (an NIP, an amount) kept, a small id ("12") left out
    assert [html.unescape(v) for _, v in areas] == [
        "answer",
        typed,
        "199001012015031001",
        "5000000",
    ]
    for area_id, _ in areas:
        assert f'<label for="{area_id}">' in page
    for secret in ("token-csrf-rahasia", "sandi-rahasia", "123456"):
        assert secret not in page
    # Signing in leads back to the page of the form, where nothing has been sent again.
    action = html.unescape(
        re.search(r'<form method="post" class="form" action="([^"]+)"', page).group(1)
    )
    assert action == "/akun/masuk/?next=%2Fpengaduan%2Fstaf%2FPGD-2026-000001%2F%3Ftab%3Djawab"


def test_without_a_page_to_return_to_the_login_leads_to_the_address_the_form_was_sent_to(db):
    r = Client().post(CASE, {"text": "isi"}, HTTP_REFERER="http://evil.example/x/")
    assert r.status_code == 401
    assert (
        'action="/akun/masuk/?next=%2Fpengaduan%2Fstaf%2FPGD-2026-000001%2F"' in r.content.decode()
    )


def test_a_page_opened_without_a_session_still_redirects_to_login(db):
    r = Client().get(CASE)
    assert r.status_code == 302 and r["Location"].startswith("/akun/masuk/")


def test_the_session_ended_page_in_english(db):
    r = client_in("en").post(CASE, {"text": "isi"})
    page = r.content.decode()
    assert "Your session has ended" in page and "Sesi Anda" not in page
