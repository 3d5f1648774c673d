"""Public intake and tracking through the API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amanah.complaints.models import Complaint, Evidence
from amanah.core.models import StoredFile

from .conftest import BASE, jpeg_with_gps

pytestmark = pytest.mark.django_db


def payload(**over):
    data = {k: v for k, v in BASE.items()}
    data["service"] = "kab-a-ktp"
    data.update(over)
    return data


def test_json_intake_answers_code_status_and_dues(api, org):
    r = api.post("/api/v1/complaints", payload())
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "diterima"
    assert body["verification_due"] and body["response_due"] is None
    c = Complaint.objects.get(tracking_code=body["tracking_code"])
    assert c.agency == org["a"]["agency"] and c.unit == org["a"]["bidang"] and c.channel == "api"
    assert c.name == "Siti Aminah"


def test_service_by_id_or_agency_only(api, org):
    r = api.post("/api/v1/complaints", payload(service=str(org["a"]["service"].pk)))
    assert r.status_code == 201
    r = api.post("/api/v1/complaints", payload(service=None, agency="kab-b"))
    assert r.status_code == 201
    c = Complaint.objects.get(tracking_code=r.json()["tracking_code"])
    assert c.agency == org["b"]["agency"] and c.unit is None and c.service is None


@pytest.mark.parametrize(
    "over, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"service": "tidak-ada"}, "service"),
        ({"service": None}, "service"),
        ({"description": "<script>alert(1)</script>"}, "description"),
        ({"identity_mode": "rahasia", "name": ""}, "name"),
        ({"identity_mode": "samaran"}, "identity_mode"),
        ({"kind": "gugatan"}, "kind"),
        ({"email": "bukan-email"}, "email"),
        ({"incident_date": "2999-01-01"}, "incident_date"),
        ({"service": "kab-a-ktp", "agency": "kab-b"}, "agency"),
    ],
)
def test_bad_input_gets_a_specific_field_error(api, org, over, field):
    r = api.post("/api/v1/complaints", payload(**over))
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["error"] == "invalid_input"
    assert field in body["fields"], body
    assert not Complaint.objects.exists()


def test_non_json_body_is_refused(api, org):
    r = api.client.post("/api/v1/complaints", "tidak json", content_type="application/json")
    assert r.status_code == 400 and r.json()["error"] == "invalid_json"


def test_multipart_with_several_evidence_files_and_gps_removed(api, org):
    photo = jpeg_with_gps()
    assert b"KameraMerek" in photo
    data = payload()
    data["publish"] = "on"
    data["evidence"] = [
        SimpleUploadedFile("foto.jpg", photo, content_type="image/jpeg"),
        SimpleUploadedFile("catatan.txt", b"Nomor antrean 17", content_type="text/plain"),
    ]
    r = api.post("/api/v1/complaints", data, multipart=True)
    assert r.status_code == 201, r.content
    c = Complaint.objects.get(tracking_code=r.json()["tracking_code"])
    assert c.evidence.count() == 2 and c.publish_requested
    from PIL import Image

    from amanah.core import files

    stored = c.evidence.get(file__content_type="image/jpeg").file
    clean = files.read(stored)
    assert b"KameraMerek" not in clean and b"Pak Pelapor" not in clean
    with Image.open(io.BytesIO(clean)) as img:
        assert not img.getexif().get_ifd(0x8825)
        assert not img.getexif()
    # stored encrypted at rest
    with stored.file.open("rb") as fh:
        assert fh.read()[:3] != b"\xff\xd8\xff"


def test_file_lying_about_its_type_is_refused_and_nothing_is_saved(api, org):
    data = payload()
    data["evidence"] = [
        SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not really a jpeg", content_type="image/jpeg"),
    ]
    r = api.post("/api/v1/complaints", data, multipart=True)
    assert r.status_code == 422
    assert "evidence" in r.json()["fields"]
    assert (
        not Complaint.objects.exists()
        and not StoredFile.objects.exists()
        and not Evidence.objects.exists()
    )


def test_oversized_file_is_refused(api, org, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    data = payload()
    data["evidence"] = [SimpleUploadedFile("besar.txt", b"a" * 5000, content_type="text/plain")]
    r = api.post("/api/v1/complaints", data, multipart=True)
    assert r.status_code == 422 and "terlalu besar" in r.json()["fields"]["evidence"]


def test_anonymous_collects_no_identity_even_if_sent(api, org):
    r = api.post(
        "/api/v1/complaints", payload(identity_mode="anonim", name="Budi", email="budi@example.id")
    )
    assert r.status_code == 201
    c = Complaint.objects.get(tracking_code=r.json()["tracking_code"])
    assert (c.name, c.email, c.phone) == ("", "", "")


def test_identity_is_encrypted_at_rest(api, org):
    from django.db import connection

    r = api.post("/api/v1/complaints", payload(identity_mode="rahasia"))
    code = r.json()["tracking_code"]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, email, phone FROM complaints_complaint WHERE tracking_code = %s", [code]
        )
        row = cur.fetchone()
    assert all(v.startswith("enc1:") for v in row)
    assert "Siti" not in "".join(row)


def test_tracking_shows_status_without_identity(api, org):
    code = api.post("/api/v1/complaints", payload(identity_mode="rahasia")).json()["tracking_code"]
    r = api.get(f"/api/v1/complaints/{code.lower().replace('-', ' ')}")
    assert r.status_code == 200
    body = r.json()
    assert body["tracking_code"] == code and body["status"] == "diterima"
    text = r.content.decode()
    assert "Siti" not in text and "siti@example.id" not in text and "0812" not in text
    assert body["timeline"][0]["status"] == "diterima"


def test_tracking_guesses_are_throttled(api, org, settings, monkeypatch):
    from amanah.core import ratelimit

    monkeypatch.setattr(ratelimit, "clock", lambda: 1_000_000_500.0)  # 300 s into a 600-s window
    settings.COMPLAINT_TRACK_RATE = (3, 600)
    code = api.post("/api/v1/complaints", payload()).json()["tracking_code"]
    from amanah.complaints import rules

    for _ in range(3):
        assert api.get(f"/api/v1/complaints/{rules.new_tracking_code()}").status_code == 404
    r = api.get(f"/api/v1/complaints/{code}")
    assert r.status_code == 429 and r.json()["error"] == "throttled"
    # The answer says when the window that refused it ends.
    assert r["Retry-After"] == "300"


def test_citizen_reply_confirm_and_rate(api, org, users, submit, walk):
    from amanah.complaints import services

    c = walk(submit(), "diproses")
    r = api.post(
        f"/api/v1/complaints/{c.tracking_code}/replies", {"text": "Nomor antrean saya 17."}
    )
    assert r.status_code == 201
    c = services.answer(users[("unit", "a")], c, text="KTP-el Anda sudah dicetak.")
    # answered: the person confirms or disputes (a plain reply would be closed over by the timer)
    r = api.post(
        f"/api/v1/complaints/{c.tracking_code}/replies", {"text": "Terima kasih, saya cek besok."}
    )
    assert r.status_code == 409 and r.json()["error"] == "invalid_transition"
    r = api.post(f"/api/v1/complaints/{c.tracking_code}/confirm", {"rating": 9})
    assert r.status_code == 422 and "rating" in r.json()["fields"]
    r = api.post(f"/api/v1/complaints/{c.tracking_code}/confirm", {})
    assert r.status_code == 200 and r.json()["status"] == "selesai" and r.json()["can_rate"]
    r = api.post(f"/api/v1/complaints/{c.tracking_code}/rating", {"rating": 4, "comment": "Cepat"})
    assert r.status_code == 200 and r.json()["rating"] == 4
    r = api.post(f"/api/v1/complaints/{c.tracking_code}/rating", {"rating": 5})
    assert r.status_code == 409 and r.json()["error"] == "already_rated"
    c.refresh_from_db()
    assert c.closed_at and c.close_reason == "dikonfirmasi" and c.rating == 4


def test_dispute_reopens(api, org, submit, walk):
    c = walk(submit(), "dijawab")
    r = api.post(
        f"/api/v1/complaints/{c.tracking_code}/dispute", {"reason": "KTP belum ada di loket 3."}
    )
    assert r.status_code == 200 and r.json()["status"] == "diproses"
    r = api.post(f"/api/v1/complaints/{c.tracking_code}/confirm", {})
    assert r.status_code == 409 and r.json()["error"] == "invalid_transition"


def test_published_list_gives_public_ids_never_tracking_codes(api, org, users, submit):
    """Anyone may read the published list; a tracking code would let them read the person's replies and
    confirm, dispute or rate in their name. Items carry the public id ``AMN-<n>`` instead."""
    from amanah.complaints import services

    shown = submit(publish=True, title="Antrean panjang")
    services.set_publication(users[("pengelola", "a")], shown, approve=True)
    submit(publish=True, title="Belum disetujui")
    r = api.get("/api/v1/complaints/published", {"agency": "kab-a"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1 and body["items"][0]["id"] == f"AMN-{shown.pk}"
    assert body["items"][0]["title"] == "Antrean panjang"
    assert shown.tracking_code not in r.content.decode()
    assert "Siti" not in r.content.decode() and "tracking_code" not in body["items"][0]
    assert api.get("/api/v1/complaints/published", {"agency": "tidak-ada"}).status_code == 404
