"""The reporter's contact is one e-mail address or one Indonesian telephone number (stored normalised);
anything else is refused with a message that says what to write, so that no news mail fails unseen."""

import pytest

from amanah.integrity.forms import ReportForm

pytestmark = pytest.mark.django_db
MESSAGE = (
    "Tulis satu alamat email (misalnya nama@contoh.id) atau satu nomor telepon Indonesia "
    "(misalnya 0812 3456 7890), tanpa teks lain."
)


@pytest.mark.parametrize(
    "contact",
    [
        "budi.pelapor@contoh.id / 0812 3456 7890",
        "Email: budi.pelapor@contoh.id",
        "budi pelapor",
        "12345",
        "+1 415 555 0100",
    ],
)
def test_a_contact_that_is_neither_an_address_nor_a_number_is_refused(report_data, contact):
    form = ReportForm(report_data(reporter_contact=contact, may_contact="true"))
    assert not form.is_valid()
    assert form.errors["reporter_contact"] == [MESSAGE]


@pytest.mark.parametrize(
    "contact,stored",
    [
        (" budi.pelapor@contoh.id ", "budi.pelapor@contoh.id"),
        ("0812 3456 7890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("(0274) 123456", "+62274123456"),
    ],
)
def test_an_address_or_a_number_is_kept_normalised(report_data, contact, stored):
    form = ReportForm(report_data(reporter_contact=contact, may_contact="true"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reporter_contact"] == stored


def test_the_page_says_why_and_keeps_what_was_typed(client, report_data):
    from amanah.integrity.models import Report

    data = report_data(reporter_contact="budi.pelapor@contoh.id / 0812 3456 7890", nonce="c-1")
    r = client.post("/integritas/lapor/", data)
    assert r.status_code == 400
    html = r.content.decode()
    assert MESSAGE in html
    assert 'value="budi.pelapor@contoh.id / 0812 3456 7890"' in html
    assert data["description"] in html and data["incident_place"] in html
    assert "Jangan memakai email kantor" in html
    assert not Report.objects.exists()


def test_the_api_answers_a_structured_error(api, report_data):
    r = api.post(
        "/api/v1/integrity/reports",
        report_data(reporter_contact="Email: budi.pelapor@contoh.id"),
        multipart=True,
    )
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "invalid_input"
    assert body["fields"]["reporter_contact"] == MESSAGE
