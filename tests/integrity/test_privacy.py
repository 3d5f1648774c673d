"""No trace of the reporter; encryption at rest; key rotation."""

import logging
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from .conftest import SECRET, jpeg_with_metadata, upload

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
UA = "SpyAgent/9.9 (Pelacak)"
REPORTED = "Joni Pungli Saputra"
REPORTER = "Budi Pelapor Rahasia"
CONTACT = "budi.rahasia@contoh.id"
WITNESS = "Saksi Sri Wahyuni"


def dump_database() -> str:
    """Every value of every table, as a copy of the database would hold it."""
    parts = []
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cur.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("latin-1")
                    parts.append(str(value))
    return "\n".join(parts)


def dump_storage(settings) -> bytes:
    root = Path(settings.MEDIA_ROOT)
    return (
        b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file()) if root.exists() else b""
    )


def _file_and_follow_up(org, report_data):
    client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)
    data = report_data(
        reported_name=REPORTED,
        reported_nip="",
        reporter_name=REPORTER,
        reporter_contact=CONTACT,
        witnesses=WITNESS,
    )
    data["evidence"] = [
        upload("foto.jpg", jpeg_with_metadata(), "image/jpeg"),
        upload("catatan.txt", f"Catatan: {SECRET}".encode(), "text/plain"),
    ]
    r = client.post("/api/v1/integrity/reports", data)
    assert r.status_code == 201
    receipt = r.json()["receipt"]
    r = client.post(
        "/api/v1/integrity/session", {"receipt": receipt}, content_type="application/json"
    )
    token = r.json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/integrity/me", headers=auth).status_code == 200
    r = client.post(
        "/api/v1/integrity/me/messages",
        {"body": f"Tambahan dari {REPORTER}"},
        content_type="application/json",
        headers=auth,
    )
    assert r.status_code == 201
    # The page flow too: receipt by POST, cookie session, reply.
    r = client.post("/integritas/tindak-lanjut/", {"receipt": receipt})
    assert r.status_code == 302
    assert client.get("/integritas/kasus-saya/").status_code == 200
    assert (
        client.post("/integritas/kasus-saya/balas/", {"body": "Jawaban lewat halaman"}).status_code
        == 302
    )
    return receipt


def test_no_ip_address_or_user_agent_in_any_table_log_or_cache(org, report_data, settings, caplog):
    from django.core.cache import cache

    caplog.set_level(logging.DEBUG)
    receipt = _file_and_follow_up(org, report_data)
    db = dump_database()
    assert IP not in db and UA not in db
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert IP not in logged and UA not in logged and receipt not in logged
    cached = repr(list(cache._cache.items()))
    assert IP not in cached and UA not in cached and receipt not in cached
    assert receipt not in db


def test_a_copy_of_database_and_storage_reveals_no_content_identity_or_evidence(
    org, report_data, settings
):
    from amanah.integrity.models import Report

    _file_and_follow_up(org, report_data)
    db = dump_database()
    for secret in (
        SECRET,
        REPORTED,
        REPORTER,
        CONTACT,
        WITNESS,
        "Loket 3 Disdukcapil",
        "Jawaban lewat halaman",
    ):
        assert secret not in db, secret
    stored = dump_storage(settings)
    assert stored, "evidence files are in storage"
    assert SECRET.encode() not in stored
    assert b"\xff\xd8\xff" not in stored  # no JPEG in clear
    assert b"JFIF" not in stored and b"Exif" not in stored
    # ... while with the keys everything reads back.
    report = Report.objects.get()
    assert report.description == SECRET and report.reporter_name == REPORTER


def test_key_rotation_reencrypts_every_field_and_file_and_keeps_reports_readable(
    org, file_report, settings
):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from amanah.core import files
    from amanah.integrity import services
    from amanah.integrity.models import Evidence, Message, Report

    old = list(settings.ENCRYPTION_KEYS)
    file_report(evidence=[upload("foto.jpg", jpeg_with_metadata(), "image/jpeg")])
    report = Report.objects.get()
    services.reporter_reply(report, "Pesan sebelum rotasi")
    before_raw = Report.objects.filter(pk=report.pk).values_list("description", flat=True)
    with connection.cursor() as cur:
        cur.execute("SELECT description FROM integrity_report WHERE id = %s", [report.pk])
        raw_before = cur.fetchone()[0]
    photo_before = files.read(Evidence.objects.get().file)
    assert before_raw

    new = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new, *old]
    call_command("keys_rotate", verbosity=0)
    settings.ENCRYPTION_KEYS = [new]  # the old key is gone
    report = Report.objects.get()
    assert report.description == SECRET and report.reporter_name == "Budi Pelapor"
    assert Message.objects.get(direction="dari_pelapor").body == "Pesan sebelum rotasi"
    assert files.read(Evidence.objects.get().file) == photo_before
    with connection.cursor() as cur:
        cur.execute("SELECT description FROM integrity_report WHERE id = %s", [report.pk])
        assert cur.fetchone()[0] != raw_before
    # And the old key alone can no longer read it.
    settings.ENCRYPTION_KEYS = old
    from cryptography.fernet import InvalidToken

    with pytest.raises(InvalidToken):
        Report.objects.get().description  # noqa: B018


def test_reporter_actions_and_files_keep_only_the_day_not_the_time(org, file_report, api):
    """An exact time of a report or follow-up could be matched against an office's network logs."""
    from amanah.core import audit
    from amanah.core.models import AuditEntry, StoredFile

    from .conftest import jpeg_with_metadata, upload

    receipt = file_report(evidence=[upload("foto.jpg", jpeg_with_metadata(), "image/jpeg")])
    token = api.post("/api/v1/integrity/session", {"receipt": receipt}).json()["token"]
    r = api.post(
        "/api/v1/integrity/me/messages",
        {"body": "Tambahan: kejadian berulang setiap Senin."},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code in (200, 201), r.content
    reporter_entries = AuditEntry.objects.filter(actor="pelapor")
    assert reporter_entries.count() >= 2
    for entry in reporter_entries:
        t = entry.created_at
        assert (t.hour, t.minute, t.second, t.microsecond) == (0, 0, 0, 0), entry.action
    stored = StoredFile.objects.get()
    assert (stored.created_at.hour, stored.created_at.minute, stored.created_at.second) == (0, 0, 0)
    assert audit.verify().ok
