"""A refused paper-answers file answers 422 ``import_rejected`` with its problems listed in ``rows``, as the
OpenAPI document declares (``ErrorOut.rows``; tests/core/test_import_rejected_answer.py for the others)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.openapi_check import answer

pytestmark = pytest.mark.django_db

HEADER = "U1,U2,U3,U4,U5,U6,U7,U8,U9,jenis_kelamin,usia"


def test_a_refused_paper_file_answers_what_the_document_declares(period, users, api_as):
    data = (
        f"{HEADER}\n4,4,3,4,3,3,4,3,3,P,35\n5,4,3,4,3,3,4,3,3,X,35\n".encode()
    )  # row 3: U1, gender
    r = api_as(users[("unit", "a")]).post(
        f"/api/v1/surveys/periods/{period.pk}/paper",
        {"file": SimpleUploadedFile("kertas.csv", data)},
        multipart=True,
    )
    body = answer(r, "post", "/api/v1/surveys/periods/{id}/paper", 422)
    assert body["error"] == "import_rejected"
    assert {(p["row"], p["column"]) for p in body["rows"]} == {(3, "U1"), (3, "gender")}
