"""Input sent in the wrong shape, which used to be taken quietly: evidence sent as text instead of a
file, a reply refused after a file was chosen, an agency that does not match the service, and a yes/no
where a rating belongs. Each is refused with a specific error, and nothing the person chose is lost."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY

from amanah.complaints import services
from amanah.complaints.models import Complaint

from .conftest import BASE, jpeg_with_gps

pytestmark = pytest.mark.django_db


def _multipart(fields: dict, raw_parts: list[str]) -> bytes:
    parts = [
        f'Content-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()
    ] + raw_parts
    return ("".join(f"--{BOUNDARY}\r\n{part}" for part in parts) + f"--{BOUNDARY}--\r\n").encode(
        "latin-1"
    )


@pytest.mark.parametrize("evidence", ["https://contoh.id/foto.jpg", "foto.jpg"])
def test_evidence_sent_as_text_refuses_the_complaint(api, org, evidence):
    """A link or a file name where a file belongs: the complaint would be filed without the photo."""
    r = api.post("/api/v1/complaints", dict(BASE, service="kab-a-ktp", evidence=evidence))
    assert r.status_code == 422
    assert set(r.json()["fields"]) == {"evidence"}
    assert not Complaint.objects.exists()


def test_a_multipart_evidence_part_without_a_file_name_is_refused(org):
    """A part without ``filename=`` is a text field to the server: easy to send by mistake from a script."""
    body = _multipart(
        dict(BASE, service="kab-a-ktp"),
        [
            'Content-Disposition: form-data; name="evidence"\r\nContent-Type: image/jpeg\r\n\r\n'
            "\xff\xd8\xff\xe0 data\r\n"
        ],
    )
    r = Client().post(
        "/api/v1/complaints", body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    assert r.status_code == 422 and "evidence" in r.json()["fields"]
    assert not Complaint.objects.exists()


def test_assisted_intake_refuses_evidence_sent_as_text(api_as, users, org):
    r = api_as(users[("pengelola", "a")]).post(
        "/api/v1/staff/complaints",
        dict(BASE, service="kab-a-ktp", channel="surat", evidence="surat.pdf"),
    )
    assert r.status_code == 422 and "evidence" in r.json()["fields"]
    assert not Complaint.objects.exists()


def test_a_reply_with_evidence_sent_as_text_is_refused_and_not_stored(api, org, submit):
    c = submit()
    r = api.post(
        f"/api/v1/complaints/{c.tracking_code}/replies",
        {"text": "Foto terlampir", "evidence": "foto.jpg"},
    )
    assert r.status_code == 422 and r.json()["fields"] == {"evidence": r.json()["message"]}
    assert "sebagai berkas" in r.json()["message"]
    assert not c.events.filter(action="reply").exists()


@pytest.mark.parametrize("text", ["Foto <b>terlampir</b>", "x" * 5001])
def test_a_refused_reply_asks_for_the_chosen_file_again(org, submit, text):
    """The browser does not send a file back: the page keeps the text and asks for the file again, at
    the file field, or the corrected reply would go without it."""
    c = submit()
    r = Client().post(
        f"/pengaduan/lacak/{c.tracking_code}/",
        {
            "action": "reply",
            "text": text,
            "evidence": SimpleUploadedFile("bukti.jpg", jpeg_with_gps(), content_type="image/jpeg"),
        },
    )
    page = html.unescape(r.content.decode())
    assert r.status_code == 400 and text[:20] in page
    field = re.search(r'<input type="file" id="id_reply_evidence"[^>]*>', page).group(0)
    assert 'aria-describedby="id_reply_evidence_error"' in field
    error = re.search(r'id="id_reply_evidence_error"><p>([^<]*)', page).group(1)
    assert "pilih kembali berkas bukti" in error
    # Without a file nothing is asked for again.
    r = Client().post(f"/pengaduan/lacak/{c.tracking_code}/", {"action": "reply", "text": text})
    assert r.status_code == 400 and "id_reply_evidence_error" not in r.content.decode()


def test_an_agency_that_does_not_match_the_service_stays_chosen(org):
    r = Client().post(
        "/pengaduan/", dict(BASE, service="kab-a-ktp", agency="kab-b", kind="pengaduan")
    )
    page = r.content.decode()
    assert r.status_code == 400 and "bukan layanan instansi yang dipilih" in page
    options = re.search(r'<select[^>]*name="agency"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.search(r'<option value="kab-b"[^>]*selected', options)


@pytest.mark.parametrize("path", ["rating", "confirm"])
def test_a_yes_is_not_a_rating(api, org, submit, walk, path):
    """JSON ``true`` would count as 1, the worst score, on the unit's record, and a case is rated once."""
    c = walk(submit(), "dijawab")
    if path == "rating":
        services.confirm(c)
    r = api.post(f"/api/v1/complaints/{c.tracking_code}/{path}", {"rating": True})
    c.refresh_from_db()
    assert r.status_code == 422 and c.rating is None
    assert "rating" in r.json()["fields"]
    # A number sent as text is still a number.
    r = api.post(f"/api/v1/complaints/{c.tracking_code}/{path}", {"rating": "4"})
    c.refresh_from_db()
    assert r.status_code == 200 and c.rating == 4


def _browser_form(fields: dict, empty_file_fields: list[str]) -> bytes:
    """A form as a browser sends it: a file field left empty is a part with an empty file name."""
    return _multipart(
        fields,
        [
            f'Content-Disposition: form-data; name="{name}"; filename=""\r\n'
            "Content-Type: application/octet-stream\r\n\r\n\r\n"
            for name in empty_file_fields
        ],
    )


def test_a_complaint_without_a_file_is_filed_from_a_browser(org, users):
    """The evidence field is optional: left empty it arrives as a part with no file name and no text,
    which is no evidence sent as text. (The test client never sends such a part; browsers always do.)"""
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    body = _browser_form(dict(BASE, service="kab-a-ktp", kind="pengaduan"), ["evidence"])
    r = Client().post("/pengaduan/", body, content_type=content_type)
    assert r.status_code == 302 and Complaint.objects.count() == 1
    r = Client().post("/api/v1/complaints", body, content_type=content_type)
    assert r.status_code == 201 and Complaint.objects.count() == 2
    staff = Client()
    staff.force_login(users[("operator", "a")])
    walk_in = dict(BASE, service="kab-a-ktp", kind="pengaduan", channel="datang_langsung")
    r = staff.post(
        "/pengaduan/staf/baru/", _browser_form(walk_in, ["evidence"]), content_type=content_type
    )
    assert r.status_code == 302 and Complaint.objects.count() == 3
    c = Complaint.objects.first()
    r = Client().post(
        f"/api/v1/complaints/{c.tracking_code}/replies",
        _browser_form({"text": "Tambahan"}, ["evidence"]),
        content_type=content_type,
    )
    assert r.status_code == 201


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("budi.gmail.com", "Alamat email tidak valid. Contoh yang benar: nama@contoh.id"),
        ("b\u00fcdi@contoh.id", "Bagian sebelum @ hanya boleh huruf Latin tanpa aksen."),
        (
            '"budi\x01"@contoh.id',
            "Alamat email memuat karakter tak terlihat. Ketik ulang alamatnya.",
        ),
    ],
    ids=["no-at", "accent", "control"],
)
def test_each_mistake_in_an_email_address_gets_one_message_saying_how_to_fix_it(
    org, email, message
):
    from amanah.complaints.forms import IntakeForm

    form = IntakeForm(dict(BASE, service="kab-a-ktp", email=email), agency_choices=None)
    assert not form.is_valid()
    assert form.errors["email"] == [message]
