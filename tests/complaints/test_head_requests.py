"""HEAD on the public tracking page, on ``GET /api/v1/complaints/{code}`` and on the staff evidence
download: answered as GET is (status and headers) without a body, never audited, and - by tracking code -
counted like GET against the guess throttle, so that HEAD is no free oracle for guessing codes. The staff
evidence download answers GET and HEAD only."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amanah.complaints import services
from amanah.core.models import AuditEntry

from .conftest import BASE
from .served import DOWNLOAD_HEADERS, served

pytestmark = pytest.mark.django_db

WRONG = "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
PAGE_HEADERS = ("Content-Type", "Content-Length", "Cache-Control", "Content-Language")


def audited() -> int:
    return AuditEntry.objects.count()


def tracking_paths(code: str) -> dict[str, str]:
    return {"page": f"/pengaduan/lacak/{code}/", "api": f"/api/v1/complaints/{code}"}


@pytest.mark.parametrize("kind", ["page", "api"])
def test_head_of_a_tracked_case_answers_as_get_without_a_body(submit, walk, kind):
    c = walk(submit(), "dijawab")
    path = tracking_paths(c.tracking_code)[kind]
    before = audited()
    head = served("HEAD", path)
    get = served("GET", path)
    assert audited() == before  # reading a case by its code is never audited, HEAD or GET
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and get.content
    assert {h: head.get(h) for h in PAGE_HEADERS} == {h: get.get(h) for h in PAGE_HEADERS}
    assert head["Content-Length"] == str(len(get.content))
    if kind == "page":
        assert head["Content-Type"].startswith("text/html") and "no-store" in head["Cache-Control"]
        assert c.tracking_code in get.content.decode()
    else:
        assert head["Content-Type"].startswith("application/json")
        assert json.loads(get.content)["tracking_code"] == c.tracking_code
    # Through the test client as well (what a browser gets); other methods are still refused.
    assert Client().head(path).status_code == 200
    assert Client().put(path).status_code == 405
    assert Client().delete(path).status_code == 405


@pytest.mark.parametrize("kind", ["page", "api"])
def test_a_wrong_code_sent_by_head_counts_as_a_guess(settings, submit, kind):
    """Otherwise HEAD would be a free oracle: guess codes until one answers 200."""
    settings.COMPLAINT_TRACK_RATE = (2, 600)
    c = submit()
    right, wrong = tracking_paths(c.tracking_code)[kind], tracking_paths(WRONG)[kind]
    guesses = [served("HEAD", wrong, ip="10.9.9.9") for _ in range(2)]
    assert [r.status_code for r in guesses] == [404, 404]
    assert all(r.content == b"" for r in guesses)
    # The guesses are used up: the right code is refused now, by HEAD and by GET alike.
    refused = served("HEAD", right, ip="10.9.9.9")
    assert (
        refused.status_code == 429 and refused.content == b"" and int(refused["Retry-After"]) >= 1
    )
    assert served("GET", right, ip="10.9.9.9").status_code == 429
    assert served("HEAD", right, ip="10.1.1.1").status_code == 200  # another client is not
    assert served("GET", right, ip="10.1.1.1").status_code == 200


def test_guesses_by_get_refuse_a_head_too(settings, submit):
    settings.COMPLAINT_TRACK_RATE = (1, 600)
    c = submit()
    assert served("GET", f"/pengaduan/lacak/{WRONG}/", ip="10.7.7.7").status_code == 404
    for path in tracking_paths(c.tracking_code).values():
        assert served("HEAD", path, ip="10.7.7.7").status_code == 429


def test_head_leaves_the_new_case_notice_for_the_page_itself(org):
    """Filing on the page leads to the tracking page, which greets the new case once: a HEAD before it
    (a browser's or an extension's) must not use up that greeting."""
    client = Client()
    form = dict(BASE, service="kab-a-ktp", agency="", kind="pengaduan")
    filed = client.post("/pengaduan/", form)
    assert filed.status_code == 302
    assert client.head(filed["Location"]).status_code == 200
    page = client.get(filed["Location"]).content.decode()
    assert "Pengaduan Anda sudah diterima" in page
    assert "Pengaduan Anda sudah diterima" not in client.get(filed["Location"]).content.decode()


# --- The staff evidence download ----------------------------------------------------------------


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _opened() -> int:
    return AuditEntry.objects.filter(action="complaints.evidence_opened").count()


@pytest.fixture
def evidence(submit):
    upload = SimpleUploadedFile("ktp.txt", b"bukti pengadu", content_type="text/plain")
    c = submit(identity_mode="rahasia", evidence=services.clean_files([upload]))
    return c, c.evidence.get()


def test_staff_evidence_head_answers_as_get_and_is_not_audited(users, evidence):
    c, ev = evidence
    path = f"/pengaduan/staf/AMN-{c.pk}/bukti/{ev.pk}/"
    operator = _signed_in(users[("operator", "a")])
    before = audited()
    head = served("HEAD", path, client=operator)
    assert audited() == before and _opened() == 0  # a HEAD downloads nothing
    get = served("GET", path, client=operator)
    assert _opened() == 1  # a GET is recorded
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and get.content == b"bukti pengadu"
    assert {h: head.get(h) for h in DOWNLOAD_HEADERS} == {h: get.get(h) for h in DOWNLOAD_HEADERS}
    assert head["Content-Length"] == str(len(get.content))
    assert operator.head(path).status_code == 200
    assert _opened() == 1


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_staff_evidence_answers_only_get_and_head(users, evidence, method):
    c, ev = evidence
    path = f"/pengaduan/staf/AMN-{c.pk}/bukti/{ev.pk}/"
    response = getattr(_signed_in(users[("operator", "a")]), method)(path)
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD"]
    assert _opened() == 0


def test_staff_evidence_head_refuses_as_get_does_without_a_body(users, evidence):
    c, ev = evidence
    path = f"/pengaduan/staf/AMN-{c.pk}/bukti/{ev.pk}/"
    # The unit's officer may not open a rahasia case's evidence before the case is forwarded to it.
    unit = _signed_in(users[("unit", "a")])
    for method in ("HEAD", "GET"):
        assert served(method, path, client=unit).status_code == 403
    assert served("HEAD", path, client=unit).content == b""
    # No such file, or a case of another agency.
    operator = _signed_in(users[("operator", "a")])
    missing = served("HEAD", f"/pengaduan/staf/AMN-{c.pk}/bukti/{ev.pk + 99}/", client=operator)
    assert missing.status_code == 404 and missing.content == b""
    other = _signed_in(users[("operator", "b")])
    assert served("HEAD", path, client=other).status_code == 404
    assert Client().head(path).status_code == 302  # signed out: to the sign-in page
    assert _opened() == 0


def test_the_staff_api_evidence_download_answers_head_as_get_without_a_body_or_audit(
    users, evidence
):
    from amanah.core import tokens

    c, ev = evidence
    path = f"/api/v1/staff/complaints/{c.tracking_code}/evidence/{ev.pk}"
    key = tokens.issue(users[("operator", "a")], "uji")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def send(method, p=path, headers=auth):
        return served(method, p, **headers)

    head, get = send("head"), send("get")
    assert head.status_code == get.status_code == 200 and _opened() == 1  # the GET only
    assert head.content == b"" and get.content == b"bukti pengadu"
    assert {h: head.get(h) for h in DOWNLOAD_HEADERS} == {h: get.get(h) for h in DOWNLOAD_HEADERS}
    missing = send("head", f"/api/v1/staff/complaints/{c.tracking_code}/evidence/{ev.pk + 99}")
    assert missing.status_code == 404 and missing.content == b""
    unit_key = tokens.issue(users[("unit", "a")], "uji")
    refused = send("head", headers={"HTTP_AUTHORIZATION": f"Bearer {unit_key}"})
    assert refused.status_code == 403 and refused.content == b""
    assert send("head", headers={}).status_code == 401
    assert _opened() == 1


def test_the_staff_receipt_answers_head_as_get_without_a_body(users, submit):
    c = submit()
    path = f"/pengaduan/staf/AMN-{c.pk}/tanda-terima.pdf"
    operator = _signed_in(users[("operator", "a")])
    head, get = served("HEAD", path, client=operator), served("GET", path, client=operator)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and get.content.startswith(b"%PDF")
    assert head["Content-Type"] == get["Content-Type"] == "application/pdf"
