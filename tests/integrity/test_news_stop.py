"""A reporter who left a contact can stop the news about their report: from their case page (after
opening it with the receipt), where they may also change the contact, and from each news mail, whose
stop link (RFC 8058 one-click) erases the contact without the receipt. Stopping erases the contact
itself, audited like the reporter's other actions (day-only chain). The link is a secret of its own:
it opens nothing and a GET on it (a mail scanner) changes nothing."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client

from tests.i18n import client_in

pytestmark = pytest.mark.django_db
ADDRESS = "budi.pelapor@contoh.id"
SITE = "https://amanah.example.go.id"


def _news_mail(smtp, users, report, capture):
    """The raw news mail the reporter gets for a staff message (over the real SMTP server)."""
    from amanah.integrity import services

    smtp.messages.clear()
    with capture(execute=True):
        services.send_message(users[("inspektorat", "a")], report.pk, "Mohon keterangan tambahan.")
    smtp.wait(1, timeout=5)
    mails = smtp.to(ADDRESS)
    assert len(mails) == 1
    return mails[0]


def _stored_contact(report) -> str:
    """The contact column as stored (ciphertext, or empty), read past the model."""
    from amanah.integrity.models import Report

    with connection.cursor() as cur:
        cur.execute(
            f"SELECT reporter_contact FROM {Report._meta.db_table} WHERE id = %s", [report.pk]
        )
        return cur.fetchone()[0]


def _stop_path(mail) -> str:
    headers = mail["raw"].replace("\r\n", "\n").split("\n\n", 1)[0]
    found = re.search(r"^List-Unsubscribe: <(https://[^>]+)>$", headers, re.M)
    assert found, headers
    assert re.search(r"^List-Unsubscribe-Post: List-Unsubscribe=One-Click$", headers, re.M)
    url = found.group(1)
    assert url.startswith(SITE + "/integritas/kabar/berhenti/")
    assert url in mail["body"]  # for a mail program without the headers too
    return url.removeprefix(SITE)


def test_the_news_mail_stops_with_one_click_and_the_contact_is_erased(
    make_case, users, smtp, settings, django_capture_on_commit_callbacks
):
    from amanah.core.audit import DAY_CHAIN
    from amanah.core.models import AuditEntry
    from amanah.integrity import services

    settings.SITE_URL = SITE
    report = make_case(may_contact="true")
    path = _stop_path(_news_mail(smtp, users, report, django_capture_on_commit_callbacks))
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    assert (
        report.receipt not in path and report.case_number not in path and str(report.pk) not in path
    )
    assert _stored_contact(report)  # still there

    # A mail scanner following the link changes nothing; the page says nothing of the case.
    scanner = Client(enforce_csrf_checks=True)
    page = scanner.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script" not in html and 'method="post"' in html
    assert report.case_number not in html and "Budi" not in html and "contoh.id" not in html
    report.refresh_from_db()
    assert report.reporter_contact == ADDRESS and report.may_contact
    # The link opens nothing: no session, no case page.
    assert not page.cookies.get("wbs")
    assert scanner.get("/integritas/kasus-saya/").status_code == 401

    # The mail program's one-click POST (RFC 8058): no login, no CSRF token.
    done = scanner.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    report.refresh_from_db()
    assert report.reporter_contact == "" and not report.may_contact
    assert _stored_contact(report) == ""  # erased, not only switched off
    assert report.news_stop_key is None and report.news_stop_token == ""
    entry = AuditEntry.objects.get(action="integrity.contact_removed")
    assert entry.chain == DAY_CHAIN and entry.actor == services.REPORTER
    assert entry.details == {"via": "tautan"}
    assert entry.created_at.time() == dt.time(0, 0)

    # No more news, and the link is spent.
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(users[("inspektorat", "a")], report.pk, "Pesan berikutnya.")
    assert not smtp.to(ADDRESS)
    assert scanner.get(path).status_code == 404
    assert scanner.post(path).status_code == 404


def test_a_stop_link_made_up_or_of_another_report_stops_nothing(make_case, settings):
    from amanah.integrity import services

    one, other = make_case(may_contact="true"), make_case(may_contact="true")
    token = services.news_stop_token(one.pk)
    assert token and token == services.news_stop_token(one.pk)  # one per report
    assert services.news_stop_token(other.pk) != token
    client = Client()
    assert client.post("/integritas/kabar/berhenti/" + "x" * 43 + "/").status_code == 404
    other.refresh_from_db()
    one.refresh_from_db()
    assert one.reporter_contact == other.reporter_contact == ADDRESS


def _open(receipt, language=None) -> Client:
    client = client_in(language) if language else Client()
    r = client.post("/integritas/tindak-lanjut/", {"receipt": receipt})
    assert r.status_code == 302
    return client


def test_the_reporter_changes_and_removes_the_contact_on_their_page(make_case):
    from amanah.core.models import AuditEntry
    from amanah.integrity import services

    report = make_case(may_contact="true")
    old_token = services.news_stop_token(report.pk)
    client = _open(report.receipt)
    page = client.get("/integritas/kasus-saya/").content.decode()
    assert 'id="contact"' in page and "ke alamat email yang Anda berikan" in page
    assert (
        "contoh.id" not in page
    )  # no part of the address (tests/integrity/test_reporter_contact_api.py)
    assert 'action="/integritas/kasus-saya/kontak/hapus/"' in page

    # Refused input: a specific message, what was typed kept.
    r = client.post("/integritas/kasus-saya/kontak/", {"contact": "budi@contoh.id 0812"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Tulis satu alamat email" in html and 'value="budi@contoh.id 0812"' in html
    report.refresh_from_db()
    assert report.reporter_contact == ADDRESS

    r = client.post("/integritas/kasus-saya/kontak/", {"contact": "baru@pribadi.id"})
    assert r.status_code == 302 and r["Location"].endswith("/integritas/kasus-saya/#contact")
    report.refresh_from_db()
    assert report.reporter_contact == "baru@pribadi.id" and report.may_contact
    assert services.news_stop_report(old_token) is None  # the old address can stop nothing
    assert services.news_stop_token(report.pk) != old_token
    assert AuditEntry.objects.filter(action="integrity.contact_changed").count() == 1

    r = client.post("/integritas/kasus-saya/kontak/hapus/")
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.reporter_contact == "" and not report.may_contact
    assert _stored_contact(report) == ""
    entry = AuditEntry.objects.get(action="integrity.contact_removed")
    assert entry.details == {"via": "halaman"} and entry.chain == 2
    page = client.get("/integritas/kasus-saya/").content.decode()
    assert "Anda tidak memberi kontak" in page
    assert 'action="/integritas/kasus-saya/kontak/hapus/"' not in page


def test_without_a_session_the_contact_pages_change_nothing(make_case):
    report = make_case(may_contact="true")
    client = Client()
    assert client.post("/integritas/kasus-saya/kontak/hapus/").status_code == 401
    r = client.post("/integritas/kasus-saya/kontak/", {"contact": "baru@pribadi.id"})
    assert r.status_code == 401 and 'value="baru@pribadi.id"' in r.content.decode()
    report.refresh_from_db()
    assert report.reporter_contact == ADDRESS
    # The receipt given there sends the change (nothing typed is lost).
    r = client.post(
        "/integritas/tindak-lanjut/",
        {"receipt": report.receipt, "resume": "kontak", "contact": "baru@pribadi.id"},
    )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.reporter_contact == "baru@pribadi.id"


def test_the_contact_section_and_the_stop_page_in_english(make_case):
    from amanah.integrity import services

    report = make_case(may_contact="true")
    client = _open(report.receipt, "en")
    page = client.get("/integritas/kasus-saya/").content.decode()
    assert "Stop receiving news" in page and "Berhenti menerima kabar" not in page
    token = services.news_stop_token(report.pk)
    stop = client_in("en").get(f"/integritas/kabar/berhenti/{token}/").content.decode()
    assert "Stop receiving news" in stop and "Berhenti" not in stop


def test_the_stop_link_is_masked_in_the_logs():
    from amanah.core.logmask import mask

    line = mask("Internal Server Error: /integritas/kabar/berhenti/AbC-123_xyz/")
    assert "AbC-123_xyz" not in line and "/integritas/kabar/berhenti/***" in line


def test_purging_the_case_spends_its_stop_link(make_case, dismiss, settings):
    from amanah.integrity import services

    settings.INTEGRITY_RETENTION_DAYS = 1
    report = make_case(may_contact="true")
    token = services.news_stop_token(report.pk)
    dismiss(report)
    assert services.purge_expired(on=report.closed_on + dt.timedelta(days=1)) == 1
    assert services.news_stop_report(token) is None
