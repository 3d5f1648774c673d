"""Staff API: detail with due dates and evidence, download, inbox filters and search, identity rules."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amanah.complaints import services
from amanah.complaints.models import Complaint
from amanah.core import audit
from amanah.core.files import CleanFile

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


def test_detail_exposes_due_dates_and_evidence(api_as, users, submit, walk, clock):
    clock.set(dt.date(2026, 3, 17))
    c = walk(
        submit(evidence=[CleanFile("catatan.txt", "text/plain", b"nomor antrean 17")]), "diteruskan"
    )
    r = api_as(users[("operator", "a")]).get(f"/api/v1/staff/complaints/{c.tracking_code}")
    assert r.status_code == 200
    body = r.json()
    assert body["verification_due"] == "2026-03-27"
    assert body["response_due"] == "2026-03-31" and body["resolution_due"] == "2026-03-31"
    [ev] = body["evidence"]
    assert (
        set(ev) >= {"id", "filename", "content_type", "size"} and ev["content_type"] == "text/plain"
    )
    assert body["complainant"]["name"] == "Siti Aminah"
    assert "start" not in body["allowed_actions"] and "reassign_unit" not in body["allowed_actions"]
    got = api_as(users[("auditor", "a")]).get(
        f"/api/v1/staff/complaints/{c.tracking_code}/evidence/{ev['id']}"
    )
    assert got.status_code == 200 and got.content == b"nomor antrean 17"
    assert got["Content-Disposition"].startswith("attachment")


def test_a_case_waiting_for_completion_shows_no_stopped_verification_date(
    api, api_as, users, submit, walk, clock
):
    """As the tracking API: while the file waits for completion the verification clock is stopped, its
    old date no longer holds; the staff detail and inbox give the completion date instead."""
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "menunggu_kelengkapan")
    clock.set(dt.date(2026, 6, 20))
    staff = api_as(users[("operator", "a")])
    public = api.get(f"/api/v1/complaints/{c.tracking_code}").json()
    detail = staff.get(f"/api/v1/staff/complaints/{c.tracking_code}").json()
    [item] = staff.get("/api/v1/staff/complaints").json()["items"]
    c.refresh_from_db()
    for body in (detail, item):
        assert body["verification_due"] is None is public["verification_due"]
        assert body["completion_due"] == c.completion_due.isoformat() == public["completion_due"]
        assert body["stage_due"] is None
    c = services.complete_for(users[("operator", "a")], c, note="Fotokopi KTP sudah diterima.")
    detail = staff.get(f"/api/v1/staff/complaints/{c.tracking_code}").json()
    assert detail["verification_due"] == c.verification_due.isoformat() == detail["stage_due"]


def test_rahasia_identity_only_for_handlers(api_as, users, submit):
    c = submit(identity_mode="rahasia")
    for role, sees in (
        ("operator", True),
        ("pengelola", True),
        ("pimpinan", False),
        ("auditor", False),
        ("inspektorat", False),
    ):
        r = api_as(users[(role, "a")]).get(f"/api/v1/staff/complaints/{c.tracking_code}")
        assert r.status_code == 200
        assert ("Siti Aminah" in r.content.decode()) is sees, role
        assert ("081234567890" in r.content.decode()) is sees, role


def test_anonim_identity_never_in_staff_api(api_as, users, api, org):
    r = api.post(
        "/api/v1/complaints",
        {
            "service": "kab-a-ktp",
            "title": "Pungli",
            "description": "Diminta uang.",
            "identity_mode": "anonim",
            "name": "Joko",
            "email": "joko@example.id",
        },
    )
    code = r.json()["tracking_code"]
    body = api_as(users[("pengelola", "a")]).get(f"/api/v1/staff/complaints/{code}")
    assert body.json()["complainant"] is None and "Joko" not in body.content.decode()


def test_gps_photo_via_staff_multipart_is_cleaned(api_as, users, org):
    client = api_as(users[("operator", "a")])
    data = {
        "channel": "kotak_pengaduan",
        "service": "kab-a-ktp",
        "title": "Surat di kotak",
        "description": "Isi surat.",
        "identity_mode": "anonim",
        "received_at": "2026-01-05T08:00:00+07:00",
        "evidence": [SimpleUploadedFile("surat.jpg", jpeg_with_gps(), content_type="image/jpeg")],
    }
    r = client.post("/api/v1/staff/complaints", data, multipart=True)
    assert r.status_code == 201, r.content
    c = Complaint.objects.get(tracking_code=r.json()["tracking_code"])
    assert c.channel == "kotak_pengaduan" and c.received_at == dt.datetime(
        2026, 1, 5, 1, 0, tzinfo=dt.UTC
    )
    ev = client.get(f"/api/v1/staff/complaints/{c.tracking_code}").json()["evidence"][0]
    raw = client.get(f"/api/v1/staff/complaints/{c.tracking_code}/evidence/{ev['id']}").content
    assert raw[:3] == b"\xff\xd8\xff" and b"KameraMerek" not in raw and b"GPS" not in raw


def test_staff_intake_refuses_future_and_missing_offset(api_as, users, org):
    client = api_as(users[("operator", "a")])
    base = {
        "channel": "telepon",
        "service": "kab-a-ktp",
        "title": "Telepon",
        "description": "Isi.",
        "identity_mode": "anonim",
    }
    r = client.post("/api/v1/staff/complaints", dict(base, received_at="2999-01-01T08:00:00+07:00"))
    assert r.status_code == 422 and "received_at" in r.json()["fields"]
    r = client.post("/api/v1/staff/complaints", dict(base, received_at="2026-01-01T08:00:00"))
    assert r.status_code == 422 and "received_at" in r.json()["fields"]
    r = client.post("/api/v1/staff/complaints", dict(base, channel="web"))
    assert r.status_code == 422 and "channel" in r.json()["fields"]


def test_inbox_scopes_filters_and_search(api_as, users, submit, walk, org, clock):
    clock.set(dt.date(2026, 6, 1))
    late = walk(submit(title="Petugas meminta pungutan liar"), "diteruskan")
    clock.set(dt.date(2026, 6, 20))
    fresh = submit(title="Antrean sistem daring gagal")
    other = services.submit(
        None,
        {
            "agency": org["b"]["agency"],
            "title": "Di kabupaten B",
            "description": "Jalan rusak.",
            "identity_mode": "anonim",
        },
    )
    clock.moment = None
    client = api_as(users[("pengelola", "a")])
    codes = lambda r: {i["tracking_code"] for i in r.json()["items"]}  # noqa: E731
    r = client.get("/api/v1/staff/complaints")
    assert codes(r) == {
        late.tracking_code,
        fresh.tracking_code,
    } and other.tracking_code not in codes(r)
    assert codes(client.get("/api/v1/staff/complaints", {"overdue": "true"})) >= {
        late.tracking_code
    }
    assert fresh.tracking_code not in codes(
        client.get("/api/v1/staff/complaints", {"status": "diteruskan"})
    )
    assert codes(client.get("/api/v1/staff/complaints", {"q": "pungutan"})) == {late.tracking_code}
    assert codes(client.get("/api/v1/staff/complaints", {"q": fresh.tracking_code.lower()})) == {
        fresh.tracking_code
    }
    # unit-scoped role sees only its unit's cases
    unit_client = api_as(users[("unit", "a")])
    assert codes(unit_client.get("/api/v1/staff/complaints")) == {
        late.tracking_code,
        fresh.tracking_code,
    }
    assert codes(api_as(users[("unit", "b")]).get("/api/v1/staff/complaints")) == set()


def test_similar_complaints_suggested_to_verifier(api_as, users, submit):
    submit(
        title="KTP-el belum dicetak tiga bulan",
        description="Perekaman KTP-el sudah tiga bulan belum dicetak",
    )
    c = submit(
        title="KTP-el belum dicetak",
        description="Sudah tiga bulan perekaman KTP-el belum dicetak juga",
    )
    body = (
        api_as(users[("operator", "a")]).get(f"/api/v1/staff/complaints/{c.tracking_code}").json()
    )
    assert body["similar"] and body["similar"][0]["score"] > 0.3


def test_workflow_through_api_with_refusals(api_as, api, users, submit, org):
    c = submit()
    op, unit = api_as(users[("operator", "a")]), api_as(users[("unit", "a")])
    p = f"/api/v1/staff/complaints/{c.tracking_code}"
    assert unit.post(p + "/start", {}).status_code == 409  # not forwarded yet
    assert op.post(p + "/verify", {"unit": "kab-b-dafduk"}).status_code == 422
    assert op.post(p + "/verify", {"tier": "kilat"}).status_code == 422
    r = op.post(p + "/verify", {"unit": "kab-a-dafduk", "tier": "tanpa_pemeriksaan"})
    assert r.status_code == 200 and r.json()["status"] == "diteruskan"
    assert op.post(p + "/verify", {}).status_code == 409
    assert unit.post(p + "/answer", {"text": ""}).status_code == 422
    assert unit.post(p + "/answer", {"text": "<script>x</script>"}).status_code == 422
    note = unit.post(p + "/notes", {"text": "Cek ke gudang blangko."})
    assert note.status_code == 201
    r = unit.post(p + "/answer", {"text": "Blangko tersedia, KTP-el sudah dicetak."})
    assert r.status_code == 200 and r.json()["status"] == "dijawab"
    public = api.get(f"/api/v1/complaints/{c.tracking_code}").content.decode()
    assert "Cek ke gudang blangko" not in public and "Blangko tersedia" in public
    assert audit.verify().ok


def test_answer_template(api_as, users, submit, walk):
    manager = api_as(users[("pengelola", "a")])
    t = manager.post(
        "/api/v1/staff/answer-templates", {"agency": "kab-a", "title": "Siap", "body": "KTP siap."}
    )
    assert t.status_code == 201
    c = walk(submit(), "diproses")
    r = manager.post(
        f"/api/v1/staff/complaints/{c.tracking_code}/answer", {"template": t.json()["id"]}
    )
    assert r.status_code == 200 and r.json()["status"] == "dijawab"
    assert (
        "KTP siap."
        in api_as(users[("unit", "a")])
        .get("/api/v1/staff/answer-templates?agency=kab-a")
        .content.decode()
    )


def test_overdue_filter_uses_each_agencys_own_date(org, users, submit, clock):
    """Just after midnight in Jayapura (WIT) a case due yesterday is overdue there, although it is
    still yesterday evening in Jakarta (WIB)."""
    import zoneinfo

    from amanah.complaints import selectors

    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Jayapura"
    agency.save()
    clock.set(dt.date(2026, 6, 1))
    c = submit()
    c.verification_due = dt.date(2026, 6, 3)
    c.save(update_fields=["verification_due"])
    manager = users[("pengelola", "a")]
    clock.set(dt.datetime(2026, 6, 4, 0, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Jayapura")))
    assert list(selectors.inbox(manager, overdue=True)) == [c]
    clock.set(dt.datetime(2026, 6, 3, 23, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Jayapura")))
    assert list(selectors.inbox(manager, overdue=True)) == []
    assert list(selectors.inbox(manager, due_soon=True)) == [c]
