"""The same submission sent twice files one complaint: the intake page's one-time token, the officer's
page, and the API's ``Idempotency-Key`` — also when both copies arrive at the same moment."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from amanah.complaints import services
from amanah.complaints.models import Channel, Complaint, ComplaintEvent, Evidence
from amanah.core import audit

from .conftest import BASE, jpeg_with_gps

pytestmark = pytest.mark.django_db


def form_data(**over):
    return dict(BASE, service="kab-a-ktp", agency="", kind="pengaduan", **over)


def token_of(page) -> str:
    match = re.search(rb'name="submission" value="([^"]+)"', page.content)
    assert match, "the intake page carries no submission token"
    return match.group(1).decode()


def test_intake_page_sent_twice_files_one_complaint(org):
    client = Client()
    token = token_of(client.get("/pengaduan/"))
    assert len(token) >= 22  # at least 128 bits from secrets.token_urlsafe
    first = client.post("/pengaduan/", form_data(submission=token))
    assert first.status_code == 302
    again = client.post("/pengaduan/", form_data(submission=token), follow=True)
    assert Complaint.objects.count() == 1
    c = Complaint.objects.get()
    assert first["Location"] == again.redirect_chain[0][0] == f"/pengaduan/lacak/{c.tracking_code}/"
    page = again.content.decode()
    assert "sudah terkirim sebelumnya" in page and c.tracking_code in page
    # Nothing of the second copy was written: one timeline step, one audit entry.
    assert ComplaintEvent.objects.filter(complaint=c).count() == 1
    result = audit.verify()
    assert result.ok and result.checked == 1


def test_each_page_view_gets_its_own_token(org):
    client = Client()
    one, two = token_of(client.get("/pengaduan/")), token_of(client.get("/pengaduan/"))
    assert one != two
    client.post("/pengaduan/", form_data(submission=one))
    client.post("/pengaduan/", form_data(submission=two, title="Pengaduan kedua"))
    assert Complaint.objects.count() == 2


def test_token_survives_a_refused_submission(org):
    """A form sent back with an error keeps its token, so the corrected copy is filed once."""
    client = Client()
    token = token_of(client.get("/pengaduan/"))
    refused = client.post("/pengaduan/", form_data(submission=token, title=""))
    assert refused.status_code == 400 and token_of(refused) == token
    assert Complaint.objects.count() == 0
    assert client.post("/pengaduan/", form_data(submission=token)).status_code == 302
    assert client.post("/pengaduan/", form_data(submission=token)).status_code == 302
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize("token", ["", "pendek", "x" * 65, "bukan token!" * 3])
def test_form_without_a_usable_token_still_files(org, token):
    """An old page or a tampered token loses the protection, not the complaint."""
    client = Client()
    for _ in range(2):
        assert client.post("/pengaduan/", form_data(submission=token)).status_code == 302
    assert Complaint.objects.count() == 2
    assert set(Complaint.objects.values_list("submission_key", flat=True)) == {""}


def test_stored_key_is_a_hash_of_token_and_content(org):
    client = Client()
    token = token_of(client.get("/pengaduan/"))
    client.post("/pengaduan/", form_data(submission=token))
    key = Complaint.objects.get().submission_key
    assert re.fullmatch(r"[0-9a-f]{64}", key) and token not in key
    assert key != services.submission_key("web", token)  # what was typed is part of it


def test_officer_page_sent_twice_records_one_complaint(org, users):
    officer = users[("operator", "a")]
    client = Client()
    client.force_login(officer)
    token = token_of(client.get("/pengaduan/staf/baru/"))
    data = form_data(channel="datang_langsung", submission=token)
    first = client.post("/pengaduan/staf/baru/", data)
    again = client.post("/pengaduan/staf/baru/", data, follow=True)
    c = Complaint.objects.get()
    assert first["Location"] == again.redirect_chain[0][0]
    assert "sudah tercatat sebelumnya" in again.content.decode()
    # The token binds to the officer who sent it: another officer's copy is their own record.
    other = Client()
    other.force_login(users[("pengelola", "a")])
    assert other.post("/pengaduan/staf/baru/", data).status_code == 302
    assert Complaint.objects.count() == 2 and c.entered_by == officer


def test_api_idempotency_key_replays_the_first_answer(api, org):
    headers = {"Idempotency-Key": "2f1c0a6e-4d1b-4b8e-9a57-5b0c3c9e7d10"}
    body = dict(BASE, service="kab-a-ktp")
    first = api.post("/api/v1/complaints", body, headers=headers)
    again = api.post("/api/v1/complaints", body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert "Idempotent-Replayed" not in first and again["Idempotent-Replayed"] == "true"
    assert Complaint.objects.count() == 1
    # A quoted key (the header's structured-field form) is the same key.
    quoted = {"Idempotency-Key": '"2f1c0a6e-4d1b-4b8e-9a57-5b0c3c9e7d10"'}
    assert api.post("/api/v1/complaints", body, headers=quoted).json() == first.json()
    # Without the header nothing is deduplicated.
    api.post("/api/v1/complaints", body)
    assert Complaint.objects.count() == 2


def test_api_key_reused_with_other_content_files_anew(api, org):
    """The key binds to what was sent: a client bug files a second complaint rather than losing one."""
    headers = {"Idempotency-Key": "b7d4c1e0-2f3a-4c5d-8e9f-0a1b2c3d4e5f"}
    one = api.post("/api/v1/complaints", dict(BASE, service="kab-a-ktp"), headers=headers)
    two = api.post(
        "/api/v1/complaints", dict(BASE, service="kab-a-ktp", title="Lain"), headers=headers
    )
    assert one.status_code == two.status_code == 201
    assert one.json()["tracking_code"] != two.json()["tracking_code"]
    assert "Idempotent-Replayed" not in two


def test_api_key_binds_to_the_evidence_too(api, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def send(data):
        body = dict(BASE, service="kab-a-ktp")
        body["evidence"] = SimpleUploadedFile("foto.jpg", data, content_type="image/jpeg")
        return api.post(
            "/api/v1/complaints",
            body,
            headers={"Idempotency-Key": "bukti-foto-0123456789"},
            multipart=True,
        )

    photo = jpeg_with_gps()
    one, same = send(photo), send(photo)
    assert one.json()["tracking_code"] == same.json()["tracking_code"]
    assert same["Idempotent-Replayed"] == "true"
    assert Evidence.objects.count() == 1  # the replay stored no second copy
    other = send(jpeg_with_gps(color=(0, 0, 255)))
    assert other.json()["tracking_code"] != one.json()["tracking_code"]


@pytest.mark.parametrize(
    "key",
    [
        "",
        "a b c d e f g h i j",
        "x" * 256,
        "kunci-ä-0123456789abcdef",
        '"0123456789abcdef',  # unbalanced quote
        "1",  # guessable: see the next test
        "pendek-15-huruf",
    ],
)
def test_api_refuses_a_malformed_key(api, org, key):
    r = api.post(
        "/api/v1/complaints", dict(BASE, service="kab-a-ktp"), headers={"Idempotency-Key": key}
    )
    assert r.status_code == 400, r.content
    assert r.json()["error"] == "invalid_idempotency_key"
    assert "Idempotency-Key" in r.json()["fields"]
    assert Complaint.objects.count() == 0


def test_a_guessable_key_cannot_fish_out_a_published_code(api, org, users):
    """Anyone can read a published anonymous complaint and send its words again: with a short key that
    would hand back its tracking code, so the public API takes only keys of 16 characters or more."""
    body = dict(BASE, service="kab-a-ktp", identity_mode="anonim", name="", publish=True)
    for key in ("1", "abc", "0000000000"):
        assert (
            api.post("/api/v1/complaints", body, headers={"Idempotency-Key": key}).status_code
            == 400
        )
    assert Complaint.objects.count() == 0


def test_public_key_holds_for_a_day(api, org, clock, settings):
    import datetime as dt

    settings.SUBMISSION_REPLAY_SECONDS = 24 * 3600
    headers = {"Idempotency-Key": "d0c5e1f2-0000-4000-8000-000000000001"}
    body = dict(BASE, service="kab-a-ktp")
    clock.set(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC))
    first = api.post("/api/v1/complaints", body, headers=headers).json()["tracking_code"]
    clock.set(dt.datetime(2026, 3, 3, 1, 59, tzinfo=dt.UTC))
    assert api.post("/api/v1/complaints", body, headers=headers).json()["tracking_code"] == first
    clock.set(dt.datetime(2026, 3, 3, 2, 1, tzinfo=dt.UTC))
    later = api.post("/api/v1/complaints", body, headers=headers)
    assert later.status_code == 201 and later.json()["tracking_code"] != first
    assert "Idempotent-Replayed" not in later
    assert Complaint.objects.get(tracking_code=first).submission_key == ""
    assert Complaint.objects.count() == 2


def test_form_changed_and_sent_again_files_a_new_complaint(org):
    """Back to the page, a different complaint typed over it, sent with the same token: a new case (the
    token guards against sending the same thing twice, not against sending something else)."""
    client = Client()
    token = token_of(client.get("/pengaduan/"))
    client.post("/pengaduan/", form_data(submission=token))
    other = client.post("/pengaduan/", form_data(submission=token, title="Pungutan liar di loket"))
    assert other.status_code == 302
    assert Complaint.objects.count() == 2
    assert Complaint.objects.filter(title="Pungutan liar di loket").exists()


def test_intake_page_is_kept_from_shared_caches(org):
    assert "private" in Client().get("/pengaduan/")["Cache-Control"]


def test_staff_api_key_is_per_officer(api_as, users, org):
    body = {
        "channel": "telepon",
        "service": "kab-a-ktp",
        "title": "Telepon",
        "description": "Isi.",
        "identity_mode": "anonim",
    }
    headers = {"Idempotency-Key": "telepon-0815"}
    officer = api_as(users[("operator", "a")])
    one = officer.post("/api/v1/staff/complaints", body, headers=headers)
    same = officer.post("/api/v1/staff/complaints", body, headers=headers)
    assert one.status_code == same.status_code == 201
    assert same.json()["tracking_code"] == one.json()["tracking_code"]
    manager = api_as(users[("pengelola", "a")])
    theirs = manager.post("/api/v1/staff/complaints", body, headers=headers)
    assert theirs.json()["tracking_code"] != one.json()["tracking_code"]
    assert Complaint.objects.filter(channel="telepon").count() == 2


def test_openapi_documents_the_header(api):
    spec = api.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/complaints", "/api/v1/staff/complaints"):
        operation = spec["paths"][path]["post"]
        names = [p["name"] for p in operation.get("parameters", [])]
        assert "Idempotency-Key" in names, path
        created = operation["responses"]["201"]
        assert "Idempotent-Replayed" in created["headers"] and "content" in created, path
        assert "400" in operation["responses"]


@pytest.mark.django_db(transaction=True)
def test_two_copies_at_once_file_one_complaint(org, monkeypatch):
    """Both copies pass the look-up before either commits; the unique key makes the later one find
    the earlier's complaint (on PostgreSQL the second INSERT waits for the first commit)."""
    key = services.submission_key("web", "gleichzeitig-abcdefghijklmnop")
    data = {
        "service": org["a"]["service"],
        "agency": org["a"]["agency"],
        "title": "Dua kali",
        "description": "Tombol kirim tertekan dua kali.",
        "identity_mode": "anonim",
    }
    barrier = threading.Barrier(2)
    real = services._submitted
    calls = []

    def submitted(k, since=None):
        found = real(k, since)
        calls.append(found)
        if len(calls) <= 2:  # the two first look-ups, one per copy, both before any insert
            barrier.wait(timeout=10)
        return found

    results = []

    def send():
        try:
            results.append(services.submit(None, data, channel=Channel.WEB, key=key))
        finally:
            connection.close()

    monkeypatch.setattr(services, "_submitted", submitted)
    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 2
    assert results[0].tracking_code == results[1].tracking_code
    assert sorted(r.replayed for r in results) == [False, True]
    assert Complaint.objects.count() == 1 and audit.verify().ok
