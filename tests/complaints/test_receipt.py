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
    # Not the code: it would stay in a shared computer's list of downloads.
    assert c.tracking_code not in r["Content-Disposition"]
    assert re.fullmatch(
        r'inline; filename="tanda-terima-\d{4}-\d\d-\d\d\.pdf"', r["Content-Disposition"]
    )
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
    page = officer.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    assert f'href="/pengaduan/staf/AMN-{c.pk}/tanda-terima.pdf"' in page


def test_officer_prints_the_receipt_of_a_case_in_scope_only(submit, users):
    c = submit()
    url = f"/pengaduan/staf/AMN-{c.pk}/tanda-terima.pdf"
    officer = Client()
    officer.force_login(users[("operator", "a")])
    r = officer.get(url)
    assert r.status_code == 200 and c.tracking_code in flat(r.content)
    other = Client()
    other.force_login(users[("operator", "b")])
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_printing_fetches_nothing(tmp_path):
    """A template that pointed at this machine's files or at a server prints without them: WeasyPrint
    would log and carry on, so what is checked is what reached the server and what the PDF holds."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from amanah.core import documents

    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # pragma: no cover - reached only if the fetcher let a URL through
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"p{color:red}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    picture = tmp_path / "x.png"
    from PIL import Image

    Image.new("RGB", (40, 40), (255, 0, 0)).save(picture)
    port = server.server_address[1]
    try:
        data = documents.pdf(
            f'<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">'
            f'<p>isi</p><img src="http://127.0.0.1:{port}/x.png"><img src="file://{picture}">'
        )
    finally:
        server.shutdown()
    assert hits == []
    assert data.startswith(b"%PDF") and "isi" in pdf_text(data)
    images = [
        name
        for page in pikepdf.open(io.BytesIO(data)).pages
        for name, obj in page.Resources.get("/XObject", {}).items()
        if obj.get("/Subtype") == "/Image"
    ]
    assert images == [], "no picture from a file or a server was embedded"


def test_a_long_unbroken_title_stays_on_the_page(submit):
    """A pasted link or reference number in the title wraps inside its column instead of pushing the
    text off the page."""
    from django.template.loader import render_to_string
    from django.utils import timezone
    from weasyprint import HTML

    from amanah.complaints import receipt as receipts

    c = submit(title="https://contoh.go.id/" + "a" * 170)
    data = receipt(Client(), c).content
    assert len(pikepdf.open(io.BytesIO(data)).pages) == 1
    assert squash(c.title) in flat(data)
    # The text of a PDF is there even where it runs off the page: the layout itself is measured.
    with timezone.override(c.agency.time_zone):
        html = render_to_string("complaints/receipt_pdf.html", receipts.context(c))
    page = HTML(string=html).render().pages[0]
    right = max(b.position_x + b.margin_width() for b in page._page_box.descendants())
    assert right <= page.width + 0.5, f"a box reaches {right:.0f}px on a {page.width:.0f}px page"


def test_receipts_per_client_are_limited(submit, settings):
    settings.COMPLAINT_RECEIPT_RATE = (2, 600)
    c = submit()
    client = Client()
    assert [receipt(client, c).status_code for _ in range(3)] == [200, 200, 429]
    refused = receipt(client, c)
    assert "Terlalu banyak unduhan tanda terima" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0


@pytest.mark.parametrize("language", ["id", "en"])
def test_receipt_is_a_tagged_pdf_in_the_readers_language(submit, language):
    """PDF/UA: a screen reader gets the structure, the language and the QR code's alternative text."""
    c = submit()
    pdf = pikepdf.open(io.BytesIO(receipt(client_in(language), c).content))
    assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == language
    assert c.tracking_code in str(pdf.open_metadata().get("dc:title", ""))
