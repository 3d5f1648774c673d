"""Where a reply to a complaint mail goes, read from the headers a real SMTP server (aiosmtpd) received.
An agency has no public complaint mailbox in Amanah, so no mail names a Reply-To: a complainant's reply
would go to the sender, which reaches no case. The complainant's mails say so and send them to the
tracking page, where an answer is added to the case."""

import email
import email.policy

import pytest

from amanah.complaints import services

pytestmark = pytest.mark.django_db


def _headers(message):
    return email.message_from_string(message["raw"], policy=email.policy.default)


def test_a_complainants_mail_names_no_reply_address_and_sends_replies_to_the_tracking_page(
    smtp, settings, org, users, submit, django_capture_on_commit_callbacks
):
    users[("unit", "a")].email = "unit-a@test.id"
    users[("unit", "a")].save()
    with django_capture_on_commit_callbacks(execute=True):
        c = submit()
    smtp.wait(1)
    [mail] = smtp.to("siti@example.id")
    head = _headers(mail)
    assert head["Reply-To"] is None
    assert head["From"] == settings.DEFAULT_FROM_EMAIL
    assert head["Auto-Submitted"] == "auto-generated"
    body = mail["body"]
    assert services.tracking_url(c) in body
    assert "Balasan ke email ini tidak masuk ke pengaduan Anda" in body
    assert "buka halaman lacak di atas" in body
    # Nor do the staff's mails about the same case point replies at the complainant.
    with django_capture_on_commit_callbacks(execute=True):
        services.verify(users[("operator", "a")], c, unit=org["a"]["bidang"])
    staff = smtp.to("unit-a@test.id")
    assert staff
    for m in staff:
        assert _headers(m)["Reply-To"] is None
        assert "siti@example.id" not in m["raw"]


def test_the_reply_note_is_translated_for_an_english_site(
    smtp, settings, submit, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "en"
    with django_capture_on_commit_callbacks(execute=True):
        submit()
    [mail] = smtp.to("siti@example.id")
    assert "Replies to this e-mail are not added to your complaint" in mail["body"]
