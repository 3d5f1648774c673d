"""SKM in English: the results pages and the report show the regulation's texts (element names, the
respondent profile, change words, the weight) in the reader's language, respondents and paper
questionnaires are counted in the singular and plural, and the API's refusals are in the reader's
language."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amanah.surveys import services
from tests.i18n import client_in

from .conftest import body
from .pdftext import pdf_text

pytestmark = pytest.mark.django_db


def visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


@pytest.fixture
def two_published(make_period, add_answers, users, today):
    """Two published periods of one unit; the second went up in U1 and down in U2, and two of its
    respondents left the profile empty. It uses the printed weight 0,111."""
    admin = users[("admin", None)]
    out = []
    for start, end, values in (
        (200, 100, (2, 2, 2, 2, 2, 2, 2, 2, 2)),
        (90, 10, (3, 1, 2, 2, 2, 2, 2, 2, 2)),
    ):
        p = make_period(
            start=today - dt.timedelta(days=start),
            end=today - dt.timedelta(days=end),
            weight="0.111",
        )
        add_answers(p, [values] * 30, gender="P", age=30, education="SMA", occupation="Swasta")
        add_answers(p, [values] * 2)  # profile not filled in
        services.close_period(admin, p)
        out.append(services.publish_period(admin, p, analysis="-"))
    return out[-1]


INDONESIAN = (
    "Sistem, mekanisme, dan prosedur",
    "Waktu penyelesaian",
    "Perempuan",
    "Tidak diisi",
    "Swasta",
    "naik",
    "turun",
    "0,111",
)


def test_the_results_page_in_english_shows_the_regulations_texts_in_english(two_published):
    page = visible(client_in("en").get(f"/skm/hasil/{two_published.pk}/").content.decode())
    assert [w for w in INDONESIAN if has_word(page, w)] == []
    for english in (
        "U2 System, mechanism and procedure",
        "U3 Completion time",
        "Female",
        "Not given",
        "Private sector",
        "Senior high school",
        "weight of each element 0.111",
    ):
        assert english in page, english
    assert re.search(r"U1 Requirements [\d.]+ [\d.]+ up", page), page
    assert re.search(r"U2 System, mechanism and procedure [\d.]+ [\d.]+ down", page)
    # In Indonesian nothing changed.
    page = visible(client_in("id").get(f"/skm/hasil/{two_published.pk}/").content.decode())
    for indonesian in ("Sistem, mekanisme, dan prosedur", "Perempuan", "Tidak diisi", "0,111"):
        assert indonesian in page, indonesian
    assert has_word(page, "naik") and has_word(page, "turun")


def test_the_staff_period_page_in_english_lists_the_lowest_elements_in_english(
    two_published, manager
):
    client = client_in("en")
    client.force_login(manager)
    page = visible(client.get(f"/skm/staf/periode/{two_published.pk}/").content.decode())
    assert "The three lowest elements" in page
    assert "U2 System, mechanism and procedure — NRR" in page
    assert [w for w in INDONESIAN if has_word(page, w)] == []


def test_the_report_in_english_shows_the_regulations_texts_in_english(two_published):
    r = client_in("en").get(f"/skm/hasil/{two_published.pk}/laporan.pdf")
    assert r.status_code == 200
    text = " ".join(pdf_text(r.content).split())
    assert "System, mechanism and procedure" in text and "Completion time" in text
    assert "Female" in text and "Not given" in text and "Private sector" in text
    assert "NRR × 0.111" in text and "converted IKM = unit IKM × 25." in text
    assert (
        "follows Regulation of the Minister of Administrative and Bureaucratic Reform No. 14 of"
        in text
    )
    for word in ("Sistem, mekanisme", "Perempuan", "Tidak diisi", "Swasta", "0,111"):
        assert word not in text, word
    assert not has_word(text, "naik") and not has_word(text, "turun")


def test_the_reports_category_table_is_in_the_readers_number_format(two_published):
    url = f"/skm/hasil/{two_published.pk}/laporan.pdf"
    english = " ".join(pdf_text(client_in("en").get(url).content).split())
    for interval in ("3.5324 – 4.00", "88.31 – 100.00", "2.60 – 3.064", "25.00 – 64.99"):
        assert interval in english, interval
    assert "88,31" not in english and "2,5996" not in english
    indonesian = " ".join(pdf_text(client_in("id").get(url).content).split())
    for interval in ("3,5324 – 4,00", "88,31 – 100,00", "2,60 – 3,064", "25,00 – 64,99"):
        assert interval in indonesian, interval


def test_a_population_too_large_is_refused_in_english(org, manager, today):
    client = client_in("en")
    client.force_login(manager)
    data = {"unit": org["a"]["bidang"].pk, "start": today, "end": today, "population": 10**10}
    page = visible(client.post("/skm/staf/", data).content.decode())
    assert "The population may be at most 2,147,483,647 service users." in page


def test_one_respondent_is_counted_in_the_singular(period, add_answers, users):
    add_answers(period, [(3, 3, 3, 3, 3, 3, 3, 3, 3)])
    services.close_period(users[("admin", None)], period)
    services.publish_period(users[("admin", None)], period)
    page = visible(client_in("en").get(f"/skm/hasil/{period.pk}/").content.decode())
    assert "1 respondent; minimum sample" in page
    page = visible(client_in("id").get(f"/skm/hasil/{period.pk}/").content.decode())
    assert "1 responden; sampel minimum" in page


@pytest.mark.parametrize(
    "rows,expected", [(1, "1 paper questionnaire saved."), (2, "2 paper questionnaires saved.")]
)
def test_saved_paper_questionnaires_are_counted_in_english(period, manager, rows, expected):
    client = client_in("en")
    client.force_login(manager)
    data = b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n" + b"3,3,3,3,3,3,3,3,3\n" * rows
    r = client.post(
        f"/skm/staf/periode/{period.pk}/kertas/",
        {"file": SimpleUploadedFile("k.csv", data)},
        follow=True,
    )
    assert expected in visible(r.content.decode())


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


def test_a_paper_upload_with_an_unknown_column_is_refused_in_english(period, manager):
    client = client_in("en")
    client.force_login(manager)
    data = b"U1,U2,U3,U4,U5,U6,U7,U8,U9,tgl\n3,3,3,3,3,3,3,3,3,2030-01-01\n"
    r = client.post(
        f"/skm/staf/periode/{period.pk}/kertas/", {"file": SimpleUploadedFile("k.csv", data)}
    )
    assert r.status_code == 400
    page = visible(r.content.decode())
    assert "Unknown columns: tgl. Rename them to a known column (U1–U9, jenis_kelamin," in page
    assert "Unknown column." in page and "Kolom tidak dikenal" not in page


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


def test_the_questionnaire_api_speaks_the_readers_language(period):
    """An app shows what the page shows: element names, questions and answer labels in English for an
    English reader, in Indonesian otherwise."""
    url = f"/api/v1/surveys/periods/{period.pk}/questionnaire"
    english = {e["code"]: e for e in client_in("en").get(url).json()["elements"]}
    u7 = english["U7"]
    assert (u7["name"], u7["question"], u7["labels"][0]) == (
        "Staff behaviour",
        "How polite and friendly were the staff?",
        "Not polite and friendly",
    )
    page = visible(client_in("en").get(f"/skm/s/{period.short_code}/").content.decode())
    for element in english.values():
        assert element["question"] in page
        assert all(label in page for label in element["labels"])
    indonesian = {e["code"]: e for e in client_in("id").get(url).json()["elements"]}
    assert indonesian["U7"]["labels"][0] == "Tidak sopan dan ramah"


def test_the_results_api_names_the_elements_and_the_performance_in_the_readers_language(
    two_published,
):
    url = f"/api/v1/surveys/periods/{two_published.pk}/results"
    english = client_in("en").get(url).json()
    indonesian = client_in("id").get(url).json()
    names = {u["code"]: u["name"] for u in english["unsur"]}
    assert names["U2"] == "System, mechanism and procedure"
    assert {u["code"]: u["name"] for u in indonesian["unsur"]}["U2"] == (
        "Sistem, mekanisme, dan prosedur"
    )
    assert english["kinerja"] != indonesian["kinerja"] and indonesian["kinerja"] in (
        "Sangat Baik",
        "Baik",
        "Kurang Baik",
        "Tidak Baik",
    )
    assert english["mutu"] == indonesian["mutu"] and english["ikm"] == indonesian["ikm"]


def test_the_breakdowns_api_is_in_the_same_language_as_the_results(two_published):
    url = f"/api/v1/surveys/periods/{two_published.pk}/breakdowns"
    english = client_in("en").get(url).json()
    indonesian = client_in("id").get(url).json()
    results = client_in("en").get(f"/api/v1/surveys/periods/{two_published.pk}/results").json()
    (service,) = english["by_service"]
    assert service["service"] is None and service["name"] != "(tidak disebut)"
    assert indonesian["by_service"][0]["name"] == "(tidak disebut)"
    assert service["unsur"] == results["unsur"] and service["kinerja"] == results["kinerja"]
    names = {u["code"]: u["name"] for u in english["comparison"]["unsur"]}
    assert names["U2"] == "System, mechanism and procedure"
    assert {u["code"]: u["name"] for u in indonesian["comparison"]["unsur"]}["U2"] == (
        "Sistem, mekanisme, dan prosedur"
    )
    labels = {i["value"]: i["label"] for i in english["by_profile"]["gender"]}
    assert labels["P"] != "Perempuan" and labels[None] != "Tidak diisi", labels
    assert {i["value"]: i["label"] for i in indonesian["by_profile"]["gender"]}["P"] == "Perempuan"
    assert english["trend"][-1]["kinerja"] == results["kinerja"]
    assert english["trend"][-1]["kinerja"] != indonesian["trend"][-1]["kinerja"]
    assert english["by_service"][0]["ikm"] == indonesian["by_service"][0]["ikm"]
