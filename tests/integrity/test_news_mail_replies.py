"""A whistleblowing news mail must not invite an e-mail reply: a reply would carry the reporter's
address into the mailbox of the installation's sender. Read from what a real SMTP server (aiosmtpd)
received: no Reply-To (least of all an agency's or a handler's address), and a text that says not to
reply and sends the reporter to the follow-up page."""

import email
import email.policy

import pytest

pytestmark = pytest.mark.django_db
ADDRESS = "budi.pelapor@contoh.id"


def test_the_reporters_news_mail_names_no_reply_address_and_points_to_the_follow_up_page(
    smtp, settings, make_case, users, django_capture_on_commit_callbacks
):
    from amanah.integrity import services

    insp = users[("inspektorat", "a")]
    insp.email = "inspektorat-a@test.id"
    insp.save()
    report = make_case(may_contact="true", reporter_contact=ADDRESS)
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.acknowledge(insp, report.pk)
    smtp.wait(1)
    [mail] = smtp.to(ADDRESS)
    head = email.message_from_string(mail["raw"], policy=email.policy.default)
    assert head["Reply-To"] is None
    assert head["From"] == settings.DEFAULT_FROM_EMAIL
    assert insp.email not in mail["raw"]
    assert head["To"] == ADDRESS  # nobody else is named beside the reporter
    body = mail["body"]
    assert f"{settings.SITE_URL}/integritas/tindak-lanjut/" in body
    assert "Jangan membalas email ini" in body
    assert "hanya dikirim lewat halaman tersebut" in body


def test_the_handlers_mail_about_a_new_report_names_no_reply_address(
    smtp, make_case, users, django_capture_on_commit_callbacks
):
    insp = users[("inspektorat", "a")]
    insp.email = "inspektorat-a@test.id"
    insp.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_case(may_contact="true", reporter_contact=ADDRESS)
    smtp.wait(1)
    [mail] = smtp.to(insp.email)
    head = email.message_from_string(mail["raw"], policy=email.policy.default)
    assert head["Reply-To"] is None
    assert ADDRESS not in mail["raw"]


def test_the_do_not_reply_note_is_translated_for_an_english_site(
    smtp, settings, make_case, users, django_capture_on_commit_callbacks
):
    from amanah.integrity import services

    settings.LANGUAGE_CODE = "en"
    report = make_case(may_contact="true", reporter_contact=ADDRESS)
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.acknowledge(users[("inspektorat", "a")], report.pk)
    smtp.wait(1)
    [mail] = smtp.to(ADDRESS)
    assert "Do not reply to this e-mail" in mail["body"]
