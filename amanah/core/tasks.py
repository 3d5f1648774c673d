"""Background work of the core app."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
import smtplib
import ssl
from email.utils import make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, mailers, send_mail
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from . import crypto
from .checks import LOCAL_HOSTS
from .notify import addresses

log = logging.getLogger("amanah.mail")
log_sms = logging.getLogger("amanah.sms")


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


def error_label(exc: Exception) -> str:
    """An error as the log and the task table may show it: its class and the SMTP reply codes, never the
    reply texts (a server's text, like Python's message, may quote the address)."""
    codes = []
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _text in exc.recipients.values()})
    elif isinstance(exc, smtplib.SMTPResponseException):
        codes = [exc.smtp_code]
    return " ".join([type(exc).__name__, *map(str, codes)])


def _dns_name(host: str | None) -> str | None:
    """``host`` as the domain of a Message-ID, or None for no host, a local one or an IP address."""
    host = (host or "").strip().strip("[]").rstrip(".").lower()
    if not host or host in LOCAL_HOSTS:
        return None
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return None
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def message_domain() -> str:
    """The domain of outgoing Message-IDs: the host of the public site (``AMANAH_SITE_URL``), so that ids
    match the installation and name no internal machine; while the site address is a local one (the
    default, the demo), the sender address's domain; failing both, the machine's name, as Django does."""
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return _dns_name(urlsplit(settings.SITE_URL).hostname) or _dns_name(sender) or str(DNS_NAME)


def automatic_mail(
    recipient: str, subject: str, body: str, domain: str | None = None
) -> EmailMessage:
    """One automatic plain-text mail from Amanah to ``recipient``, with its Message-ID under
    :func:`message_domain` (or ``domain``)."""
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [recipient],
        headers={
            # Auto-Submitted (RFC 3834): out-of-office replies and mail loops leave it alone.
            "Auto-Submitted": "auto-generated",
            "Message-ID": make_msgid(domain=domain or message_domain()),
        },
    )


def _again_later(task_, seal, attempt: int, delays: list[int]):
    """Queue ``task_(seal(), attempt + 1)`` to run after the next of ``delays``; returns when, or None
    when no try is left or the task backend cannot run a task later."""
    if attempt >= len(delays) or not task_.get_backend().supports_defer:
        return None
    later = timezone.now() + dt.timedelta(seconds=delays[attempt])
    task_.using(run_after=later).enqueue(seal(), attempt + 1)
    return later


def _deliver(
    recipients: list[str], subject: str, body: str
) -> tuple[list[str], list[str], list[str]]:
    """Send the mail to each recipient on their own, over one connection: nobody sees the others'
    addresses, and one refused recipient does not stop (or, on a retry, repeat) the others. Returns the
    recipients to try again, those refused for good, and the errors met (:func:`error_label`, no address)."""
    again, failed, errors = [], [], []
    mailer = mailers.default
    try:
        mailer.open()
    except Exception as exc:
        mailer.close()  # a connection half made (a refused login) is closed, not left to the collector
        name = [error_label(exc)]
        return (recipients, [], name) if _temporary(exc) else ([], recipients, name)
    domain = message_domain()
    try:
        for recipient in recipients:
            try:
                mailer.send_messages([automatic_mail(recipient, subject, body, domain)])
            except Exception as exc:  # noqa: BLE001 - every error is sorted, none quoted
                (again if _temporary(exc) else failed).append(recipient)
                errors.append(error_label(exc))
    finally:
        mailer.close()
    return again, failed, errors


@task(takes_context=True)
def send_sealed_email(context, sealed: str, attempt: int = 0) -> dict:
    """Send an e-mail queued by :func:`amanah.core.notify.email`: recipients, subject and body travel
    encrypted (the task row would otherwise keep a complainant's address in clear until it is pruned).

    The recipients a server turns away for now (down, or answering 4xx) get the same mail, sealed again
    for them alone, after the next of ``MAIL_RETRY_SECONDS`` (a minute at first, a day at last), so that a
    notice is not lost to a mail server's bad hour. Those refused for good (5xx, a bad address, a server
    without the configured STARTTLS or AUTH), or still turned away after the last try, are logged as an
    error naming the task but no address.

    The task fails only when nobody got the mail and nobody will be tried again: a failed task then means
    "this mail reached no one", and running it again could not mail anyone twice. Otherwise it succeeds
    and its result counts each part — delivered, retry queued, refused for good, given up — with the
    errors met (class and SMTP code, never an address)."""
    message = json.loads(crypto.decrypt_text(sealed))
    # Someone listed twice (two roles, an address written two ways, or a row queued by an older
    # version) gets one mail.
    recipients = addresses(message["to"])
    again, refused, errors = _deliver(recipients, message["subject"], message["body"])
    outcome = {
        "try": attempt + 1,
        "delivered": len(recipients) - len(again) - len(refused),
        "retry_queued": 0,
        "refused": len(refused),
        "given_up": 0,
        "errors": sorted(set(errors)),
    }
    names = ", ".join(outcome["errors"])
    task_id = context.task_result.id
    delays = settings.MAIL_RETRY_SECONDS
    if again:
        later = _again_later(
            send_sealed_email,
            lambda: seal_email(again, message["subject"], message["body"]),
            attempt,
            delays,
        )
        if later is not None:
            outcome["retry_queued"] = len(again)
            outcome["next_try_at"] = later.isoformat()
            log.warning(
                "mail task %s: %d recipient(s) turned away for now (%s), try %d at %s",
                task_id,
                len(again),
                names,
                attempt + 2,
                later,
            )
        else:
            outcome["given_up"] = len(again)
            log.error(
                "mail task %s: %d of %d recipient(s) still turned away (%s) after %d tries: given up",
                task_id,
                len(again),
                len(recipients),
                names,
                attempt + 1,
            )
    if refused:
        log.error(
            "mail task %s: %d of %d recipient(s) refused for good (%s)",
            task_id,
            len(refused),
            len(recipients),
            names,
        )
    if not outcome["delivered"] and not outcome["retry_queued"]:
        # Raised outside any ``except``: no SMTP error (quoting addresses) rides along in the traceback.
        raise MailNotSent(
            f"not sent to {len(recipients)} of {len(recipients)} recipient(s): "
            f"{outcome['refused']} refused for good, {outcome['given_up']} given up ({names})"
        )
    return outcome


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
    """The sealed e-mails and short messages of the task table (waiting, running or finished) encrypted
    again under the first key, for ``amanah keys rotate``; returns how many rows changed."""
    done = 0
    # The sealed tasks of other apps are named, not imported (core imports no app).
    for path in (
        send_sealed_email.module_path,
        send_sealed_sms.module_path,
        "amanah.complaints.tasks.send_lost_codes",
    ):
        # The rest of the arguments (a retry's try number) stay as they are.
        done += _rewrite_rows(
            task_results,
            path,
            lambda args, path=path: (path, [crypto.rotate_text(args[0]), *args[1:]]),
        )
    return done


# --- Short messages (SMS/WhatsApp) -----------------------------------------------------------------


class SmsNotSent(Exception):
    """A sealed short message the gateway did not take; names neither the number nor the text."""


def seal_sms(number: str, text: str, key: str) -> str:
    return crypto.encrypt_text(
        json.dumps({"to": number, "text": text, "key": key}, ensure_ascii=False)
    )


@task(takes_context=True)
def send_sealed_sms(context, sealed: str, attempt: int = 0) -> dict:
    """Send a short message queued by :func:`amanah.core.notify.sms` through the gateway
    (:mod:`amanah.core.sms`). A gateway that cannot take it now (no connection, a time-out, 429 or 5xx)
    gets it again after the next of ``SMS_RETRY_SECONDS``, with the same ``Idempotency-Key``; a message it
    refuses (another 4xx), or still cannot take after the last try, fails the task with an error that names
    neither the number nor the text."""
    from . import sms

    message = json.loads(crypto.decrypt_text(sealed))
    task_id = context.task_result.id
    try:
        sms.deliver(message["to"], message["text"], message["key"])
    except sms.GatewayError as exc:
        error = exc.label
        later = (
            _again_later(
                send_sealed_sms,
                lambda: crypto.rotate_text(sealed),
                attempt,
                settings.SMS_RETRY_SECONDS,
            )
            if exc.temporary
            else None
        )
        if later is not None:
            log_sms.warning(
                "sms task %s: gateway did not take it (%s), try %d at %s",
                task_id,
                error,
                attempt + 2,
                later,
            )
            return {"try": attempt + 1, "delivered": 0, "retry_queued": 1, "errors": [error]}
    else:
        return {"try": attempt + 1, "delivered": 1, "retry_queued": 0, "errors": []}
    log_sms.error("sms task %s: not sent after %d tries (%s)", task_id, attempt + 1, error)
    # Raised outside the ``except``: nothing of the request rides along in the stored traceback.
    raise SmsNotSent(f"{error} after {attempt + 1} tries")
