"""Complaint fixtures: a settable clock, a complaint factory and helpers that walk the workflow."""

import datetime as dt
import io
import zoneinfo

import pytest

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


class Clock:
    """Sets what ``django.utils.timezone.now`` answers (the clock, not our code)."""

    def __init__(self, monkeypatch):
        from django.utils import timezone

        self._real = timezone.now
        self.moment = None
        monkeypatch.setattr(timezone, "now", self.now)

    def now(self):
        return self.moment if self.moment is not None else self._real()

    def set(self, value):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time(10, 0), tzinfo=WIB)
        self.moment = value
        return value


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


BASE = {
    "kind": "pengaduan",
    "title": "KTP-el tidak kunjung jadi",
    "description": "Saya merekam KTP-el tiga bulan lalu dan sampai sekarang belum dicetak.",
    "incident_place": "Kantor Disdukcapil",
    "loss": "Tidak bisa membuka rekening bank.",
    "remedy": "KTP-el segera dicetak.",
    "identity_mode": "biasa",
    "name": "Siti Aminah",
    "email": "siti@example.id",
    "phone": "081234567890",
}


@pytest.fixture
def submit(org):
    """``submit(**overrides)`` files a public complaint about agency A's KTP-el service."""
    from amanah.complaints import services

    def make(evidence=None, **overrides):
        data = dict(BASE, service=org["a"]["service"], agency=None)
        data.update(overrides)
        return services.submit(None, data, evidence or [], channel="web")

    return make


def advance(c, target, users, org):
    """Walk a fresh complaint to ``target`` through the real services."""
    from amanah.complaints import services

    op, unit = users[("operator", "a")], users[("unit", "a")]
    if target == "menunggu_kelengkapan":
        return services.request_completion(
            op, c, message="Mohon lampirkan nomor tanda terima perekaman."
        )
    if target == "diterima":
        return c
    c = services.verify(op, c, unit=org["a"]["bidang"])
    if target == "diteruskan":
        return c
    c = services.start(unit, c)
    if target == "diproses":
        return c
    c = services.answer(unit, c, text="KTP-el Anda sudah dicetak dan dapat diambil di loket 3.")
    if target == "dijawab":
        return c
    c = services.confirm(c, rating=5)
    assert target == "selesai"
    return c


@pytest.fixture
def walk(users, org):
    return lambda c, target: advance(c, target, users, org)


def jpeg_with_gps(color=(200, 30, 30)) -> bytes:
    """A real JPEG carrying EXIF with GPS coordinates, camera make and an author."""
    from PIL import Image

    img = Image.new("RGB", (64, 48), color)
    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"  # Make
    exif[0x013B] = "Pak Pelapor"  # Artist
    gps = {1: "S", 2: (7.0, 46.0, 30.0), 3: "E", 4: (110.0, 22.0, 5.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()
