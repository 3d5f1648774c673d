"""Background work of the core app."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task

from . import crypto


@task
def send_sealed_email(sealed: str) -> int:
    """Send an e-mail queued by :func:`amanah.core.notify.email`: recipients, subject and body travel
    encrypted (the task row would otherwise keep a complainant's address in clear until it is pruned)."""
    message = json.loads(crypto.decrypt_text(sealed))
    return send_mail(
        message["subject"],
        message["body"],
        settings.DEFAULT_FROM_EMAIL,
        message["to"],
        fail_silently=False,
    )


@task
def send_email(recipients: list[str], subject: str, body: str) -> int:
    """An e-mail in clear, as versions before sealed e-mails queued them; kept so that rows already in the
    queue when Amanah is upgraded are still sent. New code queues :func:`send_sealed_email`."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


def seal_email(recipients: list[str], subject: str, body: str) -> str:
    return crypto.encrypt_text(
        json.dumps({"to": recipients, "subject": subject, "body": body}, ensure_ascii=False)
    )
