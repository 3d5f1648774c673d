"""Background work of the whistleblowing channel: telling a reporter (who asked to be contacted) that
there is news, deadline reminders to investigators, and retention. Run the sweep daily, e.g. from cron:
``amanah manage integrity_sweep``."""

from __future__ import annotations

import email.policy
import logging

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

log = logging.getLogger("amanah.mail")


class NewsMail(EmailMessage):
    """A news mail to a reporter, with its one-click stop (RFC 8058): ``List-Unsubscribe`` names the
    stop link (``stop_url``), to which a mail program's "unsubscribe" posts, erasing the contact
    without the receipt (opening the link, as mail scanners do, only shows a button).

    The link is one long word: folded like any header, Python would write it as RFC 2047 encoded
    words, which no mail program reads as a link. It is set as it is and kept on one line (RFC 5322
    allows 998 characters); only headers set that way are left unfolded, the others fold as ever."""

    stop_url = ""

    def message(self, *, policy=email.policy.default):
        msg = super().message(policy=policy.clone(refold_source="none"))
        msg.set_raw("List-Unsubscribe", f"<{self.stop_url}>")
        msg.set_raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
        return msg


@task(takes_context=True)
def notify_reporter(context, report_id: int, attempt: int = 0) -> dict:
    """E-mail the reporter that there is a new message — never the content or the case number. The
    address is read (decrypted) here, so the task queue stores only the report's id, not the address.

    A server that turns the mail away for now (down, or a 4xx answer) gets it again after the next of
    ``MAIL_RETRY_SECONDS``, as every other Amanah mail does: a reporter who is told nothing may think the
    channel went silent. The retry queues the report's id again, so it reads the address afresh (a report
    purged or no longer to be contacted meanwhile gets nothing). A final refusal, or the last try, is
    logged as an error on ``amanah.mail`` as for every other mail, and fails the task with an error;
    neither quotes the address (the SMTP error would) nor the mail.

    Each mail carries the report's stop link (``services.news_stop_token``) in its text and in the
    ``List-Unsubscribe`` headers (RFC 8058 one-click)."""
    from amanah.core.tasks import (
        MailNotSent,
        _again_later,
        _temporary,
        automatic_mail,
        error_label,
    )

    from . import services
    from .models import Report

    report = Report.objects.filter(pk=report_id, may_contact=True, purged_on__isnull=True).first()
    if report is None or "@" not in (report.reporter_contact or ""):
        return {"try": attempt + 1, "delivered": 0, "retry_queued": 0}
    stop = f"{settings.SITE_URL}/integritas/kabar/berhenti/{services.news_stop_token(report.pk)}/"
    # In the site language: the task may run right after the request of an officer who reads English.
    with translation.override(settings.LANGUAGE_CODE):
        body = (
            _(
                "Ada pesan baru untuk laporan yang Anda kirim. Buka %(url)s dan masukkan nomor tanda "
                "terima Anda."
            )
            % {"url": f"{settings.SITE_URL}/integritas/tindak-lanjut/"}
            + "\n\n"
            # No Reply-To, and nothing that invites a reply: a reply would carry the reporter's
            # address into the mailbox of the installation's sender (often the agency's mail server).
            + _(
                "Jangan membalas email ini: balasan tidak masuk ke laporan Anda dan memperlihatkan "
                "alamat email Anda kepada pengelola email pengirim. Pesan untuk tim pemeriksa hanya "
                "dikirim lewat halaman tersebut."
            )
            + "\n\n"
            + _(
                "Tidak ingin menerima kabar lagi? Buka %(url)s lalu tekan “Berhenti menerima kabar”: "
                "kontak Anda dihapus."
            )
            % {"url": stop}
        )
        subject = _("Ada kabar untuk laporan Anda")
    plain = automatic_mail(report.reporter_contact.strip(), subject, body)
    mail = NewsMail(
        plain.subject, plain.body, plain.from_email, plain.to, headers=plain.extra_headers
    )
    mail.stop_url = stop
    try:
        delivered = mailers.default.send_messages([mail])
    except Exception as exc:  # noqa: BLE001 - none is quoted
        error, temporary = error_label(exc), _temporary(exc)
    else:
        return {"try": attempt + 1, "delivered": delivered, "retry_queued": 0}
    if temporary:
        later = _again_later(
            notify_reporter, lambda: report_id, attempt, settings.MAIL_RETRY_SECONDS
        )
        if later is not None:
            log.warning(
                "reporter mail task %s: turned away for now (%s), try %d at %s",
                context.task_result.id,
                error,
                attempt + 2,
                later,
            )
            return {
                "try": attempt + 1,
                "delivered": 0,
                "retry_queued": 1,
                "next_try_at": later.isoformat(),
                "errors": [error],
            }
        log.error(
            "reporter mail task %s: still turned away (%s) after %d tries: given up",
            context.task_result.id,
            error,
            attempt + 1,
        )
    else:
        log.error("reporter mail task %s: refused for good (%s)", context.task_result.id, error)
    # Raised outside the ``except``: the SMTP error does not ride along in the stored traceback.
    raise MailNotSent(f"{error} while sending to the reporter (try {attempt + 1})")


@task
def sweep() -> dict:
    from amanah.core import notify
    from amanah.core.cache import remove_expired

    from . import services

    return {
        "reminders": services.send_reminders(),
        "purged": services.purge_expired(),
        "expired_cache_entries": remove_expired(),
        "expired_reporter_entries": services.remove_expired_entries(),
        "held_mails_released": notify.release_held(),
    }
