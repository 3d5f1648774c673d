"""Error pages in the site's language and layout (Django's own are bare English pages)."""

import pytest
from django.test import Client, RequestFactory

from tests.i18n import client_in

pytestmark = pytest.mark.django_db


def test_not_found_is_a_page_of_the_site_in_indonesian_and_english():
    r = Client().get("/tidak-ada/")
    assert r.status_code == 404
    html = r.content.decode()
    assert '<html lang="id">' in html and "Halaman tidak ditemukan" in html
    assert 'class="skip"' in html and 'href="/pengaduan/lacak/"' in html
    r = client_in("en").get("/skm/s/zzzz/")
    assert r.status_code == 404 and "Page not found" in r.content.decode()


def test_forbidden_and_expired_form_pages(org, users):
    client = Client()
    client.force_login(users[("pimpinan", "a")])  # leadership may not file assisted intake
    r = client.get("/pengaduan/staf/baru/")
    assert r.status_code == 403 and "Akses ditolak" in r.content.decode()
    r = Client(enforce_csrf_checks=True).post("/pengaduan/", {"title": "x"})
    assert r.status_code == 403 and "Formulir kedaluwarsa" in r.content.decode()


def test_server_error_page_needs_no_request_context():
    from django.views.defaults import server_error

    r = server_error(RequestFactory().get("/"))
    assert r.status_code == 500
    html = r.content.decode()
    assert "Terjadi kesalahan pada server" in html and "belum tersimpan" in html
