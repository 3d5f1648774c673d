"""The public channel: filing, receipts, the anonymous follow-up and bad input."""

import io

import pytest

from .conftest import SECRET, jpeg_with_metadata, pdf_with_metadata, upload

pytestmark = pytest.mark.django_db


def test_report_returns_a_16_digit_receipt_stored_only_as_a_keyed_hash(file_report):
    from amanah.integrity.models import Report

    receipt = file_report()
    assert len(receipt) == 16 and receipt.isdigit()
    report = Report.objects.get()
    assert receipt not in report.receipt_hash and len(report.receipt_hash) == 64
    assert report.description == SECRET
    assert report.case_number.startswith("WBS-")
    # The contract: created_on is a date, not a timestamp.
    assert type(report.created_on).__name__ == "date"


def test_follow_up_with_receipt_shows_status_and_messages_and_reporter_can_answer(
    file_report, reporter, api
):
    receipt = file_report()
    client = reporter(receipt)
    me = client.get("/api/v1/integrity/me").json()
    assert me["status"] == "diterima" and "terima" in me["status_text"]
    r = client.post("/api/v1/integrity/me/messages", {"body": "Kejadiannya pukul sembilan pagi."})
    assert r.status_code == 201
    assert r.json()["messages"][-1]["from"] == "pelapor"
    r = client.client.post(
        "/api/v1/integrity/me/evidence",
        {"evidence": [upload("foto.jpg", jpeg_with_metadata(), "image/jpeg")]},
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert r.status_code == 201 and r.json()["evidence_count"] == 1
    # Logging out kills the token at once; replaying it is refused.
    assert client.delete("/api/v1/integrity/session").status_code == 204
    assert client.get("/api/v1/integrity/me").status_code == 401


def test_expired_session_token_is_refused(file_report, reporter, settings):
    from amanah.integrity.models import ReporterSession

    client = reporter(file_report())
    ReporterSession.objects.all().delete()  # what the sweep does after the session's day
    r = client.get("/api/v1/integrity/me")
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"


def test_wrong_receipts_answer_401_then_429_even_for_the_right_one(file_report, api, settings):
    settings.INTEGRITY_RECEIPT_RATE = (5, 600)
    receipt = file_report()
    wrong = "1234567890123456" if receipt != "1234567890123456" else "6543210987654321"
    codes = [
        api.post("/api/v1/integrity/session", {"receipt": wrong}).status_code for _ in range(5)
    ]
    assert codes == [401] * 5
    assert api.post("/api/v1/integrity/session", {"receipt": wrong}).status_code == 429
    # Throttled means throttled: the right receipt gets the same answer, so it reveals nothing.
    r = api.post("/api/v1/integrity/session", {"receipt": receipt})
    assert r.status_code == 429 and r.json()["error"] == "throttled"


def test_malformed_receipt_is_a_specific_error(api):
    r = api.post("/api/v1/integrity/session", {"receipt": "12ab"})
    assert r.status_code == 400 and r.json()["error"] == "malformed_receipt"
    # Spaces and dashes as printed on the receipt page are accepted (and then simply wrong here).
    assert (
        api.post("/api/v1/integrity/session", {"receipt": "1234 5678-9012 3456"}).status_code == 401
    )


def test_empty_report_lists_each_missing_field(api):
    r = api.post("/api/v1/integrity/reports", {}, multipart=True)
    assert r.status_code == 422
    fields = r.json()["fields"]
    assert {"reported_name", "reported_agency", "violation_type", "description"} <= set(fields)


def test_report_as_json_and_bad_values(api, report_data):
    data = report_data(violation_type="mencuri", reported_nip="123", description="pendek")
    r = api.post("/api/v1/integrity/reports", data)
    body = r.json()
    assert r.status_code == 422
    assert {"violation_type", "reported_nip", "description"} <= set(body["fields"])
    r = api.post("/api/v1/integrity/reports", report_data(may_contact=True, reporter_contact=""))
    assert r.status_code == 422 and "reporter_contact" in r.json()["fields"]
    r = api.post("/api/v1/integrity/reports", report_data(reported_unit="kab-b-dafduk"))
    assert r.status_code == 422 and "reported_unit" in r.json()["fields"]


def test_lying_oversized_and_unsupported_files_are_refused_and_nothing_is_stored(
    api, report_data, settings
):
    from amanah.core.models import StoredFile
    from amanah.integrity.models import Report

    lying = upload("foto.jpg", b"%PDF-1.4 not really a photo", "image/jpeg")
    r = api.post(
        "/api/v1/integrity/reports", {**report_data(), "evidence": [lying]}, multipart=True
    )
    assert (
        r.status_code == 422
        and r.json()["error"] == "type_mismatch"
        and "evidence" in r.json()["fields"]
    )
    exe = upload("alat.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "application/octet-stream")
    r = api.post("/api/v1/integrity/reports", {**report_data(), "evidence": [exe]}, multipart=True)
    assert r.status_code == 422 and r.json()["error"] == "unsupported"
    settings.UPLOAD_MAX_BYTES = 1024
    big = upload("catatan.txt", b"a" * 5000, "text/plain")
    r = api.post("/api/v1/integrity/reports", {**report_data(), "evidence": [big]}, multipart=True)
    assert r.status_code == 422 and r.json()["error"] == "too_large"
    assert not Report.objects.exists() and not StoredFile.objects.exists()


def test_metadata_is_removed_from_a_real_jpeg_and_pdf(file_report):
    import pikepdf
    from PIL import Image

    from amanah.core import files
    from amanah.integrity.models import Evidence

    file_report(
        evidence=[
            upload("IMG_2041.jpg", jpeg_with_metadata(), "image/jpeg"),
            upload("laporan-budi.pdf", pdf_with_metadata(), "application/pdf"),
        ]
    )
    stored = {e.file.content_type: e.file for e in Evidence.objects.select_related("file")}
    jpeg = files.read(stored["image/jpeg"])
    with Image.open(io.BytesIO(jpeg)) as img:
        assert not dict(img.getexif())
        assert img.size == (64, 48)
    assert b"Pelapor Rahasia" not in jpeg and b"KameraSpion" not in jpeg
    pdf = files.read(stored["application/pdf"])
    assert b"Pelapor Rahasia" not in pdf and b"KameraSpion" not in pdf
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert "/Author" not in doc.docinfo and "/Metadata" not in doc.Root
    # Neutral names: the original file name (which may say who took the photo) is not kept.
    assert all(f.filename.startswith("bukti-") for f in stored.values())


def test_no_store_and_csp_headers_on_channel_pages_and_api(client, api, file_report):
    for path in ("/integritas/", "/integritas/lapor/", "/integritas/tindak-lanjut/"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "no-store" in r["Cache-Control"]
        csp = r["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    r = api.post("/api/v1/integrity/session", {"receipt": "0000000000000000"})
    assert "no-store" in r["Cache-Control"]


def test_gratification_self_report_tracks_upg_and_kpk_deadlines(api, org, reporter):
    import datetime as dt

    from amanah.core.calendar import Calendar
    from amanah.integrity.models import Report

    o = org["a"]
    received = dt.date(2026, 11, 2)
    r = api.post(
        "/api/v1/integrity/reports",
        {
            "kind": "gratifikasi_diri",
            "reporter_name": o["kabid"].name,
            "reported_nip": o["kabid"].nip,
            "reported_agency": o["agency"].code,
            "gift_received_on": received.isoformat(),
            "gift_giver": "Rekanan pengadaan",
            "gift_value": "Parsel, sekitar Rp1.500.000",
            "description": "Diantar ke rumah setelah penandatanganan kontrak.",
        },
    )
    assert r.status_code == 201, r.content
    report = Report.objects.get()
    cal = Calendar(o["agency"])
    assert report.kind == "gratifikasi_diri" and report.violation_type == "gratifikasi"
    assert report.upg_due == cal.add(received, 10) and report.kpk_due == cal.add(received, 30)
    me = reporter(r.json()["receipt"]).get("/api/v1/integrity/me").json()
    assert (
        me["upg_due"] == report.upg_due.isoformat() and me["kpk_due"] == report.kpk_due.isoformat()
    )
    r = api.post(
        "/api/v1/integrity/reports", {"kind": "gratifikasi_diri", "reported_agency": "kab-a"}
    )
    assert r.status_code == 422 and {"reporter_name", "reported_nip", "gift_received_on"} <= set(
        r.json()["fields"]
    )


def test_oversized_report_is_a_specific_error_not_a_crash(api, client, report_data, org):
    big = "x" * (3 * 1024 * 1024)
    r = api.post("/api/v1/integrity/reports", report_data(description=big), multipart=True)
    assert r.status_code == 413 and r.json()["error"] == "too_large"
    r = client.post("/integritas/lapor/", report_data(description=big))
    assert r.status_code == 413 and "terlalu besar" in r.content.decode()
    r = api.post("/api/v1/integrity/reports", report_data(description="y" * 20001), multipart=True)
    assert r.status_code == 422 and "description" in r.json()["fields"]
