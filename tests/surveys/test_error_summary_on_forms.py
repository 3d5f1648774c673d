"""A refused questionnaire or staff form is summed up at the top of the page (core/_error_summary.html):
one focused alert whose links lead to the fields of the form that was sent (each unanswered question
of the questionnaire), and a title that begins with "Kesalahan: "."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.error_summary import checked_summary

pytestmark = pytest.mark.django_db


def staff(user):
    client = Client()
    client.force_login(user)
    return client


def test_every_unanswered_question_is_linked_from_the_summary(period):
    url = f"/skm/s/{period.short_code}/"
    assert 'id="form-errors"' not in Client().get(url).content.decode()
    answers = {f"u{i}": "3" for i in range(1, 10) if i not in (2, 7)}
    r = Client().post(url, answers)
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == ["id_u2", "id_u7"]
    assert page.index('id="id_u2"') > page.index('id="q-U2"')  # the question's own choices
    r = Client().post(url, {"age": "7"})
    assert checked_summary(r.content.decode()) == [*(f"id_u{i}" for i in range(1, 10)), "id_age"]


def test_a_refused_new_period_is_summed_up(manager):
    r = staff(manager).post("/skm/staf/", {"population": "-1"})
    assert r.status_code == 400
    assert "id_unit" in checked_summary(r.content.decode())


@pytest.mark.parametrize(
    "path, data, targets",
    [
        ("analisis", {"analysis": "x" * 10001}, ["id_analysis"]),
        ("kertas", {}, ["id_file"]),
    ],
)
def test_a_refused_form_of_the_period_page_is_summed_up(period, manager, path, data, targets):
    r = staff(manager).post(f"/skm/staf/periode/{period.pk}/{path}/", data)
    assert r.status_code == 400
    assert checked_summary(r.content.decode()) == targets


def test_a_refused_plan_is_summed_up(period, manager, users):
    from amanah.surveys import services

    services.close_period(users[("admin", None)], period)
    r = staff(manager).post(f"/skm/staf/periode/{period.pk}/rencana/", {"owner": "Kabid"})
    assert r.status_code == 400
    assert checked_summary(r.content.decode()) == ["id_element", "id_action", "id_due"]


def test_a_refused_paper_file_leads_to_its_rows(period, manager):
    bad = b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n3,3,9,3,3,3,3,3,3\n"
    r = staff(manager).post(
        f"/skm/staf/periode/{period.pk}/kertas/", {"file": SimpleUploadedFile("k.csv", bad)}
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == ["import-errors"]
    assert "Berkas tidak diimpor" in page.split('id="form-errors"')[1].split("</div>")[0]
    assert page.count("Berkas tidak diimpor") == 1  # said once, not again as a message
