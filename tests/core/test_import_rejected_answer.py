"""A spreadsheet import refused as a whole answers 422 ``import_rejected`` with its problems in ``fields``
and, as a list, in ``rows`` (``amanah/api.py``): the OpenAPI document declares that list (``ErrorOut.rows``
of ``ImportProblemOut``), so the real answer validates against the declared schema, closed to any key it
does not describe (``tests/core/openapi_check.py``)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.openapi_check import answer, document

pytestmark = pytest.mark.django_db

BAD_DIRECTORY = (
    "nip,nama,unit,jabatan,email,kepala_unit\n"
    "198805142010011003,Rina Lestari,kab-a-dafduk,Analis Kependudukan,rina@kab-a.go.id,\n"
    "12345,Salah NIP,kab-a-dafduk,Staf,,\n"  # row 3: not a NIP
    "199203042016031005,Tanpa Unit,kab-b-dafduk,Staf,bukan-email,\n"  # row 4: other agency, bad e-mail
)


def _file(name, text):
    return {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}


def test_the_document_declares_the_rows_of_a_refused_import():
    schemas = document()["components"]["schemas"]
    rows = schemas["ErrorOut"]["properties"]["rows"]
    assert rows["type"] == "array"
    assert rows["items"] == {"$ref": "#/components/schemas/ImportProblemOut"}
    assert "rows" not in schemas["ErrorOut"].get("required", [])  # other refusals have none
    problem = schemas["ImportProblemOut"]
    assert set(problem["properties"]) == {"row", "column", "message"}
    assert set(problem["required"]) == {"row", "column", "message"}


def test_a_refused_directory_import_answers_what_the_document_declares(users, api_as):
    client = api_as(users[("kepegawaian", "a")])
    r = client.post(
        "/api/v1/staff/employees/import?agency=kab-a",
        _file("pegawai.csv", BAD_DIRECTORY),
        multipart=True,
    )
    body = answer(r, "post", "/api/v1/staff/employees/import", 422)
    assert body["error"] == "import_rejected"
    found = {(p["row"], p["column"]) for p in body["rows"]}
    assert {(3, "nip"), (4, "unit"), (4, "email")} <= found
    assert {f"{row}.{column}" for row, column in found} == set(body["fields"])


def test_a_file_refused_as_a_whole_answers_what_the_document_declares(users, api_as):
    """A problem of the file itself (row 0, no column), from the personnel import."""
    client = api_as(users[("kepegawaian", "a")])
    r = client.post(
        "/api/v1/personnel/imports/diklat?agency=kab-a", _file("kosong.csv", ""), multipart=True
    )
    body = answer(r, "post", "/api/v1/personnel/imports/{kind}", 422)
    assert body["error"] == "import_rejected"
    assert [(p["row"], p["column"]) for p in body["rows"]] == [(0, "")]
    assert body["rows"][0]["message"] and set(body["fields"]) == {"0"}


def test_other_refusals_still_answer_without_rows(api):
    """Declaring ``rows`` adds nothing to the other refusals' answers."""
    r = api.get("/api/v1/staff/me")
    body = answer(r, "get", "/api/v1/staff/me", 401)
    assert "rows" not in body
