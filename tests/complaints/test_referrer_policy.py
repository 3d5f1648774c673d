"""A page or answer whose address carries a tracking code (or a whistleblower's page) lets no request from it
name that address in its Referer: nginx's default log would record it (amanah/core/middleware.py)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# Policies under which no Referer carries a path.
PATHLESS = ("no-referrer", "strict-origin", "origin")


def test_tracking_page_sends_no_path_as_referer(submit):
    c = submit()
    r = Client().get(f"/pengaduan/lacak/{c.tracking_code}/")
    assert r.status_code == 200
    # Not no-referrer: the page's own POST forms would then carry "Origin: null", which the CSRF check refuses.
    assert r["Referrer-Policy"] == "strict-origin"


@pytest.mark.parametrize(
    "path", ["/pengaduan/lacak/?code=X", "/integritas/", "/integritas/tindak-lanjut/"]
)
def test_pages_that_may_show_a_secret_send_no_path(path):
    assert Client().get(path)["Referrer-Policy"] in PATHLESS


@pytest.mark.parametrize("path", ["/open311/v2/discovery.json", "/open311/v2/requests/NOPE.json"])
def test_open311_sends_no_referrer(path):
    assert Client().get(path)["Referrer-Policy"] == "no-referrer"


def test_other_pages_keep_same_origin():
    assert Client().get("/")["Referrer-Policy"] == "same-origin"


def test_api_intake_answer_with_tracking_code_is_no_store(api, org):
    r = api.post(
        "/api/v1/complaints",
        {
            "kind": "pengaduan",
            "service": org["a"]["service"].code,
            "title": "KTP-el tidak kunjung jadi",
            "description": "Saya merekam KTP-el tiga bulan lalu dan sampai sekarang belum dicetak.",
            "identity_mode": "anonim",
        },
    )
    assert r.status_code == 201
    assert "tracking_code" in r.json()
    assert "no-store" in r.get("Cache-Control", ""), r.get("Cache-Control")
    assert r["Referrer-Policy"] == "no-referrer"
