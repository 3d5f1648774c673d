"""A reporter changes or erases their contact through the API (``PUT``/``DELETE /me/contact``) with the
same service, checks and audit entry as their case page: the news mails then go to the new address, or
stop. Neither the API nor the page shows the contact, or any part of it (GlobaLeaks shows only whether
one is set): a reporter sharing a device is not exposed by their case's screen."""

import datetime as dt

import pytest
from django.test import Client

from tests.conftest import ApiClient
from tests.i18n import client_in

pytestmark = pytest.mark.django_db

ME = "/api/v1/integrity/me"
ADDRESS = "budi.pelapor@contoh.id"
NEW = "pelapor.baru@pribadi.id"


def _news(smtp, users, report, capture) -> list[str]:
    """The addresses a staff message's news mail reaches (over the real SMTP server)."""
    from amanah.integrity import services

    smtp.messages.clear()
    with capture(execute=True):
        services.send_message(users[("inspektorat", "a")], report.pk, "Mohon keterangan tambahan.")
    if smtp.messages:
        smtp.wait(1, timeout=5)
    return sorted({to for m in smtp.messages for to in m["to"]})


def test_the_reporter_changes_the_contact_and_the_news_follows(
    make_case, reporter, users, smtp, django_capture_on_commit_callbacks
):
    from amanah.core.audit import DAY_CHAIN
    from amanah.core.models import AuditEntry
    from amanah.integrity import services

    report = make_case(may_contact="true")
    old_link = services.news_stop_token(report.pk)
    client = reporter(report.receipt)
    before = client.get(ME).json()
    assert before["contact_given"] is True and before["news_by_mail"] is True

    r = client.put(f"{ME}/contact", {"contact": f"  {NEW} "})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["contact_given"] is True and body["news_by_mail"] is True
    assert body["case_number"] == report.case_number
    report.refresh_from_db()
    assert report.reporter_contact == NEW and report.may_contact
    assert services.news_stop_report(old_link) is None  # the old address can stop nothing now

    entry = AuditEntry.objects.get(action="integrity.contact_changed")
    assert entry.chain == DAY_CHAIN and entry.actor == services.REPORTER
    assert entry.created_at.time() == dt.time(0, 0)
    assert NEW not in str(entry.details) and ADDRESS not in str(entry.details)

    assert _news(smtp, users, report, django_capture_on_commit_callbacks) == [NEW]


def test_a_telephone_number_is_kept_but_gets_no_news(make_case, reporter):
    report = make_case(may_contact="true")
    r = reporter(report.receipt).put(f"{ME}/contact", {"contact": "0812-3456-7890"})
    assert r.status_code == 200, r.content
    assert r.json()["contact_given"] is True and r.json()["news_by_mail"] is False
    report.refresh_from_db()
    assert report.reporter_contact == "+6281234567890"


def test_the_reporter_erases_the_contact_and_the_news_stops(
    make_case, reporter, users, smtp, django_capture_on_commit_callbacks
):
    from amanah.core.audit import DAY_CHAIN
    from amanah.core.models import AuditEntry
    from amanah.integrity import services

    report = make_case(may_contact="true")
    link = services.news_stop_token(report.pk)
    client = reporter(report.receipt)
    r = client.delete(f"{ME}/contact")
    assert r.status_code == 200, r.content
    assert r.json()["contact_given"] is False and r.json()["news_by_mail"] is False
    report.refresh_from_db()
    assert report.reporter_contact == "" and not report.may_contact
    assert report.news_stop_key is None
    assert Client().post(f"/integritas/kabar/berhenti/{link}/").status_code == 404

    entry = AuditEntry.objects.get(action="integrity.contact_removed")
    assert entry.chain == DAY_CHAIN and entry.details == {"via": "api"}
    assert entry.created_at.time() == dt.time(0, 0)

    assert _news(smtp, users, report, django_capture_on_commit_callbacks) == []
    # Erasing again changes nothing and writes no second entry.
    assert client.delete(f"{ME}/contact").status_code == 200
    assert AuditEntry.objects.filter(action="integrity.contact_removed").count() == 1


@pytest.mark.parametrize(
    "typed",
    ["budi@contoh.id 0812 3456 7890", "bukan alamat", "", "+1 202 555 0100"],
)
def test_a_bad_contact_is_refused_with_the_field_named(make_case, reporter, typed):
    from amanah.core.models import AuditEntry

    report = make_case(may_contact="true")
    r = reporter(report.receipt).put(f"{ME}/contact", {"contact": typed})
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["error"] == "invalid_input"
    assert set(body["fields"]) == {"contact"} and body["message"] == body["fields"]["contact"]
    expected = "Tulis alamat email" if not typed else "Tulis satu alamat email"
    assert body["fields"]["contact"].startswith(expected)
    report.refresh_from_db()
    assert report.reporter_contact == ADDRESS and report.may_contact
    assert not AuditEntry.objects.filter(action="integrity.contact_changed").exists()


def test_the_refusal_is_in_the_readers_language(make_case, reporter):
    report = make_case(may_contact="true")
    client = reporter(report.receipt)
    client.client = client_in("en")
    r = client.put(f"{ME}/contact", {"contact": "bukan alamat"})
    assert r.status_code == 422
    refusal = r.json()["fields"]["contact"]
    assert refusal.startswith("Write one e-mail address"), refusal


def test_without_a_session_nothing_changes(make_case, reporter):
    report = make_case(may_contact="true")
    for client in (ApiClient(), ApiClient("wbs_" + "x" * 43)):
        assert client.put(f"{ME}/contact", {"contact": NEW}).status_code == 401
        assert client.delete(f"{ME}/contact").status_code == 401
    closed = reporter(report.receipt)
    assert closed.delete("/api/v1/integrity/session").status_code == 204
    assert closed.delete(f"{ME}/contact").status_code == 401
    report.refresh_from_db()
    assert report.reporter_contact == ADDRESS and report.may_contact


def test_the_contact_writes_count_with_the_reporters_writes(make_case, reporter, settings):
    settings.INTEGRITY_REPLY_RATE = (2, 600)
    report = make_case(may_contact="true")
    client = reporter(report.receipt)
    assert client.put(f"{ME}/contact", {"contact": NEW}).status_code == 200
    assert client.delete(f"{ME}/contact").status_code == 200
    r = client.put(f"{ME}/contact", {"contact": ADDRESS})
    assert r.status_code == 429 and r.json()["error"] == "throttled" and r["Retry-After"]
    report.refresh_from_db()
    assert report.reporter_contact == ""


@pytest.mark.parametrize("contact", ["rahasia.pelapor@surel-pribadi.net", "0812 3456 7890"])
def test_no_part_of_the_contact_is_shown(make_case, reporter, contact):
    """Neither the case page nor ``GET /me`` shows the address, its name, its domain or a number's
    last digits (as the page did before: ``r…@surel-pribadi.net``, ``…890``)."""
    report = make_case(may_contact="true", reporter_contact=contact)
    stored = report.reporter_contact
    if "@" in stored:
        local, _at, domain = stored.partition("@")
        pieces = {stored, local, domain, "surel-pribadi", "@" + domain}
    else:
        pieces = {stored, "…890", "7890", "3456"}
    answer = reporter(report.receipt).get(ME)
    assert answer.json()["contact_given"] is True
    page = Client()
    assert page.post("/integritas/tindak-lanjut/", {"receipt": report.receipt}).status_code == 302
    html = page.get("/integritas/kasus-saya/").content.decode()
    assert 'id="contact"' in html and "Berhenti menerima kabar" in html
    for piece in pieces:
        assert piece not in answer.content.decode(), piece
        assert piece not in html, piece
