"""Reminders to investigators (sent over real SMTP), news e-mail to reporters, retention."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def test_reminders_go_to_investigators_before_deadlines_once(
    org, users, make_case, smtp, django_capture_on_commit_callbacks
):
    from amanah.integrity import services

    with django_capture_on_commit_callbacks(execute=True):
        report = make_case()
    smtp.messages.clear()
    inspector = users[("inspektorat", "a")].email
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(on=report.created_on) == 0  # nothing due yet
        assert services.send_reminders(on=report.created_on + dt.timedelta(days=5)) == 1
    smtp.wait(1)
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    rcpts, content = message["to"], message["subject"] + "\n" + message["body"]
    assert inspector in rcpts
    assert (
        report.case_number in content and "Meminta uang" not in content and "pelicin" not in content
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.send_reminders(on=report.created_on + dt.timedelta(days=6)) == 0
        )  # already reminded


def test_reporter_who_may_be_contacted_hears_that_there_is_news_without_content(
    org, users, make_case, smtp, django_capture_on_commit_callbacks
):
    from amanah.integrity import services

    report = make_case(may_contact="true")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(
            users[("inspektorat", "a")], report.pk, "Pertanyaan rahasia tentang kasus"
        )
    smtp.wait(1)
    assert smtp.to("budi.pelapor@contoh.id")
    content = smtp.messages[-1]["subject"] + "\n" + smtp.messages[-1]["body"]
    assert "Pertanyaan rahasia" not in content and report.case_number not in content


def test_retention_removes_identity_and_evidence_of_old_closed_cases_but_keeps_counts(
    org, users, file_report, dismiss, settings
):
    from amanah.core.models import StoredFile
    from amanah.integrity import selectors, services
    from amanah.integrity.models import Report

    from .conftest import jpeg_with_metadata, upload

    settings.INTEGRITY_RETENTION_DAYS = 30
    file_report(evidence=[upload("foto.jpg", jpeg_with_metadata(), "image/jpeg")])
    report = Report.objects.get()
    dismiss(report)
    assert services.purge_expired(on=report.closed_on + dt.timedelta(days=29)) == 0
    assert services.purge_expired(on=report.closed_on + dt.timedelta(days=30)) == 1
    report.refresh_from_db()
    assert report.reporter_name == "" and report.reporter_contact == "" and report.purged_on
    assert not report.evidence.exists() and not StoredFile.objects.exists()
    from amanah.core.rules import publication_period

    quarter = publication_period(report.created_on)
    in_agency = selectors.statistics(report.agency_id, quarter)
    assert in_agency["by_status"] == {"ditutup": "disembunyikan"}


def test_the_reporters_news_mail_names_the_site_and_a_refusal_keeps_their_address_out(
    org, users, make_case, smtp, settings, django_capture_on_commit_callbacks
):
    """The reporter's mail carries the site's Message-ID like every other mail; when the server refuses
    it, the failed task (kept in the task table) quotes no address: the SMTP error would."""
    from amanah.integrity import services
    from amanah.integrity.tasks import notify_reporter
    from tests.core.test_notify import _mail_server, _RefusesEveryone

    settings.SITE_URL = "https://amanah.example.go.id"
    report = make_case(may_contact="true")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(users[("inspektorat", "a")], report.pk, "Ada pertanyaan")
    smtp.wait(1)
    raw = smtp.to("budi.pelapor@contoh.id")[0]["raw"]
    assert "@amanah.example.go.id>" in raw and "Auto-Submitted: auto-generated" in raw

    with _mail_server(settings, _RefusesEveryone()):
        settings.TASKS = {
            "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        }
        result = notify_reporter.enqueue(report.pk)
    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == "amanah.core.tasks.MailNotSent"
    assert "SMTPRecipientsRefused 550" in result.errors[0].traceback
    assert "pelapor" not in result.errors[0].traceback


@pytest.mark.django_db(transaction=True)
def test_the_reporters_news_mail_turned_away_for_now_is_tried_again(
    org, users, make_case, settings
):
    """A 451 ("not now") does not lose the reporter's only sign that the inspectorate wrote back: the task
    queues itself again (the report's id only, no address) and the mail arrives on the next try."""
    from django_tasks_db.models import DBTaskResult

    from amanah.integrity.tasks import notify_reporter
    from tests.core.test_notify import _BusyOnce, _mail_server, _run_worker

    report = make_case(may_contact="true")
    server = _BusyOnce()
    settings.MAIL_RETRY_SECONDS = [0]
    with _mail_server(settings, server):
        DBTaskResult.objects.all().delete()
        notify_reporter.enqueue(report.pk)
        _run_worker()
    assert len(server.box) == 1 and "budi.pelapor@contoh.id" in server.box[0]
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert (first.status, retry.status) == ("SUCCESSFUL", "SUCCESSFUL")
    assert first.return_value["retry_queued"] == 1 and retry.return_value["delivered"] == 1
    assert retry.args_kwargs["args"] == [report.pk, 1]
    assert "pelapor" not in str([first.return_value, retry.return_value, retry.args_kwargs])


class _AlwaysBusy:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "451 4.3.2 try again later"


@pytest.mark.parametrize("refusing", ["for good", "for now"])
def test_a_reporters_news_mail_that_finally_fails_is_logged_as_every_mail(
    org, users, make_case, settings, caplog, refusing
):
    """A refusal for good (550), or a "not now" (451) on the last try, leaves an error on the
    ``amanah.mail`` logger, as the other mails do — naming the task and the error, not the address or
    the mail."""
    import logging

    from amanah.integrity.tasks import notify_reporter
    from tests.core.test_notify import _mail_server, _RefusesEveryone

    report = make_case(may_contact="true")
    settings.MAIL_RETRY_SECONDS = []
    server = _RefusesEveryone() if refusing == "for good" else _AlwaysBusy()
    with _mail_server(settings, server), caplog.at_level(logging.WARNING, logger="amanah.mail"):
        settings.TASKS = {
            "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        }
        result = notify_reporter.enqueue(report.pk)
    assert result.status == "FAILED"
    errors = [r for r in caplog.records if r.name == "amanah.mail" and r.levelname == "ERROR"]
    assert len(errors) == 1
    line = errors[0].getMessage()
    assert result.id in line
    assert ("SMTPRecipientsRefused 550" if refusing == "for good" else "451") in line
    assert "pelapor" not in line and "contoh.id" not in line and "tindak-lanjut" not in line
