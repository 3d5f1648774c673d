"""Text the database cannot hold, and digits that are not ASCII, get a clear 4xx — never a 500.

Both were found by the OpenAPI fuzz on PostgreSQL (NUL in a query parameter; "¹" as an agency id)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db


def test_nul_in_query_parameter_is_a_structured_400(api, org):
    r = api.get("/api/v1/services", {"q": "KTP\x00"})
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_characters" and set(r.json()["fields"]) == {"q"}
    assert r.json()["message"]
    assert api.get("/api/v1/services", {"q": "KTP"}).status_code == 200


def test_nul_in_json_body_is_refused_and_nothing_saved(api, org):
    from amanah.complaints.models import Complaint

    body = (
        '{"kind": "pengaduan", "service": "kab-a-ktp", "title": "KTP belum jadi\\u0000",'
        ' "description": "Sudah tiga bulan menunggu KTP-el tanpa kabar.", "identity_mode": "anonim"}'
    )
    r = api.client.post("/api/v1/complaints", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"] == "invalid_characters"
    assert not Complaint.objects.exists()


def test_nul_in_page_form_is_a_field_error_and_the_text_is_kept(client, org):
    from amanah.complaints.models import Complaint
    from tests.complaints.test_pages import form_data

    data = form_data(title="KTP belum jadi\x00", loss="Harus bolak-balik empat kali ke kantor")
    r = client.post("/pengaduan/", data)
    assert r.status_code in (200, 400)  # the form again, with the error beside the field
    assert not Complaint.objects.exists()
    page = r.content.decode()
    assert "Harus bolak-balik empat kali ke kantor" in page  # what the person typed is kept


def test_nul_in_multipart_api_field_is_a_structured_error(api, org):
    from amanah.complaints.models import Complaint

    data = {
        "kind": "pengaduan",
        "service": "kab-a-ktp",
        "title": "KTP belum jadi",
        "description": "Sudah tiga bulan\x00 menunggu KTP-el tanpa kabar.",
        "identity_mode": "anonim",
    }
    r = api.post("/api/v1/complaints", data, multipart=True)
    assert r.status_code in (400, 422) and "description" in r.json()["fields"], r.content
    assert not Complaint.objects.exists()


def test_files_may_contain_nul_bytes(api_as, users):
    client = api_as(users[("kepegawaian", "a")])
    binary = SimpleUploadedFile("p.csv", b"nip,nama\x00\n", content_type="text/csv")
    r = client.post("/api/v1/staff/employees/import?agency=kab-a", {"file": binary}, multipart=True)
    assert r.status_code == 422
    assert r.json()["error"] == "import_rejected"  # the importer itself judged the file


@pytest.mark.parametrize("ref", ["¹", "²³", "٣"])
def test_non_ascii_digits_as_an_id_are_unknown_not_a_crash(api_as, users, ref):
    client = api_as(users[("kepegawaian", "a")])
    r = client.get("/api/v1/staff/employees", {"agency": ref})
    assert r.status_code in (403, 404), r.content
    upload = SimpleUploadedFile("p.csv", b"nip,nama\n", content_type="text/csv")
    r = client.post(
        f"/api/v1/staff/employees/import?agency={ref}", {"file": upload}, multipart=True
    )
    assert r.status_code in (400, 403, 404), r.content


def test_the_nul_refusal_is_in_the_readers_language(org):
    """NulByteMiddleware answers above SiteLocaleMiddleware: it picks the reader's language itself, not
    whatever language the worker thread was left in by its previous request."""
    from django.utils import translation

    from tests.i18n import client_in

    body = '{"title": "a\\u0000b"}'
    with translation.override("id"):  # the thread's language does not decide
        r = client_in("en").post("/api/v1/complaints", body, content_type="application/json")
        assert r.status_code == 400 and r.json()["error"] == "invalid_characters"
        assert r.json()["message"].startswith("The input contains"), r.json()
        page = client_in("en").get("/layanan/", {"q": "a\x00"})
        assert page.status_code == 400 and page.content.decode().startswith("The input contains")
    with translation.override("en"):
        r = client_in("id").post("/api/v1/complaints", body, content_type="application/json")
        assert r.json()["message"].startswith("Masukan berisi"), r.json()
        r = Client().get("/api/v1/services", {"q": "a\x00"})  # no language chosen: Indonesian
        assert r.json()["message"].startswith("Masukan berisi"), r.json()
