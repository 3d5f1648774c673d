"""The ASN directory import refuses text longer than its column at the row and column that hold it
(``jabatan`` ≤ 200, ``email`` ≤ 254), on the API and the page alike, instead of storing it (SQLite) or
failing with a database error (PostgreSQL)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amanah.core.models import Employee

pytestmark = pytest.mark.django_db

NIP = "198805142010011003"
LONG_POSITION = "Analis Kebijakan Ahli Muda " * 10  # 270 characters
LONG_EMAIL = "r" * 250 + "@kab-a.go.id"  # 262 characters


def _csv(position="Analis Kependudukan", email=""):
    return (
        f"nip,nama,unit,jabatan,email\n{NIP},Rina Lestari,kab-a-dafduk,{position},{email}\n"
    ).encode()


def _post_api(client, data):
    return client.post(
        "/api/v1/staff/employees/import?agency=kab-a",
        {"file": SimpleUploadedFile("p.csv", data, content_type="text/csv")},
        multipart=True,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [(_csv(position=LONG_POSITION), "2.jabatan"), (_csv(email=LONG_EMAIL), "2.email")],
)
def test_an_overlong_value_is_refused_at_its_row_in_the_api(org, users, api_as, data, field):
    r = _post_api(api_as(users[("kepegawaian", "a")]), data)
    assert r.status_code == 422, (r.status_code, r.content[:300])
    body = r.json()
    assert body["error"] == "import_rejected"
    assert field in body["fields"]
    assert "paling panjang" in body["fields"][field]
    assert not Employee.objects.filter(nip=NIP).exists()


def test_the_import_page_refuses_an_overlong_position_at_its_row(org, users):
    c = Client(raise_request_exception=False)
    c.force_login(users[("kepegawaian", "a")])
    r = c.post(
        "/kepegawaian/impor/?instansi=kab-a",
        {
            "kind": "asn",
            "file": SimpleUploadedFile("p.csv", _csv(position=LONG_POSITION), "text/csv"),
        },
    )
    assert r.status_code == 400, r.status_code
    assert "Jabatan paling panjang 200 karakter." in r.content.decode()
    assert not Employee.objects.filter(nip=NIP).exists()


def test_a_position_of_exactly_200_characters_is_taken(org, users, api_as):
    r = _post_api(api_as(users[("kepegawaian", "a")]), _csv(position="J" * 200))
    assert r.status_code == 200, r.content
    assert len(Employee.objects.get(nip=NIP).position) == 200
