"""Background work of the core app."""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import ssl

from django.conf import settings
from django.core.mail import EmailMessage, mailers, send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from . import crypto

log = logging.getLogger("amanah.mail")


class MailNotSent(Exception):
    """A sealed e-mail the mail server did not take. Its message names no recipient: the task table keeps a
    failed task's error and traceback in clear (for 90 days by default), and an SMTP error quotes the refused
    addresses."""


def _temporary(exc: Exception) -> bool:
    """Whether a mail server's refusal may pass: no connection, a dropped one, or a 4xx answer (RFC 5321
    §4.2.1: "transient negative completion"). A 5xx answer, a missing server feature (STARTTLS, AUTH), a
    bad address or any other error is final."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, (smtplib.SMTPException, ssl.SSLError)):
        return False  # a server without the configured STARTTLS/AUTH, or SSL asked of a plain port
    return isinstance(exc, OSError)


def _deliver(message: dict) -> tuple[list[str], list[str], list[str]]:
    """Send ``message`` to each recipient on their own, over one connection: nobody sees the others'
    addresses, and one refused recipient does not stop (or, on a retry, repeat) the others. Returns the
    recipients to try again, those refused for good, and the error names met (never an address)."""
    again, failed, errors = [], [], []
    # Someone listed twice (two roles, or a row queued by an older version) gets one mail.
    recipients = list(dict.fromkeys(message["to"]))
    mailer = mailers.default
    try:
        mailer.open()
    except Exception as exc:
        mailer.close()  # a connection half made (a refused login) is closed, not left to the collector
        name = [type(exc).__name__]
        return (recipients, [], name) if _temporary(exc) else ([], recipients, name)
    try:
        for recipient in recipients:
            mail = EmailMessage(
                message["subject"],
                message["body"],
                settings.DEFAULT_FROM_EMAIL,
                [recipient],
                # Auto-Submitted (RFC 3834): out-of-office replies and mail loops leave it alone.
                headers={"Auto-Submitted": "auto-generated"},
            )
            try:
                mailer.send_messages([mail])
            except Exception as exc:  # noqa: BLE001 - every error is sorted, none quoted
                (again if _temporary(exc) else failed).append(recipient)
                errors.append(type(exc).__name__)
    finally:
        mailer.close()
    return again, failed, errors


@task
def send_sealed_email(sealed: str, attempt: int = 0) -> int:
    """Send an e-mail queued by :func:`amanah.core.notify.email`: recipients, subject and body travel
    encrypted (the task row would otherwise keep a complainant's address in clear until it is pruned).

    The recipients a server turns away for now (down, or answering 4xx) get the same mail, sealed again
    for them alone, after the next of ``MAIL_RETRY_SECONDS`` (a minute at first, a day at last), so that a
    notice is not lost to a mail server's bad hour; those refused for good, or still refused after the last
    try, fail the task. Returns how many recipients got the mail."""
    message = json.loads(crypto.decrypt_text(sealed))
    again, failed, errors = _deliver(message)
    names = ", ".join(sorted(set(errors)))
    delays = settings.MAIL_RETRY_SECONDS
    if again:
        if attempt < len(delays) and send_sealed_email.get_backend().supports_defer:
            later = timezone.now() + dt.timedelta(seconds=delays[attempt])
            resealed = seal_email(again, message["subject"], message["body"])
            send_sealed_email.using(run_after=later).enqueue(resealed, attempt + 1)
            log.warning(
                "mail not sent to %d recipient(s) (%s), try %d at %s",
                len(again),
                names,
                attempt + 2,
                later,
            )
        else:
            failed += again
            log.error("mail not sent (%s) after %d tries: given up", names, attempt + 1)
    if failed:
        raise MailNotSent(
            f"{names} while sending to {len(failed)} of {len(message['to'])} recipient(s)"
        )
    return len(set(message["to"])) - len(again)


@task
def send_email(recipients: list[str], subject: str, body: str) -> int:
    """An e-mail in clear, as versions before sealed e-mails queued them; kept so that rows already in the
    queue when Amanah is upgraded are still sent. New code queues :func:`send_sealed_email`."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


def seal_email(recipients: list[str], subject: str, body: str) -> str:
    return crypto.encrypt_text(
        json.dumps({"to": recipients, "subject": subject, "body": body}, ensure_ascii=False)
    )


def _rewrite_rows(task_results, task_path: str, rewrite) -> int:
    """Apply ``rewrite(args)`` (returning the new ``(task_path, args)``, or None to leave the row) to every
    row of ``task_path`` in the task table, one locked row at a time; returns how many rows changed."""
    done = 0
    rows = task_results.objects.filter(task_path=task_path)
    for pk in rows.values_list("pk", flat=True).iterator(chunk_size=500):
        with transaction.atomic():
            row = task_results.objects.select_for_update().filter(pk=pk).first()
            args = (row.args_kwargs or {}).get("args") if row is not None else None
            new = rewrite(args) if isinstance(args, list) else None
            if new is None:
                continue
            path, new_args = new
            task_results.objects.filter(pk=pk).update(
                task_path=path, args_kwargs={"args": new_args, "kwargs": {}}
            )
        done += 1
    return done


def seal_clear_emails(task_results) -> int:
    """Seal the e-mails that earlier versions queued in clear (``send_email`` rows of the model
    ``task_results``, waiting or finished): each becomes a ``send_sealed_email`` row with the same status.
    Used by migration ``core.0003``; returns how many rows changed."""

    def seal(args):
        if len(args) != 3:
            return None
        recipients, subject, body = args
        return send_sealed_email.module_path, [seal_email(list(recipients), subject, body)]

    return _rewrite_rows(task_results, send_email.module_path, seal)


def reseal_queued_emails(task_results) -> int:
    """The sealed e-mails of the task table (waiting, running or finished) encrypted again under the first
    key, for ``amanah keys rotate``; returns how many rows changed."""
    path = send_sealed_email.module_path
    # The rest of the arguments (a retry's try number) stay as they are.
    return _rewrite_rows(
        task_results, path, lambda args: (path, [crypto.rotate_text(args[0]), *args[1:]])
    )
