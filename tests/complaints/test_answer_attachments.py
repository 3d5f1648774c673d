"""An answer's attachments (the official answer letter, a photo of the repair): the unit attaches them on
the case page or through the API; they are checked, cleaned and encrypted like evidence; the holder of the
tracking code downloads them from the tracking page or the API — and only them, never the complainant's
own evidence; the e-mail says they are there without carrying them."""

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from amanah.complaints import services
from amanah.complaints.models import Complaint, ComplaintEvent, Evidence
from amanah.core import audit
from amanah.core.models import AuditEntry, StoredFile

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


def letter_pdf() -> bytes:
    """A real PDF with an author, a producer and XMP metadata naming the officer who wrote it."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = "Budi Kabid Dafduk"
    pdf.docinfo["/Producer"] = "KantorSuite 7"
    with pdf.open_metadata() as meta:
        meta["dc:creator"] = ["Budi Kabid Dafduk"]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _upload(name, data, content_type):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _staff(user):
    client = Client()
    client.force_login(user)
    return client


def _answer_on_page(users, c, files, text="Surat jawaban terlampir."):
    return _staff(users[("unit", "a")]).post(
        f"/pengaduan/staf/AMN-{c.pk}/",
        {"action": "answer", "text": text, "attachments": files},
    )


def test_the_unit_attaches_its_letter_and_the_complainant_downloads_it_cleaned(users, submit, walk):
    c = walk(submit(), "diproses")
    r = _answer_on_page(
        users,
        c,
        [
            _upload("Surat Jawaban untuk Siti Aminah.pdf", letter_pdf(), "application/pdf"),
            _upload("foto-perbaikan.jpg", jpeg_with_gps(), "image/jpeg"),
        ],
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == "dijawab"
    answer = ComplaintEvent.objects.get(complaint=c, kind="jawaban")
    shared = list(Evidence.objects.filter(complaint=c).select_related("file").order_by("pk"))
    assert len(shared) == 2
    assert all(e.shared and not e.added_by_citizen and e.event_id == answer.pk for e in shared)
    # Neutral names (the letter's own name named the complainant), encrypted at rest.
    assert [e.file.filename[:9] for e in shared] == ["lampiran-", "lampiran-"]
    assert all(e.file.encrypted for e in shared)
    raw = shared[0].file.file.open("rb").read()
    assert b"%PDF" not in raw[:16] and b"Budi Kabid" not in raw

    page = Client().get(f"/pengaduan/lacak/{c.tracking_code}/").content.decode()
    links = [f"/pengaduan/lacak/{c.tracking_code}/lampiran/{e.pk}/" for e in shared]
    assert all(link in page for link in links)
    assert "Siti Aminah.pdf" not in page

    pdf = Client().get(links[0])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf["X-Content-Type-Options"] == "nosniff" and "no-store" in pdf["Cache-Control"]
    with pikepdf.open(io.BytesIO(pdf.content)) as doc:
        assert "/Author" not in doc.docinfo and "/Metadata" not in doc.Root
    photo = Client().get(links[1])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    exif = Image.open(io.BytesIO(photo.content)).getexif()
    assert 0x8825 not in exif and 0x013B not in exif  # no GPS, no author
    # Each download is in the audit chain (by the public: nobody is named), and the chain holds.
    opened = AuditEntry.objects.filter(action="complaints.attachment_opened")
    assert opened.count() == 2
    assert audit.verify().ok


def test_the_complainants_own_evidence_is_not_handed_out_by_tracking_code(users, submit, walk):
    """A receipt or a tracking link that leaks must not hand out the photo of someone's KTP."""
    c = submit(evidence=services.clean_files([_upload("ktp.jpg", jpeg_with_gps(), "image/jpeg")]))
    own = c.evidence.get()
    c = walk(c, "diproses")
    services.answer(
        users[("unit", "a")],
        c,
        text="Terlampir.",
        attachments=services.clean_attachments([_upload("s.txt", b"surat", "text/plain")]),
    )
    for path in (
        f"/pengaduan/lacak/{c.tracking_code}/lampiran/{own.pk}/",
        f"/api/v1/complaints/{c.tracking_code}/attachments/{own.pk}",
    ):
        assert Client().get(path).status_code == 404
    page = Client().get(f"/pengaduan/lacak/{c.tracking_code}/").content.decode()
    assert f"/lampiran/{own.pk}/" not in page
    # Another case's attachment is not reachable through this case's code either.
    other = walk(submit(title="Antrean loket"), "diproses")
    services.answer(
        users[("unit", "a")],
        other,
        text="Terlampir.",
        attachments=services.clean_attachments([_upload("t.txt", b"lain", "text/plain")]),
    )
    foreign = Evidence.objects.get(complaint=other, shared=True)
    assert (
        Client().get(f"/pengaduan/lacak/{c.tracking_code}/lampiran/{foreign.pk}/").status_code
        == 404
    )


def test_a_wrong_code_counts_as_a_guess_and_downloads_are_rate_limited(
    settings, users, submit, walk
):
    settings.COMPLAINT_TRACK_RATE = (2, 600)
    settings.COMPLAINT_ATTACHMENT_RATE = (2, 600)
    c = walk(submit(), "diproses")
    services.answer(
        users[("unit", "a")],
        c,
        text="Terlampir.",
        attachments=services.clean_attachments([_upload("s.txt", b"surat", "text/plain")]),
    )
    ev = Evidence.objects.get(complaint=c, shared=True)
    url = f"/pengaduan/lacak/{c.tracking_code}/lampiran/{ev.pk}/"
    client = Client()
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    r = client.get(url)
    assert r.status_code == 429 and "Terlalu banyak unduhan lampiran" in r.content.decode()
    # Wrong codes are counted with the tracking page's guesses: after the limit even a right one waits.
    guesser = Client(REMOTE_ADDR="10.9.9.9")
    bad = f"/pengaduan/lacak/ZZZZ-ZZZZ-ZZZZ-ZZZZ/lampiran/{ev.pk}/"
    assert [guesser.get(bad).status_code for _ in range(2)] == [404, 404]
    assert guesser.get(url).status_code == 429


def test_a_refused_attachment_keeps_the_answer_typed_and_saves_nothing(users, submit, walk):
    c = walk(submit(), "diproses")
    typed = "Jawaban panjang yang sudah diketik petugas dengan hati-hati."
    r = _answer_on_page(
        users, c, [_upload("surat.pdf", b"MZ\x90\x00 bukan pdf", "application/pdf")], text=typed
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert typed in html  # the text is handed back in the form
    assert 'id="answer_attachments"' in html and "surat.pdf" in html  # the error names the file
    c.refresh_from_db()
    assert c.status == "diproses"
    assert not Evidence.objects.filter(complaint=c).exists()
    assert not ComplaintEvent.objects.filter(complaint=c, kind="jawaban").exists()


def test_too_many_attachments_are_refused_with_a_specific_error(settings, users, submit, walk):
    settings.UPLOAD_MAX_FILES = 1
    c = walk(submit(), "diproses")
    files = [_upload(f"{i}.txt", b"isi", "text/plain") for i in range(2)]
    with pytest.raises(services.ComplaintError) as exc:
        services.clean_attachments(files)
    assert exc.value.code == "too_many_files" and exc.value.field == "attachments"
    assert "lampiran" in exc.value.text
    r = _answer_on_page(users, c, [_upload(f"{i}.txt", b"isi", "text/plain") for i in range(2)])
    assert r.status_code == 400 and "Paling banyak 1 berkas lampiran" in r.content.decode()


def test_stored_files_of_a_failed_answer_are_removed(users, submit, walk):
    """The answer is refused after the files were stored (the case is not in progress): nothing stays."""
    c = walk(submit(), "diteruskan")
    before = StoredFile.objects.count()
    clean = services.clean_attachments([_upload("s.txt", b"surat", "text/plain")])
    with pytest.raises(Exception):  # noqa: B017 - the transition error of the table
        services.answer(users[("operator", "a")], c, text="Terlampir.", attachments=clean)
    assert StoredFile.objects.count() == before


def test_api_answer_with_attachments_and_public_download(users, submit, walk, api, api_as):
    c = walk(submit(), "diproses")
    unit = api_as(users[("unit", "a")])
    r = unit.post(
        f"/api/v1/staff/complaints/{c.tracking_code}/answer",
        {
            "text": "Surat jawaban terlampir.",
            "attachments": [_upload("jawaban.pdf", letter_pdf(), "application/pdf")],
        },
        multipart=True,
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "dijawab"
    (ev,) = [e for e in body["evidence"] if e["shared_with_complainant"]]
    assert ev["from_complainant"] is False and ev["content_type"] == "application/pdf"
    answer = [e for e in body["events"] if e["kind"] == "jawaban"][0]
    assert [a["id"] for a in answer["attachments"]] == [ev["id"]]

    public = api.get(f"/api/v1/complaints/{c.tracking_code}").json()
    listed = public["answers"][0]["attachments"]
    assert [(a["id"], a["content_type"], a["size"]) for a in listed] == [
        (ev["id"], "application/pdf", ev["size"])
    ]
    got = api.get(f"/api/v1/complaints/{c.tracking_code}/attachments/{ev['id']}")
    assert got.status_code == 200 and got.content.startswith(b"%PDF")
    assert got["Content-Disposition"].startswith("attachment;")
    missing = api.get(f"/api/v1/complaints/{c.tracking_code}/attachments/{ev['id'] + 999}")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_api_answer_refuses_a_lying_file_with_the_field_and_saves_nothing(
    users, submit, walk, api_as
):
    c = walk(submit(), "diproses")
    r = api_as(users[("unit", "a")]).post(
        f"/api/v1/staff/complaints/{c.tracking_code}/answer",
        {
            "text": "Terlampir.",
            "attachments": [_upload("foto.jpg", b"<html>x</html>", "image/jpeg")],
        },
        multipart=True,
    )
    assert r.status_code == 422
    assert "attachments" in r.json()["fields"]
    c.refresh_from_db()
    assert c.status == "diproses" and not c.evidence.exists()


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"text": 5}, "text"),
        ({"text": "", "template": "x"}, "template"),
        ({"template": True}, "template"),
    ],
)
def test_api_answer_checks_its_json_fields(users, submit, walk, api_as, payload, field):
    c = walk(submit(), "diproses")
    r = api_as(users[("unit", "a")]).post(
        f"/api/v1/staff/complaints/{c.tracking_code}/answer", payload
    )
    assert r.status_code == 422 and field in r.json()["fields"]


def test_api_answer_by_template_still_works_as_json_and_as_form_fields(
    org, users, submit, walk, api_as
):
    from amanah.complaints.models import AnswerTemplate

    t = AnswerTemplate.objects.create(
        agency=org["a"]["agency"], title="Siap", body="KTP-el siap diambil."
    )
    for multipart in (False, True):
        c = walk(submit(title=f"Kasus {multipart}"), "diproses")
        r = api_as(users[("unit", "a")]).post(
            f"/api/v1/staff/complaints/{c.tracking_code}/answer",
            {"text": "", "template": str(t.pk) if multipart else t.pk},
            multipart=multipart,
        )
        assert r.status_code == 200, r.content
        assert Complaint.objects.get(pk=c.pk).events.filter(text="KTP-el siap diambil.").exists()


def test_the_mail_says_there_are_attachments_without_carrying_them(
    smtp, users, submit, walk, django_capture_on_commit_callbacks
):
    c = walk(submit(), "diproses")
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(
            users[("unit", "a")],
            c,
            text="Surat jawaban terlampir.",
            attachments=services.clean_attachments(
                [_upload("j.pdf", letter_pdf(), "application/pdf")]
            ),
        )
    (mail,) = [m for m in smtp.to("siti@example.id") if "dijawab" in m["subject"]]
    assert "disertai 1 lampiran" in mail["body"] and c.tracking_code in mail["body"]
    assert "%PDF" not in mail["raw"] and "multipart" not in mail["raw"].lower()


def test_attachments_stay_off_the_published_list_and_open311(users, submit, walk, api):
    c = walk(submit(publish=True), "diproses")
    services.answer(
        users[("unit", "a")],
        c,
        text="Terlampir.",
        attachments=services.clean_attachments([_upload("s.txt", b"surat", "text/plain")]),
    )
    services.set_publication(users[("pengelola", "a")], c, approve=True)
    ev = Evidence.objects.get(complaint=c, shared=True)
    for path in ("/pengaduan/publik/", "/api/v1/complaints/published"):
        text = Client().get(path).content.decode()
        assert c.title in text and "lampiran" not in text.lower()
        assert f"/lampiran/{ev.pk}/" not in text and f"/attachments/{ev.pk}" not in text
    open311 = Client().get("/open311/v2/requests.json").content.decode()
    assert "lampiran-" not in open311


@pytest.mark.parametrize("how", ["json", "form", "part_without_filename"])
def test_attachments_sent_as_text_are_refused_not_silently_dropped(
    users, submit, walk, api_as, how
):
    """An answer that went out without its letter could not be mended: an answered case takes no
    second answer. A name or a link where the file belongs is refused instead."""
    from django.test import Client as RawClient
    from django.test.client import encode_multipart

    c = walk(submit(), "diproses")
    path = f"/api/v1/staff/complaints/{c.tracking_code}/answer"
    unit = api_as(users[("unit", "a")])
    if how == "json":
        r = unit.post(path, {"text": "Terlampir.", "attachments": "surat.pdf"})
    elif how == "form":
        r = unit.post(path, {"text": "Terlampir.", "attachments": "surat.pdf"}, multipart=True)
    else:
        body = encode_multipart("B", {"text": "Terlampir."}).replace(
            b"--B--",
            b'--B\r\nContent-Disposition: form-data; name="attachments"\r\n\r\n%PDF-1.4\r\n--B--',
        )
        r = RawClient().post(
            path,
            body,
            content_type="multipart/form-data; boundary=B",
            headers={"Authorization": f"Bearer {unit.token}"},
        )
    assert r.status_code == 422, r.content
    assert "attachments" in r.json()["fields"]
    c.refresh_from_db()
    assert c.status == "diproses"


def test_the_staff_page_asks_to_choose_the_files_again_when_another_field_failed(
    users, submit, walk
):
    c = walk(submit(), "diproses")
    r = _answer_on_page(
        users, c, [_upload("surat.pdf", letter_pdf(), "application/pdf")], text="x" * 5001
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "pilih kembali berkas lampiran" in html
    assert not Evidence.objects.filter(complaint=c).exists()


def test_too_many_files_for_django_name_the_attachments_of_an_answer(
    settings, users, submit, walk, api_as
):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    c = walk(submit(), "diproses")
    r = api_as(users[("unit", "a")]).post(
        f"/api/v1/staff/complaints/{c.tracking_code}/answer",
        {"text": "x", "attachments": [_upload(f"{i}.txt", b"a", "text/plain") for i in range(4)]},
        multipart=True,
    )
    assert r.status_code == 422 and r.json()["error"] == "too_many_files"
    assert r.json()["fields"] == {"attachments": r.json()["message"]}
    assert "lampiran" in r.json()["message"]


def test_the_download_operation_has_one_200_answer_in_openapi(api):
    raw = api.get("/api/v1/openapi.json").content.decode()
    import json

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    schema = json.loads(raw, object_pairs_hook=no_duplicates)
    op = schema["paths"]["/api/v1/complaints/{tracking_code}/attachments/{attachment_id}"]["get"]
    assert "200" in op["responses"]


def test_a_transfer_takes_the_complaints_evidence_but_not_the_first_agencys_letters(
    users, org, submit, walk
):
    c = submit(evidence=services.clean_files([_upload("ktp.txt", b"bukti", "text/plain")]))
    c = walk(c, "diproses")
    services.answer(
        users[("unit", "a")],
        c,
        text="Terlampir.",
        attachments=services.clean_attachments([_upload("s.txt", b"surat", "text/plain")]),
    )
    services.dispute(Complaint.objects.get(pk=c.pk), reason="Bukan wewenang instansi ini.")
    services.reassign_unit(
        users[("pengelola", "a")], Complaint.objects.get(pk=c.pk), unit=org["a"]["dinas"]
    )
    services.transfer(
        users[("pengelola", "a")], Complaint.objects.get(pk=c.pk), agency=org["b"]["agency"]
    )
    new = Complaint.objects.get(transferred_from=c)
    copied = list(new.evidence.select_related("file"))
    assert [e.file.filename[:6] for e in copied] == ["bukti-"]
