"""The complaint receipt (tanda terima): a PDF with the tracking code, a QR code to the tracking page and the
first deadline, for the person (tracking page) and for the officer who hands it over (case page)."""

import datetime as dt
import io
import re

import pikepdf
import pytest
from django.test import Client
from django.utils import formats, translation

from amanah.complaints import services
from tests.i18n import client_in
from tests.surveys.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def flat(data: bytes) -> str:
    """The PDF's text without any white space (lines wrap wherever the page ends them)."""
    return re.sub(r"\s+", "", pdf_text(data))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def receipt(client, c):
    return client.get(f"/pengaduan/lacak/{c.tracking_code}/tanda-terima.pdf")


def test_receipt_carries_code_link_and_first_deadline(submit):
    c = submit()
    r = receipt(Client(), c)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == f'inline; filename="tanda-terima-{c.tracking_code}.pdf"'
    assert "no-store" in r["Cache-Control"]
    text = flat(r.content)
    assert squash("Tanda terima pengaduan") in text and c.tracking_code in text
    assert services.tracking_url(c) in text
    assert squash(c.agency.name) in text and squash(c.title) in text
    with translation.override("id"):
        due = formats.date_format(c.verification_due, "l, j F Y")
    assert squash(due) in text
    pdf = pikepdf.open(io.BytesIO(r.content))
    moves = sum(1 for _ops, op in pikepdf.parse_content_stream(pdf.pages[0]) if str(op) == "m")
    assert moves > 100, "the QR code is drawn (as vector paths)"


@pytest.mark.parametrize("mode", ["biasa", "rahasia", "anonim"])
def test_receipt_names_nobody(submit, mode):
    """Whoever holds the code can open the receipt, so it carries no identity, whatever the mode."""
    c = submit(identity_mode=mode, name="Siti Aminah", email="siti@example.id", phone="0812345678")
    text = flat(receipt(Client(), c).content)
    for secret in ("Siti", "Aminah", "siti@example.id", "0812345678"):
        assert squash(secret) not in text
    expected = {
        "biasa": "Identitas Anda tidak pernah ditampilkan kepada publik",
        "rahasia": "Pengaduan rahasia tidak pernah ditampilkan kepada publik",
        "anonim": "Anonim (tanpa identitas)",
    }[mode]
    assert squash(expected) in text


def test_receipt_time_is_the_agencys_local_time(submit, org, clock):
    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Jayapura"  # WIT, UTC+9
    agency.save()
    clock.set(dt.datetime(2026, 3, 2, 16, 30, tzinfo=dt.UTC))  # 01:30 the next day in Jayapura
    c = submit()
    text = flat(receipt(Client(), c).content)
    assert squash("3 Maret 2026 01:30 WIT") in text


def test_receipt_in_english_when_chosen(submit):
    c = submit()
    text = flat(receipt(client_in("en"), c).content)
    assert squash("Complaint receipt") in text and squash("Tanda terima") not in text


def test_receipt_counts_a_wrong_code_as_a_guess(submit, settings):
    settings.COMPLAINT_TRACK_RATE = (2, 600)
    c = submit()
    client = Client()
    for _ in range(2):
        r = client.get("/pengaduan/lacak/AAAA-BBBB-CCCC-DDDD/tanda-terima.pdf")
        assert r.status_code == 404 and "tidak ditemukan" in r.content.decode()
    assert receipt(client, c).status_code == 429  # now refused, even for a valid code


def test_tracking_and_case_pages_link_the_receipt(submit, users):
    c = submit()
    page = Client().get(f"/pengaduan/lacak/{c.tracking_code}/").content.decode()
    assert f'href="/pengaduan/lacak/{c.tracking_code}/tanda-terima.pdf"' in page
    officer = Client()
    officer.force_login(users[("operator", "a")])
    page = officer.get(f"/pengaduan/staf/{c.tracking_code}/").content.decode()
    assert f'href="/pengaduan/staf/{c.tracking_code}/tanda-terima.pdf"' in page


def test_officer_prints_the_receipt_of_a_case_in_scope_only(submit, users):
    c = submit()
    url = f"/pengaduan/staf/{c.tracking_code}/tanda-terima.pdf"
    officer = Client()
    officer.force_login(users[("operator", "a")])
    r = officer.get(url)
    assert r.status_code == 200 and c.tracking_code in flat(r.content)
    other = Client()
    other.force_login(users[("operator", "b")])
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_printing_fetches_nothing(monkeypatch):
    """A template that pointed at another site prints without it: nothing leaves the machine."""
    import urllib.request

    from amanah.core import documents

    def refuse(*args, **kwargs):  # pragma: no cover - reached only if the fetcher let a URL through
        raise AssertionError("a request left the machine")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    data = documents.pdf(
        '<p>isi</p><img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="http://127.0.0.1:9/a.css">'
    )
    assert data.startswith(b"%PDF") and "isi" in pdf_text(data)


@pytest.mark.parametrize("language", ["id", "en"])
def test_receipt_is_a_tagged_pdf_in_the_readers_language(submit, language):
    """PDF/UA: a screen reader gets the structure, the language and the QR code's alternative text."""
    c = submit()
    pdf = pikepdf.open(io.BytesIO(receipt(client_in(language), c).content))
    assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == language
    assert c.tracking_code in str(pdf.open_metadata().get("dc:title", ""))
