"""Whistleblowing evidence in storage: a rolled-back report, reply or staff upload leaves no file
behind, a rolled-back retention purge loses none, and what is stored is clean."""

import datetime as dt
import io
from pathlib import Path

import pikepdf
import pytest
from django.core.files.storage import FileSystemStorage
from django.test import Client
from PIL import Image

from amanah.core import audit, files
from amanah.core.models import StoredFile
from amanah.integrity import services
from amanah.integrity.models import Evidence, Message, Report

from .conftest import jpeg_with_metadata, upload

pytestmark = pytest.mark.django_db


def on_disk(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def fail_second_write(monkeypatch):
    real = FileSystemStorage._save
    calls = {"n": 0}

    def flaky(self, name, content):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", flaky)


def fail_audit(monkeypatch, action):
    real = audit.record

    def failing(actor, what, *args, **kwargs):
        if what == action:
            raise RuntimeError("database went away")
        return real(actor, what, *args, **kwargs)

    monkeypatch.setattr(audit, "record", failing)


def two_files():
    return [
        upload("a.txt", b"bukti satu", "text/plain"),
        upload("b.jpg", jpeg_with_metadata(), "image/jpeg"),
    ]


def test_report_whose_second_file_cannot_be_stored_leaves_nothing(
    org, report_data, settings, monkeypatch
):
    fail_second_write(monkeypatch)
    data = report_data()
    data["evidence"] = two_files()
    with pytest.raises(OSError):
        Client(raise_request_exception=True).post("/api/v1/integrity/reports", data)
    assert Report.objects.count() == 0 and StoredFile.objects.count() == 0
    assert on_disk(settings) == []


def test_report_failing_after_its_files_were_stored_leaves_nothing(
    org, report_data, settings, monkeypatch
):
    def boom(*args, **kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(services, "_notify_handlers", boom)
    data = report_data()
    data["evidence"] = two_files()
    with pytest.raises(RuntimeError):
        Client(raise_request_exception=True).post("/api/v1/integrity/reports", data)
    assert Report.objects.count() == 0 and StoredFile.objects.count() == 0
    assert on_disk(settings) == []


def test_stored_report_keeps_its_files(org, file_report, settings):
    file_report(evidence=two_files())
    assert len(on_disk(settings)) == 2
    texts = [
        files.read(ev.file)
        for ev in Evidence.objects.select_related("file")
        if ev.file.content_type == "text/plain"
    ]
    assert texts == [b"bukti satu"]


def test_failed_reporter_reply_leaves_no_file(org, make_case, settings, monkeypatch):
    report = make_case()
    fail_audit(monkeypatch, "integrity.reporter_replied")
    with pytest.raises(RuntimeError):
        services.reporter_reply(report, "Ini bukti tambahan.", two_files())
    assert not Evidence.objects.exists() and not StoredFile.objects.exists()
    assert not Message.objects.filter(direction=Message.Direction.FROM_REPORTER).exists()
    assert on_disk(settings) == []


def test_reporter_reply_whose_second_file_cannot_be_stored_leaves_no_file(
    org, make_case, settings, monkeypatch
):
    report = make_case()
    fail_second_write(monkeypatch)
    with pytest.raises(OSError):
        services.reporter_reply(report, "", two_files())
    assert not StoredFile.objects.exists() and on_disk(settings) == []


def test_failed_staff_upload_leaves_no_file(org, users, make_case, settings, monkeypatch):
    report = make_case()
    fail_audit(monkeypatch, "integrity.evidence_added")
    with pytest.raises(RuntimeError):
        services.add_staff_evidence(users[("inspektorat", "a")], report.pk, two_files())
    assert not Evidence.objects.exists() and not StoredFile.objects.exists()
    assert on_disk(settings) == []


def test_staff_upload_keeps_its_files(org, users, make_case, settings):
    report = make_case()
    assert services.add_staff_evidence(users[("inspektorat", "a")], report.pk, two_files()) == 2
    assert len(on_disk(settings)) == 2 and Evidence.objects.filter(from_reporter=False).count() == 2


def _closed_case_with_file(file_report, dismiss):
    file_report(evidence=[upload("catatan.txt", b"bukti yang disimpan", "text/plain")])
    return dismiss(Report.objects.get())


def test_rolled_back_purge_keeps_the_evidence_readable(
    org, file_report, dismiss, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.INTEGRITY_RETENTION_DAYS = 30
    report = _closed_case_with_file(file_report, dismiss)
    fail_audit(monkeypatch, "integrity.purged")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            services.purge_expired(on=report.closed_on + dt.timedelta(days=30))
    report.refresh_from_db()
    assert report.purged_on is None and report.reporter_name
    ev = report.evidence.select_related("file").get()
    assert files.read(ev.file) == b"bukti yang disimpan"
    assert len(on_disk(settings)) == 1


def test_purge_removes_the_files_once_it_commits(
    org, file_report, dismiss, settings, django_capture_on_commit_callbacks
):
    settings.INTEGRITY_RETENTION_DAYS = 30
    report = _closed_case_with_file(file_report, dismiss)
    assert len(on_disk(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge_expired(on=report.closed_on + dt.timedelta(days=30)) == 1
        assert len(on_disk(settings)) == 1  # nothing deleted before the commit
    assert on_disk(settings) == [] and not StoredFile.objects.exists()


def test_stored_pdf_has_no_gps_from_its_embedded_photo(org, file_report):
    """A phone's "scan to PDF": the photo (with GPS in its EXIF) is the page image."""
    photo = jpeg_with_metadata()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    image = pikepdf.Stream(pdf, photo)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height = 64, 48
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
    image.Filter = pikepdf.Name.DCTDecode
    pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    pdf.pages[0].Contents = pdf.make_stream(b"q 64 0 0 48 0 0 cm /Im0 Do Q")
    pdf.attachments["asli.jpg"] = pikepdf.AttachedFileSpec(pdf, photo, mime_type="image/jpeg")
    buf = io.BytesIO()
    pdf.save(buf)
    file_report(evidence=[upload("scan.pdf", buf.getvalue(), "application/pdf")])

    stored = files.read(Evidence.objects.select_related("file").get().file)
    assert b"Pelapor Rahasia" not in stored and b"KameraSpion" not in stored
    with pikepdf.open(io.BytesIO(stored)) as doc:
        assert len(doc.pages) == 1 and len(doc.attachments) == 0
        raw = doc.pages[0].Resources.XObject.Im0.read_raw_bytes()
    with Image.open(io.BytesIO(raw)) as img:
        assert img.size == (64, 48)
        assert not img.getexif() and not img.getexif().get_ifd(0x8825)
