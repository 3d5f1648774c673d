"""The public downloads by tracking code — the receipt and an answer's attachments, on the pages and through
the API. Browsers, download managers and link checkers ask with HEAD first: HEAD is answered as GET is
(status and headers) without a body, is not audited as a download, and counts like GET against the guess
throttle and the download limits, so that it is no free oracle for guessing codes. The API documents
the refusals it really sends, with the error body it sends."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amanah.complaints import services
from amanah.complaints.models import Evidence
from amanah.core.models import AuditEntry

from .served import DOWNLOAD_HEADERS, served

pytestmark = pytest.mark.django_db

WRONG = "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
LETTER = b"Surat jawaban Dinas: KTP-el Anda sudah dicetak."


@pytest.fixture
def answered(users, submit, walk):
    """A case answered with one attachment: ``(case, the attachment, the complainant's own evidence)``."""
    upload = SimpleUploadedFile("ktp.txt", b"bukti pengadu", content_type="text/plain")
    c = walk(submit(evidence=services.clean_files([upload])), "diproses")
    own = c.evidence.get()
    services.answer(
        users[("unit", "a")],
        c,
        text="Terlampir.",
        attachments=services.clean_attachments(
            [SimpleUploadedFile("surat.txt", LETTER, content_type="text/plain")]
        ),
    )
    return c, Evidence.objects.get(complaint=c, shared=True), own


def paths(c, attachment_id):
    return {
        "receipt": f"/pengaduan/lacak/{c.tracking_code}/tanda-terima.pdf",
        "attachment": f"/pengaduan/lacak/{c.tracking_code}/lampiran/{attachment_id}/",
        "api": f"/api/v1/complaints/{c.tracking_code}/attachments/{attachment_id}",
    }


def opened():
    return AuditEntry.objects.filter(action="complaints.attachment_opened").count()


@pytest.mark.parametrize("kind", ["receipt", "attachment", "api"])
def test_head_answers_as_get_without_a_body_and_is_not_audited(answered, kind):
    c, ev, _own = answered
    path = paths(c, ev.pk)[kind]
    before = opened()
    head = served("HEAD", path)
    assert opened() == before  # a HEAD downloads nothing
    get = served("GET", path)
    assert opened() == before + (kind != "receipt")  # a GET of an attachment is recorded
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and get.content
    assert {h: head.get(h) for h in DOWNLOAD_HEADERS} == {h: get.get(h) for h in DOWNLOAD_HEADERS}
    assert head["Content-Length"] == str(len(get.content))
    assert head["X-Content-Type-Options"] == "nosniff" and "no-store" in head["Cache-Control"]
    if kind == "receipt":
        assert head["Content-Type"] == "application/pdf"
        assert head["Content-Disposition"].startswith("inline;")
    else:
        assert get.content == LETTER
        assert head["Content-Type"].startswith("text/plain")
        assert head["Content-Disposition"].startswith("attachment;")
    # Through the test client as well (what a browser gets), and POST is still refused.
    assert Client().head(path).status_code == 200
    assert Client().post(path).status_code == 405


@pytest.mark.parametrize("kind", ["receipt", "attachment", "api"])
def test_a_wrong_code_sent_by_head_counts_as_a_guess(settings, answered, kind):
    """Otherwise HEAD would be a free oracle: guess codes until one answers 200."""
    settings.COMPLAINT_TRACK_RATE = (2, 600)
    c, ev, _own = answered
    right = paths(c, ev.pk)[kind]
    wrong = right.replace(c.tracking_code, WRONG)
    guesses = [served("HEAD", wrong, ip="10.9.9.9") for _ in range(2)]
    assert [r.status_code for r in guesses] == [404, 404]
    assert all(r.content == b"" for r in guesses)
    # The guesses are used up: the right code is refused now, by HEAD and by GET alike.
    refused = served("HEAD", right, ip="10.9.9.9")
    assert refused.status_code == 429 and refused.content == b"" and refused["Retry-After"]
    assert served("GET", right, ip="10.9.9.9").status_code == 429
    assert served("GET", right, ip="10.1.1.1").status_code == 200  # another client is not


@pytest.mark.parametrize("kind", ["receipt", "attachment", "api"])
def test_head_counts_against_the_download_limit_as_get_does(settings, answered, kind):
    settings.COMPLAINT_RECEIPT_RATE = (2, 600)
    settings.COMPLAINT_ATTACHMENT_RATE = (2, 600)
    c, ev, _own = answered
    path = paths(c, ev.pk)[kind]
    assert [served("HEAD", path).status_code for _ in range(2)] == [200, 200]
    assert served("GET", path).status_code == 429
    assert served("HEAD", path).status_code == 429
    assert opened() == 0


@pytest.mark.parametrize("kind", ["attachment", "api"])
def test_head_of_the_complainants_own_evidence_is_not_found(answered, kind):
    c, _ev, own = answered
    r = served("HEAD", paths(c, own.pk)[kind])
    assert r.status_code == 404 and r.content == b""
    assert served("GET", paths(c, own.pk)[kind]).status_code == 404
    assert opened() == 0


# --- The API's documentation of its refusals --------------------------------------------------------

TRACK = "/api/v1/complaints/{tracking_code}"
ATTACHMENT = "/api/v1/complaints/{tracking_code}/attachments/{attachment_id}"
# 400: a NUL character in the query string is refused before any operation runs (every operation declares it).
DOCUMENTED = {
    TRACK: {"200", "400", "404", "429"},
    ATTACHMENT: {"200", "400", "404", "422", "429"},
}


def error_schema(schema: dict, op: dict, status: str) -> dict:
    ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def conforms(body, schema: dict) -> bool:
    """Whether ``body`` is what ``schema`` (the error object: strings and a string map) describes."""
    props = schema["properties"]
    if not isinstance(body, dict) or not set(schema["required"]) <= set(body) <= set(props):
        return False
    for key, value in body.items():
        if props[key]["type"] == "string" and not isinstance(value, str):
            return False
        if props[key]["type"] == "object" and not (
            isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        ):
            return False
    return True


def test_the_schema_documents_the_refusals_of_public_tracking_and_downloads(api):
    schema = api.get("/api/v1/openapi.json").json()
    for path, statuses in DOCUMENTED.items():
        op = schema["paths"][path]["get"]
        assert set(op["responses"]) == statuses, path
        for status in statuses - {"200"}:
            assert op["responses"][status]["description"] not in (
                "Not Found",
                "Unknown Status Code",
            )
            error = error_schema(schema, op, status)
            # The shared error body; `rows` only comes with a refused spreadsheet import.
            assert set(error["properties"]) == {"error", "message", "fields", "rows"}
            assert set(error["required"]) == {"error", "message"}
            assert set(error["required"]) == {"error", "message"}
        assert "Retry-After" in op["responses"]["429"]["headers"]


def _sample(kind: str) -> tuple[str, bytes, str]:
    """A small real file of each kind an officer may attach: ``(name, bytes, declared type)``."""
    import io

    if kind == "PDF":
        import pikepdf

        pdf, out = pikepdf.new(), io.BytesIO()
        pdf.add_blank_page()
        pdf.save(out)
        return "surat.pdf", out.getvalue(), "application/pdf"
    if kind == "TXT":
        return "surat.txt", LETTER, "text/plain"
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (20, 120, 60)).save(out, format=kind)
    return f"foto.{kind.lower()}", out.getvalue(), f"image/{kind.lower()}"


def test_the_declared_types_of_an_attachment_cover_every_type_it_is_served_in(
    settings, users, submit, walk, api
):
    """The document names the types an attachment is really served in (as the staff evidence download
    does), not ``application/octet-stream``: one attachment of every kind an answer accepts, each served
    by GET and HEAD in a type the document declares for that answer."""
    settings.UPLOAD_MAX_FILES = 10
    settings.COMPLAINT_ATTACHMENT_RATE = (100, 600)
    c = walk(submit(), "diproses")
    uploads = [
        SimpleUploadedFile(name, data, content_type=ctype)
        for name, data, ctype in map(_sample, ("TXT", "PDF", "JPEG", "PNG", "WEBP"))
    ]
    services.answer(
        users[("unit", "a")],
        c,
        text="Terlampir.",
        attachments=services.clean_attachments(uploads),
    )
    declared = set(
        api.get("/api/v1/openapi.json").json()["paths"][ATTACHMENT]["get"]["responses"]["200"][
            "content"
        ]
    )
    served_types = set()
    for ev in Evidence.objects.filter(complaint=c, shared=True):
        path = paths(c, ev.pk)["api"]
        for method in ("GET", "HEAD"):
            r = served(method, path)
            assert r.status_code == 200, (path, method)
            served_types.add(r["Content-Type"].split(";")[0].strip())
    assert len(served_types) == len(uploads)  # each kind served in its own type
    assert served_types <= declared, served_types - declared
    assert "application/octet-stream" not in declared


def test_the_public_operations_answer_the_documented_refusals_with_the_documented_body(
    settings, answered, api
):
    settings.COMPLAINT_TRACK_RATE = (2, 600)
    settings.COMPLAINT_ATTACHMENT_RATE = (1, 600)
    schema = api.get("/api/v1/openapi.json").json()
    c, ev, own = answered
    track = f"/api/v1/complaints/{c.tracking_code}"
    attachment = f"{track}/attachments/{ev.pk}"

    def check(path, status, code, operation):
        r = api.get(path)
        op = schema["paths"][operation]["get"]
        assert r.status_code == status, (path, r.content)
        assert str(status) in op["responses"]
        assert r["Content-Type"].startswith("application/json")
        assert conforms(r.json(), error_schema(schema, op, str(status))), r.json()
        assert r.json()["error"] == code
        return r

    assert api.get(attachment).status_code == 200
    check(attachment, 429, "throttled", ATTACHMENT)  # over the download limit
    settings.COMPLAINT_ATTACHMENT_RATE = (10, 600)
    check(f"{track}/attachments/{own.pk}", 404, "not_found", ATTACHMENT)
    bad = check(f"{track}/attachments/abc", 422, "invalid_input", ATTACHMENT)
    assert "attachment_id" in bad.json()["fields"]
    check(f"/api/v1/complaints/{WRONG}", 404, "not_found", TRACK)
    check(f"/api/v1/complaints/{WRONG}/attachments/{ev.pk}", 404, "not_found", ATTACHMENT)
    throttled = check(track, 429, "throttled", TRACK)  # the two guesses are used up
    assert int(throttled["Retry-After"]) >= 1
    check(attachment, 429, "throttled", ATTACHMENT)
