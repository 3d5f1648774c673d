"""SKM paper import (POST /api/v1/surveys/periods/{id}/paper) of the files people really upload: an old
``.xls``, a non-UTF-8 text, an overlong cell, values under no header, a field named twice and apostrophes
in a semicolon CSV are each refused with a specific error (422 ``import_rejected``) or read as typed —
never a 500, never data dropped without a word."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amanah.surveys.models import Response

pytestmark = pytest.mark.django_db

H = "U1,U2,U3,U4,U5,U6,U7,U8,U9"


def up(client, period, name, data):
    return client.post(
        f"/api/v1/surveys/periods/{period.pk}/paper",
        {"file": SimpleUploadedFile(name, data)},
        multipart=True,
    )


@pytest.fixture
def client(users, api_as):
    return api_as(users[("unit", "a")])


def test_an_old_excel_xls_is_refused_asking_for_xlsx(period, client):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x81\x8d" * 50
    r = up(client, period, "kertas.xls", data)
    assert r.status_code == 422, r.content
    out = r.json()
    assert out["error"] == "import_rejected"
    assert ".xls" in out["fields"]["0"] and "simpan sebagai .xlsx" in out["fields"]["0"]
    assert not Response.objects.exists()


def test_a_text_in_no_known_encoding_is_refused(period, client):
    data = (H + ",saran\n4,4,3,4,3,3,4,3,3,").encode() + b"caf\x81\x8d\n"
    r = up(client, period, "kertas.csv", data)
    assert r.status_code == 422, r.content
    assert "UTF-8" in r.json()["fields"]["0"]


def test_a_cell_longer_than_the_csv_reader_takes_is_refused_at_its_row(period, client):
    data = (H + ",saran\n3,3,3,3,3,3,3,3,3,ok\n4,4,3,4,3,3,4,3,3," + "x" * 200_000 + "\n").encode()
    r = up(client, period, "kertas.csv", data)
    assert r.status_code == 422, r.content
    assert list(r.json()["fields"]) == ["3"]
    assert "131072" in r.json()["fields"]["3"]
    assert not Response.objects.exists()


def test_a_value_under_a_blank_header_is_refused(period, client):
    r = up(
        client,
        period,
        "kertas.csv",
        (H + ",,saran\n4,4,3,4,3,3,4,3,3,Petugas minta uang,ok\n").encode(),
    )
    assert r.status_code == 422, r.content
    fields = r.json()["fields"]
    assert list(fields) == ["2.J"] and "Kolom J" in fields["2.J"]
    assert not Response.objects.exists()


def test_a_value_right_of_the_header_is_refused(period, client):
    data = (H + "\n4,4,3,4,3,3,4,3,3\n4,4,3,4,3,3,4,3,3,Petugas minta uang\n").encode()
    r = up(client, period, "kertas.csv", data)
    assert r.status_code == 422, r.content
    assert list(r.json()["fields"]) == ["3.J"]
    assert not Response.objects.exists()


def test_two_columns_for_one_field_are_refused(period, client):
    r = up(
        client,
        period,
        "kertas.csv",
        (H + ",saran,suggestion\n4,4,3,4,3,3,4,3,3,satu,dua\n").encode(),
    )
    assert r.status_code == 422, r.content
    fields = r.json()["fields"]
    assert list(fields) == ["1.suggestion"] and "saran" in fields["1.suggestion"]
    r = up(client, period, "kertas.csv", (H + ",U1\n4,4,3,4,3,3,4,3,3,1\n").encode())
    assert r.status_code == 422, r.content
    assert list(r.json()["fields"]) == ["1.u1"]
    assert not Response.objects.exists()


def test_apostrophes_in_a_semicolon_csv_are_kept(period, client):
    data = (
        H.replace(",", ";")
        + ";saran\n4;4;3;4;3;3;4;3;3;'cepat', ramah\n3;3;3;3;3;3;3;3;3;petugas 'baik'\n"
    ).encode()
    r = up(client, period, "kertas.csv", data)
    assert r.status_code == 200, r.content
    assert sorted(Response.objects.values_list("suggestion", flat=True)) == [
        "'cepat', ramah",
        "petugas 'baik'",
    ]
    # Double quotes still quote (and are doubled inside a quoted cell).
    data = (H.replace(",", ";") + ';saran\n3;3;3;3;3;3;3;3;3;"kata ""ramah""; cepat"\n').encode()
    assert up(client, period, "kertas2.csv", data).status_code == 200
    assert Response.objects.filter(suggestion='kata "ramah"; cepat').exists()
