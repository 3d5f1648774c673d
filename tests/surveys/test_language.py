"""SKM in English: the refusals of a questionnaire (``surveys/rules.py`` is standard library only) are
in the reader's language, on the pages and in the API."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.i18n import client_in

from .conftest import body

pytestmark = pytest.mark.django_db


def visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_refused_paper_upload_says_each_row_in_english(period, manager):
    client = client_in("en")
    client.force_login(manager)
    data = b"U1,U2,U3,U4,U5,U6,U7,U8,U9,usia\n3,3,9,3,3,3,3,3,3,5\n"
    r = client.post(
        f"/skm/staf/periode/{period.pk}/kertas/", {"file": SimpleUploadedFile("k.csv", data)}
    )
    page = visible(r.content.decode())
    assert "The answer must be a whole number from 1 to 4." in page
    assert "Age must be a whole number of 10–120 years." in page
    assert "Jawaban harus" not in page and "Usia harus" not in page


def test_the_answer_apis_refusals_are_in_english(period):
    client = client_in("en")
    url = f"/api/v1/surveys/periods/{period.pk}/responses"
    r = client.post(url, body((3, 3, 3, 3, 3, 3, 3, 3, 7)), content_type="application/json")
    assert r.status_code == 422, r.content
    out = r.json()
    assert out["message"] == "The survey answers are incomplete or not valid."
    assert out["fields"] == {"U9": "The answer must be a whole number from 1 to 4."}
    r = client.post(
        url, body(profile={"age": 5, "education": "X"}), content_type="application/json"
    )
    out = r.json()
    assert out["fields"]["profile.age"] == "Age must be a whole number of 10–120 years."
    assert out["fields"]["profile.education"].startswith("Education must be one of: SD, SMP")
    r = client.post(
        f"/api/v1/surveys/periods/{period.pk}/responses",
        body(suggestion="x" * 2001),
        content_type="application/json",
    )
    assert r.json()["fields"] == {"suggestion": "A suggestion may be at most 2000 characters long."}
    r = client.get(f"/api/v1/surveys/periods/{period.pk}/results")  # not published
    assert r.status_code == 404 and r.json()["message"] == "Survey period not found."
    # Indonesian stays Indonesian.
    r = client_in("id").post(
        f"/api/v1/surveys/periods/{period.pk}/responses",
        body((3, 3, 3, 3, 3, 3, 3, 3, 7)),
        content_type="application/json",
    )
    assert r.json()["fields"]["U9"] == "Jawaban harus bilangan bulat 1 sampai 4."
