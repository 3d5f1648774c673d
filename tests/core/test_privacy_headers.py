"""Private pages are never kept in a browser's or proxy's cache; public pages may be."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/integritas/", "/pengaduan/lacak/", "/akun/masuk/", "/kepegawaian/", "/skm/staf/"],
)
def test_confidential_prefixes_are_no_store(client, path):
    response = client.get(path)
    assert "no-store" in response.get("Cache-Control", ""), path


def test_public_page_for_anonymous_may_be_cached(client):
    response = client.get("/transparansi/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_any_page_seen_by_a_signed_in_user_is_no_store(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.get("/transparansi/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_api_call_with_token_is_no_store(client, org):
    response = client.get("/api/v1/agencies", headers={"Authorization": "Bearer nonsense"})
    assert "no-store" in response["Cache-Control"]
    assert "no-store" not in client.get("/api/v1/agencies").get("Cache-Control", "")


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/v1/tidak-ada"),  # the API's own JSON 404 (ApiErrorMiddleware)
        ("delete", "/api/v1/health"),  # its JSON 405
        ("get", "/api/v1/services?q=%00"),  # a NUL character refused before the view (API)
        ("get", "/pengaduan/?cari=%00"),  # and on a page
    ],
)
def test_answers_made_by_middleware_carry_the_frame_and_csp_headers(client, db, method, path):
    r = getattr(client, method)(path)
    assert r.status_code >= 400
    assert "default-src" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"
