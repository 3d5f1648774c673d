"""Fixtures for the whistleblowing tests: real files with metadata, and a helper that files a report
through the public API exactly as a reporter would."""

import io

import pytest

SECRET = "Kepala bidang meminta uang pelicin Rp2.500.000 untuk KTP-el"


@pytest.fixture(autouse=True)
def _reporter_notices_at_once(settings):
    """The mails a reporter's action causes are held for the next day in production
    (``INTEGRITY_HOLD_REPORTER_NOTICES``); the tests of who is told what read them at once, and
    test_reporter_time.py tests the hold itself."""
    settings.INTEGRITY_HOLD_REPORTER_NOTICES = False


def jpeg_with_metadata() -> bytes:
    """A real JPEG carrying EXIF with GPS, author and software tags."""
    from PIL import Image

    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = "Pelapor Rahasia"  # Artist
    exif[0x0131] = "KameraSpion 1.0"  # Software
    exif[0x8825] = {1: "S", 2: (7.0, 45.0, 0.0), 3: "E", 4: (110.0, 22.0, 0.0)}  # GPS
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def pdf_with_metadata() -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = "Pelapor Rahasia"
    pdf.docinfo["/Producer"] = "KameraSpion PDF"
    with pdf.open_metadata() as meta:
        meta["dc:creator"] = ["Pelapor Rahasia"]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def report_data(org):
    """A complete report about the staff member of agency A's Bidang Pendaftaran Penduduk."""
    o = org["a"]

    def make(**overrides):
        data = {
            "reported_name": o["staff"].name,
            "reported_nip": o["staff"].nip,
            "reported_position": o["staff"].position,
            "reported_agency": o["agency"].code,
            "reported_unit": o["bidang"].code,
            "violation_type": "pungutan_liar",
            "description": SECRET,
            "incident_date": "2026-10-01",
            "incident_place": "Loket 3 Disdukcapil",
            "witnesses": "Antrean pagi itu",
            "reporter_name": "Budi Pelapor",
            "reporter_contact": "budi.pelapor@contoh.id",
            "may_contact": "true",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return make


@pytest.fixture
def file_report(report_data, api):
    """``file_report(**overrides, evidence=[...])`` → receipt, through POST /api/v1/integrity/reports."""

    def make(evidence=(), **overrides):
        data = report_data(**overrides)
        if evidence:
            data["evidence"] = list(evidence)
        r = api.post("/api/v1/integrity/reports", data, multipart=True)
        assert r.status_code == 201, r.content
        return r.json()["receipt"]

    return make


@pytest.fixture
def make_case(report_data):
    """A report created by the service directly (fast), returning the Report."""
    from amanah.integrity import services
    from amanah.integrity.forms import ReportForm

    def make(**overrides):
        form = ReportForm(report_data(**overrides))
        assert form.is_valid(), form.errors
        report, _receipt = services.submit_report(form.cleaned_data)
        report.receipt = _receipt
        return report

    return make


@pytest.fixture
def examined(make_case, users):
    """A case the inspectorate assessed and took into examination (summons and records allowed)."""
    from amanah.integrity import services

    report = make_case()
    services.assess(
        users[("inspektorat", "a")],
        report.pk,
        credibility="tinggi",
        seriousness="tinggi",
        retaliation_risk="rendah",
        decision="periksa",
    )
    return report


@pytest.fixture
def dismiss(users):
    """``dismiss(report)`` → the report as the inspectorate leaves it after assessing it as not worth
    examining (decision *tutup*, with a word to the reporter): closed, ``closed_on`` set."""
    from amanah.integrity import services

    def close(report, message="Tidak dapat ditindaklanjuti."):
        services.assess(
            users[("inspektorat", "a")],
            report.pk,
            credibility="rendah",
            seriousness="rendah",
            retaliation_risk="rendah",
            decision="tutup",
            reporter_message=message,
        )
        report.refresh_from_db()
        return report

    return close


@pytest.fixture
def reporter(api):
    """``reporter(receipt)`` → an API client holding a reporter session token."""
    from tests.conftest import ApiClient

    def make(receipt):
        r = api.post("/api/v1/integrity/session", {"receipt": receipt})
        assert r.status_code == 200, r.content
        return ApiClient(r.json()["token"])

    return make
